"""Bulk writes: whole learners at a time, for the demo generator.

`BulkWriter` takes records as `Store.create` does, with the same rules (the model's validation,
nothing added to a finalised review, the sections of the review's phase; a refused record raises
the same error) and the same change log (one creation operation per record, stamped by the
store's clock in the order the records were made, authored by the profile's name). It keeps them
in memory until the batch ends, then writes each table and the change log with `executemany` in
the batch's one transaction (stamping its operations there, after everything the file holds); the
summaries' triggers fire per row as for any write, and the search index is rebuilt once for the
batch's learners. A crash or a cancel loses the batch, never part of one. The rules read the
batch's records from memory (`get`, `children`, `review_status`), and the store for anything
written before.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
import threading
from contextlib import contextmanager
from typing import Callable, Iterator

from ..domain import model
from ..domain.model import ImmutableError, ValidationError
from ..i18n import _
from . import oplog
from .store import CREATE_FIELD, Store, new_id, utc_now

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
    """Records for one store, written a batch at a time (`with writer.batch(): …`).

    With `background=True` each batch is written on a thread of its own, in its own transaction,
    while the caller makes the next one (SQLite works without Python's lock; the two cores are
    both busy). Nothing else may use the store meanwhile: `wait()` returns once everything is
    written (raising a failed batch's error), and reading the store through the writer waits."""

    def __init__(self, store: Store, *, background: bool = False):
        self.store = store
        self.background = background
        self._thread: threading.Thread | None = None
        self._failed: BaseException | None = None
        self._written: list[Callable[[], None]] = []   # what to tell once the batch in flight is written
        self._clear()

    def _clear(self) -> None:
        self._records: dict[str, dict[str, dict]] = {}        # entity -> id -> row (as Store.get gives it)
        self._rows: dict[str, list[dict]] = {}                # entity -> rows in the order made
        self._children: dict[tuple[str, str], list[dict]] = {}
        self._last_op: dict[tuple[str, str], int] = {}        # (record id, field) -> its last op in _ops
        self._ops: list[list] = []

    @contextmanager
    def batch(self, written: Callable[[], None] | None = None) -> Iterator[None]:
        """One transaction: what was made inside it is written at its end, or nothing is.
        `written` is called (on the caller's thread) once it is: a progress report."""
        try:
            yield
        except BaseException:
            self._clear()
            self.wait()
            raise
        try:
            work = self._take()
            self.wait()   # the batch before, and its error if it failed
            if not self.background:
                self._write(work)
                if written:
                    written()
                return
            self._written = [written] if written else []
            self._thread = threading.Thread(target=self._write_in_background, args=(work,), name="bulk-writer")
            self._thread.start()
        except BaseException:   # an interrupt here: the store is not left to a thread still writing
            self.wait()
            raise

    def wait(self) -> None:
        """Returns once every batch is written; raises the error of one that was not."""
        interrupted = None
        while self._thread is not None:
            try:
                self._thread.join()
            except KeyboardInterrupt as e:   # the batch in flight is finished first, never cut
                interrupted = e
                continue
            self._thread = None
        failed, self._failed = self._failed, None
        told, self._written = self._written, []
        if failed is not None:
            raise failed
        if interrupted is not None:
            raise interrupted
        for tell in told:
            tell()

    def _write_in_background(self, work) -> None:
        try:
            self._write(work)
        except BaseException as e:   # told on the caller's thread by wait()
            self._failed = e

    # --- what the rules read --------------------------------------------------------------

    def get(self, entity_name: str, record_id: str) -> dict | None:
        row = self._records.get(entity_name, {}).get(record_id)
        if row is not None:
            return dict(row)
        self.wait()
        return self.store.get(entity_name, record_id)

    def children(self, entity_name: str, parent_id: str) -> list[dict]:
        ent = model.entity(entity_name)
        pending = self._children.get((entity_name, parent_id), [])
        written: list[dict] = []
        if parent_id not in self._records.get(ent.parent_entity, {}):   # a parent made in this batch has no children written
            self.wait()
            written = self.store.children(entity_name, parent_id)
        if not pending:
            return written
        live = [dict(r) for r in pending if not r.get("deleted")]
        return sorted(written + live, key=_sort_key(ent))

    def review_status(self, review_id: str) -> tuple | None:
        review = self._records.get("reviews", {}).get(review_id)
        if review is not None:
            return (review["status"],)
        self.wait()
        return self.store.review_status(review_id)

    # --- writing ----------------------------------------------------------------------------

    def create(self, entity_name: str, values: dict, *, record_id: str | None = None,
               check_sections: bool = True) -> str:
        """As `Store.create`: validated, refused as it refuses, logged with a creation operation."""
        store = self.store
        ent = model.entity(entity_name)
        clean = model.validate_record(entity_name, values)
        rid = record_id or new_id()
        initial = {k: v for k, v in clean.items() if v is not None}
        store._refuse_if_frozen(ent, clean, reader=self)
        if check_sections:   # the fields filled: the creation's keys, as a set
            store._refuse_outside_sections(ent, clean, initial.keys(),
                                           clean.get("review_id") if ent.name != "reviews" else None, reader=self)
        learner_id = self._learner(ent, rid, clean)
        row = {"id": rid, **clean}
        self._records.setdefault(ent.name, {}).setdefault(rid, row)
        self._rows.setdefault(ent.name, []).append(row)   # an id made twice fails at the insert, as in the store
        if ent.parent:
            self._children.setdefault((ent.name, clean[ent.parent]), []).append(row)
        self._last_op[(rid, CREATE_FIELD)] = len(self._ops)
        # Stamped when written, in this order (inside the transaction, after all the file holds).
        self._ops.append([ent.name, rid, learner_id, CREATE_FIELD, initial, None])
        return rid

    def finalise_review(self, review_id: str, when: dt.datetime | None = None) -> None:
        """As `Store.finalise_review`. A review written before is finalised by the store, in a
        transaction of its own."""
        review = self._records.get("reviews", {}).get(review_id)
        if review is None:
            self.wait()
            self.store.finalise_review(review_id, when)
            return
        if review["status"] == "finalised":
            raise ImmutableError(_("This PEP review is already finalised."))
        if not review["meeting_date"]:
            raise ValidationError("reviews", "meeting_date", _("a finalised review needs the date of its meeting"))
        when = (when or utc_now()).astimezone(dt.timezone.utc).replace(microsecond=0)
        for name, value in (("finalised_at", when.isoformat()), ("finalised_by", self.store.author or None),
                            ("status", "finalised")):
            prev = self._last_op.get((review_id, name), self._last_op[(review_id, CREATE_FIELD)])
            self._last_op[(review_id, name)] = len(self._ops)
            review[name] = value
            self._ops.append(["reviews", review_id, review["learner_id"], name, value, prev])

    def _learner(self, ent: model.Entity, record_id: str, row: dict) -> str | None:
        """As `Store._learner_of`, with the reviews of this batch not yet written."""
        if ent.parent_entity == "reviews":
            review = self._records.get("reviews", {}).get(row["review_id"])
            if review is not None:
                return review["learner_id"]
            self.wait()   # the store reads the file: what is in flight must be there
        return self.store._learner_of(ent, record_id, row)

    def _take(self) -> tuple:
        work = (self._rows, self._ops)
        self._clear()
        return work

    def _write(self, work: tuple) -> None:
        """One batch, in one transaction: every table, then the change log, then the search rows."""
        rows, ops = work
        if not ops:
            return
        store = self.store
        with store.transaction():
            conn = store.conn
            conn.execute("PRAGMA defer_foreign_keys = ON")   # until this transaction ends
            for name in sorted(rows, key=_ORDER.__getitem__):
                cols = model.entity(name).columns
                _insert_json(conn, name, cols, [f"value->>{n}" for n in range(len(cols))],
                             list(map(operator.itemgetter(*cols), rows[name])))
            now, author = store.clock.now, store.author
            stamps = [str(now()) for _op in ops]
            _insert_ops(conn, [(stamp, entity, rid, learner, field, value, None if prev is None else stamps[prev],
                                author)
                               for stamp, (entity, rid, learner, field, value, prev) in zip(stamps, ops)])
            self._reindex(rows)

    def _reindex(self, rows: dict) -> None:
        """The search rows of the learners whose names or schools the batch set (`Store._reindex_after`)."""
        learners = {r["id"] for r in rows.get("learners", ())}
        learners.update(e["learner_id"] for e in rows.get("enrolments", ()))
        schools = [r["id"] for r in rows.get("schools", ())]
        if schools:
            marks = ", ".join("?" * len(schools))
            learners.update(row[0] for row in self.store.conn.execute(
                f"SELECT learner_id FROM enrolments WHERE school_id IN ({marks})", schools))
        if learners:
            ids = sorted(learners)
            self.store.reindex_learners(f"WHERE l.id IN ({', '.join('?' * len(ids))})", ids)


# A table's rows go to SQLite as one JSON array in one statement (`json_each`), not row by row
# with `executemany`: the statement runs without Python's lock from start to end, so the caller
# goes on making the next batch on the other core (row by row, the writer waited for the lock at
# every row while the caller held it). JSON gives back what binding would store: text, integers,
# floats (SQLite reads them back exactly), bools as 1 and 0 (as `_to_sql` stores them), null.
_JSON = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _insert_json(conn, table: str, cols, exprs: list[str], rows: list) -> None:
    if rows:
        conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(exprs)} FROM json_each(?)",
                     (_JSON.encode(rows),))


def _key_json(key):
    """A change-log key (`oplog.stamp_key`, `oplog.id_key`: bytes, or text it left as it was) for
    `_key_sql`: bytes as hex, text inside an array."""
    return key.hex() if type(key) is bytes else key if key is None else [key]


def _key_sql(n: int) -> str:
    return f"CASE WHEN json_type(value, '$[{n}]') = 'array' THEN value->>'$[{n}][0]' ELSE unhex(value->>{n}) END"


_KEYS = {oplog.COLUMNS.index(name) for name in ("hlc", "record_id", "learner_id", "prev_hlc")}
_OPS_SQL = [_key_sql(n) if n in _KEYS else f"value->>{n}" for n in range(len(oplog.COLUMNS))]


def _insert_ops(conn, ops: list[tuple]) -> None:
    """The change log's rows, through the store's one encoder (`oplog`): (stamp, entity, record id,
    learner id, field, value, stamp replaced, author). The batch's records are already written: a
    creation whose record a later operation of the batch changed (a review finalised) is kept as
    the delta over the record as the file now holds it, the others as 'the record as created'."""
    changed = {rid for _hlc, _entity, rid, _learner, field, *_rest in ops if field != CREATE_FIELD}
    rows = [
        oplog.row_against(hlc, entity, rid, learner, field, value, prev, author, None, None,
                          oplog.record(conn, entity, rid))
        if field == CREATE_FIELD and rid in changed else
        oplog.row(hlc, entity, rid, learner, field, value, prev, author, made=field == CREATE_FIELD)
        for hlc, entity, rid, learner, field, value, prev, author in ops]
    _insert_json(conn, "ops", oplog.COLUMNS, _OPS_SQL,
                 [(_key_json(h), e, _key_json(r), _key_json(lr), f, v, _key_json(p), a, s, hd, o)
                  for h, e, r, lr, f, v, p, a, s, hd, o in rows])
