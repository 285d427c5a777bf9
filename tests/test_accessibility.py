"""Accessibility of the main screens, through the real widgets offscreen:

* every focusable or interactive widget has an accessible name (its own, its text, or a buddy
  label's), in English and in Welsh: the list, a learner's page (each tab), the dashboard, the
  tasks, quality assurance with the rating panel, and the import wizard;
* the focus indicator is a 2 px outline with at least 3:1 contrast against what surrounds it,
  on buttons, cards, table cells and tabs, in the normal and the high-contrast palette;
* the high-contrast mode (View menu) changes the palette and back.
"""

from __future__ import annotations

import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QAccessible, QColor  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton, QAbstractItemView, QAbstractSlider, QAbstractSpinBox, QApplication, QComboBox, QHeaderView,
    QLabel, QLineEdit, QPlainTextEdit, QScrollBar, QTabBar, QTextEdit, QWidget,
)

from vsm_desktop import i18n  # noqa: E402
from vsm_desktop.app import style  # noqa: E402
from vsm_desktop.demo.generator import generate  # noqa: E402
from vsm_desktop.store.store import Store  # noqa: E402

from conftest import PASSPHRASE  # noqa: E402
from test_app_shell import app_settings, make_app, unlock, wait_for_list  # noqa: E402,F401

INTERACTIVE = (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QLineEdit, QTextEdit, QPlainTextEdit,
               QTabBar, QHeaderView, QAbstractSlider)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.vsm"
    with Store.initialise(path, PASSPHRASE, author="Demo") as store:
        generate(store, 40, seed=4)
    return path


@pytest.fixture
def app(qtbot, demo_store, tmp_path, app_settings, make_app):
    path = tmp_path / "store.vsm"
    shutil.copyfile(demo_store, path)
    app_settings.language = "en"
    controller = make_app(app_settings, path)
    unlock(qtbot, controller)
    wait_for_list(qtbot, controller)
    yield controller
    style.set_high_contrast(QApplication.instance(), False)
    i18n.set_language("en")


def _labelled(root: QWidget) -> set[int]:
    return {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy() is not None and label.text()}


def unnamed(root: QWidget) -> list[str]:
    """Visible widgets a keyboard or a pointer can work, that a screen reader could not name."""
    buddies = _labelled(root)
    missing = []
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisible():
            continue
        # Scroll bars are named by their role alone, by every platform's screen reader; a date's or
        # a combo box's own line edit speaks through its (named) control.
        if isinstance(w, QScrollBar) or isinstance(w.parent(), (QAbstractSpinBox, QComboBox)):
            continue
        focusable = w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.isEnabled()
        if not (focusable or isinstance(w, INTERACTIVE)):
            continue
        iface = QAccessible.queryAccessibleInterface(w)
        name = iface.text(QAccessible.Text.Name).strip() if iface is not None else ""
        if not (name or w.accessibleName().strip() or id(w) in buddies):
            missing.append(f"{type(w).__name__} {w.objectName() or '(no object name)'} in "
                           f"{type(w.parent()).__name__ if w.parent() else '-'}")
    return missing


def screens(qtbot, controller, folder):
    """Each main screen in turn: (name, widget to walk)."""
    yield "learner list", controller.window
    controller.show_learner(controller.learner_list.model.rows[0]["id"])
    qtbot.waitUntil(lambda: controller.learner_page.record is not None and controller.worker.pending() == 0, timeout=15000)
    for i in range(controller.learner_page.tabs.count()):
        controller.learner_page.tabs.setCurrentIndex(i)
        yield f"learner page, tab {i + 1}", controller.window
    shown = []
    controller.dashboard.show(then=lambda: shown.append(1))
    qtbot.waitUntil(lambda: bool(shown), timeout=15000)
    yield "dashboard", controller.window
    part = controller.coordinator
    part.show_tasks()
    qtbot.waitUntil(lambda: controller.worker.pending() == 0, timeout=15000)
    yield "tasks", controller.window
    part.show_qa()
    qtbot.waitUntil(lambda: controller.worker.pending() == 0 and bool(part.qa_page.model.rows), timeout=15000)
    yield "quality assurance", controller.window
    item = next(i for i in part.qa_page.model.rows if i.state == "waiting")
    part.open_for_rating(item)
    qtbot.waitUntil(lambda: controller.editor is not None and controller.worker.pending() == 0, timeout=15000)
    yield "rating panel", part.rating_dock
    yield "the PEP beside it (editor, read-only)", controller.editor
    wizard = part.import_csv()
    yield "import wizard", wizard
    source = folder / "cohort.csv"
    source.write_text("reference,legal_forename,legal_surname,date_of_birth,legal_status\n"
                      "N1,Aled,,2013-01-01,adopted\n", encoding="utf-8")
    wizard.path.setText(str(source))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.steps.currentIndex() == 1, timeout=15000)
    yield "import wizard, the columns", wizard
    wizard.next()
    qtbot.waitUntil(lambda: wizard.steps.currentIndex() == 2, timeout=15000)
    assert wizard.problems.rowCount()
    yield "import wizard, the problems", wizard
    wizard.reject()


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_every_interactive_widget_on_the_main_screens_has_an_accessible_name(qtbot, app, lang, tmp_path):
    app.set_language(lang)
    problems = {}
    walked = 0
    for name, root in screens(qtbot, app, tmp_path):
        walked += 1
        missing = unnamed(root)
        if missing:
            problems[name] = missing
    assert walked >= 13
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_the_check_finds_a_widget_without_a_name(qtbot):
    holder = QWidget()
    qtbot.addWidget(holder)
    edit = QLineEdit(holder)
    holder.show()
    assert unnamed(holder)                    # a field nobody has named
    label = QLabel("&Name:", holder)
    label.setBuddy(edit)
    assert not unnamed(holder)                # its label names it


def _outline(image, colour: QColor, rect) -> bool:
    """A 2 px line of `colour` along the top of `rect` (what the focus outline draws)."""
    y = rect.top()
    xs = range(rect.left() + 4, rect.right() - 4)
    return all(image.pixelColor(x, y) == colour and image.pixelColor(x, y + 1) == colour for x in xs)


@pytest.mark.parametrize("high_contrast", [False, True])
def test_focus_outline_is_2px_with_3_to_1_contrast_on_buttons_cards_cells_and_tabs(qtbot, app, high_contrast):
    qapp = QApplication.instance()
    assert isinstance(qapp.style(), style.FocusStyle)
    app.view.high_contrast_action.setChecked(high_contrast)
    focus = style.colour("focus")
    palette = qapp.palette()
    for surround in (palette.window().color(), palette.base().color(), palette.button().color(), style.colour("card")):
        assert style.contrast(focus, surround) >= 3, (focus.name(), surround.name())

    shown = []
    app.dashboard.show(then=lambda: shown.append(1))
    qtbot.waitUntil(lambda: bool(shown), timeout=15000)
    page = app.dashboard.page
    card = page.buttons["learners"]
    card.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(card.hasFocus)
    assert _outline(card.grab().toImage(), focus, card.rect())
    button = page.export_button
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(button.hasFocus)
    assert _outline(button.grab().toImage(), focus, button.rect())

    app.show_learner(app.learner_list.model.rows[0]["id"])
    qtbot.waitUntil(lambda: app.learner_page.record is not None and app.worker.pending() == 0, timeout=15000)
    lp = app.learner_page
    lp.tabs.setCurrentIndex(3)
    view = lp.reviews_view
    view.setFocus(Qt.FocusReason.TabFocusReason)
    view.setCurrentIndex(view.model().index(0, 1))
    qtbot.waitUntil(view.hasFocus)
    cell = view.visualRect(view.currentIndex())
    assert _outline(view.viewport().grab().toImage(), focus, cell)
    bar = lp.tabs.tabBar()
    bar.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(bar.hasFocus)
    image = bar.grab().toImage()
    tab = bar.tabRect(bar.currentIndex())
    found = [y for y in range(tab.top(), tab.bottom()) if all(
        image.pixelColor(x, y) == focus for x in range(tab.center().x() - 5, tab.center().x() + 5))]
    assert len(found) >= 2   # a 2 px outline around the current tab's label


def test_high_contrast_from_the_view_menu_and_back(qtbot, app):
    qapp = QApplication.instance()
    before = qapp.palette().window().color()
    action = app.window.findChild(type(app.view.high_contrast_action), "actionHighContrast")
    assert action is app.view.high_contrast_action and action in app.view.menu.actions()
    QTest.keyClick(app.window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert action.isChecked() and style.high_contrast()
    palette = qapp.palette()
    assert style.contrast(palette.window().color(), palette.windowText().color()) >= 7
    assert style.contrast(palette.base().color(), palette.text().color()) >= 7
    # Buttons keep visible edges on black (the platform style draws them a shade of the window).
    button = app.unlock_page.findChild(QAbstractButton) or app.learner_list.findChild(QAbstractButton)
    image = button.grab().toImage()
    assert style.contrast(image.pixelColor(button.width() // 2, 0), palette.window().color()) >= 3
    # The rating panel's colours follow (red on black would not be read).
    form = app.coordinator.rating_dock.form
    red = QColor(form.buttons["red"].styleSheet().split("color: ")[1].split(";")[0])
    assert style.contrast(red, palette.window().color()) >= 4.5
    action.setChecked(False)
    assert qapp.palette().window().color() == before and not style.high_contrast()
    assert form.buttons["red"].styleSheet().count(style.COLOURS["red"][0]) == 1


def test_the_high_contrast_choice_is_remembered(qtbot, app, make_app, app_settings):
    from vsm_desktop import settings

    QTest.keyClick(app.window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert settings.load().high_contrast is True
    again = make_app(settings.load(), app.store_path)
    assert again.view.high_contrast_action.isChecked() and style.high_contrast()
    again.view.high_contrast_action.trigger()
    assert settings.load().high_contrast is False and not style.high_contrast()
