"""Editors for the fields of the domain model, and forms built from them.

The model says what a field is (date, percentage, choice, free text with its language, …);
this module picks the widget. A form loads a record, reports each edit to the autosave, shows
a refused value's message under its field, and can be made read-only (a finalised review).
"""

from __future__ import annotations

import datetime as dt

from ..domain import model
from ..i18n import _
from .autosave import Autosave
from .qt import (
    QApplication, QCheckBox, QComboBox, QDate, QDateEdit, QDoubleSpinBox, QEvent, QFormLayout, QHBoxLayout, QLabel,
    QLineEdit, QObject, QPlainTextEdit, QSizePolicy, QSpinBox, QTextOption, QTimer, QVBoxLayout, QWidget, Qt, Signal,
)

NO_DATE = QDate(1900, 1, 1)


class DateKeys(QObject):
    """Makes a date field usable from the keyboard and the calendar: Tab and Shift+Tab leave the
    field (Left and Right move between day, month and year); in an empty field the first digit
    typed starts from today's date with the day selected (so "20112026" gives 20/11/2026);
    Delete or Backspace over the whole text empties it; and the calendar of an empty field opens
    on this month rather than on January 1900. (FieldEditor shows an empty date as its minimum.)"""

    def attach(self, widget: QWidget) -> None:
        edits = ([widget] if isinstance(widget, QDateEdit) else []) + widget.findChildren(QDateEdit)
        for date_edit in edits:
            if not date_edit.property("dateKeys"):
                date_edit.setProperty("dateKeys", True)
                date_edit.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if not isinstance(obj, QDateEdit) or obj.isReadOnly():
            return False
        kind = event.type()
        if kind == QEvent.Type.KeyPress:
            text, key = event.text(), event.key()
            if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not (
                    event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)):
                # Tab leaves the field, as in every other field (Qt's date edit would walk its day,
                # month and year with Tab, and never leaves an empty one: a keyboard trap).
                QWidget.focusNextPrevChild(obj, key == Qt.Key.Key_Tab)
                return True
            if obj.date() == NO_DATE and text and text.isdigit():
                obj.blockSignals(True)
                obj.setDate(QDate.currentDate())
                obj.blockSignals(False)
                obj.setCurrentSectionIndex(0)
                obj.setSelectedSection(obj.sectionAt(0))
            elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and obj.date() != NO_DATE:
                line = obj.lineEdit()
                if line is not None and line.selectedText() == line.text():
                    obj.setDate(NO_DATE)
                    return True
            elif obj.date() == NO_DATE and (key == Qt.Key.Key_F4 or (
                    key == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier)):
                QTimer.singleShot(0, lambda e=obj: self._this_month(e))
        elif kind == QEvent.Type.MouseButtonPress and obj.date() == NO_DATE:
            QTimer.singleShot(0, lambda e=obj: self._this_month(e))
        return False

    @staticmethod
    def _this_month(edit: QDateEdit) -> None:
        # The popup exists once Qt has opened it; asking for it earlier would create a window.
        calendar = edit.calendarWidget()
        if calendar is not None and calendar.isVisible() and edit.date() == NO_DATE:
            today = QDate.currentDate()
            calendar.setCurrentPage(today.year(), today.month())


DATE_KEYS: DateKeys | None = None


def date_keys() -> DateKeys:
    global DATE_KEYS
    if DATE_KEYS is None:
        DATE_KEYS = DateKeys(QApplication.instance())
    return DATE_KEYS


TEXT_WIDTH = 600   # a readable line, not the width of the screen
READ_ONLY_STYLE = "{cls} {{ background: palette(window); border: 1px dashed palette(mid); }}"


class FieldEditor(QWidget):
    """One field: `value()`, `set_value()`, and `edited(name, value)` when the user changes it."""

    edited = Signal(str, object)

    def __init__(self, entity: str, field: model.Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entity, self.field = entity, field
        self._loading = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.widget = self._build()
        layout.addWidget(self.widget, 100)
        self.lang: QComboBox | None = None
        if field.kind == "text":
            self.lang = QComboBox()
            self.lang.currentIndexChanged.connect(lambda _i: self._emit_lang())
            layout.addWidget(self.lang, 0, Qt.AlignmentFlag.AlignTop)
        layout.addStretch(1)   # what the capped field leaves goes here, not between field and language
        self.retranslate_ui()

    # --- building ---------------------------------------------------------------------

    def _build(self) -> QWidget:
        f = self.field
        if f.kind == "text":
            w = QPlainTextEdit()
            w.setTabChangesFocus(True)  # Tab moves on, as in every other field
            w.setWordWrapMode(QTextOption.WrapMode.WordWrap)
            w.setMinimumHeight(64)
            w.setMaximumHeight(140)
            w.setMaximumWidth(TEXT_WIDTH)
            w.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            w.textChanged.connect(lambda: self._emit(w.toPlainText()))
        elif f.kind == "enum":
            w = QComboBox()
            w.currentIndexChanged.connect(lambda _i: self._emit(w.currentData()))
        elif f.kind == "bool":
            w = QCheckBox()
            w.toggled.connect(lambda on: self._emit(bool(on)))
        elif f.kind == "date":
            w = QDateEdit()
            w.setCalendarPopup(True)
            w.setDisplayFormat("dd/MM/yyyy")
            w.setMinimumDate(NO_DATE)
            w.setSpecialValueText("—")
            w.setDate(NO_DATE)
            date_keys().attach(w)
            w.dateChanged.connect(lambda d: self._emit(None if d == NO_DATE else d.toString("yyyy-MM-dd")))
        elif f.kind in ("pct", "decimal", "money"):
            w = QDoubleSpinBox()
            top = f.maximum if f.maximum is not None else 1_000_000
            if f.kind == "money":
                w.setPrefix("£")
                w.setDecimals(2)
                w.setRange(-1, top / 100)
            else:
                w.setDecimals(1)
                w.setRange(-1, top)
                if f.kind == "pct":
                    w.setSuffix(" %")
            w.setSpecialValueText("—")
            w.setValue(-1)
            w.valueChanged.connect(lambda v: self._emit(self._number(v)))
        elif f.kind == "int":
            w = QSpinBox()
            w.setRange(int(f.minimum if f.minimum is not None else 0) - 1, int(f.maximum if f.maximum is not None else 10**6))
            w.setSpecialValueText("—")
            w.setValue(w.minimum())
            w.valueChanged.connect(lambda v: self._emit(None if v == w.minimum() else int(v)))
        elif f.kind == "datetime":
            w = QLabel()
            w.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        else:
            w = QLineEdit()
            w.setMaximumWidth(TEXT_WIDTH)
            if f.max_len:
                w.setMaxLength(f.max_len)
            w.textEdited.connect(lambda text: self._emit(text))
        return w

    def _number(self, v: float):
        if v < 0:
            return None
        if self.field.kind == "money":
            return int(round(v * 100))
        return float(v)

    def retranslate_ui(self) -> None:
        label = _(self.field.label)
        self.widget.setAccessibleName(label)
        if self.field.kind == "enum":
            self._fill_combo(self.widget, self.field.enum, not self.field.required)
        if self.lang is not None:
            self._fill_combo(self.lang, "lang", False)
            self.lang.setAccessibleName(_("Language of “{field}”").format(field=label))
            self.lang.setToolTip(_("The language this text is written in"))
        if self.field.kind == "date":
            self.widget.setAccessibleDescription(_("Date; press Alt+Down for the calendar"))

    def _fill_combo(self, combo: QComboBox, enum: str, blank: bool) -> None:
        current = combo.currentData()
        self._loading = True
        combo.blockSignals(True)
        combo.clear()
        if blank:
            combo.addItem("—", None)
        for value, label in model.ENUMS[enum].items():
            combo.addItem(_(label), value)
        index = combo.findData(current)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)
        self._loading = False

    # --- values -----------------------------------------------------------------------

    def _emit(self, value) -> None:
        if not self._loading:
            self.edited.emit(self.field.name, value)

    def _emit_lang(self) -> None:
        if not self._loading and self.lang is not None:
            self.edited.emit(self.field.name + "_lang", self.lang.currentData())

    def set_value(self, value, lang: str | None = None) -> None:
        self._loading = True
        w, f = self.widget, self.field
        try:
            if f.kind == "text":
                if w.toPlainText() != (value or ""):
                    w.setPlainText(value or "")
            elif f.kind == "enum":
                w.setCurrentIndex(max(w.findData(value), 0))
            elif f.kind == "bool":
                w.setChecked(bool(value))
            elif f.kind == "date":
                w.setDate(QDate.fromString(value, "yyyy-MM-dd") if value else NO_DATE)
            elif f.kind in ("pct", "decimal"):
                w.setValue(-1 if value is None else float(value))
            elif f.kind == "money":
                w.setValue(-1 if value is None else value / 100)
            elif f.kind == "int":
                w.setValue(w.minimum() if value is None else int(value))
            elif f.kind == "datetime":
                from .. import i18n
                w.setText(i18n.format_datetime(dt.datetime.fromisoformat(value)) if value else "—")
            else:
                if w.text() != (value or ""):
                    w.setText(value or "")
            if self.lang is not None:
                self.lang.setCurrentIndex(max(self.lang.findData(lang), 0) if lang else self.lang.currentIndex())
        finally:
            self._loading = False

    def set_read_only(self, read_only: bool) -> None:
        w = self.widget
        # Looks read-only too (a finalised review): the window's grey, not an input's white.
        w.setStyleSheet(READ_ONLY_STYLE.format(cls=type(w).__name__) if read_only and not isinstance(
            w, (QComboBox, QCheckBox, QLabel)) else "")
        w.setToolTip(_("Read-only: this review is finalised") if read_only and self.entity == "reviews" else "")
        if isinstance(w, (QLineEdit, QPlainTextEdit)):
            w.setReadOnly(read_only)
        elif isinstance(w, (QDateEdit, QDoubleSpinBox, QSpinBox)):
            w.setReadOnly(read_only)
            w.setButtonSymbols(w.ButtonSymbols.NoButtons if read_only else w.ButtonSymbols.UpDownArrows)
        elif isinstance(w, (QComboBox, QCheckBox)):
            w.setEnabled(not read_only)
        if self.lang is not None:
            self.lang.setEnabled(not read_only)


class WrappingLabel(QLabel):
    """A form label that wraps and asks its row for the height of every line (QFormLayout sizes a
    row from the label's one-line hint, which clips a long label, e.g. in Welsh)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        need = self.heightForWidth(self.width())
        if need > 0 and need != self.minimumHeight():
            self.setMinimumHeight(need)


class FieldForm(QWidget):
    """A form over some fields of one record, saved as you type."""

    def __init__(self, entity: str, field_names: list[str], autosave: Autosave, parent: QWidget | None = None,
                 default_lang: str | None = None) -> None:
        super().__init__(parent)
        self.entity = entity
        self.autosave = autosave
        self.record_id: str | None = None
        self.default_lang = default_lang
        ent = model.entity(entity)
        self.layout_ = QFormLayout(self)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.layout_.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.editors: dict[str, FieldEditor] = {}
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        for name in field_names:
            f = ent.field(name)
            editor = FieldEditor(entity, f)
            editor.edited.connect(self._edited)
            label = WrappingLabel()
            label.setBuddy(editor.widget)
            error = QLabel()
            error.setObjectName("fieldError")
            error.setWordWrap(True)
            error.setVisible(False)
            error.setStyleSheet("color: palette(highlighted-text); background: #9b1c1c; padding: 2px 6px;")
            box = QWidget()
            col = QVBoxLayout(box)
            col.setContentsMargins(0, 0, 0, 0)
            col.setSpacing(2)
            col.addWidget(editor)
            col.addWidget(error)
            self.layout_.addRow(label, box)
            self.editors[name], self.labels[name], self.errors[name] = editor, label, error
        autosave.refused.connect(self._refused)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        ent = model.entity(self.entity)
        for name, label in self.labels.items():
            f = ent.field(name)
            text = _(f.label)
            # A no-break space keeps the required mark with the last word when the label wraps.
            label.setText(text + ("\u00a0*" if f.required else ""))
            self.editors[name].retranslate_ui()
            self.editors[name].setToolTip(_("Required") if f.required else "")

    def load(self, record: dict | None, read_only: bool = False) -> None:
        self.record_id = record["id"] if record else None
        for name, editor in self.editors.items():
            lang = record.get(name + "_lang") if record and editor.lang is not None else None
            if record and editor.lang is not None and lang is None:
                lang = self.default_lang
            editor.set_value(record.get(name) if record else None, lang)
            editor.set_read_only(read_only or record is None)
            self.errors[name].setVisible(False)

    def focus_field(self, name: str) -> None:
        editor = self.editors.get(name)
        if editor:
            editor.widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _edited(self, name: str, value) -> None:
        if self.record_id is None:
            return
        base = name[:-5] if name.endswith("_lang") and name[:-5] in self.editors else name
        self.errors.get(base, QLabel()).setVisible(False)
        self.autosave.queue(self.entity, self.record_id, name, value)
        editor = self.editors.get(base)
        if editor and editor.lang is not None and not name.endswith("_lang") and value:
            # A text written for the first time takes the language shown beside it.
            self.autosave.queue(self.entity, self.record_id, base + "_lang", editor.lang.currentData())

    def _refused(self, entity: str, record_id: str, field: str, message: str) -> None:
        if entity != self.entity or record_id != self.record_id:
            return
        label = self.errors.get(field)
        if label is not None:
            label.setText(message)
            label.setVisible(True)
            QTimer.singleShot(0, lambda: self.editors[field].widget.setFocus())
