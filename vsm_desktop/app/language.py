"""The interface language in Qt, and the live switch.

Our texts come from gettext (`vsm_desktop.i18n`); every window re-applies them in its
`retranslate_ui()` when `Language.changed` fires. Qt's own texts (a text field's Undo/Redo menu,
a dialog's Cancel button) come from locales/<lang>/LC_MESSAGES/qt.qm, made from the same
catalog (see `app/qt_strings.py`), installed with a QTranslator kept for the app's lifetime.
"""

from __future__ import annotations

from .. import i18n
from ..errors import VsmError, describe_os_error
from ..i18n import _
from .qt import QCoreApplication, QLocale, QObject, QTranslator, Signal

_QT_LOCALES = {"cy": QLocale(QLocale.Language.Welsh, QLocale.Country.UnitedKingdom),
               "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)}


class Language(QObject):
    """Switches the language of the core (gettext, Babel) and of Qt at once; windows listen to `changed`."""

    changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._translator: QTranslator | None = None

    def set(self, lang: str) -> None:
        i18n.set_language(lang)
        QLocale.setDefault(_QT_LOCALES[lang])
        if self._translator is not None:
            QCoreApplication.removeTranslator(self._translator)
            self._translator = None
        qm = i18n.locales_dir() / lang / "LC_MESSAGES" / "qt.qm"
        if qm.exists():
            translator = QTranslator(self)
            if translator.load(str(qm)):
                # Installing sends LanguageChange to every widget, so Qt's own texts refresh too.
                QCoreApplication.installTranslator(translator)
                self._translator = translator
        self.changed.emit(lang)

    @staticmethod
    def current() -> str:
        return i18n.current_language()

    @staticmethod
    def qlocale() -> QLocale:
        return _QT_LOCALES[i18n.current_language()]


def human_error(error: BaseException) -> str:
    """A sentence for a person, in the interface language; never a traceback."""
    # Here, not at the top: the model's many record classes are not needed before the unlock page.
    from ..domain.model import ImmutableError, ValidationError

    if isinstance(error, ValidationError):
        return error.describe()
    if isinstance(error, (VsmError, ImmutableError)):
        return str(error)
    if isinstance(error, OSError) and error.errno is not None:
        reason = describe_os_error(error)
        if error.filename:
            return _("{path} cannot be used: {reason}.").format(path=error.filename, reason=reason)
        return reason[:1].upper() + reason[1:] + "."
    return _("Something went wrong ({kind}). Your saved work is safe; try again, and if it happens again "
             "tell your IT service desk.").format(kind=type(error).__name__)
