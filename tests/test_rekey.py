"""Changing the passphrase: the old one stops working, the new one works, and a crash at any
moment leaves a store that one of the two opens, with everything in it."""

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from vsm_desktop.errors import WrongPassphrase
from vsm_desktop.store.check import check_store
from vsm_desktop.store.store import Store, verify_passphrase

from conftest import PASSPHRASE, REPO, add_learner, add_review, cli_env, file_hash, run_cli

NEW = "tebot awyren mynydd glas"


def fill(path, learners=150):
    with Store.initialise(path, PASSPHRASE) as store:
        with store.transaction():
            for i in range(learners):
                review = add_review(store, add_learner(store, f"L{i:06d}"))
                store.update("reviews", review, {"strengths": "Kind to others and works hard. " * 10, "strengths_lang": "en"})


def test_rekey_from_the_command_line(tmp_path):
    path = tmp_path / "s.vsm"
    fill(path, 20)
    result = run_cli("rekey", "--store", path, env=cli_env(VSM_NEW_PASSPHRASE=NEW))
    assert result.returncode == 0, result.stderr
    assert not verify_passphrase(path, PASSPHRASE)
    assert verify_passphrase(path, NEW)
    with Store.open(path, NEW) as store:
        assert len(store.list_learners()) == 20
        assert check_store(store) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.vsm", "s.vsm-content"], "no copies left behind"
    assert path.stat().st_mode & 0o077 == 0


def test_rekey_refuses_a_short_new_passphrase_and_a_wrong_old_one(tmp_path):
    path = tmp_path / "s.vsm"
    fill(path, 5)
    before = file_hash(path)
    result = run_cli("rekey", "--store", path, env=cli_env(VSM_NEW_PASSPHRASE="short"))
    assert result.returncode == 7 and "12 characters" in result.stderr
    result = run_cli("rekey", "--store", path, env=cli_env(VSM_PASSPHRASE="not the passphrase", VSM_NEW_PASSPHRASE=NEW))
    assert result.returncode == 3
    assert file_hash(path) == before
    assert verify_passphrase(path, PASSPHRASE)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_rekey_killed_at_any_moment_leaves_one_working_store(tmp_path):
    path = tmp_path / "s.vsm"
    fill(path)
    with Store.open(path, PASSPHRASE) as store:
        expected = len(store.list_learners())
    start = time.monotonic()
    assert run_cli("rekey", "--store", path, env=cli_env(VSM_NEW_PASSPHRASE=NEW)).returncode == 0
    duration = time.monotonic() - start
    current, other = NEW, PASSPHRASE
    rng = random.Random(5)
    outcomes = set()
    # One random moment in each twelfth of the run (and a little after it), so that the kills cover
    # the whole rekey; on a machine whose load changes under the test, a few more at the side
    # that no kill reached yet.
    attempts = 12
    waits = [duration * 1.6 * (attempt + rng.random()) / attempts for attempt in range(attempts)]
    attempt = 0
    while attempt < len(waits):
        env = cli_env(VSM_PASSPHRASE=current, VSM_NEW_PASSPHRASE=other)
        proc = subprocess.Popen([sys.executable, "-m", "vsm_desktop", "rekey", "--store", str(path)],
                                env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(waits[attempt])
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
        opens_with_old = verify_passphrase(path, current)
        opens_with_new = verify_passphrase(path, other)
        assert opens_with_old != opens_with_new, attempt
        outcomes.add("new" if opens_with_new else "old")
        if opens_with_new:
            current, other = other, current
        with Store.open(path, current) as store:
            assert len(store.list_learners()) == expected
            assert check_store(store) == []
        with pytest.raises(WrongPassphrase):
            Store.open(path, other)
        attempt += 1
        if attempt == len(waits) and outcomes != {"old", "new"} and len(waits) < attempts + 4:
            waits.append(duration * 3 if "new" not in outcomes else 0.0)
    assert outcomes == {"old", "new"}, "kills should land both before and after the swap"


def _start_writer(path):
    worker = subprocess.Popen([sys.executable, str(REPO / "tests" / "crash_worker.py"), str(path)],
                              stdout=subprocess.PIPE, text=True, env=cli_env(VSM_PASSPHRASE=PASSPHRASE))
    assert worker.stdout.readline().strip() == "ready"
    return worker


def _acknowledged(worker, lines: int) -> list[str]:
    return [worker.stdout.readline().strip() for _ in range(lines)]


def test_rekey_while_another_process_writes_is_refused_and_loses_no_edit(tmp_path):
    """The writer would go on committing into the old, unlinked file: 20 of 20 edits were lost."""
    path = tmp_path / "s.vsm"
    fill(path, 3)
    worker = _start_writer(path)
    try:
        _acknowledged(worker, 20)
        result = run_cli("rekey", "--store", path, env=cli_env(VSM_NEW_PASSPHRASE=NEW))
        assert result.returncode == 15, result.stderr
        assert "open in another program" in result.stderr and "passphrase was not changed" in result.stderr
        acknowledged = _acknowledged(worker, 30)   # edits made after the refusal
    finally:
        worker.kill()
        worker.wait()
    assert verify_passphrase(path, PASSPHRASE) and not verify_passphrase(path, NEW)
    last = next(line for line in reversed(acknowledged) if line.startswith("set "))
    _set, entity, field, k = last.split()
    with Store.open(path, PASSPHRASE) as store:
        learner = store.resolve_learner("L000001")
        review = store.conn.execute("SELECT id FROM reviews WHERE learner_id = ?", (learner,)).fetchone()[0]
        stored = store.get(entity, {"learners": learner, "reviews": review}[entity])[field]
        assert int(stored.split()[-1]) >= int(k), "the writer's later edits may be there too, never fewer"
        for line in acknowledged:
            if line.startswith("created actions"):
                assert store.get("actions", line.split()[-1]) is not None
        assert check_store(store) == []
    # With the writer gone, the same command changes the passphrase.
    assert run_cli("rekey", "--store", path, env=cli_env(VSM_NEW_PASSPHRASE=NEW)).returncode == 0
    assert verify_passphrase(path, NEW)


def test_a_store_opened_during_a_rekey_waits_and_then_needs_the_new_passphrase(tmp_path):
    from vsm_desktop.store.filelock import StoreLock

    path = tmp_path / "s.vsm"
    fill(path, 3)
    held = StoreLock.exclusive(path)             # a re-key at work
    opener = subprocess.Popen([sys.executable, "-m", "vsm_desktop", "learners", "--store", str(path)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=cli_env(VSM_PASSPHRASE=PASSPHRASE))
    time.sleep(1.5)
    assert opener.poll() is None, "the opener waits while the store is being re-keyed"
    held.release()
    out, err = opener.communicate(timeout=60)
    assert opener.returncode == 0 and "3 learners" in out, err


def test_change_passphrase_through_the_open_store(tmp_path):
    """File ▸ Change passphrase…: the application re-keys through its own connection and goes on."""
    from vsm_desktop.errors import StoreInUse

    path = tmp_path / "s.vsm"
    fill(path, 3)
    store = Store.open(path, PASSPHRASE)
    try:
        other = _start_writer(path)
        try:
            with pytest.raises(StoreInUse):
                store.change_passphrase(PASSPHRASE, NEW)
        finally:
            other.kill()
            other.wait()
        with pytest.raises(WrongPassphrase):
            store.change_passphrase("not the passphrase at all", NEW)
        learner = store.resolve_learner("L000001")
        store.set_field("learners", learner, "preferred_name", "Cyn")
        store.change_passphrase(PASSPHRASE, NEW)
        store.set_field("learners", learner, "preferred_name", "Wedyn")   # the same store goes on
        # While it is open, no other process can re-key it.
        result = run_cli("rekey", "--store", path, env=cli_env(VSM_PASSPHRASE=NEW, VSM_NEW_PASSPHRASE=NEW + " eto"))
        assert result.returncode == 15
    finally:
        store.close()
    assert not verify_passphrase(path, PASSPHRASE)
    with Store.open(path, NEW) as again:
        assert again.get("learners", again.resolve_learner("L000001"))["preferred_name"] == "Wedyn"
        assert check_store(again) == []
