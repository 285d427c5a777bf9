"""What the server does, independent of HTTP: administration, enrolment, authentication,
scope, push (merge into the log) and pull (pages of the log a user may see).

Merge rules, identical to the client's (`vsm_desktop/sync/merge.py`): per field, the operation
with the greatest stamp wins; an operation that did not see the value it replaces and carries a
different value is a conflict (reported; the client keeps the loser for a person). Operations on
a review that the server already holds as finalised are *held*: kept in the log with
`held = 'finalised'` and sent to every device, never applied. A finalisation pushed by a device
that had not yet received changes made to that review elsewhere is held as `stale_finalise`:
the review stays a draft everywhere and its author is told to look at the changes and finalise
again. The server's order is the arbiter, so every replica reaches the same state.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import secrets
import time
import uuid
from dataclasses import dataclass

import orjson
from sqlalchemy import and_, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from vsm_desktop.domain import funding, model
from vsm_desktop.sync import protocol as P

from . import ca, db, metrics
from .db import now_ms

log = logging.getLogger("vsm_server")

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U
CODE_HOURS = 24
TOKEN_DAYS = 365
REVIEW_CHILDREN = frozenset(model.REVIEW_CHILDREN)
FROZEN = frozenset(name for name, ent in model.ENTITIES.items() if ent.frozen_with_review)


class ServiceError(Exception):
    """An answer other than success: HTTP status, protocol error code, English message."""

    def __init__(self, status: int, code: str, message: str, **extra):
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


class AdminError(Exception):
    """A refused administration command (English; the server's admin CLI is English-only)."""


@dataclass(frozen=True)
class Principal:
    device_id: str
    user_id: int
    username: str
    role: str
    school_id: str | None


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


_CANON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


_QUOTE = json.encoder.encode_basestring  # the encoder's own quoting of text (C), as ensure_ascii=False


def _canon_creation(values: dict) -> str:
    """A creation's values as stored in the log: JSON with sorted keys, by orjson (a first push
    creates tens of thousands of records). Only ever decoded again, never compared as text, so its
    way of writing a number need not be the standard library's; what orjson cannot write (a whole
    number beyond 64 bits) goes the standard library's way."""
    try:
        return orjson.dumps(values, option=orjson.OPT_SORT_KEYS).decode("utf-8")
    except orjson.JSONEncodeError:
        return _CANON.encode(values)


def json_text(value) -> str:
    """An answer as JSON text (orjson: a push's answer has a result per operation)."""
    try:
        return orjson.dumps(value).decode("utf-8")
    except (orjson.JSONEncodeError, TypeError):
        return json.dumps(value, ensure_ascii=False)


def _canon(value) -> str:
    # One encoder for all (json.dumps with options makes a new one per call: a push encodes
    # every field of every record it creates); text, numbers and null, most fields, directly.
    kind = type(value)
    if kind is str:
        return _QUOTE(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    return _CANON.encode(value)


# --- administration ---------------------------------------------------------------------

def init_authority(engine: Engine, name: str) -> str:
    db.migrate(engine)
    name = name.strip()
    if not name or len(name) > 200:
        raise AdminError("the authority's name must be 1 to 200 characters")
    with engine.begin() as conn:
        existing = conn.execute(select(db.authority.c.name)).first()
        if existing:
            raise AdminError(f"this database already belongs to an authority ({existing[0]})")
        cert_pem, key_pem = ca.create_ca(name)
        authority_id = uuid.uuid4().hex
        conn.execute(insert(db.authority).values(id=authority_id, name=name, ca_cert_pem=cert_pem,
                                                 ca_key_pem=key_pem, created_at=now_ms()))
    return authority_id


def add_user(engine: Engine, username: str, role: str, school: str | None = None, name: str | None = None) -> int:
    """Adds a user. `school` (a designated person's) is a school's record id or its exact name;
    `name` is the display name documents and history show."""
    username = username.strip()
    if not username or len(username) > 120:
        raise AdminError("a username is 1 to 120 characters")
    if role not in P.ROLES:
        raise AdminError(f"role must be one of: {', '.join(P.ROLES)}")
    name = name.strip() if name else None
    if name is not None and (not name or len(name) > 200 or any(ord(ch) < 32 for ch in name)):
        raise AdminError("a display name is 1 to 200 characters on one line")
    if role != "designated_person" and school:
        raise AdminError("only a designated person has a school")
    with engine.begin() as conn:
        school_id = None
        if role == "designated_person":
            if not school:
                raise AdminError("a designated person needs --school (the school's id or exact name; "
                                 "`vsm-server schools` lists them)")
            school_id = _school_id(conn, school)
        if conn.execute(select(db.users.c.id).where(db.users.c.username == username)).first():
            raise AdminError(f"user {username} already exists")
        return conn.execute(insert(db.users).values(username=username, role=role, school_id=school_id,
                                                    display_name=name, created_at=now_ms())).inserted_primary_key[0]


def _school_id(conn: Connection, school: str) -> str:
    """A school's record id from its id or its exact name (an ambiguous name is refused, listing
    the matches). An id the server has not received yet is accepted: the school may follow."""
    school = school.strip()
    if P.ID_RE.fullmatch(school):
        return school
    matches = [r for r in list_schools(conn) if r["name"] == school]
    if not matches:
        raise AdminError(f"no school is named exactly {school!r}; `vsm-server schools` lists them")
    if len(matches) > 1:
        listed = "; ".join(f"{m['id']} ({m['kind'] or '-'}, {m['medium'] or '-'})" for m in matches)
        raise AdminError(f"{len(matches)} schools are named {school!r}: give the id of one: {listed}")
    return matches[0]["id"]


def list_schools(conn_or_engine) -> list[dict]:
    """Every school the server has, by name: id, name, kind, medium (schools are not personal data)."""
    if isinstance(conn_or_engine, Engine):
        with conn_or_engine.connect() as conn:
            return list_schools(conn)
    conn = conn_or_engine
    ids = [r[0] for r in conn.execute(select(db.records.c.record_id).where(db.records.c.entity == "schools"))]
    out: dict[str, dict] = {i: {"id": i, "name": None, "kind": None, "medium": None} for i in ids}
    for rid, values in db.current_values(conn, ids, ("name", "kind", "medium")).items():
        out[rid].update(values)
    return sorted(out.values(), key=lambda s: ((s["name"] or "").casefold(), s["id"]))


def _user(conn: Connection, username: str):
    row = conn.execute(select(db.users).where(db.users.c.username == username)).first()
    if row is None:
        raise AdminError(f"no user {username}")
    return row


def enrol_code(engine: Engine, username: str, hours: int = CODE_HOURS) -> str:
    """A one-time code, valid `hours`; only its hash is stored."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    with engine.begin() as conn:
        user = _user(conn, username)
        now = now_ms()
        conn.execute(insert(db.enrol_codes).values(code_hash=_hash(raw), user_id=user.id, created_at=now,
                                                   expires_at=now + hours * 3600 * 1000))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def assign(engine: Engine, username: str, learner_id: str, remove: bool = False) -> None:
    if not P.ID_RE.fullmatch(learner_id):
        raise AdminError("a learner id is 32 hex characters")
    with engine.begin() as conn:
        user = _user(conn, username)
        if user.role in ("administrator", "coordinator"):
            raise AdminError(f"a {user.role} has no caseload")
        if remove:
            conn.execute(delete(db.caseloads).where(and_(db.caseloads.c.user_id == user.id,
                                                         db.caseloads.c.learner_id == learner_id)))
        elif not conn.execute(select(db.caseloads).where(and_(db.caseloads.c.user_id == user.id,
                                                               db.caseloads.c.learner_id == learner_id))).first():
            conn.execute(insert(db.caseloads).values(user_id=user.id, learner_id=learner_id, assigned_at=now_ms()))


def revoke(engine: Engine, device_id: str) -> None:
    with engine.begin() as conn:
        done = conn.execute(update(db.devices).where(and_(db.devices.c.id == device_id,
                                                          db.devices.c.revoked_at.is_(None)))
                            .values(revoked_at=now_ms()))
        if done.rowcount == 0:
            raise AdminError(f"no active device {device_id}")


def list_devices(engine: Engine) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(db.devices.c.id, db.users.c.username, db.users.c.role, db.devices.c.created_at,
                   db.devices.c.last_seen_at, db.devices.c.revoked_at)
            .join(db.users, db.users.c.id == db.devices.c.user_id).order_by(db.devices.c.created_at))
        return [dict(r._mapping) for r in rows]


def list_users(engine: Engine) -> list[dict]:
    """Each user: username, display name, role, school (id and name) and caseload size."""
    with engine.connect() as conn:
        sizes = dict(conn.execute(select(db.caseloads.c.user_id, func.count()).group_by(db.caseloads.c.user_id)).all())
        schools = {s["id"]: s["name"] for s in list_schools(conn)}
        rows = conn.execute(select(db.users.c.id, db.users.c.username, db.users.c.display_name, db.users.c.role,
                                   db.users.c.school_id).order_by(db.users.c.username))
        return [dict(r._mapping, school_name=schools.get(r.school_id), caseload=sizes.get(r.id, 0)) for r in rows]


# --- enrolment and authentication -------------------------------------------------------

def normalise_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def enrol(engine: Engine, body: dict) -> dict:
    code = normalise_code(body["code"])
    device_id = body["device_id"]
    refused = ServiceError(403, "enrol_refused", "the enrolment code is not valid: unknown, used or expired")
    token = secrets.token_urlsafe(32)
    now = now_ms()
    with db.write_transaction(engine) as conn:
        auth = conn.execute(select(db.authority)).first()
        if auth is None:
            raise ServiceError(409, "not_initialised", "the server has no authority yet")
        row = conn.execute(select(db.enrol_codes).where(db.enrol_codes.c.code_hash == _hash(code))).first()
        if row is None or row.used_at is not None or row.expires_at < now:
            raise refused
        user = conn.execute(select(db.users).where(db.users.c.id == row.user_id)).first()
        existing = conn.execute(select(db.devices).where(db.devices.c.id == device_id)).first()
        if existing is not None and (existing.user_id != user.id or existing.revoked_at is not None):
            raise refused
        try:
            cert_pem, serial = ca.issue_user_certificate(auth.ca_cert_pem, auth.ca_key_pem, body["csr_pem"],
                                                         username=user.username, role=user.role,
                                                         authority_name=auth.name, display_name=user.display_name)
        except ca.CSRError as e:
            raise ServiceError(400, "bad_request", str(e)) from None
        used = conn.execute(update(db.enrol_codes).where(and_(db.enrol_codes.c.code_hash == row.code_hash,
                                                              db.enrol_codes.c.used_at.is_(None)))
                            .values(used_at=now, device_id=device_id))
        if used.rowcount != 1:
            raise refused
        values = dict(user_id=user.id, token_hash=_hash(token), created_at=now,
                      expires_at=now + TOKEN_DAYS * 86400 * 1000, revoked_at=None, last_seen_at=now,
                      cert_serial=serial)
        if existing is None:
            conn.execute(insert(db.devices).values(id=device_id, **values))
        else:  # the same user enrolling the same store again: a new token replaces the old
            conn.execute(update(db.devices).where(db.devices.c.id == device_id).values(**values))
    log.info("enrolled device=%s role=%s", device_id, user.role)
    return {
        "device_token": token, "device_id": device_id, "username": user.username, "role": user.role,
        "display_name": user.display_name,  # None until the administrator gives one (add-user --name)
        "authority": {"id": auth.id, "name": auth.name}, "certificate_pem": cert_pem,
        "ca_certificate_pem": auth.ca_cert_pem, "server_time": now_ms(),
    }


def authenticate(engine: Engine, authorization: str | None) -> Principal:
    if not authorization or not authorization.startswith("Bearer "):
        raise ServiceError(401, "unauthorised", "a device token is required (Authorization: Bearer …)")
    token = authorization[7:].strip()
    if not token or len(token) > 200:
        raise ServiceError(401, "unauthorised", "the device token is not valid")
    with engine.connect() as conn:
        row = conn.execute(
            select(db.devices, db.users.c.username, db.users.c.role, db.users.c.school_id)
            .join(db.users, db.users.c.id == db.devices.c.user_id)
            .where(db.devices.c.token_hash == _hash(token))).first()
    if row is None:
        raise ServiceError(401, "unauthorised", "the device token is not valid")
    if row.revoked_at is not None:
        raise ServiceError(401, "revoked", "this device has been revoked")
    now = now_ms()
    if row.expires_at < now:
        raise ServiceError(401, "unauthorised", "the device token has expired; enrol the device again")
    if row.last_seen_at is None or now - row.last_seen_at > 60_000:
        with db.write_transaction(engine) as conn:
            conn.execute(update(db.devices).where(db.devices.c.id == row.id).values(last_seen_at=now))
    return Principal(row.id, row.user_id, row.username, row.role, row.school_id)


def check_clock(client_time: str | None) -> None:
    """Refuses a device whose clock is far off; the HLC copes with small skews only."""
    if client_time is None:
        return
    try:
        value = int(client_time)
    except ValueError:
        raise ServiceError(400, "bad_request", f"{P.HEADER_CLIENT_TIME} must be Unix milliseconds") from None
    server = now_ms()
    if abs(value - server) > P.MAX_CLOCK_SKEW_MS:
        raise ServiceError(400, "clock_skew", "the device's clock is more than 5 minutes from the server's",
                           server_time=server)


# --- scope ------------------------------------------------------------------------------

TODAY_ENV = "VSM_SERVER_TODAY"


def today() -> str:
    """The server's date (ISO), which decides whether an enrolment is current. Tests move it with
    VSM_SERVER_TODAY=YYYY-MM-DD; unset in production."""
    fixed = os.environ.get(TODAY_ENV)
    if fixed:
        return dt.date.fromisoformat(fixed).isoformat()
    return dt.date.today().isoformat()


def _scope_condition(p: Principal, column):
    """SQL condition on a learner id column: the learners this user may see, today."""
    if p.role == "coordinator":
        return column.isnot(None)
    caseload = select(db.caseloads.c.learner_id).where(db.caseloads.c.user_id == p.user_id)
    cond = column.in_(caseload)
    if p.role == "designated_person" and p.school_id:
        ls = db.learner_schools.c
        day = today()
        school = select(ls.learner_id).where(and_(
            ls.school_id == p.school_id, or_(ls.start_date.is_(None), ls.start_date <= day),
            or_(ls.end_date.is_(None), ls.end_date >= day)))
        cond = or_(cond, column.in_(school))
    return cond


def visible_learners(conn: Connection, p: Principal) -> set[str]:
    if p.role == "administrator":
        return set()
    rec = db.records
    rows = conn.execute(select(rec.c.record_id).where(and_(rec.c.entity == "learners",
                                                          _scope_condition(p, rec.c.record_id))))
    found = {r[0] for r in rows}
    if p.role != "coordinator":
        # A learner on the caseload whose record has not reached the server yet is in scope too.
        found |= {r[0] for r in conn.execute(select(db.caseloads.c.learner_id)
                                              .where(db.caseloads.c.user_id == p.user_id))}
    return found


def visible_among(conn: Connection, p: Principal, learner_ids: set[str]) -> set[str]:
    """Which of these learners the user may see today (a push asks about its own learners only,
    not the whole authority's)."""
    if p.role == "administrator" or not learner_ids:
        return set()
    rec, cl = db.records, db.caseloads
    found: set[str] = set()
    for chunk in _chunks(sorted(learner_ids)):
        q = select(rec.c.record_id).where(and_(rec.c.entity == "learners", rec.c.record_id.in_(chunk),
                                               _scope_condition(p, rec.c.record_id)))
        if p.role != "coordinator":
            # A learner on the caseload whose record has not reached the server yet is in scope too.
            q = q.union(select(cl.c.learner_id).where(and_(cl.c.user_id == p.user_id, cl.c.learner_id.in_(chunk))))
        found |= {r[0] for r in conn.execute(q)}
    return found


# --- push -------------------------------------------------------------------------------

def push(engine: Engine, p: Principal, body: dict, fault=None) -> dict:
    """Applies a batch. The work (replay check, scope, merge) is done first on what is committed;
    the serialising lock (the `seq` counter row, and on SQLite the one writer) is then held only
    to number and insert. If an operation committed meanwhile touched what the batch read, the
    merge is done again under the lock, so the result is the same as if batches ran one by one."""
    batch_id, ops = body["batch_id"], body["ops"]
    with engine.connect() as conn:
        stored = _stored_batch(conn, batch_id, p)
        if stored is not None:
            return stored
        _refuse_out_of_scope(conn, p, ops)
        seen = _head(conn)
        merger = _Merger(conn, p, body["cursor"], seen, ops)
        results = [merger.apply(op) for op in ops]
        conn.rollback()
    response = _commit_batch(engine, p, batch_id, body["cursor"], ops, merger, results, seen, fault)
    results = response["results"]
    metrics.observe_push(ops, results)
    counts: dict[str, int] = {}
    for r in results:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    log.info("push device=%s ops=%d %s", p.device_id, len(results),
             " ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    if fault:
        fault("push_after_commit")
    return response


def _head(conn: Connection) -> int:
    return conn.execute(select(db.counters.c.value).where(db.counters.c.name == "seq")).scalar_one()


def _stored_batch(conn: Connection, batch_id: str, p: Principal) -> dict | None:
    stored = conn.execute(select(db.batches.c.response, db.batches.c.device_id)
                          .where(db.batches.c.batch_id == batch_id)).first()
    if stored is None:
        return None
    if stored.device_id != p.device_id:
        raise ServiceError(400, "bad_request", "batch_id was already used by another device")
    log.info("push replay device=%s", p.device_id)
    return json.loads(stored.response)


def _touched(conn: Connection, seen: int, head: int, merger: "_Merger") -> bool:
    """Did an operation numbered after `seen` (committed meanwhile) touch a record or learner
    the merge read? Asked under the lock, so the database filters (one row at most comes back)."""
    if head == seen:
        return False
    o = db.ops.c
    for chunk in _chunks(sorted(merger.read_ids)):
        if conn.execute(select(o.seq).where(and_(o.seq > seen, o.seq <= head, or_(
                o.record_id.in_(chunk), o.learner_id.in_(chunk)))).limit(1)).first() is not None:
            return True
    return False


def _commit_batch(engine: Engine, p: Principal, batch_id: str, cursor: int, ops: list[dict], merger: "_Merger",
                  results: list[dict], seen: int, fault=None) -> dict:
    fresh = False
    for attempt in range(3):
        try:
            with db.write_transaction(engine) as conn:
                # The lock: from here to the commit, no other push numbers operations. The numbers
                # this batch needs are taken at once (one statement less while the lock is held).
                wanted = 0 if fresh else len(merger.op_rows)
                taken = conn.execute(update(db.counters).where(db.counters.c.name == "seq")
                                     .values(value=db.counters.c.value + wanted)
                                     .returning(db.counters.c.value)).scalar_one()
                locked = time.perf_counter()
                head = taken - wanted
                # The same batch, retried on another process and committed meanwhile, is not looked
                # for here (a statement less under the lock): its stored answer's key stops this
                # transaction (IntegrityError, below), which then answers what is stored.
                if fresh or _touched(conn, seen, head, merger):
                    merger = _Merger(conn, p, cursor, head, ops, merger.invalid)
                    results = [merger.apply(op) for op in ops]
                else:
                    merger.renumber(seen, head, results)
                seen = head
                merger.conn = conn
                merger.flush()
                if merger.seq != taken:
                    conn.execute(update(db.counters).where(db.counters.c.name == "seq").values(value=merger.seq))
                response = PushAnswer(batch_id=batch_id, results=results, server_time=now_ms())
                conn.execute(insert(db.batches).values(batch_id=batch_id, device_id=p.device_id,
                                                       created_at=now_ms(), response=json_text(response)))
                if cursor == head:
                    # The device had everything up to `head`, and what follows up to here is this batch:
                    # it may move its cursor past its own operations instead of pulling them back.
                    response.cursor = merger.seq
                if fault:
                    fault("push_before_commit")
            metrics.PUSH_LOCK_SECONDS.observe(time.perf_counter() - locked)
            return response
        except IntegrityError:
            # Another process committed the same batch, or the same operation or record, between
            # our reads and our lock (SQLite across processes, or a key the merge did not read):
            # answer what is stored, or merge again.
            log.info("push retry after a concurrent write device=%s attempt=%d", p.device_id, attempt + 1)
            with engine.connect() as conn:
                stored = _stored_batch(conn, batch_id, p)
            if stored is not None:
                return stored
            fresh = True  # merge again, under the lock
    raise ServiceError(409, "busy", "the same changes are being applied by another request; send them again")


def _scope_refusals(conn: Connection, p: Principal, ops: list[dict]) -> tuple[dict[str, str], str]:
    """The operations outside what the user may change: {stamp: "out_of_scope" | "not_permitted"},
    and a message saying why."""
    if p.role == "administrator":
        return {op["hlc"]: "not_permitted" for op in ops}, "an administrator changes no learner data"
    learners = {op["learner_id"] for op in ops if op["learner_id"]}
    visible = visible_among(conn, p, learners)
    # Of the learners not visible, those the server has (a creation of one of the others is a new learner).
    known: set[str] = set()
    for chunk in _chunks(sorted(learners - visible)):
        known |= {r[0] for r in conn.execute(select(db.records.c.record_id).where(db.records.c.record_id.in_(chunk)))}
    refused: dict[str, str] = {}
    why: set[str] = set()
    for op in ops:
        lid = op["learner_id"]
        if p.role != "coordinator" and (op["entity"] == "quality_ratings" or lid is None):
            # Only coordinators rate PEPs, and only they create or change schools and funding
            # allocations (records of no learner, which reach every device).
            refused[op["hlc"]] = "not_permitted"
            why.add("a coordinator rates the quality of a PEP" if lid else
                    "a coordinator sets funding allocations" if op["entity"] == "funding_allocations" else
                    "a coordinator creates or changes schools")
            continue
        if p.role != "coordinator" and funding.is_decision(op["entity"], op["field"], op["value"]):
            refused[op["hlc"]] = "not_permitted"
            why.add("a coordinator decides PDG-CLA funding requests")
            continue
        if lid is None or lid in visible:
            continue
        if op["entity"] == "learners" and op["field"] == P.CREATE_FIELD and op["record_id"] == lid and lid not in known:
            visible.add(lid)  # a new learner: the creator's caseload gets it (see _Merger)
            continue
        refused[op["hlc"]] = "out_of_scope"
    if "out_of_scope" in refused.values():
        return refused, "some changes are for learners outside your caseload or school"
    return refused, "only " + " and only ".join(sorted(why))


def _refuse_out_of_scope(conn: Connection, p: Principal, ops: list[dict]) -> None:
    """403 for the whole batch when any operation is outside what the user may change; the
    refused operations are named so the device can set them aside and send the rest."""
    refused, message = _scope_refusals(conn, p, ops)
    if refused:
        code = "out_of_scope" if "out_of_scope" in refused.values() else "not_permitted"
        raise ServiceError(403, code, message, ops=[op["hlc"] for op in ops if op["hlc"] in refused])


# --- hand-over of a revoked device's unsent changes --------------------------------------

def import_handover(engine: Engine, data, username: str, device_id: str | None = None) -> list[dict]:
    """Applies the unsent changes of a revoked device, read from its `vsm-desktop export-json
    --all` file, through the normal merge with their original stamps, device and authors, as if
    the device had pushed them itself: only that device's changes the server has not got, only
    within the user's scope today. Returns one result per change; running it again changes
    nothing (every change is then `duplicate`)."""
    if not isinstance(data, dict) or data.get("format") != "vsm-desktop-export":
        raise AdminError("this file is not a VSM Desktop export (vsm-desktop export-json --all)")
    if data.get("format_version") != 2 or not isinstance(data.get("ops"), list):
        raise AdminError("this export has no sync state (it was made by an older VSM Desktop, or is damaged)")
    unsent = [op for op in data["ops"] if isinstance(op, dict) and op.get("server_seq") is None
              and op.get("held") is None]
    devices = sorted({op.get("device_id") for op in unsent})
    if device_id is None:
        if len(devices) > 1:
            raise AdminError(f"the export holds unsent changes of several devices ({', '.join(map(str, devices))}): "
                             "say which with --device")
        if not devices:
            return []
        device_id = devices[0]
    unsent = [op for op in unsent if op.get("device_id") == device_id]
    seen = [op["server_seq"] for op in data["ops"] if isinstance(op, dict) and isinstance(op.get("server_seq"), int)]
    cursor = max(seen, default=0)   # what the device had received: finalisations are judged against it
    ops = [{k: op.get(k) for k in ("hlc", "entity", "record_id", "learner_id", "field", "value", "prev_hlc",
                                   "device_id", "author")} for op in unsent]
    with engine.connect() as conn:
        user = _user(conn, username)
        device = conn.execute(select(db.devices).where(db.devices.c.id == device_id)).first()
    if device is None:
        raise AdminError(f"no device {device_id} on this server")
    if device.revoked_at is None:
        raise AdminError(f"device {device_id} is not revoked: it can send its changes itself (vsm-desktop sync)")
    if device.user_id != user.id:
        raise AdminError(f"device {device_id} belonged to another user; give --as that user")
    principal = Principal(device_id, user.id, user.username, user.role, user.school_id)
    results: list[dict] = []
    for start in range(0, len(ops), P.MAX_BATCH_OPS):
        chunk = ops[start:start + P.MAX_BATCH_OPS]
        body = {"batch_id": uuid.uuid4().hex, "cursor": cursor, "ops": chunk}
        try:
            body = P.check_push_request(body)
        except P.ProtocolError as e:
            raise AdminError(f"the export's changes are damaged ({e}); nothing more was applied") from None
        with engine.connect() as conn:
            refused, _message = _scope_refusals(conn, principal, chunk)
        allowed = [op for op in chunk if op["hlc"] not in refused]
        answers = {}
        if allowed:
            answer = push(engine, principal, dict(body, ops=allowed))
            answers = {r["hlc"]: r for r in answer["results"]}
        for op in chunk:
            r = answers.get(op["hlc"]) or {"status": "refused", "reason": refused.get(op["hlc"]), "seq": None}
            results.append({"hlc": op["hlc"], "entity": op["entity"], "record_id": op["record_id"],
                            "field": op["field"], "status": r["status"], "reason": r["reason"], "seq": r["seq"]})
    log.info("handover device=%s ops=%d", device_id, len(results))
    return results


@dataclass
class _Rec:
    entity: str
    learner_id: str | None
    review_id: str | None
    created_hlc: str


_INSERT_CASELOADS = insert(db.caseloads)
_UPDATE_FIELDS = (update(db.fields)
                  .where(and_(db.fields.c.record_id == bindparam("b_record"), db.fields.c.field == bindparam("b_field")))
                  .values(hlc=bindparam("b_hlc"), value=bindparam("b_value")))
_CHUNK = 500
# Fields the server finds records by (files._require_scope): kept in `fields` from creation on.
_INDEXED_FIELDS = {"attachments": ("sha256",)}
_REFS = {name: frozenset(f.name for f in ent.fields if f.kind == "ref") for name, ent in model.ENTITIES.items()}
_OTHER_REFS = {name: tuple((f.name, f.ref) for f in ent.fields if f.kind == "ref" and f.name != ent.parent)
               for name, ent in model.ENTITIES.items()}
_OP_COLUMNS = ("seq", "hlc", "entity", "record_id", "learner_id", "field", "value", "prev_hlc", "device_id", "author",
               "resolves", "held", "received_at")
_RECORD_COLUMNS = ("record_id", "entity", "learner_id", "review_id", "created_hlc")


def _insert_many(conn: Connection, table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Inserts rows of a batch. On SQLite straight to the driver's executemany: SQLAlchemy's
    per-row parameter handling cost more than the inserts (a first push writes a row per field of
    every record). PostgreSQL keeps SQLAlchemy's multi-row VALUES."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                             rows)
    else:
        conn.execute(insert(table), [dict(zip(columns, row)) for row in rows])


def _chunks(items: list, size: int = _CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


class _Merger:
    """Applies one batch. What it reads is fetched once for the whole batch and kept current in
    memory as the batch applies; what it writes is sent in bulk at the end (`flush`)."""

    def __init__(self, conn: Connection, p: Principal, cursor: int, head: int, ops: list[dict],
                 invalid: dict[int, bool] | None = None):
        self.conn, self.p, self.cursor, self.seq, self.head = conn, p, cursor, head, head
        self.invalid: dict[int, bool] = {} if invalid is None else invalid  # by id() of the batch's ops
        self.now = now_ms()
        self.op_rows: list[tuple] = []       # in _OP_COLUMNS' order
        self.record_rows: list[tuple] = []   # in _RECORD_COLUMNS' order
        self.new_fields: dict[tuple[str, str], tuple[str, str]] = {}
        self.changed_fields: dict[tuple[str, str], tuple[str, str]] = {}
        self.caseload_rows: list[dict] = []
        self.enrolments: dict[str, str] = {}
        self.stale: dict[str, bool] = {}
        self.ops = ops
        self._prefetch(ops)

    def _prefetch(self, ops: list[dict]) -> None:
        c = self.conn
        hlcs = [op["hlc"] for op in ops]
        self.known: dict[str, tuple[int, str | None]] = {}
        for hlc, seq, held in db.rows_in(c, "SELECT hlc, seq, held FROM ops WHERE hlc {in}", hlcs):
            self.known[hlc] = (seq, held)
        ids: set[str] = set()
        # The records the merge looks up: each operation's record and learner, and what its
        # reference fields name (a creation's, or the one an edit sets).
        for op in ops:
            ids.add(op["record_id"])
            if op["learner_id"]:
                ids.add(op["learner_id"])
            values, refs = op["value"], _REFS[op["entity"]]
            if op["field"] == P.CREATE_FIELD:
                if refs and isinstance(values, dict):
                    ids.update(v for v in map(values.get, refs) if type(v) is str)
            elif type(values) is str and op["field"] in refs:
                ids.add(values)
        self.read_ids = ids  # what a concurrent batch must not have touched for this merge to stand
        self.records: dict[str, _Rec] = {}
        for rid, entity, learner, review, created in db.rows_in(
                c, "SELECT record_id, entity, learner_id, review_id, created_hlc FROM records WHERE record_id {in}",
                sorted(ids)):
            self.records[rid] = _Rec(entity, learner, review, created)
        reviews = {rid for rid, rec in self.records.items() if rec.entity == "reviews"}
        reviews |= {rec.review_id for rec in self.records.values() if rec.review_id}
        ids |= reviews
        ids |= {rec.learner_id for rec in self.records.values() if rec.learner_id}
        # A review is created as a draft: it is finalised only by a changed `status`, a row of `fields`.
        self.status: dict[str, str | None] = {}
        for rid, value in db.rows_in(c, "SELECT record_id, value FROM fields WHERE field = 'status' AND record_id {in}",
                                     sorted(reviews)):
            self.status[rid] = json.loads(value)
        edited = sorted({op["record_id"] for op in ops if op["field"] != P.CREATE_FIELD} & set(self.records))
        # Rows of `fields` (changes since creation) and the creation's values of the records edited.
        self.fields: dict[tuple[str, str], tuple[str, str]] = {}
        self.created: dict[str, dict] = {}
        for rid, name, hlc, value in db.rows_in(c, "SELECT record_id, field, hlc, value FROM fields WHERE record_id {in}",
                                                edited):
            self.fields[(rid, name)] = (hlc, value)
        self.created.update(db.creation_values(c, edited))
        self.caseload: set[str] | None = None

    def _current(self, rid: str, field: str, rec: _Rec) -> tuple[str, str]:
        """A field's stamp and value (canonical JSON): its row of `fields` if it changed since the
        record's creation, else the creation's value under the creation's stamp."""
        row = self.fields.get((rid, field))
        if row is not None:
            return row
        return rec.created_hlc, _canon(self.created.get(rid, {}).get(field))

    def renumber(self, seen: int, head: int, results: list[dict]) -> None:
        """Moves the numbers this batch gave after `seen` to follow `head` (batches committed meanwhile)."""
        shift = head - seen
        if not shift:
            return
        self.op_rows = [(row[0] + shift,) + row[1:] for row in self.op_rows]
        for r in results:
            if r["seq"] is not None and r["seq"] > seen:
                r["seq"] += shift
        self.seq += shift

    def _result(self, op, status, reason=None, seq=None) -> dict:
        return {"hlc": op["hlc"], "status": status, "reason": reason, "seq": seq}

    def apply(self, op: dict) -> dict:
        dup = self.known.get(op["hlc"])
        if dup is not None:
            return self._result(op, "duplicate", dup[1], dup[0])
        if op["device_id"] != self.p.device_id:
            return self._result(op, "rejected", "device_mismatch")
        if P.stamp_wall(op["hlc"]) > self.now + P.MAX_CLOCK_SKEW_MS:
            return self._result(op, "rejected", "clock_ahead")
        # Whether an operation makes sense depends on it alone: a batch merged again (under the
        # lock, after a concurrent write) does not check its operations again.
        invalid = self.invalid.get(id(op))
        if invalid is None:
            invalid = self.invalid[id(op)] = P.op_meaning_problem(op) is not None
        if invalid:
            return self._result(op, "rejected", "invalid")
        if op["field"] == P.CREATE_FIELD:
            return self._create(op)
        return self._edit(op)

    def _log(self, op: dict, held: str | None) -> int:
        self.seq += 1
        resolves = op.get("resolves")
        self.op_rows.append((
            self.seq, op["hlc"], op["entity"], op["record_id"], op["learner_id"], op["field"],
            _canon_creation(op["value"]) if op["field"] == P.CREATE_FIELD else _canon(op["value"]),
            op["prev_hlc"], op["device_id"], op["author"], _canon(resolves) if resolves else None, held, self.now))
        self.known[op["hlc"]] = (self.seq, held)
        return self.seq

    def _create(self, op: dict) -> dict:
        ent = model.ENTITIES[op["entity"]]
        values = op["value"]
        rid = op["record_id"]
        if rid in self.records:
            return self._result(op, "rejected", "duplicate_record")
        review_id = None
        if ent.parent_entity == "learners":
            parent = self.records.get(values["learner_id"])
            if parent is None or parent.entity != "learners":
                return self._result(op, "rejected", "unknown_record")
            if ent.frozen_with_review and values.get("review_id"):
                # An attachment to a review: frozen with it, as the review's own records are.
                review = self.records.get(values["review_id"])
                if review is None or review.entity != "reviews" or review.learner_id != op["learner_id"]:
                    return self._result(op, "rejected", "unknown_record")
                review_id = values["review_id"]
                if self.status.get(review_id) == "finalised":
                    return self._result(op, "held", "finalised", self._log(op, "finalised"))
        elif ent.parent_entity == "reviews":
            parent = self.records.get(values["review_id"])
            if parent is None or parent.entity != "reviews":
                return self._result(op, "rejected", "unknown_record")
            if parent.learner_id != op["learner_id"]:
                return self._result(op, "rejected", "wrong_learner")
            review_id = values["review_id"]
            if ent.frozen_with_review and self.status.get(review_id) == "finalised":
                return self._result(op, "held", "finalised", self._log(op, "finalised"))
        for name, kind in _OTHER_REFS[ent.name]:
            target = values.get(name)
            if target is not None:
                found = self.records.get(target)
                if found is None or found.entity != kind:
                    return self._result(op, "rejected", "unknown_record")
                if ent.name in model.FUNDING_ENTITIES and found.learner_id not in (None, op["learner_id"]):
                    return self._result(op, "rejected", "wrong_learner")  # funding links stay in one learner's PEP
        seq = self._log(op, None)
        self.records[rid] = _Rec(ent.name, op["learner_id"], review_id, op["hlc"])
        self.record_rows.append((rid, ent.name, op["learner_id"], review_id, op["hlc"]))
        # The creation's values stay in its operation (the log): `fields` gets a row only when a
        # field changes, and for the few fields looked up by value (an attachment's content hash).
        self.created[rid] = values
        for k in _INDEXED_FIELDS.get(ent.name, ()):
            if k in values:
                self.new_fields[(rid, k)] = self.fields[(rid, k)] = (op["hlc"], _canon(values[k]))
        if ent.name == "reviews":
            self.status[rid] = values.get("status")
        if ent.name == "learners" and self.p.role not in ("coordinator", "administrator"):
            if self.caseload is None:
                self.caseload = {r[0] for r in self.conn.execute(
                    select(db.caseloads.c.learner_id).where(db.caseloads.c.user_id == self.p.user_id))}
            if rid not in self.caseload:
                self.caseload.add(rid)
                self.caseload_rows.append(dict(user_id=self.p.user_id, learner_id=rid, assigned_at=self.now))
        if ent.name == "enrolments":
            self.enrolments[rid] = op["learner_id"]
        return self._result(op, "applied", None, seq)

    def _edit(self, op: dict) -> dict:
        rid = op["record_id"]
        rec = self.records.get(rid)
        if rec is None or rec.entity != op["entity"]:
            return self._result(op, "rejected", "unknown_record")
        if rec.learner_id != op["learner_id"]:
            return self._result(op, "rejected", "wrong_learner")
        f = model.ENTITIES[op["entity"]].by_name[op["field"]]
        if f.kind == "ref" and op["value"] is not None:
            target = self.records.get(op["value"])
            if target is None or target.entity != f.ref:
                return self._result(op, "rejected", "unknown_record")
        # What is frozen with a finalised review: the review and its sections' records (not the
        # coordinator's quality rating, which is made after finalising).
        review_id = rid if rec.entity == "reviews" else (rec.review_id if rec.entity in FROZEN else None)
        if review_id is not None:
            if self.status.get(review_id) == "finalised":
                return self._result(op, "held", "finalised", self._log(op, "finalised"))
            if rec.entity == "reviews" and op["field"] in P.LIFECYCLE_FIELDS and self._changed_elsewhere(review_id):
                return self._result(op, "held", "stale_finalise", self._log(op, "stale_finalise"))
        if rec.entity == "funding_requests" and self.p.role != "coordinator":
            # A request approved or declined is the coordinator's decision: its requester (or
            # anyone else) cannot change it afterwards, not even by sending it back as "requested".
            status = self._current(rid, "status", rec)
            if json.loads(status[1]) in funding.FINAL:
                return self._result(op, "rejected", "not_permitted")
        key = (rid, op["field"])
        cur_hlc, cur_value = self._current(rid, op["field"], rec)
        new_value = _canon(op["value"])
        concurrent = op["prev_hlc"] != cur_hlc and new_value != cur_value
        seq = self._log(op, None)
        if op["hlc"] > cur_hlc:
            if key in self.fields and key not in self.new_fields:
                self.changed_fields[key] = (op["hlc"], new_value)
            else:
                self.new_fields[key] = (op["hlc"], new_value)
            self.fields[key] = (op["hlc"], new_value)
            if rec.entity == "reviews" and op["field"] == "status":
                self.status[rid] = op["value"]
            if rec.entity == "enrolments":
                self.enrolments[rid] = rec.learner_id
            return self._result(op, "conflict" if concurrent else "applied", None, seq)
        return self._result(op, "conflict" if concurrent else "superseded", None, seq)

    def _changed_elsewhere(self, review_id: str) -> bool:
        """Did another device change this review (or what belongs to it) after the pushing
        device's cursor? Then its finalisation did not see those changes. Answered for every
        review the batch finalises at the first question (a first push finalises thousands; the
        merge reads only what is committed, which does not change while it runs)."""
        if review_id not in self.stale:
            wanted = sorted({op["record_id"] for op in self.ops if op["entity"] == "reviews"
                             and op["field"] in P.LIFECYCLE_FIELDS} - set(self.stale) | {review_id})
            if self.cursor >= self.head:
                # The device had every operation committed: nothing came after its cursor (a
                # first push is answered here, batch after batch).
                self.stale.update(dict.fromkeys(wanted, False))
                return False
            o, rec = db.ops.c, db.records.c
            for chunk in _chunks(wanted, 200):
                review_of = {r: r for r in chunk}
                for child, review in self.conn.execute(select(rec.record_id, rec.review_id).where(and_(
                        rec.review_id.in_(chunk), rec.entity.in_(sorted(FROZEN))))):
                    review_of[child] = review
                # A review's records carry its learner in every operation kept (see _create and
                # _edit): the log is read by learner from the cursor on (its index), not by record.
                learners = sorted({self.records[r].learner_id for r in chunk if r in self.records} - {None})
                touched = set()
                for ids in _chunks(sorted(review_of)):
                    touched |= {review_of[r[0]] for r in self.conn.execute(
                        select(o.record_id).distinct().where(and_(
                            o.learner_id.in_(learners), o.seq > self.cursor, o.record_id.in_(ids),
                            o.device_id != self.p.device_id, o.held.is_(None))))}
                for r in chunk:
                    self.stale[r] = r in touched
        return self.stale[review_id]

    def flush(self) -> None:
        c = self.conn
        if self.op_rows:
            _insert_many(c, db.ops, _OP_COLUMNS, self.op_rows)
        if self.record_rows:
            _insert_many(c, db.records, _RECORD_COLUMNS, self.record_rows)
        if self.new_fields:
            _insert_many(c, db.fields, ("record_id", "field", "hlc", "value"),
                         [(k[0], k[1], v[0], v[1]) for k, v in self.new_fields.items()])
        if self.changed_fields:
            c.execute(_UPDATE_FIELDS, [dict(b_record=k[0], b_field=k[1], b_hlc=v[0], b_value=v[1])
                                       for k, v in self.changed_fields.items()])
        if self.caseload_rows:
            c.execute(_INSERT_CASELOADS, self.caseload_rows)
        if self.enrolments:
            db.index_enrolments(c, self.enrolments)

# --- pull -------------------------------------------------------------------------------

def pull(engine: Engine, p: Principal, body: dict, fault=None) -> dict:
    cursor = body["cursor"]
    limit = body.get("limit", P.DEFAULT_PAGE_OPS)
    o = db.ops
    with engine.connect() as conn:
        head = conn.execute(select(db.counters.c.value).where(db.counters.c.name == "seq")).scalar_one()
        if cursor > head:
            raise ServiceError(409, "snapshot_required",
                               "the server does not know this cursor (it was restored or reset): start again from 0")
        scope = None
        visible = None
        if "scope_digest" in body or "learners" in body:
            visible = visible_learners(conn, p)
        if "scope_digest" in body:
            digest = P.scope_digest(visible)
            scope = {"digest": digest, "learners": None if body["scope_digest"] == digest else sorted(visible)}
        until = head
        if "learners" in body:
            wanted = body["learners"]
            outside = [lid for lid in wanted if lid not in visible]
            if outside:
                raise ServiceError(403, "out_of_scope", "some learners asked for are outside your caseload or school")
            until = min(body.get("until", head), head)
            cond = o.c.learner_id.in_(wanted) if wanted else o.c.seq < 0
        elif p.role == "coordinator":
            cond = None
        elif p.role == "administrator":
            cond = o.c.learner_id.is_(None)
        else:
            cond = or_(o.c.learner_id.is_(None), _scope_condition(p, o.c.learner_id))
        where = and_(o.c.seq > cursor, o.c.seq <= until, *(() if cond is None else (cond,)))
        rows = conn.execute(select(o.c.seq, o.c.hlc, o.c.entity, o.c.record_id, o.c.learner_id, o.c.field, o.c.value,
                                   o.c.prev_hlc, o.c.device_id, o.c.author, o.c.resolves, o.c.held)
                            .where(where).order_by(o.c.seq).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    # The page is written as JSON text around each operation's stored value, which is already
    # canonical JSON (decoding and encoding every value again was most of a page's cost). A page
    # also stops at MAX_PAGE_BYTES of values, so a page of large creations stays a sensible size.
    parts, size = [], 0
    q = _QUOTE
    for r in rows:
        size += len(r.value)
        if parts and size > P.MAX_PAGE_BYTES:
            more = True
            break
        # Stamps, ids, kinds of record and reasons were checked against their patterns on the way
        # in (nothing in them to escape); the field's name and the author are quoted.
        learner = "null" if r.learner_id is None else '"' + r.learner_id + '"'
        prev = "null" if r.prev_hlc is None else '"' + r.prev_hlc + '"'
        held = "null" if r.held is None else '"' + r.held + '"'
        parts.append(
            f'{{"hlc":"{r.hlc}","entity":"{r.entity}","record_id":"{r.record_id}","learner_id":{learner},'
            f'"field":{q(r.field)},"value":{r.value},"prev_hlc":{prev},"device_id":"{r.device_id}",'
            f'"author":{q(r.author)},"seq":{int(r.seq)},"held":{held}'
            + (f',"resolves":{r.resolves}}}' if r.resolves else "}"))
    new_cursor = rows[len(parts) - 1].seq if more else max(until, cursor)
    if fault:
        fault("pull")
    log.info("pull device=%s cursor=%d ops=%d more=%s%s", p.device_id, cursor, len(parts), more,
             " backfill" if "learners" in body else "")
    rest = json.dumps({"cursor": new_cursor, "more": more, "head": head, "server_time": now_ms(), "scope": scope},
                      ensure_ascii=False, separators=(",", ":"))
    return JSONText('{"ops":[' + ",".join(parts) + "]," + rest[1:])


class JSONText(str):
    """An answer already written as JSON (the HTTP layer sends it as it is)."""


class PushAnswer(dict):
    """A push's answer; `cursor`, when set, goes in P.HEADER_PUSH_CURSOR."""

    cursor: int | None = None


def health(engine: Engine) -> dict:
    """Up, and the database answers (an OperationalError here is a 503)."""
    from . import __version__

    with engine.connect() as conn:
        conn.execute(select(1)).scalar_one()
    return {"status": "ok", "database": "ok", "api": P.API, "version": __version__, "server_time": now_ms()}


def gauges(engine: Engine) -> None:
    """Sets the gauges read from the database, just before /metrics answers."""
    with engine.connect() as conn:
        metrics.HEAD.set(_head(conn))
        metrics.DEVICES.set(conn.execute(select(func.count()).select_from(db.devices).where(
            db.devices.c.revoked_at.is_(None))).scalar_one())


def head(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.coalesce(func.max(db.ops.c.seq), 0))).scalar_one()
