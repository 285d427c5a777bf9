"""File ▸ Change passphrase… through the real widgets: refused while another process has the store
open, then done through the application's own connection, which goes on saving edits."""

from __future__ import annotations

import os
import subprocess
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from vsm_desktop.store.store import Store, verify_passphrase  # noqa: E402

from conftest import PASSPHRASE, cli_env  # noqa: E402
from test_app_shell import app_settings, demo_store, make_app, store_copy, unlock, wait_for_list  # noqa: E402,F401

HOLDER = ("import os, sys; from vsm_desktop.store.store import Store; "
          "s = Store.open(sys.argv[1], os.environ['VSM_PASSPHRASE']); print('ready', flush=True); sys.stdin.read()")


def _hold_open(path):
    """Another program with the store open (as a second copy of the application would have it)."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=cli_env(VSM_PASSPHRASE=PASSPHRASE))
    assert holder.stdout.readline().strip() == "ready"
    return holder

NEW = "afon llwyd dros y bont"


def _fill(dialog, current, new, again=None):
    dialog.current.setText(current)
    dialog.new.setText(new)
    dialog.again.setText(again if again is not None else new)
    QTest.keyClick(dialog.again, Qt.Key.Key_Return)


def test_change_passphrase_from_the_file_menu(qtbot, make_app, app_settings, store_copy):
    app_settings.language = "en"
    controller = make_app(app_settings, store_copy)
    action = controller.passphrase.action
    assert not action.isEnabled(), "nothing to re-key before the store is unlocked"
    unlock(qtbot, controller)
    wait_for_list(qtbot, controller)
    assert action.isEnabled() and action in controller.window.form.child("menuFile").actions()

    dialog = controller.passphrase.show_dialog()
    _fill(dialog, PASSPHRASE, NEW, NEW + "x")
    assert dialog.message.isVisible() and "differ" in dialog.message.text()
    _fill(dialog, "not the right passphrase", NEW)
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled() and dialog.message.isVisible(), timeout=15000)
    assert "passphrase" in dialog.message.text().lower()
    assert verify_passphrase(store_copy, PASSPHRASE)

    # Another program has the store open: refused, the passphrase unchanged, the app still works.
    other = _hold_open(store_copy)
    try:
        _fill(dialog, PASSPHRASE, NEW)
        qtbot.waitUntil(lambda: dialog.buttons.isEnabled() and dialog.message.isVisible(), timeout=15000)
        assert "open in another program" in dialog.message.text()
    finally:
        other.kill()
        other.wait()
    assert verify_passphrase(store_copy, PASSPHRASE)

    _fill(dialog, PASSPHRASE, NEW)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20000)
    assert not verify_passphrase(store_copy, PASSPHRASE) and verify_passphrase(store_copy, NEW)
    # The open store goes on: an edit through the worker is committed into the re-keyed file.
    learner = controller.learner_list.model.rows[0]["id"]
    done = []
    controller.worker.submit(lambda store: store.set_field("learners", learner, "preferred_name", "Ar ôl"),
                             done.append, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10000)
    assert isinstance(done[0], str), done
    controller.close_requested()
    with Store.open(store_copy, NEW) as store:
        assert "Ar ôl" in [r["preferred_name"] for r in store.all_rows("learners")]
