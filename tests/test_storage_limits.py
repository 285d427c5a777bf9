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
