"""Keyboard accelerators (the &-letters): which ones a menu, the menu bar or a dialog offers."""

from __future__ import annotations

import re
import unicodedata

from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMenu, QTabWidget, QWidget


def mnemonic(text: str) -> str | None:
    """The letter after a single & (&& is a literal ampersand), folded: &Ŵ and &w are one key."""
    found = re.search(r"&([^&\s])", text.replace("&&", ""))
    if not found:
        return None
    letter = unicodedata.normalize("NFD", found.group(1))[0]
    return letter.lower()


def clashes(texts: list[str]) -> dict[str, list[str]]:
    by_letter: dict[str, list[str]] = {}
    for text in texts:
        letter = mnemonic(text)
        if letter:
            by_letter.setdefault(letter, []).append(text)
    return {letter: items for letter, items in by_letter.items() if len(items) > 1}


def menu_scopes(menubar) -> dict[str, list[str]]:
    """{"menu bar": titles, "<menu title>": its items, …}, visible entries only."""
    scopes = {"menu bar": [a.text() for a in menubar.actions() if a.isVisible() and a.text()]}

    def walk(menu: QMenu, name: str) -> None:
        scopes[name] = [a.text() for a in menu.actions() if a.isVisible() and not a.isSeparator() and a.text()]
        for a in menu.actions():
            if a.menu() is not None and a.isVisible():
                walk(a.menu(), name + " › " + a.text())

    for action in menubar.actions():
        if action.menu() is not None and action.isVisible():
            walk(action.menu(), action.text())
    return scopes


def widget_texts(root: QWidget) -> list[str]:
    """The texts in `root` that can carry an accelerator, of the widgets a person can see."""
    out = []
    for widget in [root] + root.findChildren(QWidget):
        if widget is not root and not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QLabel) and widget.buddy() is not None:
            out.append(widget.text())
        elif isinstance(widget, QAbstractButton) and not isinstance(widget.parent(), QTabWidget):
            out.append(widget.text())
        elif isinstance(widget, QGroupBox) and widget.isCheckable():
            out.append(widget.title())
        elif isinstance(widget, QTabWidget):
            out += [widget.tabText(i) for i in range(widget.count()) if widget.isTabVisible(i)]
    return out
