"""SIGKILL a process that keeps committing edits, again and again: every change it reported as
committed is there, the store passes `check`, and the change log matches the data."""

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from vsm_desktop.store.check import check_store
from vsm_desktop.store.store import Store

from conftest import PASSPHRASE, REPO, add_learner, add_review, cli_env

KILLS = 100


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_committed_edits_survive_being_killed(tmp_path):
    path = tmp_path / "crash.vsm"
    with Store.initialise(path, PASSPHRASE) as store:
        add_review(store, add_learner(store))
    rng = random.Random(2026)
    reported: dict[tuple[str, str], int] = {}
    created: set[str] = set()
    edits_seen = 0
    for kill in range(KILLS):
        worker = subprocess.Popen(
            [sys.executable, str(REPO / "tests" / "crash_worker.py"), str(path)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env(),
        )
        if kill % 4 == 0:
            time.sleep(rng.uniform(0.0, 0.4))  # kills during start-up and opening too
        else:
            assert worker.stdout.readline() == b"ready\n", worker.stderr.read()
            time.sleep(rng.uniform(0.0, 0.25))
        os.kill(worker.pid, signal.SIGKILL)
        out, err = worker.communicate()
        assert worker.returncode == -signal.SIGKILL, err.decode()
        for line in out.decode().splitlines(keepends=True):
            if not line.endswith("\n"):
                continue  # cut off by the kill: not reported
            parts = line.split()
            if parts[0] == "set":
                reported[(parts[1], parts[2])] = int(parts[3])
                edits_seen += 1
            elif parts[0] == "created":
                created.add(parts[2])
        with Store.open(path, PASSPHRASE) as store:
            learner = store.resolve_learner("L000001")
            review = store.children("reviews", learner)[0]
            current = {"learners": store.get("learners", learner), "reviews": review}
            for (entity, field), k in reported.items():
                value = current[entity][field]
                assert value is not None and int(value.split()[-1]) >= k, (kill, entity, field, k, value)
            actions = {a["id"] for a in store.children("actions", review["id"])}
            assert created <= actions, kill
            if kill % 10 == 9 or kill == KILLS - 1:
                assert check_store(store) == [], kill
            else:
                assert store.conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert edits_seen > 200, "the kills must land while edits are being committed"
