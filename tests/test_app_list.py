"""The learner list tells the truth: after a review is finalised or rated in the editor, the row
is right as soon as the list shows again; the pack dialog says what a selection means; Down and
Enter from the search box open a learner. Through the real widgets and a real store."""

from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from vsm_desktop.app.learner_list import COLUMNS, ID_ROLE  # noqa: E402
from vsm_desktop.i18n import _  # noqa: E402
from vsm_desktop.store.store import Store  # noqa: E402

from conftest import PASSPHRASE, add_learner, add_review  # noqa: E402
from test_app_editor import complete  # noqa: E402
from test_app_shell import app_settings, make_app, unlock  # noqa: E402,F401

WAIT = 15_000
TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def overdue_store(tmp_path):
    """Ten learners; one (Llŷr) has an overdue draft that is complete and ready to finalise."""
    path = tmp_path / "list.vsm"
    with Store.initialise(path, PASSPHRASE, author="Catrin Ellis", role="designated_person") as store:
        school = store.create("schools", {"name": "Ysgol Maes Hir", "medium": "welsh_medium", "kind": "primary"})
        ids = {}
        for i, (fore, sur) in enumerate([("Llŷr", "Harries"), ("Ffion", "Harries"), ("Elan", "Jones"),
                                         ("Osian", "Khan"), ("Celt", "Llwyd"), ("Arwel", "Phillips"),
                                         ("Elis", "Pugh"), ("Llio", "Roberts"), ("Gwenno", "Watkins"),
                                         ("Archie", "Bowen")]):
            lid = add_learner(store, f"L{i + 1:06d}", legal_forename=fore, legal_surname=sur)
            store.create("enrolments", {"learner_id": lid, "school_id": school, "start_date": "2024-09-01"})
            ids[fore] = lid
        rid = add_review(store, ids["Llŷr"], period_start="2026-04-01", period_end="2026-07-17",
                         due_date="2026-07-17")
        complete(store, rid)
    return path, ids, rid


def _row(page, learner_id):
    model = page.model
    for n, row in enumerate(model.rows):
        if row["id"] == learner_id:
            return {c: model.data(model.index(n, i)) for i, c in enumerate(COLUMNS)}
    raise KeyError(learner_id)


def _open(qtbot, make_app, app_settings, path):
    app_settings.language = "en"
    controller = make_app(app_settings, path)
    controller.learner_list.clock = lambda: TODAY
    unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.learner_list.model.rowCount() == 10, timeout=WAIT)
    return controller


def test_row_is_right_after_finalise_and_rating_in_the_editor(qtbot, make_app, app_settings, overdue_store):
    path, ids, rid = overdue_store
    controller = _open(qtbot, make_app, app_settings, path)
    page = controller.learner_list
    before = _row(page, ids["Llŷr"])
    assert before["next_due"].startswith("⚠ Overdue") and before["last_review"] == "—"

    controller.show_learner(ids["Llŷr"])
    controller.show_review(rid)
    editor = controller.editor
    qtbot.waitUntil(lambda: editor.ctx.data is not None and editor.review_id == rid, timeout=WAIT)
    qtbot.mouseClick(editor.finalise_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.finalise_dialog is not None and editor.finalise_dialog.isVisible(), timeout=WAIT)
    qtbot.mouseClick(editor.finalise_dialog.finalise_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.banner.isVisible(), timeout=WAIT)
    assert "Catrin Ellis" in editor.banner_label.text(), "finalised by the person, not a login"

    controller.go_back()          # the learner
    controller.go_back()          # the list
    assert controller.workspace.currentWidget() is page
    qtbot.waitUntil(lambda: not _row(page, ids["Llŷr"])["next_due"].startswith("⚠"), timeout=WAIT)
    after = _row(page, ids["Llŷr"])
    assert after["last_review"] == "20 Nov 2026" and after["next_due"] == "19 Mar 2027", after

    # Rated in the editor: the Quality column follows.
    controller.show_review(rid)
    qtbot.waitUntil(lambda: editor.ctx.data is not None and editor.ctx.data.finalised, timeout=WAIT)
    dock = editor.rating_panel.rate()   # the QA panel beside the PEP
    form = dock.form
    form.buttons["green"].setChecked(True)
    form.feedback.setPlainText("Clear, child-centred targets.")
    qtbot.mouseClick(form.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.done_label.isVisible(), timeout=WAIT)
    controller.show_list()
    qtbot.waitUntil(lambda: _row(page, ids["Llŷr"])["rating"] == "Green", timeout=WAIT)
    with Store.open(path, PASSPHRASE) as store:
        ratings = store.children("quality_ratings", rid)
    assert ratings[0]["rated_by"] == "Catrin Ellis"


def test_pack_dialog_says_the_selection_and_offers_all_shown(qtbot, make_app, app_settings, overdue_store):
    path, ids, _rid = overdue_store
    controller = _open(qtbot, make_app, app_settings, path)
    page = controller.learner_list
    page.table.selectRow(0)
    dialog = page.pack.ask()
    assert dialog.selection_note.isVisible() and "1 of the 10" in dialog.selection_note.text()
    assert dialog.all_button.isVisible() and "10" in dialog.all_button.text()
    started = []
    page.pack.start = lambda flt, options: started.append(flt)
    qtbot.mouseClick(dialog.all_button, Qt.MouseButton.LeftButton)
    assert not dialog.selection_note.isVisible() and "10" in dialog.summary.text()
    dialog.file.edit.setText(str(path.parent / "pack.pdf"))
    dialog._accept()
    assert len(started[0].learners) == 10

    # A selection made before a new search does not survive it.
    page.table.selectRow(0)
    page.search.setText("Harries")
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 2, timeout=WAIT)
    assert page.table.selectionModel().selectedRows() == []
    dialog = page.pack.ask()
    assert not dialog.selection_note.isVisible() and "2 learners the list shows" in dialog.summary.text()
    dialog.reject()


def test_ctrl_f_down_and_enter_open_a_learner(qtbot, make_app, app_settings, overdue_store):
    path, ids, _rid = overdue_store
    controller = _open(qtbot, make_app, app_settings, path)
    page = controller.learner_list
    with qtbot.waitActive(controller.window):
        controller.window.activateWindow()
    page.table.setFocus()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is page.search
    QTest.keyClicks(page.search, "Harries")
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 2, timeout=WAIT)
    QTest.keyClick(page.search, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is page.table
    QTest.keyClick(page.table, Qt.Key.Key_Down)
    chosen = page.proxy.data(page.table.currentIndex(), ID_ROLE)
    QTest.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.workspace.currentWidget() is controller.learner_page, timeout=WAIT)
    assert controller.learner_page.learner_id == chosen


def test_meeting_mode_from_the_app_opens_at_the_editors_section_and_returns_there(
        qtbot, make_app, app_settings, overdue_store):
    path, ids, rid = overdue_store
    controller = _open(qtbot, make_app, app_settings, path)
    controller.show_review(rid)
    editor = controller.editor
    qtbot.waitUntil(lambda: editor.ctx.data is not None and editor.review_id == rid, timeout=WAIT)
    editor.show_section("targets")
    qtbot.mouseClick(editor.meeting_button, Qt.MouseButton.LeftButton)
    view = controller.meeting_view
    qtbot.waitUntil(lambda: view.ctx.data is not None, timeout=WAIT)
    assert view.current_section() == "targets" and view.isVisible()
    view.next()
    view.close()
    qtbot.waitUntil(lambda: editor.stack.current_key() == "interventions" and editor._loading_id is None,
                    timeout=WAIT)


def test_list_cells_follow_the_language_and_answer_only_their_roles(store):
    """The list's dates are formatted once per date and language (learner_list._medium_date):
    switching the interface language still shows them in the new one; roles the model never
    answers give nothing, the ones it does still answer."""
    from vsm_desktop import i18n
    from vsm_desktop.app.learner_list import LearnerTableModel, load_rows

    QApplication.instance() or QApplication([])
    learner = add_learner(store, "L000001", legal_surname="Rhys", legal_forename="Gethin")
    add_review(store, learner, due_date="2027-01-15", meeting_date="2026-11-20")
    model = LearnerTableModel()
    column = COLUMNS.index("next_due")
    try:
        for lang, month in (("en", "Jan"), ("cy", "Ion"), ("en", "Jan")):
            i18n.set_language(lang)
            rows, keys, _enrolled = load_rows(store, lang, TODAY)
            model.today = TODAY
            model.set_rows(rows, keys)
            index = model.index(0, column)
            assert month in model.data(index, Qt.ItemDataRole.DisplayRole)
            assert model.data(index, Qt.ItemDataRole.DecorationRole) is None
            assert model.data(model.index(0, 0), ID_ROLE) == learner
            assert "L000001" in model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_columns_are_as_wide_as_qt_would_make_them(qtbot, make_app, app_settings, overdue_store, lang):
    """The list measures its columns from the texts itself (Qt's resizeColumnsToContents asks every
    sampled cell for every role): the widths are the same, the overdue date's bold included."""
    path, _ids, _rid = overdue_store
    controller = _open(qtbot, make_app, app_settings, path)
    controller.set_language(lang)
    page = controller.learner_list
    qtbot.waitUntil(lambda: page.model.rowCount() == 10, timeout=WAIT)
    table = page.table
    for column in range(len(COLUMNS)):
        table.setColumnWidth(column, 5)
    page._fit_columns()
    ours = [table.columnWidth(c) for c in range(len(COLUMNS))]
    table.resizeColumnsToContents()
    assert ours == [table.columnWidth(c) for c in range(len(COLUMNS))]
    assert ours[COLUMNS.index("next_due")] > table.fontMetrics().horizontalAdvance(_("⚠ Overdue: {date}").format(date=""))


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_first_screen_is_read_first_then_everyone(overdue_store, lang):
    """A big store paints sooner: every learner in name order (Welsh order in Welsh) with the first
    rows complete, the others named and marked pending; then everyone, the same as one full read."""
    from vsm_desktop.app.learner_list import PENDING, load_first_rows, load_rows
    from vsm_desktop.i18n.collation import sort_key

    path, ids, _rid = overdue_store
    with Store.open(path, PASSPHRASE) as store:
        rows, (key_lang, keys), enrolled, complete = load_first_rows(store, lang, TODAY, count=4)
        full, (_lang, full_keys), full_enrolled, *_ = load_rows(store, lang, TODAY)
        assert not complete and key_lang == lang and enrolled == full_enrolled
        assert [r["id"] for r in rows] == [r["id"] for r in full] and keys == full_keys
        by_name = sorted(full, key=lambda r: (sort_key(r["legal_surname"], lang),
                                              sort_key(r.get("preferred_name") or r["legal_forename"], lang),
                                              r["reference"]))
        assert [r["id"] for r in rows] == [r["id"] for r in by_name]
        surnames = [r["legal_surname"] for r in rows]
        assert (surnames.index("Pugh") < surnames.index("Phillips")) == (lang == "cy"), "ph is a letter in Welsh"
        assert rows[:4] == full[:4] and not any("pending" in r for r in rows[:4])
        for row, whole in zip(rows[4:], full[4:]):
            assert row["pending"] and row["school"] is None
            assert {k: v for k, v in row.items() if k not in PENDING} == {k: whole[k] for k in row if k not in PENDING}
        assert whole["school"] == "Ysgol Maes Hir"
        small = load_first_rows(store, lang, TODAY, count=10)
        assert small[3] and small[0] == full


def test_a_big_list_shows_pending_cells_then_every_row_complete(qtbot, make_app, app_settings, overdue_store,
                                                                 monkeypatch):
    from vsm_desktop.app import learner_list
    from vsm_desktop.app.learner_list import load_rows

    monkeypatch.setattr(learner_list, "FIT_ROWS", 3)
    path, ids, _rid = overdue_store
    controller = _open(qtbot, make_app, app_settings, path)
    page = controller.learner_list
    qtbot.waitUntil(lambda: not any("pending" in r for r in page.model.rows), timeout=WAIT)
    with Store.open(path, PASSPHRASE) as store:
        full = load_rows(store, "en", TODAY)[0]
    assert [r["id"] for r in page.model.rows] == [r["id"] for r in full]
    assert all(r["school"] == "Ysgol Maes Hir" for r in page.model.rows)
    assert _row(page, ids["Llŷr"])["next_due"].startswith("⚠ Overdue")
    # A pending cell says so, never "—" (which would say there is no school).
    model = page.model
    model.rows[5] = {k: v for k, v in model.rows[5].items()} | learner_list.PENDING
    assert model.data(model.index(5, COLUMNS.index("school"))) == "…"
    assert model.data(model.index(5, COLUMNS.index("name"))) != "…"


def test_a_list_that_cannot_be_read_says_so_not_that_the_store_is_empty(qtbot, make_app, app_settings,
                                                                        overdue_store, monkeypatch):
    from vsm_desktop.errors import StoreDamaged

    def damaged(*_args, **_kw):
        raise StoreDamaged("page 7 failed its check")

    monkeypatch.setattr(Store, "learner_names", damaged)
    monkeypatch.setattr(Store, "list_learners", damaged)
    path, _ids, _rid = overdue_store
    app_settings.language = "en"
    controller = make_app(app_settings, path)
    unlock(qtbot, controller)
    page = controller.learner_list
    qtbot.waitUntil(lambda: page.empty.isVisible() and "could not be read" in page.empty.text(), timeout=WAIT)
    assert "no learners in this store yet" not in page.empty.text()
    assert page.model.rowCount() == 0
