"""The first-run screen (language, then a new encrypted store) and the unlock screen.

Key derivation takes a noticeable moment, so opening and creating run on the store worker
with a busy indicator; Cancel abandons the attempt (the result is closed when it arrives).
"""

from __future__ import annotations

from pathlib import Path

from .. import profile
from ..errors import Refused
from ..i18n import _
from ..store import connection
from .language import human_error
from .profile_dialog import fill_roles
from .qt import QCoreApplication, QEvent, QFileDialog, QFont, QObject, QWidget, Qt, Signal
from .uifile import UiForm
from .worker import StoreWorker


def _title_font(label) -> None:
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.5)
    font.setBold(True)
    label.setFont(font)


def _error_style(label) -> None:
    label.setStyleSheet("color: #9b1c1c; font-weight: bold;")


class _FitHeight(QObject):
    """Keeps a wrapped label as tall as its lines at the width it really has."""

    def eventFilter(self, label, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Resize and label.wordWrap() and label.text():
            need = label.heightForWidth(label.width())
            if need > 0 and need != label.minimumHeight():
                label.setMinimumHeight(need)
        return False


_FIT_HEIGHT = None


def _fit_wrapped_labels(root: QWidget) -> None:
    """A QStackedWidget does not pass height-for-width down: give each wrapped label the height
    its text needs at its width, so long (Welsh) sentences are never cut off."""
    from .qt import QLabel

    global _FIT_HEIGHT
    if _FIT_HEIGHT is None:
        _FIT_HEIGHT = _FitHeight(QCoreApplication.instance())
    for label in root.findChildren(QLabel):
        if label.wordWrap() and label.text():
            if not label.property("fitsHeight"):
                label.installEventFilter(_FIT_HEIGHT)
                label.setProperty("fitsHeight", True)
            # The width it has once shown; until then an estimate, corrected on its first resize.
            width = label.width() if label.isVisible() else max(label.parentWidget().width() - 24 if label.parentWidget() else 400, 400)
            label.setMinimumHeight(label.heightForWidth(min(width, 600)))


class FirstRunPage(QWidget):
    language_chosen = Signal(str)
    created = Signal(object, str)          # the open store, its path
    # Just before `created`/`unlocked`: for a part that opens a connection of its own then
    # (sync). Receivers must not keep the passphrase.
    passphrase_used = Signal(str, str)     # path, passphrase
    opening = Signal()                     # the store is being made (the key derived) on the worker

    # Built when first shown or used: most starts unlock a store and never show this page.
    BUILT_PARTS = frozenset({"form", "steps", "path", "passphrase", "confirm", "strength", "error", "progress",
                             "create_button", "name", "role"})

    def __init__(self, worker: StoreWorker, default_path: Path, parent=None) -> None:
        super().__init__(parent)
        self.worker = worker
        self._default_path = default_path
        self._attempt = 0
        self._built = False

    def __getattr__(self, name: str):
        if name in FirstRunPage.BUILT_PARTS and not self.__dict__.get("_built", True):
            self._build()
            return getattr(self, name)
        raise AttributeError(name)

    def showEvent(self, event) -> None:  # noqa: N802
        self._build()
        super().showEvent(event)

    def _build(self) -> None:
        if self._built:
            return
        self._built = True
        self.form = UiForm("first_run", self)
        from .qt import QFrame, QScrollArea, QVBoxLayout
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # Scrolls on a short screen (768 pixels at 150 % are 512) instead of squeezing its texts.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(self.form.widget)
        layout.addWidget(scroll)
        scroll.show()   # at once when built as the page shows (a layout would show it only later)
        f = self.form.child
        self.steps = f("steps")
        self.path, self.passphrase, self.confirm = f("path"), f("passphrase"), f("confirm")
        self.strength, self.error, self.progress = f("strength"), f("error"), f("progress")
        self.create_button = f("create")
        self.name, self.role = f("name"), f("role")
        try:  # VSM_NAME/VSM_ROLE fill it in for a scripted set-up; never the computer's login
            name, role = profile.from_environment()
        except Refused:
            name, role = "", ""
        self.name.setText(name)
        fill_roles(self.role, role or profile.DEFAULT_ROLE)
        _title_font(f("welcome"))
        _title_font(f("createTitle"))
        _error_style(self.error)
        self.path.setText(str(self._default_path))
        self.progress.setVisible(False)
        self.error.setVisible(False)
        f("cymraeg").clicked.connect(lambda: self.choose_language("cy"))
        f("english").clicked.connect(lambda: self.choose_language("en"))
        f("browse").clicked.connect(self._browse)
        self.create_button.clicked.connect(self.create)
        self.passphrase.textChanged.connect(self._hint)
        self.confirm.returnPressed.connect(self.create)
        self._hint()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        _fit_wrapped_labels(self)

    def choose_language(self, lang: str) -> None:
        self.language_chosen.emit(lang)
        self.steps.setCurrentIndex(1)
        (self.name if not self.name.text().strip() else self.passphrase).setFocus()

    def retranslate_ui(self) -> None:
        if not self._built:
            return   # built in the language of the moment
        self.form.retranslate_ui()
        fill_roles(self.role)
        self._hint()
        _fit_wrapped_labels(self)

    def _hint(self) -> None:
        text = self.passphrase.text()
        problem = connection.passphrase_problem(text) if text else None
        if not text:
            hint = _("At least 12 characters. Three random words, such as “tebot awyren mynydd”, are long and easy to remember.")
        elif problem:
            hint = _("Too short: {n} more characters needed. Three random words are long and easy to remember.").format(
                n=connection.MIN_PASSPHRASE_LENGTH - len(text))
        elif len(text.split()) >= 3 or len(text) >= 20:
            hint = _("Strong: long enough to resist guessing.")
        else:
            hint = _("Long enough. A third or fourth word would make it stronger.")
        self.strength.setText(hint)
        _fit_wrapped_labels(self)

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(self, _("Where to keep the store"), self.path.text(),
                                                      _("VSM stores (*.vsm)"))
        if chosen:
            self.path.setText(chosen)

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(True)
        _fit_wrapped_labels(self)
        self.progress.setVisible(False)
        self.create_button.setEnabled(True)

    def create(self) -> None:
        from ..store.store import Store

        secret, again, path = self.passphrase.text(), self.confirm.text(), Path(self.path.text().strip())
        try:
            author, role = profile.check(self.name.text(), self.role.currentData())
        except Refused as e:
            self.name.setFocus()
            return self._show_error(str(e))
        problem = connection.passphrase_problem(secret)
        if problem:
            return self._show_error(problem)
        if secret != again:
            return self._show_error(_("The two passphrases differ. Type the same passphrase twice."))
        self.error.setVisible(False)
        self.progress.setVisible(True)
        self.create_button.setEnabled(False)
        self._attempt += 1
        attempt = self._attempt

        def done(store):
            self.passphrase.clear()
            self.confirm.clear()
            self.progress.setVisible(False)
            self.create_button.setEnabled(True)
            if attempt == self._attempt:
                self.passphrase_used.emit(str(path), secret)
                self.created.emit(store, str(path))

        self.worker.open(lambda: Store.initialise(path, secret, author=author, role=role), done,
                         lambda e: self._show_error(human_error(e)))
        self.opening.emit()


class UnlockPage(QWidget):
    unlocked = Signal(object, str)         # the open store, its path
    passphrase_used = Signal(str, str)     # as FirstRunPage's
    opening = Signal()                     # as FirstRunPage's
    other_store = Signal(str)
    migrating = Signal(int, int)           # (done, total) of a store format upgrade; (0, 0) busy

    def __init__(self, worker: StoreWorker, parent=None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.form = UiForm("unlock", self)
        from .qt import QVBoxLayout
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form.widget)
        f = self.form.child
        self.passphrase, self.error, self.progress = f("passphrase"), f("error"), f("progress")
        self.unlock_button, self.cancel_button = f("unlock"), f("cancel")
        self.store_label, self.locked_note = f("storeLabel"), f("lockedNote")
        _title_font(f("title"))
        _error_style(self.error)
        self.path: Path | None = None
        self._attempt = 0
        self.unlock_button.clicked.connect(self.unlock)
        self.passphrase.returnPressed.connect(self.unlock)
        self.cancel_button.clicked.connect(self.cancel)
        f("otherStore").clicked.connect(self._other)
        self.migrating.connect(self._migrating)   # emitted on the worker's thread: queued here
        self._idle()

    def show_for(self, path: Path, locked: bool = False) -> None:
        self.path = Path(path)
        self.locked_note.setVisible(locked)
        self.error.setVisible(False)
        self.passphrase.clear()
        self.retranslate_ui()
        self._idle()
        self.passphrase.setFocus()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        _fit_wrapped_labels(self)

    def showEvent(self, event) -> None:  # noqa: N802
        # Whenever the page shows (after a lock, behind a closed meeting view), typing goes to the passphrase.
        super().showEvent(event)
        if self.passphrase.isEnabled():
            self.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate_ui(self) -> None:
        self.form.retranslate_ui()
        if self.path:
            self.store_label.setText(_("Store: {path}").format(path=self.path))
        _fit_wrapped_labels(self)

    def _migrating(self, done: int, total: int) -> None:
        # An older store's format upgrade (a long one for a large store) shows how far it has gone.
        self.progress.setMaximum(total)
        self.progress.setValue(done)
        self.progress.setTextVisible(total > 0)

    def _idle(self) -> None:
        self._migrating(0, 0)
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.unlock_button.setEnabled(True)
        self.passphrase.setEnabled(True)

    def unlock(self) -> None:
        from ..errors import WrongPassphrase

        if not self.passphrase.text() or self.path is None:
            return
        secret, path = self.passphrase.text(), self.path
        self._attempt += 1
        attempt = self._attempt
        self.error.setVisible(False)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.unlock_button.setEnabled(False)
        self.passphrase.setEnabled(False)

        def done(store):
            if attempt != self._attempt:  # cancelled meanwhile: do not keep it open
                self.worker.close_store()
                return
            # Still busy (no Cancel now) until the learner list replaces this page; show_for resets it.
            self.passphrase.clear()
            self.cancel_button.setVisible(False)
            self.passphrase_used.emit(str(path), secret)
            self.unlocked.emit(store, str(path))

        def failed(error):
            if attempt != self._attempt:
                return
            self._idle()
            if isinstance(error, WrongPassphrase):
                message = _("That passphrase does not open this store. Check Caps Lock and the keyboard language, and try again.")
            else:
                message = human_error(error)
            self.error.setText(message)
            self.error.setVisible(True)
            _fit_wrapped_labels(self)
            self.passphrase.selectAll()
            self.passphrase.setFocus()

        # Not connection.raw_key here: Python's PBKDF2 (OpenSSL 3) is slower than SQLCipher's own.
        from ..store.store import Store

        self.worker.open(lambda: Store.open(path, secret, progress=self.migrating.emit), done, failed)
        self.opening.emit()

    def cancel(self) -> None:
        self._attempt += 1
        self._idle()
        self.passphrase.setFocus()

    def _other(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(self, _("Open a store"), str(self.path or ""),
                                                      _("VSM stores (*.vsm);;All files (*)"))
        if chosen:
            self.other_store.emit(chosen)
