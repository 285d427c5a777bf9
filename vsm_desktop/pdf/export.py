"""What the command line and the desktop application call: write a PEP, a My PEP or a pack.

Each function lays the PDF out into a temporary file beside the destination, signs it into a
second one when it is to be signed, and renames that into place: a reader never sees half a
file, a cancelled pack leaves nothing behind, and the result is readable only by its owner
(0600), like every other export. The files are not encrypted; the caller says so.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..domain import model
from ..errors import UsageError
from ..i18n import N_, _
from . import signing
from .lang import Labels

SIGNED_AS = N_("Signed as {role}")


@dataclass
class ExportResult:
    path: Path
    pages: int
    signed: bool
    draft: bool
    timestamped: bool = False


def machine_logo() -> str | None:
    from ..settings import machine_logo as logo

    return logo()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _role_of(store, review: dict, labels: Labels) -> str | None:
    """The signer's role: their role among the review's attendees, if they attended."""
    author = (store.author or "").strip().casefold()
    for attendee in review.get("attendees", []):
        if author and attendee["name"].strip().casefold() == author:
            return labels.join(labels.one(lang, model.ENUMS["contact_role"][attendee["role"]]) for lang in labels.langs)
    return _profile_role(store, labels)


def _profile_role(store, labels: Labels) -> str | None:
    """The role the person gave in their profile, in the document's language(s)."""
    from .. import profile

    if getattr(store, "role", "") in profile.ROLES:
        return labels.join(labels.one(lang, profile.ROLES[store.role]) for lang in labels.langs)
    return None


def _temp_beside(out: Path) -> Path:
    fd, name = tempfile.mkstemp(dir=out.parent, prefix="." + out.name, suffix=".unsigned")
    os.close(fd)
    return Path(name)


def _check_destination(out: Path) -> Path:
    out = Path(out)
    if not out.parent.exists():
        raise UsageError(_("The folder {path} does not exist.").format(path=out.parent))
    if out.is_dir():
        raise UsageError(_("{path} is a folder; give a file name.").format(path=out))
    return out


def export_review(store, review_id: str, out: Path, mode: str, *, sign: bool | None = None, role: str | None = None,
                  tsa_url: str | None = None, my_pep: bool = False, now: dt.datetime | None = None,
                  with_attachments: bool = False) -> ExportResult:
    """A PEP (or My PEP) as PDF. Finalised reviews are signed unless `sign` is False; a draft
    is watermarked and never signed."""
    from .document import SignatureInfo, build_pdf, load_review

    out = _check_destination(out)
    labels = Labels(mode)
    data = load_review(store, review_id)
    if sign and data.draft:
        raise UsageError(_("A draft PEP is never signed: finalise the review first."))
    do_sign = (not data.draft) if sign is None else bool(sign)
    now = now or _now()
    identity = signing.signing_identity(store, now) if do_sign else None
    role = role or _role_of(store, data.review, labels)
    signer = (store.author or identity.signer_name) if identity else ""
    info = SignatureInfo(signer, role, now, identity.self_issued) if identity else None
    tsa_url = tsa_url or (signing.timestamp_url(store) if do_sign else None)
    temp = _temp_beside(out)
    try:
        if my_pep:
            from .mypep import build_my_pep

            doc = build_my_pep(str(temp), data, labels, generated_at=now, author=store.author)
        else:
            doc = build_pdf(str(temp), data, labels, generated_at=now, signature=info, author=store.author,
                            logo=machine_logo())
        pages = doc.page_count
        if with_attachments:
            from .attachments import append_files

            pages += append_files(store, temp, [(None, data.attachments)], labels)
        request = None
        if identity is not None:
            request = signing.SignRequest(
                identity=identity, when=now, signer_name=signer,
                reason=labels.text(SIGNED_AS, role=role) if role else labels.text(N_("Personal Education Plan")),
                location=data.authority, widget=doc.signature_box, tsa_url=tsa_url)
        signing.write_signed(out, temp, request)
    finally:
        temp.unlink(missing_ok=True)
    return ExportResult(out, pages, identity is not None, data.draft, bool(identity and tsa_url))


def export_pack(store, out: Path, flt, mode: str, *, drafts: bool = False, sign: bool = True, role: str | None = None,
                tsa_url: str | None = None, authority: str = "", now: dt.datetime | None = None,
                progress: Callable[[int, int], None] | None = None, cancelled: Callable[[], bool] | None = None,
                with_attachments: bool = False, passphrase: str | None = None, workers: int | None = None):
    """A PEP pack as PDF, signed as a whole unless it holds a draft or `sign` is False. Given the
    store's passphrase, worker processes lay the learners out on every core (see parallel.py)."""
    from .document import SignatureInfo
    from .pack import build_pack, plan_entries, select_learners

    out = _check_destination(out)
    labels = Labels(mode)
    rows = select_learners(store, flt)
    if not rows:
        raise UsageError(_("No learners match this selection; no pack was made."))
    now = now or _now()
    holds_draft = drafts and any(e.draft for e in plan_entries(store, rows, labels, drafts))
    do_sign = sign and not holds_draft
    identity = signing.signing_identity(store, now) if do_sign else None
    if identity is not None:
        signing.load_in_background()   # while the learners are laid out; signing waits for it
    signer = (store.author or identity.signer_name) if identity else ""
    role = role or _profile_role(store, labels)
    info = SignatureInfo(signer, role, now, identity.self_issued) if identity else None
    tsa_url = tsa_url or (signing.timestamp_url(store) if do_sign else None)
    temp = _temp_beside(out)
    try:
        result = build_pack(store, str(temp), rows, labels, drafts=drafts, generated_at=now, flt=flt,
                            authority=authority, author=store.author, signature=info, progress=progress,
                            logo=machine_logo(), cancelled=cancelled, passphrase=passphrase, workers=workers)
        if with_attachments:
            from .attachments import append_files, for_review

            groups = []
            for entry in result.entries:
                review = store.get("reviews", entry.review_id) if entry.review_id else None
                if review is not None:
                    groups.append((f"{entry.name} ({entry.reference})", for_review(store, review)))
            result.pages += append_files(store, temp, groups, labels)
        request = None
        if identity is not None:
            request = signing.SignRequest(
                identity=identity, when=now, signer_name=signer,
                reason=labels.text(SIGNED_AS, role=role) if role else labels.text(N_("PEP pack")),
                widget=result.signature_box, tsa_url=tsa_url)
        signing.write_signed(out, temp, request)
    finally:
        temp.unlink(missing_ok=True)
    result.signed = identity is not None
    result.held_draft = holds_draft
    result.path = out
    return result
