"""Sort keys for people's names that do not depend on the platform.

For now: case- and accent-insensitive (Siân sorts with Sian), ties broken by the exact text
so the order is total. The Welsh alphabet (ch after c, ll after l, …) is the bilingual
work's to add here, in this one place.
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def sort_key(text: str | None) -> tuple[str, str]:
    return (fold(text or ""), text or "")
