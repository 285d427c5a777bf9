"""The review meeting through the real widgets: typing through a section with Tab (no hidden
tab stop), progress marks and the checklist panel, the language default for free text,
finalising with empty sections, a finalised review that looks read-only, and meeting mode
opening where the editor is with a jump list."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QScrollArea  # noqa: E402

from vsm_desktop import i18n  # noqa: E402
from vsm_desktop.app.meeting_mode import MeetingMode  # noqa: E402
from vsm_desktop.domain.progress import ATTENTION, COMPLETE, EMPTY, PARTIAL, section_progress  # noqa: E402

from conftest import add_learner, add_review  # noqa: E402
from test_app_editor import WAIT, _keys, complete, draft, editor, open_review, settle, autosave  # noqa: E402,F401


def test_tab_through_attendance_types_each_value_into_its_own_field(qtbot, store, editor):
    _learner, rid = draft(store)
    open_review(qtbot, editor, rid)
    with qtbot.waitActive(editor):
        editor.activateWindow()
    editor.show_section("attendance")
    editor.sections.setFocus()
    K = Qt.Key
    _keys(qtbot, K.Key_Tab, "93.4", K.Key_Tab, "2.6", K.Key_Tab, "4.0")
    settle(qtbot, editor)
    review = store.get("reviews", rid)
    assert (review["attendance_pct"], review["authorised_absence_pct"], review["unauthorised_absence_pct"]) \
        == (93.4, 2.6, 4.0)
    for area in editor.findChildren(QAbstractScrollArea):
        if type(area) is QScrollArea:
            assert area.focusPolicy() == Qt.FocusPolicy.NoFocus, area.objectName()


def test_sections_show_progress_marks_and_the_checklist_panel_links_to_fields(qtbot, store, editor):
    _learner, rid = draft(store)
    open_review(qtbot, editor, rid)
    progress = {p.key: p for p in editor.progress}
    assert progress["attendance"].state == ATTENTION and progress["about"].state in (PARTIAL, COMPLETE)
    assert progress["leisure"].state == EMPTY
    assert editor.sections.item(11).text().startswith("○ 12.")
    start = editor.progress_bar.value()
    editor.show_section("leisure")
    widget = editor.stack.current_page().review_form.editors["leisure_interests"].widget
    widget.setFocus()
    qtbot.keyClicks(widget, "Pel-droed a nofio")
    qtbot.waitUntil(lambda: editor.sections.item(11).text().startswith("✓ 12."), timeout=WAIT)
    assert editor.progress_bar.value() == start + 1
    assert "Complete" in editor.sections.item(11).toolTip()

    qtbot.mouseClick(editor.checklist_button, Qt.MouseButton.LeftButton)
    assert editor.checklist.isVisible() and editor.checklist.links
    link = next(b for b in editor.checklist.links if "attendance" in b.link_text())
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    assert editor.stack.current_key() == "attendance"
    assert QApplication.focusWidget() is editor.stack.current_page().review_form.editors["attendance_pct"].widget


def test_finalising_with_empty_sections_warns_and_names_them(qtbot, store, editor):
    _learner, rid = draft(store)
    complete(store, rid)
    open_review(qtbot, editor, rid)
    qtbot.mouseClick(editor.finalise_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.finalise_dialog is not None and editor.finalise_dialog.isVisible(), timeout=WAIT)
    dialog = editor.finalise_dialog
    assert dialog.finalise_button.isVisible(), "a warning, not a refusal"
    assert dialog.empty_warning.isVisible()
    text = dialog.empty_warning.text()
    assert "12. Leisure interests" in text and "15. Actions" in text and "Transition" not in text and "6. Attendance" not in text
    qtbot.mouseClick(dialog.finalise_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.banner.isVisible(), timeout=WAIT)
    # Finalised: text fields look read-only too, not only the combos.
    editor.show_section("about_me")
    text_edit = editor.stack.current_page().review_form.editors["voice_good_at"].widget
    assert text_edit.isReadOnly() and "palette(window)" in text_edit.styleSheet()


def test_language_default_meeting_then_learner_then_interface_and_welsh_sticks(qtbot, store, editor):
    english_learner = add_learner(store, "L000002", preferred_language="en")
    rid = add_review(store, english_learner)
    open_review(qtbot, editor, rid)
    i18n.set_language("en")
    lang_of = lambda key, field: editor.show_section(key).review_form.editors[field].lang.currentData()  # noqa: E731
    assert lang_of("progress", "strengths") == "en"            # the learner's preferred language
    # Welsh chosen once: the default for the rest of this review.
    editor.show_section("about_me").review_form.editors["voice_enjoy"].lang.setCurrentIndex(
        editor.show_section("about_me").review_form.editors["voice_enjoy"].lang.findData("cy"))
    assert lang_of("progress", "strengths") == "cy"
    assert lang_of("views", "carer_views") == "cy"

    welsh_meeting = add_review(store, add_learner(store, "L000003", preferred_language="en"),
                               meeting_language="cy")
    open_review(qtbot, editor, welsh_meeting)
    assert lang_of("about_me", "voice_worries") == "cy", "the meeting's language first"

    unknown = add_review(store, add_learner(store, "L000004"))
    open_review(qtbot, editor, unknown)
    assert lang_of("transition", "transition") == "en", "the interface language last"


def test_meeting_mode_opens_at_the_editors_section_and_jumps(qtbot, store, editor, worker, autosave):
    _learner, rid = draft(store)
    open_review(qtbot, editor, rid)
    editor.show_section("targets")
    mode = MeetingMode(worker, autosave, rid, section=editor.stack.current_key())
    qtbot.addWidget(mode)
    mode.resize(1366, 768)
    mode.show()
    qtbot.waitUntil(lambda: mode.ctx.data is not None, timeout=WAIT)
    assert mode.current_section() == "targets"
    with qtbot.waitActive(mode):
        mode.activateWindow()
    mode.stack.setFocus()
    qtbot.keyClick(mode.stack, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert mode.jump.isVisible() and QApplication.focusWidget() is mode.jump
    qtbot.keyClick(mode.jump, Qt.Key.Key_Up)
    qtbot.keyClick(mode.jump, Qt.Key.Key_Return)
    assert mode.current_section() == "leisure"
    mode.stack.setFocus()
    qtbot.keyClicks(mode.stack, "6")
    qtbot.waitUntil(lambda: mode.current_section() == "attendance", timeout=WAIT)
    qtbot.keyClicks(mode.stack, "16")   # no transition: section 16 of 17
    qtbot.waitUntil(lambda: mode.current_section() == "meeting", timeout=WAIT)
    assert mode.progress_bar.maximum() > 1 and mode.jump.item(5).text().startswith("⚠ 6.")
    qtbot.keyClick(mode.stack, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert mode.checklist.isVisible() and mode.checklist.links
    mode.close()


def test_progress_counts_lists_and_fields(store):
    _learner, rid = draft(store)
    before = {p.key: p for p in section_progress(store.learner_record(_learner), rid)}
    complete(store, rid)
    after = {p.key: p for p in section_progress(store.learner_record(_learner), rid)}
    assert before["targets"].filled == 0 and after["targets"].filled == 1 == after["targets"].total
    assert after["targets"].state == COMPLETE and before["targets"].state == ATTENTION
    assert after["quality"].attention == 0
