"""The embedded fonts of every PDF: Noto Sans (SIL OFL 1.1), shipped in resources/fonts.

The PDFs never depend on a system font: the TTFs are registered with reportlab from the
application's own resources and embedded (subset) in each file. Noto Sans covers every
letter of Welsh; `missing_glyphs` lets tests and callers check any text against it.
"""

from __future__ import annotations

import sys
import threading
from functools import lru_cache
from pathlib import Path

REGULAR = "VsmSans"
BOLD = "VsmSans-Bold"
ITALIC = "VsmSans-Italic"
BOLD_ITALIC = "VsmSans-BoldItalic"

_FILES = {
    REGULAR: "NotoSans-Regular.ttf",
    BOLD: "NotoSans-Bold.ttf",
    ITALIC: "NotoSans-Italic.ttf",
    BOLD_ITALIC: "NotoSans-BoldItalic.ttf",
}

# Every letter with a diacritic that Welsh uses (to bach, didolnod, acen ddyrchafedig, acen
# ddisgynedig), in both cases, and the punctuation our labels use.
WELSH_LETTERS = (
    "âêîôûŵŷ" "ÂÊÎÔÛŴŶ"
    "äëïöüẅÿ" "ÄËÏÖÜẄŸ"
    "áéíóúẃý" "ÁÉÍÓÚẂÝ"
    "àèìòùẁỳ" "ÀÈÌÒÙẀỲ"
)
PUNCTUATION = "‘’“”–—…•·£€%"


def fonts_dir() -> Path:
    """resources/fonts beside the package in a checkout, or inside the bundle when frozen."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources" / "fonts"
    return Path(__file__).resolve().parent.parent.parent / "resources" / "fonts"


def font_path(name: str = REGULAR) -> Path:
    return fonts_dir() / _FILES[name]


_registered = threading.Lock()
_done = False


def register() -> None:
    """Registers the family with reportlab once per process (about 30 ms). Under a lock: the PDF
    stack may be loading on another thread (signing.load_in_background) while a PDF is made, and
    a font registered twice would give one document two fonts of one name."""
    global _done
    if _done:
        return
    with _registered:
        if not _done:
            _register()
            _done = True


def _register() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(fonts_dir() / filename)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    # Paragraph markup (<b>, <i>) resolves through these mappings.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD_ITALIC)


# Every pack document (and every part of one rendered in another process) gives these characters
# the same codes in the same font subsets, in this order, before anything is drawn: pages laid out
# in a worker process then draw the same bytes in the one pack file. Latin-1, Latin Extended-A (ŵ,
# ŷ), the Welsh letters of Latin Extended Additional, and the punctuation of typed text.
SEED_TEXT = ("".join(chr(c) for c in range(0xA1, 0x180)) + "ẀẁẂẃẄẅỲỳ"
             + "‐‑‒–—―‘’‚‛“”„•…‰′″‹›€™−")


def seed(doc) -> None:
    """Assigns SEED_TEXT's codes, and the family's internal names, in a fixed order (see SEED_TEXT)."""
    from reportlab.pdfbase import pdfmetrics

    for name in _FILES:
        font = pdfmetrics.getFont(name)
        font.splitString(SEED_TEXT, doc)
        font.getSubsetInternalName(0, doc)


def encoding_state(doc) -> tuple:
    """What decides the bytes text draws as in `doc`: its font names and every character's code."""
    from reportlab.pdfbase import pdfmetrics

    states = []
    for name in _FILES:
        state = pdfmetrics.getFont(name).state.get(doc)
        states.append(tuple(sorted(state.assignments.items())) if state is not None else ())
    return tuple(sorted(doc.fontMapping.items())), tuple(states)


@lru_cache(maxsize=None)
def _cmap(name: str) -> frozenset[int]:
    from reportlab.pdfbase.ttfonts import TTFontFile

    return frozenset(TTFontFile(str(font_path(name))).charToGlyph)


def missing_glyphs(text: str, name: str = REGULAR) -> set[str]:
    """Characters of `text` the font cannot draw (whitespace and controls aside)."""
    cmap = _cmap(name)
    return {c for c in text if not c.isspace() and ord(c) >= 32 and ord(c) not in cmap}
