"""Sync in the application, driven through its real widgets offscreen against a real server on
127.0.0.1: enrolling through the dialog, the status line, background sync, editing and locking
while a sync runs, and a conflict resolved through the panel."""

from __future__ import annotations

import datetime as dt
import os
import re

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from vsm_desktop import i18n, settings  # noqa: E402
from vsm_desktop.app.sync_ui import last_sync_text  # noqa: E402
from vsm_desktop.store.check import check_store  # noqa: E402
from vsm_desktop.app.learner_list import COLUMNS  # noqa: E402
from vsm_desktop.store.store import Store  # noqa: E402
from vsm_desktop.sync.engine import SyncClient  # noqa: E402

from conftest import PASSPHRASE, add_learner  # noqa: E402
from sync_support import ThreadServer, device, free_port, sqlite_url  # noqa: E402
from test_app_shell import app_settings, make_app, unlock  # noqa: E402,F401
from test_sync_engine import server  # noqa: E402,F401


@pytest.fixture
def other(tmp_path, server):
    """Another person's device with one learner, already synced."""
    d = device(tmp_path, server, "bryn", "coordinator")
    add_learner(d.store, preferred_name="Siani")
    d.sync()
    yield d
    d.close()


def enrolled_store(tmp_path, server, username: str = "ana", name: str = "app") -> str:
    path = tmp_path / f"{name}.vsm"
    with Store.initialise(path, PASSPHRASE, author=username.title()) as store:
        SyncClient(store, timeout=20).enrol(server.url, server.user(username, "coordinator"))
    return path


def open_app(qtbot, make_app, app_settings, path):
    app_settings.language = "en"
    controller = make_app(app_settings, path)
    unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.window.pages.currentWidget() is controller.workspace, timeout=15000)
    return controller


def names(controller) -> list[str]:
    return sorted(row["preferred_name"] or "" for row in controller.learner_list.model.rows)


def shown(part) -> str:
    """The status line as read on screen (without its links' markup)."""
    return re.sub(r"<[^>]+>", "", part.label.text())


def idle(part) -> bool:
    return part.ready and not part.running


def click(qtbot, button) -> None:
    """As a person would: once the button is laid out on screen and can be pressed."""
    qtbot.waitUntil(lambda: button.isVisible() and button.isEnabled() and button.width() > 0, timeout=5000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_last_sync_text_says_the_time_today_and_the_date_before():
    now = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.timezone.utc)
    assert last_sync_text(None, now) == "Not synced yet"
    assert last_sync_text("2026-11-20T14:02:00+00:00", now) == "Synced 14:02"
    assert last_sync_text("2026-07-20T14:02:00+00:00", now.replace(month=7)) == "Synced 15:02"  # summer time
    assert last_sync_text("2026-11-03T09:00:00+00:00", now) == "Synced 3 Nov 2026"
    i18n.set_language("cy")
    assert last_sync_text("2026-11-03T09:00:00+00:00", now) != "Synced 3 Nov 2026"


def test_enrol_through_the_dialog_with_plain_answers_for_each_failure(qtbot, make_app, app_settings, server, other,
                                                                      tmp_path):
    path = tmp_path / "app.vsm"
    Store.initialise(path, PASSPHRASE, author="Ana").close()
    controller = open_app(qtbot, make_app, app_settings, path)
    part = controller.sync
    qtbot.waitUntil(lambda: part.ready, timeout=15000)
    assert "enrol this device" in shown(part)
    assert not part.sync_action.isEnabled()
    unsynced = COLUMNS.index("unsynced")
    assert controller.learner_list.table.isColumnHidden(unsynced), "no 'unsynced' column before enrolment"
    part.enrol_action.trigger()
    dialog = part.enrol_dialog
    assert dialog.isVisible()

    def attempt(url: str, code: str) -> str:
        dialog.server.setText(url)
        dialog.code.setText(code)
        click(qtbot, dialog.enrol_button)
        qtbot.waitUntil(lambda: not dialog._waiting, timeout=20000)
        return dialog.message.text() if dialog.message.isVisible() else ""

    assert "Cannot reach the server" in attempt(f"http://127.0.0.1:{free_port()}", "ABCD-EFGH")
    assert "not a server address" in attempt("ftp://example.org", "ABCD-EFGH")
    assert "Refusing plain http://" in attempt("http://example.org", "ABCD-EFGH")
    assert "already used or more than 24 hours old" in attempt(server.url, "ABCD-EFGH")
    assert "one-time code" in attempt(server.url, "  ")
    code = server.user("ana", "coordinator")
    attempt(server.url, code)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20000)
    qtbot.waitUntil(lambda: names(controller) == ["Siani"], timeout=20000)
    qtbot.waitUntil(lambda: idle(part) and "Synced" in shown(part), timeout=20000)
    assert part.timer.isActive()
    assert settings.load().sync_server == server.url
    qtbot.waitUntil(lambda: not controller.learner_list.table.isColumnHidden(unsynced), timeout=20000)
    # The code was used: enrolling again with it is refused in a sentence.
    part.enrol_action.trigger()
    assert "already used" in attempt(server.url, code)
    dialog.reject()


def test_enrolment_needs_the_authoritys_tls_ca_when_it_has_its_own(qtbot, make_app, app_settings, tmp_path):
    from cryptography.hazmat.primitives import serialization

    from test_server_security import _ca, _pem, _server_cert

    ca_key, ca_cert = _ca("Test Authority TLS CA")
    key, cert = _server_cert(ca_key, ca_cert)
    (tmp_path / "server.pem").write_text(_pem(cert))
    (tmp_path / "server.key").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                            serialization.PrivateFormat.PKCS8,
                                                            serialization.NoEncryption()))
    (tmp_path / "ca.pem").write_text(_pem(ca_cert))
    (tmp_path / "not-a-ca.txt").write_text("hello")
    server = ThreadServer(sqlite_url(tmp_path / "tls.db"), ssl_certfile=str(tmp_path / "server.pem"),
                          ssl_keyfile=str(tmp_path / "server.key"))
    try:
        path = tmp_path / "app.vsm"
        Store.initialise(path, PASSPHRASE, author="Ana").close()
        controller = open_app(qtbot, make_app, app_settings, path)
        part = controller.sync
        qtbot.waitUntil(lambda: part.ready, timeout=15000)
        part.show_enrol()
        dialog = part.enrol_dialog
        dialog.server.setText(server.url)
        dialog.code.setText(server.user("ana", "coordinator"))
        click(qtbot, dialog.enrol_button)
        qtbot.waitUntil(lambda: dialog.message.isVisible() and not dialog._waiting, timeout=20000)
        assert "choose its CA bundle file" in dialog.message.text()
        dialog.ca.setText(str(tmp_path / "not-a-ca.txt"))
        click(qtbot, dialog.enrol_button)
        assert "holds no PEM certificate" in dialog.message.text()
        dialog.ca.setText(str(tmp_path / "ca.pem"))
        click(qtbot, dialog.enrol_button)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20000)
        qtbot.waitUntil(lambda: idle(part) and "Synced" in shown(part), timeout=20000)
        assert settings.load().ca_bundle == str(tmp_path / "ca.pem")
        controller.close_requested()
    finally:
        server.stop()


def test_status_line_counts_changes_waiting_and_goes_quiet_offline(qtbot, make_app, app_settings, tmp_path):
    server = ThreadServer(sqlite_url(tmp_path / "server.db"))
    other = device(tmp_path, server, "bryn", "coordinator")
    learner = add_learner(other.store, preferred_name="Siani")
    other.sync()
    controller = open_app(qtbot, make_app, app_settings, enrolled_store(tmp_path, server))
    part = controller.sync
    try:
        qtbot.waitUntil(lambda: names(controller) == ["Siani"], timeout=20000)
        qtbot.waitUntil(lambda: idle(part) and "Synced" in shown(part), timeout=20000)
        assert "waiting" not in shown(part)
        controller.autosave.queue("learners", learner, "preferred_name", "Sioni")
        controller.autosave.queue("learners", learner, "first_language", "cy")
        controller.autosave.flush()
        qtbot.waitUntil(lambda: "2 changes waiting" in shown(part), timeout=10000)
    finally:
        server.stop()
    part.sync_action.trigger()
    qtbot.waitUntil(lambda: idle(part) and "Offline" in shown(part), timeout=30000)
    assert "2 changes waiting" in shown(part)
    assert "Cannot reach the server" in part.label.toolTip()
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    other.close()


def test_background_sync_picks_up_another_persons_change(qtbot, make_app, app_settings, server, other, tmp_path):
    app_settings.sync_minutes = 0.05  # every 3 seconds
    controller = open_app(qtbot, make_app, app_settings, enrolled_store(tmp_path, server))
    part = controller.sync
    qtbot.waitUntil(lambda: names(controller) == ["Siani"], timeout=20000)
    (learner,) = [row["id"] for row in controller.learner_list.model.rows]
    controller.show_learner(learner)
    qtbot.waitUntil(lambda: controller.learner_page.record is not None, timeout=10000)
    other.store.set_field("learners", learner, "preferred_name", "Siân Fach")
    other.sync()
    # No button pressed: the timer syncs, and the list and the open learner page show it.
    qtbot.waitUntil(lambda: names(controller) == ["Siân Fach"], timeout=30000)
    qtbot.waitUntil(lambda: controller.learner_page.record["learner"]["preferred_name"] == "Siân Fach",
                    timeout=10000)
    assert controller.workspace.currentWidget() is controller.learner_page
    assert idle(part) or part.running


def test_a_conflict_is_resolved_through_the_panel_and_the_choice_syncs(qtbot, make_app, app_settings, server, other,
                                                                       tmp_path):
    controller = open_app(qtbot, make_app, app_settings, enrolled_store(tmp_path, server))
    part = controller.sync
    qtbot.waitUntil(lambda: names(controller) == ["Siani"], timeout=20000)
    qtbot.waitUntil(lambda: idle(part), timeout=20000)
    (learner,) = [row["id"] for row in controller.learner_list.model.rows]
    # Ana edits in the app; Bryn edits the same field later, elsewhere, and syncs first.
    controller.autosave.queue("learners", learner, "preferred_name", "Sioni")
    controller.autosave.flush()
    qtbot.waitUntil(lambda: "1 change waiting" in shown(part), timeout=10000)
    other.store.set_field("learners", learner, "preferred_name", "Siôn")
    other.sync()
    part.sync_action.trigger()
    qtbot.waitUntil(lambda: idle(part) and "1 conflict to resolve" in shown(part), timeout=20000)
    qtbot.waitUntil(lambda: names(controller) == ["Siôn"], timeout=10000)  # the later edit wins meanwhile
    part.label.linkActivated.emit("conflicts")
    panel = part.conflicts_dialog
    qtbot.waitUntil(lambda: panel.isVisible() and panel.list.count() == 1, timeout=10000)
    assert "Preferred name" in panel.where.text() and "Edited in two places" in panel.title.text()
    assert panel.mine_value.text() == "Siôn" and "Bryn" in panel.mine_meta.text()
    assert panel.theirs_value.text() == "Sioni" and "Ana" in panel.theirs_meta.text()
    assert panel.edit.isVisible() and not panel.carry.isVisible()
    click(qtbot, panel.keep_theirs)
    qtbot.waitUntil(lambda: panel.list.count() == 0 and panel.empty.isVisible(), timeout=10000)
    qtbot.waitUntil(lambda: names(controller) == ["Sioni"], timeout=10000)
    # Resolving synced by itself: Bryn receives the choice and his conflict closes too.
    qtbot.waitUntil(lambda: idle(part) and "conflict" not in shown(part)
                    and "waiting" not in shown(part), timeout=20000)
    other.sync()
    assert other.store.get("learners", learner)["preferred_name"] == "Sioni"
    assert other.client.conflicts() == []


def test_a_merged_value_is_typed_in_the_panel(qtbot, make_app, app_settings, server, other, tmp_path):
    from conftest import add_review

    review = add_review(other.store, other.store.conn.execute("SELECT id FROM learners").fetchone()[0])
    other.sync()
    controller = open_app(qtbot, make_app, app_settings, enrolled_store(tmp_path, server))
    part = controller.sync
    qtbot.waitUntil(lambda: idle(part) and "Synced" in shown(part), timeout=20000)
    controller.autosave.queue("reviews", review, "voice_enjoy", "Pêl-droed")
    controller.autosave.flush()
    qtbot.waitUntil(lambda: "1 change waiting" in shown(part), timeout=10000)
    other.store.set_field("reviews", review, "voice_enjoy", "Nofio")
    other.sync()
    part.sync_now()
    qtbot.waitUntil(lambda: idle(part) and "1 conflict to resolve" in shown(part), timeout=20000)
    part.conflicts_action.trigger()
    panel = part.conflicts_dialog
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=10000)
    click(qtbot, panel.edit)
    assert panel.merged.toPlainText() == "Nofio\n\nPêl-droed"
    panel.merged.setPlainText("Nofio a phêl-droed")
    click(qtbot, panel.save_merged)
    qtbot.waitUntil(lambda: panel.list.count() == 0, timeout=10000)
    qtbot.waitUntil(lambda: idle(part) and "waiting" not in shown(part), timeout=20000)
    other.sync()
    assert other.store.get("reviews", review)["voice_enjoy"] == "Nofio a phêl-droed"


def test_editing_goes_on_while_a_slow_sync_runs(qtbot, make_app, app_settings, tmp_path):
    server = ThreadServer(sqlite_url(tmp_path / "slow.db"), fault="pull_delay:1.5")
    other = device(tmp_path, server, "bryn", "coordinator")
    learner = add_learner(other.store, preferred_name="Siani")
    other.sync()
    try:
        controller = open_app(qtbot, make_app, app_settings, enrolled_store(tmp_path, server))
        part = controller.sync
        qtbot.waitUntil(lambda: names(controller) == ["Siani"], timeout=20000)
        qtbot.waitUntil(lambda: idle(part), timeout=20000)
        part.sync_action.trigger()
        assert part.running
        # The progress bar and Cancel show once a sync lasts.
        qtbot.waitUntil(lambda: part.progress_bar.isVisible() and part.cancel_button.isVisible(), timeout=5000)
        with qtbot.waitSignal(controller.autosave.saved, timeout=5000):
            controller.autosave.queue("learners", learner, "preferred_name", "Sioni")
            controller.autosave.flush()
        assert part.running, "the edit was saved while the sync was still waiting for the server"
        qtbot.waitUntil(lambda: idle(part), timeout=20000)
        assert not part.progress_bar.isVisible()
        part.sync_action.trigger()
        qtbot.waitUntil(lambda: idle(part) and "waiting" not in shown(part), timeout=20000)
        other.sync()
        assert other.store.get("learners", learner)["preferred_name"] == "Sioni"
        controller.close_requested()
    finally:
        other.close()
        server.stop()


def test_locking_during_a_sync_cancels_it_keeps_what_arrived_and_closes_both_connections(
        qtbot, make_app, app_settings, tmp_path, monkeypatch):
    from vsm_desktop.sync import engine

    server = ThreadServer(sqlite_url(tmp_path / "slow.db"), fault="pull_delay:1")
    other = device(tmp_path, server, "bryn", "coordinator")
    add_learner(other.store, preferred_name="Siani")
    other.sync()
    path = enrolled_store(tmp_path, server)
    with Store.open(path, PASSPHRASE) as store:
        SyncClient(store).sync()
        before = SyncClient(store).status()
    for n in range(2, 6):
        add_learner(other.store, f"L00000{n}", preferred_name=f"Dysgwr {n}")
    other.sync()
    monkeypatch.setattr(engine, "PAGE", 1)  # a page per learner, each answered a second late: a long sync
    try:
        controller = open_app(qtbot, make_app, app_settings, path)
        part = controller.sync
        qtbot.waitUntil(lambda: part.running and part._phase[0] == "pull" and part._phase[1] > 0, timeout=20000)
        controller.lock()
        assert part.thread.isFinished() and not part.running and not part.ready
        qtbot.waitUntil(lambda: controller.window.pages.currentWidget() is controller.unlock_page, timeout=15000)
        assert shown(part) == "" and not part.progress_bar.isVisible()
        # Both connections are closed (the file opens anew and is consistent); the pages that had
        # arrived are kept, the rest comes at the next sync.
        with Store.open(path, PASSPHRASE) as store:
            assert check_store(store) == []
            status = SyncClient(store).status()
            assert status.cursor > before.cursor and status.last_success == before.last_success
            assert 1 < store.conn.execute("SELECT count(*) FROM learners").fetchone()[0] < 5
        unlock(qtbot, controller)
        qtbot.waitUntil(lambda: len(names(controller)) == 5, timeout=30000)
        qtbot.waitUntil(lambda: idle(part) and "Synced" in shown(part), timeout=30000)
        controller.close_requested()
        assert part.thread.isFinished()
    finally:
        other.close()
        server.stop()


def test_a_clock_far_off_is_told_once_and_sync_resumes_when_it_is_right(qtbot, make_app, app_settings, server,
                                                                         other, tmp_path, monkeypatch):
    from vsm_desktop.sync import transport

    path = enrolled_store(tmp_path, server)
    controller = open_app(qtbot, make_app, app_settings, path)
    part = controller.sync
    qtbot.waitUntil(lambda: idle(part) and "Synced" in shown(part), timeout=20000)
    right = transport.client_time_ms
    # This computer's clock cannot be moved in a test: the time the client sends stands for it.
    monkeypatch.setattr(transport, "client_time_ms", lambda: right() + 10 * 60 * 1000)
    part.sync_action.trigger()
    qtbot.waitUntil(lambda: idle(part) and "clock" in shown(part), timeout=20000)
    box = controller.window.findChild(QMessageBox, "syncNotice-clock")
    assert box is not None and box.isVisible() and "clock" in box.text()
    box.close()
    qtbot.waitUntil(lambda: controller.window.findChild(QMessageBox, "syncNotice-clock") is None, timeout=5000)
    part.sync_action.trigger()
    qtbot.waitUntil(lambda: idle(part), timeout=20000)
    assert controller.window.findChild(QMessageBox, "syncNotice-clock") is None, "said once, not at every sync"
    monkeypatch.setattr(transport, "client_time_ms", right)
    part.sync_action.trigger()
    qtbot.waitUntil(lambda: idle(part) and "Synced" in shown(part), timeout=20000)


def test_a_revoked_device_is_told_once_and_stops_syncing_by_itself(qtbot, make_app, app_settings, server, other,
                                                                    tmp_path):
    from vsm_server import service

    path = enrolled_store(tmp_path, server)
    controller = open_app(qtbot, make_app, app_settings, path)
    part = controller.sync
    qtbot.waitUntil(lambda: idle(part) and names(controller) == ["Siani"], timeout=20000)
    (learner,) = [row["id"] for row in controller.learner_list.model.rows]
    service.revoke(server.engine, controller.store.device_id)
    controller.autosave.queue("learners", learner, "preferred_name", "Unsent")
    controller.autosave.flush()
    qtbot.waitUntil(lambda: "1 change waiting" in shown(part), timeout=10000)
    part.sync_action.trigger()
    qtbot.waitUntil(lambda: idle(part) and "revoked" in shown(part), timeout=20000)
    assert "1 change waiting" in shown(part)
    assert not part.timer.isActive()
    box = controller.window.findChild(QMessageBox, "syncNotice-revoked")
    assert box is not None and box.isVisible() and "export" in box.text()
    box.close()


def test_a_change_held_by_a_finalisation_elsewhere_is_carried_into_the_next_review(qtbot, make_app, app_settings,
                                                                                   server, other, tmp_path):
    from conftest import add_review

    learner = other.store.conn.execute("SELECT id FROM learners").fetchone()[0]
    review = add_review(other.store, learner, meeting_date="2026-11-02")
    other.sync()
    controller = open_app(qtbot, make_app, app_settings, enrolled_store(tmp_path, server))
    part = controller.sync
    qtbot.waitUntil(lambda: idle(part) and "Synced" in shown(part), timeout=20000)
    controller.autosave.queue("reviews", review, "carer_views", "Mae'n setlo'n dda")
    controller.autosave.flush()
    qtbot.waitUntil(lambda: "1 change waiting" in shown(part), timeout=10000)
    other.store.finalise_review(review)
    other.sync()
    part.sync_now()
    qtbot.waitUntil(lambda: idle(part) and "1 conflict to resolve" in shown(part), timeout=20000)
    part.show_conflicts()
    panel = part.conflicts_dialog
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=10000)
    assert "the review was finalised" in panel.title.text()
    assert panel.theirs_value.text() == "Mae'n setlo'n dda"
    assert not panel.keep_mine.isVisible() and not panel.carry.isVisible() and panel.dismiss.isVisible()
    assert "start an amendment or the next review" in panel.error.text()
    # Ana starts the next review; the panel then offers it.
    nxt = []
    controller.worker.submit(lambda store: nxt.append(add_review(store, learner, period_start="2027-01-06",
                                                                 period_end="2027-04-01", due_date="2027-04-01")))
    qtbot.waitUntil(lambda: bool(nxt), timeout=10000)
    panel.load()
    qtbot.waitUntil(lambda: panel.drafts.count() == 1, timeout=10000)
    assert "1 Apr 2027" in panel.drafts.currentText()
    click(qtbot, panel.carry)
    qtbot.waitUntil(lambda: panel.list.count() == 0, timeout=10000)
    qtbot.waitUntil(lambda: idle(part) and "conflict" not in shown(part)
                    and "waiting" not in shown(part), timeout=20000)
    other.sync()
    assert other.store.get("reviews", nxt[0])["carer_views"] == "Mae'n setlo'n dda"
    assert other.store.get("reviews", review)["carer_views"] is None


def test_a_refused_change_is_shown_with_why_and_can_be_dismissed(qtbot, make_app, app_settings, server, other,
                                                                 tmp_path):
    learner = other.store.conn.execute("SELECT id FROM learners").fetchone()[0]
    path = tmp_path / "sw.vsm"
    with Store.initialise(path, PASSPHRASE, author="Sioned") as store:
        SyncClient(store, timeout=20).enrol(server.url, server.user("sioned", "social_worker"))
    server.assign("sioned", learner)
    controller = open_app(qtbot, make_app, app_settings, path)
    part = controller.sync
    qtbot.waitUntil(lambda: idle(part) and names(controller) == ["Siani"], timeout=20000)
    server.assign("sioned", learner, remove=True)
    controller.autosave.queue("learners", learner, "preferred_name", "Nope")
    controller.autosave.flush()
    qtbot.waitUntil(lambda: "1 change waiting" in shown(part), timeout=10000)
    part.sync_action.trigger()
    qtbot.waitUntil(lambda: idle(part) and "1 change refused" in shown(part), timeout=20000)
    assert "conflict" not in shown(part)
    qtbot.waitUntil(lambda: names(controller) == [], timeout=10000)  # no longer on her caseload
    part.label.linkActivated.emit("conflicts")
    panel = part.conflicts_dialog
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=10000)
    assert "Refused by the server" in panel.title.text()
    assert panel.reason.isVisible() and "not on your caseload" in panel.reason.text()
    assert "Preferred name" in panel.where.text()
    # What she typed is kept (the learner's record left the device): readable, and copied with a click.
    assert panel.theirs_value.text() == "Nope"
    assert panel.theirs_value.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    QApplication.clipboard().clear()
    click(qtbot, panel.copy)
    assert QApplication.clipboard().text() == "Nope"
    panel.grab().save(str(tmp_path / "refused.png"))
    click(qtbot, panel.dismiss)
    qtbot.waitUntil(lambda: panel.list.count() == 0, timeout=10000)
    qtbot.waitUntil(lambda: idle(part) and "refused" not in shown(part), timeout=20000)
