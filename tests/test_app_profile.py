"""Who is who: the person's name and role, never the computer's login, through the real widgets,
the command line and the environment."""

from __future__ import annotations

import getpass
import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from vsm_desktop import profile  # noqa: E402
from vsm_desktop.errors import Refused  # noqa: E402
from vsm_desktop.store.store import Store  # noqa: E402

from conftest import PASSPHRASE, cli_env, run_cli  # noqa: E402
from test_app_shell import app_settings, demo_store, make_app, store_copy, unlock, wait_for_list  # noqa: E402,F401


def _old_store(path, author):
    """A store as made before profiles: an author (a login), no role."""
    with Store.initialise(path, PASSPHRASE, author=author) as store:
        store.conn.execute("DELETE FROM meta WHERE key = 'author_role'")
    return path


def test_store_keeps_name_and_role_and_refuses_a_blank_name(tmp_path):
    path = tmp_path / "s.vsm"
    with Store.initialise(path, PASSPHRASE, author="Catrin Ellis", role="designated_person") as store:
        assert not store.needs_profile
        with pytest.raises(Refused):
            store.set_profile("   ", "mentor")
        with pytest.raises(Refused):
            store.set_profile("Catrin Ellis", "root")
        store.set_profile("  Catrin   Ellis-Hughes ", "mentor")
    with Store.open(path, PASSPHRASE) as store:
        assert (store.author, store.role) == ("Catrin Ellis-Hughes", "mentor")


def test_init_takes_name_and_role_never_the_login(tmp_path):
    named = tmp_path / "named.vsm"
    result = run_cli("init", "--store", named, "--name", "Catrin Ellis", "--role", "designated_person")
    assert result.returncode == 0, result.stderr
    with Store.open(named, PASSPHRASE) as store:
        assert (store.author, store.role) == ("Catrin Ellis", "designated_person")

    scripted = tmp_path / "scripted.vsm"
    result = run_cli("init", "--store", scripted, env=cli_env(VSM_NAME="Rhodri Lewis", VSM_ROLE="social_worker"))
    assert result.returncode == 0, result.stderr
    with Store.open(scripted, PASSPHRASE) as store:
        assert (store.author, store.role) == ("Rhodri Lewis", "social_worker")

    anonymous = tmp_path / "anonymous.vsm"
    env = cli_env()
    env.pop("VSM_NAME", None)
    result = run_cli("init", "--store", anonymous, env=env)
    assert result.returncode == 0 and "ask for yours" in result.stdout
    with Store.open(anonymous, PASSPHRASE) as store:
        assert store.author != getpass.getuser() and store.needs_profile

    bad = run_cli("init", "--store", tmp_path / "bad.vsm", env=cli_env(VSM_NAME="X", VSM_ROLE="root"))
    assert bad.returncode == 7 and not (tmp_path / "bad.vsm").exists()

    changed = run_cli("profile", "--store", anonymous, "--name", "Catrin Ellis", "--role", "mentor")
    assert changed.returncode == 0 and "Catrin Ellis" in changed.stdout
    with Store.open(anonymous, PASSPHRASE) as store:
        assert (store.author, store.role) == ("Catrin Ellis", "mentor")


def test_old_store_asks_once_for_the_name_at_unlock(qtbot, make_app, app_settings, tmp_path):
    from vsm_desktop.app.profile_dialog import ProfileDialog

    path = _old_store(tmp_path / "old.vsm", "jsmith01")
    app_settings.language = "en"
    controller = make_app(app_settings, path)
    unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.store is not None, timeout=15000)
    qtbot.waitUntil(lambda: isinstance(getattr(controller, "profile_dialog", None), ProfileDialog)
                    and controller.profile_dialog.isVisible(), timeout=5000)
    dialog = controller.profile_dialog
    assert dialog.name.text() == "", "the login is not offered as a name"
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.name, "Catrin Ellis")
    dialog.role.setCurrentIndex(dialog.role.findData("designated_person"))
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    controller.worker.wait_idle()
    qtbot.waitUntil(lambda: controller.store.author == "Catrin Ellis", timeout=5000)
    controller.close_requested()
    with Store.open(path, PASSPHRASE) as store:
        assert not store.needs_profile and store.role == "designated_person"


def test_file_profile_changes_the_name_and_the_signing_certificate(qtbot, make_app, app_settings, store_copy):
    from vsm_desktop.pdf import signing

    app_settings.language = "en"
    controller = make_app(app_settings, store_copy)
    assert not controller.window.action("actionProfile").isEnabled(), "needs an unlocked store"
    unlock(qtbot, controller)
    wait_for_list(qtbot, controller)
    action = controller.window.action("actionProfile")
    assert action.isEnabled()
    names = []
    controller.worker.submit(lambda store: signing.signing_identity(store).signer_name, on_done=names.append)
    qtbot.waitUntil(lambda: bool(names), timeout=15000)
    assert names == ["Demo"]
    action.trigger()
    dialog = controller.profile_dialog
    assert dialog.name.text() == "Demo"
    dialog.name.setText("Meinir Probert")
    dialog.role.setCurrentIndex(dialog.role.findData("coordinator"))
    dialog.accept()
    controller.worker.wait_idle()
    qtbot.waitUntil(lambda: controller.store.author == "Meinir Probert", timeout=5000)
    names.clear()
    controller.worker.submit(lambda store: signing.signing_identity(store).signer_name, on_done=names.append)
    qtbot.waitUntil(lambda: bool(names), timeout=15000)
    assert names == ["Meinir Probert"], "the certificate's subject is the person's new name"
    qtbot.waitUntil(lambda: "Meinir Probert" in controller.coordinator.tasks_page.title.text(), timeout=5000)


def test_menus_that_need_a_store_are_disabled_until_unlocked(qtbot, make_app, app_settings, store_copy):
    app_settings.language = "en"
    controller = make_app(app_settings, store_copy)
    w = controller.window
    qtbot.waitUntil(lambda: QApplication.focusWidget() is controller.unlock_page.passphrase, timeout=5000)
    bar = {a.menu().objectName(): a for a in w.menuBar().actions() if a.menu() is not None}
    needing = [a for name, a in bar.items() if name not in ("menuFile", "menuLanguage", "menuHelp")]
    assert needing, "the sync, coordinator and dashboard menus are there"
    assert not any(a.isEnabled() for a in needing)
    assert not w.action("actionLock").isEnabled() and w.action("actionQuit").isEnabled()
    assert w.action("actionShortcuts").isEnabled()
    unlock(qtbot, controller)
    wait_for_list(qtbot, controller)
    assert all(a.isEnabled() for a in needing)
    w.action("actionLock").trigger()
    qtbot.waitUntil(lambda: w.pages.currentWidget() is controller.unlock_page, timeout=15000)
    assert not any(a.isEnabled() for a in needing)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is controller.unlock_page.passphrase, timeout=5000)


def test_keyboard_shortcuts_lists_every_menu_shortcut(qtbot, make_app, app_settings, store_copy):
    from PySide6.QtGui import QAction, QKeySequence

    app_settings.language = "en"
    controller = make_app(app_settings, store_copy)
    dialog = controller.show_shortcuts()
    listed = {dialog.table.item(i, 0).text() for i in range(dialog.table.rowCount())}
    for action in controller.window.findChildren(QAction):
        if not action.shortcut().isEmpty():
            assert action.shortcut().toString(QKeySequence.SequenceFormat.NativeText) in listed
    assert "Ctrl+F" in listed and "Ctrl+G" in listed


def test_enrolment_takes_the_role_from_the_authority_and_asks_for_the_person_in_the_csr(tmp_path):
    """A real server on 127.0.0.1. Its answer's `display_name` (added on the server's side)
    replaces the name when present; without it the name the person gave stays."""
    from sync_support import ThreadServer, device, sqlite_url

    server = ThreadServer(sqlite_url(tmp_path / "server.db"))
    try:
        d = device(tmp_path, server, "ana", "social_worker")
        try:
            assert d.store.role == "social_worker" and d.store.author in ("Ana", server_display_name(d))
            d.store.set_profile("Ana Roberts", "designated_person")
            assert profile.server_role("administrator") == "other"
        finally:
            d.close()
    finally:
        server.stop()


def server_display_name(d) -> str:
    row = d.store.conn.execute("SELECT value FROM meta WHERE key = 'author'").fetchone()
    return row[0]


def test_what_an_old_store_wrote_under_the_login_shows_the_persons_name(tmp_path):
    from conftest import add_learner, add_review

    path = _old_store(tmp_path / "old.vsm", "jsmith01")
    with Store.open(path, PASSPHRASE) as store:
        learner = add_learner(store)
        review = add_review(store, learner)
        assert {c["author"] for c in store.audit(learner)} == {"jsmith01"}
        store.set_profile("Catrin Ellis", "designated_person")
        assert {c["author"] for c in store.audit(learner)} == {"Catrin Ellis"}
    with Store.open(path, PASSPHRASE) as store:
        assert {c["author"] for c in store.audit(learner)} == {"Catrin Ellis"}
        assert store.person("someone else") == "someone else"


def test_enrolment_replaces_the_name_with_the_authoritys_display_name(tmp_path, monkeypatch):
    """The server's answer carries the user's display name (the server's side adds it to the
    protocol): a real server on 127.0.0.1, its answer given a display name on the way."""
    from sync_support import ThreadServer, sqlite_url

    from vsm_desktop.sync import engine, protocol
    from vsm_desktop.sync.engine import SyncClient
    from vsm_desktop.sync.transport import Transport

    class Named(Transport):
        def post(self, path, body, *a, **kw):
            answer = super().post(path, body, *a, **kw)
            if path == "/v1/enrol":
                answer = dict(answer, display_name="Ana Roberts")
            return answer

    original = protocol.check_enrol_response

    def tolerant(answer, device_id):
        rest = {k: v for k, v in answer.items() if k != "display_name"}
        return dict(original(rest, device_id), **({"display_name": answer["display_name"]}
                                                    if "display_name" in answer else {}))
    monkeypatch.setattr(engine.P, "check_enrol_response", tolerant)
    server = ThreadServer(sqlite_url(tmp_path / "server.db"))
    try:
        with Store.open(_old_store(tmp_path / "a.vsm", "jsmith01"), PASSPHRASE) as store:
            assert store.needs_profile
            client = SyncClient(store, timeout=20, transport_factory=Named)
            client.enrol(server.url, server.user("ana", "mentor", None))
            assert (store.author, store.role) == ("Ana Roberts", "mentor")
    finally:
        server.stop()
