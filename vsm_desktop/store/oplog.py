"""The change log's rows (`ops`): the one place that encodes them and the one that decodes values.

A record's creation keeps no copy of what its record still holds. Its `value` is then a *delta
over the record* (`over_record = 1`): NULL when the record still holds every initial value, or
a JSON object of the initial values of the fields changed since (null: the field was left out
of the creation). Triggers on every record table (migration 0014) add a field's initial value
to the delta before its first change, and every field before the record is removed, so the
creation always reads back exactly as it was written (`creation_value`).

A creation is kept whole (`over_record` NULL, `value` its JSON) when the record was not written
from it (a record already there, a held creation) or when a value's type is not the one its
column keeps, so that the record could not give it back byte for byte.

The device of an operation is the last part of its stamp; it is not stored twice. Stamps and
ids are kept as bytes (`stamp_key`, `id_key`: 18 and 16 bytes instead of 37 and 32 characters),
in the same order as their text; what goes in and comes out of this module is the text the wire,
the export and the rest of the application use. SQL that compares them with a record's id uses
`unhex(id)`.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Callable, Iterable

from ..domain import model
from ..errors import StoreDamaged
from ..i18n import _

CREATE_FIELD = "*"
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
_SKIP = "_"   # the key the triggers' json_insert aims at for a field that did not change (never a field)
_INT64 = (-(1 << 63), (1 << 63) - 1)

COLUMNS = ("hlc", "entity", "record_id", "learner_id", "field", "value", "prev_hlc", "author", "server_seq", "held",
           "over_record")
INSERT = f"INSERT INTO ops ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"


def encode(value: Any) -> str:
    return _ENCODER.encode(value)


def device_of(hlc: str) -> str:
    return hlc[-16:]


# --- stamps and ids as stored ----------------------------------------------------------------

_ID = re.compile(r"[0-9a-f]{32}")
_STAMP = re.compile(r"(\d{15})-(\d{6})-([0-9a-f]{16})")


# Ids and stamps met lately, as stored: a pulled page names each record and stamp more than once
# (its checks, its log row) and its learners many times. Bounded: emptied when full.
_ID_KEYS: dict[str, bytes] = {}
_STAMP_KEYS: dict[str, bytes] = {}
_KEYS_MAX = 40_000


def _remember(known: dict[str, bytes], text: str, key: bytes) -> bytes:
    if len(known) >= _KEYS_MAX:
        known.clear()
    known[text] = key
    return key


def id_key(rid: str | None) -> bytes | str | None:
    """A record id as `ops` keeps it: 16 bytes (anything but 32 lowercase hex digits stays text)."""
    if type(rid) is not str:
        return rid
    key = _ID_KEYS.get(rid)
    if key is not None:
        return key
    if len(rid) == 32 and _ID.fullmatch(rid):
        return _remember(_ID_KEYS, rid, bytes.fromhex(rid))
    return rid


def id_text(key: bytes | str | None) -> str | None:
    return key.hex() if type(key) is bytes else key


def stamp_key(stamp: str | None) -> bytes | str | None:
    """A stamp as `ops` keeps it: wall (7 bytes), counter (3), device (8), big-endian, so that
    the bytes sort as the text does."""
    if type(stamp) is not str:
        return stamp
    key = _STAMP_KEYS.get(stamp)
    if key is not None:
        return key
    if not _STAMP.fullmatch(stamp):
        return stamp
    key = (int(stamp[:15]) << 24 | int(stamp[16:22])).to_bytes(10, "big") + bytes.fromhex(stamp[23:])
    return _remember(_STAMP_KEYS, stamp, key)


def stamp_text(key: bytes | str | None) -> str | None:
    if type(key) is not bytes:
        return key
    n = int.from_bytes(key[:10], "big")   # wall << 24 | counter
    return "%015d-%06d-%s" % (n >> 24, n & 0xFFFFFF, key[10:].hex())


def device_key(device: str) -> bytes:
    return bytes.fromhex(device)


# The device of a stamp in SQL, to compare with `device_key(...)`.
DEVICE_SQL = "substr(hlc, 11)"


def row(hlc: str, entity: str, record_id: str, learner_id: str | None, field: str, value: Any,
        prev_hlc: str | None, author: str, server_seq: int | None = None, held: str | None = None, *,
        made: bool = False) -> tuple:
    """An `ops` row for INSERT. `made`: this creation has just written its record from exactly
    `value` (nothing changed it since), so the record can stand for it."""
    keys = (stamp_key(hlc), entity, id_key(record_id), id_key(learner_id), field)
    if made and held is None and field == CREATE_FIELD and _typed(model.entity(entity), value):
        return (*keys, None, stamp_key(prev_hlc), author, server_seq, held, 1)
    return (*keys, encode(value), stamp_key(prev_hlc), author, server_seq, held, None)


def row_against(hlc: str, entity: str, record_id: str, learner_id: str | None, field: str, value: Any,
                prev_hlc: str | None, author: str, server_seq: int | None, held: str | None,
                current: dict | None, text: str | None = None) -> tuple:
    """An `ops` row for a creation whose record (`current`, as `Store.get` reads it, or None)
    may have changed since: the delta over it, when it gives `value` back exactly. `text`: the
    value's JSON as stored so far (kept whole unless the delta gives back these very bytes)."""
    keys = (stamp_key(hlc), entity, id_key(record_id), id_key(learner_id), field)
    if field == CREATE_FIELD and held is None and current is not None:
        delta = _delta(model.entity(entity), value, current)
        if delta is not None and (text is None or text == encode(value)):
            return (*keys, encode(delta) if delta else None, stamp_key(prev_hlc), author, server_seq, held, 1)
    return (*keys, text if text is not None else encode(value), stamp_key(prev_hlc), author, server_seq, held, None)


def insert(conn, rows: Iterable[tuple]) -> None:
    conn.executemany(INSERT, rows)


# --- reading -----------------------------------------------------------------------------

def creation_value(entity: str, delta: str | None, current: dict | None) -> dict:
    """A creation's initial values from its delta and its record (`Store.get`'s dict, or None
    once the record is gone: the delta then holds every field)."""
    ent = model.entity(entity)
    if current is None:
        out = {}
    elif type(current) is _Base:
        out = dict(current)
    else:
        out = {k: v for k, v in current.items() if v is not None and k != "id"}
    if delta:
        for k, v in json.loads(delta).items():
            if k == _SKIP:
                continue
            if v is None:
                out.pop(k, None)
                continue
            f = ent.by_name.get(k)
            if f is not None:
                if f.kind == "bool" and type(v) is int:
                    v = bool(v)
                elif f.sql_type == "REAL" and type(v) is int:
                    v = float(v)
            out[k] = v
    return out


def value_of(conn, entity: str, record_id: str, value: str | None, over_record: int | None) -> Any:
    """An operation's value (as it was written), reading its record when the log does not hold it."""
    if not over_record:
        return json.loads(value)
    return creation_value(entity, value, record(conn, entity, record_id))


def read(conn, where: str = "", params: Iterable = ()) -> list[dict]:
    """Operations as the wire and the export show them (values whole, the device named), in
    stamp order; `where` filters `ops` (for tests, tools and small reads), its parameters as
    stored (`stamp_key`, `id_key`)."""
    rows = sorted(conn.execute(
        "SELECT hlc, entity, record_id, learner_id, field, value, over_record, prev_hlc, author, server_seq, held"
        f" FROM ops {where}", tuple(params)))
    decode = decoder(records_of(conn, rows, 1, 2, 6))
    out = []
    for hlc, entity, rid, learner, field, value, over, prev, author, server_seq, held in rows:
        hlc, rid = stamp_text(hlc), id_text(rid)
        out.append({"hlc": hlc, "entity": entity, "record_id": rid, "learner_id": id_text(learner), "field": field,
                    "value": decode(entity, rid, value, over), "prev_hlc": stamp_text(prev),
                    "device_id": device_of(hlc), "author": author, "server_seq": server_seq, "held": held})
    return out


def records_of(conn, rows: list, entity_at: int, record_at: int, over_at: int) -> Callable[[str, str], dict | None]:
    """The records that the compact creations among `rows` (as read from `ops`) need, read a kind
    at a time: `decoder(records_of(...))` decodes them without a query each."""
    wanted: dict[str, set[str]] = {}
    for r in rows:
        if r[over_at]:
            wanted.setdefault(r[entity_at], set()).add(id_text(r[record_at]))
    found: dict[tuple[str, str], dict] = {}
    for entity, ids in wanted.items():
        ent = model.entity(entity)
        # One statement a kind whatever the number of ids (prepared once, then from the cache).
        for got in conn.execute(f"SELECT {', '.join(ent.columns)} FROM {ent.name}"
                                " WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(ids)),)):
            found[(entity, got[0])] = _base(ent, got)
    return lambda entity, rid: found.get((entity, rid))


class _Base(dict):
    """A record's values that are not NULL, as a creation would hold them (no id)."""


def _base(ent: model.Entity, found) -> _Base:
    out = _Base()
    for f, v in zip(ent.fields, found[1:]):
        if v is not None:
            out[f.name] = bool(v) if f.kind == "bool" else v
    return out


def record(conn, entity: str, record_id: str) -> dict | None:
    ent = model.entity(entity)
    found = conn.execute(f"SELECT {', '.join(ent.columns)} FROM {ent.name} WHERE id = ?", (record_id,)).fetchone()
    if found is None:
        return None
    return _as_dict(ent, found)


def decoder(records: Callable[[str, str], dict | None]) -> Callable[[str, str, str | None, int | None], Any]:
    """`value_of` with the records from `records(entity, id)` (an export's, already read)."""
    def decode(entity: str, record_id: str, value: str | None, over_record: int | None) -> Any:
        if not over_record:
            return json.loads(value)
        return creation_value(entity, value, records(entity, record_id))
    return decode


def _as_dict(ent: model.Entity, found) -> dict:
    out = {"id": found[0]}
    for f, v in zip(ent.fields, found[1:]):
        out[f.name] = bool(v) if f.kind == "bool" and v is not None else v
    return out


# --- what a record gives back exactly ------------------------------------------------------

def _typed_value(f: model.Field, v: Any) -> bool:
    """Whether `v` comes back from its column as the same JSON (type and value)."""
    t = type(v)
    sql = f.sql_type
    if f.kind == "bool":
        return t is bool
    if sql == "TEXT":
        return t is str
    if sql == "INTEGER":
        return t is int and _INT64[0] <= v <= _INT64[1]
    if sql == "REAL":
        # -0.0 comes back as 0.0 (SQLite keeps whole reals as integers on disk)
        return t is float and math.isfinite(v) and not (v == 0 and math.copysign(1.0, v) < 0)
    return False


_PY_TYPES = {"TEXT": str, "INTEGER": int, "REAL": float}
_KIND_TYPES: dict[str, dict[str, type]] = {}   # entity -> field -> the one Python type its column gives back


def _typed(ent: model.Entity, value: Any) -> bool:
    if type(value) is not dict:
        return False
    types = _KIND_TYPES.get(ent.name)
    if types is None:
        types = _KIND_TYPES[ent.name] = {f.name: bool if f.kind == "bool" else _PY_TYPES[f.sql_type]
                                         for f in ent.fields}
    for k, v in value.items():
        t = types.get(k)
        if t is None or type(v) is not t:   # None too: a creation leaves a field out rather than null
            return False
        if t is int or t is float:
            if not _typed_value(ent.by_name[k], v):
                return False
    return True


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b and (type(a) is not float or math.copysign(1.0, a) == math.copysign(1.0, b))


def _delta(ent: model.Entity, value: Any, current: dict) -> dict | None:
    """The initial values `current` no longer holds (None: left out), or None if no delta can
    give `value` back exactly."""
    if not _typed(ent, value):
        return None
    now = {k: v for k, v in current.items() if v is not None and k != "id"}
    delta: dict[str, Any] = {}
    for k in value.keys() | now.keys():
        a = value.get(k)
        if not _same(a, now.get(k)):
            delta[k] = a
    back = creation_value(ent.name, encode(delta) if delta else None, current)
    if back.keys() != value.keys() or not all(_same(v, value[k]) for k, v in back.items()):
        return None
    return delta


# --- the triggers that keep creations readable (migration 0014) ----------------------------

def _json_of(f: model.Field, expr: str) -> str:
    if f.kind == "bool":
        return f"CASE WHEN {expr} IS NULL THEN NULL WHEN {expr} THEN json('true') ELSE json('false') END"
    return expr


def _json_insert(start: str, pairs: list[str]) -> str:
    # At most 40 path/value pairs a call: SQLite's default limit is 127 arguments a function.
    expr = start
    for i in range(0, len(pairs), 40):
        expr = "json_insert(" + expr + ",\n        " + ",\n        ".join(pairs[i:i + 40]) + ")"
    return expr


def drop_triggers_sql() -> str:
    """Before `ops` is replaced (a migration run again over a store that has them)."""
    return "".join(f"DROP TRIGGER IF EXISTS ops_keep_{ent.name}_{name};\n" for ent in model.ENTITIES.values()
                   for name in [f.name for f in ent.fields] + ["delete"])


def triggers_sql() -> str:
    """The triggers of migration 0014, from the model (tests/test_oplog.py compares them). One a
    column, so that a change of one field (sync applies them by the thousand) runs one small one."""
    out = []
    for ent in model.ENTITIES.values():
        for f in ent.fields:
            out.append(
                f"CREATE TRIGGER ops_keep_{ent.name}_{f.name} BEFORE UPDATE OF {f.name} ON {ent.name}\n"
                f"WHEN OLD.{f.name} IS NOT NEW.{f.name}\nBEGIN\n"
                f"    UPDATE ops SET value = json_insert(coalesce(value, '{{}}'), '$.{f.name}', "
                f"{_json_of(f, 'OLD.' + f.name)})\n"
                f"    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;\nEND;\n")
        every = [f"'$.{f.name}', {_json_of(f, 'OLD.' + f.name)}" for f in ent.fields]
        start = "coalesce(value, '{}')"
        out.append(
            f"CREATE TRIGGER ops_keep_{ent.name}_delete BEFORE DELETE ON {ent.name}\nBEGIN\n"
            f"    UPDATE ops SET value = {_json_insert(start, every)}\n"
            f"    WHERE record_id = unhex(OLD.id) AND field = '*' AND over_record = 1;\nEND;\n")
    return "".join(out)


# --- migration 0014: the log of an older store, compacted ------------------------------------

def compact_log(conn, progress: Callable[[int, int], None] | None = None) -> None:
    """Copies `ops` into `ops_new` (made by the migration's SQL): stamps and ids as bytes, and
    creations as deltas over their records where these give them back byte for byte; inside the
    migration's transaction. Progress counts the creations compared, then the rows copied."""
    total_ops = conn.execute("SELECT count(*) FROM ops").fetchone()[0]
    if "over_record" in {r[1] for r in conn.execute("PRAGMA table_info(ops)")}:   # run again: compact already
        conn.execute(f"INSERT INTO ops_new (seq, {', '.join(COLUMNS)}) SELECT seq, {', '.join(COLUMNS)} FROM ops")
        if progress:
            progress(total_ops, total_ops)
        return
    if conn.execute("SELECT 1 FROM ops WHERE device_id IS NOT substr(hlc, 24) LIMIT 1").fetchone():
        # The device is read from the stamp from now on: a row where they differ would lose it.
        raise StoreDamaged(_("This store's history is damaged: a change names a device other than the one in its "
                             "stamp. The store was left as it was."))
    creations = conn.execute("SELECT count(*) FROM ops WHERE field = '*'").fetchone()[0]
    total, done, step = creations + total_ops, 0, 20000
    if progress:
        progress(0, total)
    # Each record table once, in its own order, each creation found through the log's index by
    # record (CROSS JOIN keeps that order: the other would scan the whole log once per table).
    over: dict[int, str | None] = {}
    for ent in model.ENTITIES.values():
        cols = ", ".join(f"r.{c}" for c in ent.columns)
        cur = conn.execute(
            f"SELECT o.seq, o.value, {cols} FROM {ent.name} r CROSS JOIN ops o"
            " ON o.record_id = r.id AND o.field = '*' WHERE o.entity = ? AND o.held IS NULL", (ent.name,))
        for found in cur:
            done += 1
            if progress and done % step == 0:
                progress(done, total)
            seq, text = found[0], found[1]
            try:
                value = json.loads(text)
            except (TypeError, ValueError):
                continue
            delta = _delta(ent, value, _as_dict(ent, found[2:]))
            if delta is not None and encode(value) == text:
                over[seq] = encode(delta) if delta else None
    done = creations
    batch: list[tuple] = []
    cur = conn.execute("SELECT seq, hlc, entity, record_id, learner_id, field, value, prev_hlc, author, server_seq,"
                       " held FROM ops ORDER BY seq")
    insert_sql = f"INSERT INTO ops_new (seq, {', '.join(COLUMNS)}) VALUES (?, {', '.join('?' * len(COLUMNS))})"
    for seq, hlc, entity, rid, learner, field, text, prev, author, server_seq, held in cur:
        keys = (seq, stamp_key(hlc), entity, id_key(rid), id_key(learner), field)
        if seq in over:
            batch.append((*keys, over[seq], stamp_key(prev), author, server_seq, held, 1))
        else:
            batch.append((*keys, text, stamp_key(prev), author, server_seq, held, None))
        if len(batch) >= step:
            conn.executemany(insert_sql, batch)
            done += len(batch)
            batch = []
            if progress:
                progress(done, total)
    if batch:
        conn.executemany(insert_sql, batch)
        done += len(batch)
    if progress:
        progress(done, total)


if __name__ == "__main__":   # prints the triggers of migration 0014 (after its `-- triggers` line)
    print("-- drop\n" + drop_triggers_sql() + "-- create\n" + triggers_sql(), end="")
