"""The command line as a person uses it: prompts at a terminal, the default store folder,
listing, searching, showing."""

import json
import os
import pty
import re
import sys
import time

import pytest

from vsm_desktop.store.store import Store, verify_passphrase

from conftest import PASSPHRASE, REPO, add_learner, add_review, cli_env, run_cli


def run_in_terminal(args, answers, env, timeout=60):
    """Runs the command on a pseudo-terminal, typing each answer after its prompt appears."""
    pid, fd = pty.fork()
    if pid == 0:  # the child
        os.chdir(REPO)
        os.execve(sys.executable, [sys.executable, "-m", "vsm_desktop", *map(str, args)], env)
    output = b""
    deadline = time.monotonic() + timeout
    pending = list(answers)
    while time.monotonic() < deadline:
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
        if pending and output.rstrip().endswith(pending[0][0].encode()):
            os.write(fd, (pending.pop(0)[1] + "\n").encode())
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode(errors="replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pty is POSIX")
def test_init_asks_twice_at_a_terminal(tmp_path):
    path = tmp_path / "s.vsm"
    env = cli_env(VSM_PASSPHRASE="")
    code, out = run_in_terminal(["init", "--store", path], [("passphrase:", PASSPHRASE), ("again:", PASSPHRASE)], env)
    assert code == 0, out
    assert PASSPHRASE not in out, "the passphrase is never echoed"
    assert verify_passphrase(path, PASSPHRASE)


@pytest.mark.skipif(sys.platform == "win32", reason="pty is POSIX")
def test_init_refuses_two_different_passphrases(tmp_path):
    path = tmp_path / "s.vsm"
    env = cli_env(VSM_PASSPHRASE="")
    code, out = run_in_terminal(["init", "--store", path], [("passphrase:", PASSPHRASE), ("again:", PASSPHRASE + "x")], env)
    assert code == 7 and "differ" in out
    assert not path.exists()


def test_default_store_lives_in_the_user_data_folder(tmp_path):
    env = cli_env(XDG_DATA_HOME=str(tmp_path / "data"), HOME=str(tmp_path))
    assert run_cli("init", env=env).returncode == 0
    assert (tmp_path / "data" / "vsm-desktop" / "store.vsm").exists()
    assert run_cli("learners", env=env).returncode == 0


def test_passphrase_file(tmp_path, store_path):
    Store.initialise(store_path, PASSPHRASE).close()
    secret = tmp_path / "secret"
    secret.write_text(PASSPHRASE + "\n")
    result = run_cli("learners", "--store", store_path, "--passphrase-file", secret, env=cli_env(VSM_PASSPHRASE=""))
    assert result.returncode == 0, result.stderr


def test_list_search_and_show(store, store_path):
    school = store.create("schools", {"name": "Ysgol Gymraeg Bro Eirwg"})
    learner = add_learner(store, "L000007", legal_forename="Llŷr", legal_surname="Hughes", preferred_name="Llŷr")
    add_learner(store, "L000008", legal_forename="Amelia", legal_surname="Baker")
    store.create("enrolments", {"learner_id": learner, "school_id": school, "start_date": "2022-09-01"})
    store.create("contacts", {"learner_id": learner, "role": "social_worker", "name": "Aled Powell"})
    add_review(store, learner)
    store.close()

    listed = run_cli("learners", "--store", store_path)
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert lines[1].startswith("L000008") and lines[2].startswith("L000007"), "sorted by surname"
    found = json.loads(run_cli("learners", "--store", store_path, "--search", "LLYR", "--json").stdout)
    assert [r["reference"] for r in found] == ["L000007"] and found[0]["school"] == "Ysgol Gymraeg Bro Eirwg"
    shown = run_cli("show", "--store", store_path, "L000007")
    assert shown.returncode == 0
    assert "Aled Powell" in shown.stdout and "Termly review" in shown.stdout and "Ysgol Gymraeg Bro Eirwg" in shown.stdout
    as_json = json.loads(run_cli("show", "--store", store_path, learner[:10], "--json").stdout)
    assert as_json["learner"]["id"] == learner and len(as_json["reviews"]) == 1
    welsh = run_cli("show", "--store", store_path, "L000007", env=cli_env(VSM_LANG="cy"))
    assert "Adolygiad tymhorol" in welsh.stdout and "Gweithiwr cymdeithasol" in welsh.stdout
    assert run_cli("show", "--store", store_path, "L999999").returncode == 2
    history = run_cli("show", "--store", store_path, "L000007", "--history")
    assert history.returncode == 0
    assert "Test Author  Learner: created" in history.stdout and "Contact: created" in history.stdout
    assert history.stdout.strip().endswith("4 changes")
    welsh_history = run_cli("show", "--store", store_path, "L000007", "--history", env=cli_env(VSM_LANG="cy"))
    assert re.search(r"^\d\d/\d\d/\d{4} \d\d:\d\d ", welsh_history.stdout, re.MULTILINE)  # a full year, as in English
    assert welsh_history.stdout.strip().endswith("4 newid")


def test_check_passes_on_a_sound_store(store, store_path):
    add_review(store, add_learner(store))
    store.close()
    result = run_cli("check", "--store", store_path)
    assert result.returncode == 0 and "no problems found" in result.stdout


def test_check_finds_data_that_disagrees_with_its_change_log(store, store_path):
    learner = add_learner(store)
    # Someone edits the file behind the application's back: the log no longer explains the value.
    store.conn.execute("UPDATE learners SET legal_surname = 'Tampered' WHERE id = ?", (learner,))
    store.close()
    result = run_cli("check", "--store", store_path)
    assert result.returncode == 1
    assert "legal_surname differs from its change log" in result.stdout


def test_each_command_module_registers_the_commands_listed_for_it():
    """Running one command registers only its own module (cli.COMMAND_MODULES names what each adds)."""
    import argparse
    import importlib

    from vsm_desktop import cli

    def names(parser):
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        return list(sub.choices)

    everything = names(cli.build_parser())
    assert tuple(names(cli.build_parser("learners"))) == cli.CORE_COMMANDS
    for module, listed in cli.COMMAND_MODULES.items():
        registered = []
        importlib.import_module(module).register(lambda name, *a, **k: registered.append(name) or argparse.ArgumentParser())
        assert tuple(registered) == listed, module
        assert names(cli.build_parser(listed[0])) == [*cli.CORE_COMMANDS, *listed]
    assert names(cli.build_parser("no-such-command")) == everything == [
        *cli.CORE_COMMANDS, *(n for listed in cli.COMMAND_MODULES.values() for n in listed)]
    assert cli._command_from_argv(["--lang", "cy", "export-pdf", "--lang", "en"]) == "export-pdf"
    assert cli._command_from_argv(["--lang=en", "pack"]) == "pack"
    assert cli._command_from_argv(["--version"]) is None


def test_a_module_command_runs_without_importing_the_other_modules(store_path):
    """export-pdf does not load the sync client's HTTP stack; a mistyped command still lists them all."""
    result = run_cli("export-pdf", "--store", store_path, "--review", "ffffffffff", "--out", store_path.parent / "a.pdf",
                     "--lang", "en")
    assert result.returncode == 2
    code = ("import sys; from vsm_desktop import cli; cli.build_parser('export-pdf'); "
            "print(sorted(m for m in ('requests', 'vsm_desktop.sync.cli', 'vsm_desktop.reports.cli') if m in sys.modules))")
    import subprocess

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=cli_env(), cwd=REPO)
    assert out.stdout.strip() == "[]", out.stderr
    typo = run_cli("export-pfd")
    assert typo.returncode == 2 and "sync-status" in typo.stderr and "export-pdf" in typo.stderr
