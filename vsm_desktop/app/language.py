"""The interface language in Qt: our gettext catalog behind every Qt string, and a live switch.

`GettextTranslator` answers Qt's own translate() calls (Qt Designer files, and Qt's built-in
texts such as a text field's Undo/Redo menu or a dialog's Cancel button) from our catalog:
first with the Qt context as a gettext context, then without. Qt ships no Welsh catalog of
its own, so Qt's texts the app shows are in our catalog with their Qt context.
"""

from __future__ import annotations

from .. import i18n
from ..domain.model import ImmutableError, ValidationError
from ..errors import VsmError
from ..i18n import _
from .qt import QCoreApplication, QLocale, QObject, QTranslator, Signal

_QT_LOCALES = {"cy": QLocale(QLocale.Language.Welsh, QLocale.Country.UnitedKingdom),
               "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)}


class GettextTranslator(QTranslator):
    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: N802 - Qt's name
        if not source:
            return None
        text = i18n.pgettext(context, source) if context else source
        if text == source:
            text = i18n._(source)
        return text if i18n.current_language() != "en" or text != source else None

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return False


class Language(QObject):
    """Switches the language of the core (gettext, Babel) and of Qt at once; windows listen to `changed`."""

    changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._translator = GettextTranslator(self)
        QCoreApplication.installTranslator(self._translator)

    def set(self, lang: str) -> None:
        i18n.set_language(lang)
        QLocale.setDefault(_QT_LOCALES[lang])
        # Re-installing makes Qt send LanguageChange to every widget, so its own texts refresh too.
        QCoreApplication.removeTranslator(self._translator)
        QCoreApplication.installTranslator(self._translator)
        self.changed.emit(lang)

    @staticmethod
    def current() -> str:
        return i18n.current_language()

    @staticmethod
    def qlocale() -> QLocale:
        return _QT_LOCALES[i18n.current_language()]


def human_error(error: BaseException) -> str:
    """A sentence for a person, in the interface language; never a traceback."""
    if isinstance(error, ValidationError):
        return error.describe()
    if isinstance(error, (VsmError, ImmutableError)):
        return str(error)
    return _("Something went wrong ({kind}). Your saved work is safe; try again, and if it happens again "
             "tell your IT service desk.").format(kind=type(error).__name__)
