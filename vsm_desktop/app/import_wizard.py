"""Import learners from a CSV file, in four steps: choose the file; say which column holds what;
see every problem, by row and column, and choose between importing nothing until the file is
corrected or only the valid rows; import (with progress and Cancel).

"Save the template…" writes the CSV template (`importer.template_bytes`). The reading, checking
and importing are the core's (`coordinator.importer`, docs/import-csv.md)
and run on the StoreWorker; the import is one transaction, so Cancel leaves the store as it was.
"""

from __future__ import annotations

import threading

from .. import i18n
from ..coordinator import importer
from ..errors import ImportProblems, Interrupted
from ..i18n import _, ngettext, pgettext
from .language import human_error
from .style import name_table
from .qt import (
    QAbstractItemView, QApplication, QButtonGroup, QComboBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout,
    QKeySequence, QLabel, QLineEdit, QObject, QProgressBar, QPushButton, QRadioButton, QScrollArea, QShortcut,
    QStackedWidget, QStandardItem, QStandardItemModel, QTableView, QVBoxLayout, QWidget, Qt, Signal,
)
from .worker import StoreWorker

FILE, MAPPING, CHECK, IMPORT = range(4)
SHOWN_PROBLEMS = 2_000  # the report lists this many; the count says how many there are


class _Progress(QObject):
    """Lives on the UI thread; the worker emits it, Qt queues the call across threads."""

    changed = Signal(int, int)


class ImportWizard(QDialog):
    imported = Signal(int)

    def __init__(self, worker: StoreWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importWizard")
        self.worker = worker
        self.table: importer.Table | None = None
        self.plan: importer.Plan | None = None
        self.result: importer.Result | None = None
        self.cancel_event = threading.Event()
        self.busy = False
        self.progress_signal = _Progress(self)
        self.progress_signal.changed.connect(self._progress)
        self.combos: dict[str, QComboBox] = {}

        layout = QVBoxLayout(self)
        self.step_label = QLabel()
        self.step_label.setObjectName("importStep")
        font = self.step_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.step_label.setFont(font)
        layout.addWidget(self.step_label)
        self.steps = QStackedWidget()
        layout.addWidget(self.steps, 1)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a11d1d;")
        self.error.setVisible(False)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.back_button = QPushButton()
        self.next_button = QPushButton()
        self.next_button.setDefault(True)
        self.cancel_button = QPushButton()
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.cancel_button.clicked.connect(self.reject)
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.cancel_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)

        # 1. the file
        page = QWidget()
        form = QVBoxLayout(page)
        self.file_intro = QLabel()
        self.file_intro.setWordWrap(True)
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setObjectName("importPath")
        self.browse_button = QPushButton()
        self.browse_button.clicked.connect(self.browse)
        self.path_label = QLabel()
        self.path_label.setBuddy(self.path)
        row.addWidget(self.path_label)
        row.addWidget(self.path, 1)
        row.addWidget(self.browse_button)
        self.template_button = QPushButton()
        self.template_button.setObjectName("saveTemplate")
        self.template_button.clicked.connect(lambda: self.save_template())
        self.template_note = QLabel()
        self.template_note.setWordWrap(True)
        form.addWidget(self.file_intro)
        form.addLayout(row)
        template_row = QHBoxLayout()
        template_row.addWidget(self.template_button)
        template_row.addWidget(self.template_note, 1)
        form.addLayout(template_row)
        form.addStretch(1)
        self.steps.addWidget(page)

        # 2. the columns
        page = QWidget()
        form = QVBoxLayout(page)
        self.mapping_intro = QLabel()
        self.mapping_intro.setWordWrap(True)
        self.file_notes = QLabel()
        self.file_notes.setWordWrap(True)
        self.mapping_area = QScrollArea()
        self.mapping_area.setWidgetResizable(True)
        form.addWidget(self.mapping_intro)
        form.addWidget(self.file_notes)
        form.addWidget(self.mapping_area, 1)
        self.steps.addWidget(page)

        # 3. the report
        page = QWidget()
        form = QVBoxLayout(page)
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.notes_label = QLabel()
        self.notes_label.setObjectName("importNotes")
        self.notes_label.setWordWrap(True)
        # Problems as a table: row, column, value, what is wrong; sorted by a click on a heading,
        # copied (Ctrl+C, or "Copy all") to paste into the spreadsheet being corrected.
        self.problems = QStandardItemModel(0, 4, self)
        self.report = QTableView()
        self.report.setObjectName("importProblems")
        self.report.setModel(self.problems)
        self.report.setSortingEnabled(True)
        self.report.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.report.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.report.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.report.setAlternatingRowColors(True)
        self.report.verticalHeader().setVisible(False)
        self.report.horizontalHeader().setStretchLastSection(True)
        copy = QShortcut(QKeySequence.StandardKey.Copy, self.report)
        copy.setContext(Qt.ShortcutContext.WidgetShortcut)
        copy.activated.connect(lambda: self.copy_problems(selected_only=True))
        self.copy_button = QPushButton()
        self.copy_button.setObjectName("copyProblems")
        self.copy_button.clicked.connect(lambda: self.copy_problems(selected_only=False))
        self.more_label = QLabel()
        self.choice = QButtonGroup(self)
        self.all_or_nothing = QRadioButton()
        self.all_or_nothing.setObjectName("importAllOrNothing")
        self.valid_only = QRadioButton()
        self.valid_only.setObjectName("importValidOnly")
        self.all_or_nothing.setChecked(True)
        for button in (self.all_or_nothing, self.valid_only):
            self.choice.addButton(button)
        self.choice.buttonToggled.connect(lambda *_a: self._buttons())
        form.addWidget(self.summary)
        form.addWidget(self.notes_label)
        form.addWidget(self.report, 1)
        copy_row = QHBoxLayout()
        copy_row.addWidget(self.more_label, 1)
        copy_row.addWidget(self.copy_button)
        form.addLayout(copy_row)
        form.addWidget(self.all_or_nothing)
        form.addWidget(self.valid_only)
        self.steps.addWidget(page)

        # 4. importing
        page = QWidget()
        form = QVBoxLayout(page)
        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.outcome = QLabel()
        self.outcome.setObjectName("importOutcome")
        self.outcome.setWordWrap(True)
        form.addWidget(self.progress)
        form.addWidget(self.outcome)
        form.addStretch(1)
        self.steps.addWidget(page)

        self.resize(900, 600)
        self.retranslate_ui()

    # --- text ------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Import learners from CSV"))
        step = self.steps.currentIndex()
        titles = (_("Step 1 of 4: choose the file"), _("Step 2 of 4: which column holds what"),
                  _("Step 3 of 4: check"), _("Step 4 of 4: import"))
        self.step_label.setText(titles[step])
        self.file_intro.setText(_(
            "Choose a CSV file of learners, one row each, with the column names in the first row. "
            "Nothing changes until the last step."))
        self.browse_button.setText(_("Choose…"))
        self.path_label.setText(_("&File:"))
        self.template_button.setText(_("&Save the template…"))
        self.template_note.setText(_("A CSV file with the columns the import knows and two made-up learners: "
                                     "fill it in with a spreadsheet."))
        self.copy_button.setText(_("&Copy all"))
        self.copy_button.setToolTip(_("Copies the problems, tab-separated, to paste into a spreadsheet"))
        self.problems.setHorizontalHeaderLabels([_("Row"), _("Column"), _("Value"), _("What is wrong")])
        name_table(self.report, _("Problems found in the file"))
        self.mapping_area.setAccessibleName(_("The file's columns and the fields they go into"))
        self.path.setPlaceholderText(_("The CSV file"))
        self.mapping_intro.setText(_(
            "Each column of the file and the field it goes into. Columns set to “Not imported” are left out."))
        self.all_or_nothing.setText(_("Import nothing until the file is corrected"))
        self.valid_only.setText(_("Import the valid rows and leave the others out"))
        self.back_button.setText(pgettext("button", "Back"))
        self.cancel_button.setText(pgettext("button", "Cancel"))
        for header, combo in self.combos.items():
            self._fill_combo(combo)
        if self.table is not None:
            self._show_notes()
        if self.plan is not None:
            self._show_plan()
        if self.result is not None:
            self._show_result()
        self._buttons()

    def _buttons(self) -> None:
        step = self.steps.currentIndex()
        self.back_button.setVisible(step in (MAPPING, CHECK))
        self.back_button.setEnabled(not self.busy)
        if step == IMPORT:
            done = not self.busy
            self.next_button.setText(pgettext("button", "Close"))
            self.next_button.setEnabled(done)
            self.cancel_button.setVisible(not done)
            return
        self.cancel_button.setVisible(True)
        if step == CHECK:
            self.next_button.setText(_("Import"))
            can = self.plan is not None and (not self.plan.problems or (
                self.valid_only.isChecked() and self.plan.new and not any(p.row == 1 for p in self.plan.problems)))
            if self.plan is not None and not self.plan.new:
                can = False
            self.next_button.setEnabled(bool(can) and not self.busy)
        else:
            self.next_button.setText(pgettext("button", "Next"))
            self.next_button.setEnabled(not self.busy)

    # --- steps -----------------------------------------------------------------------------

    def browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Choose a CSV file"), self.path.text(),
                                                    _("CSV files (*.csv *.txt);;All files (*)"))
        if path:
            self.path.setText(path)

    def save_template(self, path: str | None = None) -> None:
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, _("Save the template"), "import-template.csv",
                                                        _("CSV files (*.csv)"))
            if not path:
                return
        try:
            importer.write_template(path)
        except OSError as e:
            self.error.setText(human_error(e))
            self.error.setVisible(True)
            return
        self.error.setVisible(False)
        self.template_note.setText(_("Saved the template as {path}.").format(path=path))

    def copy_problems(self, selected_only: bool) -> str:
        """The problems (those selected, or all) as tab-separated lines with the headings."""
        rows = sorted({i.row() for i in self.report.selectionModel().selectedIndexes()}) if selected_only else []
        if not rows:
            rows = list(range(self.problems.rowCount()))
        heads = [self.problems.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
        lines = ["\t".join(heads)] + ["\t".join(self.problems.item(r, c).text().replace("\t", " ") for c in range(4))
                                       for r in rows]
        text = "\n".join(lines)
        QApplication.clipboard().setText(text)
        return text

    def _go(self, step: int) -> None:
        self.steps.setCurrentIndex(step)
        self.error.setVisible(False)
        self.retranslate_ui()

    def _fail(self, error: BaseException) -> None:
        self.busy = False
        self.error.setText(human_error(error))
        self.error.setVisible(True)
        self._buttons()

    def back(self) -> None:
        if not self.busy and self.steps.currentIndex() > FILE:
            self._go(self.steps.currentIndex() - 1)

    def next(self) -> None:
        if self.busy or not self.next_button.isEnabled():
            return
        step = self.steps.currentIndex()
        if step == FILE:
            self.read()
        elif step == MAPPING:
            self.check()
        elif step == CHECK:
            self.start_import()
        else:
            self.accept()

    def read(self) -> None:
        path = self.path.text().strip()
        if not path:
            self.error.setText(_("Choose a file first."))
            self.error.setVisible(True)
            return
        self.busy = True
        self._buttons()

        def done(table: importer.Table) -> None:
            self.busy = False
            self.table, self.plan = table, None
            self._build_mapping(importer.auto_mapping(table.headers))
            self._go(MAPPING)

        self.worker.submit(lambda _store: importer.read_file(path), on_done=done, on_error=self._fail)

    def _fill_combo(self, combo: QComboBox) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(_("Not imported"), None)
        for target in importer.TARGETS:
            combo.addItem(importer.target_label(target), target)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def _build_mapping(self, mapping: dict) -> None:
        holder = QWidget()
        form = QFormLayout(holder)
        self.combos = {}
        sample = self.table.rows[0][1] if self.table.rows else []
        for i, header in enumerate(self.table.headers):
            combo = QComboBox()
            combo.setObjectName(f"mapping_{i}")
            self._fill_combo(combo)
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(header))))
            example = sample[i].strip() if i < len(sample) else ""
            combo.setToolTip(example)
            label = QLabel(f"{header or '—'}" + (f"  ({example[:30]})" if example else ""))
            label.setBuddy(combo)
            form.addRow(label, combo)
            self.combos[header] = combo
        self.mapping_area.setWidget(holder)
        self._show_notes()

    def _show_notes(self) -> None:
        rows = len(self.table.rows)
        lines = [ngettext("The file has {n} row of learners.", "The file has {n} rows of learners.", rows).format(
            n=i18n.format_number(rows))] + self.table.notes
        self.file_notes.setText("\n".join(lines))

    def mapping(self) -> dict:
        return {header: combo.currentData() for header, combo in self.combos.items()}

    def check(self) -> None:
        table, mapping = self.table, self.mapping()
        self.busy = True
        self._buttons()

        def done(plan: importer.Plan) -> None:
            self.busy = False
            self.plan = plan
            self.valid_only.setChecked(False)
            self.all_or_nothing.setChecked(True)
            self._go(CHECK)

        self.worker.submit(lambda store: importer.check(store, table, mapping), on_done=done, on_error=self._fail)

    def _show_plan(self) -> None:
        plan = self.plan
        parts = [
            ngettext("{n} new learner", "{n} new learners", len(plan.new)).format(n=i18n.format_number(len(plan.new))),
            ngettext("{n} already in the store (left as they are)", "{n} already in the store (left as they are)",
                     len(plan.matched)).format(n=i18n.format_number(len(plan.matched))),
            ngettext("{n} row with problems", "{n} rows with problems", plan.problem_rows).format(
                n=i18n.format_number(plan.problem_rows)),
        ]
        text = "; ".join(parts) + "."
        if not plan.problems:
            text += " " + _("No problems found.")
        if not plan.new and not any(p.row == 1 for p in plan.problems):
            text += " " + _("There is nobody new to import.")
        self.summary.setText(text)
        notes = [_("Note: {note}").format(note=note) for note in plan.notes]
        self.notes_label.setText("\n".join(notes))
        self.notes_label.setVisible(bool(notes))
        values = {number: row for number, row in self.table.rows} if self.table is not None else {}
        headers = self.table.headers if self.table is not None else []
        self.report.setSortingEnabled(False)
        self.problems.removeRows(0, self.problems.rowCount())
        for problem in plan.problems[:SHOWN_PROBLEMS]:
            row = values.get(problem.row, [])
            column = headers.index(problem.column) if problem.column in headers else -1
            value = row[column] if 0 <= column < len(row) else ""
            number = QStandardItem()
            number.setData(problem.row, Qt.ItemDataRole.DisplayRole)   # sorts as a number
            self.problems.appendRow([number, QStandardItem(problem.column or "—"), QStandardItem(value),
                                     QStandardItem(problem.message)])
        self.report.setSortingEnabled(True)
        self.report.sortByColumn(0, Qt.SortOrder.AscendingOrder)   # in the file's order first
        self.report.resizeColumnsToContents()
        more = len(plan.problems) - SHOWN_PROBLEMS
        self.more_label.setText(_("… and {n} more.").format(n=i18n.format_number(more)) if more > 0 else "")
        has_problems = bool(plan.problems)
        self.report.setVisible(has_problems)
        self.copy_button.setVisible(has_problems)
        self.all_or_nothing.setVisible(has_problems)
        self.valid_only.setVisible(has_problems)

    def start_import(self) -> None:
        table, mapping, valid_only = self.table, self.mapping(), self.valid_only.isChecked()
        self.cancel_event.clear()
        self.busy = True
        self.result = None
        self.progress.setRange(0, max(1, len(self.plan.new)))
        self.progress.setValue(0)
        self.outcome.setText(_("Importing…"))
        self._go(IMPORT)
        emit, cancelled = self.progress_signal.changed.emit, self.cancel_event.is_set

        def run(store):
            return importer.run_import(store, table, mapping, valid_only, progress=emit, cancelled=cancelled)

        def done(outcome) -> None:
            self.busy = False
            self.plan, self.result = outcome
            self.progress.setValue(self.progress.maximum())
            self._show_result()
            self._buttons()
            self.imported.emit(self.result.created)

        def failed(error: BaseException) -> None:
            self.busy = False
            if isinstance(error, ImportProblems):  # the store changed since the check (a sync)
                self.plan = error.plan
            self.outcome.setText(human_error(error) + ("" if isinstance(error, Interrupted) else
                                                       " " + _("Nothing was imported.")))
            self._buttons()

        self.worker.submit(run, on_done=done, on_error=failed)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _show_result(self) -> None:
        self.outcome.setText("\n".join(importer.result_lines(self.result)))

    def reject(self) -> None:
        if self.busy and self.steps.currentIndex() == IMPORT:
            self.cancel_event.set()  # the transaction rolls back; the wizard closes when it has
            self.outcome.setText(_("Cancelling…"))
            return
        super().reject()
