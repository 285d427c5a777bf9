"""Sync commands of `vsm-desktop`: enrol, sync, sync-status, conflicts, resolve.

Exit codes (see vsm_desktop/errors.py): 9 the server cannot be reached (or its certificate is not
trusted, or it timed out); 10 the server answered with something the protocol does not allow;
11 this device has been revoked or its enrolment is no longer valid; 12 this computer's clock is
too far off; 7 a refused enrolment code or change; 2 not enrolled, or a usage error.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import threading

from .. import i18n
from ..domain import model
from ..errors import UsageError
from ..i18n import _, ngettext
from .conflict_text import kind_label, reason_label, value_text
from .transport import read_ca_bundle


def _client(args):
    from ..cli import open_store
    from .engine import SyncClient

    store = open_store(args)
    timeout = getattr(args, "timeout", None)
    return store, SyncClient(store, timeout=timeout)


def cmd_enrol(args) -> int:
    store, client = _client(args)
    with store:
        who = client.enrol(args.server, args.code, ca_pem=read_ca_bundle(args.ca_bundle))
    print(_("This device is enrolled with {authority} as {username}. Your signing certificate is stored in the "
            "encrypted store.").format(authority=who["authority"], username=who["username"]))
    return 0


def _time(value: str | None) -> str:
    if not value:
        return _("never")
    return i18n.format_datetime(dt.datetime.fromisoformat(value))


def cmd_sync(args) -> int:
    from .engine import Progress

    store, client = _client(args)
    tty = sys.stderr.isatty()

    def progress(p: Progress) -> None:
        if not tty or p.phase == "done":
            return
        if p.phase == "push":
            line = _("Sending changes: {done} of {total}").format(done=p.done, total=p.total)
        elif p.phase == "scope":
            line = _("Updating your caseload: {done} of {total}").format(done=p.done, total=p.total)
        elif p.phase == "files":
            from ..attachments.content import size_text

            line = _("Attachments: {done} of {total}").format(done=size_text(p.done), total=size_text(p.total or 0))
        else:
            line = _("Receiving changes: {done} of about {total}").format(done=p.done, total=p.total)
        print("\r" + line, end="", file=sys.stderr, flush=True)

    cancel = threading.Event()
    with store:
        if args.ca_bundle:
            with store.transaction():
                store.conn.execute("INSERT INTO meta(key, value) VALUES ('sync_ca_pem', ?) ON CONFLICT(key) DO UPDATE"
                                   " SET value = excluded.value", (read_ca_bundle(args.ca_bundle),))
        try:
            result = client.sync(progress=progress, cancel=cancel)
        finally:
            if tty:
                print(file=sys.stderr)
        status = client.status()
    print(ngettext("Sent {n} change.", "Sent {n} changes.", result.pushed).format(n=i18n.format_number(result.pushed))
          + " " + ngettext("Received {n} change.", "Received {n} changes.", result.pulled).format(n=i18n.format_number(result.pulled)))
    files = result.files
    if files is not None and (files.fetched or files.sent):
        print(_("Attachments: {sent} sent, {fetched} received.").format(
            sent=i18n.format_number(files.sent), fetched=i18n.format_number(files.fetched)))
    if files is not None and files.missing:
        print(ngettext("{n} attachment is no longer on the server and cannot be opened here.",
                       "{n} attachments are no longer on the server and cannot be opened here.",
                       files.missing).format(n=i18n.format_number(files.missing)))
    if result.removed_learners:
        print(ngettext("{n} learner is no longer on your caseload and was removed from this device.",
                       "{n} learners are no longer on your caseload and were removed from this device.",
                       result.removed_learners).format(n=i18n.format_number(result.removed_learners)))
    if result.rejected:
        print(ngettext("The server refused {n} change: see “vsm-desktop conflicts”.",
                       "The server refused {n} changes: see “vsm-desktop conflicts”.", result.rejected).format(
            n=result.rejected))
    if status.conflicts:
        print(ngettext("{n} conflict to resolve: see “vsm-desktop conflicts”.",
                       "{n} conflicts to resolve: see “vsm-desktop conflicts”.", status.conflicts).format(
            n=status.conflicts))
    return 0


def cmd_status(args) -> int:
    store, client = _client(args)
    with store:
        s = client.status()
    if args.json:
        json.dump(s.__dict__, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if not s.enrolled:
        print(_("Not enrolled with a sync server."))
    else:
        print(_("Server: {url} ({authority}), as {username}").format(url=s.server_url, authority=s.authority,
                                                                   username=s.username))
        if s.revoked:
            print(_("This device has been revoked."))
    print(_("Last successful sync: {when}").format(when=_time(s.last_success)))
    print(ngettext("{n} change waiting to be sent", "{n} changes waiting to be sent", s.unsent).format(n=i18n.format_number(s.unsent)))
    print(ngettext("{n} conflict to resolve", "{n} conflicts to resolve", s.conflicts).format(n=i18n.format_number(s.conflicts)))
    return 0


def _show(entity: str, fld: str, value) -> str:
    text = value_text(entity, fld, value)
    return text if len(text) <= 70 else text[:67] + "…"


def cmd_conflicts(args) -> int:
    store, client = _client(args)
    with store:
        found = client.conflicts(include_resolved=args.all)
    if args.json:
        json.dump([c.__dict__ for c in found], sys.stdout, ensure_ascii=False, indent=1, default=str)
        print()
        return 0
    if not found:
        print(_("No conflicts to resolve."))
        return 0
    for c in found:
        ent = model.entity(c.entity)
        what = _(ent.label) if c.field == "*" else f"{_(ent.label)}: {model.field_label(c.entity, c.field)}"
        print(f"[{c.id}] {kind_label(c.kind)} — {what} ({c.record_id[:8]})")
        if c.kind == "rejected":
            print("    " + _("Why: {reason}").format(reason=reason_label(c.reason)))
        print("    " + _("Now: {value}").format(value=_show(c.entity, c.field, c.current_value)))
        print("    " + _("Other: {value} (by {author})").format(value=_show(c.entity, c.field, c.other_value),
                                                                 author=c.other_author or "—"))
        if c.resolved_at:
            print("    " + _("Resolved {when}").format(when=_time(c.resolved_at)))
    print(ngettext("{n} conflict", "{n} conflicts", len(found)).format(n=len(found)))
    return 0


def cmd_resolve(args) -> int:
    store, client = _client(args)
    with store:
        if args.dismiss:
            client.dismiss(args.conflict)
            print(_("Dismissed; the change stays in the history."))
        elif args.carry_to:
            review = args.carry_to.strip()
            client.carry(args.conflict, review)
            print(_("Carried into the review {id}.").format(id=review[:8]))
        else:
            if args.value is not None:
                try:
                    value = json.loads(args.value)
                except json.JSONDecodeError:
                    value = args.value  # plain text needs no quotes
                client.resolve(args.conflict, "value", value)
            elif args.mine:
                client.resolve(args.conflict, "mine")
            elif args.theirs:
                client.resolve(args.conflict, "theirs")
            else:
                raise UsageError(_("Say how to resolve it: --mine, --theirs, --value, --dismiss or --carry-to."))
            print(_("Resolved; the choice will be sent at the next sync."))
    return 0


def register(command) -> None:
    p = command("enrol", _("enrol this device with your authority's sync server"), cmd_enrol)
    p.add_argument("--server", required=True, metavar="URL", help=_("the server's address, https://…"))
    p.add_argument("--code", required=True, metavar=_("CODE"), help=_("the one-time enrolment code from your administrator"))
    p.add_argument("--ca-bundle", metavar=_("FILE"), help=_("trust this certificate authority (PEM) for the server"))
    p.add_argument("--timeout", type=float, default=None, help=argparse_suppress())
    p = command("sync", _("send this device's changes and receive everyone else's"), cmd_sync)
    p.add_argument("--ca-bundle", metavar=_("FILE"), help=_("trust this certificate authority (PEM) for the server"))
    p.add_argument("--timeout", type=float, default=None, metavar=_("SECONDS"),
                   help=_("give up waiting for the server after this many seconds (default: 60)"))
    p = command("sync-status", _("when this device last synced, and what is waiting"), cmd_status)
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p = command("conflicts", _("list changes that need a person to decide"), cmd_conflicts)
    p.add_argument("--all", action="store_true", help=_("include conflicts already resolved"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p = command("resolve", _("resolve a conflict"), cmd_resolve)
    p.add_argument("conflict", type=int, metavar="ID", help=_("the conflict's number, from “vsm-desktop conflicts”"))
    how = p.add_mutually_exclusive_group()
    how.add_argument("--mine", action="store_true", help=_("keep the value the record has now"))
    how.add_argument("--theirs", action="store_true", help=_("take the other value"))
    how.add_argument("--value", metavar="JSON", help=_("set this value instead"))
    how.add_argument("--dismiss", action="store_true", help=_("mark a held or refused change as seen"))
    how.add_argument("--carry-to", metavar=_("REVIEW_ID"), help=_("carry a held change into this draft review"))


def argparse_suppress():
    import argparse

    return argparse.SUPPRESS
