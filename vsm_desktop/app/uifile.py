"""Qt Designer files (ui/*.ui): loaded with QUiLoader, their texts translated through gettext.

QUiLoader translates once, at load time. To switch language live, `UiForm.retranslate_ui()`
re-applies every translatable text read from the same XML (the catalog extractor reads it
too: `vsm_desktop.i18n.ui_extract`).
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from ..i18n import _
from .qt import QWidget

TEXT_PROPERTIES = {"text": "setText", "title": "setTitle", "windowTitle": "setWindowTitle",
                   "placeholderText": "setPlaceholderText", "toolTip": "setToolTip",
                   "accessibleName": "setAccessibleName", "accessibleDescription": "setAccessibleDescription",
                   "statusTip": "setStatusTip"}


def ui_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) / "ui" if frozen else Path(__file__).resolve().parents[2] / "ui"


@dataclass(frozen=True)
class UiText:
    object_name: str
    prop: str
    source: str


def ui_texts(path: Path) -> list[UiText]:
    """Every translatable text of a .ui file: (object, property, English source)."""
    texts = []
    for widget in ET.parse(path).getroot().iter():
        if widget.tag not in ("widget", "action"):
            continue
        name = widget.get("name", "")
        for prop in widget.findall("property"):
            string = prop.find("string")
            if prop.get("name") in TEXT_PROPERTIES and string is not None and string.text \
                    and string.get("notr") != "true":
                texts.append(UiText(name, prop.get("name"), string.text))
    return texts


_LOADER = None


def _loader():
    """One QUiLoader for every form, made without Qt Designer's plugins: our forms use Qt's own
    widgets only, and loading the plugins (WebEngine's and Quick's among them) cost a start ~20 ms."""
    global _LOADER
    if _LOADER is None:
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtUiTools import QUiLoader

        paths = QCoreApplication.libraryPaths()
        QCoreApplication.setLibraryPaths([])
        try:
            _LOADER = QUiLoader()
        finally:
            QCoreApplication.setLibraryPaths(paths)
    return _LOADER


class UiForm:
    """A loaded form: `widget`, `child(name)`, and `retranslate_ui()`."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        from PySide6.QtCore import QFile, QIODevice

        self.path = ui_dir() / f"{name}.ui"
        loader = _loader()
        file = QFile(str(self.path))
        if not file.open(QIODevice.OpenModeFlag.ReadOnly):
            raise FileNotFoundError(self.path)
        try:
            self.widget = loader.load(file, parent)
        finally:
            file.close()
        self._texts = ui_texts(self.path)
        self.retranslate_ui()

    def child(self, name: str):
        if self.widget.objectName() == name:
            return self.widget
        found = self.widget.findChild(QWidget, name)
        if found is None:
            from PySide6.QtGui import QAction
            found = self.widget.findChild(QAction, name)
        if found is None:
            raise KeyError(f"{self.path.name} has no {name}")
        return found

    def retranslate_ui(self) -> None:
        for text in self._texts:
            target = self.child(text.object_name)
            getattr(target, TEXT_PROPERTIES[text.prop])(_(text.source))
