"""Sync in the application: a thread of its own with its own connection to the store, automatic
sync every few minutes while enrolled and unlocked, "Sync now", and a status line (last sync,
changes waiting, conflicts) with progress and Cancel during a long sync.

The sync connection is opened a moment after the store is unlocked (the unlock and first-run
pages hand over the passphrase once; it is dropped as soon as the connection is open, or on a
lock before then) and closed on lock or quit, after a running
sync has been cancelled between two requests: what was received by then is kept. SQLite's WAL
lets the UI's own connection keep writing meanwhile, so editing never waits for the network.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from .. import i18n
from ..errors import ClockOff, DeviceRevoked, NetworkError, UntrustedServer
from ..i18n import _, ngettext, pgettext
from .language import human_error
from .qt import (
    QCoreApplication, QElapsedTimer, QLabel, QMenu, QMessageBox, QObject, QProgressBar, QThread,
    QTimer, QToolButton, Qt, Signal, Slot, QAction, QKeySequence,
)

log = logging.getLogger(__name__)

CLOSE_WAIT_MS = 10_000       # a lock waits this long for a request in flight, the UI still painting
OPEN_DELAY_MS = 1_500        # after unlocking: the learner list paints first
SHOW_PROGRESS_MS = 800       # a quick sync never flashes a progress bar
REFRESH_RETRY_MS = 1_500     # while edits are waiting to be saved, the views refresh a little later
_lingering: list = []        # threads still finishing a request after a lock gave up waiting


def _wait_for_lingering() -> None:
    for thread, _runner in _lingering:
        thread.quit()
        thread.wait()


def last_sync_text(last_success: str | None, now: dt.datetime | None = None) -> str:
    """"Synced 14:02" today, "Synced 3 Nov 2026" before, "Not synced yet" never (UK time)."""
    if not last_success:
        return _("Not synced yet")
    when = dt.datetime.fromisoformat(last_success)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    day = i18n.local_date(when)
    if day == i18n.local_date(now or dt.datetime.now(dt.timezone.utc)):
        return _("Synced {time}").format(time=i18n.format_datetime(when, "HH:mm"))
    return _("Synced {date}").format(date=i18n.format_date(day, "medium"))


def progress_text(phase: str, done: int, total: int) -> str:
    n, t = i18n.format_number(done), i18n.format_number(max(total, done))
    if phase == "push":
        return _("Sending changes: {done} of {total}").format(done=n, total=t)
    if phase == "scope":
        return _("Updating your caseload: {done} of {total}").format(done=n, total=t)
    if phase == "pull" and total > 0:
        return _("Receiving changes: {done} of about {total}").format(done=n, total=t)
    if phase == "files" and total > 0:
        from ..attachments.content import size_text

        return _("Attachments: {done} of {total}").format(done=size_text(done), total=size_text(total))
    return _("Syncing…")


class _Runner(QObject):
    """Lives on the sync thread and owns the sync connection."""

    opened = Signal(object, object)          # SyncStatus, error
    enrolled = Signal(object, object)        # (who, SyncStatus), error
    progress = Signal(str, int, int)         # phase, done, total (-1: not known)
    synced = Signal(object, object, object)  # SyncResult, SyncStatus, error

    def __init__(self, timeout: float | None) -> None:
        super().__init__()
        self.timeout = timeout
        self.client = None

    @Slot(str, str)
    def open(self, path: str, passphrase: str) -> None:
        from ..sync.engine import SyncClient

        self._close()
        try:
            self.client = SyncClient.open(path, passphrase, timeout=self.timeout)
            self.opened.emit(self.client.status(), None)
        except Exception as e:  # handed to the UI thread as a sentence
            log.info("sync connection not opened: %s", type(e).__name__)
            self.opened.emit(None, e)

    @Slot(str, str, object)
    def enrol(self, url: str, code: str, ca_pem) -> None:
        try:
            who = self.client.enrol(url, code, ca_pem=ca_pem)
            self.enrolled.emit((who, self.client.status()), None)
        except Exception as e:
            self.enrolled.emit(None, e)

    @Slot(object)
    def sync(self, cancel: threading.Event) -> None:
        result = error = None
        try:
            result = self.client.sync(
                progress=lambda p: self.progress.emit(p.phase, p.done, -1 if p.total is None else p.total),
                cancel=cancel)
        except Exception as e:
            error = e
        try:
            status = self.client.status()
        except Exception:
            status = None
        self.synced.emit(result, status, error)

    @Slot()
    def close(self) -> None:
        self._close()
        QThread.currentThread().quit()

    def _close(self) -> None:
        if self.client is not None:
            self.client.store.close()
            self.client = None


class SyncPart(QObject):
    """The application's sync: a part of the main window (see AppController._add_parts)."""

    _open = Signal(str, str)
    _enrol = Signal(str, str, object)
    _sync = Signal(object)
    _close = Signal()

    def __init__(self, controller, timeout: float | None = 30) -> None:
        super().__init__(controller)
        self.c = controller
        self.window = controller.window
        self.status = None            # SyncStatus of the last look
        self.problem: tuple[str, str] | None = None   # kind ("offline", "revoked", "clock", "error"), sentence
        self.ready = False            # the sync connection is open
        self.unlocked = False
        self._pending_open: tuple[str, str] | None = None  # path and passphrase, until the connection opens
        self.running = False
        self.cancel_event: threading.Event | None = None
        self._again = False
        self._manual = False          # the running sync was asked for: its failure is said, not only shown
        self._phase = ("", 0, -1)
        self._notified: set[str] = set()
        self._enrol_done = None
        self._refresh_learners: set[str] | None = set()
        self.conflicts_dialog = None
        self.enrol_dialog = None

        self.thread = self.runner = None
        self._make_runner(timeout)
        controller.unlock_page.passphrase_used.connect(self.passphrase_used)
        controller.first_run.passphrase_used.connect(self.passphrase_used)
        controller.autosave.saved.connect(lambda _when: self.look())

        bar = self.window.statusBar()
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setObjectName("syncStatus")
        self.label.linkActivated.connect(self._link)
        self.progress_bar = QProgressBar()
        self.progress_bar.setMaximumWidth(180)
        self.progress_bar.setTextVisible(False)
        self.cancel_button = QToolButton()
        self.cancel_button.clicked.connect(self.cancel)
        for widget in (self.label, self.progress_bar, self.cancel_button):
            bar.addPermanentWidget(widget)
        self.progress_bar.hide()
        self.cancel_button.hide()
        self._progress_delay = QTimer(self)
        self._progress_delay.setSingleShot(True)
        self._progress_delay.setInterval(SHOW_PROGRESS_MS)
        self._progress_delay.timeout.connect(self._show_progress)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_RETRY_MS)
        self._refresh_timer.timeout.connect(self._refresh_now)

        self.menu = QMenu(self.window)
        self.sync_action = QAction(self.window)
        self.sync_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.sync_action.triggered.connect(lambda: self.sync_now())
        self.conflicts_action = QAction(self.window)
        self.conflicts_action.triggered.connect(self.show_conflicts)
        self.enrol_action = QAction(self.window)
        self.enrol_action.triggered.connect(self.show_enrol)
        for action in (self.sync_action, self.conflicts_action, self.enrol_action):
            self.menu.addAction(action)
        help_menu = self.window.form.child("menuHelp")
        self.window.menuBar().insertMenu(help_menu.menuAction(), self.menu)

        self.timer = QTimer(self)
        self.timer.timeout.connect(lambda: self.sync_now(auto=True))
        self.set_minutes(controller.settings.sync_minutes)
        self._enable()
        self.retranslate_ui()

    def set_minutes(self, minutes: float) -> None:
        self.timer.setInterval(max(1_000, int(minutes * 60_000)))

    # --- the part's life with the store ---------------------------------------------------

    def passphrase_used(self, path: str, passphrase: str) -> None:
        """Keeps the passphrase until the sync connection opens, a moment after unlocking: its key
        derivation and the network imports would otherwise compete with the learner list's first
        query. `closing()` forgets it; it goes no further than the sync thread."""
        self._pending_open = (path, passphrase)

    def opened(self, store, path: str) -> None:
        self.unlocked = True
        self._notified.clear()
        self.problem = None
        self._update()
        QTimer.singleShot(OPEN_DELAY_MS, self._open_connection)

    def _open_connection(self) -> None:
        pending, self._pending_open = self._pending_open, None
        if pending is None or not self.unlocked:
            return
        if not self.thread.isRunning():
            self.thread.start()
        self._open.emit(*pending)

    def closing(self) -> None:
        """Before a lock or quit: cancels a running sync (what it received is kept), closes the sync
        connection, and stops the thread; waits at most CLOSE_WAIT_MS for a request in flight."""
        self.unlocked = False
        self._pending_open = None
        self.timer.stop()
        self._refresh_timer.stop()
        for dialog in (self.conflicts_dialog, self.enrol_dialog):
            if dialog is not None:
                dialog.close()
        if self.cancel_event is not None:
            self.cancel_event.set()
        if self.thread.isRunning():
            self._close.emit()
            clock = QElapsedTimer()
            clock.start()
            while not self.thread.isFinished() and clock.elapsed() < CLOSE_WAIT_MS:
                QCoreApplication.processEvents()
                QThread.msleep(5)
            if not self.thread.isFinished():
                log.warning("sync still waiting for the server; its connection closes when the request ends")
                if not _lingering:
                    # A QThread still running when Python exits aborts the process: on quit, wait for
                    # these (their requests time out) after the windows have gone.
                    QCoreApplication.instance().aboutToQuit.connect(_wait_for_lingering)
                _lingering.append((self.thread, self.runner))
                self._make_runner(self.runner.timeout)
        self.ready = self.running = False
        self.cancel_event = None
        self.status = None
        self._hide_progress()
        self._enable()
        self._update()

    def _make_runner(self, timeout: float | None) -> None:
        """A sync thread and its runner (again after a lock left the old one finishing a request)."""
        for signal in (self._open, self._enrol, self._sync, self._close):
            if self.runner is not None:
                signal.disconnect()
        if self.runner is not None:
            for signal in (self.runner.opened, self.runner.enrolled, self.runner.progress, self.runner.synced):
                signal.disconnect()
        self.thread = QThread()
        self.thread.setObjectName("sync")
        self.runner = _Runner(timeout)
        self.runner.moveToThread(self.thread)
        self._open.connect(self.runner.open)
        self._enrol.connect(self.runner.enrol)
        self._sync.connect(self.runner.sync)
        self._close.connect(self.runner.close)
        self.runner.opened.connect(self._opened)
        self.runner.enrolled.connect(self._enrolled)
        self.runner.progress.connect(self._progress)
        self.runner.synced.connect(self._synced)

    def _opened(self, status, error) -> None:
        if error is not None:
            self.problem = ("error", human_error(error))
            self._update()
            return
        self.ready = True
        self.status = status
        self._enable()
        self._update()
        if status.enrolled and not status.revoked:
            self.timer.start()
            self.sync_now(auto=True)

    # --- syncing ------------------------------------------------------------------------

    def sync_now(self, auto: bool = False) -> None:
        if not (self.ready and self.unlocked and self.status is not None and self.status.enrolled):
            if not auto and self.ready and self.status is not None and not self.status.enrolled:
                self.show_enrol()
            return
        if auto and self.status.revoked:
            return
        if self.running:
            self._again = True  # a change made now (a resolved conflict) goes in the next round
            return
        self.running = True
        self._manual = not auto
        self.cancel_event = threading.Event()
        self._phase = ("", 0, -1)
        self._progress_delay.start()
        self._enable()
        self._update()
        self._sync.emit(self.cancel_event)

    def cancel(self) -> None:
        if self.cancel_event is not None:
            self.cancel_event.set()
            self.cancel_button.setEnabled(False)
            self._update()

    def _progress(self, phase: str, done: int, total: int) -> None:
        if not self.running:
            return
        self._phase = (phase, done, total)
        if total > 0:
            self.progress_bar.setRange(0, max(total, done))
            self.progress_bar.setValue(done)
        else:
            self.progress_bar.setRange(0, 0)
        self._update()

    def _show_progress(self) -> None:
        if self.running:
            self.progress_bar.show()
            self.cancel_button.setEnabled(True)
            self.cancel_button.show()

    def _hide_progress(self) -> None:
        self._progress_delay.stop()
        self.progress_bar.hide()
        self.cancel_button.hide()

    def _synced(self, result, status, error) -> None:
        self.running = False
        self.cancel_event = None
        self._hide_progress()
        if not self.unlocked:
            return
        if status is not None:
            self.status = status
        self.problem = None if error is None else self._problem(error)
        if self.problem is not None and self._manual:
            self.c.status(self.problem[1])
        if result is not None and (result.changed_learners or result.removed_learners):
            self.refresh(None if result.removed_learners else set(result.changed_learners))
        if result is not None and result.rejected:
            self.c.status(ngettext("The server refused {n} change: the Conflicts panel shows which and why.",
                                   "The server refused {n} changes: the Conflicts panel shows which and why.",
                                   result.rejected).format(n=i18n.format_number(result.rejected)))
        if self.conflicts_dialog is not None and self.conflicts_dialog.isVisible():
            self.conflicts_dialog.load()
        self._enable()
        self._update()
        if self._again and self.problem is None:
            self._again = False
            self.sync_now()

    def _problem(self, error: BaseException) -> tuple[str, str]:
        message = human_error(error)
        if isinstance(error, DeviceRevoked):
            self.timer.stop()
            self._notify("revoked", message)
            return "revoked", message
        if isinstance(error, ClockOff):
            self._notify("clock", message)
            return "clock", message
        if isinstance(error, NetworkError) and not isinstance(error, UntrustedServer):
            log.info("sync: server not reachable; trying again later")
            return "offline", message
        return "error", message

    def _notify(self, key: str, message: str) -> None:
        """Says it once per unlock, in a box that does not block the window."""
        if key in self._notified:
            return
        self._notified.add(key)
        box = QMessageBox(QMessageBox.Icon.Warning, _("Sync"), message, QMessageBox.StandardButton.Ok, self.window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setObjectName(f"syncNotice-{key}")
        box.open()

    def look(self) -> None:
        """Reads the status again (after an edit: one more change waiting), on the store worker."""
        if not (self.ready and self.unlocked and self.status is not None and self.status.enrolled):
            return

        def seen(status) -> None:
            if self.unlocked and self.status is not None:
                self.status = status
                self._update()
        self.c.worker.submit(lambda store: sync_client(store).status(), seen, lambda e: None)

    # --- after data changed ---------------------------------------------------------------

    def refresh(self, learners: set[str] | None) -> None:
        """Shows what a sync or a resolved conflict changed (`None`: anything may have). Waits
        while edits are still being saved, so that an edit in progress is never overwritten."""
        if learners is None or self._refresh_learners is None:
            self._refresh_learners = None
        else:
            self._refresh_learners |= learners
        self._refresh_now()

    def _refresh_now(self) -> None:
        c = self.c
        if c.store is None or not self.unlocked:
            return
        if c.autosave.has_pending():
            self._refresh_timer.start()
            return
        learners, self._refresh_learners = self._refresh_learners, set()
        c.learner_list.reload()
        current = c.workspace.currentWidget()
        if current is c.learner_page and c.learner_page.learner_id:
            if learners is None or c.learner_page.learner_id in learners:
                c.learner_page.show_learner(c.learner_page.learner_id)
        elif c.editor is not None and current is c.editor and c.editor.ctx.data is not None:
            if learners is None or c.editor.ctx.data.learner["id"] in learners:
                c.editor.refresh_from_store()

    # --- dialogs ------------------------------------------------------------------------

    def show_conflicts(self) -> None:
        from .sync_dialogs import ConflictsDialog

        if not self.unlocked:
            return
        if self.conflicts_dialog is None:
            self.conflicts_dialog = ConflictsDialog(self, self.window)
        self.conflicts_dialog.load()
        self.conflicts_dialog.show()
        self.conflicts_dialog.raise_()

    def show_enrol(self) -> None:
        from .sync_dialogs import EnrolDialog

        if not self.ready:
            return
        if self.enrol_dialog is None:
            self.enrol_dialog = EnrolDialog(self, self.window)
        self.enrol_dialog.start()
        self.enrol_dialog.show()
        self.enrol_dialog.raise_()

    def enrol(self, url: str, code: str, ca_pem: str | None, done) -> None:
        """Enrols on the sync thread; `done(who, error)` on the UI thread."""
        self._enrol_done = done
        self._enrol.emit(url, code, ca_pem)

    def _enrolled(self, answer, error) -> None:
        done, self._enrol_done = self._enrol_done, None
        if error is None:
            who, self.status = answer
            self.problem = None
            self._notified.clear()
            self._enable()
            self._update()
            if self.unlocked:
                self.timer.start()
                self.sync_now()
        if done is not None:
            done(answer[0] if answer else None, error)

    def resolved(self, learner_id: str | None) -> None:
        """A conflict was settled through the panel: show it, and send the choice."""
        self.refresh({learner_id} if learner_id else None)
        self.sync_now()

    # --- the status line ----------------------------------------------------------------

    def _link(self, href: str) -> None:
        if href == "conflicts":
            self.show_conflicts()
        elif href == "enrol":
            self.show_enrol()

    def _enable(self) -> None:
        enrolled = bool(self.status and self.status.enrolled)
        self.sync_action.setEnabled(self.ready and enrolled and not self.running)
        self.conflicts_action.setEnabled(self.ready)
        self.enrol_action.setEnabled(self.ready and not self.running)

    def _update(self) -> None:
        s = self.status
        self.label.setToolTip("")
        if not self.unlocked or s is None:
            self.label.setText(_html_escape(self.problem[1]) if self.problem and self.unlocked else "")
            return
        if not s.enrolled:
            self.label.setText(_("Not syncing: <a href=\"enrol\">enrol this device…</a>"))
            return
        parts = []
        if self.running:
            if self.cancel_event is not None and self.cancel_event.is_set():
                parts.append(_("Stopping the sync…"))
            else:
                parts.append(progress_text(*self._phase))
        elif self.problem is not None:
            kind, message = self.problem
            short = {"offline": _("Offline: will try again later"), "revoked": _("This device has been revoked"),
                     "clock": _("Sync stopped: fix this computer's clock"), "error": _("Sync failed")}[kind]
            colour = "#555555" if kind == "offline" else "#9b1c1c"
            parts.append(f'<span style="color:{colour}">{_html_escape(short)}</span>')
            self.label.setToolTip(message)
        else:
            parts.append(_html_escape(last_sync_text(s.last_success)))
        if s.unsent:
            parts.append(ngettext("{n} change waiting", "{n} changes waiting", s.unsent).format(
                n=i18n.format_number(s.unsent)))
        if s.conflicts - s.refused:
            n = s.conflicts - s.refused
            parts.append('<a href="conflicts">' + ngettext("{n} conflict to resolve", "{n} conflicts to resolve", n)
                         .format(n=i18n.format_number(n)) + "</a>")
        if s.refused:
            parts.append('<a href="conflicts">' + ngettext("{n} change refused", "{n} changes refused", s.refused)
                         .format(n=i18n.format_number(s.refused)) + "</a>")
        self.label.setText(" · ".join(parts))
        if not self.label.toolTip() and s.username:
            self.label.setToolTip(_("Syncing with {server} as {username}").format(server=s.server_url,
                                                                                  username=s.username))

    def retranslate_ui(self) -> None:
        self.menu.setTitle(_("S&ync"))
        self.sync_action.setText(_("&Sync now"))
        self.sync_action.setToolTip(_("Send this device's changes and receive everyone else's"))
        self.conflicts_action.setText(_("&Conflicts…"))
        self.enrol_action.setText(_("&Enrol this device…"))
        self.cancel_button.setText(pgettext("button", "Cancel"))
        self.cancel_button.setToolTip(_("Stop the sync; what has arrived so far is kept"))
        self._update()
        for dialog in (self.conflicts_dialog, self.enrol_dialog):
            if dialog is not None:
                dialog.retranslate_ui()


def sync_client(store):
    """Over the UI's own connection, for what needs no network: status and conflicts."""
    from ..sync.engine import SyncClient

    return SyncClient(store)


def _html_escape(text: str) -> str:
    import html

    return html.escape(text, quote=False)
