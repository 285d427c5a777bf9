"""Interface language: gettext catalogs and Babel (CLDR) formatting.

Import `_`, `ngettext`, `pgettext` and `N_` from here; never install them into builtins.
The language is process-wide: the CLI sets it once, the UI sets it on a switch.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
import os
import re
import sys
from pathlib import Path

from babel import Locale
from babel import dates as _dates
from babel import numbers as _numbers

DOMAIN = "vsm_desktop"
LANGUAGES = ("cy", "en")
DEFAULT_LANGUAGE = "en"
_BABEL_LOCALE = {"cy": "cy_GB", "en": "en_GB"}


def locales_dir() -> Path:
    """Where the compiled catalogs live: beside the package in a checkout, in the bundle when frozen."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "locales"
    return Path(__file__).resolve().parent.parent.parent / "locales"


_translation: _gettext.NullTranslations = _gettext.NullTranslations()
_language = DEFAULT_LANGUAGE


def set_language(lang: str) -> None:
    """Switch every later `_()` call to `lang` ('cy' or 'en')."""
    global _translation, _language
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    _language = lang
    _translation = _gettext.translation(DOMAIN, localedir=locales_dir(), languages=[lang], fallback=True)


def language_from_environment() -> str:
    """VSM_LANG first, then the usual POSIX variables; Welsh only when asked for."""
    for var in ("VSM_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            code = value.split(":")[0].split("_")[0].split(".")[0].lower()
            return "cy" if code == "cy" else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def current_language() -> str:
    return _language


def babel_locale() -> str:
    return _BABEL_LOCALE[_language]


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _translation.pgettext(context, message)


def N_(message: str) -> str:
    """Marks a string for extraction; it is translated where it is shown."""
    return message


def _four_digit_year(pattern: str) -> str:
    """CLDR's Welsh short date is dd/MM/yy where English has dd/MM/y: both get the full year."""
    return re.sub(r"(?<!y)yy(?!y)", "y", pattern)


def date_pattern(form: str, locale: str) -> str:
    """The Babel pattern for `form` in `locale`; "short" always with a four-digit year."""
    if form != "short":
        return form
    return _four_digit_year(Locale.parse(locale).date_formats["short"].pattern)


def datetime_pattern(form: str, locale: str) -> str:
    if form != "short":
        return form
    data = Locale.parse(locale)
    return (data.datetime_formats["short"].replace("{1}", date_pattern("short", locale))
            .replace("{0}", data.time_formats["short"].pattern))


def format_date(value: dt.date, form: str = "long") -> str:
    return _dates.format_date(value, format=date_pattern(form, babel_locale()), locale=babel_locale())


# Wales keeps UK time; stored times are UTC.
TIMEZONE = "Europe/London"


def format_datetime(value: dt.datetime, form: str = "medium") -> str:
    return _dates.format_datetime(value, format=datetime_pattern(form, babel_locale()),
                                  tzinfo=_dates.get_timezone(TIMEZONE), locale=babel_locale())


def local_date(value: dt.datetime) -> dt.date:
    """The day in Wales of a stored (UTC) time: 23:30 UTC in June is the next day here."""
    return value.astimezone(_dates.get_timezone(TIMEZONE)).date()


def format_number(value: float | int) -> str:
    return _numbers.format_decimal(value, locale=babel_locale())


def format_percent(value: float, digits: int = 1) -> str:
    """`value` is a percentage (95.5 means 95.5 %)."""
    pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
    return _numbers.format_percent(value / 100, format=pattern, locale=babel_locale())


def format_money(pence: int) -> str:
    return _numbers.format_currency(pence / 100, "GBP", locale=babel_locale())


set_language(DEFAULT_LANGUAGE)
