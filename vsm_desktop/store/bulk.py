"""Bulk writes: whole learners at a time, for the demo generator.

`BulkWriter` takes records as `Store.create` does, with the same rules (the model's validation,
nothing added to a finalised review, the sections of the review's phase; a refused record raises
the same error) and the same change log (one creation operation per record, stamped by the
store's clock in the order the records were made, authored by the profile's name). It keeps them
in memory until the batch ends, then writes each table and the change log with `executemany` in
the batch's one transaction; the summaries' triggers fire per row as for any write, and the search
index is rebuilt once for the batch's learners. A crash or a cancel loses the batch, never part
of one. The rules read the batch's records from memory (`get`, `children`, `review_status`), and
the store for anything written before.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from typing import Iterator

from ..domain import model
from ..domain.model import ImmutableError, ValidationError
from ..i18n import _
from .store import CREATE_FIELD, Store, _encode, _to_sql, new_id, utc_now

# Parents before children, except the learners: written last, with the foreign keys checked at the
# commit, their summary row is made once from all they have (migration 0012's triggers), rather
# than remade for each review, enrolment and placement.
_ORDER = {name: n for n, name in enumerate(model.ENTITIES)} | {"learners": len(model.ENTITIES)}


def _sort_key(ent: model.Entity):
    """`Store.children`'s order."""
    if "position" in ent.by_name:
        return lambda r: (r["position"] is not None, r["position"] if r["position"] is not None else 0, r["id"])
    if "start_date" in ent.by_name:
        return lambda r: (r["start_date"] is not None, r["start_date"] or "", r["id"])
    return lambda r: r["id"]


class BulkWriter:
    """Records for one store, written a batch at a time (`with writer.batch(): …`)."""

    def __init__(self, store: Store):
        self.store = store
        self._clear()

    def _clear(self) -> None:
        self._records: dict[str, dict[str, dict]] = {}        # entity -> id -> row (as Store.get gives it)
        self._children: dict[tuple[str, str], list[dict]] = {}
        self._learner_of: dict[str, str] = {}                 # review id -> learner id
        self._stamps: dict[tuple[str, str], str] = {}         # (record id, field) -> stamp of its last op
        self._ops: list[tuple] = []

    @contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction: what was made inside it is written at its end, or nothing is."""
        try:
            with self.store.transaction():
                yield
                self.flush()
        finally:
            self._clear()

    # --- what the rules read --------------------------------------------------------------

    def get(self, entity_name: str, record_id: str) -> dict | None:
        row = self._records.get(entity_name, {}).get(record_id)
        return dict(row) if row is not None else self.store.get(entity_name, record_id)

    def children(self, entity_name: str, parent_id: str) -> list[dict]:
        ent = model.entity(entity_name)
        pending = self._children.get((entity_name, parent_id), [])
        # A parent made in this batch has no children in the store yet.
        written = [] if parent_id in self._records.get(ent.parent_entity, {}) else self.store.children(entity_name, parent_id)
        if not pending:
            return written
        live = [dict(r) for r in pending if not r.get("deleted")]
        return sorted(written + live, key=_sort_key(ent))

    def review_status(self, review_id: str) -> tuple | None:
        review = self._records.get("reviews", {}).get(review_id)
        return (review["status"],) if review is not None else self.store.review_status(review_id)

    # --- writing ----------------------------------------------------------------------------

    def create(self, entity_name: str, values: dict, *, record_id: str | None = None,
               check_sections: bool = True) -> str:
        """As `Store.create`: validated, refused as it refuses, logged with a creation operation."""
        store = self.store
        ent = model.entity(entity_name)
        clean = model.validate_record(entity_name, values)
        rid = record_id or new_id()
        store._refuse_if_frozen(ent, clean, reader=self)
        if check_sections:
            store._refuse_outside_sections(ent, clean, {k for k, v in clean.items() if v is not None},
                                           clean.get("review_id") if ent.name != "reviews" else None, reader=self)
        learner_id = self._learner(ent, rid, clean)
        row = {"id": rid, **clean}
        self._records.setdefault(ent.name, {})[rid] = row
        if ent.parent:
            self._children.setdefault((ent.name, clean[ent.parent]), []).append(row)
        stamp = str(store.clock.now())
        self._stamps[(rid, CREATE_FIELD)] = stamp
        initial = {k: v for k, v in clean.items() if v is not None}
        self._ops.append((stamp, ent.name, rid, learner_id, CREATE_FIELD, initial, None, store.device_id, store.author))
        return rid

    def finalise_review(self, review_id: str, when: dt.datetime | None = None) -> None:
        """As `Store.finalise_review`, for a review of this batch (or written before)."""
        review = self._records.get("reviews", {}).get(review_id)
        if review is None:
            self.flush()
            self.store.finalise_review(review_id, when)
            return
        if review["status"] == "finalised":
            raise ImmutableError(_("This PEP review is already finalised."))
        if not review["meeting_date"]:
            raise ValidationError("reviews", "meeting_date", _("a finalised review needs the date of its meeting"))
        when = (when or utc_now()).astimezone(dt.timezone.utc).replace(microsecond=0)
        store = self.store
        for name, value in (("finalised_at", when.isoformat()), ("finalised_by", store.author or None),
                            ("status", "finalised")):
            prev = self._stamps.get((review_id, name)) or self._stamps[(review_id, CREATE_FIELD)]
            stamp = str(store.clock.now())
            self._stamps[(review_id, name)] = stamp
            review[name] = value
            self._ops.append((stamp, "reviews", review_id, review["learner_id"], name, value, prev,
                              store.device_id, store.author))

    def _learner(self, ent: model.Entity, record_id: str, row: dict) -> str | None:
        if ent.name == "learners":
            return record_id
        if ent.parent_entity == "learners":
            return row["learner_id"]
        if ent.parent_entity == "reviews":
            review_id = row["review_id"]
            review = self._records.get("reviews", {}).get(review_id)
            if review is not None:
                return review["learner_id"]
            found = self.store.conn.execute("SELECT learner_id FROM reviews WHERE id = ?", (review_id,)).fetchone()
            if found is None:
                raise ValidationError(ent.name, "review_id", _("there is no such review"))
            return found[0]
        return None

    def flush(self) -> None:
        """Writes what the batch made so far (inside the batch's transaction)."""
        if not self._ops:
            return
        conn = self.store.conn
        conn.execute("PRAGMA defer_foreign_keys = ON")   # until this transaction ends
        for name in sorted(self._records, key=_ORDER.__getitem__):
            ent = model.entity(name)
            cols = ent.columns
            conn.executemany(
                f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [[r["id"]] + [_to_sql(f, r[f.name]) for f in ent.fields] for r in self._records[name].values()])
        _insert_ops(conn, self._ops)
        self._reindex()
        self._clear()   # what is written is read from the store from now on

    def _reindex(self) -> None:
        """The search rows of the learners whose names or schools the batch set (`Store._reindex_after`)."""
        learners = set(self._records.get("learners", ()))
        learners.update(e["learner_id"] for e in self._records.get("enrolments", {}).values())
        schools = list(self._records.get("schools", ()))
        if schools:
            marks = ", ".join("?" * len(schools))
            learners.update(row[0] for row in self.store.conn.execute(
                f"SELECT learner_id FROM enrolments WHERE school_id IN ({marks})", schools))
        if learners:
            ids = sorted(learners)
            self.store.reindex_learners(f"WHERE l.id IN ({', '.join('?' * len(ids))})", ids)


def _insert_ops(conn, ops: list[tuple]) -> None:
    """The change log's rows, with the columns of `Store._log`: (stamp, entity, record id, learner id,
    field, value, stamp replaced, device id, author); the value as given, encoded here."""
    conn.executemany(
        "INSERT INTO ops (hlc, entity, record_id, learner_id, field, value, prev_hlc, device_id, author)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(hlc, entity, rid, learner, field, _encode(value), prev, device, author)
         for hlc, entity, rid, learner, field, value, prev, device, author in ops])
