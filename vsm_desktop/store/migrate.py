"""Forward-only schema migrations: `migrations/NNNN_name.sql`, each applied in one transaction.

The schema version is SQLite's `user_version`; it changes in the same transaction as the
migration, so a crash leaves the store at the old version or the new one, never between.
A migration may name a Python step (a line `-- step: NAME`, one of `STEPS`), run at that point of
its SQL in the same transaction, with progress; one that rewrites most of the store names
itself in `VACUUM_AFTER`, and the file is compacted once it is committed.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Callable

from .. import __version__
from ..errors import StoreTooNew
from ..i18n import _
from .connection import sql_literal


def migration_scripts() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every migration, in order."""
    folder = resources.files(__package__) / "migrations"
    found = []
    for entry in folder.iterdir():
        m = re.fullmatch(r"(\d{4})_(\w+)\.sql", entry.name)
        if m:
            found.append((int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    found.sort()
    if [v for v, _n, _s in found] != list(range(1, len(found) + 1)):
        raise RuntimeError("migrations must be numbered 0001, 0002, … without gaps")
    return found


SCHEMA_VERSION = len(migration_scripts())


def schema_version(conn) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def refuse_if_too_new(conn, path) -> None:
    version = schema_version(conn)
    if version <= SCHEMA_VERSION:
        return
    try:
        written_by = conn.execute("SELECT value FROM meta WHERE key = 'app_version'").fetchone()[0]
    except Exception:
        written_by = "?"
    raise StoreTooNew(
        _(
            "{path} was written by VSM Desktop {needed} (store format {version}). "
            "This is VSM Desktop {ours}, which reads store formats up to {supported}: "
            "install VSM Desktop {needed} or newer to open it."
        ).format(path=path, needed=written_by, version=version, ours=__version__, supported=SCHEMA_VERSION)
    )


STEP_MARK = "-- step: "
VACUUM_AFTER = frozenset({"compact_log"})
Progress = Callable[[int, int], None]   # (done, total) of a migration's step


def _steps() -> dict[str, Callable]:
    from . import oplog

    return {"compact_log": oplog.compact_log}


def migrate(conn, target: int | None = None, progress: Progress | None = None) -> list[int]:
    """Applies every migration after the store's version, up to `target`; returns those applied."""
    target = SCHEMA_VERSION if target is None else target
    applied = []
    vacuum = False
    for version, name, sql in migration_scripts():
        if version <= schema_version(conn) or version > target:
            continue
        tail = ("INSERT INTO meta(key, value) VALUES ('app_version', " + sql_literal(__version__) + ")\n"
                "  ON CONFLICT(key) DO UPDATE SET value = excluded.value;\n"
                f"PRAGMA user_version = {version};\n")
        try:
            if STEP_MARK not in sql:
                conn.executescript("BEGIN IMMEDIATE;\n" + sql + "\n" + tail + "COMMIT;")
            else:
                # executescript would commit first: the statements go one by one in one transaction.
                conn.execute("BEGIN IMMEDIATE")
                before, rest = sql.split(STEP_MARK, 1)
                step, after = rest.split("\n", 1)
                _run(conn, before)
                _steps()[step.strip()](conn, progress)
                _run(conn, after + "\n" + tail)
                conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        applied.append(version)
        vacuum = vacuum or name in VACUUM_AFTER
    if vacuum:
        if progress:
            progress(0, 0)   # no measure of how far VACUUM has gone
        compact_file(conn)
    return applied


def _run(conn, sql: str) -> None:
    import sqlcipher3

    statement = ""
    for line in sql.splitlines(keepends=True):
        statement += line
        if sqlcipher3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip() and not all(s.strip().startswith("--") or not s.strip() for s in statement.splitlines()):
        raise RuntimeError("a migration ends in an incomplete statement")


def compact_file(conn) -> None:
    """The file shrinks to what the store holds: VACUUM writes every live page anew (freed ones,
    zeroed already by secure_delete, are not copied) and the write-ahead log is emptied."""
    conn.execute("VACUUM")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

