"""Command-line commands for PDFs: export-pdf, pack, verify, export-cert.

Registered through `vsm_desktop.cli.COMMAND_MODULES`. reportlab and pyHanko are imported
only when one of these commands runs.

`verify` exits 0 for an intact signature from a trusted certificate, 1 for an invalid or
modified file (or one with no signature), 2 for an intact signature that is not trusted
(and, as everywhere, 2 for a usage error such as a missing file).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys

from .. import i18n
from ..errors import UsageError
from ..files import NOT_ENCRYPTED
from ..i18n import _, ngettext



def _open_store(args):
    from ..cli import open_store

    return open_store(args)


def _open_store_loading(args, sign: bool = True):
    """The store and its passphrase, opened while another thread imports the PDF stack
    (signing.load_in_background): the key derivation leaves the interpreter free for it. The
    thread has finished when this returns, so the two never import the same module at once."""
    from ..cli import open_store_keyed
    from ..store import store as _store  # noqa: F401  (the store's own modules, before the thread starts)
    from .signing import load_in_background

    loading = load_in_background(layout=True, sign=sign)
    opened = open_store_keyed(args)   # a wrong passphrase says so at once; the thread ends on its own
    loading.join()
    return opened


def _mode(args) -> str:
    return args.pdf_lang or i18n.current_language()


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(_("{value} is not a date (expected YYYY-MM-DD).").format(value=text)) from None


def cmd_export_pdf(args) -> int:
    from .document import resolve_review
    from .export import export_review
    from .signing import SigningError

    store, _secret = _open_store_loading(args, sign=args.sign is not False)
    with store:
        review_id = resolve_review(store, args.review)
        try:
            result = export_review(store, review_id, args.out, _mode(args), sign=args.sign, role=args.role,
                                   tsa_url=args.tsa_url, my_pep=args.my_pep,
                                   with_attachments=args.with_attachments)
        except SigningError as e:
            raise UsageError(str(e)) from None
    pages = ngettext("{n} page", "{n} pages", result.pages).format(n=i18n.format_number(result.pages))
    print(_("Wrote {path} ({pages}).").format(path=result.path, pages=pages))
    if result.draft:
        print(_("This review is a draft: the PDF is marked DRAFT and is not signed."))
    elif result.signed:
        print(_("Signed with this profile's own certificate (not yet issued by the local authority)."))
        if result.timestamped:
            print(_("The signature carries a timestamp from the timestamp authority."))
    print(_(NOT_ENCRYPTED))
    return 0


class _ProgressBar:
    """A one-line progress bar on a terminal (stderr); silent otherwise."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.active = self.stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.active:
            return
        width = 30
        filled = width * done // total if total else width
        text = _("Learners: {done} of {total}").format(done=done, total=total)
        print(f"\r[{'#' * filled}{'.' * (width - filled)}] {text}", end="", file=self.stream, flush=True)

    def close(self) -> None:
        if self.active:
            print(file=self.stream)


def cmd_pack(args) -> int:
    from .export import export_pack
    from .pack import PackFilter
    from .signing import SigningError

    learners = [k.strip() for k in args.learners.split(",") if k.strip()] if args.learners else None
    flt = PackFilter(learners=learners, school=args.school,
                     due_before=_date(args.due_before) if args.due_before else None,
                     due_after=_date(args.due_after) if args.due_after else None,
                     out_of_county=args.out_of_county, rating=args.rating)
    bar = _ProgressBar()
    # pyHanko is imported while the learners are laid out (export_pack), not before.
    store, secret = _open_store_loading(args, sign=False)
    with store:
        try:
            # With the passphrase, worker processes lay the learners out on every core.
            result = export_pack(store, args.out, flt, _mode(args), drafts=args.drafts, sign=not args.no_sign,
                                 role=args.role, tsa_url=args.tsa_url, authority=args.authority or "",
                                 progress=bar, with_attachments=args.with_attachments, passphrase=secret)
        except SigningError as e:
            raise UsageError(str(e)) from None
        finally:
            bar.close()
    learners_text = ngettext("{n} learner", "{n} learners", result.included).format(n=i18n.format_number(result.included))
    pages = ngettext("{n} page", "{n} pages", result.pages).format(n=i18n.format_number(result.pages))
    print(_("Wrote {path}: {learners}, {pages}.").format(path=result.path, learners=learners_text, pages=pages))
    missing = result.learners - result.included
    if missing:
        print(ngettext("{n} learner has no finalised PEP review; the contents lists them.",
                       "{n} learners have no finalised PEP review; the contents lists them.", missing).format(n=i18n.format_number(missing)))
    if result.held_draft:
        print(_("The pack holds drafts, so it is not signed."))
    elif result.signed:
        print(_("Signed with this profile's own certificate (not yet issued by the local authority)."))
    print(_(NOT_ENCRYPTED))
    return 0


def cmd_verify(args) -> int:
    from .verify import describe, verify_pdf

    verdict = verify_pdf(args.file, args.trust or [])
    if args.json:
        json.dump({
            "file": str(verdict.path), "exit_code": verdict.exit_code, "problem": verdict.problem,
            "signatures": [{
                "field": s.field, "signer": s.signer, "reason": s.reason,
                "signing_time": s.signing_time.isoformat() if s.signing_time else None,
                "timestamp_time": s.timestamp_time.isoformat() if s.timestamp_time else None,
                "intact": s.intact, "unmodified": s.unmodified, "trusted": s.trusted,
                "self_issued": s.self_issued, "problems": s.problem_texts(),
            } for s in verdict.signatures],
        }, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return verdict.exit_code
    lines, conclusion = describe(verdict, _("Certificate: not trusted. Give the issuing root certificate with --trust."))
    print(str(verdict.path))
    for line in lines:
        print("  " + line)
    print(conclusion)
    return verdict.exit_code


def cmd_export_cert(args) -> int:
    from ..files import write_atomically
    from .signing import signing_identity

    with _open_store(args) as store:
        identity = signing_identity(store)
    write_atomically(args.out, identity.root_pem.decode("ascii"))
    print(_("Wrote this profile's root certificate to {path}.").format(path=args.out))
    print(_("SHA-256 fingerprint: {fingerprint}").format(fingerprint=identity.root_fingerprint))
    print(_("Give it to “vsm-desktop verify --trust” to check PDFs signed with this profile. "
            "Compare the fingerprint with the signer before you trust it."))
    return 0


def cmd_timestamp_url(args) -> int:
    from .signing import ENV_TSA, profile_timestamp_url, set_timestamp_url

    with _open_store(args) as store:
        if args.clear:
            set_timestamp_url(store, None)
        elif args.url is not None:
            set_timestamp_url(store, args.url)
        url = profile_timestamp_url(store)
    if url:
        print(_("Signatures made with this profile are timestamped by {url}.").format(url=url))
    else:
        print(_("No timestamp authority is set: signatures carry the time of this computer's clock."))
    if os.environ.get(ENV_TSA, "").strip():
        print(_("{name} is set and is used instead of this setting.").format(name=ENV_TSA))
    return 0


def register(command) -> None:
    langs = ("cy", "en", "both")
    p = command("export-pdf", _("write a PEP review as PDF (finalised reviews are signed)"), cmd_export_pdf)
    p.add_argument("--review", required=True, metavar=_("REVIEW_ID"), help=_("the review's id (or the start of it)"))
    p.add_argument("--out", required=True, metavar=_("FILE"), help=_("where to write the PDF (not encrypted)"))
    p.add_argument("--lang", dest="pdf_lang", choices=langs,
                   help=_("language of the PDF: cy, en or both (default: the language of messages)"))
    sign = p.add_mutually_exclusive_group()
    sign.add_argument("--sign", dest="sign", action="store_true", default=None,
                      help=_("sign the PDF (the default for a finalised review)"))
    sign.add_argument("--no-sign", dest="sign", action="store_false", help=_("do not sign the PDF"))
    p.add_argument("--my-pep", action="store_true", help=_("the learner's one-page My PEP instead of the full plan"))
    p.add_argument("--role", metavar=_("TEXT"), help=_("your role, shown in the signature (default: your role among the attendees)"))
    p.add_argument("--tsa-url", metavar="URL", help=_("a timestamp authority (RFC 3161) to timestamp the signature"))
    p.add_argument("--with-attachments", action="store_true",
                   help=_("append the PDF and image attachments after the PEP, before signing"))

    p = command("pack", _("write a PEP pack: many learners' PEPs in one signed PDF"), cmd_pack)
    p.add_argument("--out", required=True, metavar=_("FILE"), help=_("where to write the PDF (not encrypted)"))
    p.add_argument("--learners", metavar="ID,…", help=_("only these learners (references or ids, separated by commas)"))
    p.add_argument("--school", metavar=_("NAME"), help=_("only learners at a school whose name contains NAME"))
    p.add_argument("--due-before", metavar=_("DATE"), help=_("only learners whose next PEP is due before DATE (YYYY-MM-DD)"))
    p.add_argument("--due-after", metavar=_("DATE"), help=_("only learners whose next PEP is due on or after DATE"))
    p.add_argument("--out-of-county", action="store_true", help=_("only learners placed out of county"))
    p.add_argument("--rating", choices=("red", "amber", "green"),
                   help=_("only learners whose latest PEP has this quality rating"))
    p.add_argument("--drafts", action="store_true",
                   help=_("use a newer draft where there is one (watermarked; the pack is then not signed)"))
    p.add_argument("--lang", dest="pdf_lang", choices=langs,
                   help=_("language of the PDF: cy, en or both (default: the language of messages)"))
    p.add_argument("--no-sign", action="store_true", help=_("do not sign the PDF"))
    p.add_argument("--role", metavar=_("TEXT"), help=_("your role, shown in the signature"))
    p.add_argument("--authority", metavar=_("NAME"), help=_("the local authority named on the cover"))
    p.add_argument("--tsa-url", metavar="URL", help=_("a timestamp authority (RFC 3161) to timestamp the signature"))
    p.add_argument("--with-attachments", action="store_true",
                   help=_("append the PDF and image attachments after the PEP, before signing"))

    p = command("verify", _("check the signature of a PDF"), cmd_verify, store=False)
    p.add_argument("file", metavar=_("FILE"), help=_("the PDF to check"))
    p.add_argument("--trust", action="append", metavar=_("CERT.pem"),
                   help=_("a root certificate to trust (PEM or DER); may be given more than once"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))

    p = command("export-cert", _("write this profile's root certificate, to trust its signed PDFs"), cmd_export_cert)
    p.add_argument("--out", required=True, metavar=_("FILE"), help=_("where to write the certificate (PEM)"))

    p = command("timestamp-url", _("show or set the timestamp authority (RFC 3161) for this profile's signatures"),
                cmd_timestamp_url)
    choice = p.add_mutually_exclusive_group()  # an address, or --clear: not both
    choice.add_argument("url", nargs="?", metavar="URL", help=_("the timestamp authority's address (https://…)"))
    choice.add_argument("--clear", action="store_true", help=_("sign without a timestamp authority"))
