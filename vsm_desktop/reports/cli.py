"""The `report` command: the monitoring report as CSV, JSON or PDF.

Registered through `vsm_desktop.cli.COMMAND_MODULES`. A scope value that matches nothing
gives an empty report, not an error; a school that does not exist, a bad date or a period
that ends before it starts is a usage error (exit 2).
"""

from __future__ import annotations

import datetime as dt

from .. import i18n
from ..domain import model
from ..errors import UsageError
from ..files import NOT_ENCRYPTED
from ..i18n import _, ngettext
from .monitoring import DEFAULT_SUPPRESS_BELOW, write_report

FORMATS = ("csv", "json", "pdf")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(_("{value} is not a date (expected YYYY-MM-DD).").format(value=text)) from None


def resolve_school(store, key: str) -> tuple[str, str]:
    """A school (id, name) from its id or a unique part of its name."""
    row = store.conn.execute("SELECT id, name FROM schools WHERE id = ?", (key,)).fetchone()
    if row:
        return row
    folded = key.casefold()
    found = [(sid, name) for sid, name in store.conn.execute("SELECT id, name FROM schools")
             if folded in name.casefold()]
    if len(found) == 1:
        return found[0]
    if not found:
        raise UsageError(_("No school matches “{key}”.").format(key=key))
    raise UsageError(_("“{key}” matches {n} schools; give more of the name or the school's id.").format(
        key=key, n=len(found)))


def build_report(store, args):
    from .cohort import Period, Scope, load
    from .dashboard import attach_funding, from_facts

    period = Period(_date(args.date_from), _date(args.date_to))
    school_id, school_name = resolve_school(store, args.school) if args.school else (None, None)
    scope = Scope(school=school_id, year_group=args.year_group, legal_status=args.legal_status,
                  placing_area=args.placing_area, language_of_learning=args.language_of_learning)
    today = dt.date.today()
    facts = load(store, period, scope, today)
    return facts, attach_funding(store, from_facts(facts, period, scope, today), facts), school_name


def cmd_report(args) -> int:
    from ..cli import open_store

    if args.suppress_below < 1:
        raise UsageError(_("--suppress-below must be 1 or more."))
    with open_store(args) as store:
        facts, dashboard, school_name = build_report(store, args)
    write_report(args.format, facts, dashboard, args.out, args.suppress_below, school_name)
    learners = ngettext("{n} learner", "{n} learners", len(facts)).format(n=i18n.format_number(len(facts)))
    print(_("Wrote {path} ({learners}).").format(path=args.out, learners=learners))
    if not facts and not dashboard.scope.is_everyone():
        print(_("No learner is in this scope: the report is empty."))
    elif not dashboard.has_data:
        print(_("There is no data for this period: no PEP review, exclusion or first PEP falls in it."))
    print(_(NOT_ENCRYPTED))
    return 0


def register(command) -> None:
    p = command("report", _("write the monitoring report (the minimum data set) as CSV, JSON or PDF"), cmd_report)
    p.add_argument("--from", dest="date_from", required=True, metavar=_("DATE"), help=_("first day of the period (YYYY-MM-DD)"))
    p.add_argument("--to", dest="date_to", required=True, metavar=_("DATE"), help=_("last day of the period (YYYY-MM-DD)"))
    p.add_argument("--format", choices=FORMATS, default="csv",
                   help=_("csv: one row per learner; json: the figures; pdf: tables and charts (default: csv)"))
    p.add_argument("--out", required=True, metavar=_("FILE"), help=_("where to write the report (not encrypted)"))
    p.add_argument("--school", metavar=_("NAME"), help=_("only learners at this school (its id or part of its name)"))
    p.add_argument("--year-group", type=int, metavar="N", help=_("only learners in this year group (Reception is 0)"))
    p.add_argument("--legal-status", choices=tuple(model.ENUMS["legal_status"]), help=_("only learners with this legal status"))
    p.add_argument("--placing-area", choices=tuple(model.ENUMS["placing_area"]),
                   help=_("only learners placed in county, out of county or out of Wales"))
    p.add_argument("--language-of-learning", choices=tuple(model.ENUMS["language_of_learning"]),
                   help=_("only learners with this language of learning"))
    p.add_argument("--suppress-below", type=int, default=DEFAULT_SUPPRESS_BELOW, metavar="N",
                   help=_("in the JSON and PDF, show counts from 1 to N-1 as “<N” (default: %(default)s)"))
