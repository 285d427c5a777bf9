"""The command line: every command drives the same core as the desktop application.

Exit codes: 0 done; 1 problems found by `check`; 2 usage, or no store at the path;
3 wrong passphrase; 4 damaged or not a VSM store; 5 store from a newer version;
6 disk full or not writable; 7 a change refused by the rules of the PEP; 8 store exists;
16 a learner's PEP could not be laid out for a pack.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import importlib
import json
import logging
import os
import sys
from pathlib import Path

from . import APP_NAME, __version__, i18n
from .domain import model, phases, sections
from .domain.text import date_text, field_text
from .domain.calendar import year_group
from .domain.model import ImmutableError, ValidationError
from .errors import Interrupted, Refused, StorageFull, StoreMissing, UsageError, VsmError, describe_os_error
from .i18n import N_, _, ngettext
from .settings import default_store_path  # noqa: F401 - in the core: the application uses it too
from .store import connection

# Modules that add their own commands: each has `register(command)`, where
# `command(name, help, func, store=True)` returns the subcommand's parser (see build_parser).
# The names each one registers are listed too, so that running one command imports only its own
# module (the sync client's HTTP stack alone costs a tenth of a second); tests/test_cli.py checks
# the lists. A command missing from them still works: then every module is registered.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "vsm_desktop.sync.cli": ("enrol", "sync", "sync-status", "conflicts", "resolve"),
    "vsm_desktop.pdf.cli": ("export-pdf", "pack", "verify", "export-cert", "timestamp-url"),
    "vsm_desktop.coordinator.cli": ("import-csv", "qa", "rate", "tasks"),
    "vsm_desktop.reports.cli": ("report",),
    "vsm_desktop.coordinator.funding_cli": ("funding", "funding-request", "funding-decide", "funding-spend",
                                            "funding-impact", "funding-allocation"),
    "vsm_desktop.attachments.cli": ("attach", "attachments", "extract", "detach"),
}
CORE_COMMANDS = ("init", "demo", "learners", "show", "export-json", "import-json", "rekey", "profile", "check",
                 "sections", "phase", "add-section", "set", "app")

ENV_PASSPHRASE = "VSM_PASSPHRASE"
ENV_NEW_PASSPHRASE = "VSM_NEW_PASSPHRASE"




# --- passphrases ------------------------------------------------------------------------

def _read_passphrase_file(path: str) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise UsageError(_("Cannot read the passphrase file {path}: {reason}").format(path=path, reason=describe_os_error(e))) from None
    return text.rstrip("\r\n")


def _prompt(prompt: str, confirm: bool) -> str:
    if not sys.stdin.isatty():
        raise UsageError(_(
            "No passphrase: type it at a terminal, or give it in the {env} environment variable or with --passphrase-file."
        ).format(env=ENV_PASSPHRASE))
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass(_("Type it again: ")) != first:
        raise Refused(_("The two passphrases differ; nothing was changed."))
    return first


def passphrase(args, *, confirm: bool = False) -> str:
    if getattr(args, "passphrase_file", None):
        return _read_passphrase_file(args.passphrase_file)
    if os.environ.get(ENV_PASSPHRASE):
        return os.environ[ENV_PASSPHRASE]
    return _prompt(_("Passphrase: ") if not confirm else _("New passphrase: "), confirm)


def new_passphrase(args) -> str:
    if args.new_passphrase_file:
        return _read_passphrase_file(args.new_passphrase_file)
    if os.environ.get(ENV_NEW_PASSPHRASE):
        return os.environ[ENV_NEW_PASSPHRASE]
    return _prompt(_("New passphrase: "), True)


def _store_path(args) -> Path:
    return Path(args.store) if args.store else default_store_path()


def open_store(args):
    return open_store_keyed(args)[0]


def open_store_keyed(args):
    """The store and the passphrase that opened it, for work that opens it again (a pack's workers)."""
    from .store.store import Store

    path = _store_path(args)
    if not path.exists():
        raise StoreMissing(_("There is no store at {path}. Create one with “vsm-desktop init”.").format(path=path))
    secret = passphrase(args)
    return Store.open(path, secret), secret


# --- commands ---------------------------------------------------------------------------

def cmd_init(args) -> int:
    from .store.store import Store

    path = _store_path(args)
    secret = passphrase(args, confirm=True)
    name, role = _profile_args(args)
    with Store.initialise(path, secret, author=name, role=role):
        pass
    print(_("Created an encrypted store at {path}.").format(path=path))
    if not name:
        print(_("No name was given: the application will ask for yours when the store is first unlocked "
                "(or give it now with “vsm-desktop profile --name”)."))
    print(_("Keep the passphrase safe: without it nobody, not even your IT team, can open the store."))
    return 0


def _profile_args(args) -> tuple[str, str]:
    """The person's name and role from --name/--role, else VSM_NAME/VSM_ROLE; never the login."""
    from . import profile

    return profile.from_environment(getattr(args, "name", None), getattr(args, "role", None))


def cmd_profile(args) -> int:
    from . import profile

    with open_store(args) as store:
        if args.name is not None or args.role is not None:
            store.set_profile(args.name if args.name is not None else store.author,
                              args.role or store.role or profile.DEFAULT_ROLE)
            print(_("Profile changed."))
        print(_("Name: {name}").format(name=store.author or "—"))
        print(_("Role: {role}").format(role=profile.role_label(store.role) or "—"))
    return 0


def cmd_demo(args) -> int:
    from .demo.generator import generate
    from .store.store import Store

    path = _store_path(args)
    if path.exists():
        store = Store.open(path, passphrase(args))
    else:
        name, role = _profile_args(args)
        store = Store.initialise(path, passphrase(args, confirm=True), author=name, role=role)
    with store:
        def progress(done: int, total: int) -> None:
            if sys.stderr.isatty():
                print("\r" + _("Creating learners: {done} of {total}").format(done=done, total=total), end="", file=sys.stderr)

        summary = generate(store, args.learners, args.seed, progress=progress)
        if sys.stderr.isatty():
            print(file=sys.stderr)
        everyone = store.list_learners()
    print(_("Demo authority in {path}:").format(path=path))
    print("  " + ngettext("{n} learner", "{n} learners", len(everyone)).format(n=i18n.format_number(len(everyone))))
    reviews = summary.get("reviews", 0)
    print("  " + ngettext("{n} PEP review", "{n} PEP reviews", reviews).format(n=i18n.format_number(reviews)))
    overdue = sum(1 for r in everyone if r["overdue"])
    print("  " + ngettext("{n} PEP overdue", "{n} PEPs overdue", overdue).format(n=i18n.format_number(overdue)))
    return 0


def _name(row: dict) -> str:
    preferred = row.get("preferred_name")
    if preferred and preferred != row["legal_forename"]:
        return f"{preferred} ({row['legal_forename']}) {row['legal_surname']}"
    return f"{row['legal_forename']} {row['legal_surname']}"


def cmd_learners(args) -> int:
    with open_store(args) as store:
        rows = store.list_learners(args.search)
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if not rows:
        print(_("No learners match.") if args.search else _("There are no learners in this store yet."))
        return 0
    headers = [_("Reference"), _("Name"), _("Date of birth"), _("School"), _("Legal status"), _("Next PEP due")]
    table = [headers]
    for r in rows:
        due = date_text(r["next_due"]) + (" " + _("(overdue)") if r["overdue"] else "")
        status = model.enum_label("legal_status", r["legal_status"]) if r["legal_status"] else "—"
        table.append([r["reference"], _name(r), date_text(r["date_of_birth"]), r["school"] or "—", status, due])
    _print_table(table)
    print(ngettext("{n} learner", "{n} learners", len(rows)).format(n=i18n.format_number(len(rows))))
    return 0


def _print_table(table: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


def cmd_show(args) -> int:
    with open_store(args) as store:
        learner_id = store.resolve_learner(args.learner)
        if learner_id is None:
            raise UsageError(_("No learner {key} in this store.").format(key=args.learner))
        record = store.learner_record(learner_id)
        history = store.audit(learner_id) if args.history else []
    if args.json and args.history:
        record["history"] = history
    if args.json:
        json.dump(record, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
        print()
        return 0
    if args.history:
        _print_history(history)
        return 0
    learner = record["learner"]
    print(_name(learner))
    ent = model.entity("learners")
    for f in ent.fields:
        if f.lang_of or learner[f.name] is None:
            continue
        print(f"  {_(f.label)}: {field_text(f, learner[f.name])}")
    if learner["date_of_birth"]:
        dob = dt.date.fromisoformat(learner["date_of_birth"])
        print("  " + _("Year group: {year}").format(year=year_group(dob, dt.date.today())))
    print()
    print(_("Contacts"))
    for c in record["contacts"]:
        detail = ", ".join(x for x in (c["organisation"], c["phone"], c["email"]) if x)
        print(f"  {model.enum_label('contact_role', c['role'])}: {c['name']}" + (f" ({detail})" if detail else ""))
    if not record["contacts"]:
        print("  —")
    print()
    print(_("Schools"))
    for e in record["enrolments"]:
        school = e["school"]["name"] if e.get("school") else "?"
        until = date_text(e["end_date"]) if e["end_date"] else _("now")
        print(f"  {date_text(e['start_date'])} – {until}: {school}")
    print()
    print(_("PEP reviews"))
    if not record["reviews"]:
        print("  —")
    for r in record["reviews"]:
        line = "  {held}  {kind}  {status}  {phase}  ".format(
            held=date_text(r["meeting_date"]), kind=model.enum_label("review_type", r["review_type"]),
            status=model.enum_label("review_status", r["status"]),
            phase=model.enum_label("phase", sections.plan_for_record(record, r).phase))
        line += _("due {date}").format(date=date_text(r["due_date"]))
        targets = len(r["targets"])
        line += "  " + ngettext("{n} target", "{n} targets", targets).format(n=i18n.format_number(targets))
        print(line + f"  [{r['id'][:8]}]")
    return 0


def _print_history(history: list[dict]) -> None:
    """Who changed what, when: one line per change, oldest first."""
    for change in history:
        when = i18n.format_datetime(dt.datetime.fromisoformat(change["at"]), "short")
        ent = model.entity(change["entity"])
        if change["field"] is None:
            what = _("{record}: created").format(record=_(ent.label))
        else:
            f = ent.field(change["field"])
            value = field_text(f, change["value"])
            if len(value) > 60:
                value = value[:57] + "…"
            what = _("{record}: {field} set to {value}").format(record=_(ent.label), field=_(f.label), value=value)
        print(f"{when}  {change['author'] or '—'}  {what}")
    print(ngettext("{n} change", "{n} changes", len(history)).format(n=i18n.format_number(len(history))))


def cmd_export_json(args) -> int:
    from .files import write_atomically
    from .store import export

    if not args.all and not args.learner:
        raise UsageError(_("Say which learner to export with --learner, or --all for the whole store."))
    if args.with_attachments:
        return _export_zip(args)
    with open_store(args) as store:
        if args.all:
            data = export.export_all(store)
        else:
            learner_id = store.resolve_learner(args.learner)
            if learner_id is None:
                raise UsageError(_("No learner {key} in this store.").format(key=args.learner))
            data = export.export_learner(store, learner_id)
    write_atomically(args.out, export.dumps(data))
    print(_("Wrote {path}. The file is not encrypted: keep it as safe as the record it holds.").format(path=args.out))
    return 0


def _export_zip(args) -> int:
    from .attachments import archive

    if args.all:
        raise UsageError(_("--with-attachments exports one learner: give --learner instead of --all."))
    with open_store(args) as store:
        learner_id = store.resolve_learner(args.learner)
        if learner_id is None:
            raise UsageError(_("No learner {key} in this store.").format(key=args.learner))
        manifest = archive.write_zip(store, learner_id, args.out)
    files = sum(1 for f in manifest["files"] if f["included"])
    print(ngettext("Wrote {path} with {n} file.", "Wrote {path} with {n} files.", files).format(
        path=args.out, n=i18n.format_number(files)) + " " + _("The file is not encrypted: keep it as safe as the record it holds."))
    return 0


def cmd_import_json(args) -> int:
    from .store import export

    from .attachments import archive

    if Path(args.file).is_file() and archive.is_zip(args.file):
        with open_store(args) as store:
            counts = archive.import_zip(store, args.file)
        learners = counts.get("learners", 0)
        print(ngettext("Imported {n} learner.", "Imported {n} learners.", learners).format(n=i18n.format_number(learners)))
        return 0

    try:
        data = json.loads(Path(args.file).read_text(encoding="utf-8"))
    except OSError as e:
        raise UsageError(_("Cannot read {path}: {reason}").format(path=args.file, reason=describe_os_error(e))) from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Refused(_("{path} is not a VSM Desktop export (it is not JSON).").format(path=args.file)) from None
    except RecursionError:
        raise Refused(_("{path} is damaged: it holds values nested far deeper than any record.").format(
            path=args.file)) from None
    with open_store(args) as store:
        counts = export.import_export(store, data)
    learners = counts.get("learners", 0)
    print(ngettext("Imported {n} learner.", "Imported {n} learners.", learners).format(n=i18n.format_number(learners)))
    return 0


def cmd_rekey(args) -> int:
    from .store.store import rekey

    path = _store_path(args)
    if not path.exists():
        raise StoreMissing(_("There is no store at {path}. Create one with “vsm-desktop init”.").format(path=path))
    old = passphrase(args)
    new = new_passphrase(args)
    rekey(path, old, new)
    print(_("The passphrase of {path} has changed. The old passphrase no longer opens it.").format(path=path))
    return 0


def cmd_app(args) -> int:
    """The desktop application (the default when no command is given)."""
    try:
        from .app.main import run
    except ImportError as e:
        raise UsageError(_("The desktop application cannot start: {reason}").format(reason=e)) from None
    return run(getattr(args, "store", None))


# --- phases and sections -----------------------------------------------------------------

WHY = {"always": N_("every PEP"), "phase": N_("the phase"), "circumstance": N_("the circumstances"),
       "added": N_("added"), "data": N_("holds what was entered")}


def _plan_json(review_id: str, plan, review: dict) -> dict:
    added = sections.added_sections(review)
    return {
        "review_id": review_id, "phase": plan.phase, "computed_phase": plan.computed_phase,
        "phase_override": review.get("phase_override"), "phase_override_reason": review.get("phase_override_reason"),
        "circumstances": sorted(plan.circumstances),
        "sections": [{"key": s.key, "number": n, "title": _(s.title), "why": plan.why[s.key],
                      "reason": (added.get(s.key) or {}).get("reason")} for n, s in enumerate(plan.shown, 1)],
        "offered": [{"key": s.key, "title": _(s.title)} for s in plan.offered],
    }


def _print_phase(plan, review: dict) -> None:
    phase = model.enum_label("phase", plan.phase)
    if review.get("phase_override"):
        computed = model.enum_label("phase", plan.computed_phase) if plan.computed_phase else "—"
        print(_("Phase: {phase} (overridden; from the date of birth: {computed})").format(phase=phase, computed=computed))
        print("  " + _("Reason: {reason}").format(reason=review.get("phase_override_reason") or "—"))
    else:
        print(_("Phase: {phase}").format(phase=phase))


def cmd_sections(args) -> int:
    from .pdf.document import resolve_review

    with open_store(args) as store:
        review_id = resolve_review(store, args.review)
        plan = store.section_plan(review_id)
        review = store.get("reviews", review_id)
        review["review_sections"] = store.children("review_sections", review_id)
    if args.json:
        json.dump(_plan_json(review_id, plan, review), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    _print_phase(plan, review)
    if plan.circumstances:
        names = [_(sections.BY_KEY[c].title) for c in sections.CIRCUMSTANCES if c in plan.circumstances]
        print(_("Circumstances: {names}").format(names=", ".join(names)))
    added = sections.added_sections(review)
    for number, section in enumerate(plan.shown, 1):
        why = plan.why[section.key]
        note = "" if why == "always" else f"  ({_(WHY[why])}" + (
            f": {added[section.key]['reason']}" if why == "added" else "") + ")"
        print(f"  {number:>2}. {_(section.title)}{note}")
    if plan.offered:
        print(_("Can be added, with a reason: {names}").format(
            names=", ".join(f"{_(s.title)} [{s.key}]" for s in plan.offered)))
    return 0


def cmd_phase(args) -> int:
    from .pdf.document import resolve_review

    with open_store(args) as store:
        review_id = resolve_review(store, args.review)
        if args.set:
            store.override_phase(review_id, None if args.set == "auto" else args.set, args.reason, args.reason_lang)
        plan = store.section_plan(review_id)
        review = store.get("reviews", review_id)
    _print_phase(plan, review)
    return 0


def cmd_add_section(args) -> int:
    from .pdf.document import resolve_review

    with open_store(args) as store:
        review_id = resolve_review(store, args.review)
        store.add_section(review_id, args.section, args.reason, args.reason_lang)
    print(_("Added “{section}” to the review.").format(section=_(sections.BY_KEY[args.section].title)))
    return 0


def _parse_value(f: model.Field, text: str):
    """A value typed on the command line, in the form the model stores (the model checks it)."""
    if text == "":
        return None
    if f.kind == "bool":
        yes, no = {"yes", "true", "1", "y", "ie", "do"}, {"no", "false", "0", "n", "na", "naddo"}
        if text.lower() in yes | no:
            return text.lower() in yes
        return text
    if f.kind in ("int", "money"):
        try:
            return int(text)
        except ValueError:
            return text
    if f.kind in ("pct", "decimal"):
        try:
            return float(text.replace(",", "."))
        except ValueError:
            return text
    return text


def cmd_set(args) -> int:
    from .pdf.document import resolve_review

    with open_store(args) as store:
        review_id = resolve_review(store, args.review)
        ent = model.entity("reviews")
        f = ent.field(args.field)
        changes = {f.name: _parse_value(f, args.value)}
        if args.text_lang and f.kind == "text":
            changes[f.name + "_lang"] = args.text_lang
        store.update("reviews", review_id, changes)
    print(_("{field}: saved.").format(field=_(f.label)))
    return 0


def cmd_check(args) -> int:
    from .store.check import check_store, repair_summaries

    with open_store(args) as store:
        if args.repair:
            for table, n in repair_summaries(store).items():
                print(ngettext("Rebuilt the dashboard's summary ({table}): {n} row was out of step.",
                               "Rebuilt the dashboard's summary ({table}): {n} rows were out of step.", n)
                      .format(table=table, n=n))
        problems = check_store(store)
    if not problems:
        print(_("{path}: no problems found.").format(path=_store_path(args)))
        return 0
    for line in problems:
        print(line)
    print(ngettext("{n} problem found.", "{n} problems found.", len(problems)).format(n=len(problems)))
    return 1


# --- the parser ---------------------------------------------------------------------------

def _translate_argparse() -> None:
    # argparse looks up these module globals at call time: its own words then come from our catalog.
    argparse._ = i18n._
    argparse.ngettext = i18n.ngettext


def _modules_for(command: str | None) -> list[str]:
    """The command modules to register for running `command`: none for a core command, its own
    module for one of theirs, every module otherwise (help, a mistyped name, no command)."""
    if command in CORE_COMMANDS:
        return []
    owners = [module for module, names in COMMAND_MODULES.items() if command in names]
    return owners or list(COMMAND_MODULES)


def build_parser(running: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; given the name of the command about to run, only what it needs."""
    _translate_argparse()
    parser = argparse.ArgumentParser(
        prog="vsm-desktop",
        description=_("{app}: Personal Education Plans for children looked after, offline and encrypted.").format(app=APP_NAME),
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}",
                        help=_("show the version and exit"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("language of messages: cy (Cymraeg) or en (English)"))
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"), title=_("commands"))

    def command(name: str, help_text: str, func, *, store: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        if store:
            p.add_argument("--store", metavar=_("PATH"), help=_("the store file (default: {path})").format(path=default_store_path()))
            p.add_argument("--passphrase-file", metavar=_("FILE"),
                           help=_("read the passphrase from FILE (or set {env})").format(env=ENV_PASSPHRASE))
        p.set_defaults(func=func)
        return p

    p = command("init", _("create a new encrypted store"), cmd_init)
    _add_profile_arguments(p)
    p = command("demo", _("fill a store with a synthetic local authority"), cmd_demo)
    p.add_argument("--learners", type=int, default=1100, metavar="N", help=_("how many learners (default: 1100)"))
    p.add_argument("--seed", type=int, default=7, metavar="N", help=_("the same seed gives the same data (default: 7)"))
    _add_profile_arguments(p)
    p = command("learners", _("list learners, or search them"), cmd_learners)
    p.add_argument("--search", metavar=_("TEXT"), help=_("names, school or reference; accents and case do not matter"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p = command("show", _("show one learner: profile, contacts and PEP reviews"), cmd_show)
    p.add_argument("learner", metavar=_("LEARNER_ID"), help=_("the learner's reference or id"))
    p.add_argument("--history", action="store_true", help=_("show who changed what and when instead"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p = command("export-json", _("export a learner's entire record, history included, as JSON"), cmd_export_json)
    p.add_argument("--learner", metavar="ID", help=_("the learner's reference or id"))
    p.add_argument("--all", action="store_true", help=_("export the whole store"))
    p.add_argument("--out", required=True, metavar=_("FILE"), help=_("where to write the JSON (not encrypted)"))
    p.add_argument("--with-attachments", action="store_true",
                   help=_("write a zip with the JSON, every attached file and a manifest of their hashes"))
    p = command("import-json", _("import an export into this store"), cmd_import_json)
    p.add_argument("file", metavar=_("FILE"), help=_("a file made by export-json (JSON, or a zip with attachments)"))
    p = command("rekey", _("change the store's passphrase"), cmd_rekey)
    p.add_argument("--new-passphrase-file", metavar=_("FILE"),
                   help=_("read the new passphrase from FILE (or set {env})").format(env=ENV_NEW_PASSPHRASE))
    p = command("profile", _("show or change your name and role, as documents and the history show them"), cmd_profile)
    _add_profile_arguments(p)
    p = command("check", _("check the store for damage and inconsistencies"), cmd_check)
    p.add_argument("--repair", action="store_true",
                   help=_("first rebuild what is derived from the records (the dashboard's summary) where it is out of step"))
    p = command("sections", _("the sections of a PEP review: its phase, its circumstances, what can be added"),
                cmd_sections)
    p.add_argument("--review", required=True, metavar=_("REVIEW_ID"), help=_("the review's id (or the start of it)"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p = command("phase", _("show a PEP review's phase, or override it with a reason"), cmd_phase)
    p.add_argument("--review", required=True, metavar=_("REVIEW_ID"), help=_("the review's id (or the start of it)"))
    p.add_argument("--set", choices=(*phases.PHASES, "auto"),
                   help=_("early_years, school_age or post16; auto goes back to the phase from the date of birth"))
    p.add_argument("--reason", metavar=_("TEXT"), help=_("why the phase is overridden (required with --set)"))
    p.add_argument("--reason-lang", choices=model.LANGS, help=_("the language of the reason"))
    p = command("add-section", _("add a section to a PEP review that its phase or circumstances do not bring"),
                cmd_add_section)
    p.add_argument("--review", required=True, metavar=_("REVIEW_ID"), help=_("the review's id (or the start of it)"))
    p.add_argument("section", metavar=_("SECTION"), choices=tuple(model.ENUMS["section"]),
                   help=_("the section's key, as “sections” lists it"))
    p.add_argument("--reason", required=True, metavar=_("TEXT"), help=_("why the section is added"))
    p.add_argument("--reason-lang", choices=model.LANGS, help=_("the language of the reason"))
    p = command("set", _("set one field of a draft PEP review"), cmd_set)
    p.add_argument("--review", required=True, metavar=_("REVIEW_ID"), help=_("the review's id (or the start of it)"))
    p.add_argument("field", metavar=_("FIELD"), help=_("the field's name, as the JSON export names it"))
    p.add_argument("value", metavar=_("VALUE"), help=_("the new value (empty to clear it)"))
    p.add_argument("--text-lang", choices=model.LANGS, help=_("the language of a text value"))
    command("app", _("open the desktop application (the default)"), cmd_app)
    for module in _modules_for(running):
        importlib.import_module(module).register(command)
    return parser


def _add_profile_arguments(p: argparse.ArgumentParser) -> None:
    from . import profile

    p.add_argument("--name", "--user", dest="name", metavar=_("NAME"),
                   help=_("your name as documents and the change history show it (or set {env})").format(env=profile.ENV_NAME))
    p.add_argument("--role", choices=tuple(profile.ROLES),
                   help=_("your role (or set {env}; default: {role})").format(env=profile.ENV_ROLE, role=profile.DEFAULT_ROLE))


def _command_from_argv(argv: list[str]) -> str | None:
    """The command's name: the first word that is neither an option nor the global --lang's value."""
    for i, arg in enumerate(argv):
        if not arg.startswith("-") and (i == 0 or argv[i - 1] != "--lang"):
            return arg
    return None


def _language_from_argv(argv: list[str]) -> str:
    # Only the global --lang, before the command: export-pdf and pack have a --lang of their own.
    for i, arg in enumerate(argv):
        if not arg.startswith("-") and (i == 0 or argv[i - 1] != "--lang"):
            break
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in i18n.LANGUAGES:
            return argv[i + 1]
        if arg.startswith("--lang=") and arg[7:] in i18n.LANGUAGES:
            return arg[7:]
    return i18n.language_from_environment()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # The language must be known before the parser is built: its help is translated too.
    i18n.set_language(_language_from_argv(argv))
    logging.basicConfig(level=os.environ.get("VSM_LOG_LEVEL", "WARNING"), format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser(_command_from_argv(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        return cmd_app(args)
    try:
        return args.func(args)
    except VsmError as e:
        return _fail(str(e), e.exit_code)
    except (ValidationError,) as e:
        return _fail(e.describe(), Refused.exit_code)
    except ImmutableError as e:
        return _fail(str(e), Refused.exit_code)
    except connection.DatabaseError as e:
        err = connection.translate_error(e, getattr(args, "store", None) or default_store_path())
        if isinstance(err, VsmError):
            return _fail(str(err), err.exit_code)
        raise
    except BrokenPipeError:
        # The reader (`| head`) has gone: not an error. Point stdout at devnull so the exit flush is quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as e:
        if e.errno == 28:  # ENOSPC
            return _fail(str(StorageFull(_("The disk is full: nothing was written."))), StorageFull.exit_code)
        return _fail(_("Cannot write {path}: {reason}").format(path=e.filename, reason=describe_os_error(e)), StorageFull.exit_code)
    except KeyboardInterrupt:
        return _fail(_("Interrupted; nothing half-done was kept."), Interrupted.exit_code)


def _fail(message: str, code: int) -> int:
    print(_("vsm-desktop: {message}").format(message=message), file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
