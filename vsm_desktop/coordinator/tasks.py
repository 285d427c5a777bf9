"""Each user's reminders: PEPs due within 20 school days, overdue PEPs, reviews returned for
amendment, and actions assigned to them that are due.

"Me" is a name: the store's author (set when the store was created; the settings may give
another). People are named in the record by their names, not by accounts: a learner's
contacts (the designated person, the social worker, …), a review's attendees, an action's
owner. Names are compared without regard to case, accents or spacing.

* My PEPs are those of the learners who have me among their contacts.
* A review returned for amendment is the designated person's to answer: the designated person
  among its attendees, or, failing that, among the learner's contacts; whoever finalised it
  sees it too.
* PDG-CLA funding I asked for that a coordinator decided: "more information" until I answer,
  an approval or a refusal for 30 days after it was made.
* Actions: those of each learner's current plan (the draft and the latest finalised review;
  earlier plans were taken over at the next meeting) that are not done and are due within
  the same 20 school days, or overdue.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from ..domain import model
from ..domain.calendar import SchoolCalendar, default_calendar
from ..domain.lifecycle import DUE_SOON_SCHOOL_DAYS
from ..store.store import latest_finalised_sql
from . import quality

OVERDUE, RETURNED, DUE_SOON, ACTION, FUNDING = "overdue", "returned", "due_soon", "action", "funding"
ORDER = {RETURNED: 0, OVERDUE: 1, FUNDING: 2, ACTION: 3, DUE_SOON: 4}
FUNDING_NEWS_DAYS = 30   # an approval or a refusal stays in the requester's tasks this long


@dataclass(frozen=True)
class Task:
    kind: str                  # OVERDUE, RETURNED, DUE_SOON or ACTION
    learner_id: str
    learner_name: str
    reference: str
    review_id: str | None      # the review to open; None opens the learner
    due: str | None            # ISO date
    detail: str = ""           # the action's description, or the coordinator's feedback
    record_id: str | None = None  # the action or the rating


def name_key(name: str | None) -> str:
    """A name for comparison: no case, no accents, single spaces."""
    if not name:
        return ""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def spellings(store, table: str, column: str, me: str) -> list[str]:
    """The ways `me` is written in a column (far fewer distinct names than rows: compare those once)."""
    key = name_key(me)
    if not key:
        return []
    return [name for (name,) in store.conn.execute(f"SELECT DISTINCT {column} FROM {table}") if name_key(name) == key]


def my_learners(store, me: str) -> set[str]:
    names = spellings(store, "contacts", "name", me)
    marks = ", ".join("?" * len(names))
    return {lid for (lid,) in store.conn.execute(
        f"SELECT learner_id FROM contacts WHERE name IN ({marks}) AND coalesce(deleted, 0) = 0", names)} if names else set()


def tasks_for(store, me: str | None = None, today: dt.date | None = None,
              calendar: SchoolCalendar | None = None) -> list[Task]:
    """My tasks, the most pressing first (returned, overdue, actions, then due soon; earliest
    date first within each)."""
    me = store.author if me is None else me
    key = name_key(me)
    if not key:
        return []
    today = today or dt.date.today()
    cal = calendar or default_calendar()
    horizon = cal.add_school_days(today, DUE_SOON_SCHOOL_DAYS).isoformat()
    mine = my_learners(store, me)
    tasks: list[Task] = []

    drafts = dict(store.conn.execute(
        "SELECT learner_id, max(due_date || id) FROM reviews WHERE status = 'draft' GROUP BY learner_id"))
    for row in store.list_learners(today=today, unsynced=False, sort=False) if mine else ():
        if row["id"] not in mine or not (row["overdue"] or row["due_soon"]):
            continue
        draft = drafts.get(row["id"])
        tasks.append(Task(OVERDUE if row["overdue"] else DUE_SOON, row["id"], model.display_name(row), row["reference"],
                          draft[-32:] if draft else None, row["next_due"]))

    returned = quality.qa_items(store, states=(quality.RETURNED, quality.AMENDING))
    if returned:
        contacts = _designated_contacts(store, {item.learner_id for item in returned})
        for item in returned:
            designated = item.designated_person or contacts.get(item.learner_id)
            if key not in (name_key(designated), name_key(item.finalised_by)):
                continue
            # An amendment in draft is the work to carry on; otherwise the returned review, where it starts.
            tasks.append(Task(RETURNED, item.learner_id, item.learner_name, item.reference,
                              item.amendment_id or item.review_id, (item.rated_at or "")[:10] or None,
                              item.feedback or ""))

    current = f"SELECT r.id FROM reviews r WHERE r.status = 'draft' OR r.id = ({latest_finalised_sql('r.learner_id')})"
    owners = spellings(store, "actions", "owner", me)
    actions = store.conn.execute(f"""
        SELECT a.id, a.review_id, a.due_date, a.description, l.id, l.reference, l.legal_forename,
               l.legal_surname, l.preferred_name
        FROM actions a JOIN reviews r ON r.id = a.review_id JOIN learners l ON l.id = r.learner_id
        WHERE a.owner IN ({", ".join("?" * len(owners))}) AND coalesce(a.deleted, 0) = 0
          AND coalesce(a.done, 0) = 0 AND a.due_date IS NOT NULL AND a.due_date <= ? AND a.review_id IN ({current})
    """, (*owners, horizon)) if owners else ()
    for aid, rid, due, description, lid, ref, fore, sur, pref in actions:
        name = model.display_name({"preferred_name": pref, "legal_forename": fore, "legal_surname": sur})
        tasks.append(Task(ACTION, lid, name, ref, rid, due, description or "", aid))

    tasks += _funding_tasks(store, me, today)
    tasks.sort(key=lambda t: (ORDER[t.kind], t.due or "", t.learner_name, t.record_id or ""))
    return tasks


def _designated_contacts(store, learner_ids: set[str]) -> dict[str, str]:
    marks = ", ".join("?" * len(learner_ids))
    rows = store.conn.execute(
        f"SELECT learner_id, name FROM contacts WHERE role = 'designated_person' AND coalesce(deleted, 0) = 0"
        f" AND learner_id IN ({marks}) ORDER BY rowid", tuple(learner_ids))
    out: dict[str, str] = {}
    for lid, name in rows:
        out[lid] = name  # the latest added is the current one
    return out




def _funding_tasks(store, me: str, today: dt.date) -> list[Task]:
    from ..domain import funding

    names = spellings(store, "funding_requests", "requested_by", me)
    if not names:
        return []
    since = (today - dt.timedelta(days=FUNDING_NEWS_DAYS)).isoformat()
    rows = store.conn.execute(f"""
        SELECT f.id, r.id, l.id, l.reference, l.legal_forename, l.legal_surname, l.preferred_name
        FROM funding_requests f JOIN reviews r ON r.id = f.review_id JOIN learners l ON l.id = r.learner_id
        WHERE f.requested_by IN ({", ".join("?" * len(names))}) AND coalesce(f.deleted, 0) = 0
          AND (f.status = 'more_info' OR (f.status IN ('approved', 'declined') AND substr(f.decided_at, 1, 10) >= ?))
    """, (*names, since)).fetchall()
    out = []
    for rid, review_id, lid, ref, fore, sur, pref in rows:
        request = store.get("funding_requests", rid)
        name = model.display_name({"preferred_name": pref, "legal_forename": fore, "legal_surname": sur})
        detail = funding.describe_decision(request)
        if request.get("decision_reason"):
            detail += ": " + request["decision_reason"]
        out.append(Task(FUNDING, lid, name, ref, review_id, (request.get("decided_at") or "")[:10] or None, detail, rid))
    return out
