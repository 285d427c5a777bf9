"""The dashboard in the app, driven offscreen over a real demo store: its numbers are the core's,
a click on a figure or a bar filters the learner list to the learners behind it, the export
writes the report, and a learner's page shows the attendance trend."""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

pytest.importorskip("PySide6")

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from vsm_desktop import i18n  # noqa: E402
from vsm_desktop.demo.generator import generate  # noqa: E402
from vsm_desktop.reports.cohort import Scope  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from vsm_desktop.app import dashboard as dashboard_ui, style  # noqa: E402
from vsm_desktop.reports.dashboard import compute, term_label_for  # noqa: E402
from vsm_desktop.store.store import Store  # noqa: E402

from conftest import PASSPHRASE  # noqa: E402
from test_app_shell import app_settings, make_app, unlock, wait_for_list  # noqa: E402,F401


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.vsm"
    with Store.initialise(path, PASSPHRASE, author="Demo") as store:
        generate(store, 60, seed=3)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def app(qtbot, demo_store, tmp_path, app_settings, make_app):
    path = tmp_path / "store.vsm"
    shutil.copyfile(demo_store, path)
    app_settings.language = "en"
    controller = make_app(app_settings, path)
    unlock(qtbot, controller)
    wait_for_list(qtbot, controller)
    return controller, path


def open_dashboard(qtbot, controller):
    controller.dashboard.show_action.trigger()
    page = controller.dashboard.page
    qtbot.waitUntil(lambda: page.dashboard is not None and controller.worker.pending() == 0, timeout=15000)
    assert controller.workspace.currentWidget() is page
    return page


def core_figures(path, page, scope=Scope()):
    with Store.open(path, PASSPHRASE) as store:
        return compute(store, page.period_chosen(), scope)


def shown_ids(controller) -> set[str]:
    lst = controller.learner_list
    return {lst.model.rows[lst.proxy.mapToSource(lst.proxy.index(i, 0)).row()]["id"] for i in range(lst.proxy.rowCount())}


def choose_last_school_year(qtbot, controller, page):
    before = page.dashboard
    page.period.setCurrentIndex(page.period.findData("last_year"))
    qtbot.waitUntil(lambda: page.dashboard is not before and controller.worker.pending() == 0, timeout=10000)


def test_the_dashboard_shows_the_cores_numbers(qtbot, app):
    controller, path = app
    page = open_dashboard(qtbot, controller)
    choose_last_school_year(qtbot, controller, page)
    d = core_figures(path, page)
    assert d.learners.count > 40 and d.overdue.count > 0
    buttons = page.buttons
    assert buttons["learners"].number_text() == i18n.format_number(d.learners.count)
    assert buttons["overdue"].number_text() == i18n.format_number(d.overdue.count)
    assert buttons["due_soon"].number_text() == i18n.format_number(d.due_soon.count)
    assert buttons["below_90"].number_text() == i18n.format_number(d.bands["below_90"].count)
    assert buttons["concerns"].number_text() == i18n.format_number(d.wellbeing_concerns.count)
    assert buttons["reviews_due"].number_text() == f"{i18n.format_number(d.reviews_due.value)} reviews"
    assert buttons["reviews_due"].caption_text().endswith(f"· {i18n.format_number(d.reviews_due.count)} learners")
    red = page.red_model
    assert red.rowCount() == len(d.red_reviews) > 0
    rated = [r.rated_at for r in red.rows]
    assert rated == sorted(rated, reverse=True)   # the latest rated first
    page.red_list.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    first = red.rows[0]
    assert first.meeting_date == min(r.meeting_date or "" for r in d.red_reviews)
    core = {r.review_id: r for r in d.red_reviews}
    assert first._replace(name="", rated_by=None) == core[first.review_id]
    assert red.data(red.index(0, 0)).endswith(f"({first.reference})")
    assert red.data(red.index(0, 1)) == first.school
    assert first.rated_by and red.data(red.index(0, 3)).endswith(f"by {first.rated_by}")
    lid = red.rows[0].learner_id
    assert red.rows[0].name and red.data(red.index(0, 0)).startswith(red.rows[0].name)
    page.red_list.setFocus()
    page.red_list.setCurrentIndex(red.index(0, 0))
    QTest.keyClick(page.red_list, Qt.Key.Key_Return)
    assert controller.workspace.currentWidget() is controller.learner_page
    assert controller.learner_page.learner_id == lid
    assert [b.value for b in page.chart_attendance.bars] == [t.attendance.value for t in d.terms_so_far()]
    assert [b.ids for b in page.chart_spend.bars] == [i.learners.ids for i in d.interventions]
    assert len(page.intervention_buttons) == len(d.interventions) + 1


def test_a_click_on_a_figure_filters_the_learner_list_with_a_banner(qtbot, app):
    controller, path = app
    page = open_dashboard(qtbot, controller)
    d = core_figures(path, page)
    qtbot.mouseClick(page.buttons["overdue"], Qt.MouseButton.LeftButton)
    lst = controller.learner_list
    assert controller.workspace.currentWidget() is lst
    assert shown_ids(controller) == set(d.overdue.ids)
    assert lst.only_banner.isVisible()
    assert "Next PEP overdue" in lst.only_label.text() and str(d.overdue.count) in lst.only_label.text()
    qtbot.mouseClick(lst.only_clear, Qt.MouseButton.LeftButton)
    assert not lst.only_banner.isVisible()
    assert lst.proxy.rowCount() == lst.model.rowCount() == 60


def test_a_click_on_a_bar_filters_the_list(qtbot, app):
    controller, _path = app
    page = open_dashboard(qtbot, controller)
    chart = page.chart_attendance
    index = next(i for i, b in enumerate(chart.bars) if b.ids)
    plot = chart._plot()
    x = int(plot.left() + plot.width() / len(chart.bars) * (index + 0.5))
    QTest.mouseClick(chart, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, plot.bottom() - 2))
    assert controller.workspace.currentWidget() is controller.learner_list
    assert shown_ids(controller) == set(chart.bars[index].ids)


def test_scope_changes_the_figures(qtbot, app):
    controller, path = app
    page = open_dashboard(qtbot, controller)
    page.scope_kind.setCurrentIndex(page.scope_kind.findData("legal_status"))
    page.scope_value.setCurrentIndex(page.scope_value.findData("care_order"))
    qtbot.waitUntil(lambda: page.dashboard.scope == Scope(legal_status="care_order") and controller.worker.pending() == 0,
                    timeout=10000)
    d = core_figures(path, page, Scope(legal_status="care_order"))
    assert 0 < d.learners.count < 60
    assert page.buttons["learners"].number_text() == i18n.format_number(d.learners.count)
    page.date_from.setDate(page.date_to.date().addDays(1))
    qtbot.waitUntil(lambda: "before it starts" in page.state.text(), timeout=5000)


def test_export_writes_the_report_off_the_ui_thread(qtbot, app, tmp_path):
    controller, _path = app
    page = open_dashboard(qtbot, controller)
    out = tmp_path / "report.csv"
    written = []
    controller.dashboard.export(str(out), then=written.append)
    qtbot.waitUntil(lambda: len(written) == 1, timeout=15000)
    with out.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == page.dashboard.learners.count
    pdf = tmp_path / "report.pdf"
    controller.dashboard.export(str(pdf), then=written.append)
    qtbot.waitUntil(lambda: len(written) == 2, timeout=30000)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_the_export_button_asks_where_then_writes(qtbot, app, tmp_path, monkeypatch):
    from vsm_desktop.app import dashboard as dashboard_ui

    controller, _path = app
    open_dashboard(qtbot, controller)
    out = tmp_path / "from-the-button.csv"
    asked = []

    def save_file_name(parent, title, suggested, filters):
        asked.append(title)
        return str(out), filters.split(";;")[0]
    # The system's save dialog cannot be clicked offscreen: answer it as a user would.
    monkeypatch.setattr(dashboard_ui.QFileDialog, "getSaveFileName", staticmethod(save_file_name))
    qtbot.mouseClick(controller.dashboard.page.export_button, Qt.MouseButton.LeftButton)
    assert asked
    qtbot.waitUntil(lambda: out.exists() and controller.worker.pending() == 0, timeout=15000)
    assert out.read_text(encoding="utf-8-sig").startswith("period_start,period_end,learner_id")


def test_learner_page_shows_the_attendance_trend(qtbot, app):
    controller, path = app
    learner = controller.learner_list.model.rows[0]["id"]
    controller.show_learner(learner)
    qtbot.waitUntil(lambda: controller.learner_page.record is not None and controller.worker.pending() == 0, timeout=10000)
    with Store.open(path, PASSPHRASE) as store:
        reviews = store.learner_record(learner)["reviews"]
    expected = sorted((r["period_end"], r["attendance_pct"]) for r in reviews if r["attendance_pct"] is not None)
    trend = controller.learner_page.trend
    assert [v for _label, v in trend.points] == [v for _end, v in expected] and expected
    assert trend.isVisible()
    # Each point is its term; the tooltip over a point says which and how much.
    last_term = term_label_for(dt.date.fromisoformat(expected[-1][0]))
    assert last_term and trend.points[-1][0] == last_term
    assert trend.texts[-1] == f"{last_term}: {i18n.format_percent(expected[-1][1])}"
    xs, _y, _right, _labels = trend._geometry()
    assert trend.point_at(xs[-1]) == len(expected) - 1 and trend.point_at(xs[0]) == 0
    assert i18n.format_percent(expected[-1][1]) in trend.accessibleName()
    # Drawn: the 95 % and 90 % lines and the last value are painted (not only described).
    image = trend.grab().toImage()

    def painted(colour) -> bool:
        return any(max(abs(image.pixelColor(x, y).red() - colour.red()), abs(image.pixelColor(x, y).green() - colour.green()),
                       abs(image.pixelColor(x, y).blue() - colour.blue())) < 24
                   for x in range(image.width()) for y in range(image.height()))
    assert painted(style.colour("persistent")) and painted(style.colour("target"))


def test_the_dashboard_retranslates_live(qtbot, app):
    controller, _path = app
    page = open_dashboard(qtbot, controller)
    controller.window.action("actionCymraeg").trigger()
    assert page.title.text() == i18n._("Dashboard")
    assert page.buttons["learners"].caption_text() == i18n._("Learners") == "Dysgwyr"
    assert page.scope_kind.itemText(0) == i18n._("Whole authority")
    assert page.buttons["overdue"].number_text() == i18n.format_number(page.dashboard.overdue.count)


def test_cards_group_by_section_zero_figures_fold_and_ratings_carry_a_mark_and_the_word(qtbot, app):
    controller, path = app
    page = open_dashboard(qtbot, controller)
    choose_last_school_year(qtbot, controller, page)
    figures = page._figures()
    zeros = [k for k, f in figures.items() if not f.count and k not in ("red", "amber", "green")]
    assert zeros, "the demo store has figures of nothing (no permanent exclusions)"
    captions = page._captions()
    for key in zeros:
        assert not page.buttons[key].isVisible()
        section = next(s for s, keys in dashboard_ui.SECTIONS if key in keys)
        assert captions[key] in page.zero_labels[section].text()
    shown = [k for k, f in figures.items() if f.count]
    assert all(page.buttons[k].isVisible() for k in shown)
    for rating in ("red", "amber", "green"):
        card = page.buttons[rating]
        assert card.rag == rating and i18n._(rating.capitalize()) in card.caption_text()
        image = card.grab().toImage()
        assert image.pixelColor(3, card.height() // 2).name() == style.colour(rating).name()   # the stripe
    # Support paid from elsewhere is a line, not a tile of "£0.00".
    small = [c for c in page.intervention_buttons if c.small]
    assert all("£0.00" not in c.number_text() for c in page.intervention_buttons)
    assert all(c.figure.count for c in small)


def test_schools_chart_has_full_names_worst_first_and_the_average(qtbot, app):
    controller, path = app
    page = open_dashboard(qtbot, controller)
    choose_last_school_year(qtbot, controller, page)
    d = core_figures(path, page)
    chart = page.chart_schools
    rates = [b.value for b in chart.bars]
    assert rates == sorted(rates) and len(rates) > 3
    names = {s.school_id: s.name for s in d.schools}
    assert [b.label for b in chart.bars] == [s.name for s in d.schools_worst_first()][:len(chart.bars)]
    assert all(b.label in names.values() and "…" not in b.label for b in chart.bars)
    assert chart.reference[0] == pytest.approx(d.completion_rate())
    # Every label fits its row whole (wrapped, never elided).
    label_w, _v = chart._columns(chart.width())
    fm = chart.fontMetrics()
    for bar, row in zip(chart.bars, chart._rows):
        needed = fm.boundingRect(0, 0, label_w - 12, 1000, Qt.TextFlag.TextWordWrap, bar.label)
        assert needed.height() <= row.height() and needed.width() <= label_w - 12


def test_term_charts_show_terms_to_date_with_the_current_one_marked(qtbot, app):
    controller, path = app
    page = open_dashboard(qtbot, controller)   # this school year: some terms are still to come
    d = page.dashboard
    bars = page.chart_attendance.bars
    assert len(bars) == len([t for t in d.terms if t.start <= d.today]) < len(d.terms) + 1
    assert [b.current for b in bars] == [d.is_current(t) for t in d.terms_so_far()]
    for bar, term in zip(bars, d.terms_so_far()):
        assert ("(this term)" in bar.label) == d.is_current(term)
        assert bar.text != "0" or term.attendance.value == 0
    assert [b.label for b in page.chart_exclusions.bars] == [b.label for b in bars]


def test_every_card_and_bar_opens_its_learners_from_the_keyboard(qtbot, app):
    controller, path = app
    page = open_dashboard(qtbot, controller)
    card = page.buttons["overdue"]
    card.setFocus()
    assert card.hasFocus()
    QTest.keyClick(card, Qt.Key.Key_Return)
    assert controller.workspace.currentWidget() is controller.learner_list
    assert shown_ids(controller) == set(page.dashboard.overdue.ids)
    page = open_dashboard(qtbot, controller)
    chart = page.chart_spend
    chart.setFocus()
    QTest.keyClick(chart, Qt.Key.Key_End)
    QTest.keyClick(chart, Qt.Key.Key_Home)
    QTest.keyClick(chart, Qt.Key.Key_Right)
    assert chart.cursor_index == 1 and chart.bars[1].label in chart.accessibleName()
    QTest.keyClick(chart, Qt.Key.Key_Return)
    assert controller.workspace.currentWidget() is controller.learner_list
    assert shown_ids(controller) == set(chart.bars[1].ids)


def test_the_dashboard_fits_at_150_percent_on_a_laptop_screen(qtbot, app):
    controller, _path = app
    page = open_dashboard(qtbot, controller)
    controller.window.resize(round(1366 / 1.5), round(768 / 1.5))   # 1366x768 at 150 %: 911x512 in Qt's pixels
    qtbot.waitUntil(lambda: page.width() < 912)
    QApplication.processEvents()
    assert page.grids["peps"].columns <= 3 and page.chart_grid.columns == 1
    assert not page.scroll.horizontalScrollBar().isVisible()
    right = page.mapToGlobal(page.rect().topRight()).x()
    for w in [page.title, page.period, page.date_to, page.scope_kind, page.export_button, page.suppression_note,
              *page.buttons.values(), page.chart_schools]:
        if w.isVisible():
            assert w.mapToGlobal(w.rect().topRight()).x() <= right, w.objectName()
    assert "<5" in page.suppression_note.text() and page.suppression_note.isVisible()
    part = controller.coordinator
    for other in (part.tasks_page, part.qa_page):   # the work queues fit as well
        assert other.minimumSizeHint().width() <= 911, type(other).__name__


def test_building_the_dashboard_page_opens_no_window_of_its_own(qtbot, worker):
    # A widget shown before it has a parent is a window: for a moment it would take the
    # activation, and the focus, from the window already showing (the unlock page's passphrase).
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QWidget

    from vsm_desktop.app.dashboard import DashboardPage

    class Windows(QObject):
        shown: list[str] = []

        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Type.Show and isinstance(obj, QWidget) and obj.isWindow():
                self.shown.append(type(obj).__name__)
            return False

    host = QWidget()
    qtbot.addWidget(host)
    host.show()
    watcher = Windows()
    QApplication.instance().installEventFilter(watcher)
    try:
        page = DashboardPage(worker)
        qtbot.addWidget(page)
    finally:
        QApplication.instance().removeEventFilter(watcher)
    assert watcher.shown == []


def test_the_figures_reads_are_made_in_the_background_after_unlock(qtbot, demo_store, tmp_path, app_settings, make_app,
                                                                  monkeypatch):
    # A while after the store opens, the worker counts the figures for the period and scope the
    # page would show, showing nothing; the first showing then reuses those reads and its figures
    # are still the core's. A store closed before the warm-up is due gets none.
    path = tmp_path / "store.vsm"
    shutil.copyfile(demo_store, path)
    app_settings.language = "en"
    asked = []
    counted = dashboard_ui.compute

    def spy(store, period, scope=Scope(), today=None, calendar=None):
        asked.append((period, scope))
        return counted(store, period, scope, today, calendar)
    monkeypatch.setattr(dashboard_ui, "compute", spy)
    monkeypatch.setattr(dashboard_ui, "WARM_UP_AFTER_MS", 200)
    controller = make_app(app_settings, path)
    unlock(qtbot, controller)
    wait_for_list(qtbot, controller)
    page = controller.dashboard.page
    qtbot.waitUntil(lambda: len(asked) == 1 and controller.worker.pending() == 0, timeout=15000)
    assert asked == [(page.period_chosen(), page.scope_chosen())] and page.dashboard is None
    shown = open_dashboard(qtbot, controller)
    assert len(asked) == 2
    assert shown.dashboard.learners == core_figures(path, shown).learners

    controller.dashboard.closing()   # as when the store closes: the warm-up of the next open is its own
    controller.dashboard.opened(None, path)
    controller.dashboard.closing()
    qtbot.wait(500)
    assert len(asked) == 2
