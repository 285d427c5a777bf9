"""Merging operations from the server into the store, keeping the change log and the records
consistent: every field's value is the value of its latest operation (by stamp) that is not held,
exactly what `store/check.py` verifies.

Rules (the server applies the same, see `vsm_server/service.py`):

* Per field, the greatest stamp wins. An incoming operation older than the field's current stamp
  is logged but changes nothing.
* A conflict is kept when an operation did not see the value it replaces (its `prev_hlc` is not
  the field's current stamp) and the values differ: the loser (whichever is older) goes into
  `conflicts` with its value and author, for a person to resolve. Conflicts are recorded on the
  devices whose people changed that field of that record (so also where a value of theirs lives
  on in another device's identical change that lost).
* An edit to a deleted record, or a deletion of a record this device edited meanwhile, made without
  seeing the other, is a conflict of kind 'deleted': the record stays deleted until someone
  restores it, and the edit is not lost.
* Operations the server *held* (a change to a review finalised elsewhere, or a finalisation that had
  not seen changes made elsewhere) are logged but never applied; their author's device gets a
  conflict to carry the change into an amendment or the next review.
* A finalisation made here and not yet sent is set aside (kind 'stale_finalise') when a change to
  that review arrives from elsewhere: the review returns to draft so the person can look at the
  change and finalise again. The server applies the matching rule for one it receives.
* An own operation the server refused is held here as 'rejected:<reason>' and shown as a conflict,
  so the record shows what the server has and the change is still readable.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Any, Iterable

from ..domain import model
from ..store import oplog
from ..store.oplog import DEVICE_SQL, id_key, id_text, stamp_key, stamp_text
from ..store.store import CREATE_FIELD, LIFECYCLE_FIELDS, SEARCH_FIELDS, Store, _from_sql, _to_sql
from ..sync.hlc import Stamp

log = logging.getLogger(__name__)

REJECTED = "rejected:"
REVIEW_CHILDREN = frozenset(model.REVIEW_CHILDREN)


_encode = oplog.encode


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


class Merger:
    """Applies operations inside the caller's transaction; call `finish()` before committing."""

    def __init__(self, store: Store):
        self.store = store
        self.conn = store.conn
        self.device = store.device_id
        self._device_key = oplog.device_key(store.device_id)
        self.latest: str | None = None
        self._learners: set[str] = set()
        self._schools: set[str] = set()
        self._undo: list[tuple[str, str, str, str]] = []
        self._stale_reviews = self._reviews_with_unsent_finalisation()
        self.counts = {"applied": 0, "conflicts": 0, "held": 0, "known": 0}

    # --- remote operations --------------------------------------------------------------

    def apply_page(self, ops: list[dict]) -> None:
        """Applies a page of operations in order, with exactly the outcome of `apply` on each in
        turn, but in bulk: what the page needs to know is read in a few queries, the merge of the
        common case (a new record, an edit that saw the value it replaces) is decided in memory,
        and the writes go out with `executemany` in the page's order. Anything else (a conflict, a
        held or own operation, a resolution, a record already touched that way in this page) is
        handed to `apply` after the writes so far, against the store as it then is."""
        if self._stale_reviews:  # a finalisation of ours waits: its set-aside rule reads per op
            for op in ops:
                self.apply(op)
            return
        page = _Page(self, ops)
        for op in ops:
            if not page.fast(op):
                page.flush()
                self.apply(op)
                page.after_slow(op)
        page.flush()

    def apply(self, op: dict) -> None:
        conn = self.conn
        if self.latest is None or op["hlc"] > self.latest:
            self.latest = op["hlc"]
        known = conn.execute("SELECT held, server_seq FROM ops WHERE hlc = ?", (stamp_key(op["hlc"]),)).fetchone()
        if known is not None:
            # Our own operation coming back, or a page applied again after an interruption.
            self.counts["known"] += 1
            held, seq = known
            if seq is None:
                conn.execute("UPDATE ops SET server_seq = ? WHERE hlc = ?", (op["seq"], stamp_key(op["hlc"])))
            if op["held"] and held is None:
                self.hold_own(op["hlc"], op["held"], kind=op["held"])
            return
        ent = model.entity(op["entity"])
        field = op["field"]
        current = None
        if field != CREATE_FIELD and not op["held"]:
            current = self._current(ent, op["record_id"], field)
        # A creation that writes its record is logged after it (the record then stands for its values).
        creates = (field == CREATE_FIELD and not op["held"]
                   and not conn.execute(f"SELECT 1 FROM {ent.name} WHERE id = ?", (op["record_id"],)).fetchone())
        if not creates:
            self._log(op)
        if op.get("resolves"):
            conn.executemany("INSERT OR IGNORE INTO op_resolves (hlc, loser_hlc) VALUES (?, ?)",
                             [(op["hlc"], s) for s in op["resolves"]])
            self._mark_resolved(op["resolves"], op["hlc"])
        if op["held"]:
            self.counts["held"] += 1
            if op["device_id"] == self.device:  # only the author needs to carry it somewhere
                self._conflict(op["held"], op, op["hlc"], op["value"], op["author"], None, op["held"])
            return
        self.counts["applied"] += 1
        if self._stale_reviews and op["device_id"] != self.device:
            review = self._review_of(ent, op)
            if review in self._stale_reviews:
                self._set_aside_finalisation(review)
        if creates:
            self._create(ent, op)
        elif current is not None:
            self._edit(ent, op, *current)

    def _log(self, op: dict, made: bool = False) -> None:
        self.conn.execute(oplog.INSERT, oplog.row(
            op["hlc"], op["entity"], op["record_id"], op["learner_id"], op["field"], op["value"], op["prev_hlc"],
            op["author"], op["seq"], op["held"], made=made))

    def _current(self, ent: model.Entity, record_id: str, field: str):
        f = ent.field(field)
        row = self.conn.execute(f"SELECT {f.name} FROM {ent.name} WHERE id = ?", (record_id,)).fetchone()
        if row is None:
            return None  # not here (out of scope, or its creation was held): logged only
        return _from_sql(f, row[0]), self.store.field_stamp(record_id, field)

    def _create(self, ent: model.Entity, op: dict) -> None:
        conn = self.conn
        rid = op["record_id"]
        values = op["value"]
        cols = ent.columns
        conn.execute(
            f"INSERT INTO {ent.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [rid] + [_to_sql(f, values.get(f.name)) for f in ent.fields],
        )
        self._log(op, made=True)
        self._note_search(ent.name, rid, values, set(values))
        later = conn.execute("SELECT DISTINCT field FROM ops WHERE record_id = ? AND field != ? AND held IS NULL",
                             (id_key(rid), CREATE_FIELD)).fetchall()
        for (name,) in later:  # edits that arrived before their creation (a backfill): replay them
            self.recompute(ent.name, rid, name)

    def _edit(self, ent: model.Entity, op: dict, cur_value: Any, cur_stamp: str | None) -> None:
        rid, field, value = op["record_id"], op["field"], op["value"]
        f = ent.field(field)
        cur_stamp = cur_stamp or ""
        if op["hlc"] > cur_stamp:
            self.conn.execute(f"UPDATE {ent.name} SET {field} = ? WHERE id = ?", (_to_sql(f, value), rid))
            self._note_search(ent.name, rid, None, {field})
            if op["prev_hlc"] != cur_stamp and value != cur_value:
                author = self._author(cur_stamp)
                self._conflict("field", op, cur_stamp, cur_value, author, op["hlc"], None)
        elif value != cur_value:
            self._conflict("field", op, op["hlc"], value, op["author"], cur_stamp, None)
        if "deleted" in ent.by_name:
            self._tombstone(ent, op, cur_value, cur_stamp)

    def _tombstone(self, ent: model.Entity, op: dict, cur_value: Any, cur_stamp: str) -> None:
        conn, rid = self.conn, op["record_id"]
        if op["field"] != "deleted":
            deleted = conn.execute(f"SELECT deleted FROM {ent.name} WHERE id = ?", (rid,)).fetchone()
            if deleted and deleted[0]:
                by = conn.execute("SELECT hlc FROM ops WHERE record_id = ? AND field = 'deleted' AND held IS NULL"
                                  " ORDER BY hlc DESC LIMIT 1", (id_key(rid),)).fetchone()
                by_hlc = stamp_text(by[0]) if by else None
                if by_hlc and oplog.device_of(by_hlc) != op["device_id"]:
                    self._conflict("deleted", op, op["hlc"], op["value"], op["author"], by_hlc, None)
        elif op["value"] is True and not cur_value and op["hlc"] > cur_stamp:
            # Our edits the deleting device may not have seen: the latest of each field.
            rows = conn.execute(
                f"SELECT field, hlc, value, author FROM ops WHERE record_id = ? AND {DEVICE_SQL} = ? AND held IS NULL"
                " AND field NOT IN (?, 'deleted') AND hlc > ? ORDER BY hlc",
                (id_key(rid), self._device_key, CREATE_FIELD, stamp_key(op["prev_hlc"]) or b"")).fetchall()
            latest = {name: (stamp_text(hlc), value, author) for name, hlc, value, author in rows}
            for name, (hlc, value, author) in latest.items():
                edit = dict(op, field=name)
                self._conflict("deleted", edit, hlc, json.loads(value), author, op["hlc"], None)

    # --- own operations the server held or refused ---------------------------------------

    def hold_own(self, hlc: str, held: str, *, kind: str, reason: str | None = None, conflict: bool = True) -> None:
        row = self.conn.execute("SELECT entity, record_id, learner_id, field, value, over_record, author, held FROM ops"
                                " WHERE hlc = ?", (stamp_key(hlc),)).fetchone()
        if row is None or row[7] is not None:
            return
        entity, rid, learner, field, text, over, author, _held = row
        rid, learner = id_text(rid), id_text(learner)
        value = oplog.value_of(self.conn, entity, rid, text, over)
        # A held creation keeps its values whole: its record may go, and its attachment's file is
        # found by its value (attachments.content).
        self.conn.execute("UPDATE ops SET held = ?, value = ?, over_record = NULL WHERE hlc = ?",
                          (held, _encode(value), stamp_key(hlc)))
        if entity == "reviews" and field in ("finalised_at", "finalised_by"):
            conflict = False  # a finalisation is one decision: its 'status' operation stands for it
        if conflict:
            op = {"entity": entity, "record_id": rid, "learner_id": learner, "field": field}
            self._conflict(kind, op, hlc, value, author, None, reason or held)
        self._undo.append((hlc, entity, rid, field))
        self.counts["held"] += 1

    def _reviews_with_unsent_finalisation(self) -> set[str]:
        # Through the partial index of unsent operations: a few rows, not the whole log.
        rows = self.conn.execute(
            "SELECT DISTINCT record_id FROM ops WHERE seq IN (SELECT seq FROM ops WHERE server_seq IS NULL"
            f" AND held IS NULL) AND entity = 'reviews' AND field = 'status' AND {DEVICE_SQL} = ?",
            (self._device_key,)).fetchall()
        return {id_text(r[0]) for r in rows}

    def _review_of(self, ent: model.Entity, op: dict) -> str | None:
        if ent.name == "reviews":
            return op["record_id"]
        if ent.name not in REVIEW_CHILDREN or not ent.frozen_with_review:
            return None  # a quality rating does not change what was finalised
        if op["field"] == CREATE_FIELD:
            return op["value"].get("review_id")
        row = self.conn.execute(f"SELECT review_id FROM {ent.name} WHERE id = ?", (op["record_id"],)).fetchone()
        return row[0] if row else None

    def _set_aside_finalisation(self, review_id: str) -> None:
        rows = self.conn.execute(
            "SELECT hlc, field FROM ops WHERE entity = 'reviews' AND record_id = ? AND field IN (?, ?, ?)"
            f" AND server_seq IS NULL AND held IS NULL AND {DEVICE_SQL} = ?",
            (id_key(review_id), *sorted(LIFECYCLE_FIELDS), self._device_key)).fetchall()
        for hlc, field in rows:
            self.hold_own(stamp_text(hlc), "stale_finalise", kind="stale_finalise", conflict=(field == "status"))
        self._stale_reviews.discard(review_id)
        log.info("finalisation of review %s set aside: it changed elsewhere", review_id)

    # --- bookkeeping ----------------------------------------------------------------------

    def _author(self, stamp: str) -> str:
        row = self.conn.execute("SELECT author FROM ops WHERE hlc = ?", (stamp_key(stamp),)).fetchone()
        return row[0] if row else ""

    def _conflict(self, kind: str, op: dict, loser_hlc: str, loser_value: Any, loser_author: str,
                  winner_hlc: str | None, reason: str | None) -> None:
        if kind in ("field", "deleted") and not self._involved(op, loser_hlc, winner_hlc):
            return
        done = self.conn.execute(
            "INSERT OR IGNORE INTO conflicts (kind, entity, record_id, learner_id, field, loser_hlc, loser_value,"
            " loser_author, winner_hlc, reason, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (kind, op["entity"], op["record_id"], op["learner_id"], op["field"], loser_hlc, _encode(loser_value),
             loser_author, winner_hlc, reason, _now()))
        if done.rowcount:
            self.counts["conflicts"] += 1
            # Resolved already? (the resolution arrived before this device saw the conflict)
            by = self.conn.execute("SELECT hlc FROM op_resolves WHERE loser_hlc = ? LIMIT 1", (loser_hlc,)).fetchone()
            if by:
                self._mark_resolved([loser_hlc], by[0])

    def _involved(self, op: dict, loser_hlc: str, winner_hlc: str | None) -> bool:
        """Is this device one whose person should decide? Yes when either side is its change, or
        when it ever changed this field of this record (its value may live on in another's)."""
        if oplog.device_of(loser_hlc) == self.device or oplog.device_of(winner_hlc or "") == self.device:
            return True
        return self.conn.execute(f"SELECT 1 FROM ops WHERE record_id = ? AND field = ? AND {DEVICE_SQL} = ? LIMIT 1",
                                 (id_key(op["record_id"]), op["field"], self._device_key)).fetchone() is not None

    def _mark_resolved(self, losers: Iterable[str], by_hlc: str) -> None:
        self.conn.executemany(
            "UPDATE conflicts SET resolved_at = ?, resolved_by_hlc = ? WHERE loser_hlc = ? AND resolved_at IS NULL",
            [(_now(), by_hlc, s) for s in losers])

    def _note_search(self, entity: str, rid: str, values: dict | None, fields: set[str]) -> None:
        if entity not in SEARCH_FIELDS:
            return
        watched = SEARCH_FIELDS[entity]
        if watched is not None and not (watched & fields):
            return
        if entity == "learners":
            self._learners.add(rid)
        elif entity == "enrolments":
            if values is None:
                row = self.conn.execute("SELECT learner_id FROM enrolments WHERE id = ?", (rid,)).fetchone()
                if row:
                    self._learners.add(row[0])
            else:
                self._learners.add(values["learner_id"])
        else:
            self._schools.add(rid)

    def recompute(self, entity: str, rid: str, field: str) -> None:
        """Sets a field (or, for '*', the record's existence) from the operations that are not held."""
        ent = model.entity(entity)
        if field == CREATE_FIELD:
            alive = self.conn.execute("SELECT 1 FROM ops WHERE record_id = ? AND field = ? AND held IS NULL",
                                      (id_key(rid), CREATE_FIELD)).fetchone()
            if not alive:
                self._delete_record(ent, rid)
            return
        row = self.conn.execute(
            "SELECT field, value, over_record FROM ops WHERE record_id = ? AND field IN (?, ?) AND held IS NULL"
            " ORDER BY hlc DESC LIMIT 1", (id_key(rid), field, CREATE_FIELD)).fetchone()
        if row is None:
            return
        value = oplog.value_of(self.conn, entity, rid, row[1], row[2])
        if row[0] == CREATE_FIELD:
            value = value.get(field)
        self.conn.execute(f"UPDATE {ent.name} SET {field} = ? WHERE id = ?", (_to_sql(ent.field(field), value), rid))
        self._note_search(entity, rid, None, {field})

    def _delete_record(self, ent: model.Entity, rid: str) -> None:
        if ent.name == "learners":
            self.conn.execute("DELETE FROM learner_search WHERE rowid IN (SELECT rowid FROM learners WHERE id = ?)",
                              (rid,))
            self._learners.discard(rid)
        elif ent.name == "enrolments":
            row = self.conn.execute("SELECT learner_id FROM enrolments WHERE id = ?", (rid,)).fetchone()
            if row:
                self._learners.add(row[0])
        try:
            self.conn.execute("SAVEPOINT drop_record")
            self.conn.execute(f"DELETE FROM {ent.name} WHERE id = ?", (rid,))
            self.conn.execute("RELEASE drop_record")
        except Exception:  # something else still refers to it: keep the row, say so in the log
            self.conn.execute("ROLLBACK TO drop_record")
            self.conn.execute("RELEASE drop_record")
            log.warning("record %s kept: other records refer to it", rid)

    def finish(self) -> None:
        """Undoes held own operations (newest first), refreshes search, advances the clock."""
        for hlc, entity, rid, field in sorted(self._undo, reverse=True):
            self.recompute(entity, rid, field)
        self._undo.clear()
        if self._schools:
            marks = ", ".join("?" * len(self._schools))
            self._learners |= {r[0] for r in self.conn.execute(
                f"SELECT DISTINCT learner_id FROM enrolments WHERE school_id IN ({marks})", tuple(self._schools))}
            self._schools.clear()
        if self._learners:
            ids = sorted(self._learners)
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                self.store.reindex_learners(f"WHERE l.id IN ({', '.join('?' * len(chunk))})", chunk)
            self._learners.clear()
        if self.latest:
            # Later local changes are stamped after everything received.
            self.store.clock.advance_past(Stamp.parse(self.latest))



_CHUNK = 500   # ids in one IN (...) list


def _chunks(items: list, size: int = _CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _marks(n: int) -> str:
    return ", ".join("?" * n)


_INSERT_OP = oplog.INSERT
_INSERT_RECORD: dict[str, str] = {}


def _insert_record_sql(ent: model.Entity) -> str:
    sql = _INSERT_RECORD.get(ent.name)
    if sql is None:
        cols = ent.columns
        sql = _INSERT_RECORD[ent.name] = f"INSERT INTO {ent.name} ({', '.join(cols)}) VALUES ({_marks(len(cols))})"
    return sql


# The dashboard's summary rows (migration 0012) are kept by triggers that rewrite a learner's rows
# after each write of theirs: a page of a first pull writes a learner's records by the dozen. From
# this many writes in one go, the writes run without those triggers and then the rows of the
# learners they touched are rewritten once, from the same views the triggers read (`check`
# compares the tables with them). Only when the triggers are exactly those this code knows.
BULK_SUMMARIES_FROM = 500
_SUMMARY_TRIGGERS = frozenset(
    f"summary_{table}_{event}" for table, events in (
        ("learners", ("insert", "update", "delete")), ("reviews", ("insert", "update", "learner", "delete")),
        ("ratings", ("insert", "update", "delete")), ("interventions", ("insert", "update", "delete")),
        ("enrolments", ("insert", "update", "delete")), ("placements", ("insert", "update", "delete")),
        ("schools", ("insert", "delete"))) for event in events)


def _summary_triggers(conn) -> list[tuple[str, str]] | None:
    """The summary triggers (name, SQL) in the order they were made, or None unless they are
    exactly the known ones."""
    found = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'summary\\_%'"
                         " ESCAPE '\\' ORDER BY rowid").fetchall()
    return found if {name for name, _sql in found} == _SUMMARY_TRIGGERS else None


def _rebuild_summaries(conn, learners: set[str], schools: set[str]) -> None:
    """Rewrites the summary rows of these learners and of those enrolled at these schools (in the
    order `check --repair` does: the interventions' view reads the reviews' rows)."""
    if schools:
        learners = learners | {r[0] for r in conn.execute(
            "SELECT learner_id FROM enrolments WHERE school_id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(schools)),))}
    if not learners:
        return
    ids = (json.dumps(sorted(learners)),)
    these = "SELECT value FROM json_each(?)"
    reviews = f"SELECT id FROM reviews WHERE learner_id IN ({these})"
    for sql in (f"DELETE FROM summary_learners WHERE learner_id IN ({these})",
                f"INSERT INTO summary_learners SELECT * FROM summary_learners_source WHERE learner_id IN ({these})",
                f"DELETE FROM summary_reviews WHERE review_id IN ({reviews})",
                f"INSERT INTO summary_reviews SELECT * FROM summary_reviews_source WHERE review_id IN ({reviews})",
                f"DELETE FROM summary_interventions WHERE review_id IN ({reviews})",
                "INSERT INTO summary_interventions SELECT * FROM summary_interventions_source"
                f" WHERE review_id IN ({reviews})"):
        conn.execute(sql, ids)


class _Shape:
    """A kind's columns as `_Page` writes them: the fields' names, where the booleans are (SQLite
    keeps them as integers) and where 'deleted' is (0: none)."""

    def __init__(self, ent: model.Entity):
        self.names = [f.name for f in ent.fields]
        self.bools = [i + 1 for i, f in enumerate(ent.fields) if f.kind == "bool"]
        self.deleted = ent.columns.index("deleted") if "deleted" in ent.by_name else 0
        self.at = {name: i for i, name in enumerate(ent.columns)}


_SHAPES: dict[str, _Shape] = {}


def _shape(ent: model.Entity) -> _Shape:
    shape = _SHAPES.get(ent.name)
    if shape is None:
        shape = _SHAPES[ent.name] = _Shape(ent)
    return shape


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_JSON_TEXT = json.JSONEncoder(ensure_ascii=False).encode


class _Pending:
    """A record created in this page and not yet written: its row (the record's values now) and,
    for a creation kept as a delta over its record, the delta, as JSON texts by field in the order
    the fields first changed: exactly what the triggers of migration 0014 would have put there had
    each edit been written as an UPDATE."""

    __slots__ = ("op_at", "write_at", "ent", "row", "delta", "folding")

    def __init__(self, op_at: int, write_at: int, ent: model.Entity, row: list, delta: dict | None):
        self.op_at, self.write_at, self.ent, self.row, self.delta = op_at, write_at, ent, row, delta
        self.folding = True

    def fold(self, f: model.Field, value: Any) -> bool:
        """Sets a field in the row not yet written; False when the edit must be an UPDATE after
        it instead (a reference: its record may come later in the page; or an initial value whose
        JSON only SQLite writes), and so must every later edit of this record."""
        if not self.folding or f.kind == "ref":
            self.folding = False
            return False
        at = _shape(self.ent).at[f.name]
        old = self.row[at]
        if self.delta is not None and f.name not in self.delta and (
                (old is None) != (value is None) or old != value):   # the trigger's 'OLD.x IS NOT NEW.x'
            text = _json_of(f, old, value)
            if text is None:
                self.folding = False
                return False
            self.delta[f.name] = text
        self.row[at] = value
        return True


def _json_of(f: model.Field, old: Any, new: Any) -> str | None:
    """The trigger's JSON of an initial value (`oplog._json_of`) as SQLite writes it, or None
    where Python's might differ (a real number) or the types are not the column's."""
    if old is None:
        return "null"
    if new is not None and type(new) is not type(old):
        return None
    if f.kind == "bool":
        return "true" if old else "false"
    if type(old) is int:
        return str(old)
    if type(old) is str and not _CONTROL.search(old):
        return _JSON_TEXT(old)
    return None


class _Page:
    """What `Merger.apply_page` knows of the store for one page, read once and kept current as the
    page applies, and the writes not yet sent. `fast(op)` applies an operation when its outcome is
    certain from that knowledge alone and is the plain one (no conflict, nothing held, nothing to
    replay); otherwise it returns False and the caller sends the writes so far and uses `apply`."""

    def __init__(self, merger: Merger, ops: list[dict]):
        self.m = merger
        conn = merger.conn
        self.op_rows: list[tuple] = []
        self.writes: list[tuple[str, tuple]] = []   # record writes, in the page's order
        self.known: dict[str, tuple[str | None, int | None]] = {}
        for chunk in _chunks([stamp_key(op["hlc"]) for op in ops]):
            for hlc, held, seq in conn.execute(f"SELECT hlc, held, server_seq FROM ops WHERE hlc IN ({_marks(len(chunk))})",
                                               chunk):
                self.known[stamp_text(hlc)] = (held, seq)
        self.seen: set[str] = set()        # stamps logged in this page
        self.dirty: set[str] = set()       # records `apply` touched in this page: it decides for them from now on
        self.logged: set[str] = set()      # records with any operation in the log
        self.own: set[str] = set()         # records with an operation of this device in the log
        self.stamps: dict[tuple[str, str], str] = {}   # (record, field) -> latest stamp not held
        # Only the records of operations new here need their state (a device's own changes coming
        # back after its first push are all known).
        new = [op for op in ops if op["hlc"] not in self.known]
        for chunk in _chunks(sorted({op["record_id"] for op in new})):
            for rid, field, stamp, own in conn.execute(
                    f"SELECT record_id, field, max(hlc) FILTER (WHERE held IS NULL), max({DEVICE_SQL} = ?) FROM ops"
                    f" WHERE record_id IN ({_marks(len(chunk))}) GROUP BY record_id, field",
                    (merger._device_key, *map(id_key, chunk))):
                rid = id_text(rid)
                self.logged.add(rid)
                if own:
                    self.own.add(rid)
                if stamp is not None:
                    self.stamps[(rid, field)] = stamp_text(stamp)
        # (entity, record) -> its 'deleted' value as stored (None for a kind without one), for the records here
        self.here: dict[tuple[str, str], Any] = {}
        by_entity: dict[str, set[str]] = {}
        for op in new:
            by_entity.setdefault(op["entity"], set()).add(op["record_id"])
        for name, ids in by_entity.items():
            column = "deleted" if "deleted" in model.entity(name).by_name else "NULL"
            for chunk in _chunks(sorted(ids)):
                for rid, deleted in conn.execute(f"SELECT id, {column} FROM {name} WHERE id IN ({_marks(len(chunk))})",
                                                 chunk):
                    self.here[(name, rid)] = deleted
        self.enrolment_learner: dict[str, str] = {}   # enrolments created in this page
        self.pending: dict[str, _Pending] = {}        # records created in this page, not yet written
        self.summary_learners: set[str] = set()       # whose summary rows the writes not yet sent move
        self.summary_schools: set[str] = set()

    def fast(self, op: dict) -> bool:
        m = self.m
        hlc, rid = op["hlc"], op["record_id"]
        if hlc in self.seen or rid in self.dirty:
            return False
        known = self.known.get(hlc)
        if known is not None:
            held, seq = known
            if seq is None or (op["held"] and held is None):
                return False
            m.counts["known"] += 1   # our own operation coming back, or a page applied again
            self._latest(hlc)
            return True
        if op["held"] or op.get("resolves") or op["device_id"] == m.device:
            return False
        ent = model.entity(op["entity"])
        field = op["field"]
        key = (ent.name, rid)
        made = None
        if field == CREATE_FIELD:
            if key in self.here or rid in self.logged:
                return False   # a record already here, or edits to replay: `apply` decides
            values = op["value"]
            shape = _shape(ent)
            row = [rid, *map(values.get, shape.names)]
            for i in shape.bools:
                if row[i] is not None:
                    row[i] = int(row[i])
            made = oplog.row(hlc, op["entity"], rid, op["learner_id"], field, values, op["prev_hlc"], op["author"],
                             op["seq"], None, made=True)
            # Later edits in this page go into this row before it is written (`_fold`), and the
            # initial values they replace into the creation's delta, as the triggers would have.
            self.pending[rid] = _Pending(len(self.op_rows), len(self.writes), ent, row, {} if made[-1] else None)
            self.writes.append((_insert_record_sql(ent), row))
            self.here[key] = row[shape.deleted] if shape.deleted else None
            self.stamps[(rid, CREATE_FIELD)] = hlc
            if ent.name == "enrolments":
                self.enrolment_learner[rid] = values["learner_id"]
            if ent.name in SEARCH_FIELDS:
                m._note_search(ent.name, rid, values, set(values))
        else:
            f = ent.by_name.get(field)
            if f is None:
                return False
            if key in self.here:
                current = max(self.stamps.get((rid, field), ""), self.stamps.get((rid, CREATE_FIELD), ""))
                if not current or hlc <= current or op["prev_hlc"] != current:
                    return False   # older, or it did not see the value it replaces: maybe a conflict
                if "deleted" in ent.by_name:
                    deleted = self.here[key]
                    if field != "deleted":
                        if deleted:
                            return False   # an edit to a removed record
                    elif op["value"] is True and not deleted and rid in self.own:
                        return False   # a removal that may not have seen our edits
                value = _to_sql(f, op["value"])
                pending = self.pending.get(rid)
                if pending is None or not pending.fold(f, value):
                    self.writes.append((f"UPDATE {ent.name} SET {field} = ? WHERE id = ?", (value, rid)))
                self.stamps[(rid, field)] = hlc
                if field == "deleted":
                    self.here[key] = value
                if ent.name == "enrolments" and rid in self.enrolment_learner:
                    m._learners.add(self.enrolment_learner[rid])
                else:
                    m._note_search(ent.name, rid, None, {field})
            # else the record is not here (out of scope, or its creation was held): logged only
        # A creation written here is its record's: the record stands for its values (store/oplog.py).
        self.op_rows.append(made if field == CREATE_FIELD else
                            oplog.row(hlc, op["entity"], rid, op["learner_id"], field, op["value"], op["prev_hlc"],
                                      op["author"], op["seq"], None))
        self.seen.add(hlc)
        self.logged.add(rid)
        if op["learner_id"] is not None:
            self.summary_learners.add(op["learner_id"])
        elif ent.name == "schools":
            self.summary_schools.add(rid)
        m.counts["applied"] += 1
        self._latest(hlc)
        return True

    def after_slow(self, op: dict) -> None:
        self.seen.add(op["hlc"])
        self.logged.add(op["record_id"])
        self.dirty.add(op["record_id"])

    def _latest(self, hlc: str) -> None:
        if self.m.latest is None or hlc > self.m.latest:
            self.m.latest = hlc

    def flush(self) -> None:
        conn = self.m.conn
        for p in self.pending.values():   # each record created in this page, in its state now
            if p.delta:
                r = self.op_rows[p.op_at]
                text = "{" + ",".join(f'"{k}":{v}' for k, v in p.delta.items()) + "}"
                self.op_rows[p.op_at] = (*r[:5], text, *r[6:])
        self.pending.clear()
        # The log first: an edit below of a record created in this page must find its creation
        # (the triggers of migration 0014 copy the initial value into it).
        if self.op_rows:
            conn.executemany(_INSERT_OP, self.op_rows)
            self.op_rows = []
        # Consecutive writes of the same statement go together; the order stays the page's, so
        # each record's parent is written before it and triggers see what `apply` would show them.
        writes = self.writes
        triggers = _summary_triggers(conn) if len(writes) >= BULK_SUMMARIES_FROM else None
        if triggers:
            for name, _sql in triggers:
                conn.execute(f"DROP TRIGGER {name}")
        try:
            start = 0
            for end in range(1, len(writes) + 1):
                if end == len(writes) or writes[end][0] != writes[start][0]:
                    conn.executemany(writes[start][0], [w[1] for w in writes[start:end]])
                    start = end
        finally:
            if triggers:
                for _name, sql in triggers:
                    conn.execute(sql)
        if triggers:
            _rebuild_summaries(conn, self.summary_learners, self.summary_schools)
        self.writes = []
        self.summary_learners, self.summary_schools = set(), set()


def remove_learners(store: Store, learner_ids: Iterable[str]) -> int:
    """Deletes learners who left this user's scope, with everything that belongs to them, their
    history and their conflicts (an open refused change stays, with its value, until dismissed).
    Learners with changes not yet sent are kept (the server will say what it does with them). Call
    inside a transaction."""
    conn = store.conn
    removed = 0
    for lid in learner_ids:
        if conn.execute("SELECT 1 FROM ops WHERE learner_id = ? AND server_seq IS NULL AND held IS NULL LIMIT 1",
                        (id_key(lid),)).fetchone():
            continue
        # The history first: the records' triggers would otherwise copy into it what goes with it.
        if conn.execute("SELECT 1 FROM op_resolves LIMIT 1").fetchone():   # its stamps are text
            conn.executemany("DELETE FROM op_resolves WHERE hlc = ?", [
                (stamp_text(h),) for (h,) in conn.execute("SELECT hlc FROM ops WHERE learner_id = ?", (id_key(lid),))])
        conn.execute("DELETE FROM ops WHERE learner_id = ?", (id_key(lid),))
        reviews = "SELECT id FROM reviews WHERE learner_id = ?"
        for name in model.REVIEW_CHILDREN:
            conn.execute(f"DELETE FROM {name} WHERE review_id IN ({reviews})", (lid,))
        # Amendments refer to the review they amend: clear those links before the reviews go.
        conn.execute("DELETE FROM reviews WHERE learner_id = ? AND amends_review_id IS NOT NULL", (lid,))
        for name in model.LEARNER_CHILDREN:
            conn.execute(f"DELETE FROM {name} WHERE learner_id = ?", (lid,))
        conn.execute("DELETE FROM learner_search WHERE rowid IN (SELECT rowid FROM learners WHERE id = ?)", (lid,))
        conn.execute("DELETE FROM learners WHERE id = ?", (lid,))
        # What this device tried and the server refused stays, with what was typed (in this encrypted
        # store), until the person dismisses it: typed words are never dropped silently.
        conn.execute("DELETE FROM conflicts WHERE learner_id = ? AND (kind != 'rejected' OR resolved_at IS NOT NULL)",
                     (lid,))
        removed += 1
    return removed
