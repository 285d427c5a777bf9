"""Sign-off in the meeting: who took part, how, whether they agree, and a drawn signature.

`SignaturePad` takes strokes from a mouse, a finger (touch) or a pen (tablet) as
`QPainterPath`s and renders them to a PNG; `AttendeeSignoff` is the form for one attendee of
the review (name, role, present / apologies / written, agreement) with the pad: each finished
stroke saves the signature (base64 PNG in `attendees.signature_png`) and the time it was
signed (`signed_at`, UTC with its time zone) through the autosave, like any other field.
"""

from __future__ import annotations

import base64
import datetime as dt

from .. import i18n
from ..i18n import _
from .autosave import Autosave
from .fields import FieldForm
from .qt import (
    QBuffer, QByteArray, QColor, QEvent, QHBoxLayout, QImage, QIODevice, QLabel, QPainter, QPainterPath, QPen,
    QPointF, QPushButton, QSizePolicy, QVBoxLayout, QWidget, Qt, Signal,
)

ATTENDEE_FIELDS = ("name", "role", "attendance", "agreed")
PEN_WIDTH = 2.5
INK = QColor(20, 30, 90)  # dark blue ink: reads as a signature on screen and in the PDF


def utc_now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


class SignaturePad(QWidget):
    """A drawing area for one signature. Strokes are kept as paths in widget coordinates; a
    signature loaded from the store is kept as an image and drawn under any new strokes."""

    stroke_finished = Signal()
    cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strokes: list[QPainterPath] = []
        self._current: QPainterPath | None = None
        self._background: QImage | None = None
        self._read_only = False
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(320, 120)
        self.setMaximumWidth(760)   # about the proportions of a signature box on paper
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(150)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setAccessibleName(_("Signature"))
        self.setAccessibleDescription(
            _("Draw the signature with a mouse, a pen or a finger. Press Delete to clear it."))
        self.update()

    # --- state --------------------------------------------------------------------------

    def is_empty(self) -> bool:
        return not self._strokes and self._current is None and self._background is None

    def strokes(self) -> list[QPainterPath]:
        return list(self._strokes)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.setCursor(Qt.CursorShape.ArrowCursor if read_only else Qt.CursorShape.CrossCursor)
        self.update()

    def clear(self) -> None:
        had = not self.is_empty()
        self._strokes, self._current, self._background = [], None, None
        self.update()
        if had:
            self.cleared.emit()

    def load_png_base64(self, data: str | None) -> None:
        """Shows a stored signature (or nothing); no signal."""
        self._strokes, self._current = [], None
        self._background = None
        if data:
            image = QImage.fromData(QByteArray(base64.b64decode(data)), "PNG")
            self._background = None if image.isNull() else image
        self.update()

    def to_image(self) -> QImage:
        size = self.size()
        image = QImage(size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._draw_ink(painter)
        painter.end()
        return image

    def to_png_base64(self) -> str | None:
        if self.is_empty():
            return None
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.to_image().save(buffer, "PNG")
        buffer.close()
        return base64.b64encode(bytes(data)).decode("ascii")

    # --- input: mouse, pen (tablet), touch ------------------------------------------------

    def _begin(self, pos: QPointF) -> None:
        if self._read_only:
            return
        self._current = QPainterPath(pos)
        self._current.lineTo(pos + QPointF(0.01, 0.01))  # a dot is a stroke too
        self.update()

    def _extend(self, pos: QPointF) -> None:
        if self._current is not None:
            self._current.lineTo(pos)
            self.update()

    def _end(self) -> None:
        if self._current is not None:
            self._strokes.append(self._current)
            self._current = None
            self.update()
            self.stroke_finished.emit()

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())
            event.accept()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position())
            event.accept()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._end()
            event.accept()

    def tabletEvent(self, event) -> None:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._begin(event.position())
        elif kind == QEvent.Type.TabletMove and self._current is not None:
            self._extend(event.position())
        elif kind == QEvent.Type.TabletRelease:
            self._end()
        event.accept()

    def event(self, event) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel):
            points = event.points()
            if points:
                pos = points[0].position()
                if kind == QEvent.Type.TouchBegin:
                    self._begin(pos)
                elif kind == QEvent.Type.TouchUpdate:
                    self._extend(pos)
                else:
                    self._extend(pos)
                    self._end()
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not self._read_only:
            self.clear()
            event.accept()
            return
        super().keyPressEvent(event)

    # --- painting ------------------------------------------------------------------------

    def _draw_ink(self, painter: QPainter) -> None:
        if self._background is not None:
            painter.drawImage(0, 0, self._background)
        pen = QPen(INK, PEN_WIDTH, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for path in self._strokes + ([self._current] if self._current is not None else []):
            painter.drawPath(path)

    def paintEvent(self, _event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pal = self.palette()
        rect = self.rect().adjusted(0, 0, -1, -1)
        painter.fillRect(rect, pal.base())
        frame = QPen(pal.highlight().color() if self.hasFocus() else pal.mid().color(), 2 if self.hasFocus() else 1)
        painter.setPen(frame)
        painter.drawRect(rect)
        # The line to sign on, and a hint while it is empty.
        baseline = int(self.height() * 0.72)
        painter.setPen(QPen(pal.mid().color(), 1, Qt.PenStyle.DashLine))
        painter.drawLine(16, baseline, self.width() - 16, baseline)
        if self.is_empty():
            painter.setPen(pal.placeholderText().color())
            painter.drawText(self.rect().adjusted(16, 0, -16, -(self.height() - baseline) - 4),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                             _("No signature") if self._read_only else _("Sign here"))
        self._draw_ink(painter)
        painter.end()


class AttendeeSignoff(QWidget):
    """The form for one attendee: who, how they took part, agreement, and their signature."""

    edited = Signal(str, object)   # field, value (for the table above to follow)

    def __init__(self, autosave: Autosave, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.autosave = autosave
        self.row: dict | None = None
        self._read_only = True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.form = FieldForm("attendees", list(ATTENDEE_FIELDS), autosave)
        for editor in self.form.editors.values():
            editor.edited.connect(self.edited)
        layout.addWidget(self.form)

        self.pad_label = QLabel()
        self.pad_label.setWordWrap(True)
        layout.addWidget(self.pad_label)
        self.pad = SignaturePad()
        self.pad_label.setBuddy(self.pad)
        layout.addWidget(self.pad)
        row = QHBoxLayout()
        self.signed_label = QLabel()
        self.signed_label.setWordWrap(True)
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(self.clear_signature)
        row.addWidget(self.signed_label, 1)
        row.addWidget(self.clear_button, 0)
        layout.addLayout(row)
        self.pad.stroke_finished.connect(self._signed)
        self.pad.cleared.connect(self._cleared)
        self.retranslate_ui()

    @property
    def editors(self):
        return self.form.editors

    def retranslate_ui(self) -> None:
        self.form.retranslate_ui()
        for label in self.form.labels.values():   # the required mark stays with its word
            if label.text().endswith(" *"):
                label.setText(label.text()[:-2] + "\u00a0*")
        self.pad.retranslate_ui()
        self.pad_label.setText(_("Signature (optional): draw with a mouse, a pen or a finger"))
        self.clear_button.setText(_("Clear signature"))
        self.clear_button.setAccessibleName(_("Clear the signature"))
        self._show_signed()

    def load(self, row: dict | None, read_only: bool = False) -> None:
        self.row = row
        self._read_only = read_only or row is None
        self.form.load(row, read_only=self._read_only)
        self.pad.load_png_base64(row.get("signature_png") if row else None)
        self.pad.set_read_only(self._read_only)
        self.pad.setEnabled(row is not None)
        self.clear_button.setEnabled(not self._read_only)
        name = (row or {}).get("name") or ""
        self.pad.setAccessibleName(_("Signature of {name}").format(name=name) if name else _("Signature"))
        self._show_signed()

    def focus_field(self, name: str) -> None:
        if name in ("signature_png", "signed_at"):
            self.pad.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.form.focus_field(name)

    def focus_widgets(self) -> dict[str, QWidget]:
        out = {name: ed.widget for name, ed in self.form.editors.items()}
        out["signature_png"] = self.pad
        return out

    def _show_signed(self) -> None:
        when = (self.row or {}).get("signed_at")
        if when:
            text = _("Signed {time}").format(time=i18n.format_datetime(dt.datetime.fromisoformat(when), "short"))
        else:
            text = _("Not signed")
        self.signed_label.setText(text)

    def _store(self, field: str, value) -> None:
        if self.row is None or self._read_only:
            return
        self.row[field] = value
        self.autosave.queue("attendees", self.row["id"], field, value)
        self.edited.emit(field, value)

    def _signed(self) -> None:
        self._store("signature_png", self.pad.to_png_base64())
        self._store("signed_at", utc_now_iso())
        self._show_signed()

    def _cleared(self) -> None:
        self._store("signature_png", None)
        self._store("signed_at", None)
        self._show_signed()

    def clear_signature(self) -> None:
        if not self._read_only:
            self.pad.clear()
