"""The store on real SQLCipher files: writes with their change log, rules, search, audit."""

import datetime as dt
import json

import pytest

from vsm_desktop.domain.model import ImmutableError, ValidationError
from vsm_desktop.errors import Refused, WrongPassphrase
from vsm_desktop.store import oplog
from vsm_desktop.store.check import check_store
from vsm_desktop.store.store import Store, fts_query

from conftest import PASSPHRASE, add_learner, add_review


def ops(store, record_id):
    return [(op["field"], oplog.encode(op["value"]), op["prev_hlc"], op["hlc"], op["author"], op["device_id"],
             op["learner_id"]) for op in oplog.read(store.conn, "WHERE record_id = ?", (oplog.id_key(record_id),))]


def test_every_change_is_logged_with_the_stamp_it_replaced(store):
    learner = add_learner(store)
    store.set_field("learners", learner, "preferred_name", "Sia")
    store.set_field("learners", learner, "preferred_name", "Siani")
    log = ops(store, learner)
    assert [row[0] for row in log] == ["*", "preferred_name", "preferred_name"]
    create, first, second = log
    assert json.loads(create[1])["legal_forename"] == "Siân"
    assert first[2] == create[3], "the first edit replaced the value set at creation"
    assert second[2] == first[3], "the second edit replaced the first"
    assert all(row[4] == "Test Author" and row[5] == store.device_id and row[6] == learner for row in log)
    assert store.get("learners", learner)["preferred_name"] == "Siani"


def test_an_unchanged_value_writes_nothing(store):
    learner = add_learner(store)
    before = len(ops(store, learner))
    assert store.update("learners", learner, {"legal_surname": "Prosser"}) == []
    assert len(ops(store, learner)) == before


def test_children_of_a_review_are_logged_under_the_learner(store):
    learner = add_learner(store)
    review = add_review(store, learner)
    target = store.create("targets", {"review_id": review, "description": "Catch a bus with staff to the shop and pay",
                                      "description_lang": "en"})
    assert ops(store, target)[0][6] == learner
    audit = store.audit(learner)
    assert {a["entity"] for a in audit} == {"learners", "reviews", "targets"}
    assert all(a["author"] == "Test Author" for a in audit)


@pytest.mark.parametrize("entity_field_value", [
    ("learners", "date_of_birth", "2099-01-01"),
    ("learners", "legal_status", "on_holiday"),
    ("learners", "upn", "12345"),
    ("reviews", "attendance_pct", 100.5),
    ("reviews", "sdq_score", 41),
    ("reviews", "meeting_language", "fr"),
    ("reviews", "period_end", "2020-01-01"),
])
def test_invalid_values_are_refused_naming_the_field(store, entity_field_value):
    entity, field, value = entity_field_value
    learner = add_learner(store)
    record = learner if entity == "learners" else add_review(store, learner)
    before = store.get(entity, record)
    with pytest.raises(ValidationError) as e:
        store.set_field(entity, record, field, value)
    assert e.value.field == field
    assert store.get(entity, record) == before


def test_end_date_before_start_date_is_refused(store):
    learner = add_learner(store)
    with pytest.raises(ValidationError) as e:
        store.create("placements", {"learner_id": learner, "placement_type": "foster", "placing_area": "in_county",
                                    "start_date": "2025-01-10", "end_date": "2024-12-01"})
    assert e.value.field == "end_date"
    assert "Start date" not in e.value.describe() and "End date" in e.value.describe()
    assert store.counts()["placements"] == 0


def test_absences_above_100_percent_are_refused(store):
    review = add_review(store, add_learner(store))
    store.update("reviews", review, {"authorised_absence_pct": 60.0})
    with pytest.raises(ValidationError) as e:
        store.update("reviews", review, {"unauthorised_absence_pct": 50.0})
    assert e.value.field == "unauthorised_absence_pct"


def test_next_review_carries_only_open_targets(store):
    learner = add_learner(store)
    first = add_review(store, learner, meeting_date="2026-10-01")
    store.create("targets", {"review_id": first, "description": "Read a chapter a week", "description_lang": "en"})
    store.finalise_review(first)
    second = add_review(store, learner, period_start="2027-01-05", period_end="2027-03-19", due_date="2027-03-19",
                        meeting_date="2027-02-01")
    carried = store.children("targets", second)[0]
    store.set_field("targets", carried["id"], "progress", "achieved")
    store.create("targets", {"review_id": second, "description": "Join the school choir", "description_lang": "en"})
    store.finalise_review(second)
    third = add_review(store, learner, period_start="2027-04-12", period_end="2027-07-16", due_date="2027-07-16")
    assert [t["description"] for t in store.children("targets", third)] == ["Join the school choir"]


def test_a_finalised_review_is_immutable_with_everything_in_it(store):
    learner = add_learner(store)
    review = add_review(store, learner, meeting_date="2026-11-20")
    target = store.create("targets", {"review_id": review, "description": "Read a chapter a week", "description_lang": "en"})
    store.finalise_review(review)
    assert store.get("reviews", review)["status"] == "finalised"
    for attempt in (
        lambda: store.set_field("reviews", review, "strengths", "Changed"),
        lambda: store.set_field("targets", target, "description", "Changed"),
        lambda: store.create("actions", {"review_id": review, "description": "New", "description_lang": "en"}),
        lambda: store.finalise_review(review),
    ):
        with pytest.raises(ImmutableError, match="finalised"):
            attempt()
    with pytest.raises(ValidationError):
        store.set_field("reviews", review, "status", "draft")
    # The coordinator's quality rating is still possible.
    store.create("quality_ratings", {"review_id": review, "rating": "green"})
    assert check_store(store) == []


def test_an_amendment_copies_a_finalised_review_and_leaves_it_readable(store):
    learner = add_learner(store)
    review = add_review(store, learner, meeting_date="2026-11-20", strengths="Darllen yn dda", strengths_lang="cy")
    target = store.create("targets", {"review_id": review, "description": "Read a chapter a week", "description_lang": "en"})
    store.create("attendees", {"review_id": review, "name": "Mrs Evans", "role": "designated_person",
                               "attendance": "present", "agreed": True, "signed_at": "2026-11-20T15:00:00+00:00"})
    store.create("quality_ratings", {"review_id": review, "rating": "red", "feedback": "Targets are vague"})
    with pytest.raises(Refused):
        store.start_amendment(add_review(store, add_learner(store, "L000002")), "Draft")
    store.finalise_review(review)
    with pytest.raises(ValidationError):
        store.start_amendment(review, "  ")

    amendment = store.start_amendment(review, "Targets made measurable", "en")
    with pytest.raises(Refused, match="already has an amendment"):
        store.start_amendment(review, "A second one")

    new = store.get("reviews", amendment)
    assert (new["status"], new["review_type"], new["amends_review_id"]) == ("draft", "amendment", review)
    assert (new["amendment_reason"], new["strengths"], new["strengths_lang"]) == (
        "Targets made measurable", "Darllen yn dda", "cy")
    assert new["finalised_at"] is None and new["meeting_date"] == "2026-11-20"
    [copied] = store.children("targets", amendment)
    assert copied["description"] == "Read a chapter a week" and copied["id"] != target
    [attendee] = store.children("attendees", amendment)
    assert attendee["name"] == "Mrs Evans" and not attendee["agreed"] and attendee["signed_at"] is None
    assert store.children("quality_ratings", amendment) == []
    # The earlier version is unchanged and still refuses changes; the amendment takes them.
    assert store.get("reviews", review)["status"] == "finalised"
    assert [t["id"] for t in store.children("targets", review)] == [target]
    store.set_field("targets", copied["id"], "description", "Read two chapters a week")
    store.finalise_review(amendment)
    # The next review follows the amendment, not the version it replaced.
    nxt = add_review(store, learner, period_start="2027-01-05", period_end="2027-03-19", due_date="2027-03-19")
    assert [t["description"] for t in store.children("targets", nxt)] == ["Read two chapters a week"]
    assert check_store(store) == []


def test_finalising_needs_a_meeting_date(store):
    review = add_review(store, add_learner(store))
    with pytest.raises(ValidationError) as e:
        store.finalise_review(review)
    assert e.value.field == "meeting_date"


def test_next_review_carries_targets_forward(store):
    learner = add_learner(store)
    first = add_review(store, learner, meeting_date="2026-10-01")
    t1 = store.create("targets", {"review_id": first, "description": "Dal bws i'r siop", "description_lang": "cy"})
    store.finalise_review(first)
    second = add_review(store, learner, period_start="2027-01-05", period_end="2027-03-19", due_date="2027-03-19")
    carried = store.children("targets", second)
    assert [(t["carried_from_id"], t["description"], t["description_lang"]) for t in carried] == [(t1, "Dal bws i'r siop", "cy")]
    store.set_field("targets", carried[0]["id"], "progress", "achieved")


def test_a_failed_transaction_leaves_nothing(store):
    learner = add_learner(store)
    before = store.counts()
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.set_field("learners", learner, "preferred_name", "Half")
            store.create("contacts", {"learner_id": learner, "role": "mentor", "name": "Rhodri Bevan"})
            raise RuntimeError("power cut")
    assert store.counts() == before
    assert store.get("learners", learner)["preferred_name"] is None


@pytest.mark.parametrize("query, expected", [
    ("sian", {"L000001"}), ("SIÂN", {"L000001"}), ("llyr", {"L000002"}), ("Llŷr", {"L000002"}),
    ("gwenllian", {"L000003"}), ("glantaf", {"L000001", "L000002"}), ("l000003", {"L000003"}),
    ("Ll", {"L000002", "L000003"}), ("jones llyr", {"L000002"}), ("nobody", set()), ('"*) OR (', set()),
])
def test_search_ignores_case_and_diacritics(store, query, expected):
    school = store.create("schools", {"name": "Ysgol Gyfun Gymraeg Glantaf"})
    other = store.create("schools", {"name": "Cathays High School"})
    people = [("L000001", "Siân", "Prosser", school), ("L000002", "Llŷr", "Jones", school),
              ("L000003", "Gwenllïan", "Llywelyn", other)]
    for ref, fore, sur, sch in people:
        learner = add_learner(store, ref, legal_forename=fore, legal_surname=sur)
        store.create("enrolments", {"learner_id": learner, "school_id": sch, "start_date": "2024-09-02"})
    assert {r["reference"] for r in store.list_learners(query)} == expected


def test_search_follows_a_school_move_and_a_renamed_school(store):
    learner = add_learner(store)
    a = store.create("schools", {"name": "Ysgol Bro Taf"})
    b = store.create("schools", {"name": "Pentwyn Primary School"})
    first = store.create("enrolments", {"learner_id": learner, "school_id": a, "start_date": "2022-09-01"})
    assert store.list_learners("taf")
    store.set_field("enrolments", first, "end_date", "2025-07-18")
    store.create("enrolments", {"learner_id": learner, "school_id": b, "start_date": "2025-09-02"})
    assert not store.list_learners("taf") and store.list_learners("pentwyn")
    store.set_field("schools", b, "name", "Ysgol Pentwyn")
    assert store.list_learners("ysgol pentwyn")
    assert check_store(store) == []


def test_fts_query_quotes_what_people_type():
    assert fts_query("  ") is None
    assert fts_query('Siân "OR" x*') == '"Siân"* "OR"* "x"*'


def test_stamps_continue_after_reopening(store_path):
    with Store.initialise(store_path, PASSPHRASE) as s:
        learner = add_learner(s)
        last = s.field_stamp(learner, "legal_surname")
    with Store.open(store_path, PASSPHRASE) as s:
        stamp = s.set_field("learners", learner, "legal_surname", "Pritchard")
        assert stamp > last


def test_reopen_needs_the_passphrase(store_path):
    Store.initialise(store_path, PASSPHRASE).close()
    with pytest.raises(WrongPassphrase):
        Store.open(store_path, "correct horse battery stapler")


def test_unicode_forms_of_the_same_passphrase_open_the_store(store_path):
    composed = "tebot awyren mynydd ŵ"
    decomposed = "tebot awyren mynydd w\u0302"
    Store.initialise(store_path, composed).close()
    Store.open(store_path, decomposed).close()


def test_short_passphrase_is_refused_with_a_hint(store_path):
    with pytest.raises(Refused, match="three random words|Three random words"):
        Store.initialise(store_path, "short")
    assert not store_path.exists()


def test_storage_full_is_reported_and_nothing_half_written(store):
    from vsm_desktop.errors import StorageFull

    learner = add_learner(store)
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StorageFull):
        with store.transaction():
            for i in range(2000):
                store.create("contacts", {"learner_id": learner, "role": "other", "name": f"Person {i}" * 10})
    store.conn.execute("PRAGMA max_page_count = 1073741823")
    assert store.counts()["contacts"] == 0
    assert check_store(store) == []


def test_store_file_is_private(store_path):
    Store.initialise(store_path, PASSPHRASE).close()
    assert store_path.stat().st_mode & 0o077 == 0


def test_store_uses_sqlcipher_4_defaults_and_the_promised_pragmas(store):
    conn = store.conn
    assert ("PRAGMA kdf_iter = 256000;",) in conn.execute("PRAGMA cipher_settings").fetchall()
    assert conn.execute("PRAGMA cipher_kdf_algorithm").fetchone()[0] == "PBKDF2_HMAC_SHA512"
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA temp_store").fetchone()[0] == 2
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_opens_with_the_standard_sqlcipher_library_and_passphrase(store_path):
    """The recovery path for an IT team: plain SQLCipher 4 defaults, nothing of ours needed."""
    import sqlcipher3

    with Store.initialise(store_path, PASSPHRASE) as s:
        add_learner(s)
    conn = sqlcipher3.connect(str(store_path))
    conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
    conn.execute("PRAGMA cipher_compatibility = 4")
    assert conn.execute("SELECT legal_forename FROM learners").fetchall() == [("Siân",)]
    conn.close()


def test_every_review_field_belongs_to_exactly_one_section():
    from vsm_desktop.domain import model, sections

    shown = [f for s in sections.SECTIONS for f in s.review_fields]
    assert len(shown) == len(set(shown))
    editable = {f.name for f in model.entity("reviews").fields if not f.lang_of} - set(sections.REVIEW_SYSTEM_FIELDS)
    assert set(shown) == editable
    lists = {e for s in sections.SECTIONS for e in s.review_lists + s.learner_lists}
    assert lists == (set(model.REVIEW_CHILDREN) | set(model.LEARNER_CHILDREN)) - {"reviews"} - set(
        sections.REVIEW_SYSTEM_LISTS) - set(sections.OWN_PANEL_LISTS)


def test_the_derived_key_opens_this_store_only(store_path, tmp_path):
    """connection.raw_key: the key SQLCipher derives from the passphrase, which a pack's worker
    processes are given instead of the passphrase; a wrong passphrase's is refused as such."""
    from vsm_desktop.errors import WrongPassphrase
    from vsm_desktop.store import connection

    with Store.initialise(store_path, PASSPHRASE, author="Test Author") as s:
        add_learner(s, "L000001", legal_surname="Morgan", legal_forename="Nia")
        key = connection.raw_key(store_path, PASSPHRASE)
        assert PASSPHRASE not in key
        with Store.open(store_path, key, read_only=True) as reader:
            assert reader.conn.execute("SELECT legal_surname FROM learners").fetchone()[0] == "Morgan"
            with pytest.raises(Exception):
                reader.conn.execute("DELETE FROM learners")
        with pytest.raises(WrongPassphrase):
            Store.open(store_path, connection.raw_key(store_path, "another passphrase entirely"))
    other = tmp_path / "other.vsm"
    Store.initialise(other, PASSPHRASE, author="Test Author").close()
    with pytest.raises(WrongPassphrase):   # the same passphrase, another salt: another key
        Store.open(other, key)


def _finalise(store, review_id: str, meeting: str, next_review: str | None) -> None:
    store.update("reviews", review_id, {"meeting_date": meeting, "meeting_language": "en",
                                        "next_review_date": next_review, "attendance_pct": 95.0})
    store.create("attendees", {"review_id": review_id, "name": "Ffion Jenkins", "role": "designated_person",
                               "attendance": "present"})
    store.finalise_review(review_id)


def test_the_list_takes_its_dates_from_the_latest_finalised_review_and_the_open_draft(store):
    today = dt.date(2026, 12, 10)
    learner = add_learner(store)
    other = add_learner(store, "L000002", legal_surname="Bowen")
    later = add_review(store, learner, period_start="2026-09-02", period_end="2026-12-18", due_date="2026-12-18")
    earlier = add_review(store, learner, period_start="2026-04-20", period_end="2026-07-17", due_date="2026-07-17")
    _finalise(store, later, "2026-11-20", "2027-03-19")
    _finalise(store, earlier, "2026-07-10", "2027-05-01")   # finalised last, but for an earlier period
    _finalise(store, add_review(store, other), "2026-11-02", None)

    def summary(learner_id):
        row = next(r for r in store.list_learners(today=today) if r["id"] == learner_id)
        return row["last_review"], row["next_due"], row["overdue"]
    assert summary(learner) == ("2026-11-20", "2027-03-19", False)
    assert summary(other) == ("2026-11-02", None, False)   # no next date set, and no draft
    add_review(store, learner, period_start="2027-01-05", period_end="2027-03-26", due_date="2026-12-09")
    assert summary(learner) == ("2026-11-20", "2026-12-09", True)  # the open draft's due date comes first
    assert [r["id"] for r in store.list_learners(search="Bowen", today=today)] == [other]


def test_the_change_log_is_read_through_its_indexes_and_unsent_learners_are_found(store):
    """Migration 0016: one learner index (learner, server sequence) answers both the history and
    'has this learner unsent changes', and the list's unsent flag agrees with `unsynced_learners`."""
    first, second = add_learner(store), add_learner(store, "L000002", legal_forename="Ifan")
    assert store.unsynced_learners() == {first, second}
    store.conn.execute("UPDATE ops SET server_seq = seq WHERE learner_id = ?", (oplog.id_key(first),))
    assert store.unsynced_learners() == {second}
    assert {r["id"]: r["unsynced"] for r in store.list_learners()} == {first: False, second: True}

    def plan(sql, params=()):
        return " | ".join(row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql, params))

    key = oplog.id_key(first)
    assert "SEARCH ops USING INDEX ops_learner (learner_id=?)" in plan(
        "SELECT hlc FROM ops WHERE learner_id = ?", (key,))
    assert "USING COVERING INDEX ops_learner (learner_id=? AND server_seq=?)" in plan(
        "SELECT 1 FROM ops o WHERE o.learner_id = ? AND o.server_seq IS NULL", (key,))
    assert "USING INDEX ops_unsent" in plan("SELECT count(*) FROM ops WHERE server_seq IS NULL AND held IS NULL")
    assert "USING INDEX ops_record_field (record_id=? AND field=?)" in plan(
        "SELECT max(hlc) FROM ops WHERE record_id = ? AND field IN ('a', 'b') AND held IS NULL", (key,))
    indexes = {name for (name,) in store.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ops' AND sql IS NOT NULL")}
    assert indexes == {"ops_record_field", "ops_learner", "ops_unsent", "ops_held"}
