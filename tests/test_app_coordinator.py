"""The coordinator's screens, driven through the real application offscreen over a real store:
rate a review in the editor, see it in the QA list, the designated person sees the returned
task, opens it and starts the amendment; the import wizard imports a file."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QAbstractItemModelTester, QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from vsm_desktop import i18n, settings  # noqa: E402
from vsm_desktop.app import coordinator_ui  # noqa: E402
from vsm_desktop.app.coordinator_ui import ListModel  # noqa: E402
from vsm_desktop.i18n.collation import sort_key  # noqa: E402
from vsm_desktop.coordinator import quality  # noqa: E402
from vsm_desktop.store.store import Store  # noqa: E402

from conftest import PASSPHRASE, add_learner, add_review  # noqa: E402

WAIT = 15_000
ME = "Test Author"  # the store's author: the person using the app


@pytest.fixture
def app_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("VSM_USER_SETTINGS", str(tmp_path / "user.json"))
    monkeypatch.setenv("VSM_MACHINE_SETTINGS", str(tmp_path / "machine.json"))
    s = settings.load()
    s.language = "en"
    return s


@pytest.fixture
def prepared(store_path, store):
    """A learner whose finalised review names me as the designated person, and a school."""
    store.create("schools", {"name": "Ysgol Glan Môr", "medium": "welsh_medium", "kind": "primary"})
    learner = add_learner(store, "L000001")
    rid = add_review(store, learner, period_start="2026-04-20", period_end="2026-07-17", due_date="2026-07-17")
    store.update("reviews", rid, {"meeting_date": "2026-07-10", "meeting_language": "en",
                                  "next_review_date": "2026-11-20", "attendance_pct": 95.0})
    store.create("attendees", {"review_id": rid, "name": ME, "role": "designated_person", "attendance": "present"})
    store.finalise_review(rid, dt.datetime(2026, 7, 10, 15, 0, tzinfo=dt.timezone.utc))
    store.close()
    return store_path, learner, rid


@pytest.fixture
def app(qtbot, app_settings, prepared):
    from vsm_desktop.app.main import AppController

    path = prepared[0]
    controller = AppController(QApplication.instance(), app_settings, path)
    qtbot.addWidget(controller.window)
    controller.window.resize(1366, 768)   # the window fits its screen, and the offscreen one is 800×600
    controller.window.show()
    page = controller.unlock_page
    page.passphrase.setText(PASSPHRASE)
    QTest.keyClick(page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.store is not None and controller.coordinator.count is not None, timeout=WAIT)
    yield controller
    controller.close_requested()
    i18n.set_language("en")


def settle(qtbot, controller) -> None:
    qtbot.waitUntil(lambda: controller.worker.pending() == 0, timeout=WAIT)


def read(path, fn):
    with Store.open(path, PASSPHRASE) as store:
        return fn(store)


def test_rate_in_the_editor_see_it_in_qa_then_the_designated_person_amends(qtbot, app, prepared):
    path, learner, rid = prepared
    part = app.coordinator
    assert part.menu.menuAction() in app.window.menuBar().actions()
    assert part.tasks_button.text() == "Tasks (0)"

    # The review waits for a rating.
    part.show_qa()
    settle(qtbot, app)
    assert [(i.review_id, i.state) for i in part.qa_page.model.rows] == [(rid, quality.WAITING)]
    assert part.qa_page.title.text() == "Quality assurance: 1 waiting"
    assert part.qa_page.model.rows[0].school is None   # the learner has no school yet
    QAbstractItemModelTester(part.qa_page.model, QAbstractItemModelTester.FailureReportingMode.Fatal)

    # Enter on the row opens the review; the panel under the banner rates it.
    part.qa_page.table.setFocus()
    part.qa_page.table.setCurrentIndex(part.qa_page.model.index(0, 0))
    QTest.keyClick(part.qa_page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.editor is not None and app.editor.review_id == rid and app.worker.pending() == 0,
                    timeout=WAIT)
    panel = app.editor.rating_panel
    assert panel.isVisible() and "not rated yet" in panel.label.text()
    # The rating form stands beside the PEP (a panel of the window, not a dialog over it).
    dock = part.rating_dock
    assert dock.isVisible() and dock.form.review_id == rid and not dock.isFloating()
    assert app.editor.isVisible() and app.editor.geometry().right() < dock.mapTo(app.window, dock.rect().topLeft()).x()
    assert not any(w.isModal() and w.isVisible() for w in QApplication.topLevelWidgets())
    # "Rate…" under the banner brings the same panel back (no dialog over the PEP).
    dock.hide()
    qtbot.mouseClick(panel.rate_button, Qt.MouseButton.LeftButton)
    assert dock.isVisible() and dock.form.review_id == rid and panel.dialog is None
    form = dock.form
    assert not form.ok.isEnabled()
    form.buttons["red"].setChecked(True)
    qtbot.mouseClick(form.ok, Qt.MouseButton.LeftButton)  # red without feedback: refused by the core
    qtbot.waitUntil(lambda: form.error.isVisible(), timeout=WAIT)
    assert "say what needs amending" in form.error.text()
    form.feedback.setPlainText("The learner's own words are missing.")
    qtbot.mouseClick(form.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Red" in panel.label.text(), timeout=WAIT)
    assert form.done_label.isVisible()
    assert "Returned for amendment" in panel.label.text() and "own words are missing" in panel.label.text()
    assert read(path, lambda s: quality.current_rating(s, rid))["rating"] == "red"

    # The QA list shows it returned; my tasks count it (the status-bar button).
    part.show_qa()
    settle(qtbot, app)
    assert [(i.review_id, i.state) for i in part.qa_page.model.rows] == [(rid, quality.RETURNED)]
    qtbot.waitUntil(lambda: part.tasks_button.text() == "Tasks (1)", timeout=WAIT)

    # The designated person opens the task and starts the amendment.
    qtbot.mouseClick(part.tasks_button, Qt.MouseButton.LeftButton)
    settle(qtbot, app)
    assert app.workspace.currentWidget() is part.tasks_page
    task = part.tasks_page.rows[0]
    assert (task.kind, task.review_id) == ("returned", rid)
    assert part.tasks_page.groups["returned"].text() == "Returned for amendment (1)"
    part.tasks_page.table.setCurrentIndex(part.tasks_page.task_index(task))
    part.tasks_page.table.doubleClicked.emit(part.tasks_page.task_index(task).siblingAtColumn(1))
    qtbot.waitUntil(lambda: app.workspace.currentWidget() is app.editor and app.editor.review_id == rid
                    and app.worker.pending() == 0, timeout=WAIT)
    qtbot.mouseClick(app.editor.amend_button, Qt.MouseButton.LeftButton)
    amend = app.editor.amend_dialog
    amend.text.setPlainText("Adding the learner's words, as the coordinator asked.")
    qtbot.mouseClick(amend.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: app.editor.review_id not in (None, rid) and app.worker.pending() == 0, timeout=WAIT)
    amendment = app.editor.review_id
    assert app.editor.ctx.data.review["amends_review_id"] == rid
    assert not app.editor.rating_panel.isVisible()  # a draft is not rated

    # The task now leads to the amendment; QA shows it in draft.
    part.show_tasks()
    settle(qtbot, app)
    assert [(t.kind, t.review_id) for t in part.tasks_page.rows] == [("returned", amendment)]
    part.show_qa()
    settle(qtbot, app)
    assert [(i.state, i.amendment_id) for i in part.qa_page.model.rows] == [(quality.AMENDING, amendment)]

    # Welsh on the fly: the pages retranslate (texts come from the catalog once merged).
    app.set_language("cy")
    assert part.menu.title() == i18n._("&Coordinator")
    app.set_language("en")
    assert part.qa_page.title.text() == "Quality assurance: 0 waiting"


def test_the_import_wizard_checks_then_imports(qtbot, app, prepared, tmp_path):
    path = prepared[0]
    source = tmp_path / "cohort.csv"
    source.write_bytes(
        "Ref;Enw cyntaf cyfreithiol;Surname;DOB;Legal status;School;Started;Notes\r\n"
        "N1;Gwenllïan;Huws;25/03/2014;Care order;Ysgol Glan Môr;02/09/2024;x\r\n"
        "N2;Aled;;2013-01-01;adopted;;;\r\n"
        "N3;Dafydd;Owen;2012-05-05;adopted;Ysgol Arall;2024-09-02;\r\n".encode("utf-8"))
    wizard = app.coordinator.import_csv()
    wizard.path.setText(str(source))
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.steps.currentIndex() == 1, timeout=WAIT)
    assert "semicolons" in wizard.file_notes.text()
    combos = wizard.combos
    assert combos["Enw cyntaf cyfreithiol"].currentData() == "legal_forename"
    assert combos["Ref"].currentData() is None and combos["Started"].currentData() is None
    combos["Ref"].setCurrentIndex(combos["Ref"].findData("reference"))
    combos["Started"].setCurrentIndex(combos["Started"].findData("school_start_date"))
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.steps.currentIndex() == 2, timeout=WAIT)

    # The problems as a table: row, column, value, what is wrong.
    model = wizard.problems
    rows = [tuple(model.item(r, c).text() for c in range(4)) for r in range(model.rowCount())]
    assert ("3", "Surname", "", "a value is required") in rows
    assert ("4", "School", "Ysgol Arall", "there is no school called “Ysgol Arall” in this store") in rows
    assert "“Notes”" in wizard.notes_label.text()
    # Sorted by a click on a heading (the row as a number), copied with Ctrl+C.
    wizard.report.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    numbers = [int(model.item(r, 0).text()) for r in range(model.rowCount())]
    assert numbers == sorted(numbers, reverse=True)
    wizard.report.setFocus()
    wizard.report.selectRow(0)
    QTest.keyClick(wizard.report, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QApplication.clipboard().text().splitlines()
    assert copied[0] == "Row\tColumn\tValue\tWhat is wrong" and copied[1].startswith("4\tSchool\tYsgol Arall\t")
    assert len(copied) == 2
    qtbot.mouseClick(wizard.copy_button, Qt.MouseButton.LeftButton)
    assert len(QApplication.clipboard().text().splitlines()) == model.rowCount() + 1
    assert "1 new learner" in wizard.summary.text() and "2 rows with problems" in wizard.summary.text()
    assert not wizard.next_button.isEnabled()  # all or nothing, and there are problems
    wizard.valid_only.setChecked(True)
    assert wizard.next_button.isEnabled()
    before = read(path, lambda s: s.counts()["learners"])
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.steps.currentIndex() == 3 and not wizard.busy, timeout=WAIT)
    assert "Imported 1 learner." in wizard.outcome.text()
    assert "2 rows with problems were left out." in wizard.outcome.text()
    rows = read(path, lambda s: s.conn.execute(
        "SELECT l.reference, l.legal_forename, s.name FROM learners l JOIN enrolments e ON e.learner_id = l.id"
        " JOIN schools s ON s.id = e.school_id WHERE l.reference = 'N1'").fetchall())
    assert rows == [("N1", "Gwenllïan", "Ysgol Glan Môr")]
    assert read(path, lambda s: s.counts()["learners"]) == before + 1
    qtbot.waitUntil(lambda: any(r["reference"] == "N1" for r in app.learner_list.model.rows), timeout=WAIT)
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)  # Close
    qtbot.waitUntil(lambda: app.coordinator.wizard is None, timeout=WAIT)


def test_list_model_passes_qt_model_tester(qtbot):
    model = ListModel([("Name", lambda r: r["name"]), ("Age", lambda r: str(r["age"]))])
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_rows([{"name": "Siân", "age": 12}, {"name": "Llŷr", "age": 13}])
    assert model.rowCount() == 2 and model.data(model.index(1, 0)) == "Llŷr"
    model.set_rows([])
    assert model.rowCount() == 0


def test_the_quality_list_in_the_editor_follows_the_same_rules(qtbot, app, prepared):
    path, learner, rid = prepared
    app.show_review(rid)
    qtbot.waitUntil(lambda: app.editor is not None and app.editor.review_id == rid and app.worker.pending() == 0,
                    timeout=WAIT)
    ratings = app.editor.show_section("quality").lists["quality_ratings"]
    assert ratings.add_button.isVisible() and ratings.add_button.isEnabled()
    ratings.add()
    dialog = ratings.dialog
    rating = dialog.editors["rating"].widget
    rating.setCurrentIndex(rating.findData("red"))
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors["feedback"].isVisible(), timeout=WAIT)
    assert "say what needs amending" in dialog.errors["feedback"].text()
    assert read(path, lambda s: s.children("quality_ratings", rid)) == []
    dialog.reject()

    # A draft (the amendment) is not rated: the list offers no Add.
    amendment = read(path, lambda s: s.start_amendment(rid, "A correction."))
    app.show_review(amendment)
    qtbot.waitUntil(lambda: app.editor.review_id == amendment and app.worker.pending() == 0, timeout=WAIT)
    ratings = app.editor.show_section("quality").lists["quality_ratings"]
    assert not ratings.add_button.isVisible()


# --- over a demo authority: many tasks and reviews waiting -----------------------------------

@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    from vsm_desktop.demo.generator import generate

    path = tmp_path_factory.mktemp("demo") / "demo.vsm"
    with Store.initialise(path, PASSPHRASE, author="Demo") as store:
        generate(store, 80, seed=5)
        # "Demo" is these learners' social worker and owns the actions of their drafts: every kind of task.
        for (lid,) in store.conn.execute("SELECT id FROM learners").fetchall():
            store.create("contacts", {"learner_id": lid, "role": "social_worker", "name": "Demo"})
        for (aid,) in store.conn.execute("SELECT a.id FROM actions a JOIN reviews r ON r.id = a.review_id"
                                         " WHERE coalesce(a.done, 0) = 0 AND r.status = 'draft'").fetchall():
            store.update("actions", aid, {"owner": "Demo"})
    return path


@pytest.fixture
def demo_app(qtbot, app_settings, demo_path, tmp_path):
    import shutil

    from vsm_desktop.app.main import AppController

    path = tmp_path / "store.vsm"
    shutil.copyfile(demo_path, path)
    controller = AppController(QApplication.instance(), app_settings, path)
    qtbot.addWidget(controller.window)
    controller.window.show()
    controller.unlock_page.passphrase.setText(PASSPHRASE)
    QTest.keyClick(controller.unlock_page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.store is not None and controller.coordinator.count is not None, timeout=WAIT)
    yield controller, path
    controller.close_requested()
    i18n.set_language("en")


def test_tasks_come_in_groups_with_counts_most_urgent_first_and_filter(qtbot, demo_app):
    from vsm_desktop.app.coordinator_ui import GROUPS, tasks_title
    from vsm_desktop.coordinator import tasks

    app, path = demo_app
    part = app.coordinator
    QTest.keyClick(app.window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)   # Ctrl+T
    settle(qtbot, app)
    page = part.tasks_page
    assert app.workspace.currentWidget() is page and page.table.hasFocus()
    assert page.title.text() == tasks_title("Demo") == "Tasks for Demo"
    expected = read(path, lambda s: tasks.tasks_for(s))
    kinds = [k for k, _label in GROUPS if any(t.kind == k for t in expected)]
    assert len(kinds) >= 2, "the demo gives more than one kind of task"
    assert list(page.groups) == kinds   # overdue, due soon, returned, actions: in that order
    for kind, head in page.groups.items():
        mine = [t for t in expected if t.kind == kind]
        assert head.text().endswith(f"({len(mine)})") and head.rowCount() == len(mine)
        dates = [head.child(r, 0).data(coordinator_ui.TASK_ROLE).due or "" for r in range(head.rowCount())]
        assert dates == sorted(dates)   # the most overdue, the soonest due, the longest waiting first
    assert page.table.currentIndex().data(coordinator_ui.TASK_ROLE) == page.rows[0]

    # The filter narrows every group and says so in the counts.
    someone = page.rows[-1]
    qtbot.keyClicks(page.filter, someone.reference)
    assert someone in page.rows and all(t.reference == someone.reference for t in page.rows)
    head = page.groups[someone.kind]
    total = len([t for t in expected if t.kind == someone.kind])
    assert f"of {total})" in head.text()
    page.filter.clear()
    assert len(page.rows) == len(expected)

    # Enter on a task opens it.
    page.table.setFocus()
    page.table.setCurrentIndex(page.task_index(someone))
    QTest.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.workspace.currentWidget() is not page, timeout=WAIT)


def test_qa_newest_first_filters_and_rating_beside_the_pep_then_next_by_keyboard(qtbot, demo_app):
    app, path = demo_app
    part = app.coordinator
    part.show_qa()
    settle(qtbot, app)
    page = part.qa_page
    items = read(path, quality.qa_list)
    waiting = [i for i in items if i.state == quality.WAITING]
    assert len(waiting) >= 2
    assert page.title.text() == f"Quality assurance: {len(waiting)} waiting"
    shown = [i.finalised_at for i in page.model.rows]
    assert shown == sorted(shown, reverse=True)   # newest finalisations first
    page.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)   # sortable by any column
    names = [i.learner_name for i in page.model.rows]
    assert names == sorted(names, key=sort_key)
    page.table.sortByColumn(page.FINALISED, Qt.SortOrder.DescendingOrder)

    # By school, and by rating.
    school = next(i.school for i in items if i.school)
    page.school.setCurrentIndex(page.school.findData(school))
    assert page.model.rows and all(i.school == school for i in page.model.rows)
    page.school.setCurrentIndex(0)
    page.filter.setCurrentIndex(page.filter.findData(quality.WAITING))
    assert {i.state for i in page.model.rows} == {quality.WAITING}
    order = [i.review_id for i in page.model.rows]

    # Enter opens the first with the rating panel beside it; rate it by keyboard; Next.
    page.table.setFocus()
    page.table.selectRow(0)
    QTest.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.editor is not None and app.editor.review_id == order[0] and app.worker.pending() == 0,
                    timeout=WAIT)
    form = part.rating_dock.form
    assert part.rating_dock.isVisible() and form.review_id == order[0]
    qtbot.waitUntil(lambda: form.buttons["green"].hasFocus(), timeout=WAIT)
    QTest.keyClick(form.buttons["green"], Qt.Key.Key_Space)
    assert form.rating() == "green" and form.ok.isEnabled()
    form.ok.setFocus()
    QTest.keyClick(form.ok, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: form.done_label.isVisible(), timeout=WAIT)
    assert form.next_button.hasFocus()   # "Next" after rating
    assert read(path, lambda s: quality.current_rating(s, order[0]))["rating"] == "green"
    assert page.title.text() == f"Quality assurance: {len(waiting) - 1} waiting"
    QTest.keyClick(form.next_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: app.editor.review_id == order[1] and app.worker.pending() == 0, timeout=WAIT)
    assert form.review_id == order[1] and form.rating() is None and not form.feedback.toPlainText()
    # Leaving the PEP puts the panel away.
    app.show_list()
    assert not part.rating_dock.isVisible()


def test_the_wizard_saves_the_template_which_imports_as_documented(qtbot, app, prepared, tmp_path):
    from vsm_desktop.coordinator import importer

    wizard = app.coordinator.import_csv()
    out = tmp_path / "template.csv"
    wizard.save_template(str(out))
    assert str(out) in wizard.template_note.text()
    written = importer.read_csv(out.read_bytes())
    with open(os.path.join(os.path.dirname(__file__), "..", "docs", "import-template.csv"), "rb") as f:
        documented = importer.read_csv(f.read())
    assert (written.headers, written.rows) == (documented.headers, documented.rows)
    # The installed app's file, read back by the wizard: every column is known, the rows check.
    wizard.path.setText(str(out))
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.steps.currentIndex() == 1, timeout=WAIT)
    assert all(combo.currentData() is not None for combo in wizard.combos.values())
    wizard.save_template(str(tmp_path / "no-such-folder" / "t.csv"))
    assert wizard.error.isVisible()
    wizard.reject()


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_pep_and_its_rating_panel_fit_a_laptop_at_150_percent(qtbot, demo_app, lang):
    """1366x768 at 150 % is 911x512 in Qt's pixels: the PEP with the panel under it, no taller."""
    app, path = demo_app
    app.set_language(lang)
    app.window.resize(911, 512)
    part = app.coordinator
    part.show_qa()
    settle(qtbot, app)
    item = next(i for i in part.qa_page.model.rows if i.state == quality.WAITING)
    part.open_for_rating(item)
    qtbot.waitUntil(lambda: app.editor is not None and app.editor.review_id == item.review_id
                    and app.worker.pending() == 0, timeout=WAIT)
    QApplication.processEvents()
    assert part.rating_dock.isVisible()
    app.window.layout().activate()
    hint = app.window.minimumSizeHint()
    assert hint.width() <= 911 and hint.height() <= 512, (hint.width(), hint.height())
    assert app.window.width() <= 911 and app.window.height() <= 512, (app.window.width(), app.window.height())
