"""Security of the sync server and client: tokens (none, forged, expired, revoked → 401), scope
(another school's learner → 403 and nothing changed), roles, one-time expiring enrolment codes,
forged operations, clock skew, TLS with a test CA and a wrong CA refused, no plain HTTP off
loopback."""

from __future__ import annotations

import datetime as dt
import uuid
from unittest import mock

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import update

from vsm_desktop.errors import ClockOff, NetworkError, Refused, UsageError
from vsm_desktop.store.store import Store
from vsm_desktop.sync.engine import SyncClient
from vsm_desktop.sync.transport import normalise_server_url
from vsm_server import db as sdb, service

from conftest import PASSPHRASE, add_learner
from sync_support import ThreadServer, device, sqlite_url


@pytest.fixture
def server(tmp_path):
    s = ThreadServer(sqlite_url(tmp_path / "server.db"))
    yield s
    s.stop()


def token_of(d) -> str:
    return d.store.conn.execute("SELECT value FROM meta WHERE key = 'sync_device_token'").fetchone()[0]


def post(server, path, body, token=None, **headers):
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return requests.post(server.url + path, json=body, headers=headers, timeout=10)


def head(server) -> int:
    return service.head(server.engine)


@pytest.fixture
def two_schools(tmp_path, server):
    """A coordinator's device with two schools, a learner at each, synced to the server."""
    coord = device(tmp_path, server, "cara", "coordinator")
    s = coord.store
    schools, learners = [], []
    for n, name in enumerate(("Ysgol Un", "Ysgol Dau")):
        school = s.create("schools", {"name": name})
        learner = add_learner(s, f"L00000{n}")
        s.create("enrolments", {"learner_id": learner, "school_id": school, "start_date": "2024-09-01"})
        schools.append(school)
        learners.append(learner)
    coord.sync()
    yield coord, schools, learners
    coord.close()


def test_no_forged_expired_or_revoked_token_gets_401(tmp_path, server):
    d = device(tmp_path, server, "ana", "coordinator")
    good = token_of(d)
    assert post(server, "/v1/pull", {"cursor": 0}, good).status_code == 200
    r = post(server, "/v1/pull", {"cursor": 0})
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorised"
    assert post(server, "/v1/pull", {"cursor": 0}, good[:-2] + "xx").status_code == 401
    assert post(server, "/v1/pull", {"cursor": 0}, "x" * 500).status_code == 401
    with server.engine.begin() as conn:
        conn.execute(update(sdb.devices).values(expires_at=1))
    r = post(server, "/v1/pull", {"cursor": 0}, good)
    assert r.status_code == 401 and "expired" in r.json()["error"]["message"]
    with server.engine.begin() as conn:
        conn.execute(update(sdb.devices).values(expires_at=sdb.now_ms() + 10**9))
    service.revoke(server.engine, d.store.device_id)
    r = post(server, "/v1/push", {"batch_id": uuid.uuid4().hex, "cursor": 0, "ops": []}, good)
    assert r.status_code == 401 and r.json()["error"]["code"] == "revoked"
    d.close()


def test_designated_person_cannot_pull_or_push_another_schools_learner(tmp_path, server, two_schools):
    coord, schools, learners = two_schools
    dp = device(tmp_path, server, "dafydd", "designated_person", school=schools[0])
    dp.sync()
    assert [r["id"] for r in dp.store.all_rows("learners")] == [learners[0]]
    token = token_of(dp)
    r = post(server, "/v1/pull", {"cursor": 0, "learners": [learners[1]], "until": head(server)}, token)
    assert r.status_code == 403 and r.json()["error"]["code"] == "out_of_scope"
    # A forged operation for the other school's learner: 403, naming it, and nothing changed.
    before = head(server)
    op = {"hlc": f"{sdb.now_ms():015d}-000000-{dp.store.device_id}", "entity": "learners",
          "record_id": learners[1], "learner_id": learners[1], "field": "preferred_name", "value": "Hacked",
          "prev_hlc": None, "device_id": dp.store.device_id, "author": "x"}
    r = post(server, "/v1/push", {"batch_id": uuid.uuid4().hex, "cursor": 0, "ops": [op]}, token)
    assert r.status_code == 403 and r.json()["error"]["ops"] == [op["hlc"]]
    assert head(server) == before
    with server.engine.connect() as conn:
        assert "preferred_name" not in sdb.current_values(conn, [learners[1]])[learners[1]]
    dp.close()


def test_roles_quality_ratings_and_administrators(tmp_path, server, two_schools):
    coord, schools, learners = two_schools
    review = coord.store.start_review(learners[0], {"review_type": "termly", "period_start": "2026-09-02",
                                                    "period_end": "2026-12-18", "due_date": "2026-12-18"})
    coord.sync()
    sw = device(tmp_path, server, "sioned", "social_worker")
    server.assign("sioned", learners[0])
    sw.sync()
    sw.store.create("quality_ratings", {"review_id": review, "rating": "green"})
    result = sw.sync()
    assert result.rejected == 1 and sw.client.conflicts()[0].reason == "not_permitted"
    assert sw.store.all_rows("quality_ratings") == []  # the device shows what the server has
    coord.store.create("quality_ratings", {"review_id": review, "rating": "amber"})
    assert coord.sync().rejected == 0
    admin = device(tmp_path, server, "alun", "administrator")
    admin.sync()
    assert admin.store.all_rows("learners") == []
    for d in (sw, admin):
        d.close()


def test_forged_device_and_stamp_are_rejected_per_operation(tmp_path, server):
    d = device(tmp_path, server, "ana", "coordinator")
    token = token_of(d)
    school_id = uuid.uuid4().hex
    other_device = "0123456789abcdef"
    forged = {"hlc": f"{sdb.now_ms():015d}-000000-{other_device}", "entity": "schools", "record_id": school_id,
              "learner_id": None, "field": "*", "value": {"name": "Ysgol"}, "prev_hlc": None,
              "device_id": other_device, "author": "x"}
    future = dict(forged, hlc=f"{sdb.now_ms() + 3_600_000:015d}-000000-{d.store.device_id}",
                  device_id=d.store.device_id)
    invalid = dict(forged, hlc=f"{sdb.now_ms():015d}-000001-{d.store.device_id}", device_id=d.store.device_id,
                   value={"name": "Ysgol", "medium": "klingon"})
    r = post(server, "/v1/push", {"batch_id": uuid.uuid4().hex, "cursor": 0, "ops": [forged, future, invalid]}, token)
    assert r.status_code == 200
    assert [(x["status"], x["reason"]) for x in r.json()["results"]] == [
        ("rejected", "device_mismatch"), ("rejected", "clock_ahead"), ("rejected", "invalid")]
    assert head(server) == 0
    d.close()


def test_enrolment_codes_are_single_use_and_expire(tmp_path, server):
    code = server.user("ana", "mentor")
    first = SyncClient(Store.initialise(tmp_path / "a.vsm", PASSPHRASE))
    first.enrol(server.url, code.lower().replace("-", " "))  # typed loosely still works
    second = SyncClient(Store.initialise(tmp_path / "b.vsm", PASSPHRASE))
    with pytest.raises(Refused):
        second.enrol(server.url, code)
    expired = service.enrol_code(server.engine, "ana", hours=0)
    with pytest.raises(Refused):
        second.enrol(server.url, expired)
    with pytest.raises(Refused):
        second.enrol(server.url, "AAAA-BBBB-CCCC")
    assert second.status().enrolled is False
    first.store.close()
    second.store.close()


def test_a_clock_far_off_is_refused_with_a_message_to_fix_it(tmp_path, server):
    d = device(tmp_path, server, "ana", "coordinator")
    r = post(server, "/v1/pull", {"cursor": 0}, token_of(d), **{"X-VSM-Client-Time": str(sdb.now_ms() - 600_000)})
    assert r.status_code == 400 and r.json()["error"]["code"] == "clock_skew"
    with mock.patch("vsm_desktop.sync.transport.client_time_ms", lambda: sdb.now_ms() + 10 * 60 * 1000):
        with pytest.raises(ClockOff) as e:
            d.sync()
    assert "clock" in str(e.value)
    d.close()


def test_plain_http_only_to_loopback():
    assert normalise_server_url("http://127.0.0.1:8765/") == "http://127.0.0.1:8765"
    assert normalise_server_url("http://[::1]:8765") == "http://[::1]:8765"
    assert normalise_server_url("https://vsm.example.gov.wales") == "https://vsm.example.gov.wales"
    for bad in ("http://vsm.example.gov.wales", "http://10.0.0.5:8765", "ftp://x", "vsm.example", ""):
        with pytest.raises(UsageError):
            normalise_server_url(bad)


# --- TLS ------------------------------------------------------------------------------------

def _ca(name: str):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    return key, cert


def _server_cert(ca_key, ca_cert):
    import ipaddress

    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                        x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return key, cert


def _pem(cert) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def test_tls_with_the_authoritys_ca_works_and_a_wrong_ca_is_refused(tmp_path):
    ca_key, ca_cert = _ca("Test Authority TLS CA")
    key, cert = _server_cert(ca_key, ca_cert)
    (tmp_path / "server.pem").write_text(_pem(cert))
    (tmp_path / "server.key").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                            serialization.PrivateFormat.PKCS8,
                                                            serialization.NoEncryption()))
    server = ThreadServer(sqlite_url(tmp_path / "server.db"), ssl_certfile=str(tmp_path / "server.pem"),
                          ssl_keyfile=str(tmp_path / "server.key"))
    try:
        assert server.url.startswith("https://")
        _wrong_key, wrong_ca = _ca("Somebody Else")
        code = server.user("ana", "coordinator")
        store = Store.initialise(tmp_path / "a.vsm", PASSPHRASE)
        client = SyncClient(store, timeout=10)
        with pytest.raises(NetworkError) as e:
            client.enrol(server.url, code)  # the system's trust store does not know the test CA
        assert "certificate" in str(e.value)
        with pytest.raises(NetworkError):
            client.enrol(server.url, code, ca_pem=_pem(wrong_ca))
        client.enrol(server.url, code, ca_pem=_pem(ca_cert))
        add_learner(store)
        assert client.sync().pushed > 0
        store.close()
    finally:
        server.stop()
