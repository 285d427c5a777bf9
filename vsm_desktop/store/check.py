"""`check`: SQLCipher's page HMACs, SQLite's integrity, and the schema's own rules, in plain words."""

from __future__ import annotations

import datetime as dt
import json
from typing import Iterable, Iterator

from ..domain import model
from ..domain.model import ValidationError
from ..i18n import _, ngettext
from . import connection, migrate, oplog
from .store import CREATE_FIELD, Store

MAX_REPORTED = 50


def check_store(store: Store) -> list[str]:
    """Every problem found, as sentences; an empty list means the store is sound."""
    problems: list[str] = []
    for line in _problems(store):
        problems.append(line)
        if len(problems) >= MAX_REPORTED:
            problems.append(_("… and possibly more; fix these first."))
            break
    return problems


def _problems(store: Store) -> Iterator[str]:
    conn = store.conn
    for (row,) in conn.execute("PRAGMA cipher_integrity_check"):
        yield _("Encrypted page check failed: {detail}").format(detail=row)
    damaged = False
    # The content file (store.contentfile); read-only without one, an empty one in memory has no pages to check.
    in_file = any(name == "content" and file for _seq, name, file in conn.execute("PRAGMA database_list"))
    for (row,) in conn.execute("PRAGMA content.cipher_integrity_check") if in_file else ():
        damaged = True
        yield _("Encrypted page check failed: {detail}").format(detail=row)
    if damaged:   # what follows would stop at the same unreadable pages
        return
    for (row,) in conn.execute("PRAGMA integrity_check"):   # every attached file
        if row != "ok":
            yield _("Database structure: {detail}").format(detail=row)
    if migrate.schema_version(conn) != migrate.SCHEMA_VERSION:
        yield _("The store is at format {found}, expected {expected}.").format(
            found=migrate.schema_version(conn), expected=migrate.SCHEMA_VERSION)
    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
        yield _("A record in {table} refers to a missing record in {parent}.").format(table=table, parent=parent)
    yield from _record_problems(store)
    yield from _log_problems(store)
    yield from _search_problems(store)
    yield from _summary_problems(store)
    from ..attachments.content import content_problems

    yield from content_problems(conn)


def _record_problems(store: Store) -> Iterator[str]:
    for name in model.ENTITIES:
        for row in store.all_rows(name):
            rid = row.pop("id")
            try:
                # Dates in the past when entered stay valid; only the value rules are re-checked.
                model.validate_record(name, row, today=_far_future())
            except ValidationError as e:
                yield _("Record {id} ({kind}) has an invalid value: {problem}").format(
                    id=rid, kind=name, problem=e.describe())


def _far_future() -> dt.date:
    return dt.date(9999, 12, 31)


def _log_problems(store: Store) -> Iterator[str]:
    """Each field's value must be the value of the last operation that set it."""
    rows = [(name, row) for name in model.ENTITIES for row in store.all_rows(name)]
    by_id = {(name, row["id"]): row for name, row in rows}
    decode = oplog.decoder(lambda entity, rid: by_id.get((entity, rid)))
    ops = store.conn.execute("SELECT hlc, entity, record_id, field, value, over_record, held FROM ops ORDER BY hlc")
    for problem, name, rid, field in log_mismatches(
            rows, ((oplog.stamp_text(h), rid, f, decode(e, rid, v, over), held)
                   for h, e, r, f, v, over, held in ops for rid in (oplog.id_text(r),))):
        yield describe_mismatch(problem, name, rid, field)


def log_mismatches(rows: Iterable[tuple[str, dict]], ops: Iterable[tuple]) -> Iterator[tuple[str, str, str, str | None]]:
    """Records that their change log does not produce: ("no_origin" | "differs" | "missing", entity,
    record id, field). `ops` are (stamp, record id, field, value, held) in stamp order; operations
    that sync holds (kept for a person to resolve, never applied) set nothing. Used by `check` and
    by the import of an export, which must not bring in a record its history does not explain."""
    latest: dict[tuple[str, str], tuple[str, object]] = {}
    created: dict[str, dict] = {}
    for hlc, record_id, field, value, held in ops:
        if held is not None:
            continue
        if field == CREATE_FIELD:
            created[record_id] = {"hlc": hlc, "values": value}
        else:
            latest[(record_id, field)] = (hlc, value)
    for name, row in rows:
        rid = row["id"]
        origin = created.pop(rid, None)
        if origin is None or not isinstance(origin["values"], dict):
            yield "no_origin", name, rid, None
            continue
        for f in model.entity(name).fields:
            expected = origin["values"].get(f.name)
            edit = latest.get((rid, f.name))
            if edit and edit[0] > origin["hlc"]:
                expected = edit[1]
            if expected != row[f.name]:
                yield "differs", name, rid, f.name
    for rid in created:
        yield "missing", "", rid, None


def describe_mismatch(problem: str, name: str, rid: str, field: str | None) -> str:
    if problem == "no_origin":
        return _("Record {id} ({kind}) has no entry in the change log.").format(id=rid, kind=name)
    if problem == "differs":
        return _("Record {id} ({kind}): {field} differs from its change log.").format(id=rid, kind=name, field=field)
    return _("The change log names record {id}, which is missing.").format(id=rid)


def _search_problems(store: Store) -> Iterator[str]:
    conn = store.conn
    if connection.writable(store.path):   # FTS5's own check is written as an INSERT
        try:
            conn.execute("INSERT INTO learner_search(learner_search) VALUES ('integrity-check')")
        except Exception:
            yield _("The search index is damaged; it can be rebuilt.")
            return
    indexed = conn.execute("SELECT count(*) FROM learner_search").fetchone()[0]
    learners = conn.execute("SELECT count(*) FROM learners").fetchone()[0]
    if indexed != learners:
        yield _("The search index holds {indexed} learners but the store has {learners}.").format(
            indexed=indexed, learners=learners)


# The dashboard's summary rows (migration 0012), each table kept in step with its `*_source` view
# (in this order: the interventions' view reads the reviews' summary).
SUMMARIES = ("summary_learners", "summary_reviews", "summary_interventions")


def summary_mismatches(conn) -> dict[str, int]:
    """Summary tables whose rows differ from what their view makes of the records: table -> the
    number of rows missing, extra or different."""
    out = {}
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'summary_reviews'").fetchone():
        return out
    for table in SUMMARIES:
        n = sum(conn.execute(f"SELECT count(*) FROM (SELECT * FROM {a} EXCEPT SELECT * FROM {b})").fetchone()[0]
                for a, b in ((f"{table}_source", table), (table, f"{table}_source")))
        if n:
            out[table] = n
    return out


def _summary_problems(store: Store) -> Iterator[str]:
    for table, n in summary_mismatches(store.conn).items():
        yield ngettext("The dashboard's summary ({table}) is out of step with the records in {n} row; "
                       "“check --repair” rebuilds it.",
                       "The dashboard's summary ({table}) is out of step with the records in {n} rows; "
                       "“check --repair” rebuilds it.", n).format(table=table, n=n)


def repair_summaries(store: Store) -> dict[str, int]:
    """Rebuilds the summary tables that are out of step, in one transaction; returns what
    `summary_mismatches` found."""
    found = summary_mismatches(store.conn)
    if found:
        with store.transaction():
            for table in SUMMARIES[SUMMARIES.index(next(iter(found))):]:   # and those read from it
                store.conn.execute(f"DELETE FROM {table}")
                store.conn.execute(f"INSERT INTO {table} SELECT * FROM {table}_source")
    return found
