"""The change log's compact creations (vsm_desktop/store/oplog.py, migration 0014): every creation
reads back exactly as it was written, whatever changes or removes its record afterwards, and a
schema-13 store converts with its history and its export unchanged."""

import datetime as dt
import re
from importlib import resources

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vsm_desktop.demo.generator import generate
from vsm_desktop.domain import model
from vsm_desktop.errors import StoreDamaged
from vsm_desktop.store import connection, export, migrate, oplog
from vsm_desktop.store.check import check_store
from vsm_desktop.store.store import CURRENT_SCHOOL_SQL, Store

from conftest import PASSPHRASE, add_learner, add_review

TODAY = dt.date(2026, 3, 2)


def _written(store: Store) -> dict[str, str]:
    """Every operation's value as JSON, read through the one decoder."""
    return {op["hlc"]: oplog.encode(op["value"]) for op in oplog.read(store.conn)}


def test_migration_triggers_are_the_models():
    sql = (resources.files("vsm_desktop.store") / "migrations" / "0014_compact_log.sql").read_text(encoding="utf-8")
    assert sql.split("-- triggers (python -m vsm_desktop.store.oplog)\n", 1)[1] == oplog.triggers_sql()
    assert "-- step: compact_log\n" + oplog.drop_triggers_sql() + "DROP TABLE ops;\n" in sql


def test_every_column_of_every_record_table_is_kept_before_it_changes(store):
    # A column added to a record table without its triggers would lose creations' values.
    triggers = dict(store.conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    for name in model.ENTITIES:
        columns = [r[1] for r in store.conn.execute(f"PRAGMA table_info({name})") if r[1] != "id"]
        missing = [c for c in columns if f"'$.{c}'" not in triggers.get(f"ops_keep_{name}_{c}", "")]
        assert not missing, (name, "update", missing)
        missing = [c for c in columns if f"'$.{c}'" not in triggers[f"ops_keep_{name}_delete"]]
        assert not missing, (name, "delete", missing)


def test_a_creation_keeps_no_copy_until_its_record_changes(store):
    learner = add_learner(store, preferred_name="Sia")
    before = _written(store)
    value, over = store.conn.execute("SELECT value, over_record FROM ops WHERE record_id = ? AND field = '*'",
                                     (oplog.id_key(learner),)).fetchone()
    assert (value, over) == (None, 1)
    store.set_field("learners", learner, "preferred_name", "Siani")
    store.set_field("learners", learner, "preferred_name", None)
    store.set_field("learners", learner, "idp_holder", "school")
    value, over = store.conn.execute("SELECT value, over_record FROM ops WHERE record_id = ? AND field = '*'",
                                     (oplog.id_key(learner),)).fetchone()
    assert over == 1 and '"preferred_name":"Sia"' in value and "legal_forename" not in value
    after = _written(store)
    assert {h: after[h] for h in before} == before
    assert check_store(store) == []


# Values of every kind a column keeps: text with escapes and Welsh letters, whole numbers,
# yes/no, fractions that JSON writes with 17 digits.
TEXT = st.text(alphabet=st.sampled_from(list("aâŵŷ\"\\\n\t\x01 ")), min_size=1, max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.sampled_from(["reduced_timetable", "attendance_pct", "progress_summary",
                                                 "sdq_score", "ey_funded_hours", "delete"]),
                                st.one_of(st.none(), TEXT, st.booleans(),
                                          st.floats(min_value=0, max_value=100, allow_nan=False),
                                          st.integers(min_value=0, max_value=40))),
                      max_size=8))
def test_any_edits_or_removal_leave_creations_as_written(store, edits):
    learner = add_learner(store, reference=f"L{len(store.all_rows('learners')):06d}")
    review = add_review(store, learner, progress_summary="Cychwyn da", attendance_pct=91.25,
                        reduced_timetable=True, sdq_score=12)
    before = _written(store)
    ent = model.entity("reviews")
    sql_type = {"bool": bool, "pct": float, "decimal": float, "text": str, "int": int}
    with store.transaction():
        for field, value in edits:
            if field == "delete":
                # Any path that removes the record (sync's undo of a held creation, a learner leaving).
                store.conn.execute("DELETE FROM reviews WHERE id = ?", (review,))
                break
            if value is not None and sql_type[ent.field(field).kind] is not type(value):
                continue
            # Straight in SQL: the triggers keep the creation whatever path writes the record.
            store.conn.execute(f"UPDATE reviews SET {field} = ? WHERE id = ?",
                               (int(value) if isinstance(value, bool) else value, review))
    after = _written(store)
    assert {h: after[h] for h in before} == before


def _schema_13_copy(data: dict, path) -> None:
    """A store as version 13 wrote it: every creation with its whole value, the device in a column."""
    conn = connection.connect(path, PASSPHRASE, create=True)
    conn.execute(f"PRAGMA application_id = {connection.APPLICATION_ID}")
    migrate.migrate(conn, target=13)
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO meta VALUES (?, ?)", [("application", "vsm-desktop"), ("device_id", "0123456789abcdef"),
                                                       ("author", "Nia Hughes"), ("author_role", "designated_person")])
    conn.execute("PRAGMA defer_foreign_keys = ON")
    for name, rows in data["records"].items():
        ent = model.entity(name)
        for r in rows:
            conn.execute(f"INSERT INTO {name} ({', '.join(ent.columns)}) VALUES ({', '.join('?' * len(ent.columns))})",
                         [int(r[c]) if isinstance(r[c], bool) else r[c] for c in ent.columns])
    cols = ("hlc", "entity", "record_id", "learner_id", "field", "value", "prev_hlc", "device_id", "author",
            "server_seq", "held")
    conn.executemany(f"INSERT INTO ops ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                     [[oplog.encode(op[c]) if c == "value" else op[c] for c in cols] for op in data["ops"]])
    conn.execute(   # the search index, as the application keeps it
        "INSERT INTO learner_search(rowid, names, school, reference) SELECT l.rowid, l.legal_forename || ' ' ||"
        " l.legal_surname || ' ' || coalesce(l.preferred_name, ''), coalesce((" + CURRENT_SCHOOL_SQL + "), ''),"
        " l.reference FROM learners l")
    conn.execute("COMMIT")
    conn.close()


def test_a_schema_13_store_converts_with_its_history_and_export_unchanged(tmp_path):
    source = tmp_path / "source.vsm"
    with Store.initialise(source, PASSPHRASE, author="Nia Hughes", role="designated_person") as store:
        generate(store, 6, seed=19, today=TODAY)
        learner = store.conn.execute("SELECT id FROM learners ORDER BY id LIMIT 1").fetchone()[0]
        store.set_field("learners", learner, "preferred_name", "Gwen")
        data = export.export_all(store)
        expected = export.dumps(data)
        history = _written(store)
    old = tmp_path / "old.vsm"
    _schema_13_copy(data, old)
    seen = []
    with Store.open(old, PASSPHRASE, progress=lambda done, total: seen.append((done, total))) as store:
        assert migrate.schema_version(store.conn) == migrate.SCHEMA_VERSION
        assert seen[-2][0] == seen[-2][1] > len(data["ops"]) and seen[-1] == (0, 0)   # then VACUUM
        assert export.dumps(export.export_all(store)) == expected
        assert _written(store) == history
        assert check_store(store) == []
        compact, whole = store.conn.execute(
            "SELECT count(*) FILTER (WHERE over_record = 1), count(*) FILTER (WHERE over_record IS NULL)"
            " FROM ops WHERE field = '*'").fetchone()
        assert compact > 0.9 * (compact + whole)
        assert store.conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
        # It goes on working: an edit of a converted record keeps its creation as it was.
        review = store.conn.execute("SELECT id FROM reviews WHERE status = 'draft' LIMIT 1").fetchone()[0]
        store.set_field("reviews", review, "due_date", "2026-03-20")
        assert {h: v for h, v in _written(store).items() if h in history} == history


def test_an_import_keeps_creations_compact_and_exports_the_same_bytes(tmp_path):
    with Store.initialise(tmp_path / "a.vsm", PASSPHRASE, author="Nia Hughes", role="designated_person") as store:
        generate(store, 4, seed=5, today=TODAY)
        first = export.dumps(export.export_all(store))
    with Store.initialise(tmp_path / "b.vsm", PASSPHRASE, author="Nia Hughes", role="designated_person") as store:
        import json

        export.import_export(store, json.loads(first))
        assert export.dumps(export.export_all(store)) == first
        assert store.conn.execute("SELECT count(*) FROM ops WHERE over_record = 1").fetchone()[0] > 0


def test_an_export_with_a_device_other_than_its_stamps_is_refused(tmp_path):
    with Store.initialise(tmp_path / "a.vsm", PASSPHRASE, author="Nia Hughes", role="designated_person") as store:
        add_learner(store)
        data = export.export_all(store)
    data["ops"][0]["device_id"] = "f" * 16
    with Store.initialise(tmp_path / "b.vsm", PASSPHRASE, author="Nia Hughes", role="designated_person") as store:
        with pytest.raises(Exception, match=re.escape("malformed")):
            export.import_export(store, data)


def test_an_old_store_whose_history_names_another_device_is_left_as_it_was(tmp_path):
    with Store.initialise(tmp_path / "a.vsm", PASSPHRASE, author="Nia Hughes", role="designated_person") as store:
        add_learner(store)
        data = export.export_all(store)
    data["ops"][0]["device_id"] = "f" * 16
    old = tmp_path / "old.vsm"
    _schema_13_copy(data, old)
    with pytest.raises(StoreDamaged, match="names a device other than"):
        Store.open(old, PASSPHRASE)
    conn = connection.connect(old, PASSPHRASE)
    try:
        assert migrate.schema_version(conn) == 13
        assert conn.execute("SELECT device_id FROM ops ORDER BY hlc").fetchall() == [("f" * 16,)]
    finally:
        conn.close()
