"""Checks the signatures of a PDF: intact, unmodified since signing, and trusted.

Uses pyHanko's validation, offline: the trust roots are only those given (`--trust`), never
the operating system's, and nothing is fetched. A signature is good only if its bytes are
intact, it covers the whole file (or only signature-related updates follow it), and its
certificate chains to a trusted root. `Verdict.exit_code` is what `vsm-desktop verify`
returns: 0 intact and trusted, 1 invalid or modified (or no signature), 2 intact but not
trusted.
"""

from __future__ import annotations

import datetime as dt
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError, describe_os_error
from ..i18n import N_, _

OK, INVALID, UNTRUSTED = 0, 1, 2


@dataclass
class SignatureReport:
    field: str
    signer: str = ""
    subject: str = ""
    reason: str = ""
    signing_time: dt.datetime | None = None
    timestamp_time: dt.datetime | None = None
    timestamp_ok: bool | None = None         # None: no timestamp
    intact: bool = False
    covers_file: bool = False
    unmodified: bool = False
    trusted: bool = False
    self_issued: bool = False
    # (message id, values): said in the language of the moment, so a verdict shown again after
    # the language changes is said wholly in the new one.
    problems: list[tuple[str, dict]] = field(default_factory=list)

    def problem_texts(self) -> list[str]:
        return [_(message).format(**values) for message, values in self.problems]

    @property
    def exit_code(self) -> int:
        if not (self.intact and self.unmodified) or self.timestamp_ok is False:
            return INVALID
        if not self.trusted:
            return UNTRUSTED
        return OK


@dataclass
class Verdict:
    path: Path
    signatures: list[SignatureReport]
    problem: str | None = None               # the file could not be read as a PDF

    @property
    def exit_code(self) -> int:
        if self.problem or not self.signatures:
            return INVALID
        return max(s.exit_code for s in self.signatures)


def describe(verdict: Verdict, untrusted_hint: str) -> tuple[list[str], str]:
    """The verdict in sentences (for `verify` and the app's dialog): a line per fact of each
    signature, and the verdict itself. `untrusted_hint` says how to give a trusted root there."""
    from .. import i18n

    lines: list[str] = []
    if verdict.problem:
        lines.append(verdict.problem)
    elif not verdict.signatures:
        lines.append(_("The file has no signature."))
    for s in verdict.signatures:
        lines.append(_("Signed by: {signer}").format(signer=s.signer or "—"))
        if s.reason:
            lines.append(_("Reason: {reason}").format(reason=s.reason))
        if s.signing_time:
            lines.append(_("Signing time: {time}").format(time=i18n.format_datetime(s.signing_time, "long")))
        if s.timestamp_time:
            lines.append(_("Timestamp: {time}").format(time=i18n.format_datetime(s.timestamp_time, "long")))
        if not s.intact:
            lines.append(_("Intact: no. The signed content has been changed, or the signature is damaged."))
        elif not s.unmodified:
            lines.append(_("Intact: the signed part is, but the file has been changed after it was signed."))
        else:
            lines.append(_("Intact: yes, unchanged since it was signed."))
        if s.trusted:
            lines.append(_("Certificate: trusted (it chains to a root you trust)."))
        else:
            lines.append(untrusted_hint)
        if s.self_issued:
            lines.append(_("The certificate was issued by a VSM Desktop profile itself, not yet by a local authority."))
        lines.extend(s.problem_texts())
    verdicts = {OK: _("Verdict: the signature is valid and trusted."),
                INVALID: _("Verdict: not valid."),
                UNTRUSTED: _("Verdict: intact, but not trusted.")}
    return lines, verdicts[verdict.exit_code]


def load_trust_roots(paths: list[str | Path]) -> list:
    """Certificates (PEM or DER; a PEM file may hold several) to trust as roots."""
    from asn1crypto import pem as asn1_pem
    from asn1crypto import x509 as asn1_x509

    roots = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as e:
            raise UsageError(_("Cannot read {path}: {reason}").format(path=path, reason=describe_os_error(e))) from None
        try:
            if asn1_pem.detect(data):
                found = [asn1_x509.Certificate.load(der) for _type, _headers, der in asn1_pem.unarmor(data, multiple=True)]
            else:
                found = [asn1_x509.Certificate.load(data)]
            for cert in found:
                cert.native  # parse now, so a bad file is reported here
        except Exception:
            raise UsageError(_("{path} is not a certificate (PEM or DER).").format(path=path)) from None
        roots.extend(found)
    return roots


def verify_pdf(path: str | Path, trust: list[str | Path] = ()) -> Verdict:
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    path = Path(path)
    roots = load_trust_roots(list(trust))
    try:
        handle = path.open("rb")
    except OSError as e:
        raise UsageError(_("Cannot read {path}: {reason}").format(path=path, reason=describe_os_error(e))) from None
    with handle, _quiet_pyhanko():
        try:
            reader = PdfFileReader(handle, strict=False)
            embedded = list(reader.embedded_regular_signatures)
        except (PdfReadError, ValueError, KeyError, TypeError, IndexError, AttributeError) as e:
            return Verdict(path, [], problem=_("The file is damaged or is not a PDF ({detail}).").format(detail=type(e).__name__))
        reports = [_check(sig, roots) for sig in embedded]
    return Verdict(path, reports)


@contextmanager
def _quiet_pyhanko():
    """pyHanko logs an untrusted path as a warning with the signer's name and a traceback; our
    logs carry no names, and the verdict already says it."""
    loggers = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


def _check(sig, roots) -> SignatureReport:
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    from .signing import SELF_ISSUED_OU

    report = SignatureReport(field=sig.field_name or "")
    sig_dict = sig.sig_object
    report.reason = str(sig_dict.get("/Reason", "")) if sig_dict is not None else ""
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(sig, signer_validation_context=context, ts_validation_context=context)
    except (SignatureValidationError, ValueError, KeyError, TypeError) as e:
        report.problems.append((N_("The signature cannot be checked: {detail}"), {"detail": str(e) or type(e).__name__}))
        return report
    cert = status.signing_cert
    report.subject = cert.subject.human_friendly
    report.signer = cert.subject.native.get("common_name", "") or report.subject
    units = cert.subject.native.get("organizational_unit_name", "")
    units = units if isinstance(units, list) else [units]
    report.self_issued = SELF_ISSUED_OU in units
    report.signing_time = status.signer_reported_dt
    report.intact = bool(status.intact and status.valid)
    report.covers_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    level = status.modification_level
    report.unmodified = report.covers_file or (
        level is not None and level <= ModificationLevel.LTA_UPDATES and status.docmdp_ok is not False)
    report.trusted = bool(status.trusted)
    if status.timestamp_validity is not None:
        ts = status.timestamp_validity
        report.timestamp_time = ts.timestamp
        report.timestamp_ok = bool(ts.intact and ts.valid)
        if report.timestamp_ok and not ts.trusted:
            report.trusted = False
            report.problems.append((N_("The timestamp authority's certificate is not trusted."), {}))
    if not report.intact:
        report.problems.append((N_("The signed content has been changed, or the signature is damaged."), {}))
    elif not report.unmodified:
        report.problems.append((N_("The file has been changed after it was signed."), {}))
    if report.timestamp_ok is False:
        report.problems.append((N_("The timestamp is not valid."), {}))
    return report
