"""PDG-CLA funding (the Pupil Development Grant for children looked after): the rules.

A designated person (or social worker) asks for funding in a PEP review, linked to the review's
targets; a LACE coordinator decides (approve the whole amount or part, decline, or ask for more
information) with a reason; spend is recorded against the approved amount; at the next review
the impact on the linked targets is recorded. A coordinator sets the authority's allocation for
a financial year (1 April to 31 March), or a school's share where funding is devolved.

None of this is frozen with a finalised review: a decision or a spend is not an edit of the PEP.
Amounts are integer pence. Problems the person must fix are refused (ValidationError, Refused:
exit 7); a decision above the remaining allocation and spend above the approved amount are
warned about, never refused, and the spend line is marked.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from dataclasses import dataclass, field

from babel import numbers as _numbers

from ..errors import Refused
from ..i18n import TIMEZONE, _, babel_locale, format_date, format_money, local_date
from . import model
from .model import ValidationError

COORDINATOR = "coordinator"
FINAL = ("approved", "declined")
# The CLI's words for a decision, and the status each gives.
ACTIONS = {"approve": "approved", "decline": "declined", "more-info": "more_info"}
# What only a coordinator writes on a request (the server refuses these from anyone else).
DECISION_FIELDS = frozenset({"approved_pence", "decision_reason", "decision_reason_lang", "decided_by",
                             "decided_by_role", "decided_at"})
# What the requester may change while the request is not decided.
REQUEST_FIELDS = ("kind", "provider", "amount_pence", "start_date", "end_date", "purpose", "purpose_lang",
                  "expected_impact", "expected_impact_lang")


def is_decision(entity: str, field_name: str, value) -> bool:
    """Whether an operation is one only a coordinator may make: a decision on a request (any
    status but "requested", which the requester sets when answering "more information"), or an
    allocation. Shared by the device and the sync server."""
    if entity == "funding_allocations":
        return True
    if entity != "funding_requests":
        return False
    if field_name == "*":
        values = value if isinstance(value, dict) else {}
        return values.get("status", "requested") != "requested" or any(k in DECISION_FIELDS for k in values)
    if field_name == "status":
        return value != "requested"
    return field_name in DECISION_FIELDS


# --- amounts --------------------------------------------------------------------------------

_PLAIN = re.compile(r"[0-9]+(?:[.,][0-9]{1,2})?")


def parse_amount(text, entity: str = "funding_requests", field_name: str = "amount_pence",
                 allow_zero: bool = False) -> int:
    """Pence from what a person typed: "450", "450.00", "£1,250.50", "450,5" (a decimal comma).
    Negative, zero (unless allowed), more than two decimals, or not a number: refused, naming the field."""
    def bad(message: str) -> ValidationError:
        return ValidationError(entity, field_name, message)

    if isinstance(text, int) and not isinstance(text, bool):
        value = decimal.Decimal(text)
    else:
        raw = str(text or "").strip().replace("£", "").replace("\u00a0", "").replace(" ", "")
        if not raw:
            raise bad(_("a value is required"))
        negative = raw.startswith(("-", "−"))
        body = raw.lstrip("-−")
        try:
            if _PLAIN.fullmatch(body):
                value = decimal.Decimal(body.replace(",", "."))
            elif not re.fullmatch(r"[0-9][0-9.,]*", body):
                raise ValueError(body)   # no exponents, no "NaN", no words
            else:
                value = _numbers.parse_decimal(body, locale=babel_locale(), strict=True)
        except (decimal.InvalidOperation, _numbers.NumberFormatError, ValueError):
            raise bad(_("“{text}” is not an amount of money (for example 450 or 450.00)").format(text=str(text)[:40])) from None
        if negative:
            value = -value
    if not value.is_finite():
        raise bad(_("“{text}” is not an amount of money (for example 450 or 450.00)").format(text=str(text)[:40]))
    if value < 0:
        raise bad(_("an amount cannot be negative"))
    if value == 0 and not allow_zero:
        raise bad(_("an amount must be more than zero"))
    pence = value * 100
    if pence != pence.to_integral_value():
        raise bad(_("an amount has at most two decimal places (pence)"))
    return int(pence)


def money(pence: int | None) -> str:
    """An amount as Babel writes pounds in the interface language; "—" for none."""
    return "—" if pence is None else format_money(pence)


def financial_year(day: str | dt.date) -> int:
    """The financial year a date falls in, named by the year it starts (1 April 2026 to
    31 March 2027 is 2026)."""
    d = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return d.year if d.month >= 4 else d.year - 1


def year_label(year: int) -> str:
    return f"{year}–{(year + 1) % 100:02d}"


def request_year(request: dict) -> int | None:
    """The financial year a request counts against: its start date, else the day it was asked."""
    day = request.get("start_date") or (request.get("requested_at") or "")[:10]
    return financial_year(day) if day else None


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _who(name: str | None, role: str | None) -> str:
    label = model.enum_label("person_role", role) if role else ""
    return f"{name} ({label})" if name and label else (name or label or _("someone"))


def _when(stamp: str | None) -> str:
    """A moment as the PEP's text writes dates (6 Oct 2026), with the time in Wales."""
    if not stamp:
        return "—"
    from babel import dates

    moment = dt.datetime.fromisoformat(stamp)
    time = dates.format_time(moment, "HH:mm", tzinfo=dates.get_timezone(TIMEZONE), locale=babel_locale())
    return f"{format_date(local_date(moment), 'medium')}, {time}"


# --- requests -------------------------------------------------------------------------------

def _request(store, request_id: str) -> dict:
    found = store.get("funding_requests", request_id) if re.fullmatch(r"[0-9a-f]{32}", request_id or "") else None
    if found is None and request_id and len(request_id) >= 6:
        rows = store.conn.execute("SELECT id FROM funding_requests WHERE id >= ? AND id < ? LIMIT 2",
                                  (request_id, request_id + "g")).fetchall()
        found = store.get("funding_requests", rows[0][0]) if len(rows) == 1 else None
    if found is None or found.get("deleted"):
        raise Refused(_("There is no funding request {id}.").format(id=request_id))
    return found


def resolve_request(store, key: str) -> str:
    """A request's id from its id or a unique start of it."""
    return _request(store, key)["id"]


def _check_targets(store, review_id: str, target_ids) -> list[str]:
    ids = list(dict.fromkeys(target_ids or ()))
    for tid in ids:
        target = store.get("targets", tid) if re.fullmatch(r"[0-9a-f]{32}", tid) else None
        if target is None or target["review_id"] != review_id or target.get("deleted"):
            raise ValidationError("funding_targets", "target_id",
                                  _("“{id}” is not a target of this PEP review").format(id=tid[:40]))
    return ids


def request_funding(store, review_id: str, *, amount_pence: int, kind: str, purpose: str,
                    purpose_lang: str | None = None, provider: str | None = None, start_date: str | None = None,
                    end_date: str | None = None, expected_impact: str | None = None,
                    expected_impact_lang: str | None = None, target_ids=(), when: dt.datetime | None = None) -> str:
    """A new request in a review, linked to some of its targets; returns the request's id."""
    review = store.get("reviews", review_id)
    if review is None:
        raise Refused(_("There is no such PEP review."))
    if not (purpose or "").strip():
        raise ValidationError("funding_requests", "purpose", _("say what the funding is for"))
    when = (when or now_utc()).astimezone(dt.timezone.utc).replace(microsecond=0)
    with store.transaction():
        targets = _check_targets(store, review_id, target_ids)
        rid = store.create("funding_requests", {
            "review_id": review_id, "kind": kind, "provider": provider, "amount_pence": amount_pence,
            "start_date": start_date, "end_date": end_date, "purpose": purpose,
            "purpose_lang": purpose_lang if purpose else None, "expected_impact": expected_impact,
            "expected_impact_lang": expected_impact_lang if expected_impact else None, "status": "requested",
            "requested_by": store.author or None, "requested_by_role": store.role or None,
            "requested_at": when.isoformat(),
        })
        for tid in targets:
            store.create("funding_targets", {"review_id": review_id, "request_id": rid, "target_id": tid})
    return rid


def _refuse_if_decided(request: dict) -> None:
    if request["status"] in FINAL:
        raise Refused(_("This funding request was already {decision} by {person} on {when}; a decision is not "
                        "made twice.").format(
            decision=model.enum_label("funding_status", request["status"]).lower(),
            person=_who(request.get("decided_by"), request.get("decided_by_role")), when=_when(request.get("decided_at"))))


def update_request(store, request_id: str, changes: dict) -> None:
    """The requester's changes (before a decision, or to answer "more information"). Answering
    sends the request back to the coordinator: its status becomes "requested" again."""
    request = _request(store, request_id)
    _refuse_if_decided(request)
    unknown = set(changes) - set(REQUEST_FIELDS)
    if unknown:
        raise ValidationError("funding_requests", sorted(unknown)[0], _("is not changed here"))
    if "purpose" in changes and not (changes["purpose"] or "").strip():
        raise ValidationError("funding_requests", "purpose", _("say what the funding is for"))
    with store.transaction():
        store.update("funding_requests", request["id"], dict(changes))
        if request["status"] == "more_info":
            store.update("funding_requests", request["id"], {"status": "requested"})


def set_targets(store, request_id: str, target_ids) -> None:
    """Links the request to exactly these targets of its review."""
    request = _request(store, request_id)
    with store.transaction():
        wanted = _check_targets(store, request["review_id"], target_ids)
        links = {link["target_id"]: link for link in links_of(store, request["id"])}
        for tid, link in links.items():
            if tid not in wanted:
                store.update("funding_targets", link["id"], {"deleted": True})
        for tid in wanted:
            if tid not in links:
                store.create("funding_targets", {"review_id": request["review_id"], "request_id": request["id"],
                                                 "target_id": tid})


def links_of(store, request_id: str) -> list[dict]:
    return store.all_rows("funding_targets", "WHERE request_id = ? AND coalesce(deleted, 0) = 0", (request_id,))


def spend_of(store, request_id: str) -> list[dict]:
    rows = store.all_rows("funding_spend", "WHERE request_id = ? AND coalesce(deleted, 0) = 0", (request_id,))
    return sorted(rows, key=lambda r: (r["spent_on"], r["id"]))


def withdraw(store, request_id: str) -> None:
    """The requester takes back an undecided request (it is marked removed, never erased)."""
    request = _request(store, request_id)
    _refuse_if_decided(request)
    store.update("funding_requests", request["id"], {"deleted": True})


# --- decisions ------------------------------------------------------------------------------

@dataclass
class Outcome:
    """What an operation did: the record written and the warnings to show (never refusals)."""
    record_id: str
    warnings: list[str] = field(default_factory=list)


def refuse_unless_coordinator(store) -> None:
    if store.role != COORDINATOR:
        from .. import profile

        raise Refused(_("Only a LACE coordinator decides PDG-CLA funding and sets allocations; your profile's role "
                        "is {role}.").format(role=profile.role_label(store.role) or "—"))


def decide(store, request_id: str, action: str, *, reason: str, reason_lang: str | None = None,
           amount_pence: int | None = None, when: dt.datetime | None = None) -> Outcome:
    """The coordinator's decision: "approve" (the whole amount, or `amount_pence` of it),
    "decline" or "more-info", always with a reason. A request approved or declined stays so;
    one waiting for more information can be decided again."""
    refuse_unless_coordinator(store)
    status = ACTIONS.get(action) or (action if action in model.ENUMS["funding_status"] and action != "requested" else None)
    if status is None:
        raise Refused(_("“{action}” is not a decision: approve, decline or more-info.").format(action=action))
    request = _request(store, request_id)
    _refuse_if_decided(request)
    if not (reason or "").strip():
        raise ValidationError("funding_requests", "decision_reason", _("give the reason for the decision"))
    warnings: list[str] = []
    approved = None
    if status == "approved":
        approved = request["amount_pence"] if amount_pence is None else amount_pence
        if approved <= 0:
            raise ValidationError("funding_requests", "approved_pence", _("an amount must be more than zero"))
        if approved > request["amount_pence"]:
            raise ValidationError("funding_requests", "approved_pence", _(
                "is more than was asked for ({amount}); approve at most that").format(
                    amount=money(request["amount_pence"])))
        warnings += _allocation_warnings(store, request, approved)
    elif amount_pence is not None:
        raise Refused(_("An amount goes with an approval only; nothing was decided."))
    when = (when or now_utc()).astimezone(dt.timezone.utc).replace(microsecond=0)
    with store.transaction():
        store.update("funding_requests", request["id"], {
            "status": status, "approved_pence": approved, "decision_reason": reason.strip(),
            "decision_reason_lang": reason_lang, "decided_by": store.author or None,
            "decided_by_role": store.role or None, "decided_at": when.isoformat()})
    return Outcome(request["id"], warnings)


def _allocation_warnings(store, request: dict, approved: int) -> list[str]:
    year = request_year(request)
    if year is None:
        return []
    school = school_of_request(store, request)
    out = []
    for school_id in ([school] if school else []) + [None]:
        allocation = allocation_for(store, year, school_id)
        if allocation is None:
            if school_id is None and not any(a["school_id"] for a in allocations(store, year)):
                out.append(_("No PDG-CLA allocation is set for {year}: set it with funding-allocation.").format(
                    year=year_label(year)))
            continue
        committed = approved_total(store, year, school_id, exclude=request["id"])
        remaining = allocation["amount_pence"] - committed
        if approved > remaining:
            where = (_("the school's allocation") if school_id else _("the authority's allocation"))
            out.append(_("Approving {amount} goes above what remains of {where} for {year} ({remaining}).").format(
                amount=money(approved), where=where, year=year_label(year), remaining=money(remaining)))
    return out


# --- spend and impact -----------------------------------------------------------------------

def record_spend(store, request_id: str, *, amount_pence: int, spent_on: str, note: str | None = None,
                 note_lang: str | None = None) -> Outcome:
    """A spend line against an approved request. Dates outside the request's period are refused;
    spend taking the total above the approved amount is recorded, marked and warned about."""
    request = _request(store, request_id)
    if request["status"] != "approved":
        raise Refused(_("Spend is recorded against an approved request; this one is {status}.").format(
            status=model.enum_label("funding_status", request["status"]).lower()))
    day = model.validate_field("funding_spend", "spent_on", spent_on)
    start, end = request.get("start_date"), request.get("end_date")
    if (start and day < start) or (end and day > end):
        raise ValidationError("funding_spend", "spent_on", _("{date} is outside the request's period ({start} to {end})").format(
            date=format_date(dt.date.fromisoformat(day), "medium"),
            start=format_date(dt.date.fromisoformat(start), "medium") if start else "…",
            end=format_date(dt.date.fromisoformat(end), "medium") if end else "…"))
    total = sum(s["amount_pence"] for s in spend_of(store, request["id"])) + amount_pence
    over = total > (request["approved_pence"] or 0)
    rid = store.create("funding_spend", {
        "review_id": request["review_id"], "request_id": request["id"], "amount_pence": amount_pence,
        "spent_on": day, "note": note, "note_lang": note_lang if note else None, "over_approved": over or None,
        "recorded_by": store.author or None})
    warnings = []
    if over:
        warnings.append(_("The spend now comes to {total}, more than the {approved} approved; the line is marked.").format(
            total=money(total), approved=money(request["approved_pence"])))
    return Outcome(rid, warnings)


def record_impact(store, link_id: str, *, impact: str | None, impact_lang: str | None = None,
                  progress: str | None = None, review_id: str | None = None, on: dt.date | None = None) -> None:
    """The impact of the funding on a linked target, recorded at the next review."""
    link = store.get("funding_targets", link_id)
    if link is None or link.get("deleted"):
        raise Refused(_("There is no such link between a request and a target."))
    store.update("funding_targets", link_id, {
        "impact": impact, "impact_lang": impact_lang if impact else None, "impact_progress": progress,
        "impact_review_id": review_id, "impact_recorded_on": (on or dt.date.today()).isoformat()})


# --- allocations ----------------------------------------------------------------------------

def allocations(store, year: int | None = None) -> list[dict]:
    """The live allocations (of one year), the latest set for each year and school."""
    where, params = "WHERE coalesce(deleted, 0) = 0", ()
    if year is not None:
        where, params = where + " AND year = ?", (year,)
    latest: dict[tuple, dict] = {}
    for row in store.all_rows("funding_allocations", where, params):
        key = (row["year"], row["school_id"])
        # Two coordinators offline may each create one: the latest set counts.
        if key not in latest or (row["set_at"] or "", row["id"]) > (latest[key]["set_at"] or "", latest[key]["id"]):
            latest[key] = row
    return sorted(latest.values(), key=lambda r: (r["year"], r["school_id"] or ""))


def allocation_for(store, year: int, school_id: str | None = None) -> dict | None:
    for row in allocations(store, year):
        if row["school_id"] == school_id:
            return row
    return None


def set_allocation(store, year: int, amount_pence: int, school_id: str | None = None,
                   when: dt.datetime | None = None) -> str:
    refuse_unless_coordinator(store)
    if school_id is not None and store.get("schools", school_id) is None:
        raise ValidationError("funding_allocations", "school_id", _("there is no such school"))
    when = (when or now_utc()).astimezone(dt.timezone.utc).replace(microsecond=0)
    values = {"amount_pence": amount_pence, "set_by": store.author or None, "set_by_role": store.role or None,
              "set_at": when.isoformat()}
    with store.transaction():
        current = allocation_for(store, year, school_id)
        if current is not None:
            store.update("funding_allocations", current["id"], values)
            return current["id"]
        return store.create("funding_allocations", {"year": year, "school_id": school_id, **values})


# The learner's school when a request starts (the enrolment covering that day, else the latest
# started before it), as SQL over `f` (funding_requests) and `r` (its review): one statement for
# every request, not one per request.
REQUEST_DAY_SQL = "coalesce(f.start_date, substr(f.requested_at, 1, 10), '9999-12-31')"
REQUEST_SCHOOL_SQL = f"""(SELECT e.school_id FROM enrolments e WHERE e.learner_id = r.learner_id
    AND coalesce(e.deleted, 0) = 0 AND e.start_date <= {REQUEST_DAY_SQL}
    ORDER BY (e.end_date IS NULL OR e.end_date >= {REQUEST_DAY_SQL}) DESC, e.start_date DESC LIMIT 1)"""


def school_of_request(store, request: dict) -> str | None:
    row = store.conn.execute(f"SELECT {REQUEST_SCHOOL_SQL} FROM funding_requests f JOIN reviews r ON r.id = f.review_id"
                             " WHERE f.id = ?", (request["id"],)).fetchone()
    return row[0] if row else None


def approved_total(store, year: int, school_id: str | None = None, exclude: str | None = None) -> int:
    total = 0
    rows = store.conn.execute(
        f"SELECT f.id, f.start_date, f.requested_at, f.approved_pence, {REQUEST_SCHOOL_SQL}"
        " FROM funding_requests f JOIN reviews r ON r.id = f.review_id"
        " WHERE f.status = 'approved' AND coalesce(f.deleted, 0) = 0")
    for rid, start, asked, approved, school in rows:
        if rid == exclude or request_year({"start_date": start, "requested_at": asked}) != year:
            continue
        if school_id is not None and school != school_id:
            continue
        total += approved or 0
    return total


def describe_decision(request: dict) -> str:
    """One line: the decision, who made it and when (for the PEP, the PDF and tasks)."""
    status = request["status"]
    if status == "requested":
        return _("Waiting for a decision")
    text = model.enum_label("funding_status", status)
    if status == "approved":
        text = _("Approved: {amount}").format(amount=money(request.get("approved_pence")))
    return _("{decision}, by {person} on {when}").format(
        decision=text, person=_who(request.get("decided_by"), request.get("decided_by_role")),
        when=_when(request.get("decided_at")))


# --- what a review shows --------------------------------------------------------------------

def review_funding(store, review_id: str) -> dict:
    """A review's requests (each with its linked targets, spend lines and spent total), the
    approved requests of the learner's earlier reviews (their impact is recorded at this one),
    and whether this person decides. What the editor's funding panel and the PDF show."""
    review = store.get("reviews", review_id)
    if review is None:
        raise Refused(_("There is no such PEP review."))
    targets = {t["id"]: t for t in store.all_rows(
        "targets", "WHERE review_id IN (SELECT id FROM reviews WHERE learner_id = ?)", (review["learner_id"],))}

    def full(request: dict) -> dict:
        links = [dict(link, target=targets.get(link["target_id"])) for link in links_of(store, request["id"])]
        spend = spend_of(store, request["id"])
        return dict(request, links=links, spend=spend, spent_pence=sum(s["amount_pence"] for s in spend))

    requests = [full(r) for r in store.children("funding_requests", review_id)]
    requests.sort(key=lambda r: (r.get("requested_at") or "", r["id"]))
    earlier = []
    for other in store.children("reviews", review["learner_id"]):
        if other["id"] != review_id and other["period_end"] <= review["period_start"]:
            earlier += [full(r) for r in store.children("funding_requests", other["id"]) if r["status"] == "approved"]
    earlier.sort(key=lambda r: (r.get("requested_at") or "", r["id"]))
    return {"review_id": review_id, "requests": requests, "earlier": earlier,
            "targets": [t for t in targets.values() if t["review_id"] == review_id and not t.get("deleted")],
            "coordinator": store.role == COORDINATOR}
