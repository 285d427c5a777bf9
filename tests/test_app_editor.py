"""The PEP review editor, meeting mode, sign-off and the finalise checklist, driven through their
widgets (pytest-qt, offscreen) over real encrypted stores and a real StoreWorker."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import base64
import datetime as dt
import re

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QDate, QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QInputDevice, QMouseEvent, QPointingDevice, QTabletEvent
from PySide6.QtTest import QAbstractItemModelTester, QTest
from PySide6.QtWidgets import (
    QAbstractButton, QApplication, QDateEdit, QLabel, QListWidget, QPushButton, QTableView,
)

from vsm_desktop import i18n
from vsm_desktop.app.autosave import Autosave
from vsm_desktop.app.finalise import FinaliseDialog
from vsm_desktop.app.meeting_mode import MeetingMode
from vsm_desktop.app.editor import LISTS, ReviewEditor, RowsModel
from vsm_desktop.app.signoff import SignaturePad
from vsm_desktop.app.worker import StoreWorker
from vsm_desktop.domain import lifecycle, model
from vsm_desktop.domain.calendar import default_calendar
from vsm_desktop.domain.sections import BY_KEY
from vsm_desktop.store.store import Store

from conftest import PASSPHRASE, REPO, add_learner, add_review

WAIT = 10_000


# --- fixtures ---------------------------------------------------------------------------

@pytest.fixture
def autosave(worker):
    return Autosave(worker)


@pytest.fixture
def editor(qtbot, worker, autosave):
    e = ReviewEditor(worker, autosave)
    qtbot.addWidget(e)
    e.resize(1366, 720)
    e.show()
    return e


def open_review(qtbot, editor: ReviewEditor, review_id: str) -> None:
    editor.open_review(review_id)
    qtbot.waitUntil(lambda: editor.ctx.data is not None and editor.review_id == review_id
                    and editor._loading_id is None, timeout=WAIT)


def settle(qtbot, editor) -> None:
    """Sends what the autosave holds and waits until the worker has committed it."""
    done = []
    editor.flush(lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT)


def shown(editor) -> list:
    """The sections the open review lists (its phase and circumstances), in order."""
    return [BY_KEY[key] for key in editor.section_keys()]


def draft(store, **values) -> tuple[str, str]:
    learner = add_learner(store, preferred_name="Sian", preferred_language="cy")
    return learner, add_review(store, learner, **values)


def complete(store, review_id: str, designated: str = "Ms Designated", **extra) -> None:
    """Everything finalise_problems asks for, through the store."""
    store.update("reviews", review_id, {
        "meeting_date": "2026-11-20", "meeting_language": "cy", "next_review_date": "2027-03-19",
        "attendance_pct": 96.0, "voice_good_at": "Darllen", "voice_good_at_lang": "cy", **extra})
    store.create("targets", {"review_id": review_id, "position": 0, "description": "Read every night",
                             "description_lang": "en", "responsible": "Carer"})
    store.create("attendees", {"review_id": review_id, "name": designated, "role": "designated_person",
                               "attendance": "present", "agreed": True})


def page(editor, key):
    return editor.show_section(key)


# --- the core: what finalising needs --------------------------------------------------------

def test_finalise_problems_lists_what_is_missing_then_nothing(store):
    _learner, rid = draft(store)
    record = store.learner_record(_learner)
    problems = lifecycle.finalise_problems(record, rid)
    fields = [(p.entity, p.field) for p in problems]
    assert fields == [
        ("reviews", "attendance_pct"), ("reviews", "voice_good_at"), ("targets", "description"),
        ("reviews", "meeting_date"), ("reviews", "meeting_language"), ("reviews", "next_review_date"),
        ("attendees", "name"), ("attendees", "role"),
    ]
    assert all(p.message for p in problems)
    complete(store, rid)
    assert lifecycle.finalise_problems(store.learner_record(_learner), rid) == []
    store.update("reviews", rid, {"next_review_date": "2026-11-01"})
    assert [p.field for p in lifecycle.finalise_problems(store.learner_record(_learner), rid)] == ["next_review_date"]


def test_next_review_values_follow_the_school_calendar(store):
    learner, rid = draft(store)
    complete(store, rid)
    review = store.get("reviews", rid)
    values = lifecycle.next_review_values(review)
    cal = default_calendar()
    term = cal.next_term(dt.date(2026, 12, 18))
    assert values["period_start"] == term.start.isoformat() and values["period_end"] == term.end.isoformat()
    assert values["due_date"] == cal.review_due(dt.date(2026, 11, 20)).isoformat()
    assert values["meeting_language"] == "cy" and values["review_type"] == "termly"


# --- table models ---------------------------------------------------------------------------

def test_every_table_model_passes_the_model_tester(qtbot, store):
    learner, rid = draft(store)
    complete(store, rid)
    record = store.learner_record(learner)
    from vsm_desktop.app.editor import ReviewData
    data = ReviewData(record, rid, store.all_rows("schools"))
    for entity, spec in LISTS.items():
        m = RowsModel(entity, spec["columns"])
        tester = QAbstractItemModelTester(m, QAbstractItemModelTester.FailureReportingMode.Fatal)
        rows = [dict({f.name: None for f in model.entity(entity).fields}, id=f"{entity}{i:028d}") for i in range(4)]
        m.set_rows(rows, data)
        assert m.rowCount() == 4 and m.columnCount() == len(spec["columns"])
        for r in range(4):
            for c in range(m.columnCount()):
                m.data(m.index(r, c))
        m.insert(dict(rows[0], id="x" * 32), 1)
        m.move(0, 1)
        m.move(3, 2)
        m.remove("x" * 32)
        m.changed(rows[0]["id"])
        m.retranslate()
        m.set_rows([], data)
        del tester


# --- the editor -------------------------------------------------------------------------------

def test_opens_on_the_worker_and_shows_the_header(qtbot, store, editor):
    _learner, rid = draft(store)
    with qtbot.waitSignal(editor.review_changed, timeout=WAIT) as signal:
        editor.open_review(rid)
    assert signal.args == [rid]
    assert editor.name_label.text() == "Sian Prosser"
    assert "Termly review" in editor.details_label.text() and "Draft" in editor.details_label.text()
    assert not editor.banner.isVisible()
    assert editor.section_keys() == list(store.section_plan(rid).keys)


def _value_for(entity, f):
    """A valid value for each field a person types, and how the store keeps it."""
    special = {"upn": "A123456789012", "phone": "01632 960123", "email": "someone@example.org",
               "attendance_pct": 94.5, "authorised_absence_pct": 3.0, "unauthorised_absence_pct": 2.5,
               "sdq_score": 12, "date_of_birth": "2012-03-04", "date_looked_after": "2024-05-06",
               "next_idp_review": "2027-01-15", "meeting_date": "2026-11-20", "next_review_date": "2027-03-19"}
    if f.name in special:
        return special[f.name]
    return {"text": f"Testun {f.name}", "str": f"Value {f.name}", "bool": True,
            "date": "2026-10-01", "enum": None}.get(f.kind)


def _type_into(qtbot, editor_widget, f, value):
    w = editor_widget.widget
    if f.kind in ("text", "str"):
        w.setFocus()
        w.selectAll()   # replaces what is there, as a person would
        qtbot.keyClicks(w, value)   # QTest types ASCII only; Welsh letters are inserted below
        if f.kind == "text":
            w.insertPlainText(" ŵŷ")
            value += " ŵŷ"
    elif f.kind == "enum":
        w.setCurrentIndex(w.count() - 1)
        return w.currentData()
    elif f.kind == "bool":
        w.setFocus()
        qtbot.keyClick(w, Qt.Key.Key_Space)
    elif f.kind == "date":
        w.setDate(QDate.fromString(value, "yyyy-MM-dd"))
    elif f.kind in ("pct", "decimal"):
        w.setValue(value)
    elif f.kind == "int":
        w.setValue(value)
    return value


SKIP_REVIEW_FIELDS = {"review_type", "period_start", "period_end", "due_date", "amendment_reason"}


def test_fill_a_whole_review_through_the_widgets(qtbot, store, store_path, editor):
    learner, rid = draft(store)
    store.create("schools", {"name": "Ysgol Gymraeg Aberystwyth"})
    open_review(qtbot, editor, rid)
    expected = {"learners": {}, "reviews": {}}
    for section in shown(editor):
        pg = page(editor, section.key)
        for form in pg.forms:
            ent = model.entity(form.entity)
            for name, ed in form.editors.items():
                if form.entity == "reviews" and name in SKIP_REVIEW_FIELDS:
                    continue
                if name in ("legal_status",):
                    continue
                f = ent.field(name)
                value = _value_for(form.entity, f)
                expected[form.entity][name] = _type_into(qtbot, ed, f, value)
                if f.kind == "text":
                    expected[form.entity][name + "_lang"] = ed.lang.currentData()
    # A row in every list of the review, through the Add dialog (a draft gets no quality rating:
    # that comes once it is finalised, see test_app_coordinator).
    added = {}
    for section in shown(editor):
        pg = page(editor, section.key)
        for entity, panel in pg.lists.items():
            if entity == "quality_ratings":
                assert not panel.add_button.isVisible()
                continue
            qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: panel.dialog is not None and panel.dialog.isVisible(), timeout=WAIT)
            dialog = panel.dialog
            for name, ed in dialog.editors.items():
                f = model.entity(entity).field(name)
                if f.kind in ("text", "str"):
                    qtbot.keyClicks(ed.widget, f"New {entity} {name}")
            if dialog.school is not None:
                dialog.school.setCurrentIndex(1)
            with qtbot.waitSignal(dialog.created, timeout=WAIT, raising=False) as created:
                qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
            assert created.signal_triggered, [e.text() for e in dialog.errors.values()] + [dialog.general_error.text()]
            added[entity] = created.args[0]["id"]
            assert panel.model.rowCount() == 1
    settle(qtbot, editor)
    with Store.open(store_path, PASSPHRASE) as check:
        stored_learner = check.get("learners", learner)
        stored_review = check.get("reviews", rid)
        for name, value in expected["learners"].items():
            assert stored_learner[name] == value, name
        for name, value in expected["reviews"].items():
            assert stored_review[name] == value, name
        for entity, record_id in added.items():
            assert check.get(entity, record_id) is not None, entity


def test_school_history_needs_a_school_from_the_chooser(qtbot, store, editor):
    learner, rid = draft(store)
    school = store.create("schools", {"name": "Ysgol y Wern"})
    other = store.create("schools", {"name": "Ysgol Llanfair"})
    open_review(qtbot, editor, rid)
    panel = page(editor, "history").lists["enrolments"]
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.dialog is not None, timeout=WAIT)
    dialog = panel.dialog
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)   # no school chosen: the core refuses
    qtbot.waitUntil(lambda: dialog.errors["school_id"].isVisible(), timeout=WAIT)
    assert "a value is required" in dialog.errors["school_id"].text()
    dialog.school.setCurrentIndex(dialog.school.findData(school))
    with qtbot.waitSignal(dialog.created, timeout=WAIT):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert panel.model.data(panel.model.index(0, 0)) == "Ysgol y Wern"
    form = panel.row_editor
    form.school.setCurrentIndex(form.school.findData(other))
    assert panel.model.data(panel.model.index(0, 0)) == "Ysgol Llanfair"
    settle(qtbot, editor)
    assert [e["school_id"] for e in store.children("enrolments", learner)] == [other]


def test_new_school_from_the_chooser(qtbot, store, editor):
    learner, rid = draft(store)
    store.create("schools", {"name": "Ysgol y Wern"})
    open_review(qtbot, editor, rid)
    panel = page(editor, "history").lists["enrolments"]
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.dialog is not None, timeout=WAIT)
    chooser = panel.dialog.school
    assert chooser.itemText(chooser.count() - 1) == "New school…"
    chooser.setCurrentIndex(chooser.count() - 1)
    assert chooser.currentIndex() == 0 and chooser.value() is None  # nothing chosen until it exists
    school_dialog = chooser.dialog
    assert school_dialog is not None and school_dialog.isVisible()
    qtbot.mouseClick(school_dialog.ok, Qt.MouseButton.LeftButton)  # no name: the core refuses
    qtbot.waitUntil(lambda: school_dialog.errors["name"].isVisible(), timeout=WAIT)
    qtbot.keyClicks(school_dialog.editors["name"].widget, "Ysgol Gyfun Llangefni")
    with qtbot.waitSignal(school_dialog.created, timeout=WAIT):
        qtbot.mouseClick(school_dialog.ok, Qt.MouseButton.LeftButton)
    [new] = [s for s in store.all_rows("schools") if s["name"] == "Ysgol Gyfun Llangefni"]
    assert chooser.value() == new["id"] and chooser.currentText() == "Ysgol Gyfun Llangefni"
    with qtbot.waitSignal(panel.dialog.created, timeout=WAIT):
        qtbot.mouseClick(panel.dialog.ok, Qt.MouseButton.LeftButton)
    assert [e["school_id"] for e in store.children("enrolments", learner)] == [new["id"]]
    # The new school is offered in the row's chooser too.
    assert panel.row_editor.school.findData(new["id"]) > 0


def test_a_refused_value_shows_the_core_message_under_the_field(qtbot, store, editor):
    _learner, rid = draft(store)
    open_review(qtbot, editor, rid)
    form = page(editor, "about").learner_form
    upn = form.editors["upn"].widget
    upn.setFocus()
    qtbot.keyClicks(upn, "not a upn")
    settle(qtbot, editor)
    qtbot.waitUntil(lambda: form.errors["upn"].isVisible(), timeout=WAIT)
    assert "is not in the expected format" in form.errors["upn"].text()
    assert "Not saved" in editor.saved_label.text()
    # A rule over two fields: attendance and absence over 100 %.
    review_form = page(editor, "attendance").review_form
    review_form.editors["attendance_pct"].widget.setValue(90)
    review_form.editors["authorised_absence_pct"].widget.setValue(8)
    settle(qtbot, editor)
    review_form.editors["unauthorised_absence_pct"].widget.setValue(7)
    settle(qtbot, editor)
    # The core names the field its rule is about (attendance), and the message shows there.
    qtbot.waitUntil(lambda: review_form.errors["attendance_pct"].isVisible(), timeout=WAIT)
    assert "more than 100" in review_form.errors["attendance_pct"].text()
    assert store.get("reviews", rid)["unauthorised_absence_pct"] is None
    review_form.editors["unauthorised_absence_pct"].widget.setValue(2)
    settle(qtbot, editor)
    assert store.get("reviews", rid)["unauthorised_absence_pct"] == 2.0
    assert "Saved" in editor.saved_label.text()


def test_targets_add_reorder_remove_and_carry_forward(qtbot, store, editor):
    learner, first = draft(store)
    complete(store, first)
    store.create("targets", {"review_id": first, "position": 1, "description": "Catch the bus to the shop and pay",
                             "description_lang": "en"})
    store.finalise_review(first)
    second = store.start_review(learner, lifecycle.next_review_values(store.get("reviews", first)))
    open_review(qtbot, editor, second)
    panel = page(editor, "targets").lists["targets"]
    assert panel.model.rowCount() == 2
    carried_col = LISTS["targets"]["columns"].index("_carried")
    assert panel.model.data(panel.model.index(0, carried_col)) == "Yes"
    panel.select(panel.model.rows[1]["id"])
    assert panel.row_editor.carried.isVisible()
    assert "Catch the bus to the shop and pay" in panel.row_editor.carried.text()
    progress = panel.row_editor.editors["progress"].widget
    assert progress.isVisibleTo(panel)
    progress.setCurrentIndex(progress.findData("achieved"))
    # A new target, then moved to the top.
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.dialog is not None, timeout=WAIT)
    qtbot.keyClicks(panel.dialog.editors["description"].widget, "Join one lunchtime club")
    with qtbot.waitSignal(panel.dialog.created, timeout=WAIT):
        qtbot.mouseClick(panel.dialog.ok, Qt.MouseButton.LeftButton)
    new_id = panel.current_row()["id"]
    assert not panel.row_editor.form.layout_.isRowVisible(panel.row_editor.form.labels["progress"])
    assert not panel.row_editor.carried.isVisible()
    qtbot.mouseClick(panel.up_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.up_button, Qt.MouseButton.LeftButton)
    assert panel.model.rows[0]["id"] == new_id and not panel.up_button.isEnabled()
    # Remove the first carried target, undo, remove again.
    panel.select(panel.model.rows[1]["id"])
    removed = panel.current_row()["id"]
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert panel.model.rowCount() == 2
    qtbot.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
    assert panel.model.rowCount() == 3 and panel.model.rows[1]["id"] == removed
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    settle(qtbot, editor)
    live = store.children("targets", second)
    assert [t["description"] for t in live] == ["Join one lunchtime club", "Catch the bus to the shop and pay"]
    assert [t["position"] for t in live] == [0, 2]
    assert live[1]["progress"] == "achieved" and live[1]["carried_from_id"]
    assert store.get("targets", removed)["deleted"] is True


def test_finalise_checklist_lists_what_is_missing_and_links_to_the_field(qtbot, store, editor):
    _learner, rid = draft(store)
    open_review(qtbot, editor, rid)
    qtbot.mouseClick(editor.finalise_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.finalise_dialog is not None and editor.finalise_dialog.isVisible(), timeout=WAIT)
    dialog = editor.finalise_dialog
    assert len(dialog.links) == 8
    assert "8 things to do" in dialog.heading.text()
    assert not dialog.finalise_button.isVisible()
    texts = [b.link_text() for b in dialog.links]
    assert any("Meeting and sign-off" in t and "date of the review meeting" in t for t in texts)
    link = next(b for b in dialog.links if "date of the review meeting" in b.link_text())
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    meeting = editor.stack.current_page()
    assert editor.stack.current_key() == "meeting" and editor.sections.currentRow() == editor.section_keys().index("meeting")
    assert editor.window().focusWidget() is meeting.review_form.editors["meeting_date"].widget
    # A list entry with nothing to select takes the user to the list's Add button.
    qtbot.mouseClick(editor.finalise_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.isVisible(), timeout=WAIT)
    link = next(b for b in dialog.links if "at least one target" in b.link_text())
    qtbot.keyClick(link, Qt.Key.Key_Space)
    assert editor.stack.current_key() == "targets"
    assert editor.window().focusWidget() is editor.stack.current_page().lists["targets"].add_button
    assert store.get("reviews", rid)["status"] == "draft"


def test_finalise_then_read_only_then_start_next_review_with_targets(qtbot, store, editor):
    learner, rid = draft(store)
    complete(store, rid)
    open_review(qtbot, editor, rid)
    qtbot.mouseClick(editor.finalise_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.finalise_dialog is not None and editor.finalise_dialog.isVisible(), timeout=WAIT)
    dialog = editor.finalise_dialog
    assert dialog.links == [] and dialog.finalise_button.isVisible()
    qtbot.mouseClick(dialog.finalise_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.banner.isVisible(), timeout=WAIT)
    assert store.get("reviews", rid)["status"] == "finalised"
    assert "read-only" in editor.banner_label.text()
    assert not editor.finalise_button.isVisible()
    about_me = page(editor, "about_me").review_form
    assert about_me.editors["voice_good_at"].widget.isReadOnly()
    assert not about_me.editors["voice_good_at"].lang.isEnabled()
    assert page(editor, "about").learner_form.editors["legal_surname"].widget.isReadOnly()
    targets = page(editor, "targets").lists["targets"]
    assert not targets.add_button.isEnabled() and not targets.remove_button.isEnabled()
    attendees = page(editor, "meeting").lists["attendees"]
    assert attendees.row_editor.pad._read_only
    assert page(editor, "quality").lists["quality_ratings"].add_button.isEnabled()  # rated afterwards
    # Start the next review: the next term, targets carried forward, opened as a draft.
    assert editor.next_button.text() == "Start next review"
    with qtbot.waitSignal(editor.review_changed, timeout=WAIT) as changed:
        qtbot.mouseClick(editor.next_button, Qt.MouseButton.LeftButton)
    new_id = changed.args[0]
    qtbot.waitUntil(lambda: editor.review_id == new_id and editor.ctx.data is not None, timeout=WAIT)
    new = store.get("reviews", new_id)
    assert new["status"] == "draft" and new["period_start"] > "2026-12-18"
    assert new["due_date"] == default_calendar().review_due(dt.date(2026, 11, 20)).isoformat()
    carried = store.children("targets", new_id)
    assert [t["description"] for t in carried] == ["Read every night"] and carried[0]["carried_from_id"]
    assert not editor.banner.isVisible() and editor.finalise_button.isVisible()


def test_amend_a_finalised_review_with_a_reason(qtbot, store, editor):
    learner, rid = draft(store)
    complete(store, rid)
    store.finalise_review(rid)
    open_review(qtbot, editor, rid)
    assert editor.amend_button.isVisible() and editor.amend_button.text() == "Amend…"
    qtbot.mouseClick(editor.amend_button, Qt.MouseButton.LeftButton)
    dialog = editor.amend_dialog
    assert dialog is not None and dialog.isVisible() and not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.text, "The attendance figure was for the wrong term")
    dialog.editor.lang.setCurrentIndex(dialog.editor.lang.findData("cy"))  # not the interface language
    with qtbot.waitSignal(editor.review_changed, timeout=WAIT) as changed:
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    amendment = changed.args[0]
    qtbot.waitUntil(lambda: editor.review_id == amendment and editor.ctx.data is not None, timeout=WAIT)
    new = store.get("reviews", amendment)
    assert (new["review_type"], new["amends_review_id"], new["status"]) == ("amendment", rid, "draft")
    assert (new["amendment_reason"], new["amendment_reason_lang"]) == ("The attendance figure was for the wrong term", "cy")
    assert not editor.banner.isVisible() and editor.finalise_button.isVisible()
    # Back on the finalised version, the button opens the amendment rather than making another.
    open_review(qtbot, editor, rid)
    assert editor.amend_button.text() == "Open the amendment"
    with qtbot.waitSignal(editor.review_changed, timeout=WAIT):
        qtbot.mouseClick(editor.amend_button, Qt.MouseButton.LeftButton)
    assert editor.review_id == amendment
    assert len([r for r in store.learner_record(learner)["reviews"] if r["review_type"] == "amendment"]) == 1


def test_a_refresh_after_sync_waits_while_the_user_types(qtbot, store, store_path, editor):
    learner, rid = draft(store)
    open_review(qtbot, editor, rid)
    strengths = page(editor, "progress").review_form.editors["strengths"].widget
    qtbot.keyClicks(strengths, "Reads aloud")
    # Another device's change arrives (here: another connection) while the user is typing.
    with Store.open(store_path, PASSPHRASE) as other:
        other.set_field("reviews", rid, "progress_summary", "From the other device")
    editor.refresh_from_store()
    qtbot.keyClicks(strengths, " with confidence")
    settle(qtbot, editor)
    qtbot.waitUntil(lambda: page(editor, "progress").review_form.editors["progress_summary"].widget.toPlainText()
                    == "From the other device", timeout=WAIT)
    assert strengths.toPlainText() == "Reads aloud with confidence"
    assert store.get("reviews", rid)["strengths"] == "Reads aloud with confidence"


def test_an_edit_made_while_a_sync_holds_the_store_is_saved_afterwards(qtbot, store, store_path, monkeypatch):
    from vsm_desktop.store import connection

    learner, rid = draft(store)
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 200)  # not 30 s: the test holds the lock on purpose
    worker = StoreWorker()
    worker.open(lambda: Store.open(store_path, PASSPHRASE))
    assert worker.wait_idle()
    autosave = Autosave(worker)
    failed, saved = [], []
    autosave.failed.connect(failed.append)
    autosave.saved.connect(saved.append)
    try:
        store.conn.execute("BEGIN IMMEDIATE")  # as a sync page being written on its own connection
        autosave.queue("reviews", rid, "strengths", "Kind to others")
        autosave.flush()
        qtbot.waitUntil(lambda: not autosave._in_flight, timeout=WAIT)
        assert autosave.has_pending() and not failed and not saved   # kept, to be sent again
        store.conn.execute("COMMIT")
        qtbot.waitUntil(lambda: bool(saved) and not autosave.has_pending(), timeout=WAIT)
        assert store.get("reviews", rid)["strengths"] == "Kind to others" and not failed
    finally:
        worker.shutdown()


def test_location_and_restore_return_to_the_same_field(qtbot, store, editor):
    _learner, rid = draft(store)
    complete(store, rid)
    open_review(qtbot, editor, rid)
    pg = page(editor, "about_me")
    pg.review_form.editors["voice_helps"].widget.setFocus()
    loc = editor.location()
    assert loc == {"review_id": rid, "section": "about_me", "entity": "reviews", "record_id": rid,
                   "field": "voice_helps"}
    targets = page(editor, "targets").lists["targets"]
    targets.row_editor.editors["support"].widget.setFocus()
    target_loc = editor.location()
    assert target_loc["entity"] == "targets" and target_loc["field"] == "support" and target_loc["record_id"]
    page(editor, "about")
    editor.sections.setFocus()
    editor.open_review(rid)        # as after an unlock: reload, then restore
    editor.restore(loc)
    qtbot.waitUntil(lambda: editor.stack.current_key() == "about_me", timeout=WAIT)
    assert editor.window().focusWidget() is editor.stack.current_page().review_form.editors["voice_helps"].widget
    editor.restore(target_loc)
    assert editor.window().focusWidget() is targets.row_editor.editors["support"].widget


# --- sign-off -----------------------------------------------------------------------------------

def test_signature_pad_draws_and_saves_a_png_with_the_time(qtbot, store, editor):
    _learner, rid = draft(store)
    complete(store, rid)
    open_review(qtbot, editor, rid)
    panel = page(editor, "meeting").lists["attendees"]
    signoff = panel.row_editor
    pad = signoff.pad
    editor.stack.ensure_visible(pad)
    assert pad.accessibleName() == "Signature of Ms Designated"
    assert pad.is_empty() and signoff.signed_label.text() == "Not signed"
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(20, 60))
    # QTest.mouseMove carries no button: send the moves of a drag as the system does.
    for x in range(30, 200, 10):
        ev = QMouseEvent(QEvent.Type.MouseMove, QPointF(x, 60 + (x % 40)), pad.mapToGlobal(QPointF(x, 60)),
                         Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(pad, ev)
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(200, 70))
    assert len(pad.strokes()) == 1 and pad.strokes()[0].elementCount() > 10
    settle(qtbot, editor)
    row = store.children("attendees", rid)[0]
    png = base64.b64decode(row["signature_png"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    signed = dt.datetime.fromisoformat(row["signed_at"])
    assert signed.tzinfo is not None and abs((dt.datetime.now(dt.timezone.utc) - signed).total_seconds()) < 60
    assert signoff.signed_label.text().startswith("Signed ")
    # Reopened, the signature is shown; Clear removes it from the store.
    editor.reload()
    qtbot.waitUntil(lambda: editor._loading_id is None, timeout=WAIT)
    assert not page(editor, "meeting").lists["attendees"].row_editor.pad.is_empty()
    qtbot.mouseClick(signoff.clear_button, Qt.MouseButton.LeftButton)
    settle(qtbot, editor)
    row = store.children("attendees", rid)[0]
    assert row["signature_png"] is None and row["signed_at"] is None


def test_signature_pad_takes_touch_and_pen(qtbot):
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(400, 150)
    pad.show()
    device = QTest.createTouchDevice()
    with qtbot.waitSignal(pad.stroke_finished, timeout=2000):
        QTest.touchEvent(pad, device).press(0, QPoint(20, 50), pad).commit()
        QTest.touchEvent(pad, device).move(0, QPoint(120, 80), pad).commit()
        QTest.touchEvent(pad, device).move(0, QPoint(220, 60), pad).commit()
        QTest.touchEvent(pad, device).release(0, QPoint(240, 60), pad).commit()
    assert base64.b64decode(pad.to_png_base64()).startswith(b"\x89PNG")
    pen = QPointingDevice("pen", 42, QInputDevice.DeviceType.Stylus, QPointingDevice.PointerType.Pen,
                          QInputDevice.Capability.Position | QInputDevice.Capability.Pressure, 1, 3)

    def tablet(kind, x, y, buttons):
        return QTabletEvent(kind, pen, QPointF(x, y), pad.mapToGlobal(QPointF(x, y)), 0.5, 0.0, 0.0, 0.0, 0.0, 0.0,
                            Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton, buttons)

    with qtbot.waitSignal(pad.stroke_finished, timeout=2000):
        QApplication.sendEvent(pad, tablet(QEvent.Type.TabletPress, 260, 40, Qt.MouseButton.LeftButton))
        QApplication.sendEvent(pad, tablet(QEvent.Type.TabletMove, 300, 70, Qt.MouseButton.LeftButton))
        QApplication.sendEvent(pad, tablet(QEvent.Type.TabletRelease, 330, 60, Qt.MouseButton.NoButton))
    assert len(pad.strokes()) == 2
    pad.setFocus()
    with qtbot.waitSignal(pad.cleared, timeout=2000):
        qtbot.keyClick(pad, Qt.Key.Key_Delete)
    assert pad.is_empty() and pad.to_png_base64() is None


# --- meeting mode ----------------------------------------------------------------------------

def test_meeting_mode_next_and_previous_by_keyboard(qtbot, store, worker, autosave):
    _learner, rid = draft(store)
    mode = MeetingMode(worker, autosave, rid, section="about")
    qtbot.addWidget(mode)
    mode.resize(1366, 768)
    mode.show()
    qtbot.waitUntil(lambda: mode.ctx.data is not None, timeout=WAIT)
    assert mode.current_section() == "about"
    mode.stack.setFocus()
    qtbot.keyClick(mode.stack, Qt.Key.Key_Right)
    assert mode.current_section() == "care"
    qtbot.keyClick(mode.stack, Qt.Key.Key_PageDown)
    assert mode.current_section() == "contacts"
    qtbot.keyClick(mode.stack, Qt.Key.Key_Left)
    qtbot.keyClick(mode.stack, Qt.Key.Key_PageUp)
    assert mode.current_section() == "about"
    assert f"Section 1 of {len(mode.shown)}" in mode.counter.text() and len(mode.shown) == 17 and not mode.previous_button.isEnabled()
    # In a text field Left and Right move the caret; Page Down still turns the page.
    name = mode.stack.current_page().learner_form.editors["preferred_name"].widget
    name.setFocus()
    qtbot.keyClick(name, Qt.Key.Key_Right)
    assert mode.current_section() == "about"
    qtbot.keyClick(name, Qt.Key.Key_PageDown)
    assert mode.current_section() == "care"
    qtbot.mouseClick(mode.next_button, Qt.MouseButton.LeftButton)
    assert mode.current_section() == "contacts"
    # Large type: the page's font is bigger than the application's.
    assert mode.stack.current_page().font().pointSizeF() > QApplication.font().pointSizeF() * 1.4
    # Edits in meeting mode are saved like any other.
    pg = mode.stack.show_section("about_me")
    text = pg.review_form.editors["voice_enjoy"].widget
    text.setFocus()
    qtbot.keyClicks(text, "Pel-droed")
    with qtbot.waitSignal(mode.closed, timeout=WAIT):
        qtbot.keyClick(text, Qt.Key.Key_Escape)
    worker.wait_idle()
    qtbot.waitUntil(lambda: store.get("reviews", rid)["voice_enjoy"] == "Pel-droed", timeout=WAIT)


# --- the whole review by keyboard --------------------------------------------------------

def _keys(qtbot, *keys):
    for key in keys:
        if QApplication.activeWindow() is None:   # a dialog has just closed
            qtbot.waitUntil(lambda: QApplication.activeWindow() is not None, timeout=WAIT)
        widget = QApplication.focusWidget()
        assert widget is not None, ("nothing has the keyboard focus", QApplication.activeWindow(),
                                    [w for w in QApplication.topLevelWidgets() if w.isVisible()])
        if isinstance(key, str):
            qtbot.keyClicks(widget, key)
        elif isinstance(key, tuple):
            qtbot.keyClick(widget, key[0], key[1])
        else:
            qtbot.keyClick(widget, key)
        QApplication.processEvents()


def _dialog(editor, entity):
    panel = editor.stack.current_page().lists[entity]
    return panel, panel.dialog


def test_complete_a_review_by_keyboard_alone(qtbot, store, editor):
    _learner, rid = draft(store)
    open_review(qtbot, editor, rid)
    K, CTRL = Qt.Key, Qt.KeyboardModifier.ControlModifier
    with qtbot.waitActive(editor):
        editor.activateWindow()
    editor.back_button.setFocus()
    _keys(qtbot, (K.Key_0, Qt.KeyboardModifier.AltModifier))           # Alt+0: the section list
    assert QApplication.focusWidget() is editor.sections
    _keys(qtbot, *[K.Key_Down] * 5, K.Key_Return)                       # 6. Attendance, into its first field
    assert editor.stack.current_key() == "attendance"
    _keys(qtbot, (K.Key_A, CTRL), "96")
    _keys(qtbot, (K.Key_PageDown, CTRL), (K.Key_PageDown, CTRL), (K.Key_PageDown, CTRL), (K.Key_PageDown, CTRL))
    assert editor.stack.current_key() == "about_me"
    _keys(qtbot, "Chwarae pel-droed")                                  # What I am good at
    _keys(qtbot, (K.Key_PageDown, CTRL), (K.Key_PageDown, CTRL), (K.Key_PageDown, CTRL))
    assert editor.stack.current_key() == "targets"
    _keys(qtbot, K.Key_Space)                                           # Add target…
    qtbot.waitUntil(lambda: _dialog(editor, "targets")[1] is not None, timeout=WAIT)
    panel, dialog = _dialog(editor, "targets")
    assert QApplication.focusWidget() is dialog.editors["description"].widget
    _keys(qtbot, "Dal y bws i'r siop a thalu")
    with qtbot.waitSignal(dialog.created, timeout=WAIT):
        _keys(qtbot, (K.Key_Return, CTRL))
    _keys(qtbot, *[(K.Key_PageDown, CTRL)] * 3)   # interventions, actions, meeting
    assert editor.stack.current_key() == "meeting"
    # review type, period from, period to, due date, meeting date
    _keys(qtbot, K.Key_Tab, K.Key_Tab, K.Key_Tab, K.Key_Tab)
    assert isinstance(QApplication.focusWidget(), QDateEdit)
    _keys(qtbot, "20112026", K.Key_Tab, "Ysgol y Wern", K.Key_Tab, "W", K.Key_Tab, "19032027")
    _keys(qtbot, K.Key_Tab)
    for _ in range(30):
        if isinstance(QApplication.focusWidget(), QPushButton):
            break
        _keys(qtbot, K.Key_Tab)
    assert QApplication.focusWidget().text() == "Add person…"
    _keys(qtbot, K.Key_Space)
    qtbot.waitUntil(lambda: _dialog(editor, "attendees")[1] is not None, timeout=WAIT)
    panel, dialog = _dialog(editor, "attendees")
    _keys(qtbot, K.Key_Tab, "Mrs Ellis", K.Key_Tab, "D")                # name; role: Designated person
    with qtbot.waitSignal(dialog.created, timeout=WAIT):
        _keys(qtbot, (K.Key_Return, CTRL))
    # Back to the header's Finalise… button, backwards through the focus chain.
    for _ in range(200):
        if QApplication.focusWidget() is editor.finalise_button:
            break
        _keys(qtbot, (K.Key_Backtab, Qt.KeyboardModifier.ShiftModifier))
    assert QApplication.focusWidget() is editor.finalise_button
    _keys(qtbot, K.Key_Space)
    qtbot.waitUntil(lambda: editor.finalise_dialog is not None and editor.finalise_dialog.isVisible(), timeout=WAIT)
    assert [b.link_text() for b in editor.finalise_dialog.links] == []
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor.finalise_dialog, timeout=WAIT)
    _keys(qtbot, K.Key_Return)                                          # the default button: Finalise
    qtbot.waitUntil(lambda: editor.banner.isVisible(), timeout=WAIT)
    review = store.get("reviews", rid)
    assert review["status"] == "finalised" and review["attendance_pct"] == 96.0
    assert review["voice_good_at"] == "Chwarae pel-droed" and review["voice_good_at_lang"] == "cy"
    assert review["meeting_date"] == "2026-11-20" and review["next_review_date"] == "2027-03-19"
    assert review["meeting_language"] == "cy" and review["meeting_place"] == "Ysgol y Wern"
    attendee = store.children("attendees", rid)[0]
    assert attendee["role"] == "designated_person" and attendee["attendance"] == "present"


# --- language ------------------------------------------------------------------------------------

class Stretched:
    """A pseudo-translation: every string marked and 30 % longer, to find what is not retranslated."""

    def gettext(self, message):
        return "⟦" + message + "·" * (len(message) // 3) + "⟧"

    def ngettext(self, singular, plural, n):
        return self.gettext(singular if n == 1 else plural)

    def pgettext(self, context, message):
        return self.gettext(message)


def _visible_texts(root):
    for w in root.findChildren(QAbstractButton):
        if w.isVisibleTo(root) and w.text():
            yield "button", w.text(), w
    for w in root.findChildren(QLabel):
        if w.isVisibleTo(root) and w.text() and w.objectName() not in ("learnerName", "carriedForward"):
            yield "label", w.text(), w
    for w in root.findChildren(QListWidget):
        for i in range(w.count()):
            yield "item", w.item(i).text(), w
    for w in root.findChildren(QTableView):
        m = w.model()
        for c in range(m.columnCount()):
            yield "header", m.headerData(c, Qt.Orientation.Horizontal), w


def _untranslated(root) -> list:
    left = []
    for kind, text, w in _visible_texts(root):
        if "⟦" in text or text in ("—", "") or re.fullmatch(r"[\d\s.:/%£,-]+", text):
            continue
        left.append((kind, text, type(w).__name__, w.objectName()))
    return left


def test_every_visible_string_follows_a_language_switch(qtbot, store, editor, worker, autosave, monkeypatch):
    learner, rid = draft(store)
    complete(store, rid)
    store.create("contacts", {"learner_id": learner, "role": "social_worker", "name": "Gwyn Jones"})
    open_review(qtbot, editor, rid)
    monkeypatch.setattr(i18n, "_translation", Stretched())
    editor.retranslate_ui()
    for section in shown(editor):
        editor.show_section(section.key)
        assert _untranslated(editor) == [], section.key
    # Pages built after the switch speak the new language too; so do the dialogs.
    mode = MeetingMode(worker, autosave, rid)
    qtbot.addWidget(mode)
    mode.show()
    qtbot.waitUntil(lambda: mode.ctx.data is not None, timeout=WAIT)
    for section in shown(editor)[:3]:
        mode.show_section(section.key)
        assert _untranslated(mode) == [], section.key
    dialog = FinaliseDialog()
    qtbot.addWidget(dialog)
    dialog.set_record(store.learner_record(learner), rid)
    dialog.show()
    assert _untranslated(dialog) == []
    store.update("reviews", rid, {"meeting_date": None})
    dialog.set_record(store.learner_record(learner), rid)
    assert [b.link_text() for b in dialog.links] and _untranslated(dialog) == []
    panel = editor.show_section("meeting").lists["attendees"]
    panel.add()
    qtbot.waitUntil(lambda: panel.dialog is not None and panel.dialog.isVisible(), timeout=WAIT)
    assert _untranslated(panel.dialog) == []
    panel.dialog.reject()


# --- sections by phase and circumstance -------------------------------------------------------

def test_the_section_list_follows_the_phase(qtbot, store, editor):
    nursery = add_learner(store, "L000010", date_of_birth="2022-11-02")
    early = add_review(store, nursery)
    open_review(qtbot, editor, early)
    keys = editor.section_keys()
    assert "development" in keys and "early_years" in keys and "progress" not in keys
    assert editor.phase_label.text() == "Phase: Early years"
    assert editor.sections.item(keys.index("development")).text().startswith(f"○ {keys.index('development') + 1}. ")
    older = add_learner(store, "L000011", date_of_birth="2009-10-20")
    post16 = add_review(store, older)
    open_review(qtbot, editor, post16)
    keys = editor.section_keys()
    assert {"course", "qualifications", "careers", "financial", "aspiration", "neet_risk", "neet"} <= set(keys)
    assert "progress" not in keys and "development" not in keys
    # A course recorded: "not in education, employment or training" goes; the page numbers follow.
    pg = page(editor, "course")
    ed = pg.review_form.editors["course_title"]
    _type_into(qtbot, ed, ed.field, "Plumbing level 2")
    settle(qtbot, editor)
    qtbot.waitUntil(lambda: "neet" not in editor.section_keys(), timeout=WAIT)
    assert pg.title.text() == f"{editor.section_keys().index('course') + 1}. Course or training"


def test_a_circumstance_brings_its_section_while_typing(qtbot, store, editor):
    _learner, rid = draft(store)
    open_review(qtbot, editor, rid)
    assert "alternative_provision" not in editor.section_keys()
    ed = page(editor, "attendance").review_form.editors["alternative_provision"]
    _type_into(qtbot, ed, ed.field, "Two days a week at a farm project")
    qtbot.waitUntil(lambda: "alternative_provision" in editor.section_keys(), timeout=WAIT)
    assert editor.stack.current_key() == "attendance"
    assert editor.sections.currentRow() == editor.section_keys().index("attendance")


def test_add_a_section_with_a_reason(qtbot, store, editor):
    _learner, rid = draft(store)   # year 8
    open_review(qtbot, editor, rid)
    assert "careers" not in editor.section_keys()
    qtbot.mouseClick(editor.add_section_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.add_section_dialog is not None and editor.add_section_dialog.isVisible(),
                    timeout=WAIT)
    dialog = editor.add_section_dialog
    dialog.choice.setCurrentIndex(dialog.choice.findData("careers"))
    assert not dialog.ok.isEnabled()   # no reason, no section
    dialog.text.setFocus()
    qtbot.keyClicks(dialog.text, "Careers Wales meets her early: she asked for it")
    assert dialog.ok.isEnabled()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "careers" in editor.section_keys() and editor.stack.current_key() == "careers",
                    timeout=WAIT)
    pg = editor.stack.current_page()
    assert pg.why.isVisible() and "she asked for it" in pg.why.text()
    assert store.section_plan(rid).why["careers"] == "added"


def test_meeting_mode_adds_a_section_with_a_reason(qtbot, store, worker, autosave):
    _learner, rid = draft(store)
    mode = MeetingMode(worker, autosave, rid)
    qtbot.addWidget(mode)
    mode.resize(1366, 768)
    mode.show()
    qtbot.waitUntil(lambda: mode.ctx.data is not None, timeout=WAIT)
    assert not mode.add_section_button.isVisible()
    mode.sections_button.setChecked(True)
    assert mode.add_section_button.isVisible()
    qtbot.mouseClick(mode.add_section_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: mode.add_section_dialog is not None and mode.add_section_dialog.isVisible(), timeout=WAIT)
    dialog = mode.add_section_dialog
    dialog.choice.setCurrentIndex(dialog.choice.findData("reduced_timetable"))
    dialog.text.setFocus()
    qtbot.keyClicks(dialog.text, "Phased return after a long illness")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: mode.current_section() == "reduced_timetable", timeout=WAIT)
    assert "reduced_timetable" in [s.key for s in mode.shown]
    assert f"of {len(mode.shown)}" in mode.counter.text()


# --- changing the phase -----------------------------------------------------------------------

def open_phase_dialog(qtbot, editor):
    editor.change_phase_button.setFocus()
    qtbot.keyClick(editor.change_phase_button, Qt.Key.Key_Space)     # reachable from the keyboard
    qtbot.waitUntil(lambda: editor.phase_dialog is not None and editor.phase_dialog.isVisible(), timeout=WAIT)
    return editor.phase_dialog


def test_change_the_phase_with_a_reason_then_back_to_the_date_of_birth(qtbot, store, editor):
    learner, rid = draft(store)   # year 8 in autumn 2026: school age
    store.set_field("reviews", rid, "strengths", "Reads aloud")     # progress holds data: it stays
    open_review(qtbot, editor, rid)
    assert "course" not in editor.section_keys() and "progress" in editor.section_keys()
    assert not editor.phase_note.isVisible()
    dialog = open_phase_dialog(qtbot, editor)
    assert "School age" in dialog.gives.text() and "4 May 2013" in dialog.gives.text()
    assert dialog.choices["auto"].isChecked() and dialog.choices["auto"].text() == "From the date of birth (School age)"
    dialog.choices["post16"].setChecked(True)
    dialog.text.setFocus()
    qtbot.keyClicks(dialog.text, "Attends college full time after a managed move")
    dialog.editor.lang.setCurrentIndex(dialog.editor.lang.findData("en"))
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "course" in editor.section_keys(), timeout=WAIT)
    assert editor.phase_dialog is None or not editor.phase_dialog.isVisible()
    keys = editor.section_keys()
    assert {"course", "qualifications", "careers", "aspiration"} <= set(keys) and "progress" in keys
    review = store.get("reviews", rid)
    assert (review["phase_override"], review["phase_override_reason"], review["phase_override_reason_lang"]) == (
        "post16", "Attends college full time after a managed move", "en")
    assert editor.phase_label.text() == "Phase: Post-16 (overridden)"
    assert editor.phase_note.isVisible() and "Attends college full time" in editor.phase_note.text()
    assert "School age" in editor.phase_note.text() and "Attends college" in editor.phase_label.toolTip()
    history = [c for c in store.audit(learner) if c["record_id"] == rid and c["field"] == "phase_override"]
    assert history and history[-1]["author"] == "Test Author" and history[-1]["value"] == "post16"
    # Back to the phase from the date of birth: no reason asked; the post-16 sections go.
    dialog = open_phase_dialog(qtbot, editor)
    assert dialog.choices["post16"].isChecked() and dialog.reason() == "Attends college full time after a managed move"
    dialog.choices["auto"].setChecked(True)
    assert not dialog.editor.isEnabled()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "course" not in editor.section_keys(), timeout=WAIT)
    review = store.get("reviews", rid)
    assert review["phase_override"] is None and review["phase_override_reason"] is None
    assert editor.phase_label.text() == "Phase: School age"
    assert not editor.phase_note.isVisible()


def test_change_phase_cancelled_or_without_a_reason_changes_nothing(qtbot, store, editor):
    learner, rid = draft(store)
    open_review(qtbot, editor, rid)
    before = len(store.audit(learner))
    keys = editor.section_keys()
    dialog = open_phase_dialog(qtbot, editor)
    dialog.choices["early_years"].setChecked(True)
    dialog.text.setFocus()
    qtbot.keyClicks(dialog.text, "   ")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    # Refused with a message; the dialog stays, with what was typed.
    assert dialog.isVisible() and dialog.message.isVisible() and "Say why" in dialog.message.text()
    assert dialog.text.toPlainText() == "   " and dialog.choices["early_years"].isChecked()
    qtbot.keyClicks(dialog.text, "Kept back a year")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: editor.phase_dialog is None, timeout=WAIT)
    editor.worker.wait_idle()
    assert len(store.audit(learner)) == before and store.get("reviews", rid)["phase_override"] is None
    assert editor.section_keys() == keys and editor.phase_label.text() == "Phase: School age"


def test_the_phase_of_a_finalised_review_cannot_change(qtbot, store, editor):
    _learner, rid = draft(store)
    complete(store, rid)
    store.finalise_review(rid)
    open_review(qtbot, editor, rid)
    assert not editor.change_phase_button.isEnabled()
    assert "finalised" in editor.change_phase_button.toolTip()
    editor.change_phase()
    assert editor.phase_dialog is None


def test_the_store_refusing_keeps_the_dialog_and_the_reason(qtbot, store, store_path, editor):
    _learner, rid = draft(store)
    open_review(qtbot, editor, rid)
    dialog = open_phase_dialog(qtbot, editor)
    # Finalised on another connection while the dialog is open: the store refuses.
    complete(store, rid)
    store.finalise_review(rid)
    dialog.choices["post16"].setChecked(True)
    dialog.text.setFocus()
    qtbot.keyClicks(dialog.text, "Attends college")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=WAIT)
    assert dialog.isVisible() and dialog.text.toPlainText() == "Attends college" and dialog.ok.isEnabled()
    assert store.get("reviews", rid)["phase_override"] is None
    dialog.reject()


def test_the_learner_page_shows_each_reviews_phase(qtbot, store, worker, autosave):
    from vsm_desktop.app.learner_page import LearnerPage

    learner, rid = draft(store)
    store.override_phase(rid, "post16", "Attends college full time")
    page_ = LearnerPage(worker, autosave)
    qtbot.addWidget(page_)
    page_.show_learner(learner)
    qtbot.waitUntil(lambda: page_.record is not None, timeout=WAIT)
    model_ = page_.reviews
    headers = [model_.headerData(i, Qt.Orientation.Horizontal) for i in range(model_.columnCount())]
    column = headers.index("Phase")
    assert model_.data(model_.index(0, column)) == "Post-16 (overridden)"
    store.override_phase(rid, None)
    page_.show_learner(learner)
    qtbot.waitUntil(lambda: model_.data(model_.index(0, column)) == "School age", timeout=WAIT)


def test_change_the_phase_by_keyboard_alone(qtbot, store, editor):
    from vsm_desktop.app.shortcuts import all_shortcuts

    nursery = add_learner(store, "L000012", date_of_birth="2022-06-10")   # reception in 2026/27
    rid = add_review(store, nursery)
    open_review(qtbot, editor, rid)
    assert "development" in editor.section_keys()
    K, CTRL_SHIFT = Qt.Key, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    with qtbot.waitActive(editor):
        editor.activateWindow()
    editor.sections.setFocus()
    _keys(qtbot, (K.Key_P, CTRL_SHIFT))
    qtbot.waitUntil(lambda: editor.phase_dialog is not None and editor.phase_dialog.isVisible(), timeout=WAIT)
    dialog = editor.phase_dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=WAIT)
    assert QApplication.focusWidget() is dialog.choices["auto"]
    _keys(qtbot, K.Key_Up, K.Key_Up)                                    # auto → post-16 → school age
    assert dialog.phase() == "school_age" and dialog.editor.isEnabled()
    _keys(qtbot, K.Key_Tab, "Kept back a year: learns with year 1", K.Key_Tab, K.Key_Tab)
    assert QApplication.focusWidget() is dialog.ok
    _keys(qtbot, K.Key_Space)
    qtbot.waitUntil(lambda: "progress" in editor.section_keys(), timeout=WAIT)
    review = store.get("reviews", rid)
    assert (review["phase_override"], review["phase_override_reason"]) == (
        "school_age", "Kept back a year: learns with year 1")
    assert ("Ctrl+Shift+P", "In a review: change its phase") in all_shortcuts(editor)


def test_the_editors_button_shortcuts_survive_their_texts(qtbot, store, editor):
    """setText gives a button its &-mnemonic as shortcut: Ctrl+K and Ctrl+M are set after it."""
    _learner, rid = draft(store)
    open_review(qtbot, editor, rid)
    editor.retranslate_ui()            # as a change of language does
    with qtbot.waitActive(editor):
        editor.activateWindow()
    editor.sections.setFocus()
    _keys(qtbot, (Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier))
    qtbot.waitUntil(lambda: editor.checklist_button.isChecked() and editor.checklist.isVisible(), timeout=WAIT)
    with qtbot.waitSignal(editor.meeting_mode_requested, timeout=WAIT):
        _keys(qtbot, (Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier))
