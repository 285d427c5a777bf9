"""The dashboard's summary rows (migration 0012): kept in step with the records by triggers,
whatever writes (the store's own edits, sync applying another device's operations), found
out of step by `check` and rebuilt by `check --repair`.

The reference is the figures grouped from the records themselves (`cohort.load_from_records`,
`dashboard.from_facts`), as before the summaries: after random edits, both must agree exactly.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from vsm_desktop.errors import VsmError
from vsm_desktop.domain.model import ImmutableError, ValidationError
from vsm_desktop.reports import cohort
from vsm_desktop.reports.cohort import Period, Scope, load, load_from_records
from vsm_desktop.reports.dashboard import Figure, attach_funding, compute, from_facts
from vsm_desktop.store.check import check_store, summary_mismatches
from vsm_desktop.store.store import Store
from vsm_desktop.sync.merge import Merger

from conftest import PASSPHRASE, add_learner, add_review, run_cli

TODAY = dt.date(2026, 11, 20)
PERIODS = [Period(dt.date(2025, 9, 1), dt.date(2026, 8, 31)), Period(dt.date(2026, 1, 1), dt.date(2026, 11, 20)),
           Period(dt.date(2026, 9, 1), dt.date(2027, 8, 31))]
TERMS = [("2025-09-01", "2025-12-19"), ("2026-01-05", "2026-03-27"), ("2026-04-13", "2026-07-21"),
         ("2026-09-02", "2026-12-18"), ("2027-01-04", "2027-03-26")]
DAYS = [f"{y}-{m:02d}-{d:02d}" for y in (2025, 2026, 2027) for m in (1, 3, 5, 7, 9, 10, 12) for d in (3, 17)]
STAMPS = [f"2026-{m:02d}-{d:02d}T10:00:00+00:00" for m in (1, 4, 9) for d in (2, 9)]


def facts_key(facts):
    # Interventions are listed in the order the index gives them: compare them as a set.
    out = []
    for f in facts:
        f.interventions.sort(key=repr)
        out.append(f)
    return out


def assert_in_step(store: Store) -> None:
    assert summary_mismatches(store.conn) == {}
    schools = [None] + [sid for (sid,) in store.conn.execute("SELECT id FROM schools ORDER BY id LIMIT 2")]
    for period in PERIODS:
        for scope in [Scope(school=s) for s in schools] + [Scope(placing_area="in_county")]:
            facts = load_from_records(store, period, scope, TODAY)
            assert facts_key(load(store, period, scope, TODAY)) == facts_key(facts)
            expected = attach_funding(store, from_facts(facts, period, scope, TODAY), facts)
            assert compute(store, period, scope, TODAY) == expected
            cohort.forget_reads()   # counted afresh too: a scope reads only its learners' reviews then
            assert compute(store, period, scope, TODAY) == expected


class Edits:
    """Random edits through the store's own functions; a refusal by the PEP's rules is fine."""

    def __init__(self, store: Store, data):
        self.store, self.data = store, data
        self.learners: list[str] = []
        self.schools: list[str] = []
        self.reviews: list[str] = []
        self.children: list[tuple[str, str]] = []   # (entity, id): ratings, enrolments, placements, …

    def pick(self, items):
        return self.data.draw(st.sampled_from(items))

    def day(self):
        return self.pick(DAYS)

    def run(self, action: str) -> None:
        s, d = self.store, self.data
        if action == "learner" or not self.learners:
            self.learners.append(add_learner(s, f"L{len(self.learners) + 1:06d}", date_looked_after=self.pick(
                [None, "2019-03-01", "2025-06-10", "2025-10-06", "2026-02-02", "2026-10-12"]) or "2018-01-01",
                date_of_birth=self.pick(["2008-07-01", "2013-05-04", "2020-09-30", "2022-01-15"])))
        elif action == "school":
            self.schools.append(s.create("schools", {"name": f"Ysgol {len(self.schools) + 1}"}))
        elif action == "enrolment" and self.schools:
            self.children.append(("enrolments", s.create("enrolments", {
                "learner_id": self.pick(self.learners), "school_id": self.pick(self.schools),
                # Distinct start days: two moves on one day have no order to agree on.
                "start_date": f"20{20 + len(self.children) % 8}-{1 + len(self.children) % 12:02d}-{10 + len(self.children) % 17}",
                "reduced_timetable": d.draw(st.booleans())})))
        elif action == "placement":
            self.children.append(("placements", s.create("placements", {
                "learner_id": self.pick(self.learners), "placement_type": "foster",
                "placing_area": self.pick(["in_county", "out_of_county", "out_of_wales"]),
                "start_date": f"20{20 + len(self.children) % 8}-{1 + len(self.children) % 12:02d}-{10 + len(self.children) % 17}"})))
        elif action == "review":
            start, end = self.pick(TERMS)
            self.reviews.append(add_review(s, self.pick(self.learners), review_type=self.pick(["initial", "termly"]),
                                           period_start=start, period_end=end, due_date=self.pick([end, self.day()])))
        elif action == "set" and self.reviews:
            field, value = self.pick([
                ("meeting_date", self.day()), ("meeting_date", None), ("attendance_pct", self.pick([82.5, 89.95, 90.0, 91.3, 94.9, 94.95, 95.0, 95.1, 96.0, 99.9])),
                ("attendance_pct", None), ("wellbeing_concern", d.draw(st.booleans())),
                ("reduced_timetable", d.draw(st.booleans())), ("next_review_date", self.day()), ("due_date", self.day())])
            s.update("reviews", self.pick(self.reviews), {field: value})
        elif action == "finalise" and self.reviews:
            rid = self.pick(self.reviews)
            s.update("reviews", rid, {"meeting_date": self.day(), "next_review_date": "2027-02-01"})
            s.finalise_review(rid)
        elif action == "amend" and self.reviews:
            self.reviews.append(s.start_amendment(self.pick(self.reviews), "A correction"))
        elif action == "rating" and self.reviews:
            self.children.append(("quality_ratings", s.create("quality_ratings", {
                "review_id": self.pick(self.reviews), "rating": self.pick(["red", "amber", "green"]),
                "rated_at": self.pick(STAMPS)})))
        elif action == "intervention" and self.reviews:
            self.children.append(("interventions", s.create("interventions", {
                "review_id": self.pick(self.reviews), "kind": self.pick(["tutoring", "mentoring", "camhs"]),
                "cost_pence": self.pick([None, 5000, 12500]), "funding": self.pick([None, "pdg_cla", "core"])})))
        elif action == "exclusion" and self.reviews:
            self.children.append(("exclusions", s.create("exclusions", {
                "review_id": self.pick(self.reviews), "kind": self.pick(["fixed_term", "permanent"]),
                "start_date": self.day(), "days": self.pick([1, 2.5])})))
        elif action == "delete" and self.children:
            entity, rid = self.pick(self.children)
            s.update(entity, rid, {"deleted": True})
        elif action == "learner_field":
            field, value = self.pick([("date_looked_after", self.pick(["2025-10-06", "2026-09-07", "2017-04-03"])),
                                      ("legal_status", "interim_care_order"), ("date_of_birth", "2011-02-03")])
            s.update("learners", self.pick(self.learners), {field: value})


ACTIONS = ["learner", "school", "enrolment", "placement", "placement", "review", "review", "set", "set", "set", "finalise",
           "amend", "rating", "rating", "intervention", "exclusion", "delete", "delete", "learner_field"]


def replay(ops: list[dict], path: Path) -> Store:
    """Another device that receives every operation through sync's merge, page by page."""
    other = Store.initialise(path, PASSPHRASE, author="Other")
    for i in range(0, len(ops), 7):
        with other.transaction():
            merger = Merger(other)
            for op in ops[i:i + 7]:
                merger.apply(op)
            merger.finish()
    return other


def operations(store: Store) -> list[dict]:
    from vsm_desktop.store import oplog

    return [{**op, "seq": n, "held": None} for n, op in enumerate(oplog.read(store.conn), 1)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_summaries_give_the_figures_of_the_records_after_any_edits_and_any_sync(data):
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.initialise(Path(tmp) / "a.vsm", PASSPHRASE, author="Test")
        try:
            edits = Edits(store, data)
            for action in data.draw(st.lists(st.sampled_from(ACTIONS), min_size=5, max_size=40)):
                try:
                    with store.transaction():
                        edits.run(action)
                except (VsmError, ImmutableError, ValidationError):
                    pass
            assert_in_step(store)
            other = replay(operations(store), Path(tmp) / "b.vsm")
            try:
                assert_in_step(other)
                assert compute(other, PERIODS[0], today=TODAY) == compute(store, PERIODS[0], today=TODAY)
            finally:
                other.close()
        finally:
            store.close()


def test_the_migration_builds_the_summaries_of_an_existing_store(store_path):
    from vsm_desktop.demo.generator import generate
    from vsm_desktop.store import migrate

    with Store.initialise(store_path, PASSPHRASE, author="Test") as store:
        generate(store, 30, seed=5, today=TODAY)
        # As a store written before the summaries: no summary tables, views or triggers.
        with store.transaction():
            for kind, name in store.conn.execute("SELECT type, name FROM sqlite_master WHERE name LIKE 'summary_%'"
                                                 " AND type IN ('table', 'view', 'trigger')").fetchall():
                store.conn.execute(f"DROP {kind.upper()} IF EXISTS {name}")
            before = next(number for number, name, _sql in migrate.migration_scripts() if "summaries" in name) - 1
            store.conn.execute(f"PRAGMA user_version = {before}")
    with Store.open(store_path, PASSPHRASE) as store:
        assert store.conn.execute("SELECT count(*) FROM summary_learners").fetchone()[0] == 30
        assert_in_step(store)


def test_check_finds_summaries_out_of_step_and_repair_rebuilds_them(store, store_path):
    learner = add_learner(store)
    review = add_review(store, learner, attendance_pct=88.0)
    assert check_store(store) == []
    # A summary row changed behind the triggers' back, and one lost.
    store.conn.execute("UPDATE summary_reviews SET attendance_pct = 99.0 WHERE review_id = ?", (review,))
    store.conn.execute("DELETE FROM summary_learners WHERE learner_id = ?", (learner,))
    assert summary_mismatches(store.conn) == {"summary_learners": 1, "summary_reviews": 2}
    store.close()
    found = run_cli("check", "--store", store_path)
    assert found.returncode == 1
    assert "summary (summary_reviews) is out of step with the records in 2 rows" in found.stdout
    assert "summary (summary_learners) is out of step with the records in 1 row;" in found.stdout
    repaired = run_cli("check", "--repair", "--store", store_path)
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert "Rebuilt the dashboard's summary (summary_reviews): 2 rows were out of step." in repaired.stdout
    assert "no problems found" in repaired.stdout
    with Store.open(store_path, PASSPHRASE) as again:
        assert summary_mismatches(again.conn) == {}
        assert again.conn.execute("SELECT attendance_pct FROM summary_reviews WHERE review_id = ?",
                                  (review,)).fetchone()[0] == 88.0


def test_the_whole_authoritys_interventions_leave_out_learners_looked_after_later_and_amended_reviews(store):
    # The whole authority's intervention figures are counted by SQLite per kind: a learner looked
    # after only after the period, an amended review (its amendment carries the intervention once),
    # an unknown cost and each kind of funding must give the records' figures exactly.
    now = add_learner(store, "L000002", date_looked_after="2019-03-01")
    later = add_learner(store, "L000001", date_looked_after="2026-10-12")
    other = add_learner(store, "L000003", date_looked_after="2019-03-01")
    for lid, kinds in ((now, [("tutoring", 5000, "pdg_cla"), ("tutoring", None, "core"), ("camhs", 12500, None)]),
                       (later, [("tutoring", 12500, "pdg_cla"), ("mentoring", 5000, "core")]),
                       (other, [("mentoring", 12500, "pdg_cla")])):
        rid = add_review(store, lid, period_start="2025-09-01", period_end="2025-12-19", due_date="2025-12-19")
        for kind, pence, funding in kinds:
            store.create("interventions", {"review_id": rid, "kind": kind, "cost_pence": pence, "funding": funding})
    store.update("reviews", rid, {"meeting_date": "2025-12-01", "next_review_date": "2026-03-01"})
    store.finalise_review(rid)
    store.start_amendment(rid, "A correction")
    period = PERIODS[0]
    facts = load_from_records(store, period, Scope(), TODAY)
    d = compute(store, period, Scope(), TODAY)
    assert d == attach_funding(store, from_facts(facts, period, Scope(), TODAY), facts)
    assert [(k.kind, k.learners.ids, k.learners.value, k.cost_pence, k.pdg_cla_pence) for k in d.interventions] == [
        ("tutoring", (now,), 2, 5000, 5000), ("mentoring", (other,), 1, 12500, 12500), ("camhs", (now,), 1, 12500, 0)]
    assert d.spend_pence == Figure((now, other), 30000) and d.pdg_cla_pence == Figure((now, other), 17500)


def test_figures_are_read_again_after_any_write_here_or_by_another_connection(store, store_path):
    # `compute` keeps its reads while the store is unchanged (`cohort.unchanged_reads`): an edit on
    # this connection, one rolled back, and another connection's commit must each be seen.
    learner = add_learner(store, "L000001", date_looked_after="2019-03-01")
    review = add_review(store, learner, period_start="2025-09-01", period_end="2025-12-19", due_date="2025-12-19",
                        attendance_pct=96.0)
    period = PERIODS[0]

    def figures(s: Store):
        facts = load_from_records(s, period, Scope(), TODAY)
        expected = attach_funding(s, from_facts(facts, period, Scope(), TODAY), facts)
        got = compute(s, period, Scope(), TODAY)
        assert got == expected
        return got

    assert figures(store).bands["95_plus"].ids == (learner,)
    store.update("reviews", review, {"attendance_pct": 91.0})
    assert figures(store).bands["90_95"].ids == (learner,)
    try:
        with store.transaction():
            store.update("reviews", review, {"attendance_pct": 80.0})
            assert figures(store).bands["below_90"].ids == (learner,)
            raise RuntimeError("undo")
    except RuntimeError:
        pass
    assert figures(store).bands["90_95"].ids == (learner,)
    with Store.open(store_path, PASSPHRASE) as other:
        other.update("reviews", review, {"attendance_pct": 99.0})
        other.create("interventions", {"review_id": review, "kind": "tutoring", "cost_pence": 5000, "funding": "pdg_cla"})
    d = figures(store)
    assert d.bands["95_plus"].ids == (learner,) and d.pdg_cla_pence.value == 5000


def test_a_periods_figures_read_only_that_periods_rows(store):
    """The plans (migration 0015): the reviews by period end, from where the period's due reviews
    reach; red ratings and reduced timetables from their partial indexes, not a scan."""
    from vsm_desktop.reports import dashboard

    def plan(sql, params):
        return " | ".join(row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql, params))

    start, end = "2025-09-01", "2026-08-31"
    terms = dashboard.terms_in(Period(dt.date(2025, 9, 1), dt.date(2026, 8, 31)))
    codes = dashboard._review_codes(["green", "amber", "red"], terms)
    assert "SEARCH summary_reviews USING PRIMARY KEY (period_end>?)" in plan(
        codes, {"start": start, "end": end, "due_until": end, "from": start})
    assert "USING COVERING INDEX summary_reviews_late_due" in plan(
        "SELECT min(period_end) FROM summary_reviews WHERE due_date > period_end AND due_date BETWEEN ? AND ?",
        (start, end))
    assert "USING COVERING INDEX summary_reviews_red" in plan(
        "SELECT learner_id, review_id, meeting_date, rated_at FROM summary_reviews"
        " WHERE rating = 'red' AND NOT amended AND period_start <= ? AND period_end >= ?", (end, start))
    assert "USING COVERING INDEX enrolments_reduced" in plan(cohort._REDUCED_SQL, (end, start))


def test_a_review_due_in_the_period_after_its_own_period_counts(store):
    learner = add_learner(store)
    add_review(store, learner, period_start="2025-04-14", period_end="2025-07-18", due_date="2025-09-20")
    period = Period(dt.date(2025, 9, 1), dt.date(2026, 8, 31))
    assert cohort.reviews_from(store, "2025-09-01", "2026-08-31") == "2025-07-18"
    assert compute(store, period, Scope(), TODAY).reviews_due.value == 1


class MoreEdits(Edits):
    """`Edits` and what moves the kept figures in other ways: a learner's new reference (their
    place in the order), a school's new name, funding, an edit rolled back, summaries rebuilt."""

    def run(self, action: str) -> None:
        from vsm_desktop.domain import funding
        from vsm_desktop.store.check import repair_summaries

        s = self.store
        if action == "reference" and self.learners:
            self.renamed = getattr(self, "renamed", 0) + 1   # references are unique
            s.update("learners", self.pick(self.learners), {"reference": self.pick(["A", "M", "Z"]) + str(self.renamed)})
        elif action == "rename" and self.schools:
            s.update("schools", self.pick(self.schools), {"name": self.pick(["Ysgol Aber", "Ysgol Zed"])})
        elif action == "funding" and self.reviews:
            funding.request_funding(s, self.pick(self.reviews), amount_pence=self.pick([5000, 45000]), kind="tutoring",
                                    purpose="Reading tutor", start_date=self.pick(["2025-10-01", "2026-05-01", None]),
                                    when=dt.datetime(2026, 2, 1, tzinfo=dt.timezone.utc))
        elif action == "rollback":
            try:
                with s.transaction():
                    super().run(self.pick(["review", "set", "intervention", "exclusion", "learner_field"]))
                    raise RuntimeError("undo")
            except RuntimeError:
                pass
        elif action == "repair":
            repair_summaries(s)
        else:
            super().run(action)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_figures_kept_and_brought_up_to_date_after_each_write_are_a_fresh_count(data):
    # The whole authority's reads are kept per period and brought up to date learner by learner
    # after this connection's writes (`changes`): after every write, the figures of two periods
    # kept at once must be those counted afresh (inside a transaction nothing is kept) and the
    # records'.
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.initialise(Path(tmp) / "a.vsm", PASSPHRASE, author="Test")
        try:
            edits = MoreEdits(store, data)
            actions = ACTIONS + ["reference", "rename", "funding", "rollback", "repair", "set", "set"]
            for n, action in enumerate(data.draw(st.lists(st.sampled_from(actions), min_size=5, max_size=30))):
                try:
                    with store.transaction():
                        edits.run(action)
                except (VsmError, ImmutableError, ValidationError):
                    pass
                for period in PERIODS[:2]:
                    kept = compute(store, period, Scope(), TODAY)
                    with store.transaction():   # nothing kept: every read from the store
                        fresh = compute(store, period, Scope(), TODAY)
                    assert kept == fresh, (n, action)
                    if n % 5 == 4:
                        facts = load_from_records(store, period, Scope(), TODAY)
                        assert kept == attach_funding(store, from_facts(facts, period, Scope(), TODAY), facts)
                # A scope takes the whole authority's kept folds.
                scope = Scope(school=edits.schools[0]) if edits.schools else Scope(placing_area="in_county")
                kept = compute(store, PERIODS[0], scope, TODAY)
                with store.transaction():
                    assert kept == compute(store, PERIODS[0], scope, TODAY), (n, action)
        finally:
            store.close()


def test_kept_figures_survive_an_outer_conflict_rule(tmp_path):
    """The notes' triggers: an UPDATE OR ABORT on a watched table, twice for one learner, failed
    with a UNIQUE error (a trigger takes the outer statement's conflict rule)."""
    with Store.initialise(tmp_path / "a.vsm", PASSPHRASE, author="Test") as store:
        learner = add_learner(store)
        add_review(store, learner)
        before = compute(store, PERIODS[0], Scope(), TODAY)
        for _ in range(2):
            store.conn.execute("UPDATE OR ABORT summary_learners SET learner_id = learner_id WHERE learner_id = ?",
                               (learner,))
        assert compute(store, PERIODS[0], Scope(), TODAY) == before
