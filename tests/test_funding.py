"""PDG-CLA funding in the core: requests, decisions, spend, impact and allocations, with the bad
input of issue 17 (amounts, decided twice, spend above approval, dates outside the period, who
decides), on real SQLCipher stores and through the real command line."""

import datetime as dt
import json

import pytest

from vsm_desktop import i18n
from vsm_desktop.domain import funding
from vsm_desktop.domain.model import ValidationError
from vsm_desktop.errors import Refused
from vsm_desktop.store.check import check_store
from vsm_desktop.store.store import Store

from conftest import PASSPHRASE, add_learner, add_review, cli_env, run_cli

WHEN = dt.datetime(2026, 10, 5, 9, 30, tzinfo=dt.timezone.utc)


def _setup(store):
    school = store.create("schools", {"name": "Ysgol y Graig", "medium": "welsh_medium", "kind": "primary"})
    learner = add_learner(store)
    store.create("enrolments", {"learner_id": learner, "school_id": school, "start_date": "2024-09-01"})
    review = add_review(store, learner)
    target = store.create("targets", {"review_id": review, "description": "Read a chapter book with a mentor",
                                      "description_lang": "en"})
    return school, learner, review, target


def _request(store, review, target, amount=45000, **kw):
    values = dict(amount_pence=amount, kind="tutoring", purpose="Reading tutor, one hour a week",
                  purpose_lang="en", start_date="2026-10-01", end_date="2027-03-31", target_ids=[target], when=WHEN)
    return funding.request_funding(store, review, **(values | kw))


@pytest.mark.parametrize("text,pence", [
    ("450", 45000), ("450.00", 45000), ("450.5", 45050), ("£1,250.50", 125050), ("450,50", 45050), (" 12 ", 1200),
    (300, 30000),
])
def test_amounts_are_parsed_into_pence(text, pence):
    assert funding.parse_amount(text) == pence


@pytest.mark.parametrize("text,problem", [
    ("-20", "negative"), ("0", "more than zero"), ("0.00", "more than zero"), ("abc", "not an amount"),
    ("NaN", "not an amount"), ("1.234", "two decimal places"), ("", "required"), ("1e5", "not an amount"),
])
def test_bad_amounts_are_refused_with_the_reason(text, problem):
    with pytest.raises(ValidationError) as e:
        funding.parse_amount(text)
    assert problem in e.value.describe()
    assert e.value.describe().startswith("Amount requested:")


def test_amounts_are_shown_as_pounds_in_each_language():
    assert funding.money(45050) == "£450.50"
    i18n.set_language("cy")
    assert "450.50" in funding.money(45050) and "£" in funding.money(45050)


def test_financial_year_turns_on_the_first_of_april():
    assert funding.financial_year("2027-03-31") == 2026
    assert funding.financial_year("2027-04-01") == 2027
    assert funding.year_label(2026) == "2026–27"


def test_request_decide_spend_and_impact(store):
    school, learner, review, target = _setup(store)
    rid = _request(store, review, target)
    req = store.get("funding_requests", rid)
    assert req["status"] == "requested" and req["requested_by"] == "Test Author"
    assert req["requested_by_role"] == "designated_person"
    assert [l["target_id"] for l in funding.links_of(store, rid)] == [target]

    # Only a coordinator decides (exit 7 on the command line: Refused).
    with pytest.raises(Refused, match="Only a LACE coordinator"):
        funding.decide(store, rid, "approve", reason="Good plan")
    store.set_profile("Gareth Huws", "coordinator")
    funding.set_allocation(store, 2026, 30000, when=WHEN)
    outcome = funding.decide(store, rid, "approve", amount_pence=40000, reason="Part: the tutor's rate is lower",
                             when=WHEN + dt.timedelta(days=1))
    # Above the remaining allocation: warned, not refused.
    assert any("goes above what remains" in w and "£300.00" in w for w in outcome.warnings)
    req = store.get("funding_requests", rid)
    assert (req["status"], req["approved_pence"], req["decided_by"], req["decided_by_role"]) == (
        "approved", 40000, "Gareth Huws", "coordinator")

    # Deciding again is refused, naming who decided and when.
    with pytest.raises(Refused) as e:
        funding.decide(store, rid, "decline", reason="Changed my mind")
    assert "Gareth Huws (LACE coordinator)" in str(e.value) and "6 Oct 2026, 10:30" in str(e.value)

    # Spend: dates outside the period refused; above the approved amount warned and marked.
    with pytest.raises(ValidationError, match="outside the request's period"):
        funding.record_spend(store, rid, amount_pence=1000, spent_on="2026-09-30")
    first = funding.record_spend(store, rid, amount_pence=30000, spent_on="2026-11-02")
    assert first.warnings == [] and not store.get("funding_spend", first.record_id)["over_approved"]
    second = funding.record_spend(store, rid, amount_pence=15000, spent_on="2027-01-15", note="Extra sessions")
    assert "£450.00" in second.warnings[0] and "£400.00" in second.warnings[0]
    assert store.get("funding_spend", second.record_id)["over_approved"] is True

    # The review is finalised: the request can still be spent against; the PEP's own lists cannot change.
    store.update("reviews", review, {"meeting_date": "2026-10-01"})
    store.finalise_review(review)
    funding.record_spend(store, rid, amount_pence=500, spent_on="2027-02-01")
    link = funding.links_of(store, rid)[0]
    following = store.start_review(learner, {"review_type": "termly", "period_start": "2027-01-05",
                                             "period_end": "2027-03-31", "due_date": "2027-03-31"})
    funding.record_impact(store, link["id"], impact="Reads daily now", impact_lang="en", progress="achieved",
                          review_id=following, on=dt.date(2027, 3, 20))
    link = store.get("funding_targets", link["id"])
    assert (link["impact_progress"], link["impact_review_id"]) == ("achieved", following)
    assert check_store(store) == []


def test_a_finalised_review_takes_decisions_but_not_requests_copied_into_amendments(store):
    school, learner, review, target = _setup(store)
    rid = _request(store, review, target)
    store.update("reviews", review, {"meeting_date": "2026-10-01"})
    store.finalise_review(review)
    store.set_profile("Gareth Huws", "coordinator")
    funding.decide(store, rid, "more-info", reason="Which provider?", when=WHEN)
    assert store.get("funding_requests", rid)["status"] == "more_info"
    amendment = store.start_amendment(review, "A correction")
    assert store.children("funding_requests", amendment) == []


def test_more_information_then_answered_then_declined(store):
    school, learner, review, target = _setup(store)
    rid = _request(store, review, target)
    store.set_profile("Gareth Huws", "coordinator")
    funding.decide(store, rid, "more-info", reason="Which provider?", when=WHEN)
    with pytest.raises(Refused, match="approval only"):
        funding.decide(store, rid, "decline", reason="No", amount_pence=100)
    store.set_profile("Catrin Ellis", "designated_person")
    funding.update_request(store, rid, {"provider": "Tiwtora Cyf"})
    assert store.get("funding_requests", rid)["status"] == "requested"
    store.set_profile("Gareth Huws", "coordinator")
    funding.decide(store, rid, "decline", reason="Covered by the school's own budget", when=WHEN)
    with pytest.raises(Refused, match="already declined"):
        funding.update_request(store, rid, {"provider": "Someone else"})
    with pytest.raises(Refused, match="approved request"):
        funding.record_spend(store, rid, amount_pence=100, spent_on="2026-11-01")


def test_bad_requests_are_refused(store):
    school, learner, review, target = _setup(store)
    other = add_review(store, add_learner(store, "L000002"))
    with pytest.raises(ValidationError, match="not a target of this PEP review"):
        _request(store, other, target)
    with pytest.raises(ValidationError, match="end date is before"):
        _request(store, review, target, start_date="2027-01-01", end_date="2026-12-01")
    with pytest.raises(ValidationError, match="for"):
        _request(store, review, target, purpose="  ")
    with pytest.raises(ValidationError):
        _request(store, review, target, amount=0)
    store.set_profile("Gareth Huws", "coordinator")
    rid = _request(store, review, target)
    with pytest.raises(ValidationError, match="more than was asked for"):
        funding.decide(store, rid, "approve", amount_pence=45001, reason="Too much")
    with pytest.raises(ValidationError, match="reason"):
        funding.decide(store, rid, "approve", reason=" ")
    assert store.get("funding_requests", rid)["status"] == "requested"


def test_allocation_set_again_replaces_the_year_and_school(store):
    school, *_rest = _setup(store)
    with pytest.raises(Refused):
        funding.set_allocation(store, 2026, 100)
    store.set_profile("Gareth Huws", "coordinator")
    first = funding.set_allocation(store, 2026, 5_000_000, when=WHEN)
    again = funding.set_allocation(store, 2026, 6_000_000, when=WHEN + dt.timedelta(hours=1))
    devolved = funding.set_allocation(store, 2026, 1_000_000, school_id=school, when=WHEN)
    assert first == again != devolved
    assert funding.allocation_for(store, 2026)["amount_pence"] == 6_000_000
    assert funding.allocation_for(store, 2026, school)["set_by"] == "Gareth Huws"


def test_is_decision_names_what_only_coordinators_write():
    assert funding.is_decision("funding_requests", "status", "approved")
    assert not funding.is_decision("funding_requests", "status", "requested")
    assert funding.is_decision("funding_requests", "approved_pence", 100)
    assert not funding.is_decision("funding_requests", "provider", "X")
    assert funding.is_decision("funding_requests", "*", {"status": "approved"})
    assert not funding.is_decision("funding_requests", "*", {"status": "requested", "amount_pence": 1})
    assert funding.is_decision("funding_allocations", "*", {"year": 2026})
    assert not funding.is_decision("funding_spend", "*", {"amount_pence": 1})


def test_the_command_line_requests_decides_and_spends(store_path):
    with Store.initialise(store_path, PASSPHRASE, author="Catrin Ellis", role="designated_person") as store:
        school, learner, review, target = _setup(store)
    env = cli_env()
    r = run_cli("funding-request", "--store", store_path, "--review", review[:8], "--amount", "450.00", "--kind",
                "tutoring", "--purpose", "Tiwtor darllen", "--lang", "cy", "--target", target[:10],
                "--start", "2026-10-01", "--end", "2027-03-31", "--provider", "Tiwtora Cyf", env=env)
    assert r.returncode == 0, r.stderr
    assert "£450.00" in r.stdout
    with Store.open(store_path, PASSPHRASE) as store:
        rid = store.all_rows("funding_requests")[0]["id"]
    for amount, problem in (("-5", "negative"), ("0", "more than zero"), ("lots", "not an amount")):
        bad = run_cli("funding-request", "--store", store_path, "--review", review, "--amount", amount, "--kind",
                      "tutoring", "--purpose", "X", env=env)
        assert bad.returncode == 7 and problem in bad.stderr
    # A designated person cannot decide: exit 7, nothing changed.
    r = run_cli("funding-decide", "--store", store_path, rid[:8], "approve", "--reason", "OK", env=env)
    assert r.returncode == 7 and "coordinator" in r.stderr
    coordinator = cli_env(VSM_NAME="Gareth Huws")
    with Store.open(store_path, PASSPHRASE) as store:
        store.set_profile("Gareth Huws", "coordinator")
    r = run_cli("funding-allocation", "--store", store_path, "--year", "2026", "--amount", "300", env=coordinator)
    assert r.returncode == 0 and "£300.00" in r.stdout, r.stderr
    r = run_cli("funding-decide", "--store", store_path, rid[:8], "approve", "--amount", "400", "--reason",
                "Rhan o'r swm", env=coordinator)
    assert r.returncode == 0, r.stderr
    assert "Warning:" in r.stderr and "£400.00" in r.stdout and "Gareth Huws" in r.stdout
    r = run_cli("funding-decide", "--store", store_path, rid[:8], "decline", "--reason", "No", env=coordinator)
    assert r.returncode == 7 and "already approved by Gareth Huws" in r.stderr
    r = run_cli("funding-spend", "--store", store_path, rid[:8], "--amount", "120", "--date", "2026-09-01", env=env)
    assert r.returncode == 7 and "outside the request's period" in r.stderr
    r = run_cli("funding-spend", "--store", store_path, rid[:8], "--amount", "420.50", "--date", "2026-11-01", env=env)
    assert r.returncode == 0 and "marked" in r.stderr
    r = run_cli("funding", "--store", store_path, "--status", "approved", "--json", env=env)
    rows = json.loads(r.stdout)
    assert [(x["approved_pence"], x["spent_pence"], x["status"]) for x in rows] == [(40000, 42050, "approved")]
    r = run_cli("--lang", "cy", "funding", "--store", store_path, env=env)
    assert r.returncode == 0 and "£450.00" in r.stdout
    # The requester's tasks carry the decision.
    r = run_cli("tasks", "--store", store_path, "--user", "Catrin Ellis", env=env)
    assert r.returncode == 0 and "PDG-CLA funding decided on" in r.stdout and "Approved: £400.00" in r.stdout


@pytest.mark.parametrize("lang,wanted", [
    ("en", ("PDG-CLA funding requests", "Tutoring", "£450.00", "Approved £400.00 (Gareth Huws", "£300.00",
            "Reading tutor")),
    ("cy", ("Ceisiadau am gyllid GDD Plant sy'n Derbyn Gofal", "Tiwtora", "£450.00", "Cymeradwywyd £400.00 (Gareth Huws", "£300.00")),
])
def test_the_pep_pdf_lists_the_reviews_funding(store, tmp_path, lang, wanted):
    from pdf_support import page_texts
    from vsm_desktop.pdf import export

    school, learner, review, target = _setup(store)
    rid = _request(store, review, target)
    store.set_profile("Gareth Huws", "coordinator")
    funding.decide(store, rid, "approve", amount_pence=40000, reason="Part of it", when=WHEN)
    funding.record_spend(store, rid, amount_pence=30000, spent_on="2026-11-02")
    out = tmp_path / f"pep-{lang}.pdf"
    export.export_review(store, review, out, lang, sign=False, now=dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc))
    whole = "\n".join(page_texts(out))
    for text in wanted:
        assert text in whole, text
