"""Command-line commands of the coordinator: import-csv, qa, rate, tasks.

Registered through `vsm_desktop.cli.COMMAND_MODULES`. `import-csv` exits 0 when it imported
(or, with --check, found nothing wrong), 13 when rows have problems and nothing was imported,
14 when the file cannot be read at all.
"""

from __future__ import annotations

import datetime as dt
import sys

from .. import i18n
from ..domain import model
from ..errors import ImportProblems
from ..i18n import _, ngettext


def _open_store(args):
    from ..cli import open_store

    return open_store(args)


def _print_report(plan, out=sys.stdout) -> None:
    for note in plan.notes:
        print(_("Note: {note}").format(note=note), file=out)
    for problem in plan.problems:
        print(problem.describe(), file=out)


def _summary(plan) -> str:
    parts = [ngettext("{n} row", "{n} rows", plan.total).format(n=i18n.format_number(plan.total)),
             ngettext("{n} new learner", "{n} new learners", len(plan.new)).format(n=i18n.format_number(len(plan.new))),
             ngettext("{n} already in the store", "{n} already in the store", len(plan.matched)).format(
                 n=i18n.format_number(len(plan.matched))),
             ngettext("{n} row with problems", "{n} rows with problems", plan.problem_rows).format(
                 n=i18n.format_number(plan.problem_rows))]
    return ", ".join(parts) + "."


def cmd_import_csv(args) -> int:
    from . import importer

    table = importer.read_file(args.file)
    mapping = importer.parse_mapping(args.mapping, table.headers) if args.mapping else importer.auto_mapping(table.headers)
    with _open_store(args) as store:
        if args.check:
            plan = importer.check(store, table, mapping)
            _print_report(plan)
            print(_summary(plan))
            return ImportProblems.exit_code if plan.problems else 0
        try:
            plan, result = importer.run_import(store, table, mapping, valid_only=args.valid_only)
        except ImportProblems as e:
            _print_report(e.plan)
            print(_summary(e.plan))
            if not args.valid_only:
                print(_("Correct the file and import it again, or import only the valid rows with --valid-only."))
            raise
    _print_report(plan)
    print("\n".join(importer.result_lines(result)))
    return 0


def _date(value: str | None) -> str:
    return i18n.format_date(dt.date.fromisoformat(value[:10]), "medium") if value else "—"


def cmd_qa(args) -> int:
    from . import quality

    with _open_store(args) as store:
        items = quality.qa_list(store)
    labels = {quality.WAITING: _("waiting for a rating"), quality.RETURNED: _("returned for amendment"),
              quality.AMENDING: _("amendment in draft")}
    for item in items:
        print("  ".join((item.review_id[:8], item.reference, item.learner_name, _date(item.finalised_at),
                         labels[item.state])))
    print(ngettext("{n} review needs attention.", "{n} reviews need attention.", len(items)).format(
        n=i18n.format_number(len(items))))
    return 0


def cmd_rate(args) -> int:
    from ..pdf.document import resolve_review
    from . import quality

    with _open_store(args) as store:
        review_id = resolve_review(store, args.review)
        quality.rate_review(store, review_id, args.rating, args.feedback, args.feedback_lang)
    print(_("Rated {rating}.").format(rating=model.enum_label("rating", args.rating)))
    return 0


def cmd_tasks(args) -> int:
    from . import tasks

    texts = {tasks.OVERDUE: _("PEP overdue since {date}"), tasks.DUE_SOON: _("PEP due {date}"),
             tasks.RETURNED: _("Returned for amendment on {date}"), tasks.ACTION: _("Action due {date}"),
             tasks.FUNDING: _("PDG-CLA funding decided on {date}")}
    with _open_store(args) as store:
        found = tasks.tasks_for(store, args.user)
    for task in found:
        line = f"{task.reference}  {task.learner_name}  " + texts[task.kind].format(date=_date(task.due))
        if task.kind in (tasks.ACTION, tasks.FUNDING) and task.detail:
            line += ": " + task.detail.splitlines()[0][:80]
        print(line)
    print(ngettext("{n} task.", "{n} tasks.", len(found)).format(n=i18n.format_number(len(found))))
    return 0


def register(command) -> None:
    p = command("import-csv", _("import a cohort of learners from a CSV file"), cmd_import_csv)
    p.add_argument("file", metavar=_("FILE"), help=_("the CSV file (see docs/import-template.csv)"))
    p.add_argument("--mapping", metavar=_("MAPPING"),
                   help=_("which column holds which field: COLUMN=FIELD,… or a JSON file"))
    p.add_argument("--valid-only", action="store_true",
                   help=_("import the rows without problems and leave the others out"))
    p.add_argument("--check", action="store_true", help=_("only check the file and report; import nothing"))
    p = command("qa", _("PEP reviews waiting for a quality rating or returned for amendment"), cmd_qa)
    p = command("rate", _("give a finalised PEP review its quality rating"), cmd_rate)
    p.add_argument("review", metavar=_("REVIEW_ID"), help=_("the review's id (or the start of it)"))
    p.add_argument("rating", metavar=_("RATING"), choices=tuple(model.ENUMS["rating"]), help=_("red, amber or green"))
    p.add_argument("--feedback", metavar=_("TEXT"), help=_("what is good and what must change (required for red)"))
    p.add_argument("--feedback-lang", choices=model.LANGS, help=_("the language of the feedback"))
    p = command("tasks", _("your reminders: PEPs due and overdue, returned reviews, actions"), cmd_tasks)
    p.add_argument("--user", metavar=_("NAME"), help=_("whose tasks (default: the store's author)"))
