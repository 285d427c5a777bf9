"""The coordinator's dashboard: the cohort's figures for a period and a scope, each a button
that opens the learner list filtered to the learners behind it; four charts drawn with
QPainter; "Export report…" (CSV, PDF or JSON).

The figures come from the core (`reports.cohort.load`, `reports.dashboard.from_facts`) on
the store's worker thread; this page only lays them out. `DashboardPart` is the part the main
window holds: it adds the Dashboard menu and the page to the workspace.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .. import i18n
from ..domain import model
from ..i18n import N_, _, ngettext
from ..reports.cohort import Period, Scope, load
from ..reports.dashboard import BAND_LABELS, Dashboard, Figure, band_label, from_facts, scope_options
from .charts import Bar, BarChart
from .language import human_error
from .qt import (
    QAction, QComboBox, QDate, QDateEdit, QFileDialog, QFont, QFrame, QGridLayout, QHBoxLayout, QKeySequence, QLabel,
    QListWidget, QListWidgetItem, QMenu, QPushButton, QScrollArea, QSizePolicy, QTimer, QVBoxLayout, QWidget, Qt,
    Signal,
)
from .worker import StoreWorker


SCOPE_KINDS = (
    (None, N_("Whole authority")), ("school", N_("School")), ("year_group", N_("Year group")),
    ("legal_status", N_("Legal status")), ("placing_area", N_("Placing area")),
    ("language_of_learning", N_("Language of learning")),
)
PERIODS = (("this_year", N_("This school year")), ("last_year", N_("Last school year")),
           ("last_12_months", N_("The last 12 months")), ("custom", N_("Chosen dates")))
CHART_SCHOOLS = 12
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


class FigureButton(QPushButton):
    """A number and what it counts; clicking opens the learners behind it."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.number = QLabel()
        self.caption = QLabel()
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.number.setFont(font)
        # Both wrap: a long figure ("£7,515.00 o GDD Plant sy'n Derbyn Gofal") takes two lines, never clipped.
        self.number.setWordWrap(True)
        self.caption.setWordWrap(True)
        for label in (self.number, self.caption):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(0)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)
        self.setMinimumHeight(72)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.figure = Figure()

    def show_figure(self, number: str, caption: str, figure: Figure) -> None:
        self.figure = figure
        self.number.setText(number)
        self.caption.setText(caption)
        self.setAccessibleName(f"{caption}: {number}")
        self.setToolTip(ngettext("Show the {n} learner behind this figure", "Show the {n} learners behind this figure",
                                 figure.count).format(n=i18n.format_number(figure.count)))
        self.setEnabled(figure.count > 0)

    def sizeHint(self):  # noqa: N802
        hint = super().sizeHint()
        hint.setHeight(max(hint.height(), self.layout().sizeHint().height()))
        return hint


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
        self._facts: dict = {}      # the worker's cache of the period's facts
        self._generation = 0        # raised to make the next refresh read the store again

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
        self.scope_kind, self.scope_value = QComboBox(), QComboBox()
        self.scope_value.setMinimumContentsLength(18)
        self.scope_value.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.period_label.setBuddy(self.period)
        self.scope_label.setBuddy(self.scope_kind)
        self.export_button = QPushButton()
        self.state = QLabel()
        self.state.setWordWrap(True)

        # Two rows, so that longer (Welsh) labels and choices fit at 1366 pixels.
        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addStretch(1)
        heading.addWidget(self.export_button)
        choices = QHBoxLayout()
        for w in (self.period_label, self.period, self.date_from, self.to_label, self.date_to):
            choices.addWidget(w)
        choices.addSpacing(12)
        for w in (self.scope_label, self.scope_kind, self.scope_value):
            choices.addWidget(w)
        choices.addStretch(1)
        controls = QVBoxLayout()
        controls.addLayout(heading)
        controls.addLayout(choices)

        # Figures, by section.
        self.sections: dict[str, QLabel] = {}
        self.buttons: dict[str, FigureButton] = {}
        body = QWidget()
        grid = QVBoxLayout(body)
        layout_of = {
            "peps": ("learners", "due_soon", "overdue", "reviews_due", "on_time", "late", "not_completed",
                     "first_due", "first_on_time"),
            "quality": ("red", "amber", "green"),
            "attendance": ("95_plus", "90_95", "below_90", "no_attendance", "reduced", "concerns", "fixed_term",
                           "permanent"),
        }
        for section, keys in layout_of.items():
            heading = self.sections[section] = QLabel()
            heading.setFont(self._heading_font())
            grid.addWidget(heading)
            row = QGridLayout()
            for i, key in enumerate(keys):
                button = self.buttons[key] = FigureButton()
                button.clicked.connect(lambda _c=False, k=key: self._figure_clicked(k))
                row.addWidget(button, i // 5, i % 5)
            if section == "quality":
                self.red_list = QListWidget()
                self.red_list.setMaximumHeight(96)
                self.red_list.itemActivated.connect(lambda item: self.open_learner.emit(item.data(Qt.ItemDataRole.UserRole)))
                self.red_label = QLabel()
                self.red_label.setBuddy(self.red_list)
                box = QVBoxLayout()
                box.addWidget(self.red_label)
                box.addWidget(self.red_list)
                row.addLayout(box, 0, 3, 1, 2)
            grid.addLayout(row)
        heading = self.sections["interventions"] = QLabel()
        heading.setFont(self._heading_font())
        grid.addWidget(heading)
        self.intervention_grid = QGridLayout()
        self.intervention_buttons: list[FigureButton] = []
        grid.addLayout(self.intervention_grid)

        heading = self.sections["charts"] = QLabel()
        heading.setFont(self._heading_font())
        grid.addWidget(heading)
        charts = QGridLayout()
        self.chart_attendance, self.chart_exclusions = BarChart(), BarChart()
        self.chart_schools, self.chart_spend = BarChart(), BarChart()
        for i, chart in enumerate((self.chart_attendance, self.chart_exclusions, self.chart_schools, self.chart_spend)):
            chart.setMinimumHeight(230)
            charts.addWidget(chart, i // 2, i % 2)
            chart.bar_clicked.connect(lambda index, c=chart: self._bar_clicked(c, index))
        grid.addLayout(charts)
        grid.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)

        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.state)
        layout.addWidget(scroll, 1)

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
        """The store may have changed (or closed): the next refresh reads it again. The cached
        facts (per learner) are dropped on the worker, the only thread that touches them."""
        self._generation += 1
        self.dashboard = None
        self.worker.submit(lambda _store: self._facts.clear())

    def refresh(self, then=None) -> None:
        try:
            period, scope = self.period_chosen(), self.scope_chosen()
        except Exception as e:   # a period that ends before it starts: say so, keep the old figures
            self.state.setText(human_error(e))
            return
        self._token += 1
        token = self._token
        self.state.setText(_("Calculating…"))
        generation = self._generation
        cache = self._facts

        def run(store) -> Dashboard:
            # The period's facts are read once (on this worker thread, the only one that touches
            # the cache); another scope over the same period only counts again.
            today = dt.date.today()
            key = (generation, period, today)
            if cache.get("key") != key:
                cache["key"], cache["facts"] = key, load(store, period, Scope(), today)
            return from_facts([f for f in cache["facts"] if scope.matches(f)], period, scope, today)

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
        state = _("Figures for {start} to {end}; due and overdue as of today.").format(
            start=i18n.format_date(d.period.start, "medium"), end=i18n.format_date(d.period.end, "medium"))
        if not d.learners.count:
            state += " " + _("No learner is in this scope.")
        elif not d.has_data:
            state += " " + _("There is no data for this period: no PEP review, exclusion or first PEP falls in it.")
        self.state.setText(state)
        self.red_list.clear()
        for lid, _rid, meeting, reference in d.red_reviews:
            review = (_("Review of {date}").format(date=i18n.format_date(dt.date.fromisoformat(meeting), "medium"))
                      if meeting else _("Review without a meeting date"))
            item = QListWidgetItem(f"{reference} · {review}")
            item.setData(Qt.ItemDataRole.UserRole, lid)
            self.red_list.addItem(item)
        self._show_interventions()
        self._show_charts()

    def _show_interventions(self) -> None:
        d = self.dashboard
        while self.intervention_buttons:
            button = self.intervention_buttons.pop()
            self.intervention_grid.removeWidget(button)
            button.deleteLater()
        entries = [(model.enum_label("intervention_kind", i.kind), i.learners, int(i.learners.amount), i.pdg_cla_pence)
                   for i in d.interventions]
        entries.append((_("All support"), d.spend_pence, sum(e[2] for e in entries), int(d.pdg_cla_pence.amount)))
        for n, (label, fig, count, pdg) in enumerate(entries):
            button = FigureButton()
            number = _("{spend} PDG-CLA").format(spend=i18n.format_money(pdg))
            interventions = ngettext("{n} intervention", "{n} interventions", count).format(n=i18n.format_number(count))
            caption = _("{kind}: {interventions} for {learners}").format(
                kind=label, interventions=interventions, learners=self._learners(fig))
            button.show_figure(number, caption, fig)
            button.clicked.connect(lambda _c=False, f=fig, t=label: self.show_learners.emit(f.ids, lambda t=t: t))
            self.intervention_grid.addWidget(button, n // 4, n % 4)
            self.intervention_buttons.append(button)

    def _show_charts(self) -> None:
        d = self.dashboard
        none = _("No data for this period.")
        self.chart_attendance.set_bars(_("Attendance by term (%)"), [
            Bar(t.label, t.attendance.value, "—" if t.attendance.value is None else i18n.format_percent(t.attendance.value),
                t.attendance.ids) for t in d.terms], maximum=100, empty_text=none)
        self.chart_exclusions.set_bars(_("Fixed-term exclusions by term (days)"), [
            Bar(t.label, t.fixed_term.amount, i18n.format_number(t.fixed_term.amount), t.fixed_term.ids) for t in d.terms],
            empty_text=none)
        schools = sorted((s for s in d.schools if s.rate is not None), key=lambda s: (s.rate, s.name))[:CHART_SCHOOLS]
        self.chart_schools.set_bars(
            _("PEP reviews completed on time: the {n} lowest schools (%)").format(n=len(schools)),
            [Bar(s.name, s.rate, i18n.format_percent(s.rate, 0), s.due.ids) for s in schools], maximum=100, empty_text=none)
        self.chart_spend.set_bars(_("PDG-CLA spend by kind of support"), [
            Bar(model.enum_label("intervention_kind", i.kind), i.pdg_cla_pence / 100, i18n.format_money(i.pdg_cla_pence),
                i.learners.ids) for i in d.interventions], empty_text=none)

    # --- ways out -------------------------------------------------------------------------

    def _figure_clicked(self, key: str) -> None:
        if self.dashboard is None:
            return
        figure = self._figures()[key]
        self.show_learners.emit(figure.ids, lambda k=key: self._captions()[k])

    def _bar_clicked(self, chart: BarChart, index: int) -> None:
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
                          ("interventions", _("Support and interventions")), ("charts", _("Charts"))):
            self.sections[key].setText(text)
        self.red_label.setText(_("&Red-rated reviews (open the learner):"))
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
        self._enable(False)
        self.retranslate_ui()

    def _enable(self, unlocked: bool) -> None:
        self.show_action.setEnabled(unlocked)
        self.export_action.setEnabled(unlocked)

    def opened(self, store, path) -> None:
        self._enable(True)
        self.page.forget()
        self.page.load_options()

    def closing(self) -> None:
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

            return load(store, period, scope, dt.date.today())

        def write(facts) -> None:  # on a thread of its own, so saves do not wait for the PDF
            from ..reports.cli import write_report
            from ..reports.dashboard import from_facts
            from ..reports.monitoring import DEFAULT_SUPPRESS_BELOW
            from .pdf_ui import PdfJob

            def work(_job):
                write_report(fmt, facts, from_facts(facts, period, scope, dt.date.today()), path,
                             DEFAULT_SUPPRESS_BELOW, school_name)
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
