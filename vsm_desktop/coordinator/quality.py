"""Quality assurance: the coordinator rates a finalised PEP review red, amber or green, with
feedback. Red means "returned for amendment": the designated person answers with an amendment
(`Store.start_amendment`), which is finalised and rated in its turn.

A review may be rated more than once (a second look, a change of mind); the latest rating counts.
Ratings are never frozen with their review (see the model), so they sync like any other record.

States of a finalised review in the QA list:
* ``waiting``  — not rated yet;
* ``returned`` — rated red, no amendment started;
* ``amending`` — rated red, an amendment is in draft;
* ``rated``    — rated amber or green, or red and answered by a finalised amendment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..domain.model import ValidationError
from ..errors import Refused
from ..i18n import _

WAITING, RETURNED, AMENDING, RATED = "waiting", "returned", "amending", "rated"

# The latest live rating of each review, by `rated_at` (`rate_review` keeps a review's ratings in
# distinct seconds; the id settles a tie between devices). SQLite's bare-column rule: the columns
# beside max() come from the row holding the maximum.
LATEST_RATING_SQL = """
    SELECT q.review_id, max(coalesce(q.rated_at, '') || q.id) AS latest, q.id AS rating_id, q.rating,
           q.feedback, q.rated_by, q.rated_at
    FROM quality_ratings q WHERE coalesce(q.deleted, 0) = 0 {where} GROUP BY q.review_id
"""
# The newest amendment of each review, and whether it is finalised.
AMENDMENT_SQL = """
    SELECT amends_review_id AS review_id, max(coalesce(finalised_at, '~') || id) AS latest, id AS amendment_id,
           status AS amendment_status
    FROM reviews WHERE amends_review_id IS NOT NULL GROUP BY amends_review_id
"""


@dataclass(frozen=True)
class QaItem:
    review_id: str
    learner_id: str
    reference: str
    learner_name: str
    review_type: str
    meeting_date: str | None
    finalised_at: str | None
    designated_person: str | None
    finalised_by: str | None
    state: str
    rating: str | None = None
    feedback: str | None = None
    rated_by: str | None = None
    rated_at: str | None = None
    amendment_id: str | None = None
    school: str | None = None          # the learner's current school (the latest started)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def rate_review(store, review_id: str, rating: str, feedback: str | None = None,
                feedback_lang: str | None = None, when: dt.datetime | None = None) -> str:
    """Records the coordinator's rating of a finalised review; returns the rating's id. Red needs
    feedback: it tells the designated person what to amend."""
    review = store.get("reviews", review_id)
    if review is None:
        raise Refused(_("There is no such PEP review."))
    if review["status"] != "finalised":
        raise Refused(_("Only a finalised PEP review can be rated. Finalise it first."))
    feedback = feedback.strip() if feedback else None
    if rating == "red" and not feedback:
        raise ValidationError("quality_ratings", "feedback",
                              _("say what needs amending: a red rating returns the review to the designated person"))
    when = (when or now_utc()).astimezone(dt.timezone.utc).replace(microsecond=0)
    with store.transaction():
        latest = current_rating(store, review_id)
        if latest and latest["rated_at"] and dt.datetime.fromisoformat(latest["rated_at"]) >= when:
            when = dt.datetime.fromisoformat(latest["rated_at"]) + dt.timedelta(seconds=1)  # later means newer
        values = {
            "review_id": review_id, "rating": rating, "feedback": feedback,
            "feedback_lang": (feedback_lang or None) if feedback else None,
            "rated_by": store.author or None, "rated_at": when.isoformat(),
        }
        return store.create("quality_ratings", values)


def current_rating(store, review_id: str) -> dict | None:
    """The review's latest live rating, or None."""
    row = store.conn.execute(LATEST_RATING_SQL.format(where="AND q.review_id = ?"), (review_id,)).fetchone()
    return store.get("quality_ratings", row[2]) if row else None


def _state(rating: str | None, amendment_status: str | None) -> str:
    if rating is None:
        return WAITING
    if rating != "red":
        return RATED
    if amendment_status is None:
        return RETURNED
    return AMENDING if amendment_status == "draft" else RATED


def review_state(store, review_id: str) -> str | None:
    """One review's state (None for a draft)."""
    items = qa_items(store, review_ids=[review_id])
    return items[0].state if items else None


def qa_items(store, states: tuple[str, ...] | None = None, review_ids: list[str] | None = None) -> list[QaItem]:
    """Finalised reviews with their QA state, those waiting longest first. `states` narrows the
    list (the QA screen shows WAITING, RETURNED and AMENDING)."""
    where, params = ["r.status = 'finalised'"], []
    if states is not None and not {WAITING, RATED} & set(states):
        where.append("rating.rating = 'red'")  # only returned ones: a far shorter list to look at
    if review_ids is not None:
        where.append(f"r.id IN ({', '.join('?' * len(review_ids))})")
        params += review_ids
    sql = f"""
        WITH rating AS ({LATEST_RATING_SQL.format(where="")}), amendment AS ({AMENDMENT_SQL})
        SELECT r.id, r.learner_id, l.reference, coalesce(l.preferred_name, l.legal_forename) || ' ' || l.legal_surname,
               r.review_type, r.meeting_date, r.finalised_at,
               (SELECT min(a.name) FROM attendees a WHERE a.review_id = r.id AND a.role = 'designated_person'
                AND coalesce(a.deleted, 0) = 0), r.finalised_by,
               rating.rating, rating.feedback, rating.rated_by, rating.rated_at,
               amendment.amendment_id, amendment.amendment_status,
               (SELECT s.name FROM enrolments e JOIN schools s ON s.id = e.school_id
                WHERE e.learner_id = r.learner_id AND coalesce(e.deleted, 0) = 0
                ORDER BY e.start_date DESC LIMIT 1)
        FROM reviews r JOIN learners l ON l.id = r.learner_id
        LEFT JOIN rating ON rating.review_id = r.id
        LEFT JOIN amendment ON amendment.review_id = r.id
        WHERE {' AND '.join(where)}
        ORDER BY coalesce(r.finalised_at, r.meeting_date), r.id
    """
    out = []
    for (rid, lid, ref, name, kind, meeting, finalised, designated, finaliser, rating, feedback, rated_by, rated_at,
         amendment_id, amendment_status, school) in store.conn.execute(sql, params):
        state = _state(rating, amendment_status)
        if states is not None and state not in states:
            continue
        out.append(QaItem(rid, lid, ref, name, kind, meeting, finalised, designated, finaliser, state, rating,
                          feedback, rated_by, rated_at, amendment_id, school))
    return out


def qa_list(store) -> list[QaItem]:
    """What the coordinator has to do: reviews waiting for a rating, and those returned for
    amendment (not yet answered, or with an amendment in draft)."""
    return qa_items(store, states=(WAITING, RETURNED, AMENDING))
