"""Sync between real encrypted stores through a real server on 127.0.0.1: push, pull, merge,
conflicts, finalised reviews, tombstones, scope, revocation, status and resolution."""

from __future__ import annotations

import json
import threading
import time

import pytest
from cryptography import x509

from vsm_desktop.errors import DeviceRevoked
from vsm_desktop.store.check import check_store
from vsm_desktop.store.store import Store
from vsm_desktop.sync import protocol as P
from vsm_desktop.sync.engine import SyncClient
from vsm_server.app import create_app

import sync_support
from conftest import PASSPHRASE, add_learner, add_review
from sync_support import ThreadServer, device, server_ops, snapshot, sqlite_url


@pytest.fixture
def server(tmp_path):
    s = ThreadServer(sqlite_url(tmp_path / "server.db"))
    yield s
    s.stop()


@pytest.fixture
def pair(tmp_path, server):
    a = device(tmp_path, server, "ana", "coordinator")
    b = device(tmp_path, server, "bryn", "coordinator")
    yield a, b
    a.close()
    b.close()


def school_and_learner(store, ref="L000001"):
    school = store.create("schools", {"name": "Ysgol y Graig", "medium": "welsh_medium", "kind": "primary"})
    learner = add_learner(store, ref)
    store.create("enrolments", {"learner_id": learner, "school_id": school, "start_date": "2024-09-01"})
    return school, learner


def settle(*devices, rounds: int = 2):
    for _ in range(rounds):
        for d in devices:
            d.sync()


def assert_converged(*devices):
    first = snapshot(devices[0].store)
    for d in devices[1:]:
        assert snapshot(d.store) == first
        assert server_ops(d.store) == server_ops(devices[0].store)
    for d in devices:
        assert check_store(d.store) == []


def test_enrolment_stores_token_and_a_certificate_for_a_key_made_here(pair):
    a, _b = pair
    meta = dict(a.store.conn.execute("SELECT key, value FROM meta"))
    assert meta["sync_device_token"] and meta["sync_role"] == "coordinator"
    cert = x509.load_pem_x509_certificate(meta["signing_cert_pem"].encode())
    ca = x509.load_pem_x509_certificate(meta["authority_ca_pem"].encode())
    cert.verify_directly_issued_by(ca)
    assert "BEGIN PRIVATE KEY" in meta["signing_key_pem"]
    assert cert.subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)[0].value == "ana"
    # PDF signing picks the authority's certificate up by these meta keys.
    from vsm_desktop.pdf.signing import signing_identity

    identity = signing_identity(a.store)
    assert not identity.self_issued and identity.cert_pem.decode() == meta["signing_cert_pem"]
    assert identity.root_pem.decode() == meta["authority_ca_pem"]


def test_changes_travel_both_ways_and_replicas_converge(pair):
    a, b = pair
    _school, learner = school_and_learner(a.store)
    review = add_review(a.store, learner, meeting_date="2026-11-02")
    a.store.create("targets", {"review_id": review, "description": "Dal bws i'r siop a thalu", "description_lang": "cy"})
    first = a.sync()
    assert first.pushed > 0 and first.results.get("applied") == first.pushed
    b.sync()
    assert b.store.get("learners", learner)["legal_forename"] == "Siân"
    assert [r["reference"] for r in b.store.list_learners("graig")] == ["L000001"]
    b.store.set_field("reviews", review, "strengths", "Darllen yn dda")
    b.store.create("targets", {"review_id": review, "description": "Read every day"})
    settle(a, b)
    assert len(a.store.children("targets", review)) == 2
    assert a.store.get("reviews", review)["strengths"] == "Darllen yn dda"
    assert_converged(a, b)
    assert a.client.status().unsent == 0 and b.client.conflicts() == []


def test_concurrent_edits_keep_the_loser_as_a_conflict_on_both_devices_and_resolution_syncs(pair):
    a, b = pair
    _school, learner = school_and_learner(a.store)
    review = add_review(a.store, learner)
    settle(a, b)
    a.store.set_field("reviews", review, "voice_enjoy", "Pêl-droed")
    b.store.set_field("reviews", review, "voice_enjoy", "Nofio")
    a.sync()
    b.sync()
    a.sync()
    assert a.store.get("reviews", review)["voice_enjoy"] == b.store.get("reviews", review)["voice_enjoy"] == "Nofio"
    for d, other in ((a, "Pêl-droed"), (b, "Pêl-droed")):
        (c,) = d.client.conflicts()
        assert c.kind == "field" and c.field == "voice_enjoy" and c.other_value == other and c.current_value == "Nofio"
    # Ana chooses her value back; the choice is an operation that syncs and closes Bryn's conflict too.
    (c,) = a.client.conflicts()
    a.client.resolve(c.id, "theirs")
    settle(a, b)
    assert b.store.get("reviews", review)["voice_enjoy"] == "Pêl-droed"
    assert a.client.conflicts() == [] and b.client.conflicts() == []
    assert_converged(a, b)


def test_same_value_on_both_sides_is_no_conflict(pair):
    a, b = pair
    _school, learner = school_and_learner(a.store)
    settle(a, b)
    a.store.set_field("learners", learner, "preferred_name", "Sian")
    b.store.set_field("learners", learner, "preferred_name", "Sian")
    settle(a, b)
    assert a.client.conflicts() == [] == b.client.conflicts()
    assert_converged(a, b)


def test_an_edit_after_the_review_was_finalised_elsewhere_is_held_for_its_author(pair):
    a, b = pair
    _school, learner = school_and_learner(a.store)
    review = add_review(a.store, learner, meeting_date="2026-11-02")
    settle(a, b)
    a.store.finalise_review(review)
    a.sync()
    # Bryn, offline, edits the draft and adds a target; both arrive after the finalisation.
    b.store.set_field("reviews", review, "carer_views", "Mae'n setlo'n dda")
    target = b.store.create("targets", {"review_id": review, "description": "New target"})
    result = b.sync()
    assert result.held >= 2
    assert b.store.get("reviews", review)["status"] == "finalised"
    assert b.store.get("reviews", review)["carer_views"] is None
    assert b.store.get("targets", target) is None
    kinds = sorted((c.kind, c.field) for c in b.client.conflicts())
    assert kinds == [("finalised", "*"), ("finalised", "carer_views")]
    settle(a, b)
    assert a.client.conflicts() == []  # the finaliser is not asked about someone else's change
    assert_converged(a, b)
    # The coordinator's quality rating of a finalised review is not frozen with it.
    rating = a.store.create("quality_ratings", {"review_id": review, "rating": "amber", "feedback": "Targedau da"})
    assert a.sync().held == 0
    b.sync()
    assert b.store.get("quality_ratings", rating)["rating"] == "amber"
    a.store.set_field("quality_ratings", rating, "rating", "green")
    assert a.sync().held == 0
    b.sync()
    assert b.store.get("quality_ratings", rating)["rating"] == "green"
    # Bryn carries both into a new draft review (the next review).
    nxt = add_review(b.store, learner, period_start="2027-01-06", period_end="2027-04-01", due_date="2027-04-01")
    for c in b.client.conflicts():
        b.client.carry(c.id, nxt)
    assert b.store.get("reviews", nxt)["carer_views"] == "Mae'n setlo'n dda"
    assert [t["description"] for t in b.store.children("targets", nxt)] == ["New target"]
    settle(a, b)
    assert_converged(a, b)


def test_a_finalisation_that_missed_changes_made_elsewhere_is_set_aside(pair):
    a, b = pair
    _school, learner = school_and_learner(a.store)
    review = add_review(a.store, learner, meeting_date="2026-11-02")
    settle(a, b)
    b.store.set_field("reviews", review, "progress_summary", "Cynnydd da")
    b.sync()
    a.store.finalise_review(review)  # without having received Bryn's change
    a.sync()
    assert a.store.get("reviews", review)["status"] == "draft"
    assert a.store.get("reviews", review)["progress_summary"] == "Cynnydd da"
    (c,) = a.client.conflicts()
    assert c.kind == "stale_finalise"
    a.client.dismiss(c.id)
    a.store.finalise_review(review)
    settle(a, b)
    assert b.store.get("reviews", review)["status"] == "finalised"
    assert_converged(a, b)


def test_of_reviews_finalised_in_one_batch_only_the_one_changed_elsewhere_is_set_aside(pair):
    """The server answers "changed elsewhere?" for all of a batch's finalisations at once: each
    review still gets its own answer, a change to a review's target counting for that review."""
    a, b = pair
    _school, learner = school_and_learner(a.store)
    reviews = [add_review(a.store, learner, meeting_date=f"2026-11-0{n}", review_type=kind)
               for n, kind in ((2, "termly"), (3, "initial"), (4, "termly"))]
    target = a.store.create("targets", {"review_id": reviews[2], "description": "Darllen bob dydd"})
    settle(a, b)
    b.store.set_field("reviews", reviews[0], "progress_summary", "Cynnydd da")
    b.store.update("targets", target, {"description": "Darllen bob nos"})
    b.sync()
    for review in reviews:
        a.store.finalise_review(review)  # without having received Bryn's changes
    a.sync()
    assert [a.store.get("reviews", r)["status"] for r in reviews] == ["draft", "finalised", "draft"]
    assert sorted(c.record_id for c in a.client.conflicts()) == sorted([reviews[0], reviews[2]])


def test_an_edit_concurrent_with_a_deletion_is_a_conflict_not_a_resurrection(pair):
    a, b = pair
    _school, learner = school_and_learner(a.store)
    review = add_review(a.store, learner)
    target = a.store.create("targets", {"review_id": review, "description": "Original"})
    settle(a, b)
    a.store.set_field("targets", target, "deleted", True)
    b.store.set_field("targets", target, "description", "Edited meanwhile")
    settle(a, b)
    assert a.store.get("targets", target)["deleted"] is True
    for d in (a, b):
        kinds = [c.kind for c in d.client.conflicts()]
        assert kinds == ["deleted"], d
    (c,) = b.client.conflicts()
    b.client.resolve(c.id, "theirs")  # bring it back with the edit
    settle(a, b)
    assert a.store.get("targets", target)["deleted"] is False
    assert a.store.get("targets", target)["description"] == "Edited meanwhile"
    assert a.client.conflicts() == []
    assert_converged(a, b)


def test_restoring_a_record_settles_every_deletion_conflict_of_it(pair):
    a, b = pair
    _school, learner = school_and_learner(a.store)
    review = add_review(a.store, learner)
    target = a.store.create("targets", {"review_id": review, "description": "Original"})
    settle(a, b)
    a.store.set_field("targets", target, "deleted", True)
    b.store.set_field("targets", target, "description", "Edited meanwhile")
    b.store.set_field("targets", target, "support", "Support meanwhile")
    settle(a, b)
    for d in (a, b):
        assert sorted((c.kind, c.field) for c in d.client.conflicts()) == [
            ("deleted", "description"), ("deleted", "support")], d
    first = b.client.conflicts()[0]
    b.client.resolve(first.id, "theirs")   # bring it back: both edits are in it
    assert b.client.conflicts() == []      # the sibling is settled too, not left showing the current value
    settle(a, b)
    assert a.client.conflicts() == []
    restored = a.store.get("targets", target)
    assert (restored["deleted"], restored["description"], restored["support"]) == (
        False, "Edited meanwhile", "Support meanwhile")
    assert_converged(a, b)


def test_scope_designated_person_sees_their_school_and_loses_a_learner_who_leaves(tmp_path, server):
    coord = device(tmp_path, server, "cara", "coordinator")
    school, learner = school_and_learner(coord.store, "L000001")
    other_school, other = school_and_learner(coord.store, "L000002")
    coord.sync()
    dp = device(tmp_path, server, "dafydd", "designated_person", school=school)
    dp.sync()
    assert [r["reference"] for r in dp.store.list_learners()] == ["L000001"]
    # The learner moves to the other school: at the next sync the data leaves the device.
    (enrol,) = coord.store.children("enrolments", learner)
    coord.store.set_field("enrolments", enrol["id"], "end_date", "2025-01-01")
    coord.sync()
    result = dp.sync()
    assert result.removed_learners == 1
    assert dp.store.list_learners() == []
    assert dp.store.conn.execute("SELECT count(*) FROM ops WHERE learner_id = ?", (learner,)).fetchone()[0] == 0
    assert check_store(dp.store) == []
    # A social worker gets a learner assigned later: the whole history arrives (backfill).
    sw = device(tmp_path, server, "sioned", "social_worker")
    sw.sync()
    assert sw.store.list_learners() == []
    coord.store.set_field("learners", other, "preferred_name", "Twm")
    coord.sync()
    server.assign("sioned", other)
    sw.sync()
    assert [r["reference"] for r in sw.store.list_learners()] == ["L000002"]
    assert sw.store.get("learners", other)["preferred_name"] == "Twm"
    assert check_store(sw.store) == []
    for d in (coord, dp, sw):
        d.close()


def test_a_change_outside_scope_is_refused_and_shown(tmp_path, server):
    coord = device(tmp_path, server, "cara", "coordinator")
    _school, learner = school_and_learner(coord.store)
    coord.sync()
    sw = device(tmp_path, server, "sioned", "social_worker")
    server.assign("sioned", learner)
    sw.sync()
    server.assign("sioned", learner, remove=True)
    sw.store.set_field("learners", learner, "preferred_name", "Nope")
    result = sw.sync()
    assert result.rejected == 1
    # The learner left this user's scope; their data left the device, and the refusal is listed
    # (what and why) with what was typed, until the person dismisses it.
    assert sw.store.list_learners() == []
    (c,) = sw.client.conflicts()
    assert (c.kind, c.reason, c.field, c.other_value) == ("rejected", "out_of_scope", "preferred_name", "Nope")
    sw.sync()  # later syncs keep it
    assert [x.other_value for x in sw.client.conflicts()] == ["Nope"]
    coord.sync()
    assert coord.store.get("learners", learner)["preferred_name"] is None
    assert check_store(sw.store) == []
    sw.client.dismiss(c.id)
    assert sw.client.conflicts(include_resolved=True) == []
    assert sw.store.conn.execute("SELECT count(*) FROM conflicts WHERE loser_value LIKE '%Nope%'").fetchone()[0] == 0
    coord.close()
    sw.close()


def test_a_revoked_device_is_told_and_keeps_its_unsent_changes(pair, server):
    a, b = pair
    _school, learner = school_and_learner(a.store)
    a.sync()
    from vsm_server import service

    service.revoke(server.engine, a.store.device_id)
    a.store.set_field("learners", learner, "preferred_name", "Unsent")
    with pytest.raises(DeviceRevoked) as e:
        a.sync()
    assert "revoked" in str(e.value)
    status = a.client.status()
    assert status.revoked and status.unsent == 1
    from vsm_desktop.store import export

    data = export.export_all(a.store)
    assert any(op["value"] == "Unsent" for op in data["ops"])


def test_status_and_a_cancelled_sync(pair):
    a, b = pair
    for i in range(3):
        school_and_learner(a.store, f"L00000{i}")
    assert a.client.status().unsent > 0 and a.client.status().last_success is None
    cancel = threading.Event()
    cancel.set()
    result = a.client.sync(cancel=cancel)
    assert result.cancelled and a.client.status().last_success is None
    seen = []
    a.client.sync(progress=seen.append)
    assert {p.phase for p in seen} >= {"push", "pull", "done"}
    status = a.client.status()
    assert status.unsent == 0 and status.last_success and status.conflicts == 0


def test_sync_runs_on_a_worker_thread_with_its_own_connection_while_the_ui_edits(pair):
    a, b = pair
    _school, learner = school_and_learner(a.store)
    a.sync()
    b.sync()
    worker = SyncClient.open(b.path, PASSPHRASE)
    done = []
    a.store.set_field("learners", learner, "preferred_name", "Siani")
    a.sync()
    t = threading.Thread(target=lambda: done.append(worker.sync()))
    t.start()
    b.store.set_field("learners", learner, "gender", "female")  # the UI's connection keeps working
    t.join(30)
    worker.store.close()
    assert done
    # The UI connection's next change is stamped after what the worker received.
    stamp = b.store.set_field("learners", learner, "preferred_name", "Siân fach")
    assert stamp > b.store.field_stamp(learner, "gender")
    settle(a, b)
    assert a.store.get("learners", learner)["preferred_name"] == "Siân fach"
    assert_converged(a, b)


def test_what_the_application_shows_after_a_sync(pair, tmp_path, server):
    """Which learners other people's changes reached, who made the value a conflict keeps, how many
    open conflicts are refusals, and the draft reviews a held change may be carried into."""
    a, b = pair
    _school, learner = school_and_learner(a.store)
    _school2, quiet = school_and_learner(a.store, "L000002")
    review = add_review(a.store, learner, meeting_date="2026-11-02")
    assert a.sync().changed_learners == []  # its own changes are not news to it
    assert sorted(b.sync().changed_learners) == sorted([learner, quiet])
    b.store.set_field("learners", learner, "preferred_name", "Sioni")
    # Two edits in one millisecond are ordered by device id, so either could win: Ana's comes later.
    time.sleep(0.005)
    a.store.set_field("learners", learner, "preferred_name", "Siôn")
    b.sync()
    result = a.sync()
    assert result.changed_learners == [learner]
    b.sync()
    (c,) = b.client.conflicts()
    assert (c.current_value, c.current_author, c.other_value, c.other_author) == ("Siôn", "Ana", "Sioni", "Bryn")
    assert b.client.carry_choices(c.id) == []  # two values: chosen between, not carried
    # A change held because the review was finalised elsewhere can go into a draft of the same learner.
    a.store.finalise_review(review)
    a.sync()
    b.store.set_field("reviews", review, "carer_views", "Yn hapus")
    b.sync()
    (held,) = [x for x in b.client.conflicts() if x.kind == "finalised"]
    assert b.client.carry_choices(held.id) == []
    nxt = add_review(b.store, learner, period_start="2027-01-06", period_end="2027-04-01", due_date="2027-04-01")
    add_review(b.store, quiet)
    assert [r["id"] for r in b.client.carry_choices(held.id)] == [nxt]
    status = b.client.status()
    assert (status.conflicts, status.refused) == (2, 0)
    # A refusal counts among the open conflicts, and apart.
    sw = device(tmp_path, server, "sioned", "social_worker")
    server.assign("sioned", learner)
    sw.sync()
    server.assign("sioned", learner, remove=True)
    sw.store.set_field("learners", learner, "preferred_name", "Nope")
    sw.sync()
    status = sw.client.status()
    assert (status.conflicts, status.refused) == (1, 1)
    sw.close()


def test_the_export_carries_the_sync_state_a_revoked_device_must_hand_over(pair, server, tmp_path):
    import json

    import jsonschema

    from vsm_desktop.store import export
    from vsm_server import service

    from conftest import REPO

    a, b = pair
    _school, learner = school_and_learner(a.store)
    review = add_review(a.store, learner, meeting_date="2026-11-02")
    settle(a, b)
    b.store.finalise_review(review)
    b.sync()
    a.store.set_field("reviews", review, "carer_views", "Yn hapus")        # held: finalised elsewhere
    a.sync()
    service.revoke(server.engine, a.store.device_id)
    a.store.set_field("learners", learner, "preferred_name", "Heb ei anfon")  # never sent
    with pytest.raises(DeviceRevoked):
        a.sync()
    data = json.loads(export.dumps(export.export_all(a.store)))
    jsonschema.validate(data, json.loads((REPO / "schemas" / "export.schema.json").read_text()))
    by_value = {json.dumps(op["value"], ensure_ascii=False): op for op in data["ops"]}
    assert by_value['"Heb ei anfon"']["server_seq"] is None and by_value['"Heb ei anfon"']["held"] is None
    assert by_value['"Yn hapus"']["held"] == "finalised" and by_value['"Yn hapus"']["server_seq"] is not None
    (c,) = data["conflicts"]
    assert (c["kind"], c["loser_value"], c["resolved_at"]) == ("finalised", "Yn hapus", None)
    # Into an empty store and out again: the same bytes, the held change still held.
    with Store.initialise(tmp_path / "admin.vsm", PASSPHRASE) as admin:
        export.import_export(admin, data)
        assert json.loads(export.dumps(export.export_all(admin))) == data
        assert admin.get("reviews", review)["carer_views"] is None
        assert [x.kind for x in SyncClient(admin).conflicts()] == ["finalised"]
    # An export of the first format (no sync state) still imports.
    old = json.loads(json.dumps(data))
    old["format_version"] = 1
    del old["conflicts"]
    for op in old["ops"]:
        del op["server_seq"], op["held"]
    with Store.initialise(tmp_path / "old.vsm", PASSPHRASE) as store:
        assert export.import_export(store, old)["ops"] == len(old["ops"])


def test_phase_override_added_sections_and_post16_records_travel(pair):
    """The new fields and records of phases and circumstances sync like every other; a device
    that got the override by sync takes the post-16 values the phase now allows."""
    a, b = pair
    _school, learner = school_and_learner(a.store)        # year 8 in 2026/27: school age
    review = add_review(a.store, learner)
    a.store.override_phase(review, "post16", "Coleg llawn amser ar ôl symud wedi'i reoli", "cy")
    a.store.add_section(review, "transition", "Moving to a new college in January", "en")
    a.store.update("reviews", review, {"course_title": "Level 1 Construction", "transition_to": "Coleg Gwent"})
    a.store.create("qualifications", {"review_id": review, "title": "GCSE Mathematics", "status": "achieved",
                                      "grade": "C"})
    settle(a, b)
    plan = b.store.section_plan(review)
    assert plan.phase == "post16" and plan.why["transition"] in ("added", "data")
    assert b.store.get("reviews", review)["phase_override_reason"] == "Coleg llawn amser ar ôl symud wedi'i reoli"
    assert [q["title"] for q in b.store.children("qualifications", review)] == ["GCSE Mathematics"]
    b.store.set_field("reviews", review, "careers_adviser", "Ceri Morgan")
    settle(a, b)
    assert a.store.get("reviews", review)["careers_adviser"] == "Ceri Morgan"
    assert_converged(a, b)


# --- what a server says it takes ------------------------------------------------------------

class Gate:
    """Between the devices and the real server's application: records each push's size and each
    pull's limit and what the answer's headers said; as an `old` server (one released before
    servers said what they take) it drops those headers and refuses more than the old limits, as
    such a server's validator does (400)."""

    def __init__(self, app, old: bool = False):
        self.app, self.old = app, old
        self.pushes: list[int] = []
        self.limits: list[int | None] = []
        self.push_cursors: list[str | None] = []

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] not in ("/v1/push", "/v1/pull"):
            return await self.app(scope, receive, send)
        body, more = b"", True
        while more:
            message = await receive()
            body, more = body + message.get("body", b""), message.get("more_body", False)
        asked = json.loads(body)
        if scope["path"] == "/v1/push":
            self.pushes.append(len(asked["ops"]))
        else:
            self.limits.append(asked.get("limit"))
        if self.old and (len(asked.get("ops", ())) > P.MAX_BATCH_OPS or (asked.get("limit") or 0) > P.MAX_PAGE_OPS):
            answer = json.dumps({"error": {"code": "bad_request", "message": "too many"}, "request_id": "x"}).encode()
            await send({"type": "http.response.start", "status": 400,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": answer})
            return
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        async def answer(message):
            if message["type"] == "http.response.start":
                headers = dict(message["headers"])
                if scope["path"] == "/v1/push":
                    cursor = headers.get(P.HEADER_PUSH_CURSOR.lower().encode())
                    self.push_cursors.append(None if cursor is None or self.old else cursor.decode())
                if self.old:
                    message = dict(message, headers=[(k, v) for k, v in message["headers"]
                                                     if not k.lower().startswith(b"x-vsm-")])
            await send(message)

        await self.app(scope, replay, answer)


@pytest.fixture(params=[False, True], ids=["new server", "old server"])
def gated(request, tmp_path, monkeypatch):
    gates = []

    def make(*args, **kw):
        gates.append(Gate(create_app(*args, **kw), old=request.param))
        return gates[-1]

    monkeypatch.setattr(sync_support, "create_app", make)
    s = ThreadServer(sqlite_url(tmp_path / "server.db"))
    yield s, gates[0]
    s.stop()


def test_larger_batches_and_pages_only_from_a_server_that_says_it_takes_them(tmp_path, gated):
    server, gate = gated
    a = device(tmp_path, server, "ana")
    with a.store.transaction():
        for n in range(1200):
            a.store.create("schools", {"name": f"Ysgol {n:04d}", "medium": "welsh_medium", "kind": "primary"})
    sent = a.sync()
    assert sent.pushed == 1200 and sent.results == {"applied": 1200}
    if gate.old:
        # Batches of what every server takes, and the device pulls its own changes back.
        assert gate.pushes == [500, 500, 200] and set(gate.limits) == {P.MAX_PAGE_OPS}
        assert sent.pulled == 1200
    else:
        # The first batch is what every server takes; the answer said more, so the rest is one.
        assert gate.pushes == [500, 700] and set(gate.limits) == {P.LARGE_PAGE_OPS}
        # Nothing but its own batches followed its cursor: it moves past them, nothing pulled back.
        assert gate.push_cursors == ["500", "1200"] and sent.pulled == 0
    assert a.client.status().cursor == 1200
    b = device(tmp_path, server, "bryn")
    gate.limits.clear()
    got = b.sync()
    assert got.pulled == 1200
    # A device that has not heard from the server yet asks for what every server sends.
    assert gate.limits[0] == P.MAX_PAGE_OPS
    assert set(gate.limits[1:]) <= {P.MAX_PAGE_OPS if gate.old else P.LARGE_PAGE_OPS}
    assert_converged(a, b)
    a.close()
    b.close()


def test_a_push_after_changes_made_elsewhere_still_pulls_them_and_its_own(tmp_path, gated):
    server, gate = gated
    a = device(tmp_path, server, "ana")
    b = device(tmp_path, server, "bryn")
    _school, learner = school_and_learner(a.store)
    a.sync()
    b.sync()
    b.store.set_field("learners", learner, "preferred_name", "Sionyn")
    b.sync()
    a.store.create("schools", {"name": "Ysgol Arall", "medium": "english_medium", "kind": "secondary"})
    gate.push_cursors.clear()
    result = a.sync()
    # A's cursor was behind B's change: its push cannot move the cursor, the pull brings both.
    assert gate.push_cursors == [None] and result.pulled == 2
    assert a.store.get("learners", learner)["preferred_name"] == "Sionyn"
    settle(a, b)
    assert_converged(a, b)
    a.close()
    b.close()


def test_a_page_ends_early_when_its_values_are_large(tmp_path, server, monkeypatch):
    monkeypatch.setattr(P, "MAX_PAGE_BYTES", 2000)  # the server runs in this process
    a = device(tmp_path, server, "ana")
    with a.store.transaction():
        for n in range(40):
            a.store.create("schools", {"name": f"Ysgol {n:02d} " + "hir " * 40, "medium": "welsh_medium",
                                       "kind": "primary"})
    a.sync()
    b = device(tmp_path, server, "bryn")
    pages = []
    real = b.client._page
    monkeypatch.setattr(b.client, "_page", lambda t, body: pages.append(real(t, body)) or pages[-1])
    assert b.sync().pulled == 40
    sizes = [len(p["ops"]) for p in pages]
    assert len(sizes) > 3 and max(sizes) < 20  # (the first page, which brought the scope, is applied as it came)
    assert_converged(a, b)
    a.close()
    b.close()
