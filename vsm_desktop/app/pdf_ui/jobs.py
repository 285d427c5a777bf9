"""PDF jobs: each a QThread of its own whose store reads go to the StoreWorker one call at a
time, and the dialog that shows a job's progress, then what happened (with Open and Show in folder)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Callable

from ...errors import Interrupted
from ...i18n import _, pgettext
from ..language import human_error
from ..qt import (
    QCoreApplication, QDialog, QElapsedTimer, QEventLoop,     QHBoxLayout, QLabel, QProgressBar, QPushButton,
    QThread, QVBoxLayout, QWidget, Qt, Signal,
)
from ..worker import StoreWorker


log = logging.getLogger(__name__)

LANGS = ("cy", "en", "both")
PRINT_DPI = 300


class JobCancelled(Interrupted):
    """The user cancelled a PDF job; nothing was written."""


# --- store reads from a job's thread ---------------------------------------------------------

class _Rows:
    """What a job's code reads from `conn.execute(...)`: the rows, already fetched."""

    def __init__(self, rows: list) -> None:
        self._rows = rows

    def fetchone(self):
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list:
        return list(self._rows)

    def __iter__(self):
        return iter(self._rows)


class _Connection:
    def __init__(self, call: Callable) -> None:
        self._call = call

    def execute(self, sql: str, params=()) -> _Rows:
        return _Rows(self._call(lambda store: store.conn.execute(sql, params).fetchall()))


class StoreReader:
    """Stands in for the Store in a job's thread. Reads only: each call runs on the StoreWorker,
    in turn with the UI's own operations. Anything that writes (the signing identity on first
    use) is done on the worker before the job starts."""

    def __init__(self, worker: StoreWorker, author: str, device_id: str) -> None:
        self._worker = worker
        self.author, self.device_id = author, device_id
        self.conn = _Connection(self._call)

    def _call(self, fn: Callable):
        def run(store):
            if store is None:
                raise JobCancelled(_("The store was locked, so the PDF was not made."))
            return fn(store)
        return self._worker.call_from_thread(run)

    def get(self, *args, **kw):
        return self._call(lambda store: store.get(*args, **kw))

    def learner_record(self, learner_id: str):
        return self._call(lambda store: store.learner_record(learner_id))

    def list_learners(self, *args, **kw):
        return self._call(lambda store: store.list_learners(*args, **kw))

    def resolve_learner(self, key: str):
        return self._call(lambda store: store.resolve_learner(key))

    def transaction(self):
        raise RuntimeError("a PDF job only reads the store")


def prepare_on_worker(sign: bool) -> Callable:
    """The store work a job needs done before it starts (for `worker.submit`): the signing
    identity made on first use (it writes), and who the profile is."""
    def prepare(store):
        if store is None:
            raise JobCancelled(_("The store is locked."))
        if sign:
            from ...pdf import signing

            signing.signing_identity(store)
        return store.author, store.device_id
    return prepare


# --- jobs -------------------------------------------------------------------------------

class PdfJob(QThread):
    """Runs `work(job)` on a thread of its own. `work` reports with `job.progress(done, total)`
    and asks `job.cancelled()` between steps."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    running: set["PdfJob"] = set()   # every job not yet finished, so that locking can stop them

    def __init__(self, work: Callable[["PdfJob"], object]) -> None:
        super().__init__()
        self._work = work
        self._cancel = threading.Event()
        PdfJob.running.add(self)
        self.finished.connect(self._forget)

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self, done: int, total: int) -> None:
        self.progressed.emit(done, total)

    def run(self) -> None:
        try:
            result = self._work(self)
        except BaseException as e:  # handed to the UI thread as a sentence, never lost
            log.info("PDF job failed: %s", type(e).__name__)
            self.failed.emit(e)
        else:
            self.succeeded.emit(result)

    def _forget(self) -> None:
        self.wait()
        PdfJob.running.discard(self)

    @classmethod
    def stop_all(cls, timeout_ms: int = 10_000) -> None:
        """Cancels every running job and waits for each to stop (at its next step), the window
        still painting. A job still waiting on the network after that (a timestamp authority)
        finishes on its own: its file is written whole or not at all, and on quit it is waited for."""
        for job in list(cls.running):
            job.cancel()
        clock = QElapsedTimer()
        clock.start()
        while any(job.isRunning() for job in cls.running) and clock.elapsed() < timeout_ms:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents, 20)
            QThread.msleep(5)
        if any(job.isRunning() for job in cls.running):
            log.warning("a PDF job is still waiting for the network")
            if not cls._quit_hooked:
                cls._quit_hooked = True
                QCoreApplication.instance().aboutToQuit.connect(cls._wait_all)

    _quit_hooked = False

    @classmethod
    def _wait_all(cls) -> None:
        for job in list(cls.running):
            job.wait()


class JobDialog(QDialog):
    """Progress of one job, with Cancel; then what happened, in sentences. Not modal: the rest
    of the application stays usable while a pack is made."""

    def __init__(self, parent: QWidget | None, title: Callable[[], str],
                 step_text: Callable[[int, int], str] | None = None) -> None:
        super().__init__(parent)
        self.setModal(False)
        self._title, self._step_text = title, step_text
        self.job: PdfJob | None = None
        self.outcome: str | None = None        # "done", "cancelled" or "failed"
        self.result = None
        self._cancelling = False
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.button = QPushButton()
        self.button.clicked.connect(self._button)
        # After a PDF is written: open it, or its folder (with the system's own applications).
        self.open_button, self.folder_button = QPushButton(), QPushButton()
        self.open_button.setObjectName("openPdf")
        self.folder_button.setObjectName("showInFolder")
        self.open_button.clicked.connect(lambda: self._open(False))
        self.folder_button.clicked.connect(lambda: self._open(True))
        self.open_button.setVisible(False)
        self.folder_button.setVisible(False)
        self.opener = _open_url
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addWidget(self.folder_button)
        row.addStretch(1)
        row.addWidget(self.button)
        layout.addLayout(row)
        fit_to_contents(self, 480)
        self._done_text: Callable[[object], str] | None = None
        self.retranslate_ui()

    def start(self, job: PdfJob, done_text: Callable[[object], str]) -> None:
        self.job, self._done_text = job, done_text
        job.progressed.connect(self._progressed)
        job.succeeded.connect(self._succeeded)
        job.failed.connect(self.fail)
        self.show()
        job.start()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self._title())
        if self.outcome is None:
            self.button.setText(_("Cancel"))
            if self._cancelling:
                self.label.setText(_("Stopping…"))
            elif not self.label.text() or self.bar.maximum() == 0:
                self.label.setText(_("Making the PDF…"))
            elif self._step_text:
                self.label.setText(self._step_text(self.bar.value(), self.bar.maximum()))
        else:
            self.button.setText(pgettext("button", "Close"))
        self.open_button.setText(_("&Open"))
        self.folder_button.setText(_("Show in &folder"))

    def written(self) -> Path | None:
        """The PDF the job wrote and kept (not a printed one, whose file is gone)."""
        path = getattr(self.result, "path", None) if self.outcome == "done" else None
        return Path(path) if path and Path(path).exists() else None

    def _open(self, folder: bool) -> None:
        path = self.written()
        if path is not None:
            self.opener(path.parent if folder else path)

    def _progressed(self, done: int, total: int) -> None:
        if self._cancelling:
            return
        if self._step_text:
            self.label.setText(self._step_text(done, total))
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def _button(self) -> None:
        if self.outcome is None and self.job is not None:
            self._cancelling = True
            self.job.cancel()
            self.button.setEnabled(False)
            self.label.setText(_("Stopping…"))
        else:
            self.close()

    def _finish(self, outcome: str, text: str) -> None:
        self.outcome = outcome
        self.bar.setVisible(False)
        self.button.setEnabled(True)
        self.button.setText(pgettext("button", "Close"))
        self.label.setText(text)
        self.adjustSize()

    def _succeeded(self, result) -> None:
        self.result = result
        self._finish("done", self._done_text(result) if self._done_text else "")
        kept = self.written() is not None
        self.open_button.setVisible(kept)
        self.folder_button.setVisible(kept)
        if kept:
            self.open_button.setDefault(True)
            self.open_button.setFocus()

    def fail(self, error: BaseException) -> None:
        if isinstance(error, Interrupted):
            self._finish("cancelled", str(error))
        else:
            self._finish("failed", human_error(error))

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.outcome is None and self.job is not None:
            self._button()  # closing the window cancels, as the button does
        super().closeEvent(event)


def _open_url(path: Path) -> None:
    from PySide6.QtGui import QDesktopServices

    from ..qt import QUrl

    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def fit_to_contents(dialog: QDialog, width: int) -> None:
    """The dialog is `width` wide and as tall as what it shows, growing and shrinking with its
    texts (a fixed-size layout ignores the dialog's own minimum width: its labels carry it)."""
    layout = dialog.layout()
    layout.setSizeConstraint(layout.SizeConstraint.SetFixedSize)
    margins = layout.contentsMargins()
    for label in dialog.findChildren(QLabel):
        if label.wordWrap() and label.parentWidget() is dialog:
            label.setMinimumWidth(width - margins.left() - margins.right())
