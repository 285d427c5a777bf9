"""The encrypted store: records of the domain model, each change written with its operation.

Every write goes through `create` or `update`: the value is validated by the domain model,
refused if it belongs to a finalised review, and written in one transaction together with
its row in the change log (`ops`). Reads never write. Nothing here imports Qt.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import secrets
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..domain import model, sections
from ..domain.model import ImmutableError, ValidationError
from ..errors import Refused, StoreDamaged, StoreExists, WrongPassphrase
from ..i18n import _
from ..sync.hlc import HybridLogicalClock, Stamp
from . import connection, contentfile, filelock, migrate, oplog
from .filelock import StoreLock
from .connection import APPLICATION_ID

log = logging.getLogger(__name__)

CREATE_FIELD = "*"
# Fields that only the review lifecycle may set.
LIFECYCLE_FIELDS = frozenset({"status", "finalised_at", "finalised_by"})
SEARCH_FIELDS = {
    "learners": frozenset({"legal_forename", "legal_surname", "preferred_name", "reference"}),
    "enrolments": None,  # any change can change the current school
    "schools": frozenset({"name"}),
}
CURRENT_SCHOOL_SQL = """
    SELECT s.name FROM enrolments e JOIN schools s ON s.id = e.school_id
    WHERE e.learner_id = l.id AND coalesce(e.deleted, 0) = 0
    ORDER BY (e.end_date IS NULL) DESC, e.start_date DESC LIMIT 1
"""


def new_id() -> str:
    return uuid.uuid4().hex


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


# The review's lists that its sections' plan reads (`_refuse_outside_sections`).
_PLAN_LISTS = tuple(name for name in model.REVIEW_CHILDREN
                    if any(name in s.review_lists for s in sections.SECTIONS) or name == "review_sections")

_encode = oplog.encode   # one encoder for every value the store keeps as JSON


def _to_sql(f: model.Field, value: Any) -> Any:
    if f.kind == "bool" and value is not None:
        return int(value)
    return value


def _from_sql(f: model.Field, value: Any) -> Any:
    if f.kind == "bool" and value is not None:
        return bool(value)
    return value


class Store:
    """One unlocked store file. Not thread-safe: one thread owns it."""

    def __init__(self, conn, path: Path, lock: StoreLock | None = None):
        self.conn = conn
        self.path = Path(path)
        self.lock = lock   # shared while open: a passphrase change waits for no other process
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        self.device_id = meta["device_id"]
        self.author = meta.get("author", "")       # the person's display name (vsm_desktop.profile)
        self.role = meta.get("author_role", "")
        self._login = meta.get("author_login", "")   # what an old store called its author (a login)
        last = oplog.stamp_text(conn.execute("SELECT max(hlc) FROM ops").fetchone()[0])
        self.clock = HybridLogicalClock(self.device_id, Stamp.parse(last) if last else None)
        self._depth = 0
        self._review_learner: dict[str, str] = {}

    # --- opening ----------------------------------------------------------------------

    @classmethod
    def initialise(cls, path: Path | str, passphrase: str, author: str = "", role: str = "") -> "Store":
        path = Path(path)
        problem = connection.passphrase_problem(passphrase)
        if problem:
            raise Refused(problem)
        if path.exists() and path.stat().st_size > 0:
            raise StoreExists(_("{path} already exists; choose another file.").format(path=path))
        if contentfile.path_for(path).exists():
            # Another store's content (its key went with that store): never overwritten.
            raise StoreExists(_("{path} already exists; choose another file.").format(path=contentfile.path_for(path)))
        path.parent.mkdir(parents=True, exist_ok=True)
        # 0600 before the first byte: the store is nobody else's business, even encrypted.
        # O_EXCL: of two processes creating the same store, the second is refused, never the first undone.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if path.exists() else os.O_EXCL), 0o600)
        except FileExistsError:
            raise StoreExists(_("{path} already exists; choose another file.").format(path=path)) from None
        os.close(fd)
        lock = None
        try:
            lock = StoreLock.shared(path)
            conn = connection.connect(path, passphrase, create=True)
        except BaseException:
            if lock is not None:
                lock.release()
            _remove_created(path)
            raise
        try:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            migrate.migrate(conn)
            with _tx(conn):
                conn.executemany(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                    [
                        ("application", "vsm-desktop"),
                        ("device_id", secrets.token_hex(8)),
                        ("author", author),
                        ("created_at", utc_now().isoformat()),
                    ] + ([("author_role", role or "designated_person")] if author else []),
                )
            contentfile.attach(conn, path)
        except BaseException:
            conn.close()
            lock.release()
            _remove_created(path)
            raise
        log.info("created store")
        return cls(conn, path, lock)

    @classmethod
    def open(cls, path: Path | str, passphrase: str, *, upgrade: bool = True, read_only: bool = False,
             progress: migrate.Progress | None = None, _lock: StoreLock | None = None) -> "Store":
        """The unlocked store; `read_only` (a pack's worker processes) opens a connection that cannot write.
        `progress(done, total)` hears how far a long migration has gone (the unlock page shows it)."""
        path = Path(path)
        lock = _lock or (StoreLock.shared(path) if path.is_file() else None)
        try:
            if lock is not None and not _lock and not read_only:
                _remove_rekey_leftover(path)   # a re-key that died half way; one running holds the lock
            conn = connection.connect(path, passphrase, read_only=read_only)
        except BaseException:
            if lock is not None and not _lock:
                lock.release()
            raise
        try:
            try:
                app_id = conn.execute("PRAGMA application_id").fetchone()[0]
                if app_id != APPLICATION_ID:
                    raise StoreDamaged(_("{path} is damaged or not a VSM store.").format(path=path))
                migrate.refuse_if_too_new(conn, path)
                # Before the migrations: content an older version kept in the store moves first.
                contentfile.attach(conn, path, writable=upgrade and not read_only and connection.writable(path))
                if upgrade and migrate.schema_version(conn) < migrate.SCHEMA_VERSION:
                    applied = migrate.migrate(conn, progress=progress)
                    log.info("migrated store to schema %s", applied[-1] if applied else "?")
                store = cls(conn, path, lock)
            except connection.DatabaseError as e:
                raise connection.translate_error(e, path) from None
        except BaseException:
            conn.close()
            if lock is not None and not _lock:
                lock.release()
            raise
        return store

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-keys this open store (File ▸ Change passphrase…): refused with StoreInUse while any
        other connection has it open; this store goes on, opened with the new passphrase."""
        problem = connection.passphrase_problem(new)
        if problem:
            raise Refused(problem)
        connection.connect(self.path, old).close()   # WrongPassphrase, with nothing changed
        if self.lock is not None and not self.lock.try_exclusive():
            raise filelock.in_use_error(self.path)
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()
        self.conn = None
        try:
            _rekey_file(self.path, old, new)
        except BaseException:
            # The file is the one this store had: shared again, opened again, the error told as it was.
            try:
                if self.lock is not None:
                    self.lock.back_to_shared()
            finally:
                self.conn = _connect(self.path, old)
            raise
        if self.lock is not None:
            # The new file has no lock yet; the old one's goes with its descriptor.
            old_lock, self.lock = self.lock, StoreLock.shared(self.path)
            old_lock.release()
        self.conn = _connect(self.path, new)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- transactions -----------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction; nested calls join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._depth = 1
        try:
            with _tx(self.conn):
                self._catch_up_clock()
                yield
        except connection.DatabaseError as e:
            self._review_learner.clear()
            raise connection.translate_error(e, self.path) from None
        except BaseException:
            self._review_learner.clear()
            raise
        finally:
            self._depth = 0

    # --- the person ---------------------------------------------------------------------

    @property
    def needs_profile(self) -> bool:
        """A store made before profiles (its author is likely a login), or with no name yet."""
        return not (self.author and self.role)

    def set_profile(self, name: str, role: str) -> None:
        """The person's display name and role (checked by vsm_desktop.profile)."""
        from .. import profile

        name, role = profile.check(name, role)
        rows = [("author", name), ("author_role", role)]
        if self.needs_profile and self.author and not self._login:
            # A store made before profiles: its author was a login. What it wrote under that login
            # is shown under the person's name from now on (history, finalised by, ratings).
            rows.append(("author_login", self.author))
            self._login = self.author
        with self.transaction():
            self.conn.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", rows)
        self.author, self.role = name, role
        log.info("profile changed")

    def person(self, author: str | None) -> str | None:
        """An author as documents show it: this store's old login becomes the person's name."""
        return self.author if author and self._login and author == self._login else author

    # --- writing ----------------------------------------------------------------------

    def create(self, entity_name: str, values: dict, *, record_id: str | None = None,
               check_sections: bool = True) -> str:
        """Adds a record; its initial values become one creation operation. `check_sections=False`
        copies what a review already holds (an amendment) without asking again whether it fits."""
        ent = model.entity(entity_name)
        clean = model.validate_record(entity_name, values)
        rid = record_id or new_id()
        with self.transaction():
            self._refuse_if_frozen(ent, clean)
            if check_sections:
                self._refuse_outside_sections(ent, clean, {k for k, v in clean.items() if v is not None},
                                              clean.get("review_id") if ent.name != "reviews" else None)
            learner_id = self._learner_of(ent, rid, clean)
            cols = ent.columns
            self.conn.execute(
                f"INSERT INTO {ent.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [rid] + [_to_sql(f, clean[f.name]) for f in ent.fields],
            )
            initial = {k: v for k, v in clean.items() if v is not None}
            self._log(ent.name, rid, learner_id, CREATE_FIELD, initial, None, made=True)
            self._reindex_after(ent.name, rid, clean, set(initial))
        return rid

    def update(self, entity_name: str, record_id: str, changes: dict) -> list[str]:
        """Changes some fields of one record; returns the stamps of the operations written."""
        ent = model.entity(entity_name)
        for name in changes:
            ent.field(name)
            if entity_name == "reviews" and name in LIFECYCLE_FIELDS:
                raise ValidationError(entity_name, name, _("is set by finalising the review"))
        if "id" in changes:
            raise ValidationError(entity_name, "id", _("cannot be changed"))
        stamps: list[str] = []
        with self.transaction():
            current = self.get(entity_name, record_id)
            if current is None:
                raise Refused(_("There is no such record ({id}).").format(id=record_id))
            self._refuse_if_frozen(ent, current)
            clean = {k: model.validate_field(entity_name, k, v) for k, v in changes.items()}
            if ent.parent and ent.parent in clean and clean[ent.parent] != current[ent.parent]:
                raise ValidationError(entity_name, ent.parent, _("cannot be moved to another record"))
            merged = {**current, **clean}
            merged.pop("id")
            model.check_rules(entity_name, merged)
            changed = {k: v for k, v in clean.items() if v != current[k]}
            if not changed:
                return stamps
            self._refuse_outside_sections(ent, merged, {k for k, v in changed.items() if v is not None},
                                          current.get("review_id") if ent.name != "reviews" else None,
                                          current if ent.name == "reviews" else None)
            learner_id = self._learner_of(ent, record_id, merged)
            for name, value in changed.items():
                stamps.append(self._write_field(ent, record_id, learner_id, name, value))
            self._reindex_after(ent.name, record_id, merged, set(changed))
        return stamps

    def set_field(self, entity_name: str, record_id: str, field: str, value: Any) -> str | None:
        stamps = self.update(entity_name, record_id, {field: value})
        return stamps[0] if stamps else None

    def _write_field(self, ent: model.Entity, record_id: str, learner_id: str | None, name: str, value: Any) -> str:
        prev = self.field_stamp(record_id, name)
        self.conn.execute(
            f"UPDATE {ent.name} SET {name} = ? WHERE id = ?", (_to_sql(ent.field(name), value), record_id)
        )
        return self._log(ent.name, record_id, learner_id, name, value, prev)

    def _log(self, entity: str, record_id: str, learner_id: str | None, field: str, value: Any, prev: str | None,
             made: bool = False) -> str:
        """`made`: a creation that has just written its record from `value` (see oplog)."""
        stamp = str(self.clock.now())
        self.conn.execute(oplog.INSERT, oplog.row(stamp, entity, record_id, learner_id, field, value, prev,
                                                  self.author, made=made))
        return stamp

    def field_stamp(self, record_id: str, field: str) -> str | None:
        """The stamp of the operation that set a field's current value (its creation or a later edit).
        Held operations (kept by sync but not applied, see migration 0003) never set a value."""
        row = self.conn.execute(
            "SELECT max(hlc) FROM ops WHERE record_id = ? AND field IN (?, ?) AND held IS NULL",
            (oplog.id_key(record_id), field, CREATE_FIELD),
        ).fetchone()
        return oplog.stamp_text(row[0])

    def _catch_up_clock(self) -> None:
        # Sync applies remote operations through its own connection: a local change must still be
        # stamped after everything already in the file. Cheap (the stamp column is unique, so indexed),
        # and exact, since BEGIN IMMEDIATE keeps other writers out until this transaction ends.
        last = oplog.stamp_text(self.conn.execute("SELECT max(hlc) FROM ops").fetchone()[0])
        if last:
            self.clock.advance_past(Stamp.parse(last))

    def _refuse_if_frozen(self, ent: model.Entity, row: dict, reader=None) -> None:
        """`reader` (store/bulk.py's writer): `review_status(id)` answers from a batch not yet written."""
        if ent.name == "reviews":
            status = row.get("status")
        elif ent.frozen_with_review:
            if row.get("review_id") is None:   # an attachment to the learner, not to a review
                return
            review = (reader or self).review_status(row["review_id"])
            if review is None:
                raise ValidationError(ent.name, "review_id", _("there is no such review"))
            status = review[0]
        else:
            return
        if status == "finalised":
            raise ImmutableError(
                _("This PEP review is finalised and cannot be changed. Start an amendment to correct it.")
            )

    def review_status(self, review_id: str) -> tuple | None:
        """A review's (status,), or None when there is no such review."""
        return self.conn.execute("SELECT status FROM reviews WHERE id = ?", (review_id,)).fetchone()

    def _refuse_outside_sections(self, ent: model.Entity, row: dict, filled: set[str], review_id: str | None,
                                 before: dict | None = None, reader=None) -> None:
        """Refuses a value in a section of another phase that the review does not show (a post-16
        course for a learner of 9), unless the phase is overridden or the section added with a
        reason. Clearing a value is never refused. Sync applies what other devices wrote without
        this check: they decided on their own copy, and what was entered is never dropped.
        `reader` (store/bulk.py's writer): `get` and `children` answer from a batch not yet written."""
        reader = reader or self
        gated = [s for s in sections.GATED_SECTIONS
                 if (ent.name in s.review_lists and filled)
                 or (ent.name == "reviews" and filled & {f for name in s.review_fields for f in (name, name + "_lang")})]
        if not gated:
            return
        if ent.name == "reviews":
            # The review as it stood (a new one: without the values being checked), with the phase
            # this change gives it (an override, a new period).
            review = dict(before) if before is not None else {k: None if k in filled else v for k, v in row.items()}
            review.update({k: row.get(k) for k in ("phase_override", "phase_override_reason", "period_start",
                                                   "learner_id")})
            review_id = (before or {}).get("id")
        else:
            review = reader.get("reviews", review_id) or {}
        learner = reader.get("learners", review.get("learner_id") or "") or {}
        if review_id:
            for name in _PLAN_LISTS:
                review[name] = reader.children(name, review_id)
        enrolments = reader.children("enrolments", learner["id"]) if learner else []
        plan = sections.sections_for(review, learner, enrolments=enrolments)
        for section in gated:
            if sections.refusal(section, plan):
                raise Refused(_(
                    "“{section}” is not part of this PEP review: it belongs to the phase “{section_phase}”, and "
                    "this review's phase is “{phase}”. Nothing was saved. Override the review's phase, or add "
                    "the section, with a reason first."
                ).format(section=_(section.title),
                         section_phase=", ".join(model.enum_label("phase", p) for p in sorted(section.phases)),
                         phase=model.enum_label("phase", plan.phase)))

    def _learner_of(self, ent: model.Entity, record_id: str, row: dict) -> str | None:
        if ent.name == "learners":
            return record_id
        if ent.parent_entity == "learners":
            return row["learner_id"]
        if ent.parent_entity == "reviews":
            review_id = row["review_id"]
            learner = self._review_learner.get(review_id)
            if learner is None:
                found = self.conn.execute("SELECT learner_id FROM reviews WHERE id = ?", (review_id,)).fetchone()
                if found is None:
                    raise ValidationError(ent.name, "review_id", _("there is no such review"))
                learner = self._review_learner[review_id] = found[0]
            return learner
        return None

    # --- the review lifecycle ---------------------------------------------------------

    def finalise_review(self, review_id: str, when: dt.datetime | None = None) -> None:
        """Freezes a draft review after sign-off; from now on it is read-only."""
        review = self.get("reviews", review_id)
        if review is None:
            raise Refused(_("There is no such record ({id}).").format(id=review_id))
        if review["status"] == "finalised":
            raise ImmutableError(_("This PEP review is already finalised."))
        if not review["meeting_date"]:
            raise ValidationError("reviews", "meeting_date", _("a finalised review needs the date of its meeting"))
        ent = model.entity("reviews")
        when = (when or utc_now()).astimezone(dt.timezone.utc).replace(microsecond=0)
        with self.transaction():
            for name, value in (("finalised_at", when.isoformat()), ("finalised_by", self.author or None), ("status", "finalised")):
                self._write_field(ent, review_id, review["learner_id"], name, value)

    def start_review(self, learner_id: str, values: dict) -> str:
        """A new draft review; the open targets of the learner's last finalised review (new there, or
        rated "progressing") are carried forward, to be given a progress rating in the meeting.
        Achieved targets are done; targets not achieved are broken down into new ones, not repeated."""
        with self.transaction():
            previous = self.conn.execute(latest_finalised_sql("?"), (learner_id,)).fetchone()
            review_id = self.create("reviews", {**values, "learner_id": learner_id, "status": "draft"})
            if previous:
                open_targets = [t for t in self.children("targets", previous[0])
                                if t["progress"] in (None, "progressing")]
                for pos, target in enumerate(open_targets):
                    self.create("targets", {
                        "review_id": review_id, "position": pos,
                        "description": target["description"], "description_lang": target["description_lang"],
                        "support": target["support"], "support_lang": target["support_lang"],
                        "responsible": target["responsible"], "due_date": target["due_date"],
                        "pdg_funded": target["pdg_funded"], "carried_from_id": target["id"],
                    })
        return review_id

    def start_amendment(self, review_id: str, reason: str, reason_lang: str | None = None) -> str:
        """A draft amendment of a finalised review: a copy of its content and of its lists
        (targets, actions, attendance, …) with the reason recorded. The finalised review stays as
        it was and readable; the amendment is finalised in its turn, after a new sign-off, so the
        attendees are copied without their agreement or signatures."""
        if not (reason or "").strip():
            raise ValidationError("reviews", "amendment_reason", _("say why the review is amended"))
        with self.transaction():
            review = self.get("reviews", review_id)
            if review is None:
                raise Refused(_("There is no such record ({id}).").format(id=review_id))
            if review["status"] != "finalised":
                raise Refused(_("Only a finalised review can be amended; a draft can still be changed."))
            if self.conn.execute("SELECT 1 FROM reviews WHERE learner_id = ? AND amends_review_id = ? AND status = 'draft'",
                                 (review["learner_id"], review_id)).fetchone():
                raise Refused(_("This review already has an amendment in draft: finish that one."))
            skip = {"id", "review_type", "amends_review_id", "amendment_reason", "amendment_reason_lang",
                    *LIFECYCLE_FIELDS}
            values = {k: v for k, v in review.items() if k not in skip and v is not None}
            values.update(review_type="amendment", status="draft", amends_review_id=review_id,
                          amendment_reason=reason.strip(), amendment_reason_lang=reason_lang)
            new_id_ = self.create("reviews", values, check_sections=False)
            for name in model.REVIEW_CHILDREN:
                if name == "quality_ratings" or name in model.FUNDING_ENTITIES:
                    continue  # the rating belongs to the version rated; funding to the review it was asked in
                for child in self.children(name, review_id):
                    copy = {k: v for k, v in child.items() if k not in ("id", "deleted") and v is not None}
                    copy["review_id"] = new_id_
                    if name == "attendees":
                        for k in ("agreed", "signed_at", "signature_png"):
                            copy.pop(k, None)
                    self.create(name, copy, check_sections=False)
        return new_id_

    # --- phases and sections ------------------------------------------------------------

    def section_plan(self, review_id: str, today: dt.date | None = None) -> "sections.SectionPlan":
        """The sections a review shows and offers, worked out now (domain/sections.py)."""
        review = self.get("reviews", review_id)
        if review is None:
            raise Refused(_("There is no such record ({id}).").format(id=review_id))
        record = self.learner_record(review["learner_id"])
        full = next(r for r in record["reviews"] if r["id"] == review_id)
        return sections.plan_for_record(record, full, today)

    def override_phase(self, review_id: str, phase: str | None, reason: str | None = None,
                       reason_lang: str | None = None) -> None:
        """Sets the review's phase whatever the date of birth says (a reason is required), or,
        with `phase=None`, goes back to the computed phase."""
        if phase is None:
            self.update("reviews", review_id, {"phase_override": None, "phase_override_reason": None,
                                               "phase_override_reason_lang": None})
            return
        self.update("reviews", review_id, {"phase_override": phase, "phase_override_reason": reason,
                                           "phase_override_reason_lang": reason_lang})

    def add_section(self, review_id: str, key: str, reason: str, reason_lang: str | None = None) -> str:
        """Adds a section the review's phase and circumstances do not bring, with the reason."""
        if not (reason or "").strip():
            raise ValidationError("review_sections", "reason", _("say why the section is added"))
        return self.create("review_sections", {"review_id": review_id, "section": key, "reason": reason,
                                               "reason_lang": reason_lang})

    # --- reading ----------------------------------------------------------------------

    def get(self, entity_name: str, record_id: str) -> dict | None:
        ent = model.entity(entity_name)
        cur = self.conn.execute(f"SELECT {', '.join(ent.columns)} FROM {ent.name} WHERE id = ?", (record_id,))
        row = cur.fetchone()
        return self._row(ent, row) if row else None

    def children(self, entity_name: str, parent_id: str, include_deleted: bool = False) -> list[dict]:
        ent = model.entity(entity_name)
        order = "position, id" if "position" in ent.by_name else (
            "start_date, id" if "start_date" in ent.by_name else "id")
        where = f"{ent.parent} = ?" + ("" if include_deleted or "deleted" not in ent.by_name else " AND coalesce(deleted, 0) = 0")
        cur = self.conn.execute(f"SELECT {', '.join(ent.columns)} FROM {ent.name} WHERE {where} ORDER BY {order}", (parent_id,))
        return [self._row(ent, r) for r in cur]

    def all_rows(self, entity_name: str, where: str = "", params: Iterable = ()) -> list[dict]:
        ent = model.entity(entity_name)
        cur = self.conn.execute(f"SELECT {', '.join(ent.columns)} FROM {ent.name} {where} ORDER BY id", tuple(params))
        return [self._row(ent, r) for r in cur]

    @staticmethod
    def _row(ent: model.Entity, row) -> dict:
        out = {"id": row[0]}
        for f, value in zip(ent.fields, row[1:]):
            out[f.name] = _from_sql(f, value)
        return out

    def learner_record(self, learner_id: str) -> dict | None:
        """The learner with everything that belongs to them, reviews newest first."""
        learner = self.get("learners", learner_id)
        if learner is None:
            return None
        record = {"learner": learner}
        for name in model.LEARNER_CHILDREN:
            if name != "reviews":
                record[name] = self.children(name, learner_id)
        schools = {s["id"]: s for s in self.all_rows(
            "schools", "WHERE id IN (SELECT school_id FROM enrolments WHERE learner_id = ?)", (learner_id,))}
        for enrolment in record["enrolments"]:
            enrolment["school"] = schools.get(enrolment["school_id"])
        reviews = self.children("reviews", learner_id)
        reviews.sort(key=lambda r: (r["period_end"], r["id"]), reverse=True)
        by_review = {r["id"]: r for r in reviews}
        for r in reviews:
            for name in model.REVIEW_CHILDREN:
                r[name] = []
        for name in model.REVIEW_CHILDREN:
            ent = model.entity(name)
            cur = self.conn.execute(
                f"SELECT {', '.join(ent.columns)} FROM {name} WHERE review_id IN "
                f"(SELECT id FROM reviews WHERE learner_id = ?) AND coalesce(deleted, 0) = 0",
                (learner_id,),
            )
            for row in cur:
                item = self._row(ent, row)
                by_review[item["review_id"]][name].append(item)
        for r in reviews:
            r["finalised_by"] = self.person(r.get("finalised_by"))
            for rating in r.get("quality_ratings", ()):
                rating["rated_by"] = self.person(rating.get("rated_by"))
            r["targets"].sort(key=lambda t: (t["position"] if t["position"] is not None else 1 << 30, t["id"]))
        record["reviews"] = reviews
        return record

    def resolve_learner(self, key: str) -> str | None:
        """A learner id from its id, its reference, or a unique prefix of its id."""
        key = key.strip()
        row = self.conn.execute("SELECT id FROM learners WHERE id = ? OR reference = ?", (key, key)).fetchone()
        if row:
            return row[0]
        if len(key) >= 6 and all(c in "0123456789abcdef" for c in key):
            rows = self.conn.execute("SELECT id FROM learners WHERE id >= ? AND id < ? LIMIT 2", (key, key + "g")).fetchall()
            if len(rows) == 1:
                return rows[0][0]
        return None

    def list_learners(self, search: str | None = None, today: dt.date | None = None,
                      unsynced: bool = True, sort: bool = True, ids: Iterable[str] | None = None) -> list[dict]:
        """Summaries of learners (optionally matching a search), sorted by surname then first name.
        `unsynced=False` leaves out the unsynced flag (None): the app fills it in afterwards from
        `unsynced_learners()`, so the list paints sooner; `sort=False` leaves the order to the
        caller (the app's list sorts by whichever column is chosen). `ids`: only these learners,
        each read through the indexes (the app's first screen, before everyone)."""
        from ..i18n.collation import sort_key

        today = today or dt.date.today()
        params: list[Any] = []
        where, only, by_id = "", "", "reviews_period"
        if ids is not None:
            chosen = json.dumps(list(ids))
            only = "AND {} IN (SELECT value FROM json_each(?))"
            by_id = "reviews_summary"   # from each learner's reviews, not every rating's review
            params += [chosen] * 3
        if search is not None:
            query = fts_query(search)
            if query is None:
                return []
            where = "WHERE l.rowid IN (SELECT rowid FROM learner_search WHERE learner_search MATCH ?)"
            params.append(query)
        if ids is not None:
            where = (where + " AND " if where else "WHERE ") + "l.id IN (SELECT value FROM json_each(?))"
            params.append(chosen)
        # One pass over each table, not a subquery per learner, and one over reviews for all three of
        # its figures. The rating uses SQLite's rule that a bare column beside a single max() comes
        # from the row holding that maximum (the latest one); the next review date, one of three
        # aggregates there, rides behind its row's sort key (after char(31), which no date holds).
        sql = f"""
            WITH school AS (
                SELECT e.learner_id, max((e.end_date IS NULL) || e.start_date) AS latest, s.name
                FROM enrolments e JOIN schools s ON s.id = e.school_id
                WHERE coalesce(e.deleted, 0) = 0 {only.format("e.learner_id")} GROUP BY e.learner_id),
            review AS (
                SELECT learner_id,
                       max(CASE WHEN status = 'finalised' THEN meeting_date END) AS meeting,
                       max(CASE WHEN status = 'finalised' THEN period_end || coalesce(finalised_at, '')
                                || char(31) || coalesce(next_review_date, '') END) AS latest,
                       min(CASE WHEN status = 'draft' THEN due_date END) AS due
                FROM reviews WHERE 1 {only.format("learner_id")} GROUP BY learner_id),
            rating AS (
                SELECT r.learner_id, max(r.period_end || coalesce(q.rated_at, '')) AS latest, q.rating
                FROM quality_ratings q JOIN reviews r INDEXED BY {by_id} ON r.id = q.review_id
                WHERE coalesce(q.deleted, 0) = 0 {only.format("r.learner_id")} GROUP BY r.learner_id)
            SELECT l.id, l.reference, l.legal_forename, l.legal_surname, l.preferred_name, l.date_of_birth,
                   l.legal_status, l.date_looked_after, school.name, review.meeting, review.due,
                   nullif(substr(review.latest, instr(review.latest, char(31)) + 1), ''), rating.rating,
                   {"EXISTS (SELECT 1 FROM ops o WHERE o.learner_id = unhex(l.id) AND o.server_seq IS NULL)"
                    if unsynced else "NULL"}
            FROM learners l
            LEFT JOIN school ON school.learner_id = l.id
            LEFT JOIN review ON review.learner_id = l.id
            LEFT JOIN rating ON rating.learner_id = l.id
            {where}
        """
        from ..domain.calendar import default_calendar
        from ..domain.lifecycle import DUE_SOON_SCHOOL_DAYS, next_pep_due

        calendar = default_calendar()
        soon = calendar.add_school_days(today, DUE_SOON_SCHOOL_DAYS).isoformat()
        out = []
        for row in self.conn.execute(sql, params):
            (lid, ref, fore, sur, pref, dob, status, looked_after, school, last, draft_due, next_review,
             rating, has_unsent) = row
            due = next_pep_due(draft_due, next_review, looked_after, last, calendar)
            overdue = bool(due and due < today.isoformat())
            out.append({
                "id": lid, "reference": ref, "legal_forename": fore, "legal_surname": sur,
                "preferred_name": pref, "date_of_birth": dob, "legal_status": status, "school": school,
                "last_review": last, "next_due": due, "overdue": overdue,
                "due_soon": bool(due and not overdue and due <= soon), "rating": rating,
                "unsynced": None if has_unsent is None else bool(has_unsent),
            })
        if sort:
            out.sort(key=lambda r: (sort_key(r["legal_surname"]), sort_key(r["legal_forename"]), r["reference"]))
        return out

    def learner_names(self) -> list[dict]:
        """Every learner's id, reference, names, date of birth and legal status, read from one
        covering index: what the app's list orders and shows before `list_learners` has the rest."""
        # One JSON text, not a row each: SQLite reads them all in one step, without taking the
        # interpreter's lock 7,500 times from a UI thread that is painting meanwhile.
        (text,) = self.conn.execute(
            "SELECT json_group_array(json_array(id, reference, legal_forename, legal_surname, preferred_name, "
            "date_of_birth, legal_status)) FROM learners").fetchone()   # the planner reads learners_list alone
        return [{"id": lid, "reference": ref, "legal_forename": fore, "legal_surname": sur, "preferred_name": pref,
                 "date_of_birth": dob, "legal_status": status}
                for lid, ref, fore, sur, pref, dob, status in json.loads(text)]

    def enrolled(self) -> bool:
        """Whether this store syncs with a server (enrolment left a device token in `meta`)."""
        return self.conn.execute("SELECT 1 FROM meta WHERE key = 'sync_device_token'").fetchone() is not None

    def unsynced_learners(self) -> set[str]:
        """Learners with changes not yet accepted by the sync server: one seek per learner in the
        change log's learner index (unsent operations first), as fast whether the log is synced or not."""
        return {row[0] for row in self.conn.execute(
            "SELECT l.id FROM learners l"
            " WHERE EXISTS (SELECT 1 FROM ops o WHERE o.learner_id = unhex(l.id) AND o.server_seq IS NULL)")}

    def search_ids(self, text: str) -> set[str]:
        """Ids of the learners a search matches (as `list_learners(search=…)`, without the summaries)."""
        query = fts_query(text)
        if query is None:
            return set()
        cur = self.conn.execute(
            "SELECT l.id FROM learners l WHERE l.rowid IN (SELECT rowid FROM learner_search WHERE learner_search MATCH ?)",
            (query,))
        return {row[0] for row in cur}

    def audit(self, learner_id: str) -> list[dict]:
        """Who changed what and when, for one learner, oldest first (from the change log)."""
        rows = sorted(self.conn.execute(
            "SELECT hlc, entity, record_id, field, value, over_record, prev_hlc, author FROM ops WHERE learner_id = ?",
            (oplog.id_key(learner_id),)))
        decode = oplog.decoder(oplog.records_of(self.conn, rows, 1, 2, 5))
        out = []
        for hlc, ent, rid, field, value, over, prev, author in rows:
            hlc, rid, prev = oplog.stamp_text(hlc), oplog.id_text(rid), oplog.stamp_text(prev)
            stamp = Stamp.parse(hlc)
            device = stamp.device
            out.append({
                "stamp": hlc, "at": dt.datetime.fromtimestamp(stamp.wall / 1000, dt.timezone.utc).isoformat(timespec="seconds"),
                "entity": ent, "record_id": rid, "field": None if field == CREATE_FIELD else field,
                "value": decode(ent, rid, value, over), "replaced": prev, "device_id": device,
                "author": self.person(author) if device == self.device_id else author,
            })
        return out

    def counts(self) -> dict[str, int]:
        return {name: self.conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in model.ENTITIES} | {
            "ops": self.conn.execute("SELECT count(*) FROM ops").fetchone()[0]}

    # --- search index -----------------------------------------------------------------

    def _reindex_after(self, entity_name: str, record_id: str, row: dict, fields: set[str]) -> None:
        if entity_name not in SEARCH_FIELDS:
            return
        watched = SEARCH_FIELDS[entity_name]
        if watched is not None and not (watched & fields):
            return
        if entity_name == "learners":
            self.reindex_learners("WHERE l.id = ?", (record_id,))
        elif entity_name == "enrolments":
            self.reindex_learners("WHERE l.id = ?", (row["learner_id"],))
        else:
            self.reindex_learners("WHERE l.id IN (SELECT learner_id FROM enrolments WHERE school_id = ?)", (record_id,))

    def reindex_learners(self, where: str = "", params: Iterable = ()) -> None:
        params = tuple(params)
        self.conn.execute(f"DELETE FROM learner_search WHERE rowid IN (SELECT l.rowid FROM learners l {where})", params)
        self.conn.execute(
            f"""INSERT INTO learner_search(rowid, names, school, reference)
                SELECT l.rowid, l.legal_forename || ' ' || l.legal_surname || ' ' || coalesce(l.preferred_name, ''),
                       coalesce(({CURRENT_SCHOOL_SQL}), ''), l.reference
                FROM learners l {where}""",
            params,
        )


def latest_finalised_sql(learner: str) -> str:
    """SQL giving the id of a learner's current finalised review (`learner`: an SQL expression for
    the learner's id): the newest by period, leaving out any review a finalised amendment replaced.
    The one rule for "the latest PEP", used by the next review, tasks and packs."""
    return ("SELECT f.id FROM reviews f WHERE f.learner_id = " + learner + " AND f.status = 'finalised'"
            " AND NOT EXISTS (SELECT 1 FROM reviews a WHERE a.learner_id = f.learner_id"
            " AND a.amends_review_id = f.id AND a.status = 'finalised')"
            " ORDER BY f.period_end DESC, f.finalised_at DESC LIMIT 1")


def fts_query(text: str) -> str | None:
    """A safe FTS5 query from what a person typed: every word must match, as a prefix."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)


@contextmanager
def _tx(conn) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # SQLite has already rolled back after some errors (a full disk)
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _connect(path: Path, passphrase: str):
    """A connection to an open store's file, with its content file attached."""
    conn = connection.connect(path, passphrase)
    try:
        contentfile.attach(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


def _remove_created(path: Path) -> None:
    """A store that could not be created leaves nothing behind (on a full disk, say): `initialise`
    only ever starts from no file or an empty one, so whatever is there now is its own."""
    for leftover in (path, *(Path(str(path) + side) for side in ("-wal", "-shm", "-journal")),
                     *contentfile.side_files(path)):
        try:
            leftover.unlink()
        except OSError:
            pass


def _remove_rekey_leftover(path: Path) -> None:
    for leftover in (_rekey_temp(path), Path(str(_rekey_temp(path)) + "-journal")):
        try:
            leftover.unlink(missing_ok=True)
        except OSError:   # a read-only folder: the leftover is harmless to reading
            pass


def _rekey_temp(path: Path) -> Path:
    return path.with_name(path.name + ".rekey")


def rekey(path: Path | str, old: str, new: str) -> None:
    """Changes the passphrase. A copy is re-keyed and swapped in atomically, so a crash at any
    moment leaves either the old file (old passphrase) or the new one (new passphrase). Refused
    with StoreInUse while another process has the store open: it would go on writing into the
    old file, and lose every edit made after the swap."""
    path = Path(path)
    problem = connection.passphrase_problem(new)
    if problem:
        raise Refused(problem)
    if not path.is_file():
        Store.open(path, old).close()   # the usual message for a missing store or a folder
    lock = StoreLock.exclusive(path)
    try:
        with Store.open(path, old, _lock=lock) as store:
            # Everything into the main file: the copy must not depend on the -wal.
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            store.lock = None   # still held here, until the new file is in place
        _rekey_file(path, old, new)
    finally:
        lock.release()


def _rekey_file(path: Path, old: str, new: str) -> None:
    """Re-keys a closed store's file by way of a copy; the caller holds the store alone."""
    temp = _rekey_temp(path)
    _remove_rekey_leftover(path)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out, path.open("rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        conn = connection.connect(temp, old)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute(f"PRAGMA rekey = {connection.sql_literal(connection.normalise_passphrase(new))}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("SELECT count(*) FROM meta").fetchone()
        finally:
            conn.close()
        with temp.open("rb+") as f:
            os.fsync(f.fileno())
        try:
            for side in ("-wal", "-shm"):
                stale = Path(str(path) + side)
                if stale.exists():
                    stale.unlink()
            os.replace(temp, path)
        except PermissionError:
            if os.name == "nt":   # Windows refuses to remove or replace a file another process has open
                raise filelock.in_use_error(path) from None
            raise
        connection.fsync_dir(path.parent)
    except BaseException:
        _remove_rekey_leftover(path)
        raise
    log.info("store re-keyed")


def verify_passphrase(path: Path | str, passphrase: str) -> bool:
    try:
        with Store.open(path, passphrase, upgrade=False):
            return True
    except WrongPassphrase:
        return False
