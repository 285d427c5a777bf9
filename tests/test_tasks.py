"""Each user's reminders over a real store: my PEPs due within 20 school days (across the Christmas
holiday and its bank holidays) and overdue, reviews returned to me for amendment, and my actions
that are due; names compared without case or accents."""

from __future__ import annotations

import datetime as dt

from vsm_desktop.coordinator import quality, tasks
from vsm_desktop.domain.calendar import default_calendar

from conftest import add_learner, add_review, run_cli

ME = "Siôn Designated"
TODAY = dt.date(2026, 12, 10)  # the Christmas holiday and two bank holidays fall within the next 20 school days


def mine(store, reference: str, name: str = ME, role: str = "designated_person", **values) -> str:
    learner = add_learner(store, reference, **values)
    store.create("contacts", {"learner_id": learner, "role": role, "name": name})
    return learner


def finalise(store, review_id: str, designated: str = ME) -> None:
    store.update("reviews", review_id, {"meeting_date": "2026-11-20", "meeting_language": "en",
                                        "next_review_date": "2027-03-19", "attendance_pct": 95.0})
    store.create("attendees", {"review_id": review_id, "name": designated, "role": "designated_person",
                               "attendance": "present"})
    store.finalise_review(review_id)


def kinds(found) -> list[tuple[str, str]]:
    return [(t.kind, t.reference) for t in found]


def test_due_soon_counts_school_days_across_the_christmas_holiday(store):
    horizon = default_calendar().add_school_days(TODAY, 20)
    assert horizon > dt.date(2027, 1, 20)  # 20 school days are more than six weeks here
    soon = mine(store, "SOON")
    add_review(store, soon, due_date=horizon.isoformat())
    later = mine(store, "LATER")
    add_review(store, later, due_date=(horizon + dt.timedelta(days=1)).isoformat())
    late = mine(store, "LATE")
    add_review(store, late, due_date="2026-12-09")
    someone_else = mine(store, "OTHER", name="Another Teacher")
    add_review(store, someone_else, due_date="2026-12-01")

    found = tasks.tasks_for(store, "sion designated", today=TODAY)
    assert kinds(found) == [("overdue", "LATE"), ("due_soon", "SOON")]
    assert found[1].due == horizon.isoformat() and found[1].review_id is not None
    assert kinds(tasks.tasks_for(store, "Another  Teacher", today=TODAY)) == [("overdue", "OTHER")]
    assert tasks.tasks_for(store, "", today=TODAY) == []


def test_a_first_pep_with_no_review_yet_opens_the_learner(store):
    new = mine(store, "NEW", date_looked_after="2026-11-16")
    found = tasks.tasks_for(store, ME, today=TODAY)
    assert kinds(found) == [("due_soon", "NEW")]
    assert found[0].review_id is None and found[0].learner_id == new
    assert found[0].due == default_calendar().first_pep_due(dt.date(2026, 11, 16)).isoformat()


def test_a_review_returned_for_amendment_is_the_designated_persons_until_the_amendment_is_finalised(store):
    learner = add_learner(store, "RET")  # not among my contacts: the attendee list names me
    rid = add_review(store, learner, period_start="2026-04-20", period_end="2026-07-17", due_date="2026-07-17")
    finalise(store, rid)
    add_review(store, learner, due_date="2027-06-01")  # the next review, not due yet
    quality.rate_review(store, rid, "amber", "Fine.")
    assert tasks.tasks_for(store, ME, today=TODAY) == []

    quality.rate_review(store, rid, "red", "Add the learner's voice.", "en")
    found = tasks.tasks_for(store, ME, today=TODAY)
    assert kinds(found) == [("returned", "RET")]
    assert (found[0].review_id, found[0].detail) == (rid, "Add the learner's voice.")
    assert tasks.tasks_for(store, "Another Teacher", today=TODAY) == []
    # Whoever finalised it (the store's author) sees it too.
    assert kinds(tasks.tasks_for(store, today=TODAY)) == [("returned", "RET")]

    amendment = store.start_amendment(rid, "The voice was missing.")
    found = tasks.tasks_for(store, ME, today=TODAY)
    assert [(t.kind, t.review_id) for t in found if t.kind == "returned"] == [("returned", amendment)]
    store.update("reviews", amendment, {"voice_good_at": "Art", "voice_good_at_lang": "en"})
    store.finalise_review(amendment)
    assert [t for t in tasks.tasks_for(store, ME, today=TODAY) if t.kind == "returned"] == []


def test_my_actions_of_the_current_plan_that_are_due(store):
    learner = mine(store, "ACT")
    old = add_review(store, learner, period_start="2026-04-20", period_end="2026-07-17", due_date="2026-07-17")
    store.create("actions", {"review_id": old, "description": "Old plan", "description_lang": "en", "owner": ME,
                             "due_date": "2026-07-01"})
    finalise(store, old)
    last = add_review(store, learner)  # the plan agreed at the last meeting: its actions are still live
    last_action = store.create("actions", {"review_id": last, "description": "From the last meeting",
                                           "description_lang": "en", "owner": ME, "due_date": "2026-12-01"})
    finalise(store, last)
    current = add_review(store, learner, period_start="2027-01-05", period_end="2027-03-26", due_date="2027-06-01")

    def action(text, owner=ME, due="2026-12-15", done=False):
        return store.create("actions", {"review_id": current, "description": text, "description_lang": "en",
                                        "owner": owner, "due_date": due, "done": done})

    overdue = action("Book the tutor", due="2026-11-30")
    soon = action("Share the IDP", owner="SIÔN designated")
    action("Done already", done=True)
    action("Not mine", owner="Mr Carer")
    action("Next term", due="2027-04-30")
    removed = action("Removed")
    store.update("actions", removed, {"deleted": True})

    found = tasks.tasks_for(store, ME, today=TODAY)
    assert [(t.kind, t.record_id, t.detail) for t in found] == [
        ("action", overdue, "Book the tutor"), ("action", last_action, "From the last meeting"),
        ("action", soon, "Share the IDP")]
    assert [t.review_id for t in found] == [current, last, current]


def test_cli_tasks(store_path, store):
    learner = mine(store, "CLI", name="Test Author")
    add_review(store, learner, due_date="2020-01-31")
    store.close()
    result = run_cli("tasks", "--store", store_path)
    assert result.returncode == 0, result.stderr
    assert "CLI  Siân Prosser  PEP overdue since 31 Jan 2020" in result.stdout and "1 task." in result.stdout
    assert "0 tasks." in run_cli("tasks", "--store", store_path, "--user", "Nobody").stdout
