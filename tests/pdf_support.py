"""Helpers of the PDF tests: a full PEP review, tools we did not write (poppler, NSS), and a
real RFC 3161 timestamp authority on loopback."""

from __future__ import annotations

import base64
import datetime as dt
import shutil
import subprocess
import threading
import zlib
import struct
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import add_learner, add_review

WELSH_VOICE = "Rwy'n dda am nofio ac am ganu yn yr Eisteddfod: ŵ ŷ â ê î ô û ẁ ẃ ẅ ỳ ï ë ŵyr ŷd."
WELSH_TARGET = "Dal bws gyda’r staff i’r siop a thalu am ginio (Llŷr a Siôn yn helpu)."
ENGLISH_VIEWS = "She has settled well with her foster carer and reads every night before bed."

needs_poppler = pytest.mark.skipif(shutil.which("pdfsig") is None or shutil.which("pdftotext") is None,
                                   reason="poppler-utils is not installed (see .ci/run)")
needs_nss = pytest.mark.skipif(shutil.which("certutil") is None, reason="libnss3-tools is not installed (see .ci/run)")


def png_signature() -> str:
    """A small drawn signature: a PNG written by hand (zlib + the PNG chunks), base64."""
    width, height = 120, 40
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            on = abs((y - 20) - int(12 * __import__("math").sin(x / 9))) < 2
            row += bytes([10, 20, 90, 255] if on else [255, 255, 255, 0])
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b"")
    return base64.b64encode(png).decode("ascii")


def full_review(store, *, reference: str = "L000001", finalise: bool = True, targets: int = 3,
                surname: str = "Prosser", forename: str = "Siân", previous: bool = True, **learner) -> str:
    """A learner with a finalised earlier review and a full current one; returns the review id."""
    learner_id = add_learner(store, reference, legal_surname=surname, legal_forename=forename,
                             preferred_name=learner.pop("preferred_name", "Sî"), responsible_authority="Cyngor Gwynedd",
                             gender="female", first_language="cy", preferred_language="cy",
                             language_of_learning="welsh_medium", **learner)
    school = store.create("schools", {"name": "Ysgol Gyfun Llŷn", "medium": "welsh_medium", "kind": "secondary",
                                      "local_authority": "Gwynedd"})
    store.create("enrolments", {"learner_id": learner_id, "school_id": school, "start_date": "2024-09-01"})
    store.create("placements", {"learner_id": learner_id, "placement_type": "foster", "placing_area": "in_county",
                                "start_date": "2024-02-01"})
    for role, name in (("social_worker", "Dafydd ap Siôn"), ("designated_person", "Gwenllian Ŵyn"),
                       ("carer", "Mair Ellis")):
        store.create("contacts", {"learner_id": learner_id, "role": role, "name": name,
                                  "organisation": "Cyngor Gwynedd", "phone": "01286 123456"})
    if previous:
        first = add_review(store, learner_id, period_start="2026-04-13", period_end="2026-07-20",
                           due_date="2026-07-20", meeting_date="2026-07-01")
        store.create("targets", {"review_id": first, "position": 0, "description": "Darllen bob nos gyda’r gofalwr.",
                                 "description_lang": "cy"})
        store.finalise_review(first, dt.datetime(2026, 7, 1, 15, tzinfo=dt.timezone.utc))
    review = add_review(
        store, learner_id, meeting_date="2026-11-20", meeting_place="Ysgol Gyfun Llŷn", meeting_language="cy",
        next_review_date="2027-03-10", attendance_pct=92.5, authorised_absence_pct=5.0, unauthorised_absence_pct=2.5,
        voice_good_at=WELSH_VOICE, voice_good_at_lang="cy", voice_worries="Symud ysgol eto.", voice_worries_lang="cy",
        voice_future="Milfeddyg", voice_future_lang="cy", carer_views=ENGLISH_VIEWS, carer_views_lang="en",
        progress_summary="Mae Siân wedi gwneud cynnydd da mewn Mathemateg.", progress_summary_lang="cy",
        sdq_score=14, transition="Symud i Flwyddyn 10 ym mis Medi.", transition_lang="cy",
    )
    for t in store.children("targets", review):  # carried forward from the earlier review
        store.update("targets", t["id"], {"progress": "achieved"})
    for i in range(targets):
        store.create("targets", {"review_id": review, "position": i + 1, "description": f"{WELSH_TARGET} ({i + 1})",
                                 "description_lang": "cy", "support": "Mentor ddwywaith yr wythnos", "support_lang": "cy",
                                 "responsible": "Gwenllian Ŵyn", "due_date": "2027-02-01", "pdg_funded": True})
    store.create("actions", {"review_id": review, "description": "Trefnu cyfarfod gyda’r CADY", "description_lang": "cy",
                             "owner": "Gwenllian Ŵyn", "due_date": "2026-12-01"})
    store.create("exclusions", {"review_id": review, "kind": "fixed_term", "start_date": "2026-10-01", "days": 1.5,
                                "reason": "Ymladd ar yr iard", "reason_lang": "cy"})
    store.create("interventions", {"review_id": review, "kind": "tutoring", "provider": "Tiwtor Cyf",
                                   "start_date": "2026-09-10", "cost_pence": 45000, "funding": "pdg_cla",
                                   "outcome": "Gwell hyder", "outcome_lang": "cy"})
    store.create("attendees", {"review_id": review, "name": "Gwenllian Ŵyn", "role": "designated_person",
                               "attendance": "present", "agreed": True, "signed_at": "2026-11-20T15:00:00+00:00",
                               "signature_png": png_signature()})
    store.create("attendees", {"review_id": review, "name": "Siân Prosser", "role": "learner",
                               "attendance": "present", "agreed": True})
    if finalise:
        store.finalise_review(review, dt.datetime(2026, 11, 20, 16, tzinfo=dt.timezone.utc))
    return review


# --- reading PDFs back ----------------------------------------------------------------------

def page_texts(path: Path) -> list[str]:
    """The text of each page, by poppler (fast, and not ours)."""
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = text.split("\f")
    return [flat(p) for p in (pages[:-1] if pages and not pages[-1].strip() else pages)]


def flat(text: str) -> str:
    """Whitespace (line ends of wrapped cells included) as single spaces."""
    return " ".join(text.split())


def pdfsig(path: Path, nss_dir: Path | None = None) -> str:
    args = ["pdfsig"] + (["-nssdir", f"sql:{nss_dir}"] if nss_dir else []) + [str(path)]
    result = subprocess.run(args, capture_output=True, text=True)
    return result.stdout + result.stderr


def nss_trusting(folder: Path, root_pem: bytes | None) -> Path:
    """A throwaway NSS database (certutil), trusting `root_pem` if given."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["certutil", "-N", "-d", f"sql:{folder}", "--empty-password"], check=True, capture_output=True)
    if root_pem:
        cert = folder / "root.pem"
        cert.write_bytes(root_pem)
        subprocess.run(["certutil", "-A", "-d", f"sql:{folder}", "-n", "vsm-root", "-t", "C,C,C", "-i", str(cert)],
                       check=True, capture_output=True)
    return folder


# --- a timestamp authority on loopback ------------------------------------------------------

class LocalTSA:
    """An RFC 3161 timestamp authority over HTTP on 127.0.0.1, signing with pyHanko's test
    timestamper and its own root; `root_pem` is that root."""

    def __init__(self):
        from asn1crypto import keys as asn1_keys
        from asn1crypto import x509 as asn1_x509
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
        from pyhanko.sign.timestamps import DummyTimeStamper

        now = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)
        root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA root")])
        root = (x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
                .public_key(root_key.public_key()).serial_number(1).not_valid_before(now)
                .not_valid_after(now + dt.timedelta(days=30))
                .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                .sign(root_key, hashes.SHA256()))
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")]))
                .issuer_name(root_name).public_key(key.public_key()).serial_number(2).not_valid_before(now)
                .not_valid_after(now + dt.timedelta(days=30))
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
                .sign(root_key, hashes.SHA256()))
        self.root_pem = root.public_bytes(serialization.Encoding.PEM)
        der = serialization.Encoding.DER
        self.stamper = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(cert.public_bytes(der)),
            tsa_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(der, serialization.PrivateFormat.PKCS8,
                                                                    serialization.NoEncryption())),
            certs_to_embed=[asn1_x509.Certificate.load(root.public_bytes(der))],
        )
        self.requests = 0
        tsa = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                from asn1crypto import tsp

                body = self.rfile.read(int(self.headers["Content-Length"]))
                answer = tsa.stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                tsa.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tsa"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
