"""How the app looks for people who need it to: a focus indicator that can be seen (a 2 px
outline in a colour with at least 3:1 contrast against what surrounds it, on buttons, fields,
table cells, tabs and the dashboard's cards and charts) and a high-contrast mode, which
follows the system's contrast setting (Qt's accessibility hints) or the View menu.

`FocusStyle` is a proxy over the platform's style, so buttons and tables keep their native
look; the dashboard's own widgets ask `colour()` for theirs. `ViewPart` is the window's part:
the View menu.
"""

from __future__ import annotations

from ..i18n import _
from .qt import QAction, QApplication, QColor, QGuiApplication, QMenu, QPalette, QPen, QProxyStyle, QStyle, Qt

FOCUS_WIDTH = 2
# name: (normal, high contrast)
COLOURS = {
    "focus": ("#1646a8", "#ffff00"),
    "accent": ("#0b5563", "#00e5ff"),
    "accent_hover": ("#137a8b", "#7ff3ff"),
    "ink": ("#1b1f23", "#ffffff"),
    "muted": ("#4f5861", "#e0e0e0"),
    "rule": ("#8a98a3", "#ffffff"),
    "card": ("#ffffff", "#000000"),
    "page": ("#f3f5f6", "#000000"),
    "red": ("#a11d1d", "#ff6b6b"),
    "amber": ("#8a5a00", "#ffc233"),
    "green": ("#1d6b35", "#5ee27a"),
    "persistent": ("#b03a2e", "#ff8a80"),
    "target": ("#1d6b35", "#5ee27a"),
}
_state = {"high_contrast": False}


def high_contrast() -> bool:
    return _state["high_contrast"]


def colour(name: str) -> QColor:
    normal, strong = COLOURS[name]
    return QColor(strong if _state["high_contrast"] else normal)


def luminance(c: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def draw_focus(painter, rect, radius: float = 3) -> None:
    """The focus outline, inside `rect` (so that a neighbour does not paint over it)."""
    painter.save()
    painter.setRenderHint(painter.RenderHint.Antialiasing, False)
    pen = QPen(colour("focus"), FOCUS_WIDTH)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect.adjusted(1, 1, -1, -1))
    painter.restore()


class FocusStyle(QProxyStyle):
    """The platform's style, with a 2 px focus outline where it drew its own thin ring."""

    OUTLINED = {QStyle.PrimitiveElement.PE_PanelButtonCommand, QStyle.PrimitiveElement.PE_FrameLineEdit,
                QStyle.PrimitiveElement.PE_PanelButtonTool, QStyle.PrimitiveElement.PE_IndicatorCheckBox,
                QStyle.PrimitiveElement.PE_IndicatorRadioButton}
    COMPLEX = {QStyle.ComplexControl.CC_ComboBox, QStyle.ComplexControl.CC_SpinBox}

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: N802
        if element == QStyle.PrimitiveElement.PE_FrameFocusRect:
            draw_focus(painter, option.rect)   # item views' current cell, tab labels, check boxes' text
            return
        super().drawPrimitive(element, option, painter, widget)
        if element in self.OUTLINED and option.state & QStyle.StateFlag.State_HasFocus:
            draw_focus(painter, option.rect)

    def drawControl(self, element, option, painter, widget=None) -> None:  # noqa: N802
        super().drawControl(element, option, painter, widget)
        # Fusion draws no focus ring on a tab: draw the outline around the current tab's label.
        if element == QStyle.ControlElement.CE_TabBarTabLabel and option.state & QStyle.StateFlag.State_HasFocus:
            draw_focus(painter, option.rect.adjusted(2, 2, -2, -2))

    def drawComplexControl(self, control, option, painter, widget=None) -> None:  # noqa: N802
        super().drawComplexControl(control, option, painter, widget)
        if control in self.COMPLEX and option.state & QStyle.StateFlag.State_HasFocus:
            draw_focus(painter, option.rect)


def high_contrast_palette() -> QPalette:
    p = QPalette()
    black, white = QColor("#000000"), QColor("#ffffff")
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        for role, c in ((QPalette.ColorRole.Window, black), (QPalette.ColorRole.WindowText, white),
                        (QPalette.ColorRole.Base, black), (QPalette.ColorRole.AlternateBase, QColor("#1a1a1a")),
                        (QPalette.ColorRole.Text, white), (QPalette.ColorRole.Button, black),
                        (QPalette.ColorRole.ButtonText, white), (QPalette.ColorRole.BrightText, QColor("#ffff00")),
                        (QPalette.ColorRole.Highlight, QColor("#00e5ff")), (QPalette.ColorRole.HighlightedText, black),
                        (QPalette.ColorRole.ToolTipBase, black), (QPalette.ColorRole.ToolTipText, white),
                        (QPalette.ColorRole.Link, QColor("#ffff00")), (QPalette.ColorRole.PlaceholderText, QColor("#c8c8c8")),
                        (QPalette.ColorRole.Light, white), (QPalette.ColorRole.Midlight, QColor("#bbbbbb")),
                        (QPalette.ColorRole.Mid, white), (QPalette.ColorRole.Dark, white),
                        (QPalette.ColorRole.Shadow, white)):
            p.setColor(group, role, c)
    grey = QColor("#a0a0a0")
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, grey)
    for role, c in ((QPalette.ColorRole.Window, black), (QPalette.ColorRole.Base, black), (QPalette.ColorRole.Button, black)):
        p.setColor(QPalette.ColorGroup.Disabled, role, c)
    return p


def system_wants_high_contrast() -> bool:
    hints = QGuiApplication.styleHints()
    accessibility = getattr(hints, "accessibility", None)   # Qt 6.10 and later
    if accessibility is None:
        return False
    return accessibility().contrastPreference() == Qt.ContrastPreference.HighContrast


def install(app: QApplication) -> None:
    """The focus outline, once per application."""
    if not isinstance(app.style(), FocusStyle):
        app.setStyle(FocusStyle(app.style().name()))


# The platform style draws the edges of buttons and fields a shade darker than the window: on
# black, nothing. In high contrast they get white edges (and the yellow focus outline).
HIGH_CONTRAST_SHEET = """
QPushButton, QToolButton, QComboBox, QLineEdit, QAbstractSpinBox, QPlainTextEdit, QTextEdit {
    border: 1px solid #ffffff; padding: 2px 6px; background: #000000; color: #ffffff; }
QPushButton:focus, QToolButton:focus, QComboBox:focus, QLineEdit:focus, QAbstractSpinBox:focus,
QPlainTextEdit:focus, QTextEdit:focus { border: 2px solid #ffff00; }
QPushButton:disabled, QComboBox:disabled, QLineEdit:disabled { color: #a0a0a0; border-color: #a0a0a0; }
"""


def set_high_contrast(app: QApplication, on: bool) -> None:
    _state["high_contrast"] = on
    if on:
        if not hasattr(app, "_vsm_palette"):
            app._vsm_palette = QPalette(app.palette())
            app._vsm_sheet = app.styleSheet()
        app.setPalette(high_contrast_palette())
        app.setStyleSheet(app._vsm_sheet + HIGH_CONTRAST_SHEET)
    elif hasattr(app, "_vsm_palette"):
        app.setPalette(app._vsm_palette)
        app.setStyleSheet(app._vsm_sheet)
    for widget in app.allWidgets():
        if hasattr(widget, "on_contrast_changed"):   # colours set in a style sheet
            widget.on_contrast_changed()
        widget.update()


class ViewPart:
    """The View menu: "High contrast" (on at start when the system asks for it)."""

    def __init__(self, controller) -> None:
        self.controller = controller
        window = controller.window
        self.app = QApplication.instance()
        install(self.app)
        self.menu = QMenu(window)
        self.menu.setObjectName("menuView")
        self.high_contrast_action = QAction(window)
        self.high_contrast_action.setObjectName("actionHighContrast")
        self.high_contrast_action.setCheckable(True)
        self.high_contrast_action.setShortcut("Ctrl+Shift+H")
        self.high_contrast_action.toggled.connect(lambda on: set_high_contrast(self.app, on))
        self.high_contrast_action.triggered.connect(self._chosen)   # the person's choice, remembered
        self.menu.addAction(self.high_contrast_action)
        help_menu = window.form.child("menuHelp")
        window.menuBar().insertMenu(help_menu.menuAction(), self.menu)
        hints = QGuiApplication.styleHints()
        chosen = controller.settings.high_contrast
        if hasattr(hints, "accessibility") and chosen is None:
            hints.accessibility().contrastPreferenceChanged.connect(
                lambda _p: self.high_contrast_action.setChecked(
                    system_wants_high_contrast() if self.controller.settings.high_contrast is None
                    else self.controller.settings.high_contrast))
        if chosen if chosen is not None else system_wants_high_contrast():
            self.high_contrast_action.setChecked(True)
        self.high_contrast_action.setEnabled("high_contrast" not in controller.settings.locked)
        self.retranslate_ui()

    def _chosen(self, on: bool) -> None:
        self.controller.settings.high_contrast = on
        self.controller._save_settings()

    def opened(self, store, path) -> None:
        pass

    def closing(self) -> None:
        pass

    def retranslate_ui(self) -> None:
        self.menu.setTitle(_("&View"))
        self.high_contrast_action.setText(_("&High contrast"))


def name_table(view, name: str) -> None:
    """A table's accessible names: the table, its headers and its corner button (which selects
    every row), so that a screen reader says what each part is."""
    from .qt import QAbstractButton

    view.setAccessibleName(name)
    view.horizontalHeader().setAccessibleName(_("{table}: column headings").format(table=name))
    view.verticalHeader().setAccessibleName(_("{table}: row headings").format(table=name))
    for button in view.findChildren(QAbstractButton):
        if button.parent() is view and not button.accessibleName():
            button.setAccessibleName(_("{table}: select all").format(table=name))
