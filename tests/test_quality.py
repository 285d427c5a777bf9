"""Quality assurance over real stores: rating a finalised review, the QA list (waiting for a rating,
returned for amendment, amendment in draft), and the loop closing when the amendment is finalised."""

from __future__ import annotations

import datetime as dt

import pytest

from vsm_desktop.coordinator import quality
from vsm_desktop.domain.model import ValidationError
from vsm_desktop.errors import Refused

from conftest import add_learner, add_review, run_cli

UTC = dt.timezone.utc


def finalised_review(store, learner_id: str, designated: str = "Ms Designated", **values) -> str:
    rid = add_review(store, learner_id, **values)
    store.update("reviews", rid, {"meeting_date": "2026-11-20", "meeting_language": "en",
                                  "next_review_date": "2027-03-19", "attendance_pct": 95.0})
    store.create("attendees", {"review_id": rid, "name": designated, "role": "designated_person",
                               "attendance": "present"})
    store.finalise_review(rid, dt.datetime(2026, 11, 20, 15, 0, tzinfo=UTC))
    return rid


def states(store) -> dict[str, str]:
    return {item.review_id: item.state for item in quality.qa_items(store)}


def test_only_a_finalised_review_is_rated_and_red_needs_feedback(store):
    learner = add_learner(store)
    draft = add_review(store, learner)
    with pytest.raises(Refused):
        quality.rate_review(store, draft, "green")
    rid = finalised_review(store, learner, period_start="2026-04-20", period_end="2026-07-17", due_date="2026-07-17")
    with pytest.raises(ValidationError) as caught:
        quality.rate_review(store, rid, "red", "   ")
    assert caught.value.field == "feedback"
    with pytest.raises(ValidationError):
        quality.rate_review(store, rid, "purple")
    assert store.children("quality_ratings", rid) == []

    first = quality.rate_review(store, rid, "amber", "Targets are vague.", "en",
                                when=dt.datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    row = store.get("quality_ratings", first)
    assert (row["rating"], row["rated_by"], row["rated_at"], row["feedback_lang"]) == (
        "amber", "Test Author", "2026-11-25T09:00:00+00:00", "en")
    # A second look: the latest rating counts, the earlier one stays in the record.
    quality.rate_review(store, rid, "green", when=dt.datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    assert quality.current_rating(store, rid)["rating"] == "green"
    assert len(store.children("quality_ratings", rid)) == 2
    # Two ratings in the same second: the later one is stamped a second later, so it counts.
    same = dt.datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    quality.rate_review(store, rid, "amber", "Look again at the targets.", when=same)
    quality.rate_review(store, rid, "red", "The targets are not SMART.", when=same)
    latest = quality.current_rating(store, rid)
    assert (latest["rating"], latest["rated_at"]) == ("red", "2026-11-27T09:00:01+00:00")


def test_the_qa_list_follows_a_review_from_waiting_to_returned_to_amended(store):
    learner = add_learner(store)
    other = add_learner(store, "L000002", legal_forename="Aled")
    rid = finalised_review(store, learner)
    green = finalised_review(store, other)
    assert states(store) == {rid: quality.WAITING, green: quality.WAITING}

    quality.rate_review(store, green, "green")
    quality.rate_review(store, rid, "red", "The learner's voice is missing.", "en")
    assert states(store) == {rid: quality.RETURNED, green: quality.RATED}
    item = next(i for i in quality.qa_list(store) if i.review_id == rid)
    assert (item.rating, item.feedback, item.designated_person, item.learner_name) == (
        "red", "The learner's voice is missing.", "Ms Designated", "Siân Prosser")
    assert [i.review_id for i in quality.qa_list(store)] == [rid]

    amendment = store.start_amendment(rid, "Add the learner's own words.", "en")
    assert states(store)[rid] == quality.AMENDING
    assert quality.qa_list(store)[0].amendment_id == amendment
    assert amendment not in states(store)  # a draft is not in QA

    store.update("reviews", amendment, {"voice_good_at": "Drawing", "voice_good_at_lang": "en"})
    store.finalise_review(amendment)
    assert states(store) == {rid: quality.RATED, green: quality.RATED, amendment: quality.WAITING}
    assert [i.review_id for i in quality.qa_list(store)] == [amendment]
    # The rating stays with the version that was rated; the amendment is rated in its turn.
    assert store.children("quality_ratings", amendment) == []
    quality.rate_review(store, amendment, "green")
    assert quality.qa_list(store) == []


def test_a_removed_rating_no_longer_counts(store):
    rid = finalised_review(store, add_learner(store))
    rating = quality.rate_review(store, rid, "red", "Wrong learner's targets.")
    assert quality.review_state(store, rid) == quality.RETURNED
    store.update("quality_ratings", rating, {"deleted": True})
    assert quality.review_state(store, rid) == quality.WAITING


def test_cli_qa_and_rate(store_path, store):
    rid = finalised_review(store, add_learner(store))
    store.close()
    result = run_cli("qa", "--store", store_path)
    assert result.returncode == 0 and "waiting for a rating" in result.stdout and "1 review needs attention." in result.stdout
    result = run_cli("rate", "--store", store_path, rid[:10], "red")
    assert result.returncode == 7 and "say what needs amending" in result.stderr
    result = run_cli("rate", "--store", store_path, rid[:10], "red", "--feedback", "No targets for literacy.")
    assert result.returncode == 0, result.stderr
    assert "returned for amendment" in run_cli("qa", "--store", store_path).stdout
