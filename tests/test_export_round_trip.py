"""Every record comes back out of an export: a whole demo authority, synced, with conflicts, held and
unsent changes, goes through `export-json --all` and `import-json` into a new store and out again
unchanged; and an export that would damage a store is refused whole (exit 7, the store unchanged)."""

from __future__ import annotations

import json

import pytest

from vsm_desktop.demo.generator import generate
from vsm_desktop.errors import Refused
from vsm_desktop.store import export, oplog
from vsm_desktop.store.check import check_store
from vsm_desktop.store.store import Store

from conftest import PASSPHRASE, cli_env, file_hash, run_cli
from sync_support import ThreadServer, device, sqlite_url


@pytest.fixture(scope="module")
def authority_export(tmp_path_factory):
    """A demo authority on a coordinator's device, synced with a second device that then has a
    resolved and an open conflict, a held change and an unsent one; the second device's export."""
    tmp = tmp_path_factory.mktemp("authority")
    server = ThreadServer(sqlite_url(tmp / "server.db"))
    a = device(tmp, server, "ana", "coordinator")
    b = device(tmp, server, "bryn", "coordinator")
    try:
        generate(a.store, 30, seed=7)
        a.sync()
        b.sync()
        learners = [row["id"] for row in b.store.list_learners()]
        drafts = [r[0] for r in b.store.conn.execute("SELECT id FROM reviews WHERE status = 'draft' ORDER BY id")]
        # Two concurrent edits: one conflict resolved, one left open.
        for n, learner in enumerate(learners[:2]):
            a.store.set_field("learners", learner, "preferred_name", f"Ana {n}")
            b.store.set_field("learners", learner, "preferred_name", f"Bryn {n}")
        # Ana finalises a draft that Bryn goes on editing offline: Bryn's change is held.
        a.store.finalise_review(drafts[0])
        a.sync()
        b.store.set_field("reviews", drafts[0], "carer_views", "Mae'n setlo'n dda")
        b.store.create("targets", {"review_id": drafts[0], "description": "Darllen bob nos"})   # a held creation
        b.sync()
        conflicts = b.client.conflicts()
        assert {c.kind for c in conflicts} >= {"field", "finalised"}
        b.client.resolve(next(c for c in conflicts if c.kind == "field").id, "theirs")
        b.sync()
        # Amendments of the finalised reviews with the highest ids: new ids sort before them.
        finalised = [r[0] for r in b.store.conn.execute(
            "SELECT id FROM reviews WHERE status = 'finalised' ORDER BY id DESC LIMIT 5")]
        for review in finalised:
            b.store.start_amendment(review, "Cywiro dyddiad y cyfarfod", "cy")
        # And one change never sent.
        b.store.set_field("learners", learners[3], "preferred_name", "Heb ei anfon")
    finally:
        a.close()
        b.close()
        server.stop()
    out = tmp / "authority.json"
    result = run_cli("export-json", "--store", b.path, "--all", "--out", out)
    assert result.returncode == 0, result.stderr
    return out


def test_a_whole_authority_comes_back_out_identical(authority_export, tmp_path):
    data = json.loads(authority_export.read_text(encoding="utf-8"))
    records = data["records"]
    # What makes the order of the file matter is all there.
    by_id = {r["id"]: r for r in records["targets"]}
    assert any(t["carried_from_id"] and t["carried_from_id"] > t["id"] for t in by_id.values()), \
        "a target carried from one whose id sorts later"
    reviews = {r["id"]: r for r in records["reviews"]}
    assert any(r["amends_review_id"] and r["amends_review_id"] > r["id"] for r in reviews.values()), \
        "an amendment whose id sorts before the review it amends"
    assert records["quality_ratings"] and all(records[name] for name in ("contacts", "placements", "enrolments"))
    assert {c["kind"] for c in data["conflicts"]} >= {"field", "finalised"}
    assert any(c["resolved_at"] for c in data["conflicts"]) and any(not c["resolved_at"] for c in data["conflicts"])
    assert any(op["held"] == "finalised" for op in data["ops"])
    target_ids = {t["id"] for t in records["targets"]}
    assert any(op["field"] == "*" and op["entity"] == "targets" and op["record_id"] not in target_ids
               for op in data["ops"]), "a record whose every change was held: a history and no row"
    assert any(op["server_seq"] is None for op in data["ops"])
    fresh, again = tmp_path / "fresh.vsm", tmp_path / "again.json"
    assert run_cli("init", "--store", fresh).returncode == 0
    result = run_cli("import-json", "--store", fresh, authority_export)
    assert result.returncode == 0, result.stderr
    assert "Imported 30 learners" in result.stdout
    assert run_cli("export-json", "--store", fresh, "--all", "--out", again).returncode == 0
    assert again.read_bytes() == authority_export.read_bytes()
    with Store.open(fresh, PASSPHRASE) as store:
        assert check_store(store) == []


def _first(data, entity, **match):
    return next(r for r in data["records"][entity] if all(r.get(k) == v for k, v in match.items()))


def _ops_of(data, record_id):
    return [op for op in data["ops"] if op["record_id"] == record_id]


def _far_ahead(data):
    op = data["ops"][-1]
    op["hlc"] = "253402300799000-000000-" + op["hlc"].split("-")[2]   # 31 December 9999


def _largest_stamp(data):
    op = data["ops"][-1]
    op["hlc"] = "999999999999999-999999-" + op["hlc"].split("-")[2]


def _hand_edited(data):
    learner = data["records"]["learners"][0]
    learner["legal_surname"] = learner["legal_surname"] + "x"


def _no_creation(data):
    learner = data["records"]["learners"][0]
    data["ops"] = [op for op in data["ops"] if not (op["record_id"] == learner["id"] and op["field"] == "*")]


def _wrong_type(data):
    learner = data["records"]["learners"][0]
    op = next(op for op in _ops_of(data, learner["id"]) if op["field"] == "*")
    op["value"]["legal_surname"] = 42


def _bad_id(data):
    learner = data["records"]["learners"][0]
    old = learner["id"]
    text = json.dumps(data).replace(old, old.upper())
    data.clear()
    data.update(json.loads(text))


def _short_id(data):
    data["records"]["schools"][0]["id"] = "abc"


def _nested(data):
    value: list = []
    for _ in range(200):
        value = [value]
    data["ops"][-1]["value"] = value


def _relabelled(data):
    """A learner's creation entry labelled as another learner's: their subject access export would carry it."""
    first, second = data["records"]["learners"][:2]
    op = next(op for op in _ops_of(data, first["id"]) if op["field"] == "*")
    op["learner_id"] = second["id"]


def _conflict_time(data):
    data["conflicts"][0]["resolved_at"] = "last Tuesday"


def _conflict_learner(data):
    data["conflicts"][0]["learner_id"] = "not an id at all"


def _conflict_value(data):
    conflict = next(c for c in data["conflicts"] if c["field"] != "*")
    conflict["loser_value"] = "x" * 3_000_000


def _huge(data):
    review = data["records"]["reviews"][0]
    review["voice_enjoy"] = "a" * 5_000_000


@pytest.mark.parametrize("damage, says", [
    (_far_ahead, "more than a day ahead"),
    (_largest_stamp, "more than a day ahead"),
    (_hand_edited, "not what their history says"),
    (_no_creation, "not what their history says"),
    (_wrong_type, "malformed"),
    (_bad_id, "not a record id"),
    (_short_id, "not a record id"),
    (_nested, "nested"),
    (_relabelled, "malformed"),
    (_conflict_time, "conflict it lists is malformed"),
    (_conflict_learner, "conflict it lists is malformed"),
    (_conflict_value, "conflict it lists is malformed"),
    (_huge, "longer than"),
])
def test_an_export_that_would_damage_the_store_is_refused(authority_export, tmp_path, damage, says):
    data = json.loads(authority_export.read_text(encoding="utf-8"))
    damage(data)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    target = tmp_path / "target.vsm"
    assert run_cli("init", "--store", target).returncode == 0
    before = file_hash(target)
    result = run_cli("import-json", "--store", target, bad)
    assert result.returncode == 7, result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr
    assert file_hash(target) == before


def test_a_file_nested_beyond_the_parser_is_refused_without_a_traceback(tmp_path):
    target, bad = tmp_path / "target.vsm", tmp_path / "deep.json"
    assert run_cli("init", "--store", target).returncode == 0
    bad.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    result = run_cli("import-json", "--store", target, bad, env=cli_env())
    assert result.returncode == 7 and "nested" in result.stderr and "Traceback" not in result.stderr


def test_a_format_1_export_keeps_held_changes_held_and_still_refuses_a_hand_edit(authority_export, tmp_path):
    """Format 1 did not say which changes sync held back: the records tell."""
    data = json.loads(authority_export.read_text(encoding="utf-8"))
    held = [op for op in data["ops"] if op["held"] == "finalised"]
    assert held
    old = json.loads(json.dumps(data))
    old["format_version"] = 1
    del old["conflicts"]
    for op in old["ops"]:
        del op["server_seq"], op["held"]
    with Store.initialise(tmp_path / "old.vsm", PASSPHRASE) as store:
        export.import_export(store, old)
        marks = {op["hlc"]: op["held"] for op in oplog.read(store.conn, "WHERE held IS NOT NULL")}
        assert all(marks.get(op["hlc"]) == "unverified" for op in held)
        assert check_store(store) == []
    _hand_edited(old)
    with Store.initialise(tmp_path / "edited.vsm", PASSPHRASE) as store:
        with pytest.raises(Refused, match="not what their history says"):
            export.import_export(store, old)


def test_the_hand_over_carries_refused_text_about_a_learner_who_left(tmp_path):
    """A refused change keeps what was typed; the whole store's export takes it to the administrator."""
    from sync_support import ThreadServer, device, sqlite_url

    from conftest import add_learner

    server = ThreadServer(sqlite_url(tmp_path / "server.db"))
    coord = device(tmp_path, server, "cara", "coordinator")
    sw = device(tmp_path, server, "sioned", "social_worker")
    try:
        learner = add_learner(coord.store, "L000001")
        coord.sync()
        server.assign("sioned", learner)
        sw.sync()
        server.assign("sioned", learner, remove=True)
        sw.store.set_field("learners", learner, "preferred_name", "Geiriau a deipiwyd")
        assert sw.sync().rejected == 1 and sw.store.list_learners() == []
        data = json.loads(export.dumps(export.export_all(sw.store)))
    finally:
        coord.close()
        sw.close()
        server.stop()
    (refused,) = [c for c in data["conflicts"] if c["kind"] == "rejected"]
    assert refused["loser_value"] == "Geiriau a deipiwyd" and refused["learner_id"] == learner
    with Store.initialise(tmp_path / "admin.vsm", PASSPHRASE) as admin:
        export.import_export(admin, data)
        assert json.loads(export.dumps(export.export_all(admin))) == data
