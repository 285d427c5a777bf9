"""The bulk apply of a pulled page (`Merger.apply_page`) against the one-at-a-time path
(`Merger.apply`), property-based: the same operations from the server, with creations, edits that
saw or missed the value they replace (conflicts), removals, changes held for a finalised review,
resolutions, edits arriving before their record's creation, this device's own changes coming back
(sent, or their answer lost) and its changes not yet sent, applied to two copies of one real
encrypted store: one operation at a time and in bulk, in the same random pages. Every
table of the two stores must then be the same (records, change log with its numbering, held
operations, conflicts, resolutions, the search index)."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from vsm_desktop.domain import model
from vsm_desktop.store import oplog
from vsm_desktop.store.store import Store
from vsm_desktop.sync import merge
from vsm_desktop.sync.merge import Merger

from conftest import PASSPHRASE, add_learner, add_review

L, M, S, R, E = "1" * 32, "2" * 32, "3" * 32, "4" * 32, "5" * 32
TARGETS = ["6" * 32, "7" * 32, "8" * 32]
RECORDS = {L: ("learners", ()), M: ("learners", ()), S: ("schools", ()), R: ("reviews", (L,)),
           E: ("enrolments", (L, S)), **{t: ("targets", (R,)) for t in TARGETS}}
EDITS = {
    "learners": {"preferred_name": ["Siani", "Sian", None], "legal_surname": ["Prosser", "Jones"]},
    "schools": {"name": ["Ysgol y Graig", "Ysgol y Bryn"]},
    "enrolments": {"end_date": [None, "2026-07-20"], "deleted": [True, False]},
    "reviews": {"strengths": ["Celf", "Mathemateg", None], "status": ["finalised"]},
    "targets": {"description": ["Darllen bob dydd", "Nofio 10 hyd"], "deleted": [True, False]},
}
OTHERS = ["a" * 16, "b" * 16]
WALL = 1_800_000_000_000


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """Two copies of one store (the same device), and each record's initial values as a real
    store makes them."""
    tmp = tmp_path_factory.mktemp("bulk")
    first = Store.initialise(tmp / "one.vsm", PASSPHRASE, author="Dyfais Prawf")
    templates = _templates(first)
    _reset(first)
    first.close()
    shutil.copyfile(tmp / "one.vsm", tmp / "bulk.vsm")
    one, bulk = Store.open(tmp / "one.vsm", PASSPHRASE), Store.open(tmp / "bulk.vsm", PASSPHRASE)
    assert one.device_id == bulk.device_id
    yield one, bulk, templates
    one.close()
    bulk.close()


def _templates(store: Store) -> dict[str, dict]:
    made = {}
    school = store.create("schools", {"name": "Ysgol y Graig", "medium": "welsh_medium", "kind": "primary"})
    learner = add_learner(store)
    other = add_learner(store, reference="L000002", legal_forename="Osian")
    enrolment = store.create("enrolments", {"learner_id": learner, "school_id": school, "start_date": "2024-09-01"})
    review = add_review(store, learner)
    target = store.create("targets", {"review_id": review, "description": "Targed cyntaf", "description_lang": "cy"})
    mine = {school: S, learner: L, other: M, enrolment: E, review: R, target: TARGETS[0]}
    from vsm_desktop.store import oplog

    for op in oplog.read(store.conn, "WHERE field = '*'"):
        rid, values = op["record_id"], op["value"]
        for k, v in values.items():
            if v in mine:
                values[k] = mine[v]
        made[mine[rid]] = values
    for t in TARGETS[1:]:
        made[t] = dict(made[TARGETS[0]], description="Targed arall")
    return made


def _reset(store: Store) -> None:
    with store.transaction():
        for name in reversed(list(model.ENTITIES)):
            store.conn.execute(f"DELETE FROM {name}")
        for table in ("ops", "conflicts", "op_resolves", "learner_search"):
            store.conn.execute(f"DELETE FROM {table}")
    store._review_learner.clear()


def _content(store: Store) -> dict:
    conn = store.conn
    out = {}
    tables = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE"
                          " 'sqlite_%' AND name NOT LIKE 'learner\\_search\\_%' ESCAPE '\\'").fetchall()
    for name, sql in tables:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({name})")]
        # The summaries (migration 0012) are keyed tables, derived from the records: their key is
        # in `*` (summary_learners' rowid only says which write rewrote a row last; a large page
        # rewrites its learners' rows once, after its writes).
        rowid = "" if "WITHOUT ROWID" in (sql or "").upper() or name.startswith("summary_") else "rowid, "
        rows = conn.execute(f"SELECT {rowid}* FROM {name}").fetchall()
        if name == "learner_search":
            cols = ["names", "school", "reference"]
        if name == "conflicts":   # when it was found or settled is the clock's; that it was is the merge's
            at = [cols.index("detected_at") + 1, cols.index("resolved_at") + 1]
            rows = [tuple(v if i not in at else v is not None for i, v in enumerate(r)) for r in rows]
        if name == "meta":
            rows = [r for r in rows if r[1] != "created_at"]
        out[name] = sorted(rows, key=repr)
    return out


def _history(data, me: str, templates: dict) -> list[dict]:
    """Operations in the server's order, with stamps not always in that order."""
    ops: list[dict] = []
    created: dict[str, str] = {}   # record -> the device that created it
    stamps: dict[tuple[str, str], list[str]] = {}   # (record, field) -> stamps not held
    for i in range(data.draw(st.integers(1, 28), label="operations")):
        device = data.draw(st.sampled_from(OTHERS + [me]), label="device")
        # This device makes its records under its own (it has those before any page comes).
        creatable = [r for r, (_e, parents) in RECORDS.items() if r not in created and set(parents) <= set(created)
                     and (device != me or all(created[p] == me for p in parents))]
        entity_of = {r: e for r, (e, _p) in RECORDS.items()}
        hlc = f"{WALL + i * 10 + data.draw(st.integers(0, 25)):015d}-{i:06d}-{device}"
        if creatable and data.draw(st.booleans(), label="create"):
            rid = data.draw(st.sampled_from(creatable))
            created[rid] = device
            field, value, prev = "*", templates[rid], None
        else:
            rid = data.draw(st.sampled_from(list(RECORDS)), label="record")
            fields = EDITS[entity_of[rid]]
            field = data.draw(st.sampled_from(sorted(fields)))
            value = data.draw(st.sampled_from(fields[field]))
            seen = stamps.get((rid, field), []) + stamps.get((rid, "*"), [])
            current = [max(seen)] if seen else []
            prev = data.draw(st.sampled_from(current + [None] + sorted(set(seen) - set(current))), label="prev")
            if prev is not None and prev >= hlc:
                prev = None
        entity = entity_of[rid]
        held = None
        if field != "*" or entity == "targets":
            held = data.draw(st.sampled_from([None, None, None, "finalised", "stale_finalise"]), label="held")
        op = {"hlc": hlc, "entity": entity, "record_id": rid,
              "learner_id": None if entity == "schools" else (rid if entity == "learners" else L),
              "field": field, "value": value, "prev_hlc": prev, "device_id": device,
              "author": {OTHERS[0]: "Awdur A", OTHERS[1]: "Awdur B"}.get(device, "Dyfais Prawf"), "held": held}
        if ops and data.draw(st.integers(0, 7), label="resolves") == 0:
            op["resolves"] = [data.draw(st.sampled_from(ops))["hlc"]]
        ops.append(op)
        if held is None:
            stamps.setdefault((rid, field), []).append(hlc)
    return ops


def _apply(store: Store, pages: list[list[dict]], bulk: bool) -> None:
    for page in pages:
        with store.transaction():
            merger = Merger(store)
            if bulk:
                merger.apply_page(page)
            else:
                for op in page:
                    merger.apply(op)
            merger.finish()


def _outcome(store: Store, before: list[list[dict]], own: list[dict], unsent: set[str], pages, bulk: bool):
    """Applies what came before (one at a time), this device's own changes as made here, then the
    pages; returns the store's content, or the error both paths must then give alike."""
    _reset(store)
    try:
        _apply(store, before, bulk=False)
        if own:
            with store.transaction():
                merger = Merger(store)
                for op in own:
                    merger.apply(dict(op, held=None, seq=None, resolves=None) | ({"resolves": op["resolves"]}
                                                                               if op.get("resolves") else {}))
                merger.finish()
                store.conn.executemany("UPDATE ops SET server_seq = NULL WHERE hlc = ?",
                                       [(oplog.stamp_key(h),) for h in unsent])
        _apply(store, pages, bulk=bulk)
    except Exception as e:  # noqa: BLE001 - compared, not hidden
        return ("error", type(e).__name__, str(e))
    return _content(store)


@settings(max_examples=int(__import__("os").environ.get("VSM_BULK_EXAMPLES", 150)), deadline=None,
          suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_bulk_apply_gives_the_same_store_as_one_at_a_time_in_any_page_split(stores, data):
    one, bulk, templates = stores
    me = one.device_id
    ops = _history(data, me, templates)
    cut = data.draw(st.integers(0, len(ops)), label="pulled earlier")
    earlier, later = ops[:cut], ops[cut:]
    # This device's own changes among the later ones were made here first; some never reached
    # the server (not in any page), some did and their answer was lost (no server number here).
    own = [op for op in later if op["device_id"] == me]
    kept_back = {op["hlc"] for op in own if data.draw(st.integers(0, 3), label="unsent") == 0}
    lost = {op["hlc"] for op in own if data.draw(st.booleans(), label="answer lost")}
    later = [op for op in later if op["hlc"] not in kept_back]
    for seq, op in enumerate(earlier + later, start=1):
        op["seq"] = seq
    earlier = [op for op in earlier if op["device_id"] != me or not op.get("resolves")]
    splits = sorted(data.draw(st.sets(st.integers(1, max(1, len(later) - 1)), max_size=4), label="split"))
    pages, start = [], 0
    for end in splits + [len(later)]:
        if end > start:
            pages.append(later[start:end])
            start = end
    # The same pages both ways: the one-at-a-time path itself depends on where a page ends in one
    # corner (an own creation held mid-page is undone when the page finishes).
    expected = _outcome(one, [earlier] if earlier else [], own, kept_back | lost, pages, bulk=False)
    # The writes of a page in bulk with the summaries' triggers, or without them and the summary
    # rows then rewritten (a large page of a first pull).
    summaries_from = data.draw(st.sampled_from([0, 1, 3, 10 ** 9]), label="summaries rewritten from")
    saved, merge.BULK_SUMMARIES_FROM = merge.BULK_SUMMARIES_FROM, summaries_from
    try:
        got = _outcome(bulk, [earlier] if earlier else [], own, kept_back | lost, pages, bulk=True)
    finally:
        merge.BULK_SUMMARIES_FROM = saved
    assert got == expected, _difference(expected, got)


def _difference(expected, got) -> str:
    if isinstance(expected, tuple) or isinstance(got, tuple):
        return f"one at a time: {str(expected)[:300]}; in bulk: {str(got)[:300]}"
    return "; ".join(f"{name}: one at a time {expected[name]}, in bulk {got.get(name)}"
                     for name in expected if expected[name] != got.get(name))


def test_a_first_pull_takes_the_bulk_path(stores):
    """The common case of a first sync (new records, edits that saw what they replace) is decided
    in memory, not handed op by op to the one-at-a-time path."""
    one, _bulk, templates = stores
    _reset(one)
    calls = []
    ops = []
    for i, rid in enumerate([S, L, E, R, *TARGETS]):
        ops.append({"hlc": f"{WALL + i:015d}-000000-{OTHERS[0]}", "entity": RECORDS[rid][0], "record_id": rid,
                    "learner_id": None if rid == S else L, "field": "*", "value": templates[rid], "prev_hlc": None,
                    "device_id": OTHERS[0], "author": "Awdur A", "held": None, "seq": i + 1})
    ops.append({"hlc": f"{WALL + 20:015d}-000000-{OTHERS[0]}", "entity": "reviews", "record_id": R, "learner_id": L,
                "field": "strengths", "value": "Celf", "prev_hlc": ops[3]["hlc"], "device_id": OTHERS[0],
                "author": "Awdur A", "held": None, "seq": len(ops) + 1})
    with one.transaction():
        merger = Merger(one)
        merger.apply = lambda op: calls.append(op)
        merger.apply_page(ops)
        merger.finish()
    assert calls == []
    assert one.get("reviews", R)["strengths"] == "Celf"
    assert len(one.children("targets", R)) == 3
    assert [r["id"] for r in one.list_learners("Prosser")] == [L]


def test_a_removal_that_missed_our_edit_keeps_the_edit_as_a_conflict_in_bulk_too(stores):
    """Another device removes a target this device had edited without seeing the edit: the
    removal stands and the edit is kept as a 'deleted' conflict, in bulk as one at a time."""
    one, bulk, templates = stores
    me = one.device_id

    def op(i, device, rid, field, value, prev=None):
        return {"hlc": f"{WALL + i:015d}-000000-{device}", "entity": RECORDS[rid][0], "record_id": rid,
                "learner_id": L, "field": field, "value": value, "prev_hlc": prev, "device_id": device,
                "author": "Awdur", "held": None, "seq": i}

    earlier = [op(1, OTHERS[0], L, "*", templates[L]), op(2, OTHERS[0], R, "*", templates[R]),
               op(3, OTHERS[0], TARGETS[0], "*", templates[TARGETS[0]])]
    mine = op(4, me, TARGETS[0], "description", "Darllen bob dydd", earlier[2]["hlc"])
    removal = op(5, OTHERS[1], TARGETS[0], "deleted", True, earlier[2]["hlc"])
    after = op(6, OTHERS[1], TARGETS[1], "*", templates[TARGETS[1]])
    expected = _outcome(one, [earlier + [mine]], [], set(), [[removal, after]], bulk=False)
    got = _outcome(bulk, [earlier + [mine]], [], set(), [[removal, after]], bulk=True)
    assert got == expected, _difference(expected, got)
    assert bulk.conn.execute("SELECT kind, loser_hlc FROM conflicts").fetchall() == [("deleted", mine["hlc"])]


def test_a_demo_authority_pulled_in_large_pages_gives_the_store_one_at_a_time_gives(tmp_path):
    """Every kind of record a first pull brings (ratings, interventions, placements, funding...),
    with reviews finalised in the same page as their creation: in bulk pages (their writes folded
    into the records they create, the summaries rewritten once a page) as one op at a time, and
    the summaries as their views make them."""
    import datetime as dt

    from vsm_desktop.demo.generator import generate
    from vsm_desktop.store.check import summary_mismatches

    source = Store.initialise(tmp_path / "source.vsm", PASSPHRASE, author="Gwen Roberts", role="coordinator")
    generate(source, 14, 7, today=dt.date(2025, 11, 18), bulk=True)
    ops = [{"hlc": op["hlc"], "entity": op["entity"], "record_id": op["record_id"], "learner_id": op["learner_id"],
            "field": op["field"], "value": op["value"], "prev_hlc": op["prev_hlc"], "device_id": op["device_id"],
            "author": op["author"], "seq": seq, "held": None}
           for seq, op in enumerate(oplog.read(source.conn), start=1)]
    source.close()
    assert any(op["field"] == "status" for op in ops) and {"quality_ratings", "interventions"} <= {
        op["entity"] for op in ops}
    first = Store.initialise(tmp_path / "one.vsm", PASSPHRASE, author="Dyfais Prawf")
    first.close()
    shutil.copyfile(tmp_path / "one.vsm", tmp_path / "bulk.vsm")
    one, bulk = Store.open(tmp_path / "one.vsm", PASSPHRASE), Store.open(tmp_path / "bulk.vsm", PASSPHRASE)
    pages = [ops[i:i + 700] for i in range(0, len(ops), 700)]
    _apply(one, pages, bulk=False)
    saved, merge.BULK_SUMMARIES_FROM = merge.BULK_SUMMARIES_FROM, 1
    try:
        _apply(bulk, pages, bulk=True)
    finally:
        merge.BULK_SUMMARIES_FROM = saved
    expected, got = _content(one), _content(bulk)
    assert got == expected, _difference(expected, got)
    assert summary_mismatches(bulk.conn) == {}
    assert bulk.conn.execute("SELECT count(*) FROM summary_interventions").fetchone()[0] > 0
    one.close()
    bulk.close()
