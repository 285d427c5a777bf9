"""The coordinator's part of the main window: "Tasks (n)" in the status bar and the Tasks page,
the quality assurance list, and importing learners from CSV (Coordinator menu).

Tasks are the signed-in user's (the store's author, `coordinator.tasks`); the QA list is every
finalised review waiting for a rating or returned for amendment (`coordinator.quality`). Each
row opens its review in the editor (or the learner, for a first PEP not yet started), where the
rating panel and "Amend…" are. Lists are computed on the StoreWorker (about a second for an
all-Wales store, time the worker is not saving), so they are refreshed when the store opens,
when the workspace moves to another page (after a rating, an amendment or an import), and every
few minutes; not after every keystroke's save.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Callable

from .. import i18n
from ..coordinator import quality, tasks
from ..domain import model
from ..i18n import N_, _, ngettext
from ..i18n.collation import sort_key
from .language import human_error
from .style import name_table
from .qt import (
    QAbstractItemView, QAbstractTableModel, QAction, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMenu,
    QModelIndex, QObject, QPushButton, QStandardItem, QStandardItemModel, QTableView, QTimer, QTreeView, QVBoxLayout,
    QWidget, Qt, Signal,
)
from .worker import StoreWorker

REFRESH_AFTER_MOVE_MS = 1_500
REFRESH_EVERY_MS = 5 * 60_000
RATING_BESIDE_WIDTH = 1100   # the editor's sections and fields (about 800) and the rating panel, side by side
TASK_TEXTS = {
    tasks.RETURNED: N_("Returned for amendment"), tasks.OVERDUE: N_("PEP overdue"),
    tasks.ACTION: N_("Action due"), tasks.DUE_SOON: N_("PEP due soon"),
    tasks.FUNDING: N_("PDG-CLA funding decided"),
}
STATE_TEXTS = {
    quality.WAITING: N_("Waiting for a rating"), quality.RETURNED: N_("Returned for amendment"),
    quality.AMENDING: N_("Amendment in draft"), quality.RATED: N_("Rated"),
}


def _date(value: str | None) -> str:
    return i18n.format_date(dt.date.fromisoformat(value[:10]), "medium") if value else "—"


def _first_line(text: str | None, limit: int = 120) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= limit else line[:limit - 1] + "…"


class ListModel(QAbstractTableModel):
    """Rows of one kind (tasks or QA items) with columns given as (title, text of a row) or
    (title, text, sort key of a row): a click on a heading sorts by it."""

    def __init__(self, columns: list[tuple], parent=None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.rows: list = []

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        spec = self.columns[column]
        key = spec[2] if len(spec) > 2 else (lambda row, text=spec[1]: sort_key(text(row)))
        self.layoutAboutToBeChanged.emit()
        self.rows.sort(key=lambda r: key(r) or "", reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.columns[index.column()][1](self.rows[index.row()])
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(self.columns[section][0])
        return None

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(self.columns) - 1))
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1))


class ListPage(QWidget):
    """A heading, a line of explanation, a table; Enter or a double click opens the row."""

    activated = Signal(object)
    back_requested = Signal()

    def __init__(self, columns, stretch: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.back_button = QPushButton()
        self.back_button.clicked.connect(self.back_requested)
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        top.addWidget(self.back_button, 0)
        top.addWidget(self.title, 1)
        self.controls = QHBoxLayout()
        top.addLayout(self.controls)
        layout.addLayout(top)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.model = ListModel(columns, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Measured over a sample, not every row: the QA list of a large authority has thousands.
        header.setResizeContentsPrecision(50)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        layout.addWidget(self.table, 1)
        self.empty = QLabel()
        self.empty.setVisible(False)
        layout.addWidget(self.empty)

    def _activated(self, index) -> None:
        if index.isValid():
            self.activated.emit(self.model.rows[index.row()])

    def set_rows(self, rows: list) -> None:
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
        if rows:
            self.table.selectRow(0)

    def retranslate_ui(self) -> None:
        self.back_button.setText(_("Back to the learners"))
        self.model.retranslate()


GROUPS = ((tasks.OVERDUE, N_("Overdue PEPs")), (tasks.DUE_SOON, N_("PEPs due soon")),
          (tasks.RETURNED, N_("Returned for amendment")), (tasks.FUNDING, N_("Funding decisions")),
          (tasks.ACTION, N_("My actions due")))
TASK_ROLE = Qt.ItemDataRole.UserRole + 1


def tasks_title(display_name: str | None) -> str:
    """The Tasks page's title: the person's name as they are known (their profile's display
    name), never a computer login."""
    return _("Tasks for {name}").format(name=display_name) if display_name else _("My tasks")


class TasksPage(QWidget):
    """My tasks in groups (overdue PEPs, due soon, returned for amendment, my actions due),
    each with its count and the most urgent first; a filter narrows every group."""

    activated = Signal(object)
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.back_button = QPushButton()
        self.back_button.clicked.connect(self.back_requested)
        self.title = QLabel()
        self.title.setObjectName("tasksTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.filter = QLineEdit()
        self.filter.setObjectName("tasksFilter")
        self.filter.setClearButtonEnabled(True)
        self.filter.setMinimumWidth(260)
        self.filter_label = QLabel()
        self.filter_label.setBuddy(self.filter)
        self.filter.textChanged.connect(lambda _t: self._show())
        top.addWidget(self.back_button, 0)
        top.addWidget(self.title, 1)
        top.addWidget(self.filter_label)
        top.addWidget(self.filter)
        layout.addLayout(top)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.model = QStandardItemModel(self)
        self.table = QTreeView()
        self.table.setObjectName("tasksTable")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setUniformRowHeights(True)
        self.table.setExpandsOnDoubleClick(False)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        layout.addWidget(self.table, 1)
        self.empty = QLabel()
        self.empty.setVisible(False)
        layout.addWidget(self.empty)
        self.tasks: list[tasks.Task] = []
        self.rows: list[tasks.Task] = []     # the tasks shown, in order (group by group)
        self.groups: dict[str, QStandardItem] = {}
        self.person = ""

    def set_person(self, display_name: str | None) -> None:
        self.person = display_name or ""
        self.title.setText(tasks_title(self.person))

    def set_rows(self, rows: list) -> None:
        self.tasks = list(rows)
        self._show()

    def _matches(self, task: tasks.Task, words: list[str]) -> bool:
        text = tasks.name_key(" ".join((_(TASK_TEXTS[task.kind]), task.learner_name, task.reference, task.detail or "")))
        return all(w in text for w in words)

    def _show(self) -> None:
        words = tasks.name_key(self.filter.text()).split()
        collapsed = {kind for kind, item in self.groups.items()
                     if item.index().isValid() and not self.table.isExpanded(item.index())}
        self.model.clear()
        self.model.setHorizontalHeaderLabels([_("Learner"), _("Reference"), _("Date"), _("Details")])
        self.groups, self.rows = {}, []
        for kind, label in GROUPS:
            every = [t for t in self.tasks if t.kind == kind]
            # The core gives each kind the earliest date first: the most overdue, the soonest due,
            # the longest waiting.
            found = [t for t in every if self._matches(t, words)] if words else every
            if not every:
                continue
            count = (_("{shown} of {all}").format(shown=i18n.format_number(len(found)), all=i18n.format_number(len(every)))
                     if words else i18n.format_number(len(every)))
            head = QStandardItem(f"{_(label)} ({count})")
            head.setData(kind, TASK_ROLE + 1)
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            fillers = [QStandardItem("") for _i in range(3)]
            for item in (head, *fillers):
                item.setSelectable(True)
            for task in found:
                cells = [QStandardItem(task.learner_name), QStandardItem(task.reference),
                         QStandardItem(_date(task.due)), QStandardItem(_first_line(task.detail))]
                for cell in cells:
                    cell.setData(task, TASK_ROLE)
                    cell.setToolTip(cell.text())
                head.appendRow(cells)
                self.rows.append(task)
            self.model.appendRow([head, *fillers])
            self.groups[kind] = head
            self.table.setFirstColumnSpanned(head.row(), QModelIndex(), True)
            if kind not in collapsed:
                self.table.expand(head.index())
        header = self.table.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.empty.setVisible(not self.rows)
        first = next(iter(self.groups.values()), None)
        if first is not None and first.rowCount():
            self.table.setCurrentIndex(first.child(0, 0).index())

    def task_index(self, task: tasks.Task):
        """The model index of a shown task (for the keyboard and the tests)."""
        head = self.groups[task.kind]
        for row in range(head.rowCount()):
            if head.child(row, 0).data(TASK_ROLE) == task:
                return head.child(row, 0).index()
        return QModelIndex()

    def _activated(self, index) -> None:
        task = index.data(TASK_ROLE) if index.isValid() else None
        if task is not None:
            self.activated.emit(task)
        elif index.isValid():
            head = index.siblingAtColumn(0)
            self.table.setExpanded(head, not self.table.isExpanded(head))

    def retranslate_ui(self) -> None:
        self.back_button.setText(_("Back to the learners"))
        self.title.setText(tasks_title(self.person))
        self.filter_label.setText(_("&Filter:"))
        self.filter.setPlaceholderText(_("Name, reference or words of the task"))
        self.hint.setText(_("PEPs of your learners overdue or due in the next 20 school days, reviews returned to you "
                            "for amendment, and your actions that are due; the most urgent first in each group. "
                            "Press Enter to open one."))
        self.empty.setText(_("Nothing to do: no PEPs due, nothing returned, no actions due."))
        self.table.setAccessibleName(_("My tasks"))
        self.table.header().setAccessibleName(_("{table}: column headings").format(table=_("My tasks")))
        self._show()


class QaPage(ListPage):
    """Finalised PEPs waiting for a rating (and those returned), newest finalised first; a
    filter by school and by rating; a click on a heading sorts."""

    FILTERS = (
        ("attention", N_("Waiting or returned")), (quality.WAITING, N_("Waiting for a rating")),
        (quality.RETURNED, N_("Returned for amendment")), (quality.AMENDING, N_("Amendment in draft")),
    )
    FINALISED = 4   # the column sorted by at first (newest first)

    def __init__(self, parent: QWidget | None = None) -> None:
        columns = [
            (N_("Learner"), lambda i: i.learner_name),
            (N_("Reference"), lambda i: i.reference),
            (N_("School"), lambda i: i.school or "—"),
            (N_("Review"), lambda i: model.enum_label("review_type", i.review_type)),
            (N_("Finalised"), lambda i: _date(i.finalised_at), lambda i: i.finalised_at or i.meeting_date or ""),
            (N_("Designated person"), lambda i: i.designated_person or "—"),
            (N_("Quality"), lambda i: _(STATE_TEXTS[i.state])),
            (N_("Feedback"), lambda i: _first_line(i.feedback)),
        ]
        super().__init__(columns, stretch=7, parent=parent)
        self.table.setObjectName("qaTable")
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(self.FINALISED, Qt.SortOrder.DescendingOrder)
        self.filter = QComboBox()
        self.filter.setObjectName("qaFilter")
        for key, _text in self.FILTERS:
            self.filter.addItem("", key)
        self.filter.currentIndexChanged.connect(lambda _i: self._show())
        self.filter_label = QLabel()
        self.filter_label.setBuddy(self.filter)
        self.school = QComboBox()
        self.school.setObjectName("qaSchool")
        self.school.setMinimumContentsLength(16)
        self.school.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.school.currentIndexChanged.connect(lambda _i: self._show())
        self.school_label = QLabel()
        self.school_label.setBuddy(self.school)
        # The filters on a line of their own under the title: the page fits a laptop screen at 150 %.
        filters = QHBoxLayout()
        for w in (self.school_label, self.school, self.filter_label, self.filter):
            filters.addWidget(w)
        filters.addStretch(1)
        self.layout().insertLayout(1, filters)
        self.items: list[quality.QaItem] = []

    def set_items(self, items: list) -> None:
        self.items = items
        current = self.school.currentData()
        self.school.blockSignals(True)
        self.school.clear()
        self.school.addItem(_("All schools"), None)
        for name in sorted({i.school for i in items if i.school}, key=sort_key):
            self.school.addItem(name, name)
        self.school.setCurrentIndex(max(0, self.school.findData(current)))
        self.school.blockSignals(False)
        self._show()

    def waiting(self) -> int:
        return sum(1 for i in self.items if i.state == quality.WAITING)

    def _show(self) -> None:
        key, school = self.filter.currentData(), self.school.currentData()
        rows = [i for i in self.items if (key == "attention" or i.state == key) and (school is None or i.school == school)]
        self.set_rows(rows)
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        if rows:
            self.table.selectRow(0)
        self._title()

    def _title(self) -> None:
        n = self.waiting()
        self.title.setText(_("Quality assurance: {waiting}").format(
            waiting=ngettext("{n} waiting", "{n} waiting", n).format(n=i18n.format_number(n))))

    def next_waiting(self, after: str | None) -> quality.QaItem | None:
        """The next review waiting for a rating, in the order shown, after `after`."""
        rows = self.model.rows
        start = next((i + 1 for i, item in enumerate(rows) if item.review_id == after), 0)
        return next((item for item in rows[start:] + rows[:start]
                     if item.state == quality.WAITING and item.review_id != after), None)

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self._title()
        self.hint.setText(_("Finalised PEPs waiting for a quality rating, newest first, and those returned for "
                            "amendment. Open one: the PEP shows with the rating beside it."))
        self.filter_label.setText(_("&Rating:"))
        self.school_label.setText(_("Sc&hool:"))
        if self.school.count():
            self.school.setItemText(0, _("All schools"))
        for i, (_key, text) in enumerate(self.FILTERS):
            self.filter.setItemText(i, _(text))
        self.empty.setText(_("Nothing is waiting for a rating."))
        name_table(self.table, _("Reviews for quality assurance"))


class CoordinatorPart(QObject):
    """Coordinator menu (Tasks, Quality assurance, Import learners from CSV…), the "Tasks (n)"
    button in the status bar, and the two pages in the workspace."""

    def __init__(self, controller) -> None:
        super().__init__(controller)
        self.controller = controller
        self.worker: StoreWorker = controller.worker
        window = controller.window
        self.tasks_page = TasksPage()
        self.qa_page = QaPage()
        for page in (self.tasks_page, self.qa_page):
            controller.workspace.addWidget(page)
            page.back_requested.connect(controller.show_list)
        self.tasks_page.activated.connect(self.open_task)
        self.qa_page.activated.connect(self.open_for_rating)
        from .quality_panel import RatingDock

        # The rating beside the PEP: a panel of the window, not a dialog over the PEP.
        self.rating_dock = RatingDock(self.worker, window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.rating_dock)
        self.rating_dock.hide()
        self.rating_dock.form.rated.connect(self._rated)
        self.rating_dock.form.next_requested.connect(self.next_for_rating)
        controller.workspace.currentChanged.connect(self._page_changed)

        self.menu = QMenu(window)
        self.menu.setObjectName("menuCoordinator")
        self.tasks_action = QAction(window)
        self.tasks_action.setObjectName("actionTasks")
        self.tasks_action.setShortcut("Ctrl+T")
        self.tasks_action.triggered.connect(self.show_tasks)
        self.qa_action = QAction(window)
        self.qa_action.setObjectName("actionQualityAssurance")
        self.qa_action.triggered.connect(self.show_qa)
        self.import_action = QAction(window)
        self.import_action.setObjectName("actionImportCsv")
        self.import_action.triggered.connect(self.import_csv)
        for action in (self.tasks_action, self.qa_action):
            self.menu.addAction(action)
        self.menu.addSeparator()
        self.menu.addAction(self.import_action)
        help_menu = window.form.child("menuHelp")
        window.menuBar().insertMenu(help_menu.menuAction(), self.menu)

        self.tasks_button = QPushButton()
        self.tasks_button.setObjectName("tasksButton")
        self.tasks_button.setFlat(True)
        self.tasks_button.clicked.connect(self.show_tasks)
        window.statusBar().addPermanentWidget(self.tasks_button)
        self.count: int | None = None
        self.wizard = None
        self._token = 0
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(REFRESH_AFTER_MOVE_MS)
        self._later.timeout.connect(self.refresh)
        controller.workspace.currentChanged.connect(lambda _i: self._later.start())
        self._every = QTimer(self)
        self._every.setInterval(REFRESH_EVERY_MS)
        self._every.timeout.connect(self.refresh)
        self._set_enabled(False)

    # --- the part's life -------------------------------------------------------------------

    def opened(self, store, path) -> None:
        self._set_enabled(True)
        self.tasks_page.set_person(store.author)   # the profile's display name (File ▸ Profile…)
        self._every.start()
        self.refresh()

    def closing(self) -> None:
        self._later.stop()
        self._every.stop()
        self._token += 1  # answers still on their way are for a store that is closing
        self._set_enabled(False)
        if self.wizard is not None:
            self.wizard.reject()
        for page in (self.tasks_page, self.qa_page):
            page.set_rows([])
        self.rating_dock.hide()

    def retranslate_ui(self) -> None:
        self.menu.setTitle(_("&Coordinator"))
        self.tasks_action.setText(_("My &tasks"))
        self.qa_action.setText(_("&Quality assurance"))
        self.import_action.setText(_("&Import learners from CSV…"))
        self.tasks_page.retranslate_ui()
        self.qa_page.retranslate_ui()
        self.rating_dock.retranslate_ui()
        self._show_count()
        if self.wizard is not None:
            self.wizard.retranslate_ui()

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.tasks_action, self.qa_action, self.import_action, self.tasks_button):
            widget.setEnabled(enabled)
        self.tasks_button.setVisible(enabled)

    # --- tasks and QA ------------------------------------------------------------------------

    def refresh(self, then: Callable[[], None] | None = None) -> None:
        """Recomputes my tasks (and the QA list when it shows) on the worker."""
        self._later.stop()
        self._token += 1
        token = self._token
        with_qa = self.controller.workspace.currentWidget() is self.qa_page

        def compute(store):
            if store is None:
                return None
            return tasks.tasks_for(store), (quality.qa_list(store) if with_qa else None)

        def done(result) -> None:
            if token != self._token or result is None:
                return
            found, qa = result
            self.count = len(found)
            self.tasks_page.set_rows(found)
            if qa is not None:
                self.qa_page.set_items(qa)
            self._show_count()
            if then is not None:
                then()

        self.worker.submit(compute, on_done=done,
                           on_error=lambda error: self.controller.status(human_error(error)))

    def _show_count(self) -> None:
        if self.count is None:
            self.tasks_button.setText(_("Tasks"))
        else:
            self.tasks_button.setText(_("Tasks ({n})").format(n=i18n.format_number(self.count)))
            self.tasks_button.setToolTip(ngettext("{n} task waits for you", "{n} tasks wait for you", self.count)
                                         .format(n=i18n.format_number(self.count)))
        # A full status bar squeezes its permanent widgets: the count is never cut.
        self.tasks_button.setMinimumWidth(self.tasks_button.sizeHint().width())

    def show_tasks(self) -> None:
        self.controller.autosave.flush()
        self.controller.workspace.setCurrentWidget(self.tasks_page)
        self.tasks_page.table.setFocus()
        self.refresh()

    def show_qa(self) -> None:
        self.controller.autosave.flush()
        self.controller.workspace.setCurrentWidget(self.qa_page)
        self.qa_page.table.setFocus()
        self.refresh()

    def open_task(self, task: tasks.Task) -> None:
        if task.review_id:
            self._open_review(task.review_id, task.learner_id)
        else:
            self.controller.show_learner(task.learner_id)

    def _open_review(self, review_id: str, learner_id: str | None = None) -> None:
        # "Back" in the editor returns to the learner, as when the review was opened from there.
        if learner_id is None:
            learner_id = next((i.learner_id for i in self.qa_page.items if i.review_id == review_id), None)
        if learner_id:
            self.controller.learner_page.show_learner(learner_id)
        self.controller.show_review(review_id)

    # --- rating beside the PEP -------------------------------------------------------------

    def open_for_rating(self, item: quality.QaItem) -> None:
        """Opens the PEP (read-only: it is finalised) with the rating panel beside it."""
        self._open_review(item.review_id, item.learner_id)
        self._place_dock()
        if item.state == quality.WAITING:
            summary = _("{learner} ({reference}), {school}: finalised {date}").format(
                learner=item.learner_name, reference=item.reference, school=item.school or "—",
                date=_date(item.finalised_at))
            self.rating_dock.show_for(item.review_id, summary)
            self.rating_dock.form.buttons["green"].setFocus()
        else:
            self.rating_dock.hide()

    def _place_dock(self) -> None:
        """Beside the PEP where the window is wide enough for both; under it on a narrow screen
        (a laptop at 150 %), never over it."""
        window = self.controller.window
        area = (Qt.DockWidgetArea.RightDockWidgetArea if window.width() >= RATING_BESIDE_WIDTH
                else Qt.DockWidgetArea.BottomDockWidgetArea)
        if window.dockWidgetArea(self.rating_dock) != area:
            window.addDockWidget(area, self.rating_dock)
        self.rating_dock.form.set_compact(area == Qt.DockWidgetArea.BottomDockWidgetArea)

    def next_for_rating(self) -> None:
        item = self.qa_page.next_waiting(self.rating_dock.form.review_id)
        if item is None:
            self.controller.status(_("No other review is waiting for a rating."))
            self.rating_dock.hide()
            self.show_qa()
            return
        self.open_for_rating(item)

    def _rated(self, review_id: str) -> None:
        editor = self.controller.editor
        if editor is not None and editor.review_id == review_id:
            editor.rating_panel.rated.emit()   # the editor shows the new rating
        # The list is computed again; "Next" works from what it showed until then.
        def rated(i):
            return replace(i, state=quality.RATED) if i.review_id == review_id else i
        self.qa_page.items = [rated(i) for i in self.qa_page.items]
        self.qa_page.model.rows = [rated(i) for i in self.qa_page.model.rows]
        self.qa_page._title()

    def _page_changed(self, _index: int) -> None:
        editor = self.controller.editor
        if editor is None or self.controller.workspace.currentWidget() is not editor:
            self.rating_dock.hide()

    # --- import ---------------------------------------------------------------------------

    def import_csv(self):
        from .import_wizard import ImportWizard

        if self.wizard is None:
            self.wizard = ImportWizard(self.worker, self.controller.window)
            self.wizard.imported.connect(self._imported)
            self.wizard.finished.connect(self._wizard_closed)
        self.wizard.show()
        self.wizard.raise_()
        return self.wizard

    def _wizard_closed(self, _result: int) -> None:
        if self.wizard is not None:
            self.wizard.deleteLater()
            self.wizard = None

    def _imported(self, created: int) -> None:
        self.controller.status(ngettext("Imported {n} learner.", "Imported {n} learners.", created)
                               .format(n=i18n.format_number(created)))
        self.controller.learner_list.reload()
        self.refresh()
