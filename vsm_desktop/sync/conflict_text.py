"""What a conflict is, why the server refused a change, and a kept value, as a person reads them:
the one wording for `vsm-desktop conflicts` and the application's Conflicts panel."""

from __future__ import annotations

from ..domain import model
from ..domain.text import field_text
from ..i18n import _


def kind_label(kind: str) -> str:
    labels = {
        "field": _("Edited in two places"),
        "deleted": _("Edited and removed in two places"),
        "finalised": _("Not applied: the review was finalised"),
        "stale_finalise": _("Finalisation not applied: the review changed elsewhere"),
        "rejected": _("Refused by the server"),
    }
    return labels.get(kind, kind)


def reason_label(reason: str | None) -> str:
    labels = {
        "invalid": _("the value is not valid"),
        "unknown_record": _("the record is not on the server"),
        "wrong_learner": _("the record belongs to another learner"),
        "device_mismatch": _("the change was made on another device"),
        "clock_ahead": _("this computer's clock was ahead"),
        "duplicate_record": _("the record already exists"),
        "out_of_scope": _("the learner is not on your caseload"),
        "not_permitted": _("your role may not make this change"),
    }
    return labels.get(reason or "", reason or "")


def value_text(entity: str, fld: str, value) -> str:
    """A field's value as a person reads it (a label, a date in the current language)."""
    if fld == "*":
        return _("a new {record}").format(record=_(model.entity(entity).label))
    f = model.entity(entity).by_name.get(fld)
    return field_text(f, value) if f else str(value)
