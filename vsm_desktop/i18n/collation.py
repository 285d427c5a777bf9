"""Sort keys for people's names and places, the same on every operating system.

In Welsh the alphabet has digraphs that are letters of their own, sorted after their first
letter: a b c ch d dd e f ff g ng h i j l ll m n o p ph r rh s t th u w y (k, q, v, x and z,
found in borrowed names, keep their Latin places, as in ICU's Welsh tailoring). So in Welsh
"Llinos" sorts after "Lowri", "Chris" after "Cyril", "Rhys" after "Ruth". In English the
plain Latin order applies.

Qt's QCollator does this on Linux (Qt's ICU) but follows the platform elsewhere, so the core
has its own key, tested against ICU's order over a list of Welsh names and words.

ICU's blind spot, and ours: whether "ng" is the letter ng or n followed by g depends on the
word ("angen" has ng; "Bangor" and "Llangollen" are Ban-gor and Llan-gollen). ICU always reads
ng. We read ng too, except where the n ends a known first element of a compound name
(`NG_SPLIT_PREFIXES`: Llan-, Bryn-, Glyn-, Pen-, Glan-, Ban-, Tan-, Dyffryn-), so Llangollen
sorts under "g" after "Llan" as Welsh dictionaries and gazetteers have it. Names outside the
list follow ICU.

Accents are secondary (â sorts with a, before a different letter), then case, then the exact
text, so the order is total and stable.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

WELSH_DIGRAPHS = ("ch", "dd", "ff", "ng", "ll", "ph", "rh", "th")
_WELSH_ORDER = ["a", "b", "c", "ch", "d", "dd", "e", "f", "ff", "g", "ng", "h", "i", "j", "k", "l", "ll", "m", "n",
                "o", "p", "ph", "q", "r", "rh", "s", "t", "th", "u", "v", "w", "x", "y", "z"]
_ENGLISH_ORDER = list("abcdefghijklmnopqrstuvwxyz")
# Letters rank after digits (10) and after spaces and punctuation (0).
_WELSH_RANK = {letter: 100 + i for i, letter in enumerate(_WELSH_ORDER)}
_ENGLISH_RANK = {letter: 100 + i for i, letter in enumerate(_ENGLISH_ORDER)}
NG_SPLIT_PREFIXES = ("llan", "bryn", "glyn", "pen", "glan", "ban", "tan", "dyffryn")


def fold(text: str) -> str:
    """Lower case without accents: the primary level, used by search and tests."""
    decomposed = unicodedata.normalize("NFD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _split_letters(word: str, welsh: bool) -> list[str]:
    """The letters of a folded word, digraphs as single letters in Welsh."""
    letters: list[str] = []
    i = 0
    while i < len(word):
        pair = word[i:i + 2]
        if welsh and pair in WELSH_DIGRAPHS:
            if pair == "ng" and _is_split_ng(word, i):
                letters.append("n")
                i += 1
                continue
            letters.append(pair)
            i += 2
        else:
            letters.append(word[i])
            i += 1
    return letters


def _is_split_ng(word: str, i: int) -> bool:
    # The n closes a known first element of a compound name: Llan|gollen, Ban|gor.
    return any(word[:i + 1].endswith(prefix) and len(word[:i + 1]) == len(prefix) for prefix in NG_SPLIT_PREFIXES)


def _primary(text: str, welsh: bool) -> tuple[int, ...]:
    ranks = _WELSH_RANK if welsh else _ENGLISH_RANK
    out: list[int] = []
    for word in fold(text).split():
        for letter in _split_letters(word, welsh):
            if letter in ranks:
                out.append(ranks[letter])
            elif letter.isdigit():
                out.append(10 + int(letter) if letter in "0123456789" else 10)
            elif letter.isalpha():
                out.append(1000 + ord(letter))  # other scripts after Latin, in code point order
            else:
                out.append(1)  # apostrophes and hyphens
        out.append(0)  # a word boundary sorts before any letter: "Ap Rhys" before "Aparri"
    return tuple(out)


def _secondary(text: str) -> tuple[int, ...]:
    # Unaccented before accented, position by position.
    decomposed = unicodedata.normalize("NFD", text or "")
    marks: list[int] = []
    for c in decomposed:
        if unicodedata.combining(c):
            if marks:
                marks[-1] = ord(c)
        elif not c.isspace():
            marks.append(0)
    return tuple(marks)


def sort_key(text: str | None, lang: str | None = None) -> tuple:
    """A key that sorts names in the alphabet of `lang` ('cy' or 'en'; default: the interface language)."""
    if lang is None:
        from . import current_language

        lang = current_language()
    return _key(text or "", lang == "cy")


@lru_cache(maxsize=1 << 16)
def _key(text: str, welsh: bool) -> tuple:
    # Names repeat a great deal across a cohort: a cache makes sorting 7,500 learners cheap.
    tertiary = tuple(c.isupper() for c in text if c.isalpha())
    return (_primary(text, welsh), _secondary(text), tertiary, text)
