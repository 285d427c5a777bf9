"""The core never imports Qt's GUI modules; QtCore's QCollator is the one allowed exception."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "vsm_desktop"
GUI_MODULES = ("PySide6.QtWidgets", "PySide6.QtGui", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtCharts",
               "PySide6.QtPrintSupport", "PySide6.QtSvg")
UI_PACKAGES = ("app",)


def imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            if node.module == "PySide6":
                yield from (f"PySide6.{alias.name}" for alias in node.names)


def test_core_modules_import_no_qt_gui():
    offenders = []
    for path in CORE.rglob("*.py"):
        relative = path.relative_to(CORE)
        if relative.parts[0] in UI_PACKAGES:
            continue
        for name in imports(path):
            if name.startswith(GUI_MODULES):
                offenders.append(f"{relative}: {name}")
    assert offenders == []
