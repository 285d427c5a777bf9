"""PAdES signatures: checked by pyHanko's validation and by poppler's pdfsig with an NSS
database made by certutil; any change after signing is caught by both."""

from __future__ import annotations

import datetime as dt

import pytest

from vsm_desktop.pdf import export, signing
from vsm_desktop.pdf.verify import INVALID, OK, UNTRUSTED, verify_pdf

from pdf_support import LocalTSA, full_review, needs_nss, needs_poppler, nss_trusting, page_texts, pdfsig

pytestmark = [needs_poppler, needs_nss]
NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


@pytest.fixture
def signed(store, tmp_path):
    review = full_review(store)
    out = tmp_path / "signed.pdf"
    result = export.export_review(store, review, out, "en", now=NOW)   # finalised: signed by default
    assert result.signed and not result.draft
    root = tmp_path / "root.pem"
    root.write_bytes(signing.load_identity(store).root_pem)
    return out, root


def test_the_key_lives_inside_the_encrypted_store(store, store_path):
    first = signing.signing_identity(store)
    assert signing.signing_identity(store) == first              # made once, then reused
    assert first.self_issued and first.signer_name == "Test Author"
    meta = dict(store.conn.execute("SELECT key, value FROM meta"))
    assert meta["signing_key_pem"].startswith("-----BEGIN PRIVATE KEY-----")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = store_path.read_bytes()
    assert b"PRIVATE KEY" not in raw and b"BEGIN CERTIFICATE" not in raw


def test_signed_pep_is_valid_unmodified_and_trusted_with_its_root(signed, tmp_path):
    out, root = signed
    texts = " ".join(page_texts(out))
    assert "Signed electronically" in texts and "Signed by: Test Author" in texts
    assert "not yet issued by the local authority" in texts
    # pyHanko
    untrusted = verify_pdf(out)
    assert untrusted.exit_code == UNTRUSTED
    report = untrusted.signatures[0]
    assert report.intact and report.unmodified and report.covers_file and report.self_issued
    assert report.signing_time == NOW
    assert verify_pdf(out, [root]).exit_code == OK
    # poppler, with and without the root in its NSS database
    plain = pdfsig(out, nss_trusting(tmp_path / "nss-empty", None))
    assert "Signature is Valid" in plain and "Total document signed" in plain
    assert "Certificate is Trusted" not in plain
    trusted = pdfsig(out, nss_trusting(tmp_path / "nss", root.read_bytes()))
    assert "Signature is Valid" in trusted and "Certificate is Trusted" in trusted
    assert "ETSI.CAdES.detached" in trusted


def test_signature_widget_sits_on_the_visible_block(signed):
    from pypdf import PdfReader

    out, _root = signed
    reader = PdfReader(out)
    fields = reader.trailer["/Root"]["/AcroForm"]["/Fields"]
    widget = fields[0].get_object()
    rect = [float(v) for v in widget["/Rect"]]
    assert rect[2] - rect[0] > 100 and rect[3] - rect[1] > 40
    page = next(i for i, p in enumerate(reader.pages) if any(a.get_object() == widget for a in p.get("/Annots", [])))
    assert "Signed electronically" in page_texts(out)[page]


def test_one_changed_byte_in_the_signed_content_is_caught(signed, tmp_path):
    out, root = signed
    data = bytearray(out.read_bytes())
    at = data.index(b"/Title") + 8                  # inside the signed range, in a string of the Info dict
    data[at] = ord("X") if data[at] != ord("X") else ord("Y")
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    verdict = verify_pdf(tampered, [root])
    assert verdict.exit_code == INVALID
    assert not verdict.signatures[0].intact
    assert "Digest Mismatch" in pdfsig(tampered, nss_trusting(tmp_path / "nss", root.read_bytes()))


def test_an_incremental_update_that_alters_a_page_is_caught(signed, tmp_path):
    from pypdf import PdfWriter
    from pypdf.generic import ContentStream, DecodedStreamObject, NameObject

    out, root = signed
    writer = PdfWriter(str(out), incremental=True)
    page = writer.pages[0]
    extra = DecodedStreamObject()
    extra.set_data(b"q 1 0 0 rg 100 100 200 50 re f Q")
    contents = page.get_contents()
    combined = ContentStream(None, writer)
    combined.set_data(contents.get_data() + b"\n" + extra.get_data())
    page[NameObject("/Contents")] = writer._add_object(combined)
    altered = tmp_path / "altered.pdf"
    with altered.open("wb") as f:
        writer.write(f)
    assert altered.read_bytes().startswith(out.read_bytes())   # the signed bytes are untouched
    verdict = verify_pdf(altered, [root])
    assert verdict.exit_code == INVALID
    report = verdict.signatures[0]
    assert report.intact and not report.unmodified
    result = pdfsig(altered, nss_trusting(tmp_path / "nss", root.read_bytes()))
    assert "Not total document signed" in result


def test_b_t_timestamp_from_a_local_authority(store, tmp_path):
    review = full_review(store)
    out = tmp_path / "timestamped.pdf"
    with LocalTSA() as tsa:
        result = export.export_review(store, review, out, "en", tsa_url=tsa.url, now=NOW)
        assert tsa.requests >= 1
    assert result.timestamped
    root = tmp_path / "root.pem"
    root.write_bytes(signing.load_identity(store).root_pem)
    tsa_root = tmp_path / "tsa.pem"
    tsa_root.write_bytes(tsa.root_pem)
    verdict = verify_pdf(out, [root, tsa_root])
    assert verdict.exit_code == OK
    report = verdict.signatures[0]
    assert report.timestamp_ok and report.timestamp_time is not None
    # Without the timestamp authority's root, the timestamp is not trusted.
    assert verify_pdf(out, [root]).exit_code == UNTRUSTED
    assert "Signature is Valid" in pdfsig(out)


def test_an_unreachable_timestamp_authority_writes_nothing(store, tmp_path):
    review = full_review(store)
    out = tmp_path / "never.pdf"
    with pytest.raises(signing.SigningError):
        export.export_review(store, review, out, "en", tsa_url="http://127.0.0.1:9/tsa", now=NOW)
    assert not out.exists() and list(tmp_path.glob(".never*")) == []


def test_authority_issued_certificate_is_used_as_it_is(store, tmp_path):
    """After enrolment (the sync work writes these keys), the authority's certificate signs."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Cyngor Gwynedd CA")])
    start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1)
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(1).not_valid_before(start).not_valid_after(start + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "device-1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(2).not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=30))
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    with store.transaction():
        store.conn.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", [
            ("signing_key_pem", key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()).decode()),
            ("signing_cert_pem", cert.public_bytes(pem).decode()),
            ("authority_ca_pem", ca.public_bytes(pem).decode()),
        ])
    identity = signing.signing_identity(store)
    assert not identity.self_issued and identity.root_pem == ca.public_bytes(pem)
    out = tmp_path / "authority.pdf"
    export.export_review(store, full_review(store), out, "en", now=NOW)
    root = tmp_path / "ca.pem"
    root.write_bytes(ca.public_bytes(pem))
    verdict = verify_pdf(out, [root])
    assert verdict.exit_code == OK and not verdict.signatures[0].self_issued
    assert "not yet issued by the local authority" not in " ".join(page_texts(out))


@pytest.mark.parametrize("sign", [True, False])
def test_the_pdf_stack_loads_on_another_thread_and_pyhanko_only_to_sign(sign):
    import subprocess
    import sys

    code = ("import sys; from vsm_desktop.pdf.signing import load_in_background\n"
            f"thread = load_in_background(layout=True, sign={sign}); thread.join()\n"
            "from reportlab.pdfbase import pdfmetrics\n"
            "from vsm_desktop.pdf import fonts\n"
            "print('vsm_desktop.pdf.layout' in sys.modules, 'pyhanko.sign.signers' in sys.modules,"
            " fonts._done, type(pdfmetrics.getFont(fonts.BOLD)).__name__ == 'TTFont')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert result.stdout.split() == ["True", str(sign), "True", "True"]
