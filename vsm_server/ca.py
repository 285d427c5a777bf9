"""The authority's certificate authority: issues each user's signing certificate (for signing
PEP PDFs) from a certificate signing request made on the device, so the private key never
leaves it. Keys are ECDSA P-256 for the CA; the CA signs whatever standard key the device sent
(the desktop client sends RSA 2048, the most widely accepted for PDF signatures).
"""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

CA_YEARS = 10
USER_CERT_DAYS = 2 * 365


class CSRError(ValueError):
    pass


def create_ca(authority_name: str) -> tuple[str, str]:
    """(certificate PEM, private key PEM) of a new self-signed CA for the authority."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, authority_name[:64]),
        x509.NameAttribute(NameOID.COMMON_NAME, f"{authority_name[:40]} PEP signing CA"),
    ])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode("ascii")
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii"), key_pem


def issue_user_certificate(ca_cert_pem: str, ca_key_pem: str, csr_pem: str, *, username: str, role: str,
                           authority_name: str, display_name: str | None = None) -> tuple[str, str]:
    """(certificate PEM, serial as hex) for the key in `csr_pem`. The subject is the server's own
    record of the user, never what the request asked for: the person's name (a signature names a
    person, not an account), and the account as the user id."""
    try:
        csr = x509.load_pem_x509_csr(csr_pem.encode("utf-8"))
    except (ValueError, UnicodeEncodeError) as e:
        raise CSRError("csr_pem is not a PEM certificate signing request") from e
    try:
        if not csr.is_signature_valid:
            raise CSRError("the signing request's signature is not valid")
    except InvalidSignature as e:  # pragma: no cover - is_signature_valid returns False instead
        raise CSRError("the signing request's signature is not valid") from e
    except Exception as e:
        raise CSRError("the signing request cannot be checked") from e
    public = csr.public_key()
    if isinstance(public, rsa.RSAPublicKey):
        if public.key_size < 2048:
            raise CSRError("the key is too small")
    elif not isinstance(public, ec.EllipticCurvePublicKey):
        raise CSRError("the key must be RSA or ECDSA")
    ca_cert = x509.load_pem_x509_certificate(ca_cert_pem.encode("ascii"))
    ca_key = serialization.load_pem_private_key(ca_key_pem.encode("ascii"), password=None)
    now = dt.datetime.now(dt.timezone.utc)
    serial = x509.random_serial_number()
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, authority_name[:64]),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, role),
            x509.NameAttribute(NameOID.COMMON_NAME, (display_name or username)[:64]),
            x509.NameAttribute(NameOID.USER_ID, username[:64]),
        ]))
        .issuer_name(ca_cert.subject).public_key(public)
        .serial_number(serial)
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(min(now + dt.timedelta(days=USER_CERT_DAYS), ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii"), format(serial, "x")
