"""Charts drawn with QPainter (the Qt wheels here carry no QtCharts): a bar chart whose bars
can be clicked (each bar holds the learners behind it), and a small attendance trend line.

Both take plain values computed by the core; they only draw. Their text (title, labels) is
set by the owner, which retranslates it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .qt import QColor, QFont, QPainter, QPainterPath, QPen, QPointF, QRect, QSize, QWidget, Qt, Signal

ACCENT = QColor("#0b5563")
ACCENT_HOVER = QColor("#137a8b")
INK = QColor("#1b1f23")
MUTED = QColor("#5b6570")
RULE = QColor("#c5d0d6")
PERSISTENT = QColor("#b03a2e")


@dataclass
class Bar:
    label: str
    value: float | None          # None: nothing to draw (no data, or withheld)
    text: str                    # shown above the bar
    ids: tuple[str, ...] = ()


class BarChart(QWidget):
    """Vertical bars with a title, value texts above and labels below (elided to fit)."""

    bar_clicked = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = ""
        self.bars: list[Bar] = []
        self.maximum: float | None = None
        self.empty_text = ""
        self._hover = -1
        self.setMouseTracking(True)
        self.setMinimumSize(280, 210)

    def set_bars(self, title: str, bars: list[Bar], maximum: float | None = None, empty_text: str = "") -> None:
        self.title, self.bars, self.maximum, self.empty_text = title, bars, maximum, empty_text
        self.setAccessibleName(title)
        self.setAccessibleDescription("; ".join(f"{b.label}: {b.text}" for b in bars))
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(420, 240)

    def _plot(self) -> QRect:
        fm = self.fontMetrics()
        top = fm.height() * 2 + 8
        bottom = fm.height() + 10
        return QRect(8, top, self.width() - 16, self.height() - top - bottom)

    def _bar_rect(self, i: int, plot: QRect, top: float) -> QRect:
        step = plot.width() / max(1, len(self.bars))
        width = max(4, int(step * 0.62))
        x = int(plot.left() + step * i + (step - width) / 2)
        value = self.bars[i].value or 0
        height = int(plot.height() * (value / top)) if top else 0
        return QRect(x, plot.bottom() - height, width, height)

    def _top(self) -> float:
        values = [b.value for b in self.bars if b.value is not None]
        return self.maximum or (max(values) * 1.1 if values and max(values) > 0 else 1)

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        title_font = QFont(self.font())
        title_font.setBold(True)
        p.setFont(title_font)
        p.setPen(INK)
        p.drawText(QRect(8, 2, self.width() - 16, fm.height() + 4), Qt.AlignmentFlag.AlignLeft,
                   p.fontMetrics().elidedText(self.title, Qt.TextElideMode.ElideRight, self.width() - 16))
        p.setFont(self.font())
        plot = self._plot()
        p.setPen(QPen(RULE, 1))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        if not self.bars:
            p.setPen(MUTED)
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text)
            return
        top = self._top()
        step = plot.width() / len(self.bars)
        for i, bar in enumerate(self.bars):
            rect = self._bar_rect(i, plot, top)
            if bar.value:
                p.fillRect(rect, ACCENT_HOVER if i == self._hover and bar.ids else ACCENT)
            p.setPen(INK)
            cell = QRect(int(plot.left() + step * i), rect.top() - fm.height() - 2, int(step), fm.height())
            p.drawText(cell, Qt.AlignmentFlag.AlignHCenter, fm.elidedText(bar.text, Qt.TextElideMode.ElideRight, int(step)))
            p.setPen(MUTED)
            below = QRect(int(plot.left() + step * i), plot.bottom() + 4, int(step), fm.height() + 2)
            p.drawText(below, Qt.AlignmentFlag.AlignHCenter,
                       fm.elidedText(bar.label, Qt.TextElideMode.ElideRight, max(8, int(step) - 2)))

    def bar_at(self, x: float) -> int:
        plot = self._plot()
        if not self.bars or not plot.left() <= x <= plot.right():
            return -1
        return min(len(self.bars) - 1, int((x - plot.left()) / (plot.width() / len(self.bars))))

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        i = self.bar_at(event.position().x())
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
        i = self.bar_at(event.position().x())
        if i >= 0 and self.bars[i].ids:
            self.bar_clicked.emit(i)


class TrendLine(QWidget):
    """A small line of percentages over time (a learner's attendance by term), with the 90 %
    persistent-absence line dashed."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.points: list[tuple[str, float]] = []
        self.setMinimumSize(160, 44)

    def set_points(self, points: list[tuple[str, float]], description: str) -> None:
        self.points = points
        self.setAccessibleDescription(description)
        self.setToolTip(description)
        self.setVisible(bool(points))
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(220, 48)

    def paintEvent(self, _event) -> None:  # noqa: N802
        if not self.points:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        low = min(80.0, min(v for _l, v in self.points) - 2)
        w, h = self.width() - 12, self.height() - 8

        def y(value: float) -> float:
            return 4 + h * (100 - value) / (100 - low)

        p.setPen(QPen(PERSISTENT, 1, Qt.PenStyle.DashLine))
        p.drawLine(QPointF(4, y(90)), QPointF(4 + w, y(90)))
        step = w / max(1, len(self.points) - 1)
        path = QPainterPath()
        for i, (_label, value) in enumerate(self.points):
            point = QPointF(6 + step * i if len(self.points) > 1 else 6 + w / 2, y(value))
            path.moveTo(point) if i == 0 else path.lineTo(point)
        p.setPen(QPen(ACCENT, 2))
        p.drawPath(path)
        p.setBrush(ACCENT)
        for i, (_label, value) in enumerate(self.points):
            point = QPointF(6 + step * i if len(self.points) > 1 else 6 + w / 2, y(value))
            p.drawEllipse(point, 2.5, 2.5)
