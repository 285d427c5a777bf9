"""A store built at every earlier schema version migrates to the newest with its data intact."""

import json

import pytest

from vsm_desktop.store import connection, migrate, oplog
from vsm_desktop.store.check import check_store
from vsm_desktop.store.store import Store

from conftest import PASSPHRASE

DEVICE = "0123456789abcdef"
SCHOOL = "a" * 32
LEARNER = "b" * 32
ENROLMENT = "c" * 32
REVIEW = "d" * 32
ROWS = [
    ("schools", SCHOOL, {"name": "Ysgol Gymraeg Llwyncelyn", "medium": "welsh_medium", "kind": "primary"}),
    ("learners", LEARNER, {"reference": "L000042", "legal_forename": "Gwenllïan", "legal_surname": "ap Dafydd",
                           "date_of_birth": "2016-01-30", "legal_status": "sgo",
                           "day_to_day_consents": "Y gofalwr maeth", "day_to_day_consents_lang": "cy"}),
    ("enrolments", ENROLMENT, {"learner_id": LEARNER, "school_id": SCHOOL, "start_date": "2021-09-01"}),
    ("reviews", REVIEW, {"learner_id": LEARNER, "review_type": "termly", "status": "draft",
                         "period_start": "2026-04-20", "period_end": "2026-07-17", "due_date": "2026-07-17",
                         "progress_summary": "Yn darllen yn annibynnol", "progress_summary_lang": "cy"}),
]


def build_store_at(path, version: int):
    conn = connection.connect(path, PASSPHRASE, create=True)
    conn.execute(f"PRAGMA application_id = {connection.APPLICATION_ID}")
    migrate.migrate(conn, target=version)
    assert migrate.schema_version(conn) == version
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO meta VALUES (?, ?)", [("application", "vsm-desktop"), ("device_id", DEVICE), ("author", "Old Version")])
    for n, (table, rid, values) in enumerate(ROWS):
        cols = ["id", *values]
        conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", [rid, *values.values()])
        learner = None if table == "schools" else LEARNER
        stamp = f"{1_700_000_000_000 + n:015d}-000000-{DEVICE}"
        if version >= 14:   # the compact change log (0014): rows through its one encoder
            conn.execute(oplog.INSERT, oplog.row(stamp, table, rid, learner, "*", values, None, "Old Version"))
            continue
        conn.execute(
            "INSERT INTO ops (hlc, entity, record_id, learner_id, field, value, device_id, author) VALUES (?, ?, ?, ?, '*', ?, ?, ?)",
            (stamp, table, rid, learner, json.dumps(values, ensure_ascii=False), DEVICE, "Old Version"),
        )
    if version >= 2:
        # From schema 2 on, the application kept the search index in step with every write.
        conn.execute(
            "INSERT INTO learner_search(rowid, names, school, reference) SELECT l.rowid, "
            "l.legal_forename || ' ' || l.legal_surname || ' ' || coalesce(l.preferred_name, ''), ?, l.reference "
            "FROM learners l", (ROWS[0][2]["name"],))
    conn.execute("COMMIT")
    conn.close()


def test_there_is_more_than_one_schema_version():
    assert migrate.SCHEMA_VERSION >= 2


@pytest.mark.parametrize("version", range(1, migrate.SCHEMA_VERSION))
def test_earlier_version_migrates_with_data_intact(tmp_path, version):
    path = tmp_path / f"v{version}.vsm"
    build_store_at(path, version)
    with Store.open(path, PASSPHRASE) as store:
        assert migrate.schema_version(store.conn) == migrate.SCHEMA_VERSION
        learner = store.get("learners", LEARNER)
        assert learner["legal_forename"] == "Gwenllïan" and learner["day_to_day_consents_lang"] == "cy"
        assert store.get("schools", SCHOOL)["name"] == "Ysgol Gymraeg Llwyncelyn"
        assert [r["reference"] for r in store.list_learners("gwenllian")] == ["L000042"]
        assert [r["reference"] for r in store.list_learners("llwyncelyn")] == ["L000042"]
        assert check_store(store) == []
        # The store goes on working: new changes are stamped after the old ones.
        stamp = store.set_field("learners", LEARNER, "preferred_name", "Gwen")
        assert stamp > f"{1_700_000_000_000:015d}"
        # The review keeps what it held and gets its phase (worked out, never stored) and sections.
        review = store.get("reviews", REVIEW)
        assert review["progress_summary"] == "Yn darllen yn annibynnol" and review["phase_override"] is None
        plan = store.section_plan(REVIEW)
        assert plan.phase == "school_age" and "progress" in plan.keys and "course" not in plan.keys
        store.override_phase(REVIEW, "post16", "Mynychu cwrs coleg ddau ddiwrnod yr wythnos", "cy")
        store.set_field("reviews", REVIEW, "course_title", "Peirianneg lefel 1")
        store.create("qualifications", {"review_id": REVIEW, "title": "Peirianneg", "status": "studying"})
        assert store.section_plan(REVIEW).why["progress"] == "data"
        assert check_store(store) == []


def test_a_failing_migration_leaves_the_store_at_its_old_version(tmp_path, monkeypatch):
    path = tmp_path / "v1.vsm"
    build_store_at(path, 1)
    scripts = migrate.migration_scripts()
    broken = scripts[:1] + [(2, "broken", scripts[1][2] + "\nTHIS IS NOT SQL;")]
    monkeypatch.setattr(migrate, "migration_scripts", lambda: broken)
    conn = connection.connect(path, PASSPHRASE)
    with pytest.raises(connection.DatabaseError):
        migrate.migrate(conn)
    assert migrate.schema_version(conn) == 1
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'learner_search'").fetchone()[0] == 0
    conn.close()


def test_model_matches_the_migrated_tables(store):
    from vsm_desktop.domain import model

    for name, ent in model.ENTITIES.items():
        columns = [(row[1], row[2]) for row in store.conn.execute(f"PRAGMA table_info({name})")]
        assert columns == [("id", "TEXT")] + [(f.name, f.sql_type) for f in ent.fields], name


@pytest.mark.parametrize("version", range(1, migrate.SCHEMA_VERSION))
def test_funding_works_on_a_store_migrated_from_an_earlier_version(tmp_path, version):
    from vsm_desktop.domain import funding

    path = tmp_path / f"v{version}.vsm"
    build_store_at(path, version)
    with Store.open(path, PASSPHRASE) as store:
        store.set_profile("Gareth Huws", "coordinator")
        review = store.start_review(LEARNER, {"review_type": "termly", "period_start": "2026-09-02",
                                              "period_end": "2026-12-18", "due_date": "2026-12-18"})
        target = store.create("targets", {"review_id": review, "description": "Swim 25 metres"})
        rid = funding.request_funding(store, review, amount_pence=12000, kind="activities", purpose="Swimming lessons",
                                      target_ids=[target], start_date="2026-09-10")
        funding.set_allocation(store, 2026, 100_000, school_id=SCHOOL)
        funding.decide(store, rid, "approve", reason="Yes")
        funding.record_spend(store, rid, amount_pence=12000, spent_on="2026-10-01")
        assert funding.school_of_request(store, store.get("funding_requests", rid)) == SCHOOL
        assert store.get("learners", LEARNER)["legal_forename"] == "Gwenllïan"
        assert check_store(store) == []
