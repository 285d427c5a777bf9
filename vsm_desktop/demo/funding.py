"""PDG-CLA funding for the demo authority: requests in about a third of the learners' latest
finalised reviews, linked to their targets, decided by the authority's LACE coordinators, spent
against, and an allocation for each financial year they fall in. Invented, like everything in
`demo/`; drawn from its own random generator so that the rest of the demo is unchanged."""

from __future__ import annotations

import datetime as dt
import random

from ..domain import funding
from ..store.bulk import BulkWriter
from ..store.store import Store, latest_finalised_sql

KINDS = (("tutoring", 30), ("mentoring", 20), ("therapeutic", 14), ("equipment", 10), ("activities", 10),
         ("transition", 6), ("staff_training", 5), ("other", 5))
PROVIDERS = ("Tiwtora Cymru Cyf", "Mentrau Mentora", "Canolfan Lles y Fro", "Bright Futures Tutoring",
             "Gwasanaeth Therapi Chwarae", "Siop Lyfrau'r Dref", "Clwb Chwaraeon Cymunedol")
PURPOSES = {
    "tutoring": ("Tiwtor darllen, awr yr wythnos am dymor", "A reading tutor, an hour a week for a term"),
    "mentoring": ("Mentor i'w helpu i setlo yn yr ysgol", "A mentor to help them settle at school"),
    "therapeutic": ("Sesiynau therapi chwarae", "Play therapy sessions"),
    "equipment": ("Gliniadur ar gyfer gwaith cartref", "A laptop for homework"),
    "activities": ("Gwersi nofio yn y ganolfan hamdden", "Swimming lessons at the leisure centre"),
    "transition": ("Ymweliadau ychwanegol â'r ysgol uwchradd", "Extra visits to the secondary school"),
    "staff_training": ("Hyfforddiant ymlyniad i staff yr ysgol", "Attachment training for the school's staff"),
    "other": ("Cymorth penodol a gytunwyd yn y cyfarfod", "Particular support agreed in the meeting"),
}
IMPACT = ("Magu hyder a chyrraedd y targed erbyn yr adolygiad nesaf",
          "More confidence, and the target met by the next review")
REASONS = {
    "approved": ("Yn cyd-fynd â'r targedau", "Fits the targets well"),
    "declined": ("Mae cyllideb yr ysgol yn talu am hyn", "The school's own budget covers this"),
    "more_info": ("Pa ddarparwr, ac am ba hyd?", "Which provider, and for how long?"),
}


def add_funding(store: Store, rng: random.Random, today: dt.date, coordinators: list[str],
                writer: BulkWriter | None = None) -> dict[str, int]:
    """Adds the demo's funding (inside the caller's transaction or its own; through `writer`, in
    one batch of its own); returns counts. What it reads was written before: it reads the store."""
    out = writer or store
    counts = {"funding_requests": 0, "funding_targets": 0, "funding_spend": 0, "funding_allocations": 0}
    approved_by_year: dict[int, int] = {}
    rows = store.conn.execute(
        f"SELECT l.id, l.preferred_language, ({latest_finalised_sql('l.id')}) FROM learners l ORDER BY l.id").fetchall()
    with writer.batch() if writer else store.transaction():
        for learner_id, preferred, review_id in rows:
            if review_id is None or rng.random() > 0.35 or store.children("funding_requests", review_id):
                continue   # (a second demo run on the same store asks again for nobody)
            review = store.get("reviews", review_id)
            lang = "cy" if preferred == "cy" else "en"
            pick = 0 if lang == "cy" else 1
            kind = rng.choices([k for k, _w in KINDS], [w for _k, w in KINDS])[0]
            asked = dt.date.fromisoformat(review["meeting_date"]) + dt.timedelta(days=rng.randint(1, 10))
            if asked > today:
                continue
            start = asked + dt.timedelta(days=rng.randint(3, 20))
            end = start + dt.timedelta(days=rng.choice((60, 90, 120, 180)))
            amount = rng.randrange(6, 61) * 2_500
            designated = store.conn.execute(
                "SELECT name FROM contacts WHERE learner_id = ? AND role = 'designated_person'"
                " AND coalesce(deleted, 0) = 0 ORDER BY rowid DESC LIMIT 1", (learner_id,)).fetchone()
            values = {
                "review_id": review_id, "kind": kind, "provider": rng.choice(PROVIDERS), "amount_pence": amount,
                "start_date": start.isoformat(), "end_date": end.isoformat(),
                "purpose": PURPOSES[kind][pick], "purpose_lang": lang,
                "expected_impact": IMPACT[pick], "expected_impact_lang": lang, "status": "requested",
                "requested_by": designated[0] if designated else None,
                "requested_by_role": "designated_person" if designated else None,
                "requested_at": _moment(asked, rng),
            }
            roll = rng.random()
            status = "approved" if roll < 0.65 else "declined" if roll < 0.8 else "more_info" if roll < 0.9 else None
            decided = asked + dt.timedelta(days=rng.randint(2, 15))
            approved = None
            if status and decided <= today and coordinators:
                if status == "approved":
                    approved = amount if rng.random() < 0.8 else max(100, amount * 3 // 4 // 100 * 100)
                values.update(status=status, approved_pence=approved, decision_reason=REASONS[status][pick],
                              decision_reason_lang=lang, decided_by=rng.choice(coordinators),
                              decided_by_role="coordinator", decided_at=_moment(decided, rng))
            request_id = out.create("funding_requests", values, record_id=_id(rng))
            counts["funding_requests"] += 1
            targets = [t["id"] for t in store.children("targets", review_id)]
            for target in rng.sample(targets, min(len(targets), rng.randint(1, 2))):
                out.create("funding_targets", {"review_id": review_id, "request_id": request_id, "target_id": target},
                             record_id=_id(rng))
                counts["funding_targets"] += 1
            if approved:
                year = funding.financial_year(start)
                approved_by_year[year] = approved_by_year.get(year, 0) + approved
                counts["funding_spend"] += _spend(out, rng, review_id, request_id, approved, start, end, today)
        for year, approved in sorted(approved_by_year.items()):
            if funding.allocation_for(store, year) is not None:
                continue
            # An allocation a little above what was approved, in whole thousands of pounds.
            allocation = -(-approved * 5 // 4 // 100_000) * 100_000
            out.create("funding_allocations", {
                "year": year, "amount_pence": allocation, "set_by": coordinators[0] if coordinators else None,
                "set_by_role": "coordinator", "set_at": f"{year}-04-01T09:00:00+00:00"}, record_id=_id(rng))
            counts["funding_allocations"] += 1
    return counts


def _spend(out: Store | BulkWriter, rng: random.Random, review_id: str, request_id: str, approved: int, start: dt.date,
           end: dt.date, today: dt.date) -> int:
    last = min(end, today)
    if last < start:
        return 0
    total = approved * rng.choice((60, 80, 95, 100, 100, 105)) // 100
    lines = rng.randint(1, 3)
    days = sorted(start + dt.timedelta(days=rng.randint(0, (last - start).days)) for _n in range(lines))
    made = so_far = 0
    for n, day in enumerate(days):
        amount = total // lines if n < lines - 1 else total - total // lines * (lines - 1)
        if amount <= 0:
            continue
        so_far += amount
        out.create("funding_spend", {"review_id": review_id, "request_id": request_id, "amount_pence": amount,
                                       "spent_on": day.isoformat(), "over_approved": (so_far > approved) or None},
                     record_id=_id(rng))
        made += 1
    return made


def _id(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"   # the same seed gives the same ids


def _moment(day: dt.date, rng: random.Random) -> str:
    return dt.datetime.combine(day, dt.time(rng.randint(9, 16), rng.choice((0, 15, 30, 45))),
                               dt.timezone.utc).isoformat()
