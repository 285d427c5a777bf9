"""A window that fits a school laptop: at 100, 125, 150 and 200 % scaling of a 1366×768 screen,
in Welsh and in English, every main page fits in 1366×768 logical pixels ÷ the scale: no
widget's right edge beyond the window, and the window no wider than the screen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

pytest.importorskip("PySide6")

from PySide6.QtCore import QPoint  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from vsm_desktop import i18n  # noqa: E402

from test_app_list import TODAY, overdue_store  # noqa: E402,F401
from test_app_shell import app_settings, make_app, unlock  # noqa: E402,F401

SCALES = (1.0, 1.25, 1.5, 2.0)
WAIT = 15_000


def overflowing(window: QWidget) -> list[str]:
    """Visible widgets whose right edge is beyond the window (1 px of rounding allowed)."""
    out = []
    width = window.width()
    for w in window.findChildren(QWidget):
        if not w.isVisible() or w.isWindow() or w.window() is not window:
            continue
        right = w.mapTo(window, QPoint(w.width(), 0)).x()
        if right > width + 1:
            out.append(f"{type(w).__name__}#{w.objectName() or '?'} right={right} > {width}"
                       f" ({getattr(w, 'text', lambda: '')() if callable(getattr(w, 'text', None)) else ''})")
    return out


def clipped_labels(window: QWidget) -> list[str]:
    """Visible wrapped labels shorter than their text needs at their width (squeezed, cut off)."""
    from PySide6.QtWidgets import QLabel

    out = []
    for label in window.findChildren(QLabel):
        if label.isVisible() and label.wordWrap() and label.text() and label.window() is window:
            needed = label.heightForWidth(label.width())
            if needed > label.height() + 2:
                out.append(f"“{label.text()[:40]}” is {label.height()} high, needs {needed}")
    return out


def fit(window: QWidget, scale: float) -> tuple[int, int]:
    width, height = int(1366 / scale), int(768 / scale)
    # A page that folds when narrow changes its minimum once it is resized, and the new minimum
    # reaches the window through posted layout requests: a loaded machine can need a round more.
    for _ in range(4):
        window.resize(width, height)
        QApplication.processEvents()
        if window.width() <= width:
            break
    return width, height


def check(window: QWidget, scale: float, what: str) -> None:
    width, _height = fit(window, scale)
    assert window.width() <= width, f"{what} at {scale:.0%}: the window is {window.width()} wide, the screen {width}"
    problems = overflowing(window)
    assert not problems, f"{what} at {scale:.0%}: " + "; ".join(problems[:6])
    clipped = clipped_labels(window)
    assert not clipped, f"{what} at {scale:.0%}: " + "; ".join(clipped[:4])


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_every_main_page_fits_at_each_scale(qtbot, make_app, app_settings, overdue_store, lang):
    path, ids, rid = overdue_store
    app_settings.language = lang
    controller = make_app(app_settings, path)
    window = controller.window
    for scale in SCALES:
        check(window, scale, "unlock")
    controller.first_run.steps.setCurrentIndex(1)
    window.pages.setCurrentWidget(controller.first_run)
    for scale in SCALES:
        check(window, scale, "first run")
    controller.show_unlock()
    controller.learner_list.clock = lambda: TODAY
    unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.learner_list.model.rowCount() == 10, timeout=WAIT)
    assert i18n.current_language() == lang
    for scale in SCALES:
        check(window, scale, "learner list")
    controller.show_learner(ids["Llŷr"])
    for scale in SCALES:
        check(window, scale, "learner")
    controller.show_review(rid)
    editor = controller.editor
    qtbot.waitUntil(lambda: editor.ctx.data is not None and editor.review_id == rid, timeout=WAIT)
    for key in ("about", "attendance", "about_me", "targets", "meeting"):
        editor.show_section(key)
        for scale in SCALES:
            check(window, scale, f"editor, {key}")
    editor.checklist_button.setChecked(True)
    for scale in SCALES:
        check(window, scale, "editor with the checklist")


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_meeting_mode_fits_at_each_scale(qtbot, make_app, app_settings, overdue_store, lang):
    path, ids, rid = overdue_store
    app_settings.language = lang
    controller = make_app(app_settings, path)
    unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.learner_list.model.rowCount() == 10, timeout=WAIT)
    controller.show_review(rid)
    editor = controller.editor
    qtbot.waitUntil(lambda: editor.ctx.data is not None and editor.review_id == rid, timeout=WAIT)
    controller.meeting_mode()
    view = controller.meeting_view
    view.showNormal()
    qtbot.waitUntil(lambda: view.ctx.data is not None, timeout=WAIT)
    for key in ("about", "about_me", "targets", "meeting"):
        view.show_section(key)
        for scale in SCALES:
            check(view, scale, f"meeting mode, {key}")
    view.show_jump_list()
    for scale in SCALES:
        check(view, scale, "meeting mode with the jump list")
    view.checklist_button.setChecked(True)
    assert not view.jump.isVisible(), "one side panel at a time"
    for scale in SCALES:
        check(view, scale, "meeting mode with the checklist")
    view.close()
