"""A stretched pseudo-translation: every string a third longer, with accents, placeholders and
accelerators kept. Rendered in place of English, it shows where a longer language (Welsh) would clip."""

from __future__ import annotations

import gettext
import io
import re

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from vsm_desktop.i18n import catalogs

# Kept as they are: placeholders, markup, file patterns, accelerators' ampersands, keys.
_TOKEN = re.compile(r"\{\w*\}|%\(\w+\)[sdr]|%[sdr]|<[^>]+>|&\w+;|\(\*[^)]*\)|\*\.\w+|;;|https?://\S+|&")
_ACCENTS = str.maketrans("aeiouwyAEIOUWYcC", "âêîôûŵŷÂÊÎÔÛŴŶçÇ")


def stretch(text: str) -> str:
    """'Save the PDF' -> 'Sâvê thê PDF ŵŷŵ': a third longer (at least two letters), accented."""
    if not text.strip():
        return text
    parts, last = [], 0
    for m in _TOKEN.finditer(text):
        parts.append(text[last:m.start()].translate(_ACCENTS))
        parts.append(m.group(0))
        last = m.end()
    parts.append(text[last:].translate(_ACCENTS))
    visible = len(_TOKEN.sub("", text))
    extra = max(2, -(-visible // 3))
    padding = ("ŵŷ" * extra)[:extra]
    body = "".join(parts)
    trailing = re.search(r"[\s:.…?!]*$", body).group(0)  # keep "Name:" ending in ":"
    if "(*" in text:  # a file-dialog filter keeps its pattern last
        return body
    return body[: len(body) - len(trailing)] + " " + padding + trailing


def translations() -> gettext.GNUTranslations:
    english = catalogs.load("en")
    pseudo = Catalog(locale="en", domain="vsm_desktop", charset="utf-8")
    pseudo._num_plurals, pseudo._plural_expr = english.num_plurals, english.plural_expr
    for m in english:
        if not m.id:
            continue
        if isinstance(m.id, tuple):
            pseudo.add(m.id, tuple(stretch(s) for s in m.id), context=m.context)
        else:
            pseudo.add(m.id, stretch(m.id), context=m.context)
    buf = io.BytesIO()
    write_mo(buf, pseudo)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def clipped(root) -> list[str]:
    """Texts in `root` that the widget showing them cannot fit: a label or button narrower than its
    text, a wrapped label shorter than its lines, a group box narrower than its title."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractButton, QCheckBox, QGroupBox, QLabel, QPushButton, QRadioButton, QToolButton, QWidget

    found = []
    for w in [root] + root.findChildren(QWidget):
        if not w.isVisible() or w.width() <= 1 or w.height() <= 1:
            continue
        where = f"{type(w).__name__} {w.objectName() or ''}".strip()
        if isinstance(w, QLabel) and w.text() and w.pixmap().isNull():
            if w.wordWrap():
                need = w.heightForWidth(w.width())
                if need > w.height() + 1:
                    found.append(f"{where}: {w.text()!r} needs {need}px of height, has {w.height()}")
            elif w.textFormat() != Qt.TextFormat.RichText and "<" not in w.text():
                text = w.text().replace("&", "") if w.buddy() is not None else w.text()
                need = w.fontMetrics().horizontalAdvance(text) + 2 * w.margin() + 2 * max(w.indent(), 0)
                if need > w.contentsRect().width() + 1:
                    found.append(f"{where}: {w.text()!r} needs {need}px, has {w.contentsRect().width()}")
        elif isinstance(w, (QPushButton, QCheckBox, QRadioButton)) and w.text():
            if w.sizeHint().width() > w.width() + 1:
                found.append(f"{where}: {w.text()!r} needs {w.sizeHint().width()}px, has {w.width()}")
        elif isinstance(w, QToolButton) and w.text() and w.toolButtonStyle() != Qt.ToolButtonStyle.ToolButtonIconOnly:
            if w.sizeHint().width() > w.width() + 1:
                found.append(f"{where}: {w.text()!r} needs {w.sizeHint().width()}px, has {w.width()}")
        elif isinstance(w, QGroupBox) and w.title():
            need = w.fontMetrics().horizontalAdvance(w.title().replace("&", "")) + 16
            if need > w.width():
                found.append(f"{where}: title {w.title()!r} needs {need}px, has {w.width()}")
    return found
