"""Shared fixtures: real SQLCipher stores in temporary folders, and the real command line."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vsm_desktop import i18n
from vsm_desktop.store.store import Store

PASSPHRASE = "correct horse battery staple"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def store_path(tmp_path) -> Path:
    return tmp_path / "store.vsm"


@pytest.fixture
def store(store_path):
    s = Store.initialise(store_path, PASSPHRASE, author="Test Author")
    yield s
    s.close()


@pytest.fixture
def worker(store_path, store):
    """A second connection, owned by the worker thread, as in the application."""
    from vsm_desktop.app.worker import StoreWorker

    w = StoreWorker()
    w.open(lambda: Store.open(store_path, PASSPHRASE))
    assert w.wait_idle()
    yield w
    w.shutdown()


def cli_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VSM_", "LANG", "LC_"))}
    # The repository first; whatever else was on the path stays (the moved-clock run's sitecustomize).
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    env.update({"VSM_PASSPHRASE": PASSPHRASE, "LANG": "C.UTF-8", "PYTHONPATH": path})
    env.update({k: v for k, v in extra.items() if v is not None})
    return {k: v for k, v in env.items() if v != ""}


# The slowest tests (pytest --durations), started first: with the suite split over two workers, a
# minute-long test collected last kept one worker busy alone at the end of every run.
RUN_FIRST = (
    "test_rekey_killed_at_any_moment_leaves_one_working_store",
    "test_summaries_give_the_figures_of_the_records_after_any_edits_and_any_sync",
    "test_committed_edits_survive_being_killed",
    "test_a_revoked_devices_unsent_changes_are_handed_over_to_a_new_device",
    "test_enrol_sync_status_conflicts_and_resolve",
    "test_scope_is_decided_at_every_sync_as_dates_pass",
    "test_bulk_apply_gives_the_same_store_as_one_at_a_time_in_any_page_split",
    "test_exit_codes_of_what_can_go_wrong",
    "test_schools_users_and_display_names_from_the_command_line",
    "test_export_verify_and_trust_from_the_command_line",
    "test_locking_during_a_sync_cancels_it_keeps_what_arrived_and_closes_both_connections",
)


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: getattr(item, "originalname", item.name) not in RUN_FIRST)


def run_cli(*args, env: dict | None = None, input: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Runs `python -m vsm_desktop ARGS` as a user would, without a terminal."""
    return subprocess.run(
        [sys.executable, "-m", "vsm_desktop", *map(str, args)],
        capture_output=True, text=True, env=env or cli_env(), input=input, timeout=timeout, cwd=REPO,
    )


def file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def add_learner(store: Store, reference: str = "L000001", **values) -> str:
    base = {
        "reference": reference, "legal_forename": "Siân", "legal_surname": "Prosser",
        "date_of_birth": "2013-05-04", "legal_status": "care_order", "date_looked_after": "2024-02-01",
    }
    return store.create("learners", base | values)


def add_review(store: Store, learner_id: str, **values) -> str:
    base = {"review_type": "termly", "period_start": "2026-09-02", "period_end": "2026-12-18", "due_date": "2026-12-18"}
    return store.start_review(learner_id, base | values)
