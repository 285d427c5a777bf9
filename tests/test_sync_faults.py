"""Faults: the server killed in the middle of a push and of a pull, the connection dropped after
the server committed, a batch replayed, malformed, truncated or hostile answers, a slow server.
Each ends with a clear message, the store intact, and convergence once the fault clears, with no
duplicate and no loss."""

from __future__ import annotations

import http.server
import json
import threading
import uuid

import pytest
import requests

from vsm_desktop.errors import NetworkError, ServerError
from vsm_desktop.store.check import check_store
from vsm_desktop.sync import engine as sync_engine, protocol as P

from conftest import add_learner, add_review
from sync_support import ProcessServer, ThreadServer, device, server_ops, snapshot, sqlite_url


def state(store) -> tuple:
    """What a failed sync must not change."""
    return (snapshot(store), store.conn.execute("SELECT hlc, server_seq, held FROM ops ORDER BY hlc").fetchall(),
            store.conn.execute("SELECT value FROM meta WHERE key = 'sync_cursor'").fetchone())


def fill(store, n: int) -> list[str]:
    learners = []
    for i in range(n):
        learner = add_learner(store, f"L{i:06d}")
        add_review(store, learner)
        learners.append(learner)
    return learners


def converged(a, b) -> None:
    assert snapshot(a.store) == snapshot(b.store)
    assert server_ops(a.store) == server_ops(b.store)
    assert check_store(a.store) == [] and check_store(b.store) == []


def server_count(server) -> int:
    from vsm_server import service

    return service.head(server.engine)


@pytest.mark.parametrize("point", ["push_before_commit", "push_after_commit"])
def test_server_killed_during_a_push(tmp_path, point):
    server = ProcessServer(sqlite_url(tmp_path / "server.db"), tmp_path, fault=f"{point}:1")
    try:
        a = device(tmp_path, server, "ana")
        b = device(tmp_path, server, "bryn")
        fill(a.store, 3)
        local_ops = a.store.conn.execute("SELECT count(*) FROM ops").fetchone()[0]
        before = state(a.store)
        with pytest.raises(NetworkError) as e:
            a.sync()
        assert "Cannot reach the server" in str(e.value)
        assert server.wait_dead() == 99
        assert state(a.store) == before and check_store(a.store) == []
        server.start()
        result = a.sync()
        if point == "push_after_commit":  # the server had them: sent again, applied once
            assert result.results == {"duplicate": local_ops}
        assert server_count(server) == local_ops
        b.sync()
        converged(a, b)
    finally:
        server.stop()


def test_server_killed_during_a_pull_resumes_where_it_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(sync_engine, "PAGE", 7)
    server = ProcessServer(sqlite_url(tmp_path / "server.db"), tmp_path)
    try:
        a = device(tmp_path, server, "ana")
        fill(a.store, 12)   # more than three pages: the third answer never comes
        a.sync()
        total = server_count(server)
        assert total > 3 * 7
        server.stop()
        server.start(fault="pull:3")
        b = device(tmp_path, server, "bryn")
        with pytest.raises(NetworkError):
            b.sync()
        server.wait_dead()
        cursor = b.client.status().cursor
        assert 0 < cursor < total  # two pages kept, each with its cursor
        assert b.store.conn.execute("SELECT count(*) FROM ops").fetchone()[0] == cursor
        assert check_store(b.store) == []
        server.start()
        b.sync()
        assert b.store.conn.execute("SELECT count(*) FROM ops").fetchone()[0] == total
        converged(a, b)
    finally:
        server.stop()


def test_a_replayed_batch_is_applied_once(tmp_path):
    server = ThreadServer(sqlite_url(tmp_path / "server.db"))
    try:
        a = device(tmp_path, server, "ana")
        fill(a.store, 1)
        ops = a.client._read_unsent(100)[0]
        token = a.store.conn.execute("SELECT value FROM meta WHERE key = 'sync_device_token'").fetchone()[0]
        body = {"batch_id": uuid.uuid4().hex, "cursor": 0, "ops": ops}
        headers = {"Authorization": f"Bearer {token}"}
        first = requests.post(server.url + "/v1/push", json=body, headers=headers, timeout=10).json()
        again = requests.post(server.url + "/v1/push", json=body, headers=headers, timeout=10).json()
        assert first == again and {r["status"] for r in first["results"]} == {"applied"}
        other = requests.post(server.url + "/v1/push", json=dict(body, batch_id=uuid.uuid4().hex), headers=headers,
                              timeout=10).json()
        assert [r["status"] for r in other["results"]] == ["duplicate"] * len(ops)
        assert [r["seq"] for r in other["results"]] == [r["seq"] for r in first["results"]]
        assert server_count(server) == len(ops)
        a.sync()  # the device learns the sequence numbers; nothing is sent twice
        assert a.client.status().unsent == 0 and server_count(server) == len(ops)
    finally:
        server.stop()


def test_a_slow_server_times_out_with_a_clear_message(tmp_path):
    server = ThreadServer(sqlite_url(tmp_path / "server.db"), fault="pull_delay:3")
    try:
        a = device(tmp_path, server, "ana")   # enrolled with the usual patience: a loaded machine is slow
        a.client.timeout = 1                   # then only the delayed pull can run out of time
        fill(a.store, 1)
        with pytest.raises(NetworkError) as e:
            a.sync()
        assert "did not answer in time" in str(e.value)
        assert check_store(a.store) == []
        assert a.client.status().last_error == "NetworkError"
    finally:
        server.stop()


# --- a hostile server -------------------------------------------------------------------------

class Hostile(http.server.BaseHTTPRequestHandler):
    answer: tuple[int, str, bytes, dict] = (200, "application/json", b"{}", {})

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("content-length", 0)))
        status, media, body, extra = type(self).answer
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(extra.get("length", len(body))))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _page(**overrides) -> bytes:
    page = {"ops": [], "cursor": 0, "more": False, "head": 0, "server_time": 1, "scope": None}
    page.update(overrides)
    return json.dumps(page).encode()


GOOD_OP = {"hlc": "001795000000000-000000-0123456789abcdef", "entity": "schools", "record_id": "a" * 32,
           "learner_id": None, "field": "*", "value": {"name": "Ysgol"}, "prev_hlc": None,
           "device_id": "0123456789abcdef", "author": "x", "seq": 1, "held": None}

HOSTILE = {
    "html": (200, "text/html", b"<html><body>Please log in to the Wi-Fi</body></html>", {}),
    "html_500": (500, "text/html", b"<html>Internal Server Error</html>", {}),
    "truncated": (200, "application/json", _page()[:20], {}),
    "short_body": (200, "application/json", _page(), {"length": 500}),
    "wrong_types": (200, "application/json", _page(cursor="12", more="no"), {}),
    "huge_cursor": (200, "application/json", _page(cursor=10**30), {}),
    "unknown_field": (200, "application/json", _page(surprise=True), {}),
    "backwards": (200, "application/json", _page(cursor=-1), {}),
    "bad_op": (200, "application/json", _page(ops=[dict(GOOD_OP, entity="users")], cursor=1, head=1), {}),
    "bad_value": (200, "application/json", _page(ops=[dict(GOOD_OP, value={"name": 5})], cursor=1, head=1), {}),
    "op_beyond_cursor": (200, "application/json", _page(ops=[dict(GOOD_OP, seq=9)], cursor=1, head=1), {}),
    "not_an_object": (200, "application/json", b"[1, 2, 3]", {}),
    "nan": (200, "application/json", b'{"ops": [], "cursor": NaN}', {}),
    "error_garbage": (418, "application/json", b'{"error": 5}', {}),
    "deep": (200, "application/json", b"[" * 100000 + b"]" * 100000, {}),
}


@pytest.fixture(scope="module")
def hostile_setup(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    real = ThreadServer(sqlite_url(tmp / "server.db"))
    handler = type("H", (Hostile,), {})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    a = device(tmp, real, "ana")
    fill(a.store, 1)
    a.sync()
    yield a, real, httpd, handler
    a.close()
    httpd.shutdown()
    real.stop()


def _point(a, url: str) -> None:
    with a.store.transaction():
        a.store.conn.execute("UPDATE meta SET value = ? WHERE key = 'sync_server_url'", (url,))


@pytest.mark.parametrize("phase", ["push", "pull"])
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_malformed_or_hostile_answer_changes_nothing(hostile_setup, kind, phase):
    a, real, httpd, handler = hostile_setup
    handler.answer = HOSTILE[kind]
    if phase == "push":  # a change waiting: the push meets the hostile answer
        a.store.set_field("learners", a.store.all_rows("learners")[0]["id"], "preferred_name", f"Unsent {kind}")
    _point(a, f"http://127.0.0.1:{httpd.server_address[1]}")
    before = state(a.store)
    unsent = a.client.status().unsent
    try:
        with pytest.raises(ServerError) as e:
            a.sync()
        message = str(e.value)
        assert message and "Traceback" not in message
        if kind.startswith("html"):
            assert "web page" in message
        assert state(a.store) == before
        assert check_store(a.store) == []
        assert a.client.status().unsent == unsent
    finally:
        _point(a, real.url)
    a.sync()  # back to the real server: everything goes through
    assert a.client.status().unsent == 0 and check_store(a.store) == []


def test_what_a_server_says_it_takes_is_read_strictly():
    """A header that is absent, not a number or out of range never makes a device ask for more
    than every server takes, nor more than the most it would ever ask for."""
    floor, ceiling = P.MAX_PAGE_OPS, P.LARGE_PAGE_OPS
    assert P.advertised_limit(None, floor, ceiling) == floor
    for junk in ("", "abc", "-5", "1e9", "12.5", "٣٠٠٠", "0x10"):
        assert P.advertised_limit(junk, floor, ceiling) == floor, junk
    assert P.advertised_limit("10", floor, ceiling) == floor
    assert P.advertised_limit(" 5000 ", floor, ceiling) == 5000
    assert P.advertised_limit("99999999999999999999", floor, ceiling) == ceiling
    assert P.advertised_cursor(None) is None and P.advertised_cursor("x") is None
    assert P.advertised_cursor(str(P.MAX_SEQ + 1)) is None and P.advertised_cursor("42") == 42


def test_the_quick_check_of_an_operation_refuses_exactly_what_the_full_check_refuses():
    good = {"hlc": "001700000000000-000001-0123456789abcdef", "entity": "learners", "record_id": "a" * 32,
            "learner_id": "a" * 32, "field": "preferred_name", "value": "Siân", "prev_hlc": None,
            "device_id": "0123456789abcdef", "author": "Ana", "seq": 5, "held": None}
    bad_values = [None, 5, 5.0, True, "", "x" * 200, ["a"], {"a": 1}, "A" * 32, "0123456789ABCDEF", "finalised",
                  "001700000000000-000001-0123456789abcdef", "0", 2 ** 63, 0, -1]
    cases = [dict(good)]
    for key in good:
        for value in bad_values:
            cases.append(dict(good, **{key: value}))
        cases.append({k: v for k, v in good.items() if k != key})
    cases += [dict(good, resolves=[good["hlc"]]), dict(good, extra=1), [good], "op"]
    for case in cases:
        for from_server in (False, True):
            shaped = case if from_server or not isinstance(case, dict) else {
                k: v for k, v in case.items() if k not in ("seq", "held")}
            outcomes = []
            for check in (P.check_op_shape, lambda o, p, **kw: P._check_op_shape(o, p, kw["from_server"])):
                try:
                    check(json.loads(json.dumps(shaped)), "op", from_server=from_server)
                    outcomes.append("ok")
                except P.ProtocolError:
                    outcomes.append("refused")
            assert outcomes[0] == outcomes[1], (case, from_server)
