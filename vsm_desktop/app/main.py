"""The application: first run, unlock, the workspace (learners, a learner, a review), the
language switch, and locking (idle time, Ctrl+L, the system sleeping)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import time
from pathlib import Path

from .. import APP_NAME, __version__, i18n, settings as app_settings
from ..i18n import _
from .autosave import Autosave
from .language import Language, human_error
from .qt import (
    QAction, QApplication, QEvent, QKeySequence, QLabel, QMessageBox, QObject, QShortcut, QStackedWidget, QTimer,
    Qt, QMainWindow,
)
from .start_pages import FirstRunPage, UnlockPage
from .uifile import UiForm
from .worker import StoreWorker

log = logging.getLogger(__name__)
USER_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
               QEvent.Type.TouchBegin, QEvent.Type.TabletPress}


class IdleLock(QObject):
    """Calls `lock` after `minutes` without keyboard, mouse or touch input, and after the system
    has slept (a timer that fires late by more than a minute means the machine was suspended:
    Qt has no portable suspend signal)."""

    def __init__(self, minutes: float, lock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = lock
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.timeout.connect(self._fire)
        self.set_minutes(minutes)
        self._heartbeat = QTimer(self)
        self._heartbeat.setInterval(5_000)
        self._heartbeat.timeout.connect(self._beat)
        self._last_beat = time.monotonic(), time.time()
        self.active = False

    def set_minutes(self, minutes: float) -> None:
        self.idle.setInterval(max(1, int(minutes * 60_000)))

    def start(self) -> None:
        self.active = True
        self.idle.start()
        self._last_beat = time.monotonic(), time.time()
        self._heartbeat.start()
        QApplication.instance().installEventFilter(self)

    def stop(self) -> None:
        self.active = False
        self.idle.stop()
        self._heartbeat.stop()
        QApplication.instance().removeEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if self.active and event.type() in USER_EVENTS:
            self.idle.start()
        return False

    def _beat(self) -> None:
        mono, wall = time.monotonic(), time.time()
        slept = (wall - self._last_beat[1]) - (mono - self._last_beat[0]) > 60 or wall - self._last_beat[1] > 65
        self._last_beat = mono, wall
        if slept and self.active:
            log.info("locking after the system slept")
            self._fire()

    def _fire(self) -> None:
        if self.active:
            self._lock()


class PageStack(QStackedWidget):
    """A stack as wide as the page it shows: a wide page elsewhere in it (the dashboard) must not
    make the window wider than a small screen while another page shows."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _i: self.updateGeometry())

    def minimumSizeHint(self):  # noqa: N802
        current = self.currentWidget()
        return current.minimumSizeHint().expandedTo(current.minimumSize()) if current is not None \
            else super().minimumSizeHint()

    def sizeHint(self):  # noqa: N802
        current = self.currentWidget()
        return current.sizeHint() if current is not None else super().sizeHint()


class MainWindow(QMainWindow):
    """Holds the pages; `AppController` decides which one shows."""

    def __init__(self) -> None:
        super().__init__()
        self.form = UiForm("main_window")
        loaded = self.form.widget
        # QUiLoader builds a QMainWindow of its own: take over its parts.
        self.setMenuBar(loaded.menuBar())
        self.setStatusBar(loaded.statusBar())
        self.setCentralWidget(loaded.centralWidget())
        for action in loaded.findChildren(QAction):
            action.setParent(self)
        self.setObjectName(loaded.objectName())
        self.form.widget = self
        loaded.deleteLater()
        loaded_pages = self.form.child("pages")
        self.pages: QStackedWidget = PageStack()
        self.pages.setObjectName("pages")
        self.centralWidget().layout().replaceWidget(loaded_pages, self.pages)
        loaded_pages.deleteLater()
        self.saved_label = QLabel()
        self.statusBar().addPermanentWidget(self.saved_label)
        self.setWindowTitle(APP_NAME)
        self.fit_to_screen()
        self.on_close = None

    def fit_to_screen(self) -> None:
        """At most the screen's available size (a school laptop at 150 % has 910×512 logical pixels)."""
        screen = self.screen() or QApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else None
        width, height = (1366, 768) if area is None else (min(1366, area.width()), min(768, area.height()))
        self.resize(width, height)

    def action(self, name: str) -> QAction:
        return self.form.child(name)

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.on_close is not None and not self.on_close():
            event.ignore()
            return
        event.accept()


class AppController(QObject):
    def __init__(self, app: QApplication, settings: app_settings.Settings, store_path: Path | None = None) -> None:
        super().__init__()
        self.app = app
        self.settings = settings
        self.language = Language(self)
        self.worker = StoreWorker(self)
        self.autosave = Autosave(self.worker, self)
        self.window = MainWindow()
        self.store_path = Path(store_path or settings.store_path or _default_store())
        self.store = None
        self._session = None   # one per unlock; a lock ends it (see _opened)
        self.location: dict | None = None
        self.editor = None
        self.lock_timer = IdleLock(settings.idle_lock_minutes, self.lock, self)
        # Parts of the window that live with the open store (sync, PDFs, the dashboard). Each has
        # opened(store, path), closing() (before a lock or quit; commits or stops its own work)
        # and retranslate_ui(); they add their own menus and widgets to `self.window`.
        self.parts: list = []

        self.first_run = FirstRunPage(self.worker, self.store_path)
        self.unlock_page = UnlockPage(self.worker)
        self.workspace = PageStack()
        self._built = False   # the workspace's pages and the parts: see build_workspace
        for page in (self.first_run, self.unlock_page, self.workspace):
            self.window.pages.addWidget(page)

        self.first_run.language_chosen.connect(self._language_chosen)
        self.first_run.created.connect(self._opened)
        self.unlock_page.unlocked.connect(self._opened)
        self.unlock_page.other_store.connect(self._other_store)
        for page in (self.first_run, self.unlock_page):
            page.opening.connect(self.build_workspace)
        self.autosave.saving.connect(lambda: self.window.saved_label.setText(_("Saving…")))
        self.autosave.saved.connect(self._saved)
        self.autosave.failed.connect(self._failed)
        self.language.changed.connect(lambda _lang: self.retranslate_ui())

        w = self.window
        w.action("actionLock").triggered.connect(self.lock)
        w.action("actionQuit").triggered.connect(w.close)
        w.action("actionCymraeg").triggered.connect(lambda: self.set_language("cy"))
        w.action("actionEnglish").triggered.connect(lambda: self.set_language("en"))
        w.action("actionAbout").triggered.connect(self.about)
        w.action("actionProfile").triggered.connect(lambda: self.edit_profile())
        w.action("actionShortcuts").triggered.connect(self.show_shortcuts)
        back = QShortcut(QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left), w)
        back.activated.connect(self.go_back)
        search = QShortcut(QKeySequence("Ctrl+F"), w)
        search.activated.connect(self.go_to_search)
        w.on_close = self.close_requested

        if settings.language:
            self.set_language(settings.language, remember=False)
        else:
            i18n.set_language("cy")  # the first screen is bilingual, Welsh first
        self._add_parts(early=True)
        self.retranslate_ui()
        self.start()
        # The first page paints before the rest is built: then while the passphrase is typed, or
        # (at the latest) while its key is derived on the worker.
        QTimer.singleShot(0, self.build_workspace)

    # Built by build_workspace, on first use if that comes sooner.
    WORKSPACE = frozenset({"learner_list", "learner_page", "sync", "coordinator", "passphrase"})

    def __getattr__(self, name: str):
        if name in AppController.WORKSPACE and not self.__dict__.get("_built", True):
            self.build_workspace()
            return getattr(self, name)
        raise AttributeError(name)

    def build_workspace(self) -> None:
        """The learner list, the learner page and the parts (their menus and pages), once."""
        if self._built:
            return
        self._built = True
        # Imported here, not before the unlock page: while the key is derived.
        from .learner_list import LearnerListPage
        from .learner_page import LearnerPage

        self.learner_list = LearnerListPage(self.worker)
        self.learner_page = LearnerPage(self.worker, self.autosave)
        self.workspace.insertWidget(0, self.learner_list)
        self.workspace.insertWidget(1, self.learner_page)
        self.workspace.setCurrentWidget(self.learner_list)
        self.learner_list.open_learner.connect(self.show_learner)
        self.learner_page.back_requested.connect(self.show_list)
        self.learner_page.open_review.connect(self.show_review)
        for page in (self.learner_list, self.learner_page):
            page.status_message.connect(self.status)
        self._add_parts(early=False)
        self.retranslate_ui()
        self._set_menus(unlocked=self.store is not None)

    def _add_parts(self, early: bool) -> None:
        if early:
            from .pdf_ui import PdfPart
            from .style import ViewPart

            # With the window: File ▸ Verify a signed PDF… (no store needed) and View (high contrast
            # is on before the first paint). The rest, and their imports: build_workspace.
            self.pdf = PdfPart(self)
            self.view = ViewPart(self)
            self.parts += [self.pdf, self.view]
            return
        from .coordinator_ui import CoordinatorPart
        from .dashboard import DashboardPart
        from .passphrase import PassphrasePart
        from .sync_ui import SyncPart

        self.sync = SyncPart(self)
        self.dashboard = DashboardPart(self)
        self.coordinator = CoordinatorPart(self)
        self.passphrase = PassphrasePart(self)
        # In this order, their menus stand between Language and Help.
        self.parts[:] = [self.sync, self.pdf, self.coordinator, self.dashboard, self.view, self.passphrase]
        bar = self.window.menuBar()
        help_menu = self.window.form.child("menuHelp").menuAction()
        for part in self.parts:
            menu = getattr(part, "menu", None)
            if menu is not None and menu.menuAction() in bar.actions():
                bar.insertAction(help_menu, menu.menuAction())

    # --- pages ------------------------------------------------------------------------

    def start(self) -> None:
        if self.settings.language is None or not self.store_path.exists():
            self.window.pages.setCurrentWidget(self.first_run)
            if self.settings.language:
                self.first_run.steps.setCurrentIndex(1)
            self._set_menus(unlocked=False)
        else:
            self.show_unlock()

    def _language_chosen(self, lang: str) -> None:
        self.set_language(lang)
        if self.store_path.exists():  # a store is already there (a demo, or a copy): unlock it
            self.show_unlock()

    def show_unlock(self, locked: bool = False) -> None:
        self.unlock_page.show_for(self.store_path, locked)
        self.window.pages.setCurrentWidget(self.unlock_page)
        self._set_menus(unlocked=False)

    def _set_menus(self, unlocked: bool) -> None:
        """What needs an open store is disabled on the first-run and unlock pages."""
        w = self.window
        w.action("actionLock").setEnabled(unlocked)
        w.action("actionProfile").setEnabled(unlocked)
        always = {w.form.child(name).menuAction() for name in ("menuFile", "menuLanguage", "menuHelp")}
        for action in w.menuBar().actions():
            if action not in always and action.menu() is not None:
                action.setEnabled(unlocked)

    def _opened(self, store, path: str) -> None:
        self.store = store
        self.store_path = Path(path)
        if self.settings.store_path != path and "store_path" not in self.settings.locked:
            self.settings.store_path = path
            self._save_settings()
        self._set_menus(unlocked=True)
        self.lock_timer.start()
        location, self.location = self.location, None
        session = self._session = object()

        def shown():
            if self._session is not session:
                return   # locked (or closed) while the list was read
            # The unlock page stays until the list has its rows: the workspace paints once, full,
            # and an empty list's paint does not compete with the list's query for the processor.
            self.window.pages.setCurrentWidget(self.workspace)
            # Then the parts' own work (tasks, sync…), after the list's (the worker runs jobs in order).
            for part in self.parts:
                part.opened(store, path)

        def ready():
            if self._session is session:
                shown()
                self._restore(location)
        self.learner_list.reload(then=ready, or_else=shown)
        if store.needs_profile:  # made before profiles: its author is a login, so ask once
            QTimer.singleShot(0, lambda: self.edit_profile(first_time=True))

    # --- the person -------------------------------------------------------------------

    def edit_profile(self, first_time: bool = False):
        """File ▸ Profile…: the name and role that documents and the history show."""
        from .profile_dialog import ProfileDialog

        if self.store is None:
            return None
        name = "" if first_time else self.store.author
        dialog = ProfileDialog(name, self.store.role, first_time=first_time, parent=self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def accepted():
            name, role = dialog.values()
            self.worker.submit(lambda store: store.set_profile(name, role),
                               on_done=lambda _r: self._profile_saved(name),
                               on_error=lambda e: QMessageBox.warning(self.window, _("Your profile"), human_error(e)))
        dialog.accepted.connect(accepted)
        dialog.open()
        self.profile_dialog = dialog
        return dialog

    def _profile_saved(self, name: str) -> None:
        self.status(_("Profile saved: {name}").format(name=name))
        self.coordinator.tasks_page.set_person(name)   # "Tasks for …" and whose tasks they are
        self.coordinator.refresh()

    def show_shortcuts(self):
        from .shortcuts import ShortcutsDialog

        dialog = ShortcutsDialog(self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def go_to_search(self) -> None:
        if self.store is None:
            return
        if self.workspace.currentWidget() is not self.learner_list or self.window.pages.currentWidget() is not self.workspace:
            self.show_list()
        self.learner_list.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.learner_list.search.selectAll()

    def _restore(self, location: dict | None) -> None:
        if not location:
            self.show_list()
            return
        if location.get("page") == "review" and self.editor is not None:
            self.show_review(location["review_id"], restore=location.get("editor"))
        elif location.get("page") == "learner":
            self.show_learner(location["learner_id"])
        else:
            self.show_list()
            self.learner_list.search.setText(location.get("search", ""))

    def show_list(self) -> None:
        self.autosave.flush()
        self.workspace.setCurrentWidget(self.learner_list)
        self.learner_list.table.setFocus()

    def show_learner(self, learner_id: str) -> None:
        self.autosave.flush()
        self.learner_page.show_learner(learner_id)
        self.workspace.setCurrentWidget(self.learner_page)
        self.learner_page.tabs.setFocus()

    def show_review(self, review_id: str, restore: dict | None = None) -> None:
        self.autosave.flush()
        editor = self._editor()
        editor.open_review(review_id)
        if restore:
            editor.restore(restore)
        self.workspace.setCurrentWidget(editor)
        self.window.saved_label.setText("")

    def _editor(self):
        if self.editor is None:
            from .editor import ReviewEditor

            self.editor = ReviewEditor(self.worker, self.autosave)
            self.editor.back_requested.connect(self._editor_back)
            self.editor.status_message.connect(self.status)
            self.editor.meeting_mode_requested.connect(self.meeting_mode)
            self.workspace.addWidget(self.editor)
        return self.editor

    def _editor_back(self) -> None:
        learner_id = self.learner_page.learner_id
        if learner_id:
            self.show_learner(learner_id)
        else:
            self.show_list()

    def meeting_mode(self) -> None:
        from .meeting_mode import MeetingMode

        if self.editor is None:
            return
        self.autosave.flush()
        # Opens at the section the editor shows, and the editor follows where the meeting ended.
        view = MeetingMode(self.worker, self.autosave, self.editor.location().get("review_id"),
                           section=self.editor.stack.current_key())
        self.meeting_view = view

        def closed():
            section = view.current_section()
            view.deleteLater()
            self.editor.open_review(self.editor.location().get("review_id"))
            self.editor.restore({"section": section})
        view.closed.connect(closed)
        view.showFullScreen()

    def go_back(self) -> None:
        current = self.workspace.currentWidget()
        if current is self.learner_page:
            self.show_list()
        elif current is self.editor:
            self._editor_back()

    def _other_store(self, path: str) -> None:
        self.store_path = Path(path)
        self.show_unlock()

    # --- locking ----------------------------------------------------------------------

    def current_location(self) -> dict:
        current = self.workspace.currentWidget()
        if current is self.editor and self.editor is not None:
            return {"page": "review", "review_id": self.editor.location().get("review_id"),
                    "editor": self.editor.location()}
        if current is self.learner_page:
            return {"page": "learner", "learner_id": self.learner_page.learner_id}
        return {"page": "list", "search": self.learner_list.search.text()}

    def lock(self) -> None:
        """Commits what is waiting, closes the store (the key is dropped) and shows the unlock screen."""
        if self.store is None:
            return
        self._session = None
        self.lock_timer.stop()
        self.location = self.current_location()
        for part in self.parts:
            part.closing()
        for widget in QApplication.topLevelWidgets():
            if widget is not self.window and widget.isVisible() and widget.isFullScreen():
                widget.close()

        def closed(_result=None):
            self.store = None
            self.learner_list.forget()
            self.show_unlock(locked=True)
        self.autosave.flush(then=lambda: self.worker.close_store(closed))

    # --- language ---------------------------------------------------------------------

    def set_language(self, lang: str, remember: bool = True) -> None:
        self.language.set(lang)
        if remember and "language" not in self.settings.locked:
            self.settings.language = lang
            self._save_settings()

    def retranslate_ui(self) -> None:
        w = self.window
        w.form.retranslate_ui()
        lang = i18n.current_language()
        w.action("actionCymraeg").setChecked(lang == "cy")
        w.action("actionEnglish").setChecked(lang == "en")
        self.first_run.retranslate_ui()
        self.unlock_page.retranslate_ui()
        if self._built:
            self.learner_list.retranslate_ui()
            self.learner_page.retranslate_ui()
        if self.editor is not None:
            self.editor.retranslate_ui()
        for part in self.parts:
            part.retranslate_ui()
        self.window.saved_label.setText("")

    # --- messages ---------------------------------------------------------------------

    def status(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 8000)

    def _saved(self, when: dt.datetime) -> None:
        # Said once: the editor's header says it while a review is open.
        editing = self.editor is not None and self.workspace.currentWidget() is self.editor
        self.window.saved_label.setText("" if editing else _("Saved {time}").format(time=when.strftime("%H:%M")))

    def _failed(self, message: str) -> None:
        self.window.saved_label.setText(_("Not saved"))
        QMessageBox.warning(self.window, _("Not saved"), message)

    def about(self) -> None:
        from .about import AboutDialog

        dialog = AboutDialog(self.store_path, self.settings, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _save_settings(self) -> None:
        try:
            app_settings.save(self.settings)
        except OSError as e:
            log.warning("settings not saved: %s", e.strerror)

    # --- closing ----------------------------------------------------------------------

    def close_requested(self) -> bool:
        self._session = None
        self.lock_timer.stop()
        for part in self.parts:
            part.closing()
        self.autosave.flush()
        self.worker.shutdown()
        return True


SMOKE_TEST = "VSM_SMOKE_TEST"   # set: the app quits once its first window is painted (packaging/smoke-test)


def _resources() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) / "resources" if frozen else Path(__file__).resolve().parents[2] / "resources"


def _default_store() -> Path:
    return app_settings.default_store_path()


def run(store_path: str | None = None, argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("VSM")
    icon = _resources() / "icons" / "vsm-desktop.svg"
    if icon.exists():
        from .qt import QIcon

        app.setWindowIcon(QIcon(str(icon)))
    controller = AppController(app, app_settings.load(), Path(store_path) if store_path else None)
    controller.window.showMaximized()
    if os.environ.get(SMOKE_TEST):
        # Packaging's smoke test of a bundle: paint the first screen, then close as a user would.
        QTimer.singleShot(0, lambda: (controller.window.grab(), controller.window.close()))
    try:
        return app.exec()
    except Exception as e:  # pragma: no cover - the last line of defence: a sentence, not a traceback
        QMessageBox.critical(None, APP_NAME, human_error(e))
        return 1


if __name__ == "__main__":
    sys.exit(run())
