"""Stores on real small and read-only file systems (tmpfs mounts; the tests skip where this user
cannot mount): a full disk at `init` leaves nothing behind, and a store that can only be read is
read, checked and refused writes in plain words."""

from __future__ import annotations

import contextlib
import subprocess

import pytest

from conftest import PASSPHRASE, cli_env, file_hash, run_cli


@contextlib.contextmanager
def tmpfs(folder, size: str):
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_init_on_a_full_disk_leaves_no_file(tmp_path):
    with tmpfs(tmp_path / "small", "64k") as folder:
        (folder / "filler").write_bytes(b"\0" * 48 * 1024)
        target = folder / "s.vsm"
        result = run_cli("init", "--store", target, env=cli_env(VSM_PASSPHRASE=PASSPHRASE))
        assert result.returncode == 6, result.stderr
        assert "disk is full" in result.stderr and "Traceback" not in result.stderr
        assert sorted(p.name for p in folder.iterdir()) == ["filler"]


def test_a_store_that_can_only_be_read(tmp_path):
    with tmpfs(tmp_path / "stick", "64m") as folder:
        store = folder / "s.vsm"
        env = cli_env(VSM_PASSPHRASE=PASSPHRASE)
        assert run_cli("demo", "--store", store, "--learners", "4", "--seed", "3", env=env).returncode == 0
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        before = file_hash(store)
        result = run_cli("check", "--store", store, env=env)
        assert result.returncode == 0, result.stderr
        assert "search index" not in result.stdout + result.stderr
        for command in (["learners"], ["show", "L000001"], ["export-json", "--all", "--out", str(tmp_path / "e.json")]):
            result = run_cli(*command, "--store", store, env=env)
            assert result.returncode == 0, (command, result.stderr)
            assert "not saved" not in result.stderr
        result = run_cli("demo", "--store", store, "--learners", "1", "--seed", "4", env=env)
        assert result.returncode == 6 and "can only be read here" in result.stderr
        assert "Traceback" not in result.stderr
        assert file_hash(store) == before


def test_a_passphrase_change_that_runs_out_of_space_leaves_the_open_store_working(tmp_path):
    """The re-keyed copy needs as much room again as the store: on a disk without it the change
    fails as a full disk, and the application's store goes on, shared and open, on its old passphrase."""
    import errno
    import shutil

    from vsm_desktop.errors import StorageFull
    from vsm_desktop.store.store import Store, verify_passphrase

    from conftest import add_learner

    original = tmp_path / "original.vsm"
    with Store.initialise(original, PASSPHRASE) as store:
        for n in range(60):
            add_learner(store, f"L{n:06d}", preferred_name="Enw " * 20)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size_kib = original.stat().st_size // 1024
    side = tmp_path / "original.vsm-content"   # the store's content file (vsm_desktop.store.contentfile)
    with tmpfs(tmp_path / "small", f"{size_kib * 3 // 2 + side.stat().st_size // 1024}k") as folder:
        path = folder / "s.vsm"
        shutil.copyfile(original, path)
        shutil.copyfile(side, folder / "s.vsm-content")
        store = Store.open(path, PASSPHRASE)
        try:
            with pytest.raises((OSError, StorageFull)) as caught:
                store.change_passphrase(PASSPHRASE, "a new passphrase of enough words")
            assert isinstance(caught.value, StorageFull) or caught.value.errno == errno.ENOSPC
            assert not (folder / "s.vsm.rekey").exists(), "the half-made copy is gone"
            learner = store.resolve_learner("L000001")
            store.set_field("learners", learner, "preferred_name", "Wedi'r methiant")
            # Shared again: another process opens it at once.
            result = run_cli("learners", "--store", path, env=cli_env(VSM_PASSPHRASE=PASSPHRASE), timeout=60)
            assert result.returncode == 0 and "Wedi'r methiant" in result.stdout, result.stderr
        finally:
            store.close()
        assert verify_passphrase(path, PASSPHRASE)


def test_a_read_only_store_with_changes_waiting_in_its_wal_is_not_read_without_them(tmp_path):
    """Read as immutable, the -wal's changes would be left out without a word."""
    import shutil

    from vsm_desktop.store.store import Store

    from conftest import add_learner

    original = tmp_path / "original.vsm"
    store = Store.initialise(original, PASSPHRASE)
    add_learner(store, "L000001")
    with tmpfs(tmp_path / "stick", "64m") as folder:
        # A copy taken while the store was open: the last change is still in its -wal.
        for name in ("original.vsm", "original.vsm-wal"):
            shutil.copyfile(tmp_path / name, folder / name)
        store.close()
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        result = run_cli("learners", "--store", folder / "original.vsm", env=cli_env(VSM_PASSPHRASE=PASSPHRASE))
        assert result.returncode == 6 and "original.vsm-wal" in result.stderr, result.stderr


def test_a_read_only_store_whose_content_waits_in_the_content_files_wal_is_not_read_without_it(tmp_path):
    """The same for the content file (vsm_desktop.store.contentfile): its -wal is not left out either."""
    import shutil

    from vsm_desktop.attachments import content
    from vsm_desktop.store.store import Store

    from conftest import add_learner

    original = tmp_path / "original.vsm"
    store = Store.initialise(original, PASSPHRASE, author="Test Author")
    learner = add_learner(store, "L000001")
    content.attach(store, learner, b"Llythyr i'r ysgol\n" * 50, kind="letter", name="llythyr.txt")
    store.conn.execute("PRAGMA main.wal_checkpoint(TRUNCATE)")   # the store's own -wal empty; the content's not
    assert (tmp_path / "original.vsm-content-wal").stat().st_size > 0
    with tmpfs(tmp_path / "stick", "64m") as folder:
        for name in ("original.vsm", "original.vsm-content", "original.vsm-content-wal"):
            shutil.copyfile(tmp_path / name, folder / name)
        store.close()
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        result = run_cli("attachments", "--store", folder / "original.vsm", "--learner", "L000001",
                         env=cli_env(VSM_PASSPHRASE=PASSPHRASE))
        assert result.returncode == 6 and "original.vsm-content-wal" in result.stderr, (result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
