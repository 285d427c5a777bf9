"""The coordinator's dashboard: the cohort's figures for a period and a scope, each a flat card
(grouped under its heading, reflowing to the window's width) that opens the learner list
filtered to the learners behind it; figures of nothing named on one line instead of a card;
the red-rated reviews with who and where; four charts (`charts.py`, why QPainter is said
there); "Export report…" (CSV, PDF or JSON) with a note that the report suppresses small
numbers and this screen does not.

The figures come from the core (`reports.dashboard.compute`, from the store's summary rows) on
the store's worker thread; this page only lays them out. `DashboardPart` is the part the main
window holds: it adds the Dashboard menu and the page to the workspace.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from .. import i18n
from ..domain import model
from ..i18n import N_, _, ngettext
from ..reports.cohort import Period, Scope
from ..domain.funding import year_label as funding_year_label
from ..reports.dashboard import (
    BAND_LABELS, Dashboard, Figure, band_label, compute, name_red_reviews, scope_options,
)
from ..reports.monitoring import DEFAULT_SUPPRESS_BELOW
from . import style
from .style import name_table
from .charts import Bar, BarChart, HBarChart
from .coordinator_ui import ListModel
from .language import human_error
from .qt import (
    QAbstractButton, QAbstractItemView, QAction, QComboBox, QDate, QDateEdit, QFileDialog, QFont, QFontMetrics, QFrame,
    QGridLayout, QHBoxLayout, QHeaderView, QKeySequence, QLabel, QLayout, QMenu, QPainter, QPen, QPushButton, QRect,
    QScrollArea, QSize, QSizePolicy, QTableView, QTimer, QVBoxLayout, QWidget, Qt, Signal,
)
from .worker import StoreWorker

log = logging.getLogger(__name__)
# When the dashboard's reads are made in the background, after the parts start (once the list
# shows): between sync opening its connection (1.5 s) and the PDF stack's import (3 s), so that
# none of them shares the worker or the GIL with another.
WARM_UP_AFTER_MS = 2000

SCOPE_KINDS = (
    (None, N_("Whole authority")), ("school", N_("School")), ("year_group", N_("Year group")),
    ("legal_status", N_("Legal status")), ("placing_area", N_("Placing area")),
    ("language_of_learning", N_("Language of learning")),
)
PERIODS = (("this_year", N_("This school year")), ("last_year", N_("Last school year")),
           ("last_12_months", N_("The last 12 months")), ("custom", N_("Chosen dates")))
CHART_SCHOOLS = 15
SECTIONS = (
    ("peps", ("learners", "due_soon", "overdue", "reviews_due", "on_time", "late", "not_completed",
              "first_due", "first_on_time")),
    ("quality", ("red", "amber", "green")),
    ("attendance", ("95_plus", "90_95", "below_90", "no_attendance", "reduced", "concerns", "fixed_term", "permanent")),
)
REVIEW_FIGURES = ("reviews_due", "on_time", "late", "not_completed", "red", "amber", "green")


def preset_period(key: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """A school year runs 1 September to 31 August."""
    start_year = today.year if today.month >= 9 else today.year - 1
    if key == "last_year":
        return dt.date(start_year - 1, 9, 1), dt.date(start_year, 8, 31)
    if key == "last_12_months":
        return today - dt.timedelta(days=365), today
    return dt.date(start_year, 9, 1), dt.date(start_year + 1, 8, 31)


def _to_qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _from_qdate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


RAG_MARKS = {"red": "✕", "amber": "!", "green": "✓"}   # a shape as well as a colour: never colour alone


class FigureCard(QAbstractButton):
    """A flat card: the figure large, what it counts below; a RAG rating adds its colour, a mark
    and the word. Clicking it, or Enter/Space on it, opens the learners behind the figure.
    `small` cards (a zero, or spend of nothing) are one line."""

    def __init__(self, rag: str | None = None, small: bool = False, parent=None) -> None:
        super().__init__(parent)
        self.rag, self.small = rag, small
        self.figure = Figure()
        self._number, self._caption = "", ""
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)

    # The tests and the screen reader read these.
    def number_text(self) -> str:
        return self._number

    def caption_text(self) -> str:
        return self._caption

    def show_figure(self, number: str, caption: str, figure: Figure) -> None:
        self.figure = figure
        self._number, self._caption = number, caption
        self.setText(f"{number} {caption}")
        self.setAccessibleName(f"{caption}: {number}")
        self.setToolTip(ngettext("Show the {n} learner behind this figure", "Show the {n} learners behind this figure",
                                 figure.count).format(n=i18n.format_number(figure.count)))
        self.setAccessibleDescription(self.toolTip())
        self.setEnabled(figure.count > 0)
        self.updateGeometry()
        self.update()

    def _fonts(self) -> tuple[QFont, QFont]:
        big = QFont(self.font())
        if not self.small:
            big.setPointSizeF(big.pointSizeF() * 1.7)
        big.setBold(True)
        return big, QFont(self.font())

    def _text_left(self) -> int:
        return 14 + (QFontMetrics(self._fonts()[0]).height() + 6 if self.rag else 0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        big, small = self._fonts()
        if self.small:
            text = QFontMetrics(small).boundingRect(QRect(0, 0, max(40, width - self._text_left() - 10), 1000),
                                                    Qt.TextFlag.TextWordWrap, f"{self._number} {self._caption}")
            return text.height() + 14
        caption = QFontMetrics(small).boundingRect(QRect(0, 0, max(40, width - self._text_left() - 10), 1000),
                                                   Qt.TextFlag.TextWordWrap, self._caption)
        return 10 + QFontMetrics(big).height() + 2 + max(caption.height(), QFontMetrics(small).height() * 2) + 10

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(240, self.heightForWidth(240))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(160, self.heightForWidth(160))

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.click()
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802
        # A layout that does not ask for the height at this width still gives the card room.
        needed = self.heightForWidth(self.width())
        if self.minimumHeight() != needed:
            self.setMinimumHeight(needed)
        super().resizeEvent(event)

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.rect().adjusted(0, 0, -1, -1)
        hover = self.underMouse() and self.isEnabled()
        p.setPen(QPen(style.colour("accent" if hover else "rule"), 1))
        p.setBrush(style.colour("card"))
        p.drawRoundedRect(rect, 4, 4)
        big, small = self._fonts()
        ink = style.colour("ink" if self.isEnabled() else "muted")
        left = self._text_left()
        if self.rag:
            colour = style.colour(self.rag)
            p.fillRect(QRect(1, 1, 5, self.height() - 2), colour)
            size = QFontMetrics(big).height()
            circle = QRect(14, 10 if not self.small else (self.height() - size) // 2, size, size)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colour)
            p.drawEllipse(circle)
            p.setPen(style.colour("card"))
            mark = QFont(big)
            mark.setPointSizeF(big.pointSizeF() * 0.7)
            p.setFont(mark)
            p.drawText(circle, Qt.AlignmentFlag.AlignCenter, RAG_MARKS[self.rag])
        width = self.width() - left - 10
        if self.small:
            p.setFont(small)
            p.setPen(ink)
            p.drawText(QRect(left, 7, width, self.height() - 14), Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignVCenter,
                       f"{self._number} {self._caption}")
        else:
            p.setFont(big)
            p.setPen(style.colour(self.rag) if self.rag and self.isEnabled() else ink)
            fm = QFontMetrics(big)
            p.drawText(QRect(left, 10, width, fm.height()), Qt.AlignmentFlag.AlignLeft, self._number)
            p.setFont(small)
            p.setPen(ink)
            p.drawText(QRect(left, 12 + fm.height(), width, self.height() - fm.height() - 14),
                       Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignTop, self._caption)
        if self.hasFocus():
            style.draw_focus(p, self.rect())


def _medium_date(iso: str | None) -> str:
    return i18n.format_date(dt.date.fromisoformat(iso[:10]), "medium") if iso else "—"


def _money(pence: int | None) -> str:
    return "—" if pence is None else i18n.format_money(pence)


FUNDING_COLUMNS = [   # (heading, text, sort key) of a (label, FundingLine)
    (N_("Kind of support or school"), lambda r: r[0]),
    (N_("Requests"), lambda r: i18n.format_number(r[1].requests), lambda r: r[1].requests),
    (N_("Requested"), lambda r: _money(r[1].requested_pence), lambda r: r[1].requested_pence),
    (N_("Approved"), lambda r: _money(r[1].approved_pence), lambda r: r[1].approved_pence),
    (N_("Spent"), lambda r: _money(r[1].spent_pence), lambda r: r[1].spent_pence),
    (N_("Remaining"), lambda r: _money(r[1].remaining_pence), lambda r: r[1].remaining_pence or 0),
]

RED_COLUMNS = [   # (heading, text, sort key) of a RedReview
    (N_("Learner"), lambda r: f"{r.name} ({r.reference})" if r.name else r.reference),
    (N_("School"), lambda r: r.school or "—"),
    (N_("Review meeting"), lambda r: _medium_date(r.meeting_date), lambda r: r.meeting_date or ""),
    (N_("Rated"), lambda r: _("{date} by {person}").format(date=_medium_date(r.rated_at), person=r.rated_by or "—"),
     lambda r: r.rated_at or ""),
]


class CardGrid(QWidget):
    """Widgets in as many columns as fit (at least `min_width` each): four cards at 1366 pixels,
    two at 150 % on a laptop screen, one on a narrow window; nothing is cut off."""

    def __init__(self, min_width: int, max_columns: int = 5, parent=None) -> None:
        super().__init__(parent)
        self.min_width, self.max_columns = min_width, max_columns
        self.items: list[QWidget] = []
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(8)
        self.columns = 0

    def set_items(self, items: list[QWidget]) -> None:
        for w in self.items:
            self.grid.removeWidget(w)
            if w not in items:
                w.hide()
        self.items = list(items)
        self.columns = 0
        self._place()
        if items and self.parentWidget() is None:
            return  # not in its page yet: shown now, it would open as a window of its own
        self.setVisible(bool(items))

    def _columns_for(self, width: int) -> int:
        return max(1, min(self.max_columns, (width + 8) // (self.min_width + 8)))

    def _place(self) -> None:
        columns = self._columns_for(self.width() if self.width() > 50 else 1366)
        if columns == self.columns:
            return
        for w in self.items:
            self.grid.removeWidget(w)
        for i in range(self.grid.columnCount()):
            self.grid.setColumnStretch(i, 0)
        for i, w in enumerate(self.items):
            self.grid.addWidget(w, i // columns, i % columns)
            w.show()
        for i in range(columns):
            self.grid.setColumnStretch(i, 1)
        self.columns = columns
        # Tab order follows reading order (row by row).
        for a, b in zip(self.items, self.items[1:]):
            QWidget.setTabOrder(a, b)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._columns_for(self.width()) != self.columns:
            self._place()


class FlowLayout(QLayout):
    """Left to right, wrapping to the next line when the width runs out (the dashboard's
    controls at 150 %)."""

    def __init__(self, parent=None, spacing: int = 8) -> None:
        super().__init__(parent)
        self._items = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, i):  # noqa: N802
        return self._items[i] if 0 <= i < len(self._items) else None

    def takeAt(self, i):  # noqa: N802
        return self._items.pop(i) if 0 <= i < len(self._items) else None

    def expandingDirections(self):  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._do(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._do(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _do(self, rect, apply: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            if item.widget() is not None and not item.widget().isVisible() and item.widget().isHidden():
                continue
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and line > 0:
                x, y, line = rect.x(), y + line + self._spacing, 0
            if apply:
                item.setGeometry(QRect(x, y, hint.width(), hint.height()))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y()


def _group(*widgets) -> QWidget:
    """Widgets that stay together on one line of the flow (a label and its field)."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(6)
    for w in widgets:
        row.addWidget(w)
    return holder


class DashboardPage(QWidget):
    """The page. `show_learners(ids, describe)` and `open_learner(id)` are the ways out."""

    show_learners = Signal(object, object)   # ids, a callable giving the figure's name
    open_learner = Signal(str)
    status_message = Signal(str)

    def __init__(self, worker: StoreWorker, parent=None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.dashboard: Dashboard | None = None
        self.options: dict[str, list[tuple[str, str]]] = {}
        self._token = 0

        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.4)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.period_label, self.scope_label = QLabel(), QLabel()
        self.period = QComboBox()
        self.date_from, self.date_to = QDateEdit(), QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        self.to_label = QLabel()
        self.to_label.setBuddy(self.date_to)
        self.scope_kind, self.scope_value = QComboBox(), QComboBox()
        self.scope_value.setMinimumContentsLength(18)
        self.scope_value.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.period_label.setBuddy(self.period)
        self.scope_label.setBuddy(self.scope_kind)
        self.export_button = QPushButton()
        self.export_button.setObjectName("exportReport")
        self.suppression_note = QLabel()
        self.suppression_note.setObjectName("suppressionNote")
        self.suppression_note.setWordWrap(True)
        self.suppression_note.setMaximumWidth(460)
        self.state = QLabel()
        self.state.setWordWrap(True)

        controls = FlowLayout(spacing=12)
        for w in (self.title, _group(self.period_label, self.period), _group(self.date_from, self.to_label, self.date_to),
                  _group(self.scope_label, self.scope_kind, self.scope_value)):
            controls.addWidget(w)
        state_row = QHBoxLayout()
        state_row.addWidget(self.state, 1)
        state_row.addWidget(self.suppression_note, 0)
        state_row.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)

        # Figures, by section: the cards that count, then a line naming those that are zero.
        self.sections: dict[str, QLabel] = {}
        self.buttons: dict[str, FigureCard] = {}
        self.grids: dict[str, CardGrid] = {}
        self.zero_labels: dict[str, QLabel] = {}
        body = QWidget()
        body.setObjectName("dashboardBody")
        grid = QVBoxLayout(body)
        grid.setSpacing(6)
        for section, keys in SECTIONS:
            self._add_heading(grid, section)
            cards = self.grids[section] = CardGrid(220)
            for key in keys:
                card = self.buttons[key] = FigureCard(rag=key if key in RAG_MARKS else None)
                card.setObjectName(f"figure_{key}")
                card.clicked.connect(lambda _c=False, k=key: self._figure_clicked(k))
            grid.addWidget(cards)
            zero = self.zero_labels[section] = QLabel()
            zero.setWordWrap(True)
            zero.setObjectName(f"zero_{section}")
            grid.addWidget(zero)
            if section == "quality":
                self.red_label = QLabel()
                # A model, not a table of items: a large authority can have hundreds of red ratings.
                self.red_model = ListModel(RED_COLUMNS, self)
                self.red_list = QTableView()
                self.red_list.setModel(self.red_model)
                self.red_list.setObjectName("redReviews")
                self.red_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
                self.red_list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
                self.red_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
                self.red_list.verticalHeader().setVisible(False)
                self.red_list.setWordWrap(False)
                header = self.red_list.horizontalHeader()
                header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
                header.setResizeContentsPrecision(50)   # measured over a sample of the rows
                header.setStretchLastSection(True)
                self.red_list.setSortingEnabled(True)
                self.red_list.sortByColumn(3, Qt.SortOrder.DescendingOrder)   # the latest rated first
                self.red_list.activated.connect(self._red_activated)
                self.red_label.setBuddy(self.red_list)
                grid.addWidget(self.red_label)
                grid.addWidget(self.red_list)
        self._add_heading(grid, "interventions")
        self.intervention_grid = CardGrid(220, max_columns=4)
        self.intervention_small = CardGrid(300, max_columns=3)
        self.intervention_buttons: list[FigureCard] = []
        grid.addWidget(self.intervention_grid)
        grid.addWidget(self.intervention_small)

        # PDG-CLA funding requests: the year's totals in a line, then by kind of support and by school.
        self._add_heading(grid, "funding")
        self.funding_summary = QLabel()
        self.funding_summary.setWordWrap(True)
        self.funding_summary.setObjectName("fundingSummary")
        self.funding_model = ListModel(FUNDING_COLUMNS, self)
        self.funding_list = QTableView()
        self.funding_list.setObjectName("fundingFigures")
        self.funding_list.setModel(self.funding_model)
        self.funding_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.funding_list.verticalHeader().setVisible(False)
        self.funding_list.setWordWrap(False)
        self.funding_list.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.funding_list.horizontalHeader().setStretchLastSection(True)
        grid.addWidget(self.funding_summary)
        grid.addWidget(self.funding_list)

        self._add_heading(grid, "charts")
        self.chart_attendance, self.chart_exclusions = BarChart(), BarChart()
        self.chart_schools, self.chart_spend = HBarChart(), HBarChart()
        self.all_schools = QPushButton()
        self.all_schools.setObjectName("allSchools")
        self.all_schools.setCheckable(True)
        self.all_schools.toggled.connect(lambda _on: self._show_charts())
        schools = QWidget()
        column = QVBoxLayout(schools)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.chart_schools)
        column.addWidget(self.all_schools, 0, Qt.AlignmentFlag.AlignLeft)
        column.addStretch(1)
        for name, chart in (("chartSchools", self.chart_schools), ("chartSpend", self.chart_spend),
                            ("chartAttendance", self.chart_attendance), ("chartExclusions", self.chart_exclusions)):
            chart.setObjectName(name)
            chart.bar_clicked.connect(lambda index, c=chart: self._bar_clicked(c, index))
        self.chart_grid = CardGrid(460, max_columns=2)
        self.chart_grid.set_items([schools, self.chart_spend, self.chart_attendance, self.chart_exclusions])
        grid.addWidget(self.chart_grid)
        grid.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(body)

        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addLayout(state_row)
        layout.addWidget(self.scroll, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.refresh)
        self.period.currentIndexChanged.connect(self._preset_changed)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self._dates_edited)
        self.scope_kind.currentIndexChanged.connect(self._scope_kind_changed)
        self.scope_value.currentIndexChanged.connect(lambda _i: self._debounce.start())
        self.retranslate_ui()
        self._set_preset_dates()

    def _add_heading(self, layout, section: str) -> None:
        heading = self.sections[section] = QLabel()
        heading.setFont(self._heading_font())
        heading.setObjectName(f"heading_{section}")
        heading.setAccessibleName("")   # read from its text
        layout.addSpacing(6)
        layout.addWidget(heading)

    @staticmethod
    def _heading_font() -> QFont:
        font = QFont()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        return font

    # --- choosing -------------------------------------------------------------------------

    def _set_preset_dates(self) -> None:
        key = self.period.currentData()
        if key == "custom":
            return
        start, end = preset_period(key, dt.date.today())
        for edit, day in ((self.date_from, start), (self.date_to, end)):
            edit.blockSignals(True)
            edit.setDate(_to_qdate(day))
            edit.blockSignals(False)

    def _preset_changed(self) -> None:
        self._set_preset_dates()
        self._debounce.start()

    def _dates_edited(self) -> None:
        custom = self.period.findData("custom")
        if self.period.currentIndex() != custom:
            self.period.blockSignals(True)
            self.period.setCurrentIndex(custom)
            self.period.blockSignals(False)
        self._debounce.start()

    def _scope_kind_changed(self) -> None:
        self._fill_scope_values()
        self._debounce.start()

    def _fill_scope_values(self) -> None:
        kind = self.scope_kind.currentData()
        current = self.scope_value.currentData()
        self.scope_value.blockSignals(True)
        self.scope_value.clear()
        for value, label in self.options.get(kind, []) if kind else []:
            self.scope_value.addItem(label, value)
        self.scope_value.setCurrentIndex(max(0, self.scope_value.findData(current)))
        self.scope_value.setVisible(kind is not None)
        self.scope_value.blockSignals(False)

    def period_chosen(self) -> Period:
        return Period(_from_qdate(self.date_from.date()), _from_qdate(self.date_to.date()))

    def scope_chosen(self) -> Scope:
        kind, value = self.scope_kind.currentData(), self.scope_value.currentData()
        if not kind or value is None:
            return Scope()
        return Scope(**{kind: int(value) if kind == "year_group" else value})

    # --- computing ------------------------------------------------------------------------

    def load_options(self) -> None:
        def loaded(options):
            self.options = options
            self._fill_scope_values()
        self.worker.submit(lambda store: scope_options(store), loaded, lambda e: self.status_message.emit(human_error(e)))

    def forget(self) -> None:
        """The store may have changed (or closed): the figures shown are dropped."""
        self.dashboard = None

    def warm_up(self) -> None:
        """Counts the figures for the period and scope chosen on the worker and shows nothing: the
        core keeps its reads while the store is unchanged (`cohort.unchanged_reads`), brings the
        whole authority's up to date after an edit learner by learner (`reports.changes`), and
        SQLCipher keeps the pages it decrypted, so the first showing only counts (a first count in
        a new process pays the file's pages and the reads, about four times a later one)."""
        try:
            period, scope = self.period_chosen(), self.scope_chosen()
        except Exception:   # a period that ends before it starts: the refresh will say so
            return

        def run(store) -> None:
            if store is not None:
                compute(store, period, scope, dt.date.today())
        self.worker.submit(run, None, lambda e: log.info("dashboard warm-up failed: %s", type(e).__name__))

    def refresh(self, then=None) -> None:
        try:
            period, scope = self.period_chosen(), self.scope_chosen()
        except Exception as e:   # a period that ends before it starts: say so, keep the old figures
            self.state.setText(human_error(e))
            return
        self._token += 1
        token = self._token
        self.state.setText(_("Calculating…"))
        def run(store) -> Dashboard:
            # Counted from the summary rows each time; the core keeps its reads while the store is
            # unchanged (so a scope or period asked again only counts), never older than the store.
            d = compute(store, period, scope, dt.date.today())
            name_red_reviews(store, d)
            return d

        def done(d: Dashboard) -> None:
            if token != self._token:
                return   # a later choice has its own calculation
            self.dashboard = d
            self._show()
            if then:
                then()

        def failed(e) -> None:
            if token == self._token:
                self.state.setText(human_error(e))
        self.worker.submit(run, done, failed)

    # --- showing --------------------------------------------------------------------------

    def _count(self, f: Figure) -> str:
        return i18n.format_number(f.count)

    def _captions(self) -> dict[str, str]:
        return {
            "learners": _("Learners"), "due_soon": _("Next PEP due within 20 school days"),
            "overdue": _("Next PEP overdue"), "reviews_due": _("PEP reviews due in the period"),
            "on_time": _("Completed on time"), "late": _("Completed late"), "not_completed": _("Not completed"),
            "first_due": _("First PEPs due"), "first_on_time": _("First PEPs within timescale"),
            "red": model.enum_label("rating", "red"), "amber": model.enum_label("rating", "amber"),
            "green": model.enum_label("rating", "green"),
            **{band: band_label(band) for band in BAND_LABELS},
            "no_attendance": _("Attendance not recorded"),
            "reduced": _("On a reduced timetable"), "concerns": _("Well-being concerns"),
            "fixed_term": _("Fixed-term exclusions"), "permanent": _("Permanent exclusions"),
        }

    def _figures(self) -> dict[str, Figure]:
        d = self.dashboard
        return {
            "learners": d.learners, "due_soon": d.due_soon, "overdue": d.overdue, "reviews_due": d.reviews_due,
            "on_time": d.completed_on_time, "late": d.completed_late, "not_completed": d.not_completed,
            "first_due": d.first_peps_due, "first_on_time": d.first_peps_on_time,
            "red": d.ratings["red"], "amber": d.ratings["amber"], "green": d.ratings["green"],
            "95_plus": d.bands["95_plus"], "90_95": d.bands["90_95"], "below_90": d.bands["below_90"],
            "no_attendance": d.no_attendance, "reduced": d.reduced_timetable, "concerns": d.wellbeing_concerns,
            "fixed_term": d.fixed_term, "permanent": d.permanent,
        }

    def _number(self, key: str, f: Figure) -> str:
        """The big number: learners, or what the figure counts (the learners go in the caption)."""
        if key in REVIEW_FIGURES:
            return ngettext("{n} review", "{n} reviews", int(f.amount)).format(n=i18n.format_number(f.amount))
        if key == "fixed_term":
            return ngettext("{n} day", "{n} days", int(f.amount)).format(n=i18n.format_number(f.amount))
        return self._count(f)

    def _caption(self, key: str, caption: str, f: Figure) -> str:
        if key in REVIEW_FIGURES or key == "fixed_term":
            return _("{figure} · {learners}").format(figure=caption, learners=self._learners(f))
        return caption

    def _learners(self, f: Figure) -> str:
        return ngettext("{n} learner", "{n} learners", f.count).format(n=i18n.format_number(f.count))

    def _show(self) -> None:
        d = self.dashboard
        if d is None:
            self.state.setText(_("Choose a period and a scope."))
            return
        captions, figures = self._captions(), self._figures()
        rate = d.completion_rate()
        if rate is not None:
            captions["on_time"] = _("Completed on time ({rate})").format(rate=i18n.format_percent(rate, 0))
        for key, button in self.buttons.items():
            button.show_figure(self._number(key, figures[key]), self._caption(key, captions[key], figures[key]),
                               figures[key])
        # A figure of nothing takes no card: it is named on one line under the section's cards.
        for section, keys in SECTIONS:
            shown = [self.buttons[k] for k in keys if figures[k].count or k in RAG_MARKS]
            self.grids[section].set_items(shown)
            zeros = [captions[k] for k in keys if not figures[k].count and k not in RAG_MARKS]
            label = self.zero_labels[section]
            label.setText(_("None in this period: {figures}.").format(figures="; ".join(zeros)) if zeros else "")
            label.setVisible(bool(zeros))
        state = _("Figures for {start} to {end}; due and overdue as of today.").format(
            start=i18n.format_date(d.period.start, "medium"), end=i18n.format_date(d.period.end, "medium"))
        if not d.learners.count:
            state += " " + _("No learner is in this scope.")
        elif not d.has_data:
            state += " " + _("There is no data for this period: no PEP review, exclusion or first PEP falls in it.")
        self.state.setText(state)
        self._show_red()
        self._show_interventions()
        self._show_funding()
        self._show_charts()

    def _show_funding(self) -> None:
        f = self.dashboard.funding
        rows = []
        if f is not None:
            rows = [(model.enum_label("funding_kind", line.key), line) for line in f.by_kind]
            rows += [(_("School: {name}").format(name=f.school_names.get(line.key) or _("not known")), line)
                     for line in f.by_school]
        self.funding_model.set_rows(rows)
        self.funding_list.setVisible(bool(rows))
        self.funding_list.setFixedHeight(self.funding_list.horizontalHeader().sizeHint().height()
                                         + min(len(rows), 8) * self.funding_list.verticalHeader().defaultSectionSize() + 4)
        if f is None or not f.has_data:
            self.funding_summary.setText(_("No PDG-CLA funding was requested or allocated for this period."))
            return
        t = f.total
        self.funding_summary.setText(_(
            "Financial year {years}: requested {requested}, approved {approved}, spent {spent}; allocation "
            "{allocation}, remaining {remaining}. Waiting for a decision: {waiting}.").format(
            years=", ".join(funding_year_label(y) for y in f.years), requested=i18n.format_money(t.requested_pence),
            approved=i18n.format_money(t.approved_pence), spent=i18n.format_money(t.spent_pence),
            allocation="—" if t.allocation_pence is None else i18n.format_money(t.allocation_pence),
            remaining="—" if t.remaining_pence is None else i18n.format_money(t.remaining_pence),
            waiting=i18n.format_number(t.waiting)))

    def _show_red(self) -> None:
        reviews = self.dashboard.red_reviews
        self.red_model.set_rows(reviews)
        header = self.red_list.horizontalHeader()
        self.red_model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.red_list.setVisible(bool(reviews))
        self.red_label.setVisible(bool(reviews))
        rows = min(len(reviews), 6)
        self.red_list.setFixedHeight(header.sizeHint().height() + rows * self.red_list.verticalHeader().defaultSectionSize() + 4)

    def _red_activated(self, index) -> None:
        if index.isValid():
            self.open_learner.emit(self.red_model.rows[index.row()].learner_id)

    def _show_interventions(self) -> None:
        d = self.dashboard
        while self.intervention_buttons:
            self.intervention_buttons.pop().deleteLater()
        entries = [(model.enum_label("intervention_kind", i.kind), i.learners, int(i.learners.amount), i.pdg_cla_pence)
                   for i in d.interventions]
        entries.append((_("All support"), d.spend_pence, sum(e[2] for e in entries), int(d.pdg_cla_pence.amount)))
        big, small = [], []
        for label, fig, count, pdg in entries:
            interventions = ngettext("{n} intervention", "{n} interventions", count).format(n=i18n.format_number(count))
            caption = _("{kind}: {interventions} for {learners}").format(
                kind=label, interventions=interventions, learners=self._learners(fig))
            # Support paid from elsewhere: a line, not a tile of "£0.00".
            card = FigureCard(small=not pdg)
            number = _("{spend} PDG-CLA").format(spend=i18n.format_money(pdg)) if pdg else _("No PDG-CLA spend:")
            card.show_figure(number, caption, fig)
            card.clicked.connect(lambda _c=False, f=fig, t=label: self.show_learners.emit(f.ids, lambda t=t: t))
            (big if pdg else small).append(card)
            self.intervention_buttons.append(card)
        self.intervention_grid.set_items(big)
        self.intervention_small.set_items(small)

    def _show_charts(self) -> None:
        d = self.dashboard
        if d is None:
            return
        none = _("No data for this period.")
        terms = d.terms_so_far()
        no_data = _("no data")
        self.chart_attendance.set_bars(_("Attendance by term (%)"), [
            Bar(_("{term} (this term)").format(term=t.label) if d.is_current(t) else t.label, t.attendance.value,
                no_data if t.attendance.value is None else i18n.format_percent(t.attendance.value), t.attendance.ids,
                d.is_current(t)) for t in terms], maximum=100, empty_text=none)
        self.chart_exclusions.set_bars(_("Fixed-term exclusions by term (days)"), [
            Bar(_("{term} (this term)").format(term=t.label) if d.is_current(t) else t.label, t.fixed_term.amount,
                i18n.format_number(t.fixed_term.amount), t.fixed_term.ids, d.is_current(t)) for t in terms],
            empty_text=none)
        schools = d.schools_worst_first()
        shown = schools if self.all_schools.isChecked() else schools[:CHART_SCHOOLS]
        self.all_schools.setVisible(len(schools) > CHART_SCHOOLS)
        self.all_schools.setText(_("Show the {n} lowest only").format(n=CHART_SCHOOLS) if self.all_schools.isChecked()
                                 else _("Show all {n} schools").format(n=i18n.format_number(len(schools))))
        rate = d.completion_rate()
        average = (rate, _("Average {rate}").format(rate=i18n.format_percent(rate, 0))) if rate is not None else None
        title = (_("PEP reviews completed on time, by school (%), lowest first") if len(shown) == len(schools) else
                 _("PEP reviews completed on time: the {n} lowest schools (%)").format(n=len(shown)))
        self.chart_schools.set_bars(title, [Bar(s.name, s.rate, i18n.format_percent(s.rate, 0), s.due.ids) for s in shown],
                                    maximum=100, empty_text=none, reference=average)
        self.chart_spend.set_bars(_("PDG-CLA spend by kind of support"), [
            Bar(model.enum_label("intervention_kind", i.kind), i.pdg_cla_pence / 100, i18n.format_money(i.pdg_cla_pence),
                i.learners.ids) for i in d.interventions], empty_text=none)

    # --- ways out -------------------------------------------------------------------------

    def _figure_clicked(self, key: str) -> None:
        if self.dashboard is None:
            return
        figure = self._figures()[key]
        self.show_learners.emit(figure.ids, lambda k=key: self._captions()[k])

    def _bar_clicked(self, chart, index: int) -> None:
        bar = chart.bars[index]
        self.show_learners.emit(bar.ids, lambda c=chart.title, b=bar.label: f"{c}: {b}")

    # --- language -------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.title.setText(_("Dashboard"))
        self.period_label.setText(_("&Period:"))
        self.to_label.setText(_("to"))
        self.scope_label.setText(_("S&cope:"))
        self.export_button.setText(_("&Export report…"))
        self.export_button.setToolTip(_("The monitoring report for this period and scope, as CSV, PDF or JSON"))
        for combo, items in ((self.period, PERIODS), (self.scope_kind, SCOPE_KINDS)):
            current = combo.currentIndex()
            combo.blockSignals(True)
            combo.clear()
            for value, label in items:
                combo.addItem(_(label), value)
            combo.setCurrentIndex(max(0, current))
            combo.blockSignals(False)
        self.date_from.setAccessibleName(_("First day of the period"))
        self.date_to.setAccessibleName(_("Last day of the period"))
        self.scope_value.setAccessibleName(_("Scope value"))
        for key, text in (("peps", _("PEPs")), ("quality", _("Quality ratings (reviews in the period)")),
                          ("attendance", _("Attendance, exclusions and well-being")),
                          ("interventions", _("Support and interventions")),
                          ("funding", _("PDG-CLA funding requests")), ("charts", _("Charts"))):
            self.sections[key].setText(text)
        self.red_label.setText(_("&Red-rated reviews (Enter opens the learner):"))
        self.red_model.retranslate()
        self.funding_model.retranslate()
        name_table(self.funding_list, _("PDG-CLA funding by kind of support and by school"))
        name_table(self.red_list, _("Red-rated reviews"))
        self.scroll.setAccessibleName(_("The dashboard's figures and charts"))
        self.suppression_note.setText(_(
            "This screen shows exact figures. The exported report shows counts from 1 to {n} as “<{threshold}”, "
            "so that no child can be identified.").format(n=DEFAULT_SUPPRESS_BELOW - 1, threshold=DEFAULT_SUPPRESS_BELOW))
        self._show()


class DashboardPart:
    """The dashboard's part of the main window: a menu, the page, and the export."""

    def __init__(self, controller) -> None:
        self.controller = controller
        self.window = controller.window
        self.page = DashboardPage(controller.worker)
        controller.workspace.addWidget(self.page)
        self.page.show_learners.connect(self._show_learners)
        self.page.open_learner.connect(controller.show_learner)
        self.page.status_message.connect(controller.status)
        self.page.export_button.clicked.connect(lambda: self.export())  # not clicked's `checked`
        self.menu = QMenu(self.window)
        self.show_action = QAction(self.window)
        self.show_action.setShortcut(QKeySequence("Ctrl+D"))
        self.show_action.triggered.connect(self.show)
        self.export_action = QAction(self.window)
        self.export_action.triggered.connect(lambda: self.export())
        self.menu.addAction(self.show_action)
        self.menu.addAction(self.export_action)
        help_menu = self.window.form.child("menuHelp")
        self.window.menuBar().insertMenu(help_menu.menuAction(), self.menu)
        self._opened = 0   # stores opened so far
        self._enable(False)
        self.retranslate_ui()

    def _enable(self, unlocked: bool) -> None:
        self.show_action.setEnabled(unlocked)
        self.export_action.setEnabled(unlocked)

    def opened(self, store, path) -> None:
        self._enable(True)
        self.page.forget()
        self.page.load_options()
        self._opened += 1
        opened = self._opened
        # Once the list is up, the figures' reads are made while nobody waits (`DashboardPage.warm_up`).
        QTimer.singleShot(WARM_UP_AFTER_MS, self.page, lambda: (
            opened == self._opened and self.page.dashboard is None and self.page.warm_up()))

    def closing(self) -> None:
        self._opened += 1   # a warm-up not started yet is for the store that closes
        self._enable(False)
        self.page.forget()

    def show(self, then=None) -> None:
        self.controller.autosave.flush()
        self.controller.workspace.setCurrentWidget(self.page)
        self.page.forget()   # records may have changed since the figures were counted
        self.page.refresh(then)

    def _show_learners(self, ids, describe) -> None:
        lst = self.controller.learner_list
        lst.show_only(ids, describe)
        self.controller.show_list()

    def export(self, path: str | None = None, fmt: str | None = None, then=None) -> None:
        """Asks where (unless given), then writes the report on the worker thread."""
        if path is None:
            filters = {"csv": _("CSV, one row per learner (*.csv)"), "pdf": _("PDF, tables and charts (*.pdf)"),
                       "json": _("JSON, the figures (*.json)")}
            path, chosen = QFileDialog.getSaveFileName(self.window, _("Export the monitoring report"),
                                                       str(Path.home() / "monitoring-report.csv"), ";;".join(filters.values()))
            if not path:
                return
            fmt = next((k for k, v in filters.items() if v == chosen), None)
        suffix = Path(path).suffix.lower().lstrip(".")
        fmt = fmt or (suffix if suffix in ("csv", "pdf", "json") else "csv")
        try:
            period, scope = self.page.period_chosen(), self.page.scope_chosen()
        except Exception as e:
            self.controller.status(human_error(e))
            return
        school_name = self.page.scope_value.currentText() if scope.school else None

        def read(store):  # on the store's worker: only the reading
            from ..reports.cohort import load
            from ..reports.funding import compute as funding_figures

            facts = load(store, period, scope, dt.date.today())
            learners = None if scope.is_everyone() else {f.id for f in facts}
            return facts, funding_figures(store, period, learners, scope.school)

        def write(read_out) -> None:  # on a thread of its own, so saves do not wait for the PDF
            from ..reports.monitoring import write_report
            from ..reports.dashboard import from_facts
            from ..reports.monitoring import DEFAULT_SUPPRESS_BELOW
            from .pdf_ui import PdfJob

            facts, funding_figures = read_out

            def work(_job):
                d = from_facts(facts, period, scope, dt.date.today())
                d.funding = funding_figures
                write_report(fmt, facts, d, path, DEFAULT_SUPPRESS_BELOW, school_name)
                return len(facts)
            job = PdfJob(work)
            job.succeeded.connect(written)
            job.failed.connect(lambda e: self.controller.status(human_error(e)))
            job.start()

        def written(n: int) -> None:
            self.controller.status(_("Wrote {path} ({learners}). The file is not encrypted: keep it as safe as the record it holds.")
                                   .format(path=path, learners=ngettext("{n} learner", "{n} learners", n).format(
                                       n=i18n.format_number(n))))
            if then:
                then(path)

        self.controller.status(_("Writing the report…"))
        self.controller.worker.submit(read, write, lambda e: self.controller.status(human_error(e)))

    def retranslate_ui(self) -> None:
        self.menu.setTitle(_("&Dashboard"))
        self.show_action.setText(_("Show the &dashboard"))
        self.export_action.setText(_("&Export the monitoring report…"))
        self.page.retranslate_ui()
