"""Attachment commands of `vsm-desktop`: attach, attachments, extract, detach.

Exit codes: 16 a file that cannot be attached (its kind, size or damage, named in the message);
7 attaching to a finalised review, or content that has not arrived yet; 6 the disk is full
(nothing partial is kept); 2 usage (no such learner or attachment).
"""

from __future__ import annotations

import datetime as dt
import json

from .. import i18n
from ..domain import model
from ..errors import UsageError
from ..files import NOT_ENCRYPTED
from ..i18n import _, ngettext
from . import content


def _learner(store, key: str) -> str:
    learner_id = store.resolve_learner(key)
    if learner_id is None:
        raise UsageError(_("No learner {key} in this store.").format(key=key))
    return learner_id


def _review(store, learner_id: str, key: str | None) -> str | None:
    if key is None:
        return None
    key = key.strip().lower()
    rows = store.conn.execute("SELECT id FROM reviews WHERE learner_id = ? AND id >= ? AND id < ? LIMIT 2",
                              (learner_id, key, key + "g")).fetchall()
    if len(rows) != 1:
        raise UsageError(_("No PEP review {key} for this learner.").format(key=key))
    return rows[0][0]


def cmd_attach(args) -> int:
    from ..cli import open_store

    with open_store(args) as store:
        learner_id = _learner(store, args.learner)
        review_id = _review(store, learner_id, args.review)
        attachment_id = content.attach(store, learner_id, args.file, kind=args.kind, title=args.title,
                                       title_lang=args.title_lang, review_id=review_id)
        item = store.get("attachments", attachment_id)
    print(_("Attached “{title}” ({size}): {id}").format(title=item["title"], size=content.size_text(item["size"]),
                                                      id=attachment_id))
    return 0


def cmd_attachments(args) -> int:
    from ..cli import open_store

    with open_store(args) as store:
        learner_id = _learner(store, args.learner)
        items = content.listing(store, learner_id)
    if args.json:
        print(json.dumps(items, ensure_ascii=False, indent=1))
        return 0
    states = {content.HERE: "", content.ARRIVING: _("arriving"), content.MISSING: _("no longer on the server")}
    for item in items:
        line = "  ".join(x for x in (
            item["id"][:8], i18n.format_date(dt.date.fromisoformat(item["added_on"]), "short"),
            model.enum_label("attachment_kind", item["kind"]), item["title"], content.size_text(item["size"]),
            item["added_by"] or "—", states[item["state"]]) if x)
        print(line)
    print(ngettext("{n} attachment", "{n} attachments", len(items)).format(n=i18n.format_number(len(items))))
    return 0


def cmd_extract(args) -> int:
    from ..cli import open_store

    with open_store(args) as store:
        item = content.resolve(store, args.attachment)
        content.extract(store, item, args.out)
    print(_("Wrote {path}.").format(path=args.out) + " " + _(NOT_ENCRYPTED))
    return 0


def cmd_detach(args) -> int:
    from ..cli import open_store

    with open_store(args) as store:
        item = content.resolve(store, args.attachment)
        content.detach(store, item["id"])
    print(_("Removed “{title}”.").format(title=item["title"]))
    return 0


def register(command) -> None:
    p = command("attach", _("attach a file to a learner's record or to a PEP review"), cmd_attach)
    p.add_argument("--learner", required=True, metavar="ID", help=_("the learner's reference or id"))
    p.add_argument("--review", metavar=_("REVIEW_ID"), help=_("attach it to this PEP review (its id)"))
    p.add_argument("--kind", required=True, choices=content.KINDS, help=_("what the file is"))
    p.add_argument("--title", metavar=_("TEXT"), help=_("its title (default: the file's name)"))
    p.add_argument("--title-lang", choices=("cy", "en", "other"), help=_("the language of the title"))
    p.add_argument("file", metavar=_("FILE"), help=_("the file to attach"))
    p = command("attachments", _("list a learner's attachments"), cmd_attachments)
    p.add_argument("--learner", required=True, metavar="ID", help=_("the learner's reference or id"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p = command("extract", _("write an attachment's file out of the store (not encrypted)"), cmd_extract)
    p.add_argument("attachment", metavar=_("ATTACHMENT_ID"), help=_("the attachment's id, or its first characters"))
    p.add_argument("--out", required=True, metavar=_("FILE"), help=_("where to write the file"))
    p = command("detach", _("remove an attachment"), cmd_detach)
    p.add_argument("attachment", metavar=_("ATTACHMENT_ID"), help=_("the attachment's id, or its first characters"))
