"""`check`: SQLCipher's page HMACs, SQLite's integrity, and the schema's own rules, in plain words."""

from __future__ import annotations

import datetime as dt
import json
from typing import Iterator

from ..domain import model
from ..domain.model import ValidationError
from ..i18n import _
from . import migrate
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
    for (row,) in conn.execute("PRAGMA integrity_check"):
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
    """Each field's value must be the value of the last operation that set it. Operations that sync
    holds (kept for a person to resolve, never applied: `ops.held`) set nothing."""
    conn = store.conn
    latest: dict[tuple[str, str], tuple[str, object]] = {}
    created: dict[str, dict] = {}
    for hlc, record_id, field, value in conn.execute(
            "SELECT hlc, record_id, field, value FROM ops WHERE held IS NULL ORDER BY hlc"):
        if field == CREATE_FIELD:
            created[record_id] = {"hlc": hlc, "values": json.loads(value)}
        else:
            latest[(record_id, field)] = (hlc, json.loads(value))
    for name, ent in model.ENTITIES.items():
        for row in store.all_rows(name):
            rid = row["id"]
            origin = created.get(rid)
            if origin is None:
                yield _("Record {id} ({kind}) has no entry in the change log.").format(id=rid, kind=name)
                continue
            for f in ent.fields:
                expected = origin["values"].get(f.name)
                edit = latest.get((rid, f.name))
                if edit and edit[0] > origin["hlc"]:
                    expected = edit[1]
                if expected != row[f.name]:
                    yield _("Record {id} ({kind}): {field} differs from its change log.").format(
                        id=rid, kind=name, field=f.name)
            created.pop(rid)
    for rid in created:
        yield _("The change log names record {id}, which is missing.").format(id=rid)


def _search_problems(store: Store) -> Iterator[str]:
    conn = store.conn
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
