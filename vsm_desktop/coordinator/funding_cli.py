"""Command-line commands for PDG-CLA funding: funding, funding-request, funding-decide,
funding-spend, funding-impact and funding-allocation (rules in `vsm_desktop/domain/funding.py`).

Registered through `vsm_desktop.cli.COMMAND_MODULES`. Refusals (a bad amount, a request decided
already, a date outside the request's period, a decision by someone who is not a coordinator)
exit 7; warnings (above the allocation, spend above the approved amount) go to stderr and the
command succeeds.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from .. import i18n
from ..domain import funding, model
from ..errors import UsageError
from ..i18n import _, ngettext


def _open_store(args):
    from ..cli import open_store

    return open_store(args)


def _date(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise UsageError(_("{value} is not a date (expected YYYY-MM-DD).").format(value=text)) from None


def _warn(warnings: list[str]) -> None:
    for w in warnings:
        print(_("Warning: {warning}").format(warning=w), file=sys.stderr)


def _targets(store, review_id: str, keys) -> list[str]:
    """Target ids from ids or unique starts of ids among the review's targets."""
    targets = [t["id"] for t in store.children("targets", review_id)]
    out = []
    for key in keys or ():
        found = [t for t in targets if t.startswith(key.strip())] if key.strip() else []
        if len(found) != 1:
            raise UsageError(_("“{key}” is not a target of this PEP review (give its id).").format(key=key))
        out.append(found[0])
    return out


def cmd_funding(args) -> int:
    from ..reports import funding as figures

    with _open_store(args) as store:
        rows = figures.request_rows(store, args.status)
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
        print()
        return 0
    for r in rows:
        decided = (_("approved {amount}").format(amount=funding.money(r["approved_pence"]))
                   if r["status"] == "approved" else model.enum_label("funding_status", r["status"]))
        spent = _("spent {amount}").format(amount=funding.money(r["spent_pence"])) if r["spent_pence"] else ""
        print("  ".join(x for x in (r["id"][:8], r["reference"], r["learner_name"],
                                    model.enum_label("funding_kind", r["kind"]), funding.money(r["amount_pence"]),
                                    decided, spent) if x))
    print(ngettext("{n} funding request.", "{n} funding requests.", len(rows)).format(n=i18n.format_number(len(rows))))
    return 0


def cmd_request(args) -> int:
    from ..pdf.document import resolve_review

    amount = funding.parse_amount(args.amount)
    with _open_store(args) as store:
        review_id = resolve_review(store, args.review)
        rid = funding.request_funding(
            store, review_id, amount_pence=amount, kind=args.kind, purpose=args.purpose, purpose_lang=args.lang,
            provider=args.provider, start_date=_date(args.start), end_date=_date(args.end),
            expected_impact=args.impact, expected_impact_lang=args.lang if args.impact else None,
            target_ids=_targets(store, review_id, args.target))
    print(_("Requested {amount} ({id}); a coordinator will decide.").format(amount=funding.money(amount), id=rid))
    return 0


def cmd_decide(args) -> int:
    with _open_store(args) as store:
        amount = funding.parse_amount(args.amount, "funding_requests", "approved_pence") if args.amount else None
        request_id = funding.resolve_request(store, args.request)
        outcome = funding.decide(store, request_id, args.decision, reason=args.reason, reason_lang=args.lang,
                                 amount_pence=amount)
        request = store.get("funding_requests", request_id)
    _warn(outcome.warnings)
    print(funding.describe_decision(request))
    return 0


def cmd_spend(args) -> int:
    amount = funding.parse_amount(args.amount, "funding_spend", "amount_pence")
    with _open_store(args) as store:
        request_id = funding.resolve_request(store, args.request)
        outcome = funding.record_spend(store, request_id, amount_pence=amount, spent_on=_date(args.date),
                                       note=args.note, note_lang=args.lang if args.note else None)
    _warn(outcome.warnings)
    print(_("Recorded {amount} spent on {date}.").format(
        amount=funding.money(amount), date=i18n.format_date(dt.date.fromisoformat(args.date), "medium")))
    return 0


def cmd_impact(args) -> int:
    with _open_store(args) as store:
        request_id = funding.resolve_request(store, args.request)
        links = [l for l in funding.links_of(store, request_id) if l["target_id"].startswith(args.target)]
        if len(links) != 1:
            raise UsageError(_("“{key}” is not a target of this request (give its id).").format(key=args.target))
        review_id = None
        if args.review:
            from ..pdf.document import resolve_review

            review_id = resolve_review(store, args.review)
        funding.record_impact(store, links[0]["id"], impact=args.impact, impact_lang=args.lang,
                              progress=args.progress, review_id=review_id)
    print(_("Impact recorded."))
    return 0


def cmd_allocation(args) -> int:
    from ..reports.cli import resolve_school

    with _open_store(args) as store:
        school_id, school_name = resolve_school(store, args.school) if args.school else (None, None)
        if args.amount is not None:
            amount = funding.parse_amount(args.amount, "funding_allocations", "amount_pence", allow_zero=True)
            funding.set_allocation(store, args.year, amount, school_id)
        rows = funding.allocations(store, args.year)
        names = dict(store.conn.execute("SELECT id, name FROM schools"))
    for a in rows:
        where = names.get(a["school_id"], a["school_id"]) if a["school_id"] else _("the whole authority")
        print(_("{year}: {amount} for {where}, set by {person}").format(
            year=funding.year_label(a["year"]), amount=funding.money(a["amount_pence"]), where=where,
            person=a["set_by"] or "—"))
    if not rows:
        print(_("No allocation is set for {year}.").format(year=funding.year_label(args.year)))
    return 0


def register(command) -> None:
    statuses = tuple(model.ENUMS["funding_status"])
    p = command("funding", _("list PDG-CLA funding requests, with their decisions and spend"), cmd_funding)
    p.add_argument("--status", choices=statuses, help=_("only requests with this decision"))
    p.add_argument("--json", action="store_true", help=_("print JSON (amounts in pence)"))

    p = command("funding-request", _("ask for PDG-CLA funding in a PEP review"), cmd_request)
    p.add_argument("--review", required=True, metavar=_("REVIEW_ID"), help=_("the review's id (or the start of it)"))
    p.add_argument("--amount", required=True, metavar=_("AMOUNT"), help=_("in pounds, for example 450 or 450.00"))
    p.add_argument("--kind", required=True, choices=tuple(model.ENUMS["funding_kind"]), help=_("the kind of support"))
    p.add_argument("--purpose", required=True, metavar=_("TEXT"), help=_("what the funding is for"))
    p.add_argument("--target", action="extend", nargs="+", metavar=_("TARGET_ID"),
                   help=_("the review's targets it supports (one or more ids)"))
    p.add_argument("--provider", metavar=_("NAME"), help=_("who provides the support"))
    p.add_argument("--start", metavar=_("DATE"), help=_("first day of the support (YYYY-MM-DD)"))
    p.add_argument("--end", metavar=_("DATE"), help=_("last day of the support (YYYY-MM-DD)"))
    p.add_argument("--impact", metavar=_("TEXT"), help=_("the impact expected on the learner's targets"))
    p.add_argument("--lang", choices=model.LANGS, help=_("the language the text is written in"))

    p = command("funding-decide", _("decide a PDG-CLA funding request (coordinators)"), cmd_decide)
    p.add_argument("request", metavar=_("REQUEST_ID"), help=_("the request's id (or the start of it)"))
    p.add_argument("decision", metavar=_("DECISION"), choices=tuple(funding.ACTIONS),
                   help=_("approve, decline or more-info"))
    p.add_argument("--amount", metavar=_("AMOUNT"), help=_("approve part of the amount (default: all of it)"))
    p.add_argument("--reason", required=True, metavar=_("TEXT"), help=_("the reason for the decision"))
    p.add_argument("--lang", choices=model.LANGS, help=_("the language the text is written in"))

    p = command("funding-spend", _("record spend against an approved PDG-CLA request"), cmd_spend)
    p.add_argument("request", metavar=_("REQUEST_ID"), help=_("the request's id (or the start of it)"))
    p.add_argument("--amount", required=True, metavar=_("AMOUNT"), help=_("the actual cost, in pounds"))
    p.add_argument("--date", required=True, metavar=_("DATE"), help=_("when it was spent (YYYY-MM-DD)"))
    p.add_argument("--note", metavar=_("TEXT"), help=_("what was paid for"))
    p.add_argument("--lang", choices=model.LANGS, help=_("the language the text is written in"))

    p = command("funding-impact", _("record the impact of funding on a linked target, at the next review"), cmd_impact)
    p.add_argument("request", metavar=_("REQUEST_ID"), help=_("the request's id (or the start of it)"))
    p.add_argument("--target", required=True, metavar=_("TARGET_ID"), help=_("the linked target's id"))
    p.add_argument("--impact", required=True, metavar=_("TEXT"), help=_("the difference it made"))
    p.add_argument("--progress", choices=tuple(model.ENUMS["progress"]), help=_("progress on the target"))
    p.add_argument("--review", metavar=_("REVIEW_ID"), help=_("the review at which the impact was recorded"))
    p.add_argument("--lang", choices=model.LANGS, help=_("the language the text is written in"))

    p = command("funding-allocation", _("show or set the PDG-CLA allocation for a financial year (coordinators)"),
                cmd_allocation)
    p.add_argument("--year", required=True, type=int, metavar=_("YEAR"),
                   help=_("the financial year, by the year it starts (2026 is April 2026 to March 2027)"))
    p.add_argument("--school", metavar=_("NAME"), help=_("a school's share, where funding is devolved (its id or name)"))
    p.add_argument("--amount", metavar=_("AMOUNT"), help=_("the allocation in pounds (without it: show the year's)"))
