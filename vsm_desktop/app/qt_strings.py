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
    # The file dialog Qt draws itself when the system's dialog is not used (sources as Qt 6 has them).
    pgettext("QFileDialog", "&Look in:"), pgettext("QFileDialog", "File &name:"), pgettext("QFileDialog", "Files of &type:")
    pgettext("QFileDialog", "&Open"), pgettext("QFileDialog", "&Save"), pgettext("QFileDialog", "&Choose")
    pgettext("QFileDialog", "Back"), pgettext("QFileDialog", "Forward"), pgettext("QFileDialog", "Parent Directory")
    pgettext("QFileDialog", "Go back"), pgettext("QFileDialog", "Go forward"), pgettext("QFileDialog", "Go to the parent directory")
    pgettext("QFileDialog", "Create New Folder"), pgettext("QFileDialog", "Create a New Folder"), pgettext("QFileDialog", "New Folder")
    pgettext("QFileDialog", "List View"), pgettext("QFileDialog", "Change to list view mode")
    pgettext("QFileDialog", "Detail View"), pgettext("QFileDialog", "Change to detail view mode")
    pgettext("QFileDialog", "Sidebar"), pgettext("QFileDialog", "List of places and bookmarks"), pgettext("QFileDialog", "Files")
    pgettext("QFileDialog", "All Files (*)"), pgettext("QFileDialog", "Save As"), pgettext("QFileDialog", "Open")
    pgettext("QFileDialog", "Find Directory"), pgettext("QFileDialog", "Directory:"), pgettext("QFileDialog", "Directories")
    pgettext("QFileDialog", "Recent Places"), pgettext("QFileDialog", "Show "), pgettext("QFileDialog", "Show &hidden files")
    pgettext("QFileDialog", "&Rename"), pgettext("QFileDialog", "&Delete"), pgettext("QFileDialog", "&New Folder")
    pgettext("QFileDialog", "%1 already exists.\nDo you want to replace it?")
    pgettext("QFileDialog", "Are you sure you want to delete '%1'?")
    pgettext("QFileDialog", "'%1' is write protected.\nDo you want to delete it anyway?")
    pgettext("QFileDialog", "Could not delete directory.")
    pgettext("QFileDialog", "%1\nDirectory not found.\nPlease verify the correct directory name was given.")
    pgettext("QFileDialog", "%1\nFile not found.\nPlease verify the correct file name was given.")
    # "Context|comment": Qt's disambiguation comment, which the .ts carries as <comment>.
    pgettext("QFileSystemModel", "Name"), pgettext("QFileSystemModel", "Size")
    pgettext("QFileSystemModel|All other platforms", "Type"), pgettext("QFileSystemModel", "Date Modified")
    pgettext("QFileSystemModel", "Computer")
    pgettext("QAbstractFileIconProvider", "Drive"), pgettext("QAbstractFileIconProvider|All other platforms", "Folder")
    pgettext("QAbstractFileIconProvider", "File"), pgettext("QAbstractFileIconProvider", "Unknown")
