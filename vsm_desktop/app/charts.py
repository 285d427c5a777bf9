"""Charts drawn with QPainter: term bars (attendance, exclusions), horizontal bars with full
labels (completion by school, worst first, with the average as a line; spend by kind) and a
learner's attendance sparkline.

Why QPainter and not a charting library: QtCharts is not in the PySide6 wheels the app ships
(it is in PySide6-Addons, a second wheel of well over 100 MB, and Qt is moving it aside for
QtGraphs); matplotlib adds its import time (hundreds of ms) and tens of MB to the bundle and
draws text with its own font handling, not Qt's; pyqtgraph brings numpy. None of them gives a
bar that can take keyboard focus or speak through Qt's accessibility bridge. Drawing the few
shapes here costs a few milliseconds, uses the app's fonts (Welsh text is never cut short:
labels wrap), and every bar can be reached with the arrow keys and opened with Enter.

The charts take plain values computed by the core; they only draw. Their text is set by the
owner, which retranslates it.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import style
from .qt import (
    QFont, QPainter, QPainterPath, QPen, QPointF, QRect, QSize, QToolTip, QWidget, Qt, Signal,
)


@dataclass
class Bar:
    label: str
    value: float | None          # None: nothing to draw (no data, or withheld)
    text: str                    # shown beside the bar
    ids: tuple[str, ...] = ()
    current: bool = False        # the term we are in: marked as such


class _Chart(QWidget):
    """Bars that can be hovered, clicked, and walked with the arrow keys (Enter opens one)."""

    bar_clicked = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = ""
        self.bars: list[Bar] = []
        self.empty_text = ""
        self.cursor_index = -1   # the bar the keyboard is on
        self._hover = -1
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def _describe(self) -> str:
        return "; ".join(f"{b.label}: {b.text}" for b in self.bars) or self.empty_text

    def _set(self, title: str, bars: list[Bar], empty_text: str) -> None:
        self.title, self.bars, self.empty_text = title, bars, empty_text
        self.cursor_index = min(self.cursor_index, len(bars) - 1)
        self.setAccessibleName(title)
        self.setAccessibleDescription(self._describe())
        self.updateGeometry()
        self.update()

    def bar_rect(self, i: int) -> QRect:   # the area that answers a click on bar i
        raise NotImplementedError

    def bar_at(self, pos) -> int:
        return next((i for i in range(len(self.bars)) if self.bar_rect(i).contains(pos)), -1)

    def _title_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def _title_height(self, width: int) -> int:
        from .qt import QFontMetrics

        fm = QFontMetrics(self._title_font())
        return fm.boundingRect(QRect(0, 0, max(40, width - 16), 1000), Qt.TextFlag.TextWordWrap, self.title).height() + 6

    def _paint_title(self, p: QPainter) -> None:
        p.setFont(self._title_font())
        p.setPen(style.colour("ink"))
        p.drawText(QRect(8, 2, self.width() - 16, self._title_height(self.width())), Qt.TextFlag.TextWordWrap, self.title)
        p.setFont(self.font())

    def _paint_cursor(self, p: QPainter) -> None:
        if self.hasFocus():
            if 0 <= self.cursor_index < len(self.bars):
                style.draw_focus(p, self.bar_rect(self.cursor_index).adjusted(-3, -3, 3, 3))
            else:
                style.draw_focus(p, self.rect())

    def _move(self, index: int) -> None:
        if not self.bars:
            return
        self.cursor_index = max(0, min(len(self.bars) - 1, index))
        bar = self.bars[self.cursor_index]
        # What a screen reader says for the bar the keyboard is on.
        self.setAccessibleName(f"{self.title}: {bar.label}: {bar.text}")
        self.setToolTip(f"{bar.label}: {bar.text}")
        self.update()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        key = event.key()
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self._move(self.cursor_index - 1 if self.cursor_index > 0 else 0)
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self._move(self.cursor_index + 1)
        elif key == Qt.Key.Key_Home:
            self._move(0)
        elif key == Qt.Key.Key_End:
            self._move(len(self.bars) - 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and 0 <= self.cursor_index < len(self.bars):
            if self.bars[self.cursor_index].ids:
                self.bar_clicked.emit(self.cursor_index)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: N802
        if self.cursor_index < 0 and self.bars:
            self._move(0)
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.setAccessibleName(self.title)
        self.update()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        i = self.bar_at(event.position().toPoint())
        if i != self._hover:
            self._hover = i
            bar = self.bars[i] if i >= 0 else None
            self.setToolTip(f"{bar.label}: {bar.text}" if bar else "")
            self.setCursor(Qt.CursorShape.PointingHandCursor if bar and bar.ids else Qt.CursorShape.ArrowCursor)
            self.update()

    def leaveEvent(self, _event) -> None:  # noqa: N802
        self._hover = -1
        self.update()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        i = self.bar_at(event.position().toPoint())
        if i >= 0 and self.bars[i].ids:
            self.cursor_index = i
            self.bar_clicked.emit(i)


class BarChart(_Chart):
    """Vertical bars, one per term: the value above, the label below (wrapped, never cut), the
    current term marked in words and with a dashed frame."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.maximum: float | None = None
        self.setMinimumSize(260, 210)

    def set_bars(self, title: str, bars: list[Bar], maximum: float | None = None, empty_text: str = "") -> None:
        self.maximum = maximum
        self._set(title, bars, empty_text)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(420, 240)

    def _label_height(self) -> int:
        return self.fontMetrics().height() * 2 + 8

    def _plot(self) -> QRect:
        fm = self.fontMetrics()
        top = self._title_height(self.width()) + fm.height() + 6
        return QRect(8, top, self.width() - 16, self.height() - top - self._label_height())

    def _top(self) -> float:
        values = [b.value for b in self.bars if b.value is not None]
        return self.maximum or (max(values) * 1.1 if values and max(values) > 0 else 1)

    def _column(self, i: int, plot: QRect) -> QRect:
        step = plot.width() / max(1, len(self.bars))
        return QRect(int(plot.left() + step * i), plot.top(), int(step), plot.height())

    def _bar(self, i: int, plot: QRect) -> QRect:
        column = self._column(i, plot)
        width = max(4, min(120, int(column.width() * 0.6)))
        value = self.bars[i].value or 0
        top = self._top()
        height = int(plot.height() * (value / top)) if top else 0
        return QRect(column.center().x() - width // 2, plot.bottom() - height, width, height)

    def bar_rect(self, i: int) -> QRect:
        return self._column(i, self._plot()).adjusted(0, 0, 0, self._label_height())

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_title(p)
        fm = self.fontMetrics()
        plot = self._plot()
        p.setPen(QPen(style.colour("rule"), 1))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        if not self.bars:
            p.setPen(style.colour("muted"))
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text)
            return
        for i, bar in enumerate(self.bars):
            column, rect = self._column(i, plot), self._bar(i, plot)
            if bar.current:
                p.setPen(QPen(style.colour("muted"), 1, Qt.PenStyle.DashLine))
                p.setBrush(Qt.BrushStyle.NoBrush)
                frame = QRect(rect.left() - 12, plot.top() - fm.height() - 4, rect.width() + 24, plot.height() + fm.height() + 4)
                p.drawRect(frame.intersected(column.adjusted(2, -fm.height() - 4, -2, 0)))
            if bar.value:
                colour = style.colour("accent_hover" if i == self._hover and bar.ids else "accent")
                p.fillRect(rect, colour)
            p.setPen(style.colour("ink" if bar.value is not None else "muted"))
            above = QRect(column.left(), rect.top() - fm.height() - 2, column.width(), fm.height())
            p.drawText(above, Qt.AlignmentFlag.AlignHCenter, bar.text)
            p.setPen(style.colour("ink" if bar.current else "muted"))
            below = QRect(column.left() + 2, plot.bottom() + 4, column.width() - 4, self._label_height() - 4)
            p.drawText(below, Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap, bar.label)
        self._paint_cursor(p)


class HBarChart(_Chart):
    """Horizontal bars with the whole label beside each (wrapped, never elided), the value at the
    bar's end, and optionally a reference line (the authority's average)."""

    BAR = 16
    GAP = 6

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.maximum: float | None = None
        self.reference: tuple[float, str] | None = None
        self._rows: list[QRect] = []
        self._layout_width = -1
        self.setMinimumWidth(300)

    def set_bars(self, title: str, bars: list[Bar], maximum: float | None = None, empty_text: str = "",
                 reference: tuple[float, str] | None = None) -> None:
        self.maximum, self.reference = maximum, reference
        self._layout_width = -1
        self._set(title, bars, empty_text)
        self._lay_out()

    def _columns(self, width: int) -> tuple[int, int]:
        fm = self.fontMetrics()
        label_w = min(max((fm.horizontalAdvance(b.label) for b in self.bars), default=40) + 12, int(width * 0.45))
        value_w = max((fm.horizontalAdvance(b.text) for b in self.bars), default=20) + 10
        return label_w, value_w

    def _lay_out(self) -> None:
        """Rows (their heights follow the wrapped labels); the widget asks for the height it needs."""
        width = max(self.width(), self.minimumWidth())
        fm = self.fontMetrics()
        label_w, _value_w = self._columns(width)
        y = self._title_height(width) + 4
        rows = []
        for bar in self.bars:
            text_h = fm.boundingRect(QRect(0, 0, label_w - 12, 1000), Qt.TextFlag.TextWordWrap, bar.label).height()
            h = max(self.BAR, text_h) + self.GAP
            rows.append(QRect(8, y, width - 16, h))
            y += h
        self._rows = rows
        footer = fm.height() + 10 if self.reference or not self.bars else 6
        if not self.bars:
            y += fm.height() * 2
        self._layout_width = width
        self.setMinimumHeight(y + footer)
        self.updateGeometry()

    def resizeEvent(self, event) -> None:  # noqa: N802
        if self.width() != self._layout_width:
            self._lay_out()
        super().resizeEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(440, self.minimumHeight())

    def _scale(self) -> tuple[int, int, float]:
        label_w, value_w = self._columns(self.width())
        left = 8 + label_w
        span = max(20, self.width() - 8 - left - value_w)
        values = [b.value for b in self.bars if b.value is not None]
        top = self.maximum or (max(values) * 1.05 if values and max(values) > 0 else 1)
        return left, span, top

    def bar_rect(self, i: int) -> QRect:
        return self._rows[i] if i < len(self._rows) else QRect()

    def paintEvent(self, _event) -> None:  # noqa: N802
        if self.width() != self._layout_width or len(self._rows) != len(self.bars):
            self._lay_out()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_title(p)
        fm = self.fontMetrics()
        if not self.bars:
            p.setPen(style.colour("muted"))
            p.drawText(self.rect().adjusted(8, self._title_height(self.width()), -8, 0),
                       Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text)
            return
        left, span, top = self._scale()
        for i, (bar, row) in enumerate(zip(self.bars, self._rows)):
            p.setPen(style.colour("ink"))
            p.drawText(QRect(row.left(), row.top(), left - row.left() - 12, row.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap, bar.label)
            length = int(span * (bar.value or 0) / top) if top else 0
            y = row.center().y() - self.BAR // 2
            if bar.value:
                colour = style.colour("accent_hover" if i == self._hover and bar.ids else "accent")
                p.fillRect(QRect(left, y, max(2, length), self.BAR), colour)
            p.setPen(style.colour("ink" if bar.value is not None else "muted"))
            p.drawText(QRect(left + length + 5, row.top(), self.width() - left - length, row.height()),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, bar.text)
        p.setPen(QPen(style.colour("rule"), 1))
        bottom = self._rows[-1].bottom()
        p.drawLine(left, self._rows[0].top(), left, bottom)
        if self.reference is not None:
            value, text = self.reference
            x = left + int(span * value / top)
            p.setPen(QPen(style.colour("ink"), 2, Qt.PenStyle.DashLine))
            p.drawLine(x, self._rows[0].top() - 2, x, bottom + 4)
            p.setPen(style.colour("ink"))
            width = fm.horizontalAdvance(text) + 4
            p.drawText(QRect(max(left, min(x - width // 2, self.width() - width - 4)), bottom + 5, width, fm.height()),
                       Qt.AlignmentFlag.AlignCenter, text)
        self._paint_cursor(p)


class TrendLine(QWidget):
    """A learner's attendance by term as a small line: the last value written beside its point,
    the 95 % and 90 % (persistent absence) lines dashed and labelled, a tooltip per term."""

    LINES = ((95.0, "target"), (90.0, "persistent"))

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.points: list[tuple[str, float]] = []   # (term or date as shown, %)
        self.texts: list[str] = []                  # each point as said: "Autumn 2026: 92.1 %"
        self.value_text = str                       # formats a percentage (the owner's locale)
        self.setMinimumSize(220, 56)
        self.setMouseTracking(True)

    def set_points(self, points: list[tuple[str, float]], description: str, texts: list[str] | None = None,
                   value_text=None) -> None:
        self.points = points
        self.texts = texts or [f"{label}: {value}" for label, value in points]
        if value_text is not None:
            self.value_text = value_text
        self.setAccessibleDescription(description)
        self.setToolTip(description)
        self.setVisible(bool(points))
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(300, 60)

    def _geometry(self):
        fm = self.fontMetrics()
        labels = max(fm.horizontalAdvance(self.value_text(v)) for v, _c in self.LINES) + 6
        last = fm.horizontalAdvance(self.value_text(self.points[-1][1])) + 8 if self.points else 0
        left, right = 4, self.width() - labels - last - 4
        low = min(80.0, min(v for _l, v in self.points) - 2) if self.points else 80.0
        top, bottom = 6, self.height() - 6

        def y(value: float) -> float:
            return top + (bottom - top) * (100 - value) / (100 - low)

        step = (right - left) / max(1, len(self.points) - 1)
        xs = [left + step * i if len(self.points) > 1 else (left + right) / 2 for i in range(len(self.points))]
        return xs, y, right, labels

    def paintEvent(self, _event) -> None:  # noqa: N802
        if not self.points:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        xs, y, right, labels = self._geometry()
        small = QFont(self.font())
        small.setPointSizeF(small.pointSizeF() * 0.85)
        for value, name in self.LINES:
            p.setPen(QPen(style.colour(name), 1, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(4, y(value)), QPointF(self.width() - labels - 2, y(value)))
            p.setFont(small)
            p.setPen(style.colour(name))
            p.drawText(QRect(self.width() - labels, int(y(value)) - fm.height() // 2, labels, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self.value_text(value))
        p.setFont(self.font())
        path = QPainterPath()
        for i, (_label, value) in enumerate(self.points):
            point = QPointF(xs[i], y(value))
            path.moveTo(point) if i == 0 else path.lineTo(point)
        p.setPen(QPen(style.colour("accent"), 2))
        p.drawPath(path)
        p.setBrush(style.colour("accent"))
        for i, (_label, value) in enumerate(self.points):
            p.drawEllipse(QPointF(xs[i], y(value)), 2.5, 2.5)
        last = self.points[-1][1]
        bold = QFont(self.font())
        bold.setBold(True)
        p.setFont(bold)
        p.setPen(style.colour("ink"))
        p.drawText(QRect(int(xs[-1]) + 5, int(y(last)) - fm.height() // 2, self.width(), fm.height()),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.value_text(last))

    def point_at(self, x: float) -> int:
        if not self.points:
            return -1
        xs, _y, _right, _labels = self._geometry()
        return min(range(len(xs)), key=lambda i: abs(xs[i] - x))

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        i = self.point_at(event.position().x())
        if i >= 0:
            QToolTip.showText(event.globalPosition().toPoint(), self.texts[i], self)
