"""The server's HTTP API: the committed OpenAPI document is the one served; schemathesis finds no
5xx and no response outside the document; bad input gets a 4xx JSON error; logs carry no names;
the admin command line; server schema migrations on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
import uuid

import pytest
import requests
import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from hypothesis import HealthCheck, settings
from sqlalchemy import inspect, select, text

from vsm_desktop.sync import protocol as P
from vsm_server import db as sdb, openapi, service

from conftest import REPO, add_learner
from sync_support import ThreadServer, backend_url, device, sqlite_url


def _csr() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "x")])).sign(key, hashes.SHA256()))
    return csr.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """An initialised server database with one coordinator's device and a few records."""
    tmp = tmp_path_factory.mktemp("api")
    engine = sdb.make_engine(sqlite_url(tmp / "api.db"))
    service.init_authority(engine, "Cyngor Prawf")
    service.add_user(engine, "cara", "coordinator")
    service.enrol(engine, {"code": service.enrol_code(engine, "cara"), "device_id": "00000000000000aa",
                           "csr_pem": _csr()})
    with engine.begin() as conn:
        conn.execute(sdb.devices.update().values(token_hash=service._hash(TOKEN)))
    yield engine, TOKEN
    engine.dispose()


def test_the_committed_openapi_document_is_the_one_served(tmp_path):
    server = ThreadServer(sqlite_url(tmp_path / "s.db"))
    try:
        served = requests.get(server.url + "/v1/openapi.json", timeout=10).json()
    finally:
        server.stop()
    committed = json.loads(openapi.COMMITTED.read_text(encoding="utf-8"))
    assert served == committed, "run: python -m vsm_server.openapi"
    assert openapi.COMMITTED.read_text(encoding="utf-8") == openapi.text()


schema = schemathesis.openapi.from_dict(openapi.document())
TOKEN = "schemathesis-device-token-0123456789abcdef"  # given to the enrolled device below


@schema.auth()
class DeviceToken:
    """The enrolled device's token, so schemathesis reaches past authentication (it still tries
    requests without it, and checks they get 401)."""

    def get(self, case, context):
        return TOKEN

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}
        # The device's clock: the right time unless schemathesis made one up (then mostly far off,
        # so the clock check answers 400 clock_skew, which the document must declare).
        case.headers.setdefault(P.HEADER_CLIENT_TIME, str(time.time_ns() // 1_000_000))


@pytest.fixture(scope="module")
def live(api, tmp_path_factory):
    engine, _token = api
    server = ThreadServer(str(engine.url), init=False)
    yield server
    server.stop()


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_schemathesis_finds_no_server_error_and_no_undocumented_answer(case, live):
    response = case.call(base_url=live.url)
    assert response.status_code < 500, response.text
    if response.status_code == 400 and response.json()["error"]["code"] == "clock_skew":
        # A well-formed time can still be far from the server's: refusing it is right (and declared).
        assert abs(int(case.headers[P.HEADER_CLIENT_TIME]) - response.json()["error"]["server_time"]) > 300_000
        case.validate_response(response, excluded_checks=[positive_data_acceptance])
        return
    case.validate_response(response)


@pytest.mark.parametrize("body, status, code", [
    (b"", 400, "bad_request"),
    (b"{", 400, "bad_request"),
    (b'{"cursor": NaN}', 400, "bad_request"),
    (b'{"cursor": -1}', 400, "bad_request"),
    (b'{"cursor": 0, "extra": 1}', 400, "bad_request"),
    (b'{"cursor": 1e400}', 400, "bad_request"),
    (b"[" * 50000 + b"]" * 50000, 400, "bad_request"),
    (b'{"cursor": 99999999}', 409, "snapshot_required"),
])
def test_bad_input_is_a_4xx_json_error(api, live, body, status, code):
    _engine, token = api
    r = requests.post(live.url + "/v1/pull", data=body, timeout=10,
                      headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    assert r.status_code == status and r.json()["error"]["code"] == code and r.json()["request_id"]


def test_wrong_media_type_size_method_and_path(api, live, monkeypatch):
    from vsm_desktop.sync import protocol as P

    _engine, token = api
    auth = {"Authorization": f"Bearer {token}"}
    url = live.url
    r = requests.post(url + "/v1/pull", data=b"cursor=0", headers=auth | {"Content-Type": "text/plain"}, timeout=10)
    assert r.status_code == 415
    r = requests.get(url + "/v1/push", timeout=10)
    assert r.json()["error"]["code"] == "method_not_allowed" and r.headers["Allow"]
    assert requests.get(url + "/v2/pull", timeout=10).json()["error"]["code"] == "not_found"
    monkeypatch.setattr(P, "MAX_BODY_BYTES", 100)  # the server runs in this process
    r = requests.post(url + "/v1/pull", json={"cursor": 0, "learners": ["a" * 32] * 10}, headers=auth, timeout=10)
    assert r.status_code == 413


def test_logs_carry_ids_and_counts_never_names(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="vsm_server")
    server = ThreadServer(sqlite_url(tmp_path / "s.db"))
    try:
        d = device(tmp_path, server, "gwenllian.ap.dafydd", "coordinator")
        add_learner(d.store, "L000001", legal_forename="Angharad", legal_surname="Llewelyn")
        d.store.create("schools", {"name": "Ysgol Gyfrinachol"})
        d.sync()
        d.close()
    finally:
        server.stop()
    text_logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("vsm_server"))
    assert "push device=" in text_logged and "request=" in text_logged
    for secret in ("Angharad", "Llewelyn", "Gyfrinachol", "gwenllian", "L000001"):
        assert secret not in text_logged


def run_server_cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vsm_server", *map(str, args)], capture_output=True, text=True,
                          cwd=REPO, timeout=60)


def test_admin_command_line(tmp_path):
    url = sqlite_url(tmp_path / "cli.db")
    r = run_server_cli("init", "--db", url, "--authority", "Cyngor Sir Ynys Môn")
    assert r.returncode == 0 and "Initialised" in r.stdout
    assert run_server_cli("init", "--db", url, "--authority", "Again").returncode == 1
    assert run_server_cli("add-user", "--db", url, "--username", "mair", "--role", "mentor").returncode == 0
    r = run_server_cli("add-user", "--db", url, "--username", "dp", "--role", "designated_person")
    assert r.returncode == 1 and "--school" in r.stderr
    r = run_server_cli("enrol-code", "--db", url, "--username", "mair")
    assert r.returncode == 0 and len(r.stdout.strip()) == 14
    learner = uuid.uuid4().hex
    assert run_server_cli("assign", "--db", url, "--username", "mair", "--learner", learner).returncode == 0
    engine = sdb.make_engine(url)
    with engine.connect() as conn:
        assert conn.execute(select(sdb.caseloads.c.learner_id)).scalar() == learner
    engine.dispose()
    r = run_server_cli("devices", "--db", url)
    assert r.returncode == 0 and "DEVICE" in r.stdout
    assert run_server_cli("revoke", "--db", url, "--device", "0" * 16).returncode == 1
    (_header, mair) = run_server_cli("users", "--db", url).stdout.splitlines()
    assert mair.split() == ["mair", "-", "mentor", "-", "1"]
    r = run_server_cli("devices", "--db", sqlite_url(tmp_path / "empty.db"))
    assert r.returncode == 3 and "schema 0" in r.stderr


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_server_migrations(tmp_path, backend):
    url = backend_url(backend, tmp_path, "migrations")
    engine = sdb.make_engine(url)
    assert sdb.migrate(engine) == list(range(1, sdb.SCHEMA_VERSION + 1))
    assert sdb.migrate(engine) == []  # idempotent
    sdb.check_version(engine)
    names = set(inspect(engine).get_table_names())
    assert {"ops", "records", "fields", "devices", "users", "caseloads", "batches"} <= names
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO schema_version (version, applied_at) VALUES (:v, 0)"),
                     {"v": sdb.SCHEMA_VERSION + 1})
    with pytest.raises(sdb.SchemaTooNew):
        sdb.migrate(engine)
    engine.dispose()


def test_sync_against_postgresql(tmp_path):
    url = backend_url("postgresql", tmp_path, "pgsync")
    server = ThreadServer(url)
    try:
        a = device(tmp_path, server, "ana")
        b = device(tmp_path, server, "bryn")
        learner = add_learner(a.store)
        a.sync()
        b.sync()
        b.store.set_field("learners", learner, "preferred_name", "Sian")
        a.store.set_field("learners", learner, "preferred_name", "Siani")
        b.sync()
        a.sync()
        b.sync()
        assert a.store.get("learners", learner) == b.store.get("learners", learner)
        assert len(a.client.conflicts()) == len(b.client.conflicts()) == 1
        a.close()
        b.close()
    finally:
        server.stop()
