"""Labels of a PDF in one language or in both (Welsh first, then English).

The interface language is process-wide (`vsm_desktop.i18n`), but a PDF has its own: a
Welsh-speaking coordinator may print an English PEP, and a bilingual PEP needs every fixed
label in both languages at once. `Labels` looks each msgid up in the document's language(s)
from the same gettext catalogs. Messages are marked for extraction with `N_()` where they
are written and translated here where they are drawn.
"""

from __future__ import annotations

import datetime as dt
import gettext
from functools import lru_cache
from typing import Iterable

from ..i18n import DOMAIN, TIMEZONE, date_pattern, locales_dir

MODES = ("cy", "en", "both")
BABEL_LOCALES = {"cy": "cy_GB", "en": "en_GB"}
PDF_LANG_TAGS = {"cy": "cy-GB", "en": "en-GB"}


@lru_cache(maxsize=None)
def catalog(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, localedir=locales_dir(), languages=[lang], fallback=True)


def gettext_in(lang: str, message: str) -> str:
    return catalog(lang).gettext(message)


def ngettext_in(lang: str, singular: str, plural: str, n: int) -> str:
    return catalog(lang).ngettext(singular, plural, n)


def pgettext_in(lang: str, context: str, message: str) -> str:
    return catalog(lang).pgettext(context, message)


class Labels:
    """Translation and formatting for one document: `mode` is 'cy', 'en' or 'both'."""

    def __init__(self, mode: str):
        if mode not in MODES:
            raise ValueError(f"unsupported PDF language {mode!r}")
        self.mode = mode
        self.langs: tuple[str, ...] = ("cy", "en") if mode == "both" else (mode,)
        self.primary = self.langs[0]
        self.pdf_lang = PDF_LANG_TAGS[self.primary]

    @property
    def both(self) -> bool:
        return self.mode == "both"

    # --- words ------------------------------------------------------------------------

    def each(self, message: str) -> list[str]:
        """The message in each language of the document, Welsh first."""
        return [gettext_in(lang, message) for lang in self.langs]

    def each_p(self, context: str, message: str) -> list[str]:
        return [pgettext_in(lang, context, message) for lang in self.langs]

    def each_n(self, singular: str, plural: str, n: int) -> list[str]:
        return [ngettext_in(lang, singular, plural, n) for lang in self.langs]

    def join(self, parts: Iterable[str], sep: str = " / ") -> str:
        seen: list[str] = []
        for part in parts:
            if part not in seen:  # "CAMHS / CAMHS" says nothing twice
                seen.append(part)
        return sep.join(seen)

    def text(self, message: str, sep: str = " / ", **values) -> str:
        """Plain text: 'Welsh / English' in a bilingual document, with placeholders filled."""
        return self.join((s.format(**values) if values else s for s in self.each(message)), sep)

    def one(self, lang: str, message: str, **values) -> str:
        s = gettext_in(lang, message)
        return s.format(**values) if values else s

    # --- values -----------------------------------------------------------------------

    def date(self, value: str | dt.date | None, form: str = "long") -> str:
        """A date; in a bilingual document the numeric form, which both languages share."""
        if not value:
            return "—"
        from babel import dates

        day = dt.date.fromisoformat(value) if isinstance(value, str) else value
        if self.both and form != "numeric":
            return self.join(dates.format_date(day, format=date_pattern(form, BABEL_LOCALES[lang]), locale=BABEL_LOCALES[lang])
                             for lang in self.langs)
        if form == "numeric":
            return day.strftime("%d/%m/%Y")
        return dates.format_date(day, format=date_pattern(form, BABEL_LOCALES[self.primary]), locale=BABEL_LOCALES[self.primary])

    def table_date(self, value: str | None) -> str:
        return self.date(value, "numeric" if self.both else "medium")

    def datetime(self, value: str | dt.datetime | None, form: str = "medium", lang: str | None = None) -> str:
        """A moment in the time zone of Wales, in the document's one date format: the long date
        (as in the text) and the time; `form="short"`: the tables' short date and the time."""
        if not value:
            return "—"
        from babel import dates

        moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.timezone.utc)
        local = moment.astimezone(dates.get_timezone(TIMEZONE))
        time = dates.format_time(local, "HH:mm", locale=BABEL_LOCALES[lang or self.primary])
        if lang and self.both:
            day = dates.format_date(local.date(), format="long", locale=BABEL_LOCALES[lang])
        else:
            day = self.table_date(local.date().isoformat()) if form == "short" else self.date(local.date(), "long")
        return f"{day}, {time}"

    def percent(self, value: float | None) -> str:
        if value is None:
            return "—"
        from babel import numbers

        return numbers.format_percent(value / 100, format="#,##0.0%", locale=BABEL_LOCALES[self.primary])

    def money(self, pence: int | None) -> str:
        if pence is None:
            return "—"
        from babel import numbers

        return numbers.format_currency(pence / 100, "GBP", locale=BABEL_LOCALES[self.primary])

    def number(self, value: float | int | None) -> str:
        if value is None:
            return "—"
        from babel import numbers

        return numbers.format_decimal(value, locale=BABEL_LOCALES[self.primary])
