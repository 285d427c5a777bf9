"""The learner list: a table model over the core's learner summaries, a filter proxy, and the page.

The model keeps the summaries (7,500 rows are small) and formats cells lazily. Search goes to
the core's full-text index on the worker thread (so it matches exactly what the command line
finds); the proxy then keeps the matching ids and applies the filters. Names sort by the
core's collation key for the interface language (Welsh alphabet in Welsh), on every platform.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache

from .. import i18n
from ..domain import model
from ..domain.calendar import year_group
from ..i18n import _, ngettext, pgettext
from ..i18n.collation import sort_key
from .qt import (
    QAbstractItemView, QAbstractTableModel, QComboBox, QFrame, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QModelIndex, QPushButton, QSortFilterProxyModel, QTableView, QTimer, QVBoxLayout, QWidget, Qt, Signal, QColor, QFont,
    QCheckBox, QDate, QDateEdit, QFontMetricsF, QStyle,
)
from .language import Language, human_error
from .worker import StoreWorker

FIT_ROWS = 300   # the rows (from the top) whose texts decide the columns' widths
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMNS = ("name", "school", "year", "legal_status", "next_due", "last_review", "rating", "unsynced")
_ANSWERED = frozenset({Qt.ItemDataRole.DisplayRole, SORT_ROLE, ID_ROLE, Qt.ItemDataRole.ToolTipRole,
                       Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.AccessibleTextRole})


@lru_cache(maxsize=4096)
def _medium_date(iso: str, lang: str) -> str:
    """A date as the list shows it, in `lang` (the interface language): the list shows a few hundred
    distinct dates thousands of times, and Babel's formatting is the slow part of a row."""
    return i18n.format_date(dt.date.fromisoformat(iso), "medium")


display_name = model.display_name


def _out_of_county_ids(store) -> set[str]:
    from ..pdf.pack import out_of_county_ids

    return out_of_county_ids(store)


def name_keys(rows: list[dict], lang: str) -> list[tuple]:
    """Keys ordering the rows by surname, then first name (in the alphabet of `lang`), then reference.
    Each name is its rank among the names of these rows (a cohort repeats few names: about 100
    surnames among 7,500 learners), so the collation runs once a name and sorting compares
    integers; keys of different calls do not compare."""
    def ranks(names: set) -> dict:
        return {name: n for n, name in enumerate(sorted(names, key=lambda name: sort_key(name, lang)))}
    firsts = [r.get("preferred_name") or r["legal_forename"] for r in rows]
    surname, first = ranks({r["legal_surname"] for r in rows}), ranks(set(firsts))
    return [(surname[r["legal_surname"]], first[name], r["reference"]) for r, name in zip(rows, firsts)]


def load_rows(store, lang: str, today: dt.date | None = None) -> tuple[list[dict], tuple[str, list[tuple]], bool]:
    """On the worker: the learners in name order (the list's first order) with their name keys,
    so the UI thread sorts nothing unless another column is chosen; and whether the store syncs at all."""
    rows = store.list_learners(unsynced=False, sort=False, today=today)
    keys = name_keys(rows, lang)
    order = sorted(range(len(rows)), key=keys.__getitem__)
    return [rows[i] for i in order], (lang, [keys[i] for i in order]), store.enrolled()


PENDING = {"school": None, "last_review": None, "next_due": None, "overdue": False, "due_soon": False,
           "rating": None, "unsynced": None, "pending": True}


def load_first_rows(store, lang: str, today: dt.date | None = None, count: int | None = None):
    """On the worker, for a first paint sooner: every learner in name order, the first `count`
    with their summaries (read through the indexes) and the others with their names only
    (marked "pending", see PENDING) until `load_rows` has read everyone; as `load_rows`, with
    whether the rows are all complete. A store of at most `count` learners is read whole."""
    count = FIT_ROWS if count is None else count
    names = store.learner_names()
    if len(names) <= count:
        rows, keys, enrolled = load_rows(store, lang, today)
        return rows, keys, enrolled, True
    keys = name_keys(names, lang)
    order = sorted(range(len(names)), key=keys.__getitem__)
    first = {r["id"]: r for r in store.list_learners(unsynced=False, sort=False, today=today,
                                                     ids=[names[i]["id"] for i in order[:count]])}
    rows = [first.get(names[i]["id"]) or names[i] | PENDING for i in order]
    return rows, (lang, [keys[i] for i in order]), store.enrolled(), False


def school_names(rows: list[dict], lang: str) -> list[str]:
    """The schools of `rows`, each once, in the alphabet of `lang` (the school filter's choices)."""
    return sorted({r["school"] for r in rows if r["school"]}, key=lambda name: sort_key(name, lang))


class LearnerTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[dict] = []
        self._keys: list[tuple] = []
        self.today = dt.date.today()
        self.sort_column, self.sort_order = 0, Qt.SortOrder.AscendingOrder

    def set_rows(self, rows: list[dict], keys: tuple[str, list[tuple]] | None = None) -> None:
        """`keys`: the language and the name keys of `rows` (see `name_keys`), when the worker
        computed them (then `rows` come in name order, see `load_rows`); otherwise they are computed here."""
        self.beginResetModel()
        self.rows = rows
        if keys is not None and keys[0] == i18n.current_language():
            self._keys = keys[1]
            if (self.sort_column, self.sort_order) != (0, Qt.SortOrder.AscendingOrder):
                self._order()
        else:
            self._rebuild_keys()
            self._order()
        self.endResetModel()

    def update_rows(self, rows: list[dict], keys: tuple[str, list[tuple]] | None = None) -> None:
        """The same learners read again (a review finalised, rated, amended…): the rows change in
        place, so the selection and the scroll position stay; other learners: a reset."""
        if {r["id"] for r in rows} != {r["id"] for r in self.rows}:
            self.set_rows(rows, keys)
            return
        unsynced = {r["id"]: r.get("unsynced") for r in self.rows}
        for row in rows:
            row["unsynced"] = unsynced[row["id"]]
        old_rows, old_keys = self.rows, self._keys
        self.rows = rows
        if keys is not None and keys[0] == i18n.current_language():
            self._keys = keys[1]
            if (self.sort_column, self.sort_order) != (0, Qt.SortOrder.AscendingOrder):
                self._order()
        else:
            self._rebuild_keys()
            self._order()
        if [r["id"] for r in self.rows] != [r["id"] for r in old_rows]:
            # Another order: moved as a layout change (Qt's persistent indexes follow their learner).
            new_rows, new_keys = self.rows, self._keys
            self.rows, self._keys = old_rows, old_keys
            self.layoutAboutToBeChanged.emit()
            before = self.persistentIndexList()
            ids = [self.rows[i.row()]["id"] if i.isValid() else None for i in before]
            self.rows, self._keys = new_rows, new_keys
            position = {r["id"]: n for n, r in enumerate(self.rows)}
            self.changePersistentIndexList(before, [self.index(position[i], old.column()) if i else QModelIndex()
                                                    for i, old in zip(ids, before)])
            self.layoutChanged.emit()
        # The same order (most often): only the texts changed, which costs Qt far less than a layout change.
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(COLUMNS) - 1))

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:  # noqa: D401 - Qt's API
        """Sorts the rows themselves, with Python's sort over precomputed keys: far cheaper than a
        proxy calling back into Python for every comparison of 7,500 rows."""
        self.sort_column, self.sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        self._order()
        self.layoutChanged.emit()

    def _order(self) -> None:
        column = COLUMNS[self.sort_column]
        paired = sorted(zip(self.rows, self._keys),
                        key=lambda pair: self._sort_value(pair[1], pair[0], column),
                        reverse=self.sort_order == Qt.SortOrder.DescendingOrder)
        self.rows = [row for row, _key in paired]
        self._keys = [key for _row, key in paired]

    def _rebuild_keys(self) -> None:
        self._keys = name_keys(self.rows, i18n.current_language())

    def set_unsynced(self, learner_ids: set[str]) -> None:
        for row in self.rows:
            row["unsynced"] = row["id"] in learner_ids
        if self.rows:
            column = COLUMNS.index("unsynced")
            self.dataChanged.emit(self.index(0, column), self.index(len(self.rows) - 1, column))

    def retranslate(self) -> None:
        """The language changed: new headers, new labels, and the other alphabet for names."""
        self.beginResetModel()
        self._rebuild_keys()
        self._order()
        self.endResetModel()

    def headers(self) -> list[str]:
        return [_("Name"), _("School"), _("Year"), _("Legal status"), pgettext("learner list column", "Next due"),
                _("Last review"), _("Quality"), _("Unsynced")]

    # --- Qt's model API ---------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return self.headers()[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        # Fitting the columns to their contents asks every cell for every role: the ones this model
        # never answers return at once.
        if role not in _ANSWERED or not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        row = self.rows[index.row()]
        column = COLUMNS[index.column()]
        if role == ID_ROLE:
            return row["id"]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == SORT_ROLE:
            return self._sort_value(self._keys[index.row()], row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == "name":
            return _("{name}, reference {reference}").format(name=display_name(row), reference=row["reference"])
        if column == "next_due" and row["overdue"]:
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor("#9b1c1c")
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._text(row, column)
        return None

    def _text(self, row: dict, column: str) -> str:
        if column == "name":
            return display_name(row)
        if column in PENDING and "pending" in row:
            return "…"   # read a moment after the first paint (see load_first_rows)
        if column == "school":
            return row["school"] or "—"
        if column == "year":
            if not row["date_of_birth"]:
                return "—"
            year = year_group(dt.date.fromisoformat(row["date_of_birth"]), self.today)
            return _("Reception") if year == 0 else (_("Nursery") if year < 0 else str(year))
        if column == "legal_status":
            return model.enum_label("legal_status", row["legal_status"]) if row["legal_status"] else "—"
        if column == "next_due":
            if not row["next_due"]:
                return "—"
            text = _medium_date(row["next_due"], i18n.current_language())
            if row["overdue"]:
                # Said in words, not only in colour.
                return _("⚠ Overdue: {date}").format(date=text)
            if row["due_soon"]:
                return _("Due soon: {date}").format(date=text)
            return text
        if column == "last_review":
            return _medium_date(row["last_review"], i18n.current_language()) if row["last_review"] else "—"
        if column == "rating":
            return model.enum_label("rating", row["rating"]) if row["rating"] else "—"
        if column == "unsynced":
            return _("Not yet synced") if row["unsynced"] else ""
        return ""

    def _sort_value(self, name_key: tuple, row: dict, column: str):
        if column == "name":
            return name_key
        if column in ("next_due", "last_review"):
            return (row[column] or "9999", name_key)
        if column == "year":
            return (row["date_of_birth"] or "", name_key)
        return (sort_key(self._text(row, column)), name_key)


class LearnerFilter(QSortFilterProxyModel):
    """Keeps the rows that match the search (ids from the core) and every chosen filter.

    Qt asks `filterAcceptsRow` for each of 7,500 rows on every reset and filter change: while
    nothing is filtered (a start, a reload) the answer is one attribute. (Qt's own filter on a
    role was tried: no Python at a reset without a filter, but four Python calls a row under one,
    three times slower to choose a school.)"""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.matching: set[str] | None = None
        self.school: str | None = None
        self.due: str | None = None          # "overdue", "soon", "range" or None
        self.due_from: dt.date | None = None  # the range, both ends included
        self.due_to: dt.date | None = None
        self.out_of_county: set[str] | None = None  # ids of learners placed out of county, when asked
        self.legal_status: str | None = None
        self.rating: str | None = None
        self.only: set[str] | None = None    # "show only these learners" (from the dashboard)
        self._everyone = True                # no filter on (see refilter)

    def active(self) -> bool:
        return any(value is not None for value in (self.matching, self.only, self.out_of_county)) \
            or bool(self.school or self.due or self.legal_status or self.rating)

    def refilter(self) -> None:
        self.beginFilterChange()
        self._everyone = not self.active()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:  # noqa: N802
        return self._everyone or self.accepts(self.sourceModel().rows[source_row])

    def accepts(self, row: dict) -> bool:
        if self.matching is not None and row["id"] not in self.matching:
            return False
        if self.only is not None and row["id"] not in self.only:
            return False
        if self.school and row["school"] != self.school:
            return False
        if self.due == "overdue" and not row["overdue"]:
            return False
        if self.due == "soon" and not (row["due_soon"] or row["overdue"]):
            return False
        if self.due == "range" and not (row["next_due"] and self.due_from.isoformat() <= row["next_due"]
                                        <= self.due_to.isoformat()):
            return False
        if self.out_of_county is not None and row["id"] not in self.out_of_county:
            return False
        if self.legal_status and row["legal_status"] != self.legal_status:
            return False
        if self.rating and row["rating"] != self.rating:
            return False
        return True

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        # The source model sorts itself (see LearnerTableModel.sort); this proxy only filters.
        self.sourceModel().sort(column, order)


class LearnerListPage(QWidget):
    open_learner = Signal(str)
    status_message = Signal(str)

    def __init__(self, worker: StoreWorker, parent=None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.clock = dt.date.today   # what "overdue" is measured against; tests give their own
        self._loaded = False
        self._shown_since_load = False
        self._generation = 0   # each reload and lock: a later answer for an earlier one is dropped
        self.model = LearnerTableModel(self)
        self.proxy = LearnerFilter(self)
        self.proxy.setSourceModel(self.model)
        self._search_token = 0

        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search_label = QLabel()
        self.search_label.setBuddy(self.search)
        self.school = QComboBox()
        self.due = QComboBox()
        self.legal_status = QComboBox()
        self.rating = QComboBox()
        self.due_from, self.due_to = QDateEdit(), QDateEdit()
        for edit in (self.due_from, self.due_to):
            edit.setCalendarPopup(True)
        today = QDate.currentDate()
        self.due_from.setDate(today)
        self.due_to.setDate(today.addMonths(1))
        for edit in (self.due_from, self.due_to):
            edit.dateChanged.connect(lambda _d: self._filters_changed())
        self.out_of_county = QCheckBox()
        self.out_of_county.toggled.connect(lambda _on: self._filters_changed())
        self._out_of_county_ids: set[str] = set()
        from .pdf_ui import PackPrinter

        self.pack = PackPrinter(self)  # Print PEP pack…
        self.count = QLabel()
        self.count.setAccessibleName("")
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate((200, 230, 80, 170, 250, 150, 80, 140)):
            self.table.setColumnWidth(column, width)
        header.setResizeContentsPrecision(FIT_ROWS)   # columns fit what they hold (sampled: thousands of rows)
        self.table.activated.connect(self._activated)
        # "Show only these learners": a visible banner saying which, with a way back to everyone.
        self.only_banner = QFrame()
        self.only_banner.setObjectName("onlyBanner")
        self.only_banner.setStyleSheet("#onlyBanner { background: #e4eef0; border: 1px solid #0b5563; border-radius: 4px; }")
        self.only_label = QLabel()
        self.only_label.setWordWrap(True)
        self.only_clear = QPushButton()
        banner = QHBoxLayout(self.only_banner)
        banner.addWidget(self.only_label, 1)
        banner.addWidget(self.only_clear)
        self.only_banner.hide()
        self._only_description = None
        self.only_clear.clicked.connect(self.clear_only)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.count)
        top.addWidget(self.pack.button)
        # Search on a row of its own, the filters under it: both fit a small screen at 200 %.
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_label)
        search_row.addWidget(self.search, 1)
        self.search.setMaximumWidth(600)
        search_row.addWidget(self.out_of_county)
        search_row.addStretch(0)
        filters = QHBoxLayout()
        for combo in (self.school, self.due, self.legal_status, self.rating):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
            filters.addWidget(combo, 1)
        # "Due between…" shows its two dates on a row of their own, under the filters.
        self.due_range = QWidget()
        self.due_range_label = QLabel()
        range_row = QHBoxLayout(self.due_range)
        range_row.setContentsMargins(0, 0, 0, 0)
        range_row.addStretch(1)
        range_row.addWidget(self.due_range_label)
        range_row.addWidget(self.due_from)
        range_row.addWidget(QLabel("–"))
        range_row.addWidget(self.due_to)
        self.due_range.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(search_row)
        layout.addLayout(filters)
        layout.addWidget(self.due_range)
        layout.addWidget(self.only_banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)

        # Babel's data for the dates, loaded now (while the key is derived), not with the first rows.
        _medium_date(dt.date.today().isoformat(), i18n.current_language())
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(120)
        self._search_timer.timeout.connect(self._run_search)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.installEventFilter(self)
        for combo in (self.school, self.due, self.legal_status, self.rating):
            combo.currentIndexChanged.connect(self._filters_changed)
        self.retranslate_ui()

    # --- loading ----------------------------------------------------------------------

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        # Down (or Enter) from the search box goes into the results; Enter there opens one.
        from .qt import QEvent

        if watched is self.search and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.proxy.rowCount():
            index = self.table.currentIndex()
            if not index.isValid() or self.table.isRowHidden(index.row()):
                index = self.proxy.index(0, 0)
            self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.table.setCurrentIndex(index)
            if event.key() != Qt.Key.Key_Down and self.proxy.rowCount() == 1:
                self._activated(index)
            return True
        return super().eventFilter(watched, event)

    def showEvent(self, event) -> None:  # noqa: N802
        # Right whenever it is shown: a review finalised, amended or rated, or a next date changed
        # elsewhere (the editor, a sync, the command line) shows at once.
        super().showEvent(event)
        if self._loaded and self._shown_since_load:
            self.refresh()
        self._shown_since_load = True   # the first show after a reload has just read them

    def refresh(self, then=None) -> None:
        """Reads every row again and updates them in place."""
        lang, today = i18n.current_language(), self.clock()

        def loaded(result):
            self._updated(result, today)
            if then:
                then()
        self.worker.submit(lambda store: load_rows(store, lang, today), loaded,
                           lambda e: self.status_message.emit(human_error(e)))

    def _updated(self, result, today: dt.date) -> None:
        rows, keys, _enrolled = result
        self.model.today = today
        self.model.update_rows(rows, keys)
        self.proxy.refilter()
        self._update_count()

    def reload(self, then=None, or_else=None) -> None:
        """Reads every row again; `then()` once the rows are in the model, `or_else()` if they could not be read."""
        generation = self._generation = self._generation + 1
        # At the list's first order (by name), the first screen is read first, everyone after it.
        first_screen = (self.model.sort_column, self.model.sort_order) == (0, Qt.SortOrder.AscendingOrder)

        def loaded(result):
            rows, keys, enrolled, *_complete = result
            self._loaded = True
            self._shown_since_load = self.isVisible()
            self.model.today = today
            self.model.set_rows(rows, keys)
            self._fit_columns()
            # On a device that never synced every learner is "unsynced": the column would only be noise.
            self.table.setColumnHidden(COLUMNS.index("unsynced"), not enrolled)
            self._update_count()
            if self.search.text().strip():
                self._run_search()
            if then:
                then()

        def everyone(result):
            if result is not None and generation == self._generation:
                self._updated(result, today)
        failed = lambda e: self.status_message.emit(human_error(e))  # noqa: E731
        # The list first; which learners have unsynced changes follows a moment later.
        lang, today = i18n.current_language(), self.clock()
        read: list = []

        def load(store):
            read.append(load_first_rows(store, lang, today) if first_screen else load_rows(store, lang, today))
            return read[0]

        def load_everyone(store):
            if not first_screen or not read or read[0][3]:   # nothing read: the first read failed, and said so
                return None
            read[0] = load_rows(store, lang, today)
            return read[0]
        def first_failed(error):
            failed(error)
            # Said where the rows would be: "no learners yet" would be untrue.
            self.empty.setText(_("The learner list could not be read: {reason}").format(reason=human_error(error)))
            self.empty.setVisible(self.model.rowCount() == 0)
            if or_else:
                or_else()
        self.worker.submit(load, loaded, first_failed)
        self.worker.submit(load_everyone, everyone, failed)
        # The schools' choices are sorted on the worker.
        self.worker.submit(lambda _store: (lang, school_names(read[0][0] if read else [], lang)),
                           self._set_school_names, failed)
        self.worker.submit(lambda store: store.unsynced_learners(), self.model.set_unsynced, failed)
        self.worker.submit(_out_of_county_ids, self._set_out_of_county, failed)

    def _fit_columns(self) -> None:
        """Each column as wide as its widest text among the first FIT_ROWS rows, or its heading: what
        resizeColumnsToContents gives, measured here from the texts alone (Qt asks every sampled
        cell for every role through Python: a seventh of a second for 7,500 learners)."""
        table, model = self.table, self.model
        plain = QFontMetricsF(table.font())
        bold_font = QFont(table.font())
        bold_font.setBold(True)
        bold = QFontMetricsF(bold_font)
        # As Qt's item delegate and table: a text margin each side, and the grid line.
        extra = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1) \
            + (1 if table.showGrid() else 0)
        header, proxy = table.horizontalHeader(), self.proxy
        count = min(proxy.rowCount(), FIT_ROWS)
        sample = model.rows[:count] if proxy.filterRegularExpression().pattern() == "" else \
            [model.rows[proxy.mapToSource(proxy.index(r, 0)).row()] for r in range(count)]
        for column, name in enumerate(COLUMNS):
            # Each different text measured once (schools, years and dates repeat down a column).
            texts = {(model._text(row, name), name == "next_due" and row["overdue"]) for row in sample}
            widest = max((math.ceil((bold if is_bold else plain).horizontalAdvance(text)) for text, is_bold in texts),
                         default=0)
            table.setColumnWidth(column, max(widest + extra, header.sectionSizeHint(column)))

    def forget(self) -> None:
        """The store closed (locked): nothing of it stays on screen."""
        self._loaded = False
        self._generation += 1
        self.clear_only()
        self.model.set_rows([])

    def _set_out_of_county(self, ids: set[str]) -> None:
        self._out_of_county_ids = ids
        if self.out_of_county.isChecked():
            self._filters_changed()

    def _run_search(self) -> None:
        text = self.search.text()
        self._search_token += 1
        token = self._search_token
        if not text.strip():
            self.proxy.matching = None
            self.proxy.refilter()
            self._update_count()
            return

        def found(ids):
            if token == self._search_token:  # a later keystroke has its own search
                self.table.clearSelection()   # a selection made for other results must not decide a pack
                self.proxy.matching = ids
                self.proxy.refilter()
                self._update_count()
        self.worker.submit(lambda store: store.search_ids(text), found)

    def _filters_changed(self) -> None:
        self.proxy.school = self.school.currentData()
        self.proxy.due = self.due.currentData()
        self.due_range.setVisible(self.proxy.due == "range")
        self.proxy.due_from = self.due_from.date().toPython()
        self.proxy.due_to = self.due_to.date().toPython()
        self.proxy.out_of_county = self._out_of_county_ids if self.out_of_county.isChecked() else None
        self.proxy.legal_status = self.legal_status.currentData()
        self.proxy.rating = self.rating.currentData()
        self.table.clearSelection()
        self.proxy.refilter()
        self._update_count()

    def show_only(self, ids, description) -> None:
        """Shows only these learners (ids), under a banner; `description()` says which, in the
        interface language (it is called again after a language switch)."""
        self.proxy.only = set(ids)
        self._only_description = description
        self._update_only_banner()
        self.only_banner.show()
        self.proxy.refilter()
        self._update_count()

    def clear_only(self) -> None:
        self.proxy.only = None
        self._only_description = None
        self.only_banner.hide()
        self.proxy.refilter()
        self._update_count()

    def _update_only_banner(self) -> None:
        if self._only_description is None:
            return
        n = len(self.proxy.only or ())
        self.only_label.setText(ngettext("Showing only the {n} learner behind “{figure}”.",
                                         "Showing only the {n} learners behind “{figure}”.", n).format(
            n=i18n.format_number(n), figure=self._only_description()))

    def _activated(self, index: QModelIndex) -> None:
        learner_id = self.proxy.data(index, ID_ROLE)
        if learner_id:
            self.open_learner.emit(learner_id)

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if shown == total:
            text = ngettext("{n} learner", "{n} learners", total).format(n=i18n.format_number(total))
        else:
            text = _("{shown} of {total}").format(shown=i18n.format_number(shown), total=i18n.format_number(total))
        self.count.setText(text)
        self.empty.setVisible(shown == 0)
        self.empty.setText(_("No learners match. Clear the search or the filters to see everyone.")
                           if total else _("There are no learners in this store yet."))

    # --- language ---------------------------------------------------------------------

    def _set_school_names(self, result: tuple[str, list[str]]) -> None:
        lang, names = result
        self._fill_school_filter(names if lang == i18n.current_language() else None)

    def _fill_school_filter(self, names: list[str] | None = None) -> None:
        """`names`: the schools in the interface language's order (`school_names`), or else found here."""
        if names is None:
            names = school_names(self.model.rows, i18n.current_language())
        current = self.school.currentData()
        self.school.blockSignals(True)
        self.school.clear()
        self.school.addItem(_("All schools"), None)
        for name in names:
            self.school.addItem(name, name)
        self.school.setCurrentIndex(max(0, self.school.findData(current)))
        self.school.blockSignals(False)

    def _fill(self, combo: QComboBox, everything: str, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for value, label in items:
            combo.addItem(label, value)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def retranslate_ui(self) -> None:
        self.title.setText(_("Learners"))
        self.search_label.setText(_("&Search"))
        self.search.setPlaceholderText(_("Name, school or reference"))
        self.search.setAccessibleName(_("Search learners"))
        self.search.setAccessibleDescription(_("Accents and capital letters do not matter"))
        from .shortcuts import with_shortcut

        self.search.setToolTip(with_shortcut(_("Search learners"), "Ctrl+F"))
        self._fill_school_filter()
        self.school.setAccessibleName(_("School"))
        self._fill(self.due, _("Any due date"), [("overdue", _("Overdue")), ("soon", _("Due within 20 school days")),
                                                 ("range", _("Due between…"))])
        self.due.setAccessibleName(_("Next PEP due"))
        self.due_range_label.setText(_("Next PEP due"))
        self.due_from.setAccessibleName(_("Due on or after"))
        self.due_to.setAccessibleName(_("Due on or before"))
        for edit in (self.due_from, self.due_to):
            edit.setLocale(Language.qlocale())
        self.out_of_county.setText(_("Out of county"))
        self.out_of_county.setToolTip(_("Only learners whose current placement is outside the authority"))
        self.pack.retranslate_ui()
        self._fill(self.legal_status, _("Any legal status"),
                   [(k, model.enum_label("legal_status", k)) for k in model.ENUMS["legal_status"]])
        self.legal_status.setAccessibleName(_("Legal status"))
        self._fill(self.rating, _("Any quality rating"), [(k, model.enum_label("rating", k)) for k in model.ENUMS["rating"]])
        self.rating.setAccessibleName(_("Quality"))
        self.table.setAccessibleName(_("Learners"))
        self.table.horizontalHeader().setAccessibleName(_("{table}: column headings").format(table=_("Learners")))
        self.only_clear.setText(_("Show &everyone"))
        self._update_only_banner()
        self.model.retranslate()
        self.proxy.invalidate()
        self._update_count()
