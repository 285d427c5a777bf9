"""PDG-CLA funding end to end, through a real sync server on 127.0.0.1: a designated person asks
on their device, a coordinator decides on theirs, spend is recorded against the approval, and the
dashboard's and the monitoring report's figures agree with sums taken independently from the
server's raw records. A decision pushed by anyone but a coordinator is refused (403)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
import requests
from sqlalchemy import select

from vsm_desktop.coordinator import tasks
from vsm_desktop.domain import funding
from vsm_desktop.errors import Refused
from vsm_desktop.reports import funding as figures
from vsm_desktop.reports.cohort import Period, Scope
from vsm_desktop.reports.dashboard import compute
from vsm_desktop.reports.monitoring import figures_json
from vsm_server import db as sdb, service

from conftest import add_learner, run_cli, cli_env, PASSPHRASE
from sync_support import ThreadServer, device, sqlite_url

TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def server(tmp_path):
    s = ThreadServer(sqlite_url(tmp_path / "server.db"))
    yield s
    s.stop()


def server_records(server, entity: str) -> list[dict]:
    """The server's current state of every record of one kind, from its own tables."""
    out: dict[str, dict] = {}
    with server.engine.connect() as conn:
        ids = [r[0] for r in conn.execute(select(sdb.records.c.record_id).where(sdb.records.c.entity == entity))]
        for rid, values in sdb.current_values(conn, ids).items():
            out[rid] = {"id": rid, **values}
    return list(out.values())


def test_request_decide_spend_through_the_server(tmp_path, server):
    coord = device(tmp_path, server, "gareth", "coordinator")
    store = coord.store
    school = store.create("schools", {"name": "Ysgol y Graig", "medium": "welsh_medium", "kind": "primary"})
    other_school = store.create("schools", {"name": "Ysgol Bro Taf", "medium": "welsh_medium", "kind": "primary"})
    learner = add_learner(store, "L000001")
    second = add_learner(store, "L000002", legal_forename="Osian")
    store.create("enrolments", {"learner_id": learner, "school_id": school, "start_date": "2024-09-01"})
    store.create("enrolments", {"learner_id": second, "school_id": other_school, "start_date": "2024-09-01"})
    base = {"review_type": "termly", "period_start": "2026-09-02", "period_end": "2026-12-18", "due_date": "2026-12-18"}
    review = store.start_review(learner, base)
    review2 = store.start_review(second, base)
    target = store.create("targets", {"review_id": review, "description": "Darllen llyfr pennod", "description_lang": "cy"})
    target2 = store.create("targets", {"review_id": review, "description": "Join the chess club"})
    funding.set_allocation(store, 2026, 100_000)                      # £1,000 for the authority
    funding.set_allocation(store, 2026, 50_000, school_id=school)     # £500 devolved to Ysgol y Graig
    assert coord.sync().rejected == 0

    # The designated person of Ysgol y Graig asks, on their own device.
    dp = device(tmp_path, server, "catrin", "designated_person", school=school)
    dp.sync()
    assert dp.store.role == "designated_person"
    assert dp.store.get("targets", target) is not None
    assert funding.allocation_for(dp.store, 2026, school)["amount_pence"] == 50_000   # allocations reach every device
    tutoring = funding.request_funding(
        dp.store, review, amount_pence=45_000, kind="tutoring", purpose="Tiwtor darllen, awr yr wythnos",
        purpose_lang="cy", provider="Tiwtora Cyf", start_date="2026-10-01", end_date="2027-03-31",
        expected_impact="Darllen yn annibynnol", expected_impact_lang="cy", target_ids=[target])
    laptop = funding.request_funding(dp.store, review, amount_pence=30_000, kind="equipment",
                                     purpose="A laptop for homework", purpose_lang="en", start_date="2026-10-15",
                                     target_ids=[target, target2])
    with pytest.raises(Refused):   # exit 7 on the device
        funding.decide(dp.store, tutoring, "approve", reason="Fi sy'n penderfynu")
    # The review is finalised before any decision: decisions and spend still go through.
    dp.store.update("reviews", review, {"meeting_date": "2026-11-20"})
    dp.store.finalise_review(review)
    assert dp.sync().rejected == 0

    # The coordinator decides: part of the tutoring (above the school's remaining share: warned), and
    # more information for the laptop; another learner's request is declined outright.
    coord.sync()
    assert store.get("funding_requests", tutoring)["purpose"] == "Tiwtor darllen, awr yr wythnos"
    outcome = funding.decide(store, tutoring, "approve", amount_pence=40_000, reason="Rhan: cyfradd is",
                             reason_lang="cy")
    assert outcome.warnings == []
    outcome = funding.decide(store, laptop, "approve", amount_pence=20_000, reason="Yes")   # £400 + £200 > £500
    assert any("school's allocation" in w for w in outcome.warnings)
    other = funding.request_funding(store, review2, amount_pence=10_000, kind="activities", purpose="Swimming",
                                    start_date="2026-11-01")
    funding.decide(store, other, "decline", reason="Paid by the school")
    assert coord.sync().rejected == 0

    # The requester sees the decision, with who made it, in the PEP and in their tasks.
    dp.sync()
    decided = dp.store.get("funding_requests", tutoring)
    assert (decided["status"], decided["approved_pence"], decided["decided_by"], decided["decided_by_role"]) == (
        "approved", 40_000, "Gareth", "coordinator")
    mine = [t for t in tasks.tasks_for(dp.store, today=TODAY) if t.kind == tasks.FUNDING]
    assert {t.record_id for t in mine} == {tutoring, laptop}
    assert any("Approved" in t.detail and "£400.00" in t.detail for t in mine)

    # Spend on the designated person's device: the second line goes above the approval (marked).
    funding.record_spend(dp.store, tutoring, amount_pence=25_000, spent_on="2026-11-03")
    over = funding.record_spend(dp.store, tutoring, amount_pence=20_000, spent_on="2026-12-01", note="Extra")
    assert over.warnings and dp.store.get("funding_spend", over.record_id)["over_approved"] is True
    funding.record_spend(dp.store, laptop, amount_pence=19_999, spent_on="2026-10-20")

    # A decision pushed by a designated person (past the device's own check) is refused by the
    # server: 403 not_permitted, what was typed kept as a refused change.
    dp.store.update("funding_requests", laptop, {"decision_reason": "Fy hun"})
    result = dp.sync()
    assert result.rejected == 1
    refused = [c for c in dp.client.conflicts() if c.kind == "rejected"]
    assert [(c.entity, c.field, c.reason, c.other_value) for c in refused] == [
        ("funding_requests", "decision_reason", "not_permitted", "Fy hun")]
    # Nor can the requester undo a decision by sending the request back (or change what was decided).
    dp.store.update("funding_requests", tutoring, {"status": "requested", "amount_pence": 90_000})
    assert dp.sync().rejected == 2
    assert dp.store.get("funding_requests", tutoring)["status"] == "approved"
    token = dp.store.conn.execute("SELECT value FROM meta WHERE key = 'sync_device_token'").fetchone()[0]
    op = {"hlc": f"{sdb.now_ms():015d}-000000-{dp.store.device_id}", "entity": "funding_requests",
          "record_id": tutoring, "learner_id": learner, "field": "status", "value": "declined",
          "prev_hlc": None, "device_id": dp.store.device_id, "author": "x"}
    r = requests.post(server.url + "/v1/push", json={"batch_id": uuid.uuid4().hex, "cursor": 0, "ops": [op]},
                      headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert r.status_code == 403 and r.json()["error"]["code"] == "not_permitted"
    assert "decides PDG-CLA funding" in r.json()["error"]["message"]

    # Figures, on the coordinator's device, against sums from the server's raw records.
    coord.sync()
    raw_requests = [x for x in server_records(server, "funding_requests") if not x.get("deleted")]
    raw_spend = [x for x in server_records(server, "funding_spend") if not x.get("deleted")]
    raw_alloc = server_records(server, "funding_allocations")
    assert len(raw_requests) == 3 and len(raw_spend) == 3
    expect = {
        "requested": sum(x["amount_pence"] for x in raw_requests),
        "approved": sum(x["approved_pence"] for x in raw_requests if x["status"] == "approved"),
        "spent": sum(x["amount_pence"] for x in raw_spend),
        "allocation": sum(x["amount_pence"] for x in raw_alloc if x.get("school_id") is None),
    }
    assert expect == {"requested": 85_000, "approved": 60_000, "spent": 64_999, "allocation": 100_000}
    period = Period(dt.date(2026, 9, 1), dt.date(2027, 8, 31))
    d = compute(store, period, Scope(), today=TODAY)
    t = d.funding.total
    assert (t.requested_pence, t.approved_pence, t.spent_pence, t.allocation_pence, t.remaining_pence) == (
        expect["requested"], expect["approved"], expect["spent"], expect["allocation"],
        expect["allocation"] - expect["approved"])
    assert t.over_approved == 1 and t.waiting == 0
    by_kind = {l.key: (l.requested_pence, l.approved_pence, l.spent_pence) for l in d.funding.by_kind}
    for kind in by_kind:
        mine = [x for x in raw_requests if x["kind"] == kind]
        assert by_kind[kind] == (
            sum(x["amount_pence"] for x in mine),
            sum(x["approved_pence"] for x in mine if x["status"] == "approved"),
            sum(s["amount_pence"] for s in raw_spend if s["request_id"] in {x["id"] for x in mine}))
    by_school = {l.key: l for l in d.funding.by_school}
    assert by_school[school].approved_pence == 60_000 and by_school[school].remaining_pence == -10_000
    assert by_school[other_school].requested_pence == 10_000 and by_school[other_school].approved_pence == 0

    # The monitoring report (JSON) carries the same, through the command line; suppressed below 5.
    out = tmp_path / "report.json"
    r = run_cli("report", "--store", coord.path, "--from", "2026-09-01", "--to", "2027-08-31", "--format", "json",
                "--out", out, "--suppress-below", "2", env=cli_env())
    assert r.returncode == 0, r.stderr
    report = json.loads(out.read_text(encoding="utf-8"))["pdg_cla_funding"]
    assert (report["requested_gbp"], report["approved_gbp"], report["spent_gbp"], report["remaining_gbp"]) == (
        850.0, 600.0, 649.99, 400.0)
    schools = {s["school"]: s for s in report["by_school"]}
    assert schools["Ysgol y Graig"]["allocation_gbp"] == 500.0 and schools["Ysgol y Graig"]["requests"] == 2
    assert schools["Ysgol Bro Taf"]["requests"] == "<2" and schools["Ysgol Bro Taf"]["requested_gbp"] is None
    assert figures_json(d)["pdg_cla_funding"]["by_kind"][0]["kind"] == "tutoring"
    # The CSV, a row per learner, against the raw records.
    import csv
    import io

    out_csv = tmp_path / "report.csv"
    r = run_cli("report", "--store", coord.path, "--from", "2026-09-01", "--to", "2027-08-31", "--format", "csv",
                "--out", out_csv, env=cli_env())
    assert r.returncode == 0, r.stderr
    rows = {row["learner_id"]: row for row in csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8-sig")))}
    review_of = {learner: review, second: review2}
    for lid, row in rows.items():
        mine = [x for x in raw_requests if x["review_id"] == review_of[lid]]
        assert row["pdg_cla_requests"] == str(len(mine))
        assert row["pdg_cla_requested_gbp"] == f"{sum(x['amount_pence'] for x in mine) / 100:.2f}"
        assert row["pdg_cla_approved_gbp"] == f"{sum(x.get('approved_pence') or 0 for x in mine if x['status'] == 'approved') / 100:.2f}"
        assert row["pdg_cla_spent_gbp"] == f"{sum(s['amount_pence'] for s in raw_spend if s['request_id'] in {x['id'] for x in mine}) / 100:.2f}"
    assert rows[learner]["pdg_cla_spent_gbp"] == "649.99"
    # And the PDF, in Welsh, read back.
    from pdf_support import page_texts

    pdf = tmp_path / "report.pdf"
    r = run_cli("--lang", "cy", "report", "--store", coord.path, "--from", "2026-09-01", "--to", "2027-08-31",
                "--format", "pdf", "--out", pdf, "--suppress-below", "2", env=cli_env())
    assert r.returncode == 0, r.stderr
    whole = " ".join(page_texts(pdf))
    for text in ("Ceisiadau am gyllid GDD Plant sy'n Derbyn Gofal", "2026–27", "£1,000.00", "£600.00", "£649.99",
                 "£400.00", "Ysgol y Graig", "Tiwtora", "<2"):
        assert text in whole, text
    coord.close()
    dp.close()


def test_two_coordinators_deciding_offline_meet_as_a_conflict(tmp_path, server):
    one = device(tmp_path, server, "gareth", "coordinator")
    learner = add_learner(one.store, "L000003")
    review = one.store.start_review(learner, {"review_type": "termly", "period_start": "2026-09-02",
                                              "period_end": "2026-12-18", "due_date": "2026-12-18"})
    rid = funding.request_funding(one.store, review, amount_pence=9_000, kind="mentoring", purpose="Mentor")
    one.sync()
    two = device(tmp_path, server, "mererid", "coordinator")
    two.sync()
    funding.decide(one.store, rid, "approve", reason="Yes")
    funding.decide(two.store, rid, "decline", reason="No")
    one.sync()
    two.sync()
    one.sync()
    a, b = one.store.get("funding_requests", rid), two.store.get("funding_requests", rid)
    assert a["status"] == b["status"] and a["decided_by"] == b["decided_by"]   # the replicas converge
    assert any(c.field == "status" for c in two.client.conflicts() + one.client.conflicts())
    one.close()
    two.close()
