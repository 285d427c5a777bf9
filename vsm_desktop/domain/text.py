"""A field's value as a person reads it, in the current language: the one wording for the command
line, the Conflicts panel and anything else that shows a stored value."""

from __future__ import annotations

import datetime as dt

from .. import i18n
from ..i18n import _
from . import model


def date_text(value: str | None) -> str:
    return i18n.format_date(dt.date.fromisoformat(value), "medium") if value else "—"


def field_text(f: model.Field, value) -> str:
    if value is None:
        return "—"
    if f.kind == "enum":
        return model.enum_label(f.enum, value)
    if f.kind == "bool":
        return _("Yes") if value else _("No")
    if f.kind == "date":
        return date_text(value)
    if f.kind == "datetime":
        return i18n.format_datetime(dt.datetime.fromisoformat(value))
    if f.kind == "pct":
        return i18n.format_percent(value)
    if f.kind == "money":
        return i18n.format_money(value)
    return str(value)
