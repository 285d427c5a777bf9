"""A synthetic demo authority: schools, learners and up to three years of termly PEP reviews.

Everything is invented (see `names.py`) and everything is drawn from one `random.Random`,
with record ids drawn from it too, so the same seed, the same `today` and the same starting
store give the same records. Records go through the ordinary `Store` API (validation,
change log, search index), one transaction per batch of learners: by default through the bulk
writer (store/bulk.py: the same rules and change log, written a batch at a time), or
`bulk=False`, one record at a time (the reference the bulk path is tested against).

The shape of the data follows shared/PEP.md and the school calendar:

* one review a term, the first an initial PEP due 20 school days after the learner became
  looked after (or the first term of the three-year window, for learners looked after
  earlier), each later one due by the end of the term after the previous meeting, a school
  move review due 20 school days after the move;
* every review is finalised on its meeting day except the current term's, which is a draft
  for about half of the learners; about a tenth of the learners are overdue;
* targets are carried forward from the last finalised review as `Store.start_review` does,
  rated, and joined by new ones;
* about a fifth of the learners are in early years (nursery and reception) and a fifth post-16
  (years 12 and 13, care leavers among them), each review with the sections of its phase
  (domain/phases.py); some post-16 learners have no course, and some learners have alternative
  provision or a reduced timetable, with those sections filled in.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import random
import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable

from ..domain.calendar import ONE_DAY, default_calendar, year_group
from ..domain.phases import EARLY_YEARS, POST16, phase_on
from ..store.bulk import BulkWriter
from ..store.store import Store
from . import names as N

BATCH = 25                  # learners per transaction, one record at a time
# Learners per transaction in bulk: at least BULK_BATCH, a quarter of what the store holds, at
# most BULK_MAX (a cancel loses at most that many; two batches are in memory, about 150 MB each). The change log's and the records' id indexes take random
# ids, so each commit rewrites pages all over them: fewer, larger commits write far less.
BULK_BATCH = 100
BULK_MAX = 500


def bulk_batch(stored: int) -> int:
    """Learners in the next bulk transaction, on a store holding `stored` learners."""
    return max(BULK_BATCH, min(BULK_MAX, stored // 4))
MAX_REVIEWS = 9             # three years of termly reviews
LEARNERS_PER_SCHOOL = 12
MIN_SCHOOLS = 8

LEGAL_STATUSES = (
    "care_order", "interim_care_order", "voluntary_s76", "placed_with_parents",
    "adopted", "sgo", "previously_looked_after", "care_leaver",
)
LEGAL_STATUS_WEIGHTS = (62, 9, 8, 7, 4, 4, 3, 3)
LOOKED_AFTER = frozenset({"care_order", "interim_care_order", "voluntary_s76", "placed_with_parents"})
NO_LONGER_LOOKED_AFTER = frozenset({"adopted", "sgo", "previously_looked_after"})

# Review groups: the current term's review is a draft, or done (finalised when the meeting
# has happened), or the learner is overdue.
GROUPS = ("draft", "done", "overdue")
GROUP_WEIGHTS = (64, 26, 10)
FIRST_GROUPS = ("overdue", "draft", "done", "draft", "done", "overdue", "draft", "done", "draft", "done")

# The schools every new demo authority has, so that every medium and kind is present.
MANDATORY_SCHOOLS = (
    ("welsh_medium", "primary", "in_county"),
    ("english_medium", "primary", "in_county"),
    ("dual_stream", "primary", "in_county"),
    ("english_medium", "secondary", "in_county"),
    ("bilingual", "secondary", "in_county"),
    ("welsh_medium", "all_through", "in_county"),
    ("bilingual", "special", "in_county"),
    ("english_medium", "pru", "in_county"),
    ("english_medium", "primary", "out_of_county"),
    ("english_medium", "secondary", "out_of_county"),
    ("english_medium", "primary", "out_of_wales"),
    ("english_medium", "secondary", "out_of_wales"),
)

MAINSTREAM = ("primary", "secondary", "all_through")
MEDIUM_WEIGHTS = {  # learner's language track -> school medium -> weight
    "welsh": {"welsh_medium": 8, "bilingual": 3, "dual_stream": 3, "english_medium": 0.3},
    "english": {"english_medium": 8, "dual_stream": 2, "bilingual": 1, "welsh_medium": 0.3},
}
UTC = dt.timezone.utc


@dataclass
class Person:
    name: str
    title: str              # how a child names them: "Mrs Pritchard"
    organisation: str | None
    phone: str | None
    email: str | None


@dataclass
class School:
    id: str
    name: str
    medium: str | None
    kind: str | None
    local_authority: str | None
    area: str
    designated: Person | None = None
    alnco: Person | None = None


@dataclass
class Enrolment:
    school: School
    start: dt.date
    end: dt.date | None = None
    reason: tuple[str, str] | None = None
    gap: tuple[str, str] | None = None
    reduced: bool = False


@dataclass
class Planned:
    """One review in a learner's schedule."""
    term: int
    review_type: str
    due: dt.date
    meeting: dt.date
    status: str = "finalised"
    move: bool = False


@dataclass
class Learner:
    ref: str
    forename: str
    surname: str
    gender: str
    dob: dt.date
    status: str
    looked_after: dt.date
    group: str
    track: str
    first_language: str
    pref: str               # the language the learner writes in: 'cy' or 'en'
    comm: str
    aln: str
    idp: str
    id: str = ""
    contacts: dict = field(default_factory=dict)
    post16: dict | None = None   # the course (or none: not in education, employment or training)


def generate(store: Store, learners: int, seed: int, today: dt.date | None = None,
             progress: Callable[[int, int], None] | None = None, *, bulk: bool = True) -> dict:
    """Fills `store` (new or not) with `learners` synthetic learners; returns a summary.

    The same seed, `today` and starting store give the same records, ids included. On a
    store that already has learners, references continue after the highest one and the
    schools are reused (topped up to one school per twelve learners).
    """
    if learners < 0:
        raise ValueError("learners must not be negative")
    return _Generator(store, seed, today or dt.date.today(), bulk).run(learners, progress)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


class _Generator:
    def __init__(self, store: Store, seed: int, today: dt.date, bulk: bool = True):
        self.store = store
        self.writer = BulkWriter(store, background=True) if bulk else None
        self.out = self.writer or store      # where records go: create() and finalise_review()
        self.today = today
        self.cal = default_calendar()
        existing = store.conn.execute("SELECT count(*) FROM learners").fetchone()[0]
        # A second run on the same store must not draw the same ids as the first.
        self.rng = random.Random(seed if existing == 0 else f"{seed}/{existing}")
        self.existing_learners = existing
        self.next_ref = self._next_reference()
        self.created: dict[str, int] = {}
        self.counts = {"drafts": 0, "finalised": 0, "overdue": 0}
        self._exclusion_before: dt.date | None = None
        self._people: dict | None = None   # role, and (role, organisation) -> [(name, organisation, phone, email)]
        self._terms()

    # --- helpers --------------------------------------------------------------------

    def _id(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def _new(self, entity: str, values: dict) -> str:
        rid = self._id()
        self.out.create(entity, values, record_id=rid)
        self.created[entity] = self.created.get(entity, 0) + 1
        return rid

    @contextmanager
    def _batch(self, written: Callable[[], None] | None = None):
        """One transaction; `written` is called once it is committed (in bulk, while the next is made)."""
        if self.writer:
            with self.writer.batch(written):
                yield
            return
        with self.store.transaction():
            yield
        if written:
            written()

    def _pick(self, options, weights=None):
        if weights is None:
            return options[self.rng.randrange(len(options))]
        return self.rng.choices(options, weights)[0]

    def _text(self, values: dict, field_name: str, pairs, lang: str, /, **fmt) -> None:
        """Sets a free-text field and its language from a (Cymraeg, English) pair (or a random one of several)."""
        pair = self._pick(pairs) if isinstance(pairs[0], tuple) else pairs
        text = pair[0 if lang == "cy" else 1]
        values[field_name] = text.format(**fmt) if fmt else text
        values[field_name + "_lang"] = lang

    def _next_reference(self) -> int:
        highest = 0
        for (ref,) in self.store.conn.execute("SELECT reference FROM learners"):
            m = re.fullmatch(r"L(\d+)", ref or "")
            if m:
                highest = max(highest, int(m.group(1)))
        return highest + 1

    def _terms(self) -> None:
        first = self.today.year - 18
        self.terms = [t for year in range(first, self.today.year + 2) for t in self.cal.terms(year)]
        self.term_ends = [t.end for t in self.terms]
        self.current = self._term_index(self.today)
        self.window = max(0, self.current - (MAX_REVIEWS - 1))
        self._school_days: dict[int, list[dt.date]] = {}

    def _term_index(self, d: dt.date) -> int:
        """The term containing `d`, or the next one to start after it."""
        return bisect.bisect_left(self.term_ends, d)

    def school_days(self, index: int) -> list[dt.date]:
        days = self._school_days.get(index)
        if days is None:
            term = self.terms[index]
            days, d = [], term.start
            while d <= term.end:
                if self.cal.is_school_day(d):
                    days.append(d)
                d += ONE_DAY
            self._school_days[index] = days
        return days

    def _date_between(self, start: dt.date, end: dt.date) -> dt.date:
        span = (end - start).days
        return start + dt.timedelta(days=self.rng.randint(0, max(0, span)))

    def _at(self, day: dt.date, earliest: int = 9, latest: int = 17) -> str:
        moment = dt.datetime.combine(day, dt.time(self.rng.randint(earliest, latest), self.rng.choice((0, 15, 30, 45))), UTC)
        return moment.isoformat()

    # --- people ---------------------------------------------------------------------

    def _phone(self) -> str:
        kind = self.rng.random()
        number = self.rng.randrange(1000)
        if kind < 0.45:
            return f"07700 900{number:03d}"
        if kind < 0.8:
            return f"029 2018 0{number:03d}"
        return f"01632 960{number:03d}"

    def _adult(self, organisation: str | None, domain: str, gender: str | None = None,
               surname: str | None = None) -> Person:
        gender = gender or self._pick(("female", "male"))
        for _attempt in range(20):
            forename = self._pick(N.ADULT_WOMEN if gender == "female" else N.ADULT_MEN)
            sur = surname or self._pick(N.WELSH_SURNAMES if self.rng.random() < 0.6 else N.ENGLISH_SURNAMES)
            if f"{forename} {sur}".casefold() not in N.PUBLIC_FIGURES:
                break
        title = f"{self._pick(N.STAFF_TITLES[gender])} {sur}"
        email = f"{_ascii(forename)}.{_ascii(sur)}@{domain}"
        return Person(f"{forename} {sur}", title, organisation, self._phone(), email)

    @staticmethod
    def _title_for(name: str) -> str:
        forename, _sep, surname = name.partition(" ")
        if surname and forename in N.ADULT_WOMEN:
            return f"Mrs {surname}"
        if surname and forename in N.ADULT_MEN:
            return f"Mr {surname}"
        return name

    def _existing_people(self, role: str, organisation: str | None = None) -> list[Person]:
        """The people already in the store's contacts in `role` (at `organisation`), each once, by
        contact id. Contacts are read once a run, before it writes any (only learners add them): a
        query per school scanned the whole table each time (seconds on a big store)."""
        if self._people is None:
            self._people = {}
            for role_, name, org, phone, email in self.store.conn.execute(
                    "SELECT role, name, organisation, phone, email FROM contacts ORDER BY id"):
                self._people.setdefault(role_, []).append((name, org, phone, email))
                self._people.setdefault((role_, org), []).append((name, org, phone, email))
        seen, out = set(), []
        for name, org, phone, email in self._people.get(role if organisation is None else (role, organisation), ()):
            if name not in seen:
                seen.add(name)
                out.append(Person(name, self._title_for(name), org, phone, email))
        return out

    def _pool(self, role: str, size: int, organisation: str, domain: str) -> list[Person]:
        people = self._existing_people(role)
        while len(people) < size:
            people.append(self._adult(organisation, domain))
        return people

    # --- schools --------------------------------------------------------------------

    def _area_of(self, local_authority: str | None) -> str:
        if not local_authority or local_authority == N.HOME_AUTHORITY:
            return "in_county"
        if local_authority in N.ENGLISH_AUTHORITIES:
            return "out_of_wales"
        return "out_of_county"

    def _school_name(self, medium: str, kind: str, area: str) -> str:
        if area == "out_of_wales":
            templates, places = N.ENGLISH_SCHOOL_TEMPLATES[kind], N.ENGLISH_PLACES
        else:
            templates, places = N.SCHOOL_TEMPLATES[(medium, kind)], N.WELSH_PLACES
        for attempt in range(60):
            name = self._pick(templates).format(p=self._pick(places), n=self._pick(N.WELSH_SCHOOL_NOUNS))
            if attempt >= 40:
                name += " " + self._pick(("Uchaf", "Isaf", "Newydd", "Fach"))
            if name not in self.school_names:
                return name
        n = 2
        while f"{name} {n}" in self.school_names:
            n += 1
        return f"{name} {n}"

    def _random_school_spec(self) -> tuple[str, str, str]:
        area = self._pick(("in_county", "out_of_county", "out_of_wales"), (78, 16, 6))
        if area == "out_of_wales":
            return "english_medium", self._pick(("primary", "secondary", "special", "pru"), (60, 30, 5, 5)), area
        kind = self._pick(("primary", "secondary", "all_through", "special", "pru"), (66, 20, 4, 6, 4))
        media = ("welsh_medium", "english_medium", "bilingual", "dual_stream")
        weights = {
            "primary": (25, 55, 8, 12), "secondary": (25, 58, 14, 3), "all_through": (55, 15, 25, 5),
            "special": (15, 45, 40, 0), "pru": (10, 65, 25, 0),
        }[kind]
        return self._pick(media, weights), kind, area

    def _make_school(self, medium: str, kind: str, area: str) -> School:
        la = {"in_county": N.HOME_AUTHORITY, "out_of_county": None, "out_of_wales": None}[area]
        if area == "out_of_county":
            la = self._pick(N.OTHER_WELSH_AUTHORITIES)
        elif area == "out_of_wales":
            la = self._pick(N.ENGLISH_AUTHORITIES)
        name = self._school_name(medium, kind, area)
        self.school_names.add(name)
        sid = self._new("schools", {"name": name, "medium": medium, "kind": kind, "local_authority": la})
        school = School(sid, name, medium, kind, la, area)
        school.designated = self._adult(name, "example.net")
        school.alnco = self._adult(name, "example.net")
        return school

    def _schools(self, total_learners: int) -> int:
        existing = self.store.all_rows("schools")
        self.school_names = {s["name"] for s in existing}
        self.schools: list[School] = []
        for row in existing:
            school = School(row["id"], row["name"], row["medium"], row["kind"], row["local_authority"],
                            self._area_of(row["local_authority"]))
            designated = self._existing_people("designated_person", row["name"])
            alnco = self._existing_people("aln_coordinator", row["name"])
            school.designated = designated[0] if designated else self._adult(row["name"], "example.net")
            school.alnco = alnco[0] if alnco else self._adult(row["name"], "example.net")
            self.schools.append(school)
        wanted = max(MIN_SCHOOLS, round(total_learners / LEARNERS_PER_SCHOOL))
        created = 0
        with self._batch():
            if not existing:
                for spec in MANDATORY_SCHOOLS:
                    self.schools.append(self._make_school(*spec))
                    created += 1
            while len(self.schools) < wanted:
                self.schools.append(self._make_school(*self._random_school_spec()))
                created += 1
        if self.writer:
            self.writer.wait()   # the people below are read from the store
        self._candidates: dict = {}
        return created

    @staticmethod
    def _serves(kind: str | None, yg: int) -> bool:
        if kind in ("primary", "nursery"):
            return yg <= 6
        if kind == "secondary":
            return yg >= 7
        if kind == "pru":
            return yg >= 3
        if kind == "college":
            return yg >= 11
        return True  # all-through, special, other, unknown

    def _choose_school(self, area: str, kinds: tuple[str, ...], yg: int, track: str,
                       avoid: School | None = None) -> School:
        key = (area, kinds, yg <= 6, track)
        found = self._candidates.get(key)
        if found is None:
            pool = [s for s in self.schools if s.area == area and s.kind in kinds and self._serves(s.kind, yg)]
            if not pool:
                pool = [s for s in self.schools if s.kind in kinds and self._serves(s.kind, yg)]
            if not pool:
                pool = [s for s in self.schools if self._serves(s.kind, yg)] or list(self.schools)
            weights = [MEDIUM_WEIGHTS[track].get(s.medium, 1) for s in pool]
            found = self._candidates[key] = (pool, weights)
        pool, weights = found
        for _attempt in range(6):
            school = self.rng.choices(pool, weights)[0]
            if school is not avoid:
                return school
        return school

    def _mainstream_kinds(self, yg: int) -> tuple[str, ...]:
        if self.rng.random() < 0.07:
            return ("all_through",)
        return ("primary",) if yg <= 6 else ("secondary",)

    # --- the run --------------------------------------------------------------------

    def run(self, learners: int, progress: Callable[[int, int], None] | None) -> dict:
        total = self.existing_learners + learners
        schools_created = self._schools(total)
        self.social_workers = self._pool("social_worker", max(4, -(-total // 15)), N.SOCIAL_SERVICES, "example.org")
        self.iros = self._pool("iro", max(2, -(-total // 60)), N.IRO_SERVICE, "example.org")
        self.coordinators = self._pool("lace_coordinator", max(1, round(total / 600)), N.LACE_TEAM, "example.org")
        self.mentors = [p for p in self._existing_people("mentor")]
        while len(self.mentors) < max(3, -(-total // 30)):
            self.mentors.append(self._adult(self._pick(N.MENTORING_PROJECTS), "example.com"))
        first_ref = self.next_ref
        done = 0
        while done < learners:
            size = bulk_batch(self.existing_learners + done) if self.writer else BATCH
            batch = min(size, learners - done)
            with self._batch(functools.partial(progress, done + batch, learners) if progress else None):
                for i in range(done, done + batch):
                    self._learner(i)
            done += batch
        if self.writer:
            self.writer.wait()
        from .funding import add_funding   # PDG-CLA requests, decisions, spend and allocations

        coordinators = [p.name for p in self.coordinators]
        for entity, n in add_funding(self.store, random.Random(self._id()), self.today, coordinators,
                                     self.writer).items():
            self.created[entity] = self.created.get(entity, 0) + n
        if self.writer:
            self.writer.wait()
        summary = {
            "learners": learners,
            "first_reference": f"L{first_ref:06d}" if learners else None,
            "last_reference": f"L{first_ref + learners - 1:06d}" if learners else None,
            "schools": len(self.schools),
            "schools_created": schools_created,
            "reviews": self.created.get("reviews", 0),
            "finalised": self.counts["finalised"],
            "drafts": self.counts["drafts"],
            "overdue": self.counts["overdue"],
            "authority": N.HOME_AUTHORITY,
            "today": self.today.isoformat(),
            "records": dict(sorted(self.created.items())),
        }
        return summary

    # --- one learner ----------------------------------------------------------------

    def _learner(self, i: int) -> None:
        rng = self.rng
        ref = f"L{self.next_ref + i:06d}"
        status = LEGAL_STATUSES[i] if i < len(LEGAL_STATUSES) else self._pick(LEGAL_STATUSES, LEGAL_STATUS_WEIGHTS)
        group = FIRST_GROUPS[i] if i < len(FIRST_GROUPS) else self._pick(GROUPS, GROUP_WEIGHTS)

        # Languages: a Welsh-speaking home, an English-speaking home (some in Welsh-medium
        # education), or another home language.
        u = rng.random()
        if u < 0.16:
            first_language, track = "cy", "welsh"
        elif u < 0.21:
            first_language, track = "other", "english"
        else:
            first_language, track = "en", ("welsh" if rng.random() < 0.18 else "english")
        if first_language == "cy":
            pref = "cy" if rng.random() < 0.92 else "en"
        elif track == "welsh":
            pref = "cy" if rng.random() < 0.35 else "en"
        else:
            pref = "en"
        comm = pref if rng.random() < 0.9 else "en"

        gender, forename, ethnicity = self._gender_and_name(i, first_language, track)
        surname = self._surname(forename, first_language, track)
        dob, _year_group = self._date_of_birth(status)
        looked_after = self._looked_after(dob, status, group)

        aln = self._pick(("none", "under_consideration", "aln"), (64, 10, 26))
        idp = self._pick(("school", "la"), (65, 35)) if aln == "aln" else "none"
        lr = Learner(ref, forename, surname, gender, dob, status, looked_after, group, track,
                     first_language, pref, comm, aln, idp)

        placements = self._plan_placements(lr)
        schedule = self._plan_reviews(lr)
        enrolments = self._plan_enrolments(lr, placements, schedule)
        current = enrolments[-1].school
        medium = current.medium
        if medium == "dual_stream":
            learning = "welsh_medium" if lr.track == "welsh" else "english_medium"
        else:
            learning = medium if medium in ("welsh_medium", "english_medium", "bilingual") else "other"

        values = {
            "reference": ref, "legal_forename": forename, "legal_surname": surname,
            "preferred_name": N.PREFERRED_NAMES.get(forename) if rng.random() < 0.3 else None,
            "date_of_birth": dob.isoformat(), "gender": gender, "ethnicity": ethnicity,
            "upn": self._upn(), "social_care_id": f"SC-{rng.randrange(10**7):07d}",
            "first_language": first_language, "language_of_learning": learning,
            "preferred_language": pref, "communication_language": comm,
            "informed_preference": self._pick(("when_settled", "as_it_develops"), (45, 55)),
            "legal_status": status, "date_looked_after": looked_after.isoformat(),
            "responsible_authority": N.HOME_AUTHORITY if rng.random() < 0.97 else self._pick(N.OTHER_WELSH_AUTHORITIES),
            "aln_status": aln, "idp_holder": idp,
            "next_idp_review": (self.today + dt.timedelta(days=rng.randint(14, 360))).isoformat() if idp != "none" else None,
        }
        last_type = placements[-1]["placement_type"] if placements[-1]["end_date"] is None else "none"
        self._text(values, "parental_responsibility", N.PARENTAL_RESPONSIBILITY[status], comm)
        self._text(values, "day_to_day_consents", N.DAY_TO_DAY_CONSENTS[last_type], comm)
        lr.id = self._new("learners", values)

        self._contacts(lr, current, placements)
        for p in placements:
            self._new("placements", {"learner_id": lr.id, **p})
        for e in enrolments:
            row = {"learner_id": lr.id, "school_id": e.school.id, "start_date": e.start.isoformat(),
                   "end_date": e.end.isoformat() if e.end else None, "reduced_timetable": e.reduced}
            if e.reason:
                self._text(row, "reason_for_move", e.reason, comm)
            if e.gap:
                self._text(row, "gap_in_education", e.gap, comm)
            self._new("enrolments", row)
        self._reviews(lr, schedule, enrolments)

    def _gender_and_name(self, i: int, first_language: str, track: str) -> tuple[str, str, str]:
        if i < len(N.GUARANTEED_FORENAMES):
            name, gender = N.GUARANTEED_FORENAMES[i]
            return gender, name, "white"
        rng = self.rng
        gender = self._pick(("female", "male", "non_binary", "not_stated"), (48, 48, 2, 2))
        ethnicity = self._pick(
            ("white", "mixed", "asian", "black", "gypsy_roma_traveller", "other", "not_stated"),
            (84, 6, 3, 2, 2, 2, 1))
        if first_language == "cy":
            welsh = 0.9
        elif track == "welsh":
            welsh = 0.65
        else:
            welsh = 0.3
        if gender in ("non_binary", "not_stated") and rng.random() < 0.5:
            return gender, self._pick(N.NEUTRAL_NAMES), ethnicity
        female = gender == "female" or (gender not in ("female", "male") and rng.random() < 0.5)
        if ethnicity in ("asian", "black", "other") or first_language == "other":
            if rng.random() < 0.6:
                return gender, self._pick(N.OTHER_GIRLS if female else N.OTHER_BOYS), ethnicity
        if rng.random() < welsh:
            return gender, self._pick(N.WELSH_GIRLS if female else N.WELSH_BOYS), ethnicity
        return gender, self._pick(N.ENGLISH_GIRLS if female else N.ENGLISH_BOYS), ethnicity

    def _surname(self, forename: str, first_language: str, track: str) -> str:
        welsh = 0.75 if (first_language == "cy" or track == "welsh") else 0.55
        for _attempt in range(20):
            surname = self._pick(N.WELSH_SURNAMES if self.rng.random() < welsh else N.ENGLISH_SURNAMES)
            if f"{forename} {surname}".casefold() not in N.PUBLIC_FIGURES:
                return surname
        return surname  # pragma: no cover - twenty clashes in a row cannot happen with these lists

    def _date_of_birth(self, status: str) -> tuple[dt.date, int]:
        today = self.today
        academic = today.year if today.month >= 9 else today.year - 1
        # About a fifth in early years (nursery, reception), a fifth post-16 (years 12, 13).
        if status == "care_leaver":
            yg = self._pick((12, 13))
        else:
            yg = self._pick(range(-1, 14), (10, 10, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6, 7, 11, 9))
        born = academic - yg - 4
        start, end = dt.date(born - 1, 9, 1), dt.date(born, 8, 31)
        if status == "care_leaver":  # sixteen already
            try:
                end = min(end, today.replace(year=today.year - 16))
            except ValueError:  # 29 February
                end = min(end, dt.date(today.year - 16, 2, 28))
        return self._date_between(start, end), yg

    def _looked_after(self, dob: dt.date, status: str, group: str) -> dt.date:
        rng, today = self.rng, self.today
        u = rng.random()
        if status == "interim_care_order":
            days = rng.randint(10, 480)
        elif group == "overdue" and u < 0.3:
            days = rng.randint(45, 140)     # new, and past the first-PEP deadline
        elif u < 0.12:
            days = rng.randint(3, 150)
        elif u < 0.25:
            days = rng.randint(150, 365)
        elif u < 0.55:
            days = rng.randint(365, 3 * 365)
        elif u < 0.8:
            days = rng.randint(3 * 365, 6 * 365)
        else:
            days = rng.randint(6 * 365, 12 * 365)
        earliest = dob + dt.timedelta(days=30)
        return max(earliest, today - dt.timedelta(days=days))

    @staticmethod
    def _reception_year(dob: dt.date) -> int:
        """The academic year in which a child born on `dob` is in Reception (year group 0)."""
        return dob.year + 4 + ((dob.month, dob.day) > (8, 31))

    def _upn(self) -> str:
        # A Unique Pupil Number in the official shape, with a check letter, but with the
        # local authority code 999, which no authority has.
        digits = "999" + "".join(str(self.rng.randrange(10)) for _ in range(9))
        total = sum(int(c) * w for c, w in zip(digits, range(2, 14)))
        return "ABCDEFGHJKLMNPQRTUVWXYZ"[total % 23] + digits

    # --- placements -----------------------------------------------------------------

    def _plan_placements(self, lr: Learner) -> list[dict]:
        rng, today = self.rng, self.today
        start = lr.looked_after
        end_of_care = None
        if lr.status in NO_LONGER_LOOKED_AFTER and (today - start).days > 200:
            end_of_care = self._date_between(start + dt.timedelta(days=180), today - dt.timedelta(days=14))
        last_day = end_of_care or today
        years = (last_day - start).days / 365.25
        moves = sum(rng.random() < 0.3 for _ in range(int(years) + 1))
        if (last_day - start).days < 90:
            moves = 0
        moves = min(moves, 5)
        dates = sorted({self._date_between(start + dt.timedelta(days=30), last_day - dt.timedelta(days=14))
                        for _ in range(moves)})
        starts = [start] + dates
        out = []
        for k, s in enumerate(starts):
            last = k == len(starts) - 1
            kind = self._pick(("foster", "kinship", "residential", "secure", "other"), (72, 15, 9, 1, 3))
            area = self._pick(("in_county", "out_of_county", "out_of_wales"), (70, 23, 7))
            if last and lr.status == "placed_with_parents":
                kind, area = "placed_with_parents", "in_county"
            elif last and lr.status == "sgo":
                kind = "kinship"
            elif last and lr.status == "care_leaver":
                kind = self._pick(("foster", "residential", "other"), (50, 20, 30))
            row = {"placement_type": kind, "placing_area": area, "start_date": s.isoformat(), "end_date": None}
            if not last:
                row["end_date"] = (starts[k + 1] - ONE_DAY).isoformat()
                self._text(row, "reason_for_move", N.PLACEMENT_MOVE_REASONS, lr.comm)
            elif end_of_care:
                row["end_date"] = end_of_care.isoformat()
                self._text(row, "reason_for_move", N.PLACEMENT_END[lr.status], lr.comm)
            out.append(row)
        return out

    @staticmethod
    def _placement_on(placements: list[dict], day: dt.date) -> dict:
        iso = day.isoformat()
        found = placements[0]
        for p in placements:
            if p["start_date"] <= iso:
                found = p
        return found

    # --- the review schedule --------------------------------------------------------

    def _meeting_in(self, index: int, first: int = 15) -> dt.date:
        days = self.school_days(index)
        return self._pick(days[first:] if len(days) > first + 1 else days)

    def _plan_reviews(self, lr: Learner) -> list[Planned]:
        rng, cal, today = self.rng, self.cal, self.today
        current, window = self.current, self.window
        schedule: list[Planned] = []
        # No PEP before the nursery year (age 3).
        window = max(window, self._term_index(cal.terms(self._reception_year(lr.dob) - 1)[0].start))
        first_due = cal.first_pep_due(lr.looked_after)
        k = rng.randint(5, 20) if rng.random() < 0.88 else rng.randint(21, 32)
        first_meeting = cal.add_school_days(lr.looked_after, k)
        t0 = self._term_index(first_meeting)
        if t0 >= window:
            schedule.append(Planned(t0, "initial", first_due, first_meeting))
        else:
            t0 = window
            schedule.append(Planned(t0, "termly", self.terms[t0].end, self._meeting_in(t0)))
        while True:
            last = schedule[-1]
            t = self._term_index(last.meeting) + 1
            if t > current:
                break
            due = cal.review_due(last.meeting)
            if t < current and rng.random() < 0.08:
                late = cal.add_school_days(self.terms[t].end, rng.randint(1, 8))
                meeting = late if late <= today else self._meeting_in(t)
            else:
                meeting = self._meeting_in(t)
            schedule.append(Planned(t, "termly", due, meeting))

        # A school move at the start of one term, with its own review.
        reception = cal.terms(self._reception_year(lr.dob))[0].start
        candidates = [p for p in schedule[1:] if reception < self.terms[p.term].start <= today
                      and self._term_index(p.meeting) == p.term]
        if candidates and rng.random() < 0.22:
            p = self._pick(candidates)
            move = self.terms[p.term].start
            p.review_type, p.move = "school_move", True
            p.due = cal.first_pep_due(move)
            p.meeting = cal.add_school_days(move, rng.randint(7, 18))

        # The current term, by group.
        last = schedule[-1]
        if lr.group == "overdue":
            while schedule and cal.review_due(schedule[-1].meeting) >= today:
                schedule.pop()
            if not schedule and first_due >= today:
                lr.group = "done"
        elif lr.group == "draft" and last.due < today and last.meeting <= today:
            lr.group = "done"  # past its due date (a first PEP or a school move): held and signed
        if lr.group == "draft" and schedule:
            if schedule[-1].term >= current:
                schedule[-1].status = "draft"
            else:
                lr.group = "done"
        if lr.group == "done" and schedule and schedule[-1].meeting > today:
            schedule.pop()
        for p in schedule:
            if p.status == "finalised" and p.meeting > today:  # pragma: no cover - guarded above
                p.status = "draft"
        return schedule

    # --- school history -------------------------------------------------------------

    def _plan_enrolments(self, lr: Learner, placements: list[dict],
                         schedule: list[Planned]) -> list[Enrolment]:
        rng, cal, today = self.rng, self.cal, self.today
        first_year = self._reception_year(lr.dob)
        nursery = cal.terms(first_year - 1)[0].start     # the nursery class of a primary school
        year7 = cal.terms(first_year + 7)[0].start
        begin = min(lr.looked_after, self.terms[schedule[0].term].start) if schedule else lr.looked_after
        begin = max(begin, self.terms[self.window].start, nursery)
        yg_begin = year_group(lr.dob, begin)
        area = self._placement_on(placements, begin)["placing_area"]
        track = lr.track
        if lr.idp == "la" and rng.random() < 0.4:
            kinds: tuple[str, ...] = ("special",)
        else:
            kinds = self._mainstream_kinds(yg_begin)
        school = self._choose_school(area, kinds, max(yg_begin, 0), track)
        start = nursery if (school.kind != "secondary" and yg_begin <= 6) else year7
        if start > begin:
            start = begin
        history = [Enrolment(school, start)]

        move_day = next((self.terms[p.term].start for p in schedule if p.move), None)
        points = sorted({d for d in (year7, move_day) if d and begin < d <= today})
        for d in points:
            cur = history[-1]
            is_move = d == move_day
            if not is_move and cur.school.kind != "primary":
                continue
            yg = year_group(lr.dob, d)
            cur.end = self.terms[self._term_index(d) - 1].end
            if is_move:
                before = self._placement_on(placements, d - dt.timedelta(days=150))
                after = self._placement_on(placements, d)
                if after is not before and after["placing_area"] != before["placing_area"]:
                    reason, area = "placement", after["placing_area"]
                else:
                    options = ["managed", "placement"]
                    weights = [30, 30]
                    if yg >= 5:
                        options.append("exclusion"); weights.append(8)
                    if track == "english" and area != "out_of_wales":
                        options.append("welsh"); weights.append(10)
                    if lr.aln == "aln":
                        options.append("needs"); weights.append(15)
                    reason = self._pick(options, weights)
                if reason == "exclusion":
                    kinds = ("pru",)
                    self._exclusion_before = d
                elif reason == "needs":
                    kinds = ("special",)
                else:
                    if reason == "welsh":
                        track = "welsh"
                    kinds = self._mainstream_kinds(yg)
                new = self._choose_school(area, kinds, yg, track, avoid=cur.school)
                cur.reason = N.SCHOOL_MOVE_REASONS[reason]
                enrol = Enrolment(new, d)
                if rng.random() < 0.12 and self._term_index(d) < self.current:
                    enrol.gap = self._pick(N.GAP_IN_EDUCATION)
                    enrol.start = cal.add_school_days(d, rng.choice((10, 15)))
                    for p in schedule:
                        if p.move:
                            p.due = cal.first_pep_due(enrol.start)
                            p.meeting = max(p.meeting, cal.add_school_days(enrol.start, rng.randint(5, 12)))
                history.append(enrol)
            else:
                cur.reason = N.SCHOOL_MOVE_REASONS["transition"]
                kinds = ("secondary",) if rng.random() < 0.93 else ("all_through",)
                history.append(Enrolment(self._choose_school(area, kinds, 7, track), d))
        if rng.random() < 0.03 and history[-1].school.kind != "pru":
            history[-1].reduced = True
        lr.track = track
        return history

    # --- contacts -------------------------------------------------------------------

    def _contacts(self, lr: Learner, school: School, placements: list[dict]) -> None:
        rng = self.rng
        cs = lr.contacts

        def add(role: str, person: Person) -> None:
            cs[role] = person
            self._new("contacts", {"learner_id": lr.id, "role": role, "name": person.name,
                                   "organisation": person.organisation, "phone": person.phone,
                                   "email": person.email})

        add("social_worker", self._pick(self.social_workers))
        last = placements[-1]
        if lr.status in ("adopted", "previously_looked_after") or last["placement_type"] == "placed_with_parents":
            carer = self._adult(None, "example.com", surname=lr.surname if rng.random() < 0.7 else None)
            add("parent", carer)
            cs["carer"] = carer
        elif last["placement_type"] in ("residential", "secure"):
            add("carer", self._adult(self._pick(N.RESIDENTIAL_HOMES), "example.com"))
        elif last["placement_type"] == "kinship":
            add("carer", self._adult(None, "example.com", surname=lr.surname if rng.random() < 0.5 else None))
        else:
            add("carer", self._adult(self._pick(N.FOSTERING_AGENCIES), "example.com"))
        add("designated_person", school.designated)
        add("lace_coordinator", self._pick(self.coordinators))
        if rng.random() < 0.4:
            add("mentor", self._pick(self.mentors))
        if lr.aln != "none":
            add("aln_coordinator", school.alnco)
        if lr.status in LOOKED_AFTER:
            add("iro", self._pick(self.iros))

    # --- reviews --------------------------------------------------------------------

    def _reviews(self, lr: Learner, schedule: list[Planned], history: list[Enrolment]) -> None:
        cal, today = self.cal, self.today
        previous_targets: list[dict] = []
        exclusion_before, self._exclusion_before = self._exclusion_before, None
        draft_due = next_review = None
        for index, plan in enumerate(schedule):
            next_plan = schedule[index + 1] if index + 1 < len(schedule) else None
            permanent = bool(exclusion_before and next_plan and next_plan.move)
            targets = self._review(lr, plan, history, previous_targets, permanent)
            if plan.status == "finalised":
                previous_targets = targets
                next_review = cal.review_due(plan.meeting)
                self.counts["finalised"] += 1
            else:
                draft_due = min(draft_due, plan.due) if draft_due else plan.due
                self.counts["drafts"] += 1
        # The same rule as Store.list_learners.
        due = draft_due or next_review
        if due is None:
            due = cal.add_school_days(lr.looked_after, 20)
        if due < today:
            self.counts["overdue"] += 1

    def _school_on(self, history: list[Enrolment], day: dt.date) -> School:
        found = history[0].school
        for e in history:
            if e.start <= day:
                found = e.school
        return found

    def _review(self, lr: Learner, plan: Planned, history: list[Enrolment], previous_targets: list[dict],
                permanent_exclusion: bool) -> list[dict]:
        rng, cal = self.rng, self.cal
        term = self.terms[plan.term]
        school = self._school_on(history, plan.meeting)
        cs = lr.contacts
        designated = school.designated
        finalised = plan.status == "finalised"
        held = plan.meeting <= self.today          # the meeting has taken place
        yg = year_group(lr.dob, term.start)
        older = yg >= 7
        if school.area == "out_of_wales":
            lang = "en"
        else:
            lang = lr.pref if rng.random() < 0.9 else ("en" if lr.pref == "cy" else "cy")
        voice = lr.pref
        name = lr.forename

        place_kind = self._pick(("school", "home", "office", "online"), (62, 14, 9, 15))
        place = school.name if place_kind == "school" else N.MEETING_PLACES[place_kind][0 if lang == "cy" else 1]
        att = round(min(100.0, max(45.0, rng.gauss(92.5, 6.0))), 1)
        absent = round(100 - att, 1)
        authorised = round(absent * rng.uniform(0.5, 0.9), 1)
        unauthorised = max(0.0, round(absent - authorised, 1))
        sdq = min(40, max(0, int(rng.gauss(14, 6))))
        concern = sdq >= 17 or rng.random() < 0.05
        values = {
            "learner_id": lr.id, "review_type": plan.review_type, "status": "draft",
            "period_start": term.start.isoformat(), "period_end": term.end.isoformat(),
            "due_date": plan.due.isoformat(), "meeting_date": plan.meeting.isoformat(),
            "meeting_place": place[:160], "meeting_language": lang,
            "next_review_date": cal.review_due(plan.meeting).isoformat(),
            "attendance_pct": att, "authorised_absence_pct": authorised, "unauthorised_absence_pct": unauthorised,
            "reduced_timetable": (history[-1].reduced and school is history[-1].school and plan.term == self.current)
            or rng.random() < 0.02,
            "aln_status": lr.aln, "idp_holder": lr.idp,
            "sdq_score": sdq if held else None, "wellbeing_concern": concern if held else None,
        }
        phase = phase_on(lr.dob, term.start)
        if phase == POST16:
            course = self._post16(lr)
            if course is None:   # no course: no attendance to record
                for k in ("attendance_pct", "authorised_absence_pct", "unauthorised_absence_pct"):
                    values[k] = None
            values["neet_risk"] = course is None or rng.random() < 0.15
        if lr.idp != "none":
            values["next_idp_review"] = (plan.meeting + dt.timedelta(days=rng.randint(30, 365))).isoformat()
            self._text(values, "aln_provision", N.ALN_PROVISION, lang)
        adult = designated.title if (rng.random() < 0.7 or "mentor" not in cs) else cs["mentor"].name.split(" ")[0]
        good = N.VOICE_GOOD_AT + (N.VOICE_GOOD_AT_OLDER if older else ())
        worries = N.VOICE_WORRIES + (N.VOICE_WORRIES_OLDER if yg >= 9 else ())
        future = N.VOICE_FUTURE_OLDER if yg >= 8 else N.VOICE_FUTURE
        self._text(values, "voice_good_at", good, voice)
        self._text(values, "voice_enjoy", N.VOICE_ENJOY, voice)
        self._text(values, "voice_worries", worries, voice)
        self._text(values, "voice_helps", N.VOICE_HELPS, voice)
        self._text(values, "voice_future", future, voice)
        self._text(values, "voice_trusted_adult", N.VOICE_TRUSTED, voice, adult=adult)
        if held and phase == EARLY_YEARS:
            self._early_years(values, lang, name)
        elif held and phase == POST16:
            self._post16_values(values, lr, term, lang, voice)
        elif held:
            self._text(values, "progress_summary", N.PROGRESS, lang, name=name)
            self._text(values, "strengths", N.STRENGTHS, lang)
        if held:
            wellbeing = N.WELLBEING[1:4] if concern else (N.WELLBEING[0], N.WELLBEING[4])
            self._text(values, "wellbeing_notes", wellbeing, lang, name=name)
            if concern and rng.random() < 0.5:
                self._text(values, "referrals", N.REFERRALS, lang)
            if rng.random() < 0.85:
                self._text(values, "carer_views", N.CARER_VIEWS, lang, name=name)
                self._text(values, "carer_role", N.CARER_ROLE, lang, name=name)
            if rng.random() < 0.9:
                self._text(values, "professional_views", N.PROFESSIONAL_VIEWS, lang, name=name)
            if rng.random() < 0.7:
                self._text(values, "current_arrangements", N.CURRENT_ARRANGEMENTS, lang, name=name)
                self._text(values, "disruption_plan", N.DISRUPTION_PLAN, lang, name=name)
        if rng.random() < 0.8:
            self._text(values, "leisure_interests", N.LEISURE, lang)
        if school.kind == "pru" or (older and phase != POST16 and rng.random() < 0.05):
            self._text(values, "alternative_provision", N.ALTERNATIVE_PROVISION, lang)
            if held:
                values.update(ap_provider=self._pick(N.INTERVENTION_PROVIDERS["alternative_provision"]),
                              ap_days=self._pick((1.0, 2.0, 2.0, 3.0)), ap_start=term.start.isoformat())
                self._text(values, "ap_purpose", N.AP_PURPOSE, lang, name=name)
        if values["reduced_timetable"] and held:
            values.update(rt_hours=self._pick((10.0, 12.5, 15.0, 20.0)),
                          rt_review_date=(plan.meeting + dt.timedelta(days=14)).isoformat())
            self._text(values, "rt_reason", N.RT_REASON, lang)
            self._text(values, "rt_return_plan", N.RT_RETURN_PLAN, lang)
        if yg == 0 and term.name != "autumn":
            self._text(values, "transition", N.TRANSITION_RECEPTION, lang)
        elif yg == 6:
            self._text(values, "transition", N.TRANSITION_Y6, lang, name=name)
        elif yg == 11:
            self._text(values, "transition", N.TRANSITION_Y11, lang, name=name)
        review_id = self._new("reviews", values)

        # Targets: those of the last finalised review still open are carried forward (as
        # Store.start_review does) and rated; new ones join them.
        owners = [designated.name, cs["carer"].name] + [cs[r].name for r in ("mentor", "social_worker") if r in cs]
        targets: list[dict] = []
        used = set()
        for prior in previous_targets:
            if prior.get("progress") in ("achieved", "not_achieved"):
                continue  # closed at the last review (an unmet target is broken down, not repeated)
            row = {
                "review_id": review_id, "position": len(targets),
                "description": prior["description"], "description_lang": prior["description_lang"],
                "support": prior.get("support"), "support_lang": prior.get("support_lang"),
                "responsible": prior.get("responsible"), "due_date": prior.get("due_date"),
                "pdg_funded": prior.get("pdg_funded"), "carried_from_id": prior["id"],
                "progress": self._pick(("achieved", "progressing", "not_achieved"), (45, 40, 15)) if held else None,
            }
            row["id"] = self._new("targets", row)
            used.add(prior["key"])
            row["key"] = prior["key"]
            targets.append(row)
        pool = N.TARGETS + (N.TARGETS_OLDER if yg >= 9 else ())
        wanted = max(rng.randint(2, 4), len(targets) + (len(targets) < 4)) - len(targets)  # 2 to 4 in all
        for _n in range(wanted):
            choices = [k for k in range(len(pool)) if pool[k][1] not in used]
            if not choices:
                break
            key = pool[self._pick(choices)][1]
            used.add(key)
            pair = next(p for p in pool if p[1] == key)
            row = {"review_id": review_id, "position": len(targets), "responsible": self._pick(owners),
                   "due_date": cal.review_due(plan.meeting).isoformat(), "pdg_funded": rng.random() < 0.3}
            self._text(row, "description", pair, lang)
            if rng.random() < 0.8:
                self._text(row, "support", N.TARGET_SUPPORT if yg >= 9 else N.TARGET_SUPPORT[:-1], lang)
            row["id"] = self._new("targets", row)
            row["key"] = key
            targets.append(row)

        hour = rng.randint(9, 14)
        meeting_at = dt.datetime.combine(plan.meeting, dt.time(hour, rng.choice((0, 15, 30, 45))), UTC)
        if held or finalised:
            for pair in self.rng.sample(N.ACTIONS, rng.randint(1, 3)):
                row = {"review_id": review_id, "owner": self._pick(owners), "done": False,
                       "due_date": (plan.meeting + dt.timedelta(days=rng.randint(14, 60))).isoformat()}
                self._text(row, "description", pair, lang)
                self._new("actions", row)
            self._exclusions(review_id, plan, lang, permanent_exclusion)
            self._interventions(review_id, term, plan, lang, finalised)
            if phase == POST16:
                self._qualifications(review_id, lr, plan, lang)
            elif phase != EARLY_YEARS:
                self._attainments(review_id, yg, term, lang, school)
            self._attendees(review_id, lr, meeting_at, school, finalised)

        if finalised:
            when = meeting_at + dt.timedelta(minutes=rng.randint(75, 240))
            self.out.finalise_review(review_id, when)
            if rng.random() < 0.5:
                self._quality(review_id, plan, lang)
        return targets

    def _early_years(self, values: dict, lang: str, name: str) -> None:
        """Development by area and the setting, in place of progress and attainment."""
        rng = self.rng
        self._text(values, "ey_areas_of_learning", N.EY_AREAS, lang)
        self._text(values, "ey_communication", N.EY_COMMUNICATION, lang, name=name)
        self._text(values, "ey_physical", N.EY_PHYSICAL, lang)
        self._text(values, "ey_personal_social", N.EY_PERSONAL_SOCIAL, lang)
        values["ey_key_person"] = self._pick(N.EY_SETTINGS_KEY_PEOPLE)
        values["ey_funded_hours"] = self._pick((10.0, 12.5, 15.0, 20.0, 30.0))
        if rng.random() < 0.5:
            self._text(values, "ey_aln", N.EY_ALN, lang)
        if rng.random() < 0.6:
            self._text(values, "ey_health_visitor", N.EY_HEALTH_VISITOR, lang)

    def _post16(self, lr: Learner) -> dict | None:
        """The learner's course or training, chosen once; None: not in education, employment or training."""
        if lr.post16 is None:
            rng = self.rng
            if rng.random() < 0.15:
                lr.post16 = {"course": None}
            else:
                pair, level = self._pick(N.COURSES)
                provider = self._pick(N.TRAINING_PROVIDERS) if level == "entry" and rng.random() < 0.5 \
                    else self._pick(N.COLLEGES)
                lr.post16 = {"course": pair, "level": level, "provider": provider,
                             "adviser": self._adult("Gyrfa Cymru", "example.org").name,
                             "pa": self._adult(N.SOCIAL_SERVICES, "example.org").name}
            lr.post16.setdefault("adviser", self._adult("Gyrfa Cymru", "example.org").name)
            lr.post16.setdefault("pa", self._adult(N.SOCIAL_SERVICES, "example.org").name)
        return lr.post16["course"] and lr.post16

    def _post16_values(self, values: dict, lr: Learner, term, lang: str, voice: str) -> None:
        rng = self.rng
        course = self._post16(lr)
        info = lr.post16
        values.update(careers_adviser=info["adviser"], personal_adviser=info["pa"],
                      careers_guidance_date=(term.start + dt.timedelta(days=rng.randint(10, 40))).isoformat(),
                      pathway_plan=f"PP-{lr.ref}")
        self._text(values, "aspiration", N.ASPIRATIONS, voice)
        if course is None:
            values["neet_since"] = (term.start - dt.timedelta(days=rng.randint(20, 200))).isoformat()
            self._text(values, "neet_support", N.NEET_SUPPORT, lang)
            self._text(values, "neet_actions", N.NEET_ACTIONS, lang)
            return
        start = dt.date(term.start.year if term.start.month >= 9 else term.start.year - 1, 9, 4)
        values.update(course_provider=info["provider"], course_title=course["course"][0 if lang == "cy" else 1],
                      course_level=course["level"], course_start=start.isoformat(),
                      course_end=dt.date(start.year + (2 if course["level"] == "level3" else 1), 6, 30).isoformat(),
                      course_attendance_pct=round(min(100.0, max(50.0, rng.gauss(88, 8))), 1),
                      bursary=rng.random() < 0.5, ema=rng.random() < 0.6)
        if rng.random() < 0.6:
            self._text(values, "financial_support", N.FINANCIAL_SUPPORT, lang)
        if values.get("neet_risk"):
            self._text(values, "neet_actions", N.NEET_ACTIONS, lang)

    def _qualifications(self, review_id: str, lr: Learner, plan: Planned, lang: str) -> None:
        """GCSEs achieved in year 11, and the course's qualification being studied."""
        rng = self.rng
        col = 0 if lang == "cy" else 1
        for pair in rng.sample(N.QUALIFICATIONS[:4], rng.randint(1, 3)):
            self._new("qualifications", {"review_id": review_id, "title": pair[col], "level": "level2",
                                         "status": "achieved", "grade": self._pick(N.GRADES[1:7])})
        course = lr.post16 and lr.post16.get("course")
        if course:
            self._new("qualifications", {"review_id": review_id, "title": course[col], "level": lr.post16["level"],
                                         "status": "studying"})

    def _exclusions(self, review_id: str, plan: Planned, lang: str, permanent: bool) -> None:
        rng = self.rng
        days = [d for d in self.school_days(plan.term) if d < plan.meeting]
        if not days:
            return
        if rng.random() < 0.06:
            for _n in range(rng.choice((1, 1, 2))):
                row = {"review_id": review_id, "kind": "fixed_term", "start_date": self._pick(days).isoformat(),
                       "days": self._pick((0.5, 1.0, 1.0, 1.5, 2.0, 3.0, 5.0))}
                self._text(row, "reason", N.EXCLUSION_REASONS, lang)
                self._new("exclusions", row)
        if permanent:
            row = {"review_id": review_id, "kind": "permanent", "start_date": days[-1].isoformat(), "days": None}
            self._text(row, "reason", N.EXCLUSION_REASONS, lang)
            self._new("exclusions", row)

    def _interventions(self, review_id: str, term, plan: Planned, lang: str, finalised: bool) -> None:
        rng = self.rng
        costs = {
            "tutoring": (200, 1200), "mentoring": (300, 900), "therapy": (400, 1500), "coaching": (200, 600),
            "alternative_provision": (1500, 6000), "camhs": (0, 0), "other": (50, 500),
        }
        count = self._pick((0, 1, 1, 2))
        for _n in range(count):
            kind = self._pick(tuple(costs), (30, 25, 12, 8, 5, 10, 10))
            low, high = costs[kind]
            funding = "other" if kind == "camhs" else self._pick(("pdg_cla", "core", "other"), (72, 18, 10))
            start = self._pick(self.school_days(plan.term)[:15])
            row = {"review_id": review_id, "kind": kind, "provider": self._pick(N.INTERVENTION_PROVIDERS[kind]),
                   "start_date": start.isoformat(), "end_date": term.end.isoformat() if finalised else None,
                   "cost_pence": rng.randint(low, high) // 5 * 500, "funding": funding}
            if finalised:
                self._text(row, "outcome", N.INTERVENTION_OUTCOMES, lang)
            self._new("interventions", row)

    def _attainments(self, review_id: str, yg: int, term, lang: str, school: School) -> None:
        rng = self.rng
        col = 0 if lang == "cy" else 1
        if yg >= 10:
            subjects = [N.QUALIFICATIONS[0], N.QUALIFICATIONS[2]]
            subjects.append(N.WELSH_QUALIFICATION if school.medium in ("welsh_medium", "bilingual") else N.WELSH_SECOND_LANGUAGE)
            subjects += rng.sample(N.QUALIFICATIONS[3:], rng.randint(0, 2))
            for pair in subjects[: rng.randint(2, len(subjects))]:
                grade = rng.randint(1, 7)
                row = {"review_id": review_id, "area": "qualification", "subject": pair[col],
                       "predicted_grade": N.GRADES[grade]}
                if yg == 11 and term.name != "autumn" and rng.random() < 0.3:
                    row["actual_grade"] = N.GRADES[min(7, max(0, grade + rng.choice((-1, 0, 0, 1))))]
                self._new("attainments", row)
        elif rng.random() < 0.35:
            areas = ("languages_literacy", "maths_numeracy", "health_wellbeing", "science_technology",
                     "humanities", "expressive_arts")
            for area in rng.sample(areas, rng.randint(1, 2)):
                row = {"review_id": review_id, "area": area}
                self._text(row, "judgement", N.ATTAINMENT_JUDGEMENTS, lang)
                self._new("attainments", row)

    def _attendees(self, review_id: str, lr: Learner, meeting_at: dt.datetime, school: School, finalised: bool) -> None:
        rng = self.rng
        cs = lr.contacts
        carer_role = "parent" if "parent" in cs else "carer"
        people = [
            (school.designated.name, "designated_person", "present"),
            (f"{lr.forename} {lr.surname}", "learner", self._pick(("present", "written", "apologies"), (72, 23, 5))),
            (cs["carer"].name, carer_role, self._pick(("present", "apologies", "written"), (85, 10, 5))),
        ]
        if rng.random() < 0.9:
            people.append((cs["social_worker"].name, "social_worker", self._pick(("present", "apologies", "written"), (65, 20, 15))))
        extra = [(cs[r].name, r) for r in ("mentor", "aln_coordinator", "iro") if r in cs]
        if extra and len(people) < 5 and rng.random() < 0.5:
            person, role = self._pick(extra)
            people.append((person, role, self._pick(("present", "written"), (70, 30))))
        for person, role, mode in people:
            row = {"review_id": review_id, "name": person, "role": role, "attendance": mode}
            if mode != "apologies":
                row["agreed"] = rng.random() < 0.96
                if finalised:
                    row["signed_at"] = (meeting_at + dt.timedelta(minutes=rng.randint(45, 70))).isoformat()
            self._new("attendees", row)

    def _quality(self, review_id: str, plan: Planned, lang: str) -> None:
        rng = self.rng
        rated = plan.meeting + dt.timedelta(days=rng.randint(1, 21))
        if rated > self.today:
            return
        rating = self._pick(("green", "amber", "red"), (60, 30, 10))
        row = {"review_id": review_id, "rating": rating, "rated_by": self._pick(self.coordinators).name,
               "rated_at": self._at(rated)}
        self._text(row, "feedback", N.QUALITY_FEEDBACK[rating], lang)
        self._new("quality_ratings", row)
