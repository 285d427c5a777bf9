"""The JSON export of one learner's entire record (a subject access request) or of the whole
store, and its import. Documented by `schemas/export.schema.json`, which `json_schema()`
generates from the domain model.

A device's sync state travels with it, so a revoked device's unsent changes can be handed to an
administrator: each operation says whether the server has it (`server_seq`) and whether it was
held back (`held`: a change to a review finalised elsewhere, or one the server refused), and
`conflicts` lists the changes kept for a person to decide, with their outcome once resolved.

An export is deterministic (records sorted by id, operations by stamp, keys sorted, no
timestamp of its own), so importing it into an empty store and exporting again gives the
same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from .. import i18n
from ..domain import model, sections
from ..domain.model import ValidationError
from ..errors import Refused
from ..i18n import _
from ..sync.hlc import DEVICE_ID_PATTERN, MAX_DRIFT_MS, ClockError, Stamp, wall_clock_ms
from . import migrate, oplog
from .check import describe_mismatch, log_mismatches
from .store import CREATE_FIELD, Store

FORMAT = "vsm-desktop-export"
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
_FAR_FUTURE = dt.date(9999, 12, 31)   # dates in the past when entered stay valid; only value rules apply   # version 1 had no sync state (server_seq, held, conflicts)
OP_COLUMNS = ("hlc", "entity", "record_id", "learner_id", "field", "value", "prev_hlc", "device_id", "author")
SYNC_OP_COLUMNS = ("server_seq", "held")
CONFLICT_COLUMNS = ("kind", "entity", "record_id", "learner_id", "field", "loser_hlc", "loser_value", "loser_author",
                    "winner_hlc", "reason", "detected_at", "resolved_at", "resolved_by_hlc")


def export_learner(store: Store, learner_id: str) -> dict:
    learner_ids = [learner_id]
    return _export(store, "learner", learner_ids)


def export_all(store: Store) -> dict:
    ids = [row[0] for row in store.conn.execute("SELECT id FROM learners ORDER BY id")]
    return _export(store, "all", ids)


def _export(store: Store, scope: str, learner_ids: list[str]) -> dict:
    records: dict[str, list[dict]] = {}
    conn = store.conn
    conn.execute("BEGIN")  # one consistent snapshot
    try:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS export_learners (id TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM export_learners")
        conn.executemany("INSERT INTO export_learners VALUES (?)", [(i,) for i in learner_ids])
        owners = {
            "learners": "WHERE id IN (SELECT id FROM export_learners)",
            "reviews": "WHERE learner_id IN (SELECT id FROM export_learners)",
        }
        for name in model.LEARNER_CHILDREN:
            owners.setdefault(name, "WHERE learner_id IN (SELECT id FROM export_learners)")
        for name in model.REVIEW_CHILDREN:
            owners[name] = ("WHERE review_id IN (SELECT id FROM reviews WHERE learner_id IN "
                            "(SELECT id FROM export_learners))")
        owners["schools"] = ("" if scope == "all" else
                             "WHERE id IN (SELECT school_id FROM enrolments WHERE learner_id IN "
                             "(SELECT id FROM export_learners))")
        # The authority's funding allocations go with the whole store only (no learner's record).
        owners["funding_allocations"] = "" if scope == "all" else "WHERE 0"
        for name in model.ENTITIES:
            records[name] = store.all_rows(name, owners[name])
        school_ids = [s["id"] for s in records["schools"]] + [a["id"] for a in records["funding_allocations"]]
        exported = {(name, r["id"]): r for name, rows in records.items() for r in rows}
        decode = oplog.decoder(lambda entity, rid: exported[(entity, rid)] if (entity, rid) in exported
                               else oplog.record(conn, entity, rid))
        ops = [
            _op_dict(row, decode) for row in conn.execute(
                "SELECT hlc, entity, record_id, learner_id, field, value, over_record, prev_hlc, author, server_seq,"
                " held FROM ops WHERE learner_id IN (SELECT unhex(id) FROM export_learners)"
                f" OR (learner_id IS NULL AND record_id IN ({', '.join('?' * len(school_ids))}))",
                [oplog.id_key(i) for i in school_ids],
            )
        ]
        # The whole store's export is a revoked device's hand-over: it carries every conflict,
        # refused changes to learners no longer on this device included (their typed text).
        where = "" if scope == "all" else (
            " WHERE learner_id IN (SELECT id FROM export_learners)"
            f" OR (learner_id IS NULL AND record_id IN ({', '.join('?' * len(school_ids))}))")
        conflicts = [
            _conflict_dict(row) for row in conn.execute(
                f"SELECT {', '.join(CONFLICT_COLUMNS)} FROM conflicts{where}", [] if scope == "all" else school_ids)
        ]
    finally:
        conn.execute("COMMIT")
    ops.sort(key=lambda o: o["hlc"])
    conflicts.sort(key=lambda c: (c["loser_hlc"], c["kind"], c["record_id"], c["field"]))
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": migrate.SCHEMA_VERSION,
        "scope": scope,
        "records": records,
        "ops": ops,
        "conflicts": conflicts,
    }


def _op_dict(row, decode) -> dict:
    hlc, entity, rid, learner, field, value, over, prev, author, server_seq, held = row
    hlc, rid = oplog.stamp_text(hlc), oplog.id_text(rid)
    return {"hlc": hlc, "entity": entity, "record_id": rid, "learner_id": oplog.id_text(learner), "field": field,
            "value": decode(entity, rid, value, over), "prev_hlc": oplog.stamp_text(prev),
            "device_id": oplog.device_of(hlc),
            "author": author, "server_seq": server_seq, "held": held}


def _conflict_dict(row) -> dict:
    c = dict(zip(CONFLICT_COLUMNS, row))
    c["loser_value"] = json.loads(c["loser_value"])
    return c


def dumps(export: dict) -> str:
    return json.dumps(export, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


ID = re.compile(r"[0-9a-f]{32}")
MAX_DEPTH = 8   # a record's values are flat; a creation entry is one object of them


def import_export(store: Store, data: Any) -> dict[str, int]:
    """Adds an export's records and their history, all or nothing. Records already in the
    store are refused rather than overwritten, and so is anything that would damage the store:
    ids that are not ids, values nested or sized beyond what a record holds, history stamped
    more than a day ahead of this computer's clock, and records that their history does not
    produce. References between records are checked when everything is in, so the order of
    the file does not matter (a target carried from a later one, an amendment and its review)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise Refused(_("This file is not a VSM Desktop export."))
    version = data.get("format_version")
    if version not in READABLE_VERSIONS or not isinstance(data.get("schema_version"), int):
        raise Refused(_("This export has a format this version cannot read."))
    if data["schema_version"] > migrate.SCHEMA_VERSION:
        raise Refused(_("This export comes from a newer VSM Desktop; update the application to import it."))
    records, ops = data.get("records"), data.get("ops")
    if not isinstance(records, dict) or not isinstance(ops, list):
        raise Refused(_("This export is incomplete: it has no records or no history."))
    op_columns = OP_COLUMNS + (SYNC_OP_COLUMNS if version >= 2 else ())
    conflicts = data.get("conflicts", []) if version >= 2 else []
    if not isinstance(conflicts, list):
        raise Refused(_("This export is damaged: {part} is not a list.").format(part="conflicts"))
    _check_depth(data)
    clean_records = _clean_records(records)
    latest = _check_history(store, clean_records, ops, op_columns)
    if version == 1:
        ops = [{**op, "server_seq": None, "held": None} for op in ops]
        _hold_unapplied(clean_records, ops)
        op_columns = OP_COLUMNS + SYNC_OP_COLUMNS
    _check_replay(clean_records, ops)
    _check_conflicts(conflicts)
    counts: dict[str, int] = {}
    conn = store.conn
    with store.transaction():
        conn.execute("PRAGMA defer_foreign_keys = ON")   # until the end of this transaction
        for name, ent in model.ENTITIES.items():
            for rid, clean in clean_records[name]:
                if conn.execute(f"SELECT 1 FROM {name} WHERE id = ?", (rid,)).fetchone():
                    raise Refused(_("Record {id} is already in this store; nothing was imported.").format(id=rid))
                cols = ent.columns
                conn.execute(
                    f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                    [rid] + [int(v) if isinstance(v, bool) else v for v in (clean[f.name] for f in ent.fields)],
                )
            counts[name] = len(clean_records[name])
        imported = {rid: {"id": rid, **clean} for items in clean_records.values() for rid, clean in items}
        for op in ops:
            if conn.execute("SELECT 1 FROM ops WHERE hlc = ?", (oplog.stamp_key(op["hlc"]),)).fetchone():
                raise Refused(_("Record {id} is already in this store; nothing was imported.").format(id=op["record_id"]))
            conn.execute(oplog.INSERT, oplog.row_against(
                op["hlc"], op["entity"], op["record_id"], op["learner_id"], op["field"], op["value"], op["prev_hlc"],
                op["author"], op.get("server_seq"), op.get("held"), imported.get(op["record_id"])))
        counts["ops"] = len(ops)
        for c in conflicts:
            conn.execute(
                f"INSERT OR IGNORE INTO conflicts ({', '.join(CONFLICT_COLUMNS)})"
                f" VALUES ({', '.join('?' * len(CONFLICT_COLUMNS))})",
                [_json(c[k]) if k == "loser_value" else c[k] for k in CONFLICT_COLUMNS],
            )
        counts["conflicts"] = len(conflicts)
        dangling = conn.execute("PRAGMA foreign_key_check").fetchone()
        if dangling:
            raise Refused(_("This export is damaged: a record in {table} refers to a record in {parent} that is "
                            "neither in the export nor in this store.").format(table=dangling[0], parent=dangling[2]))
        store.reindex_learners()
    if latest:
        # Later local changes must be stamped after everything imported.
        store.clock.advance_past(latest)
    return counts


def _damaged_history() -> Refused:
    return Refused(_("This export is damaged: an entry of its history is malformed."))


def _check_depth(value) -> None:
    """No value in an export is nested deeper than a record can be (checked without recursion)."""
    stack = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if level > MAX_DEPTH + 3:   # export → records → entity list → record → values
            raise Refused(_("This export is damaged: it holds values nested {n} levels deep, more than a "
                            "record can hold.").format(n=level))
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)


def _clean_records(records: dict) -> dict[str, list[tuple[str, dict]]]:
    """Every record validated by the model (sizes included), with a real id."""
    unknown = set(records) - set(model.ENTITIES)
    if unknown:
        raise Refused(_("This export is damaged: {part} is not a kind of record.").format(part=sorted(unknown)[0]))
    out: dict[str, list[tuple[str, dict]]] = {}
    seen: set[str] = set()
    for name in model.ENTITIES:
        rows = records.get(name, [])
        if not isinstance(rows, list):
            raise Refused(_("This export is damaged: {part} is not a list.").format(part=name))
        out[name] = []
        for row in rows:
            if not isinstance(row, dict) or not isinstance(row.get("id"), str):
                raise Refused(_("This export is damaged: a record in {part} has no id.").format(part=name))
            rid = row["id"]
            if not ID.fullmatch(rid) or rid in seen:
                raise Refused(_("This export is damaged: “{id}” in {part} is not a record id, or is there twice.").format(
                    id=rid[:40], part=name))
            seen.add(rid)
            clean = model.validate_record(name, {k: v for k, v in row.items() if k != "id"}, today=_FAR_FUTURE)
            for f in model.entity(name).fields:
                if f.kind == "ref" and clean[f.name] is not None and not ID.fullmatch(clean[f.name]):
                    raise Refused(_("This export is damaged: “{id}” in {part} is not a record id, or is there "
                                    "twice.").format(id=str(clean[f.name])[:40], part=name))
            out[name].append((rid, clean))
    return out


def _check_history(store: Store, records: dict[str, list[tuple[str, dict]]], ops: list, op_columns: tuple) -> Stamp | None:
    """Each entry well formed, valid for its field, not from a clock more than a day ahead, and
    the records exactly what their history produces. Returns the latest stamp."""
    owner = {rid: name for name, rows in records.items() for rid, _clean in rows}
    learner_of = _learner_of(records)
    learners = {rid for rid, _clean in records["learners"]}
    # A record whose every change was held (a target added to a review finalised elsewhere, a
    # creation the server refused) has a history but no row; so may any in a format-1 export,
    # which does not say what was held.
    unapplied = {op.get("record_id") for op in ops if isinstance(op, dict)} - set(owner)
    for op in ops:
        if isinstance(op, dict) and op.get("held") is None and "held" in op_columns:
            unapplied.discard(op.get("record_id"))
    entity_of = dict(owner)
    latest: Stamp | None = None
    now_ms = wall_clock_ms()
    for op in ops:
        if not isinstance(op, dict) or set(op) != set(op_columns) or not _sync_state_ok(op):
            raise _damaged_history()
        try:
            stamp = Stamp.parse(op["hlc"])
        except (ClockError, TypeError, AttributeError):
            raise _damaged_history() from None
        if stamp.wall - now_ms > MAX_DRIFT_MS:
            raise Refused(_("This export holds changes dated {date}, more than a day ahead of this computer's "
                            "clock: either that clock or this one is wrong. Nothing was imported.").format(
                                date=_stamp_date(stamp)))
        entity, field, rid = op["entity"], op["field"], op["record_id"]
        if not isinstance(rid, str) or not ID.fullmatch(rid) or entity_of.setdefault(rid, entity) != entity:
            raise _damaged_history()
        # Each entry names the learner its record belongs to: a subject access request relies on it.
        belongs = (op["learner_id"] == learner_of[rid]) if rid in owner else (
            rid in unapplied and (op["learner_id"] is None or op["learner_id"] in learners))
        if (entity not in model.ENTITIES or not isinstance(field, str) or not belongs
                or not (op["prev_hlc"] is None or isinstance(op["prev_hlc"], str))
                or op["device_id"] != stamp.device
                or not isinstance(op["author"], str)
                or len(op["author"]) > 200):
            raise _damaged_history()
        try:
            if field == CREATE_FIELD:
                if not isinstance(op["value"], dict):
                    raise _damaged_history()
                valid = model.validate_record(entity, op["value"], today=_FAR_FUTURE)
                same = all(valid[k] == v for k, v in op["value"].items())
            else:
                same = model.validate_field(entity, field, op["value"], today=_FAR_FUTURE) == op["value"]
        except (ValidationError, KeyError):
            raise _damaged_history() from None
        if not same:
            raise _damaged_history()
        latest = max(latest, stamp) if latest else stamp
    return latest


def _learner_of(records: dict[str, list[tuple[str, dict]]]) -> dict[str, str | None]:
    """The learner each record of the export belongs to (None for a school)."""
    out: dict[str, str | None] = {rid: None for name in model.AUTHORITY_ENTITIES for rid, _clean in records[name]}
    out.update({rid: rid for rid, _clean in records["learners"]})
    for name in model.LEARNER_CHILDREN:
        out.update({rid: clean["learner_id"] for rid, clean in records[name]})
    review_learner = {rid: clean["learner_id"] for rid, clean in records["reviews"]}
    for name in model.REVIEW_CHILDREN:
        out.update({rid: review_learner.get(clean["review_id"]) for rid, clean in records[name]})
    return out


def _check_replay(records: dict[str, list[tuple[str, dict]]], ops: list) -> None:
    """The records must be exactly what their history produces (check's own rule)."""
    rows = ((name, {"id": rid, **clean}) for name, items in records.items() for rid, clean in items)
    history = sorted((op["hlc"], op["record_id"], op["field"], op["value"], op.get("held")) for op in ops)
    for problem in log_mismatches(rows, history):
        raise Refused(_("This export is damaged: its records are not what their history says ({problem}). "
                        "Nothing was imported.").format(problem=describe_mismatch(*problem)))


def _hold_unapplied(records: dict[str, list[tuple[str, dict]]], ops: list) -> None:
    """A format-1 export does not say which changes sync held back (kept, never applied). Where a
    record's value is an earlier change's, the later changes of that field were held: they are
    marked so ("unverified"), kept in the history and not applied. A value no change produced is
    still refused, by `_check_replay`."""
    values = {rid: clean for items in records.values() for rid, clean in items}
    for op in ops:
        if op["record_id"] not in values:
            op["held"] = "unverified"
    by_field: dict[tuple[str, str], list[dict]] = {}
    for op in sorted(ops, key=lambda o: o["hlc"]):
        if op["field"] == CREATE_FIELD and isinstance(op["value"], dict):
            for f in model.entity(op["entity"]).fields:   # a field left out of a creation is None
                by_field.setdefault((op["record_id"], f.name), []).append(
                    {"hlc": op["hlc"], "value": op["value"].get(f.name), "op": None})
        elif op["field"] != CREATE_FIELD:
            by_field.setdefault((op["record_id"], op["field"]), []).append({"hlc": op["hlc"], "value": op["value"], "op": op})
    for (rid, name), changes in by_field.items():
        record = values.get(rid)
        if record is None or name not in record or changes[-1]["value"] == record[name]:
            continue
        applied = [i for i, c in enumerate(changes) if c["value"] == record[name]]
        if applied:
            for later in changes[applied[-1] + 1:]:
                if later["op"] is not None:
                    later["op"]["held"] = "unverified"


def _stamp_date(stamp: Stamp) -> str:
    try:
        return i18n.format_datetime(dt.datetime.fromtimestamp(stamp.wall / 1000, dt.timezone.utc))
    except (ValueError, OverflowError, OSError):
        return _("beyond the year 9999")


CONFLICT_KINDS = ("field", "deleted", "finalised", "stale_finalise", "rejected")


def _check_conflicts(conflicts: list) -> None:
    """Each conflict well formed: ids, stamps and times that parse, no stamp more than a day
    ahead, sizes a person's typing can have, and a kept value valid for its field."""
    now_ms = wall_clock_ms()
    for c in conflicts:
        if not _conflict_ok(c, now_ms):
            raise Refused(_("This export is damaged: a conflict it lists is malformed."))


def _conflict_ok(c, now_ms: int) -> bool:
    if not isinstance(c, dict) or set(c) != set(CONFLICT_COLUMNS):
        return False
    texts = ("kind", "entity", "record_id", "field", "loser_hlc", "loser_author", "detected_at")
    optional = ("learner_id", "winner_hlc", "reason", "resolved_at", "resolved_by_hlc")
    if not all(isinstance(c[k], str) for k in texts) or not all(c[k] is None or isinstance(c[k], str) for k in optional):
        return False
    if c["kind"] not in CONFLICT_KINDS or c["entity"] not in model.ENTITIES or not ID.fullmatch(c["record_id"]):
        return False
    if c["learner_id"] is not None and not ID.fullmatch(c["learner_id"]):
        return False
    if len(c["loser_author"]) > 200 or len(c["reason"] or "") > 200:
        return False
    try:
        for key in ("loser_hlc", "winner_hlc", "resolved_by_hlc"):
            if c[key] is not None and Stamp.parse(c[key]).wall - now_ms > MAX_DRIFT_MS:
                return False
        for key in ("detected_at", "resolved_at"):
            if c[key] is not None:
                dt.datetime.fromisoformat(c[key])
        value, field = c["loser_value"], c["field"]
        if field == CREATE_FIELD:
            if value is not None and not isinstance(value, dict):
                return False
            if value:
                model.validate_record(c["entity"], value, today=_FAR_FUTURE)
        elif value is not None:
            model.validate_field(c["entity"], field, value, today=_FAR_FUTURE)
    except (ClockError, ValueError, TypeError, KeyError, AttributeError):   # ValidationError is a ValueError
        return False
    return True


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _sync_state_ok(op: dict) -> bool:
    seq, held = op.get("server_seq"), op.get("held")
    return ((seq is None or (isinstance(seq, int) and not isinstance(seq, bool) and seq > 0))
            and (held is None or isinstance(held, str)))


def json_schema() -> dict:
    """The JSON Schema of an export, from the domain model (committed as schemas/export.schema.json)."""
    json_types = {
        "str": "string", "text": "string", "date": "string", "datetime": "string", "enum": "string", "ref": "string",
        "int": "integer", "money": "integer", "bool": "boolean", "pct": "number", "decimal": "number",
    }
    defs = {}
    for name, ent in model.ENTITIES.items():
        props: dict[str, Any] = {"id": {"type": "string", "pattern": "^[0-9a-f]{32}$", "description": "Record id"}}
        for f in ent.fields:
            p: dict[str, Any] = {"type": [json_types[f.kind]] + ([] if f.required else ["null"]), "description": f.label}
            if f.kind == "enum":
                p["enum"] = list(model.ENUMS[f.enum]) + ([] if f.required else [None])
            if f.kind == "date":
                p["format"] = "date"
            if f.kind == "datetime":
                p["format"] = "date-time"
            if f.kind == "ref":
                p["pattern"] = "^[0-9a-f]{32}$"
                p["description"] += f" (id of a record in {f.ref})"
            if f.kind == "pct":
                p["description"] += " (percent, 0-100)"
            if f.kind == "money":
                p["description"] += " (pence)"
            if f.lang_of:
                p["description"] = f"Language of {f.lang_of}: cy Welsh, en English, other"
            section = sections.section_of(name, f.lang_of or f.name) if ent.parent_entity == "reviews" or \
                name == "reviews" else None
            if section is not None and section.conditional and not (name == "reviews" and f.name == "review_id"):
                where = (f"the {', '.join(sorted(section.phases))} phase" if section.phases != sections.ALL_PHASES
                         else "any phase")
                if section.circumstance:
                    where += f", when the circumstance '{section.circumstance}' holds"
                p["description"] += f" (section '{section.key}': {where}, or when added with a reason)"
            if f.minimum is not None and f.kind != "pct":
                p["minimum"] = f.minimum
            if f.maximum is not None and f.kind != "pct":
                p["maximum"] = f.maximum
            if f.kind == "pct":
                p["minimum"], p["maximum"] = 0, 100
            props[f.name] = p
        defs[name] = {
            "type": "object", "description": ent.label, "additionalProperties": False,
            "required": ["id"] + [f.name for f in ent.fields], "properties": props,
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://vsm-desktop.invalid/schemas/export.schema.json",
        "title": "VSM Desktop export",
        "description": (
            "One learner's entire record with its history (a subject access request), or a whole store. "
            "`records` holds the current value of every record; `ops` is the change log: who changed "
            "which field of which record, when (a hybrid logical clock stamp: wall-clock milliseconds, "
            "counter, device id), the new value, and the stamp of the value it replaced. "
            "field '*' is a record's creation with all its initial values. `server_seq` and `held` on each "
            "change, and `conflicts`, are this device's sync state: a change with no `server_seq` was never "
            "sent (a revoked device's unsent changes, for an administrator)."
        ),
        "type": "object",
        "additionalProperties": False,
        "required": ["format", "format_version", "schema_version", "scope", "records", "ops", "conflicts"],
        "properties": {
            "format": {"const": FORMAT},
            "format_version": {"const": FORMAT_VERSION},
            "schema_version": {"type": "integer", "minimum": 1, "description": "Store schema the export was made from"},
            "scope": {"enum": ["learner", "all"]},
            "records": {
                "type": "object", "additionalProperties": False, "required": list(model.ENTITIES),
                "properties": {name: {"type": "array", "items": {"$ref": f"#/$defs/{name}"}} for name in model.ENTITIES},
            },
            "ops": {"type": "array", "items": {"$ref": "#/$defs/op"}},
            "conflicts": {"type": "array", "items": {"$ref": "#/$defs/conflict"}},
        },
        "$defs": defs | {
            "op": {
                "type": "object", "additionalProperties": False, "required": list(OP_COLUMNS + SYNC_OP_COLUMNS),
                "properties": {
                    "hlc": {"type": "string", "pattern": "^[0-9]{15}-[0-9]{6}-[0-9a-f]{16}$", "description": "Stamp of this change"},
                    "entity": {"enum": list(model.ENTITIES)},
                    "record_id": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
                    "learner_id": {"type": ["string", "null"], "description": "The learner the record belongs to (null for schools and funding allocations)"},
                    "field": {"type": "string", "description": "Field changed, or '*' for the record's creation"},
                    "value": {"description": "New value; for '*', an object of the initial values"},
                    "prev_hlc": {"type": ["string", "null"], "description": "Stamp of the value this change replaced"},
                    "device_id": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
                    "author": {"type": "string", "description": "Who made the change"},
                    "server_seq": {"type": ["integer", "null"], "minimum": 1,
                                   "description": "The sync server's number for this change; null: not sent yet"},
                    "held": {"type": ["string", "null"],
                             "description": "Why this change was kept but not applied: 'finalised' (its review was "
                                            "finalised elsewhere), 'stale_finalise', 'rejected:REASON' (refused "
                                            "by the server), or 'unverified' (imported from a format-1 export "
                                            "whose records show it was not applied); null: applied"},
                },
            },
            "conflict": {
                "type": "object", "additionalProperties": False, "required": list(CONFLICT_COLUMNS),
                "description": "A change kept for a person to decide: the losing value of two concurrent edits "
                               "('field', 'deleted'), or a change held or refused ('finalised', "
                               "'stale_finalise', 'rejected')",
                "properties": {
                    "kind": {"enum": ["field", "deleted", "finalised", "stale_finalise", "rejected"]},
                    "entity": {"enum": list(model.ENTITIES)},
                    "record_id": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
                    "learner_id": {"type": ["string", "null"]},
                    "field": {"type": "string"},
                    "loser_hlc": {"type": "string", "description": "Stamp of the change kept aside"},
                    "loser_value": {"description": "Its value"},
                    "loser_author": {"type": "string"},
                    "winner_hlc": {"type": ["string", "null"], "description": "Stamp of the value that won, if any"},
                    "reason": {"type": ["string", "null"], "description": "Why the server refused it"},
                    "detected_at": {"type": "string", "description": "When this device found it (UTC)"},
                    "resolved_at": {"type": ["string", "null"], "description": "When a person settled it; null: open"},
                    "resolved_by_hlc": {"type": ["string", "null"], "description": "Stamp of the choice made"},
                },
            },
        },
    }


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    # Regenerates the committed, documented schema: python -m vsm_desktop.store.export
    target = Path(__file__).resolve().parents[2] / "schemas" / "export.schema.json"
    target.write_text(schema_text(), encoding="utf-8")
    print(target)
