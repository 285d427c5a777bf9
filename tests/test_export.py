"""The JSON export: documented by the committed schema, complete, and a faithful round trip."""

import json
from pathlib import Path

import jsonschema
import pytest

from vsm_desktop.errors import Refused
from vsm_desktop.store import export
from vsm_desktop.store.check import check_store
from vsm_desktop.store.store import Store

from conftest import PASSPHRASE, REPO, add_learner, add_review, run_cli

SCHEMA_FILE = REPO / "schemas" / "export.schema.json"


def fill(store):
    school = store.create("schools", {"name": "Ysgol Uwchradd Bro Myrddin", "medium": "bilingual", "kind": "secondary"})
    people = []
    for ref, name in (("L000001", "Llŷr"), ("L000002", "Ffion")):
        learner = add_learner(store, ref, legal_forename=name)
        store.create("enrolments", {"learner_id": learner, "school_id": school, "start_date": "2023-09-04"})
        store.create("contacts", {"learner_id": learner, "role": "social_worker", "name": "Heledd Rees",
                                  "phone": "029 2087 1234", "email": "heledd.rees@example.org"})
        review = add_review(store, learner, meeting_date="2026-11-02", meeting_language="cy")
        store.update("reviews", review, {"voice_enjoy": "Dw i'n hoffi nofio.", "voice_enjoy_lang": "cy",
                                         "attendance_pct": 96.5, "reduced_timetable": False})
        store.create("targets", {"review_id": review, "description": "Darllen llyfr bob wythnos", "description_lang": "cy"})
        store.create("interventions", {"review_id": review, "kind": "tutoring", "cost_pence": 45000, "funding": "pdg_cla"})
        store.finalise_review(review)
        store.set_field("learners", learner, "preferred_name", name + "y")
        people.append(learner)
    return people


def test_committed_schema_is_the_generated_one():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == export.schema_text(), \
        "run: python -m vsm_desktop.store.export"


def test_learner_export_holds_the_whole_record_and_its_history(store):
    learner, other = fill(store)
    data = export.export_learner(store, learner)
    jsonschema.validate(data, json.loads(SCHEMA_FILE.read_text()))
    assert [l["id"] for l in data["records"]["learners"]] == [learner]
    assert data["records"]["learners"][0]["preferred_name"] == "Llŷry"
    assert len(data["records"]["reviews"]) == 1 and len(data["records"]["targets"]) == 1
    assert len(data["records"]["schools"]) == 1
    assert all(op["learner_id"] in (learner, None) for op in data["ops"])
    fields = [op["field"] for op in data["ops"] if op["record_id"] == learner]
    assert fields == ["*", "preferred_name"], "the history, not only the current state"
    assert other not in json.dumps(data)


def test_round_trip_through_an_empty_store_gives_an_identical_export(store, tmp_path):
    fill(store)
    first = export.dumps(export.export_all(store))
    with Store.initialise(tmp_path / "empty.vsm", PASSPHRASE) as empty:
        export.import_export(empty, json.loads(first))
        assert export.dumps(export.export_all(empty)) == first
        assert check_store(empty) == []
        assert [r["preferred_name"] for r in empty.list_learners("llyr")] == ["Llŷry"]
        # Local edits after an import are stamped after the imported history.
        learner = empty.resolve_learner("L000001")
        stamp = empty.set_field("learners", learner, "preferred_name", "Llŷr")
        assert stamp > max(op["hlc"] for op in json.loads(first)["ops"])


def test_importing_twice_is_refused_and_changes_nothing(store):
    fill(store)
    data = export.export_all(store)
    before = export.dumps(export.export_all(store))
    with pytest.raises(Refused, match="already in this store"):
        export.import_export(store, data)
    assert export.dumps(export.export_all(store)) == before


def _conflict(data: dict, **bad) -> dict:
    """A conflict as an export lists it, about the export's first learner, with `bad` values."""
    op = data["ops"][0]
    return {"kind": "concurrent", "entity": "learners", "record_id": op["record_id"], "learner_id": op["learner_id"],
            "field": "preferred_name", "loser_hlc": op["hlc"], "loser_value": "Sia", "loser_author": "Other",
            "winner_hlc": None, "reason": None, "detected_at": "2026-11-20T10:00:00+00:00", "resolved_at": None,
            "resolved_by_hlc": None, **bad}


@pytest.mark.parametrize("damage", [
    lambda d: d.update(format="something else"),
    lambda d: d.update(schema_version=999),
    lambda d: d.pop("ops"),
    lambda d: d["ops"][0].update(hlc="yesterday"),
    lambda d: d["ops"][0].pop("author"),
    lambda d: d["records"]["learners"][0].update(legal_status="unknown"),
    lambda d: d["records"]["learners"][0].pop("id"),
    lambda d: d["conflicts"].append(_conflict(d, learner_id=42)),
    lambda d: d["conflicts"].append(_conflict(d, reason={"not": "a sentence"})),
    lambda d: d["conflicts"].append(_conflict(d, resolved_at=["2026-11-20"])),
])
def test_damaged_exports_are_refused_whole(store, tmp_path, damage):
    fill(store)
    data = export.export_all(store)
    damage(data)
    with Store.initialise(tmp_path / "empty.vsm", PASSPHRASE) as empty:
        with pytest.raises((Refused, ValueError)):
            export.import_export(empty, data)
        assert sum(empty.counts().values()) == 0


def test_cli_round_trip(store, store_path, tmp_path):
    fill(store)
    store.close()
    one, everything, again = tmp_path / "one.json", tmp_path / "all.json", tmp_path / "again.json"
    result = run_cli("export-json", "--store", store_path, "--learner", "L000002", "--out", one)
    assert result.returncode == 0 and "not encrypted" in result.stdout
    assert run_cli("export-json", "--store", store_path, "--all", "--out", everything).returncode == 0
    empty = tmp_path / "empty.vsm"
    assert run_cli("init", "--store", empty).returncode == 0
    result = run_cli("import-json", "--store", empty, everything)
    assert result.returncode == 0, result.stderr
    assert run_cli("export-json", "--store", empty, "--all", "--out", again).returncode == 0
    assert again.read_bytes() == everything.read_bytes()
    assert json.loads(one.read_text())["scope"] == "learner"


def test_import_of_a_file_that_is_not_json(store, store_path, tmp_path):
    store.close()
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\x00\xffnot json")
    result = run_cli("import-json", "--store", store_path, bad)
    assert result.returncode == 7 and "not a VSM Desktop export" in result.stderr
