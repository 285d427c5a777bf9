"""The server's storage: SQLAlchemy Core tables on SQLite (one office) or PostgreSQL (all of
Wales), and a small versioned migration runner.

The log (`ops`) is the truth; `records`, `fields` and `learner_schools` are the current state
derived from it (per field, the value of the greatest stamp that is not held), kept in the
same transaction as each accepted operation. Since version 4 a record's values at creation are
read from its creating operation (`records.created_hlc`); `fields` has a row for a field only once
it changed (or when the server looks records up by it): `current_values` puts the two together. Every write transaction that adds operations
first bumps the `seq` counter row: that row lock serialises them, so a committed counter value
H means every operation up to H is committed and a reader that stops at H never skips one.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Callable

from sqlalchemy import (BigInteger, Column, Integer, LargeBinary, MetaData, String, Table, Text, Index,
                        and_, create_engine, event, insert, select, text)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool, QueuePool

metadata = MetaData()

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", BigInteger, nullable=False),
)
authority = Table(
    "authority", metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("ca_cert_pem", Text, nullable=False),
    Column("ca_key_pem", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)
users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(120), nullable=False, unique=True),
    Column("role", String(32), nullable=False),
    Column("school_id", String(32)),
    Column("created_at", BigInteger, nullable=False),
    Column("display_name", String(200)),  # version 2
)
caseloads = Table(
    "caseloads", metadata,
    Column("user_id", Integer, primary_key=True),
    Column("learner_id", String(32), primary_key=True),
    Column("assigned_at", BigInteger, nullable=False),
)
enrol_codes = Table(
    "enrol_codes", metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("user_id", Integer, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("used_at", BigInteger),
    Column("device_id", String(16)),
)
devices = Table(
    "devices", metadata,
    Column("id", String(16), primary_key=True),
    Column("user_id", Integer, nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("revoked_at", BigInteger),
    Column("last_seen_at", BigInteger),
    Column("cert_serial", String(64)),
)
batches = Table(
    "batches", metadata,
    Column("batch_id", String(32), primary_key=True),
    Column("device_id", String(16), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("response", Text, nullable=False),
)
counters = Table(
    "counters", metadata,
    Column("name", String(32), primary_key=True),
    Column("value", BigInteger, nullable=False),
)
# Since version 5: on SQLite `seq` is the table's own row id (INTEGER PRIMARY KEY), so the log is
# stored in server order with no separate index for it, and there is no index by record (the
# questions by record are asked by learner, `ops_learner_seq`, or within a range of `seq`). Every
# index here is one a query uses; a first push writes a row into each for every operation.
_SEQ = BigInteger().with_variant(Integer, "sqlite")


def _ops_columns(seq_type) -> list:
    return [
        Column("seq", seq_type, primary_key=True, autoincrement=False),
        Column("hlc", String(40), nullable=False, unique=True),
        Column("entity", String(32), nullable=False),
        Column("record_id", String(32), nullable=False),
        Column("learner_id", String(32)),
        Column("field", String(64), nullable=False),
        Column("value", Text, nullable=False),
        Column("prev_hlc", String(40)),
        Column("device_id", String(16), nullable=False),
        Column("author", String(120), nullable=False),
        Column("resolves", Text),
        Column("held", String(32)),
        Column("received_at", BigInteger, nullable=False),
    ]


ops = Table("ops", metadata, *_ops_columns(_SEQ), Index("ops_learner_seq", "learner_id", "seq"))
records = Table(
    "records", metadata,
    Column("record_id", String(32), primary_key=True),
    Column("entity", String(32), nullable=False),
    Column("learner_id", String(32)),
    Column("review_id", String(32)),
    Column("created_hlc", String(40), nullable=False),
    Index("records_review", "review_id"),
    Index("records_entity", "entity"),
)
fields = Table(
    "fields", metadata,
    Column("record_id", String(32), primary_key=True),
    Column("field", String(64), primary_key=True),
    Column("hlc", String(40), nullable=False),
    Column("value", Text, nullable=False),
)
# One row per enrolment that is not deleted: its dates are stored as facts (ISO dates), and
# whether it is current is decided at every pull and push against the server's date.
learner_schools = Table(
    "learner_schools", metadata,
    Column("enrolment_id", String(32), primary_key=True),
    Column("learner_id", String(32), nullable=False),
    Column("school_id", String(32), nullable=False),
    Column("start_date", String(10)),
    Column("end_date", String(10)),
    Index("learner_schools_by_school", "school_id"),
)

# Attachments' content (version 3), by SHA-256: `files` says how big and whether every chunk is
# here and its hash checked; `file_chunks` holds the bytes unless the server keeps them in a folder
# (`serve --files-dir`). Which devices may read a file is decided by the attachment records.
files = Table(
    "files", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("complete", Integer, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)
file_chunks = Table(
    "file_chunks", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary),       # NULL when the bytes are in the files folder
)

# --- migrations -----------------------------------------------------------------------
# Forward only. Each is a function of a connection inside one transaction; the version row is
# written in the same transaction. Version 1 creates the tables above as they were released;
# later versions must not change Table objects that version 1 created, but add statements here.

def _v1(conn: Connection) -> None:
    # The two tables version 2 changed, as version 1 released them.
    old = MetaData()
    old_users = Table(
        "users", old,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("username", String(120), nullable=False, unique=True),
        Column("role", String(32), nullable=False),
        Column("school_id", String(32)),
        Column("created_at", BigInteger, nullable=False),
    )
    old_ops = Table(
        "ops", old, *_ops_columns(BigInteger),
        Index("ops_learner_seq", "learner_id", "seq"),
        Index("ops_record", "record_id"),
    )
    old_schools = Table(
        "learner_schools", old,
        Column("enrolment_id", String(32), primary_key=True),
        Column("learner_id", String(32), nullable=False),
        Column("school_id", String(32), nullable=False),
        Column("active", Integer, nullable=False),
        Index("learner_schools_school", "school_id", "active"),
    )
    for table in (authority, old_users, caseloads, enrol_codes, devices, batches, counters, old_ops, records, fields,
                  old_schools):
        table.create(conn)
    conn.execute(insert(counters).values(name="seq", value=0))


def _v2(conn: Connection) -> None:
    """Users get a display name; enrolments keep their dates (scope was once decided at push time
    and never again, so an enrolment that ended kept its learner in the school's scope)."""
    conn.execute(text("ALTER TABLE users ADD COLUMN display_name VARCHAR(200)"))
    conn.execute(text("DROP TABLE learner_schools"))
    learner_schools.create(conn)
    enrolments = [r[0] for r in conn.execute(select(records.c.record_id).where(records.c.entity == "enrolments"))]
    index_enrolments(conn, enrolments)


def _v3(conn: Connection) -> None:
    """Attachments' content, chunked, by hash."""
    files.create(conn)
    file_chunks.create(conn)
    conn.execute(text("CREATE INDEX fields_sha256 ON fields (value) WHERE field = 'sha256'"))


def _v4(conn: Connection) -> None:
    """New records' values stay in their creating operation; `fields` holds changes. Rows written
    before stay (they equal the creation's values or a later change), so nothing is rewritten; the
    version is there so that an older server, which expects every field in `fields`, refuses."""


def _v5(conn: Connection) -> None:
    """The log loses its index by record (no query needs it since the finalisation check asks by
    learner) and, on SQLite, its separate index by `seq`: the table is rebuilt with `seq` as its row
    id, in order. PostgreSQL keeps its primary key (a heap table needs it) and drops the index."""
    conn.execute(text("DROP INDEX ops_record"))
    if conn.dialect.name != "sqlite":
        return
    conn.execute(text("DROP INDEX ops_learner_seq"))
    conn.execute(text("ALTER TABLE ops RENAME TO ops_v4"))
    ops.create(conn)
    names = ", ".join(c.name for c in ops.columns)
    conn.execute(text(f"INSERT INTO ops ({names}) SELECT {names} FROM ops_v4 ORDER BY seq"))
    conn.execute(text("DROP TABLE ops_v4"))


MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "initial", _v1),
    (2, "display names; enrolment dates decide scope when asked", _v2),
    (3, "attachments' content", _v3),
    (4, "creation values read from the log, not copied into fields", _v4),
    (5, "the log without an index by record; on SQLite ordered by its row id", _v5),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


def rows_in(conn: Connection, sql: str, values) -> list[tuple]:
    """The rows of a query written for the driver (no parameters but one list), `{in}` standing
    for "IN the values": on SQLite a list of markers, 500 at a time; on PostgreSQL `= ANY` of an
    array, at once. A push reads its batch's keys this way (SQLAlchemy's expansion of IN lists
    cost more than the lookups)."""
    values = list(values)
    if conn.dialect.name != "sqlite":
        return conn.exec_driver_sql(sql.replace("{in}", "= ANY(%s)"), (values,)).fetchall() if values else []
    out: list[tuple] = []
    for start in range(0, len(values), 500):
        chunk = tuple(values[start:start + 500])
        out += conn.exec_driver_sql(sql.replace("{in}", "IN (" + ",".join("?" * len(chunk)) + ")"), chunk).fetchall()
    return out


def creation_values(conn: Connection, record_ids) -> dict[str, dict]:
    """{record id: the values it was created with} (from the creating operation in the log)."""
    return {rid: json.loads(value) for rid, value in rows_in(
        conn, "SELECT records.record_id, ops.value FROM records JOIN ops ON ops.hlc = records.created_hlc"
              " WHERE records.record_id {in}", sorted(set(record_ids)))}


def current_values(conn: Connection, record_ids, names=None) -> dict[str, dict]:
    """{record id: {field: value}}: the creation's values, then each field changed since (its row of
    `fields`, which wins); only `names` when given. Fields never set are absent."""
    wanted = None if names is None else set(names)
    out = {rid: {k: v for k, v in values.items() if wanted is None or k in wanted}
           for rid, values in creation_values(conn, record_ids).items()}
    ids = sorted(set(record_ids))
    for start in range(0, len(ids), 500):
        cond = fields.c.record_id.in_(ids[start:start + 500])
        if wanted is not None:
            cond = and_(cond, fields.c.field.in_(sorted(wanted)))
        for r in conn.execute(select(fields.c.record_id, fields.c.field, fields.c.value).where(cond)):
            out.setdefault(r.record_id, {})[r.field] = json.loads(r.value)
    return out


def index_enrolments(conn: Connection, record_ids) -> None:
    """Rewrites these enrolments' rows of `learner_schools` from their current fields (a batch's
    at once: a first push brings an enrolment for every learner)."""
    ids = sorted(set(record_ids))
    vals = current_values(conn, ids, ("school_id", "start_date", "end_date", "deleted"))
    rows = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        conn.execute(learner_schools.delete().where(learner_schools.c.enrolment_id.in_(chunk)))
        for rid, learner in conn.execute(select(records.c.record_id, records.c.learner_id)
                                         .where(records.c.record_id.in_(chunk))):
            v = vals.get(rid, {})
            if learner and v.get("school_id") and not v.get("deleted"):
                rows.append(dict(enrolment_id=rid, learner_id=learner, school_id=v["school_id"],
                                 start_date=v.get("start_date"), end_date=v.get("end_date")))
    if rows:
        conn.execute(insert(learner_schools), rows)


class SchemaTooNew(RuntimeError):
    pass


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def current_version(conn: Connection) -> int:
    if not conn.dialect.has_table(conn, "schema_version"):
        return 0
    return conn.execute(select(schema_version.c.version).order_by(schema_version.c.version.desc()).limit(1)).scalar() or 0


def migrate(engine: Engine, target: int | None = None) -> list[int]:
    """Brings the database to `target` (default: the newest); returns the versions applied."""
    target = SCHEMA_VERSION if target is None else target
    applied = []
    with engine.begin() as conn:
        if not conn.dialect.has_table(conn, "schema_version"):
            schema_version.create(conn)
    for version, _name, step in MIGRATIONS:
        with engine.connect() as conn:
            # One migrating process at a time: on SQLite the step's BEGIN IMMEDIATE makes a second
            # server wait (busy timeout) and then find the step done, instead of failing mid-step.
            conn.info["write"] = True
            try:
                with conn.begin():
                    if conn.dialect.name == "postgresql":
                        conn.execute(text("SELECT pg_advisory_xact_lock(5653)"))
                    found = current_version(conn)
                    if found > SCHEMA_VERSION:
                        raise SchemaTooNew(f"the database is at schema {found}; this server knows up to {SCHEMA_VERSION}")
                    if version <= found or version > target:
                        continue
                    step(conn)
                    conn.execute(insert(schema_version).values(version=version, applied_at=now_ms()))
            finally:
                conn.info.pop("write", None)   # the pooled connection goes back as a reader
        applied.append(version)
    return applied


def check_version(engine: Engine) -> None:
    with engine.connect() as conn:
        found = current_version(conn)
    if found != SCHEMA_VERSION:
        raise SchemaTooNew(
            f"the database is at schema {found}, this server needs {SCHEMA_VERSION}: run `vsm-server init` or upgrade"
            if found < SCHEMA_VERSION else
            f"the database is at schema {found}; this server knows up to {SCHEMA_VERSION}")


MMAP_BYTES = 1 << 31
CACHE_KIB = 64 * 1024      # per connection, grown only as pages are used
CHECKPOINT_PAGES = 10_000  # WAL pages (about 40 MB) between automatic checkpoints


def make_engine(url: str) -> Engine:
    """An engine for a SQLAlchemy URL: sqlite:///PATH or postgresql+psycopg://…"""
    if url.startswith("sqlite"):
        # A pool of connections (opening one costs more than a small request); memory databases
        # would be one per connection, so they are not pooled.
        pool = NullPool if url in ("sqlite://", "sqlite:///:memory:") else QueuePool
        kw = {"pool_size": 8, "max_overflow": 32} if pool is QueuePool else {}
        engine = create_engine(url, poolclass=pool, connect_args={"check_same_thread": False, "timeout": 30}, **kw)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # pragma: no cover - exercised through every test
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
            cur.execute("PRAGMA busy_timeout = 30000")
            # Reads straight from the mapped file, not a system call per page: an attachment's
            # 4 MiB chunk is a thousand pages (SQLite caps the size at its build's limit).
            cur.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            # A push writes rows under random keys (record ids) into several indexes: with SQLite's
            # default 2 MB cache each batch re-reads and re-writes the same index pages; a larger
            # cache and fewer checkpoints let the pages a batch shares with the next stay written once.
            cur.execute(f"PRAGMA cache_size = {-CACHE_KIB}")
            cur.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):  # pragma: no cover
            # IMMEDIATE: a writer takes the lock at once, so two writers never deadlock mid-transaction.
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN")

    else:
        engine = create_engine(url, pool_size=20, max_overflow=20, pool_pre_ping=True)
    return engine


# SQLite allows one writer at a time; a process-wide lock keeps our own threads from queueing on
# SQLite's busy handler. PostgreSQL serialises writers on the `seq` counter row instead.
_write_lock = threading.Lock()


class write_transaction:
    """`with write_transaction(engine) as conn:` one transaction that may add operations."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.sqlite = engine.dialect.name == "sqlite"

    def __enter__(self) -> Connection:
        if self.sqlite:
            _write_lock.acquire()
        try:
            self.conn = self.engine.connect()
            self.conn.info["write"] = True
            self.tx = self.conn.begin()
        except BaseException:
            if self.sqlite:
                _write_lock.release()
            raise
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.tx.commit()
            else:
                self.tx.rollback()
        finally:
            self.conn.info.pop("write", None)  # the pooled connection goes back as a reader
            self.conn.close()
            if self.sqlite:
                _write_lock.release()
