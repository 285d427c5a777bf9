"""Qt's own texts that the app shows, with their Qt contexts, so our Welsh catalog covers them.

Qt ships no Welsh translation (no qtbase_cy.qm). `python -m vsm_desktop.i18n.catalogs compile`
turns every catalog entry whose context is a Qt class (QLineEdit, QPlatformTheme, …) into
locales/<lang>/LC_MESSAGES/qt.qm (a .ts file through pyside6-lrelease), which the app installs
with a QTranslator. (A Python QTranslator subclass would be simpler, but overriding
`translate` leaks a reference to None on every call in PySide6 6.12, which ends in a crash.)
"""

from ..i18n import pgettext

def _marked_for_extraction() -> None:
    # Never called: Babel extracts these pgettext(Qt context, text) calls into the catalog.
    pgettext("QLineEdit", "&Undo"), pgettext("QLineEdit", "&Redo"), pgettext("QLineEdit", "Cu&t")
    pgettext("QLineEdit", "&Copy"), pgettext("QLineEdit", "&Paste"), pgettext("QLineEdit", "Delete")
    pgettext("QLineEdit", "Select All")
    pgettext("QWidgetTextControl", "&Undo"), pgettext("QWidgetTextControl", "&Redo")
    pgettext("QWidgetTextControl", "Cu&t"), pgettext("QWidgetTextControl", "&Copy")
    pgettext("QWidgetTextControl", "&Paste"), pgettext("QWidgetTextControl", "Delete")
    pgettext("QWidgetTextControl", "Select All"), pgettext("QWidgetTextControl", "Copy &Link Location")
    pgettext("QAbstractSpinBox", "&Select All"), pgettext("QAbstractSpinBox", "&Step up")
    pgettext("QAbstractSpinBox", "Step &down")
    pgettext("QPlatformTheme", "OK"), pgettext("QPlatformTheme", "Cancel"), pgettext("QPlatformTheme", "&Yes")
    pgettext("QPlatformTheme", "&No"), pgettext("QPlatformTheme", "Yes to &All"), pgettext("QPlatformTheme", "N&o to All")
    pgettext("QPlatformTheme", "Save"), pgettext("QPlatformTheme", "Open"), pgettext("QPlatformTheme", "Close")
    pgettext("QPlatformTheme", "Apply"), pgettext("QPlatformTheme", "Reset"), pgettext("QPlatformTheme", "Help")
    pgettext("QPlatformTheme", "Discard"), pgettext("QPlatformTheme", "Don't Save")
    pgettext("QPlatformTheme", "Close without Saving"), pgettext("QPlatformTheme", "Retry")
    pgettext("QPlatformTheme", "Ignore"), pgettext("QPlatformTheme", "Abort")
    pgettext("QPlatformTheme", "Restore Defaults"), pgettext("QPlatformTheme", "Save All")
    pgettext("QMessageBox", "Show Details..."), pgettext("QMessageBox", "Hide Details...")
    pgettext("QMessageBox", "OK"), pgettext("QMessageBox", "About Qt")
    pgettext("QFileDialog", "Look in:"), pgettext("QFileDialog", "File &name:"), pgettext("QFileDialog", "Files of type:")
    pgettext("QFileDialog", "&Open"), pgettext("QFileDialog", "&Save"), pgettext("QFileDialog", "&Choose")
    pgettext("QFileDialog", "Back"), pgettext("QFileDialog", "Forward"), pgettext("QFileDialog", "Parent Directory")
    pgettext("QFileDialog", "Create New Folder"), pgettext("QFileDialog", "List View")
    pgettext("QFileDialog", "Detail View"), pgettext("QFileDialog", "All Files (*)"), pgettext("QFileDialog", "Save As")
    pgettext("QFileDialog", "Open"), pgettext("QFileDialog", "Directory:"), pgettext("QFileDialog", "Recent Places")
    pgettext("QFileSystemModel", "Name"), pgettext("QFileSystemModel", "Size"), pgettext("QFileSystemModel", "Type")
    pgettext("QFileSystemModel", "Date Modified"), pgettext("QFileDialog", "Computer"), pgettext("QFileDialog", "Home")
