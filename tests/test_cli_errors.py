"""Bad input through the real command line: a clear line on stderr, its own exit code, and the
store file byte-for-byte as it was."""

import os
import sqlite3

import pytest
import sqlcipher3

from vsm_desktop.store import migrate
from vsm_desktop.store.store import Store

from conftest import PASSPHRASE, add_learner, add_review, cli_env, file_hash, run_cli


@pytest.fixture(scope="module")
def filled_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("filled") / "store.vsm"
    with Store.initialise(path, PASSPHRASE) as store:
        with store.transaction():
            for i in range(400):
                learner = add_learner(store, f"L{i:06d}", legal_surname="Williams " * 8)
                review = add_review(store, learner)
                store.update("reviews", review, {"wellbeing_notes": "Settled and happy at school. " * 20,
                                                 "wellbeing_notes_lang": "en"})
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def copy_of(src, dst):
    dst.write_bytes(src.read_bytes())
    os.chmod(dst, 0o600)
    return dst


def assert_refused(result, code, *phrases):
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for phrase in phrases:
        assert phrase in lines[0]


@pytest.mark.parametrize("command", [["learners"], ["check"], ["show", "L000001"], ["export-json", "--all", "--out", "x.json"]])
def test_wrong_passphrase(filled_store, tmp_path, command):
    path = copy_of(filled_store, tmp_path / "s.vsm")
    before = file_hash(path)
    command = [str(tmp_path / c) if c.endswith(".json") else c for c in command]
    result = run_cli(*command[:1], "--store", path, *command[1:], env=cli_env(VSM_PASSPHRASE="not the right passphrase"))
    assert_refused(result, 3, "Wrong passphrase")
    assert file_hash(path) == before
    assert not (tmp_path / "x.json").exists()


def test_not_a_store_text_file(tmp_path):
    path = tmp_path / "notes.vsm"
    path.write_text("Meeting notes, not a store.\n")
    before = file_hash(path)
    assert_refused(run_cli("learners", "--store", path), 4, "damaged or not a VSM store")
    assert file_hash(path) == before


def test_not_a_store_plain_sqlite(tmp_path):
    path = tmp_path / "plain.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = file_hash(path)
    assert_refused(run_cli("check", "--store", path), 4, "damaged or not a VSM store")
    assert file_hash(path) == before


def test_not_a_store_other_sqlcipher_database_with_the_same_passphrase(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = file_hash(path)
    assert_refused(run_cli("learners", "--store", path), 4, "damaged or not a VSM store")
    assert file_hash(path) == before


@pytest.mark.parametrize("cut", ["half", "page_boundary", "one_page"])
def test_truncated_store(filled_store, tmp_path, cut):
    data = filled_store.read_bytes()
    length = {"half": len(data) // 2 + 100, "page_boundary": (len(data) // 2) // 4096 * 4096, "one_page": 4096}[cut]
    path = tmp_path / "cut.vsm"
    path.write_bytes(data[:length])
    before = file_hash(path)
    assert_refused(run_cli("check", "--store", path), 4, "damaged or not a VSM store")
    assert file_hash(path) == before


def test_flipped_byte_in_the_middle(filled_store, tmp_path):
    # `check` reads every page, so it always finds the damage. Other commands meet it (exit 4) only
    # if they read the damaged page: an export reads every table but not every index.
    data = bytearray(filled_store.read_bytes())
    data[len(data) // 2] ^= 0x01
    path = tmp_path / "flipped.vsm"
    path.write_bytes(bytes(data))
    before = file_hash(path)
    result = run_cli("check", "--store", path)
    assert_refused(result, 4, "damaged or not a VSM store")
    assert file_hash(path) == before


def test_store_from_a_newer_version(filled_store, tmp_path):
    path = copy_of(filled_store, tmp_path / "newer.vsm")
    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
    conn.execute(f"PRAGMA user_version = {migrate.SCHEMA_VERSION + 1}")
    conn.execute("UPDATE meta SET value = '9.4.0' WHERE key = 'app_version'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = file_hash(path)
    result = run_cli("learners", "--store", path)
    assert_refused(result, 5, "9.4.0")
    assert file_hash(path) == before


def test_missing_store_file(tmp_path):
    path = tmp_path / "nowhere.vsm"
    assert_refused(run_cli("learners", "--store", path), 2, "There is no store")
    assert not path.exists()


def test_no_passphrase_without_a_terminal(filled_store):
    result = run_cli("learners", "--store", filled_store, env=cli_env(VSM_PASSPHRASE=""))
    assert_refused(result, 2, "VSM_PASSPHRASE")


def test_init_refuses_a_short_passphrase_with_a_hint(tmp_path):
    path = tmp_path / "new.vsm"
    result = run_cli("init", "--store", path, env=cli_env(VSM_PASSPHRASE="short"))
    assert_refused(result, 7, "12 characters", "random words")
    assert not path.exists()


def test_init_refuses_to_overwrite_a_store(filled_store, tmp_path):
    path = copy_of(filled_store, tmp_path / "s.vsm")
    before = file_hash(path)
    assert_refused(run_cli("init", "--store", path), 8, "already exists")
    assert file_hash(path) == before


def test_invalid_value_in_an_import_is_refused_naming_the_field(filled_store, tmp_path):
    import json

    out = tmp_path / "one.json"
    assert run_cli("export-json", "--store", filled_store, "--learner", "L000001", "--out", out).returncode == 0
    data = json.loads(out.read_text())
    data["records"]["reviews"][0]["attendance_pct"] = 130
    out.write_text(json.dumps(data))
    target = tmp_path / "empty.vsm"
    assert run_cli("init", "--store", target).returncode == 0
    before = file_hash(target)
    assert_refused(run_cli("import-json", "--store", target, out), 7, "Attendance")
    assert file_hash(target) == before


def test_unknown_command_and_bad_arguments_are_usage_errors(filled_store):
    assert run_cli("fly").returncode == 2
    assert run_cli("demo", "--store", filled_store, "--learners", "many").returncode == 2


def test_every_error_has_its_own_exit_code():
    """Two errors sharing a code would make a script's `case $?` lie (16 was once taken twice).
    Shared on purpose, as the README says: 1 (the base, and `check` finding problems) and 2 (a
    usage error, or no store at the path)."""
    import inspect

    from vsm_desktop import errors
    from vsm_desktop.attachments import detect

    by_code: dict[int, set[str]] = {}
    for module in (errors, detect):
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, errors.VsmError) and "exit_code" in vars(cls):
                by_code.setdefault(cls.exit_code, set()).add(cls.__qualname__)
    shared = {code: names for code, names in by_code.items() if len(names) > 1}
    assert shared == {1: {"VsmError", "ProblemsFound"}, 2: {"UsageError", "StoreMissing"}}
