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
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.vsm"], "no copies left behind"
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
    for attempt in range(20):
        env = cli_env(VSM_PASSPHRASE=current, VSM_NEW_PASSPHRASE=other)
        proc = subprocess.Popen([sys.executable, "-m", "vsm_desktop", "rekey", "--store", str(path)],
                                env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0, duration * 1.6))
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
    assert outcomes == {"old", "new"}, "kills should land both before and after the swap"
