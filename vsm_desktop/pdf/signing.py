"""PAdES signatures (pyHanko) with the profile's own key, kept inside the encrypted store.

Until enrolment with the authority provides a certificate (the sync work), each profile
makes its own: a small root ("VSM Desktop profile root") that issues one signing
certificate, both generated with `cryptography` on first use. The signing key and both
certificates are kept in the store's `meta` table, so they are as safe as the record itself;
the root's private key is thrown away once it has issued the signing certificate. Every
certificate says in its subject that it is self-issued, and the PDF and `verify` say so too.

Signatures are PAdES B-B, or B-T when a timestamp authority (RFC 3161) is configured. The
document is certified (DocMDP: no changes allowed), so any later change is visible to every
validator. Signing needs no network unless a timestamp authority is used.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..i18n import _

META_KEY = "signing_key_pem"
META_CERT = "signing_cert_pem"
META_ROOT = "signing_root_cert_pem"
META_AUTHORITY_ROOT = "authority_ca_pem"   # written at enrolment (vsm_desktop.sync)
META_TSA = "timestamp_url"
ENV_TSA = "VSM_TSA_URL"
FIELD_NAME = "VSMSignature"

# Marks a certificate as made by a profile, not by a local authority (subject OU).
SELF_ISSUED_OU = "VSM Desktop profile certificate - not issued by a local authority"
ORGANISATION = "VSM Desktop (self-issued)"
LEAF_YEARS = 5
ROOT_YEARS = 20


class SigningError(Exception):
    """Signing failed (for example the timestamp authority did not answer)."""


@dataclass(frozen=True)
class Identity:
    key_pem: bytes
    cert_pem: bytes
    root_pem: bytes

    def certificate(self):
        from cryptography import x509

        return x509.load_pem_x509_certificate(self.cert_pem)

    @property
    def signer_name(self) -> str:
        from cryptography.x509.oid import NameOID

        names = self.certificate().subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return names[0].value if names else ""

    @property
    def self_issued(self) -> bool:
        return is_self_issued(self.certificate())

    @property
    def fingerprint(self) -> str:
        from cryptography.hazmat.primitives import hashes

        return self.certificate().fingerprint(hashes.SHA256()).hex(":").upper()

    @property
    def root_fingerprint(self) -> str:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes

        return x509.load_pem_x509_certificate(self.root_pem).fingerprint(hashes.SHA256()).hex(":").upper()


def is_self_issued(cert) -> bool:
    from cryptography.x509.oid import NameOID

    return any(a.value == SELF_ISSUED_OU for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME))


def _meta(store, key: str) -> str | None:
    row = store.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def timestamp_url(store=None) -> str | None:
    """The configured timestamp authority: VSM_TSA_URL, else the profile's setting."""
    url = os.environ.get(ENV_TSA, "").strip()
    if url:
        return url
    return (_meta(store, META_TSA) or None) if store is not None else None


def profile_timestamp_url(store) -> str | None:
    """The profile's own setting, whatever VSM_TSA_URL says."""
    return _meta(store, META_TSA) or None


def check_timestamp_url(url: str) -> str:
    """The URL as stored, or a UsageError saying what is wrong with it."""
    from urllib.parse import urlsplit

    from ..errors import UsageError

    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(_("{url} is not a web address: a timestamp authority's address starts with "
                           "https:// or http://.").format(url=url))
    return url


def set_timestamp_url(store, url: str | None) -> None:
    """Sets (or with None, clears) the profile's timestamp authority (RFC 3161)."""
    url = check_timestamp_url(url) if url and url.strip() else None
    with store.transaction():
        if url:
            store.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (META_TSA, url))
        else:
            store.conn.execute("DELETE FROM meta WHERE key = ?", (META_TSA,))


def load_identity(store) -> Identity | None:
    """The profile's key and certificate. After enrolment (the sync work) they are the
    authority's (`authority_ca_pem` is then the root); before it, the profile's own."""
    key, cert = _meta(store, META_KEY), _meta(store, META_CERT)
    if not (key and cert):
        return None
    from cryptography import x509

    try:
        own = is_self_issued(x509.load_pem_x509_certificate(cert.encode("ascii")))
    except ValueError:
        return None
    root = _meta(store, META_ROOT if own else META_AUTHORITY_ROOT)
    if not root:
        return None
    return Identity(key.encode("ascii"), cert.encode("ascii"), root.encode("ascii"))


def signing_identity(store, now: dt.datetime | None = None) -> Identity:
    """The profile's signing identity. An authority-issued one is used as it is; the profile's
    own is made on first use, and made again when it is about to expire."""
    now = now or dt.datetime.now(dt.timezone.utc)
    identity = load_identity(store)
    if identity is not None:
        if not identity.self_issued:
            return identity
        # Made again when the person's name changed: the certificate's subject names them.
        if (identity.certificate().not_valid_after_utc > now + dt.timedelta(days=1)
                and (not store.author or identity.signer_name == store.author[:64])):
            return identity
    identity = make_identity(_signer(store), store.device_id, now)
    with store.transaction():
        store.conn.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", [
            (META_KEY, identity.key_pem.decode("ascii")),
            (META_CERT, identity.cert_pem.decode("ascii")),
            (META_ROOT, identity.root_pem.decode("ascii")),
        ])
    return identity


def _signer(store) -> str:
    return store.author or _("VSM Desktop user")


def make_identity(signer: str, device_id: str, now: dt.datetime) -> Identity:
    """A root and a signing certificate it issued (ECDSA P-256, SHA-256)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    start = now - dt.timedelta(hours=1)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, f"VSM Desktop profile root {device_id}"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, SELF_ISSUED_OU),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"),
    ])
    root_ski = x509.SubjectKeyIdentifier.from_public_key(root_key.public_key())
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name).issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(start + dt.timedelta(days=365 * ROOT_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(root_ski, critical=False)
        .sign(root_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, signer[:64] or "VSM Desktop"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, SELF_ISSUED_OU),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"),
    ])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(root_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(start + dt.timedelta(days=365 * LEAF_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(root_ski), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    return Identity(
        key_pem=key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
        cert_pem=cert.public_bytes(pem),
        root_pem=root.public_bytes(pem),
    )


@dataclass
class SignRequest:
    identity: Identity
    when: dt.datetime                       # shown in the visible block, and the signature's time
    signer_name: str
    reason: str = ""
    location: str = ""
    widget: tuple[int, tuple[float, float, float, float]] | None = None   # (page index, box)
    tsa_url: str | None = None


def load_in_background(layout: bool = False, sign: bool = True):
    """Starts importing what signing uses on another thread, and returns the thread: pyHanko takes
    about half a second to import (a third of it its HTTP client for timestamps, which pyHanko
    imports whether or not one is used). With `layout`, reportlab, our layout and the fonts first
    (and pyHanko only if `sign`).
    Started before the key derivation (which leaves the interpreter free) or a pack's layout (when
    the pack's process mostly waits for its workers), it is then paid for by time already spent.
    A failure here is ignored: the same import fails again, with its message, where it is used."""
    import threading

    def load() -> None:
        try:
            if layout:
                from . import document, fonts, layout as _layout  # noqa: F401
                fonts.register()
            if not sign:
                return
            import asn1crypto.keys  # noqa: F401
            import asn1crypto.pem  # noqa: F401
            import asn1crypto.x509  # noqa: F401
            import pyhanko.pdf_utils.incremental_writer  # noqa: F401
            import pyhanko.sign.signers  # noqa: F401
            import pyhanko.stamp  # noqa: F401
            import pyhanko_certvalidator.registry  # noqa: F401
        except Exception:  # noqa: BLE001 - said where the module is used
            pass

    thread = threading.Thread(target=load, name="pdf-imports", daemon=True)
    thread.start()
    return thread


def sign_file(source: Path, destination: BinaryIO, request: SignRequest) -> None:
    """Signs the PDF at `source` into `destination` as an incremental update."""
    import asyncio

    from asn1crypto import keys as asn1_keys
    from asn1crypto import pem as asn1_pem
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
    from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError
    from pyhanko.stamp import StaticStampStyle
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    def der(pem_bytes: bytes) -> bytes:
        return asn1_pem.unarmor(pem_bytes)[2]

    cert = asn1_x509.Certificate.load(der(request.identity.cert_pem))
    root = asn1_x509.Certificate.load(der(request.identity.root_pem))
    key = asn1_keys.PrivateKeyInfo.load(der(request.identity.key_pem))
    signer = signers.SimpleSigner(signing_cert=cert, signing_key=key,
                                  cert_registry=SimpleCertificateStore.from_certs([cert, root]))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256",
        reason=request.reason or None, location=request.location or None, name=request.signer_name or None,
        certify=True, docmdp_permissions=MDPPerm.NO_CHANGES,
    )
    spec = None
    if request.widget is not None:
        page, box = request.widget
        spec = fields.SigFieldSpec(FIELD_NAME, on_page=page, box=tuple(round(v, 2) for v in box))
    else:
        spec = fields.SigFieldSpec(FIELD_NAME)
    timestamper = HTTPTimeStamper(request.tsa_url, timeout=10) if request.tsa_url else None
    # The block on the page is the appearance: the widget itself draws nothing over it.
    style = StaticStampStyle(border_width=0, background=None)
    pdf_signer = _timed_signer(meta, signer, request.when, timestamper=timestamper, stamp_style=style,
                              new_field_spec=spec)
    with open(source, "rb") as inf:
        writer = IncrementalPdfFileWriter(inf, strict=False)
        try:
            asyncio.run(pdf_signer.async_sign_pdf(writer, output=destination))
        except TimestampRequestError as e:
            raise SigningError(_("The timestamp authority at {url} did not answer: {reason}").format(
                url=request.tsa_url, reason=e)) from None
        except OSError as e:
            if request.tsa_url and not isinstance(e, FileNotFoundError):
                raise SigningError(_("The timestamp authority at {url} did not answer: {reason}").format(
                    url=request.tsa_url, reason=e)) from None
            raise


def _timed_signer(meta, signer, when: dt.datetime, **kw):
    """A pyHanko PdfSigner that signs with the time already printed in the visible block."""
    from pyhanko.sign.signers import PdfSigner

    class TimedSigner(PdfSigner):
        def init_signing_session(self, pdf_out, existing_fields_only=False):
            session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
            session.system_time = when
            return session

    return TimedSigner(meta, signer, **kw)


def write_signed(out_path: Path, unsigned: Path, request: SignRequest | None) -> None:
    """Writes the final file atomically (temp file, fsync, rename), signed if asked."""
    from ..files import atomic_file

    with atomic_file(out_path, "wb") as out:
        if request is None:
            with open(unsigned, "rb") as src:
                while chunk := src.read(1 << 20):
                    out.write(chunk)
        else:
            sign_file(unsigned, out, request)
