"""The sync wire protocol, shared by the client (`vsm_desktop.sync`) and the reference server
(`vsm_server`): constants, the JSON shapes of every request and response (as JSON Schema, from
which the server's OpenAPI document is built), and strict validators for both sides.

Nothing here does I/O or imports Qt; messages are English and meant for logs and API errors
(the client turns them into translated sentences).

An operation on the wire is a row of the store's change log (`ops`):

    hlc        its stamp, which is also its id: unique everywhere (it ends in the device id)
    entity     table of the domain model; record_id the record (32 hex)
    learner_id the learner the record belongs to (null only for schools and funding allocations)
    field      the field changed, or "*" for the record's creation (value = initial values)
    value      the new value, already in the stored form of the domain model
    prev_hlc   stamp of the value it replaced (null for a creation)
    device_id, author
    resolves   optional: stamps of conflict losers this change resolves (a person chose)

The server adds `seq` (its global sequence number) and `held` (null, or why the operation is
kept in the log but not applied: "finalised" = it reached the server after the review was
finalised; "stale_finalise" = a finalisation that had not seen changes made elsewhere).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..domain import model

API = "v1"
HEADER_CLIENT_TIME = "X-VSM-Client-Time"
HEADER_REQUEST_ID = "X-Request-Id"
HEADER_FILE_SIZE = "X-VSM-File-Size"   # an attachment chunk's upload: the whole file's size in bytes
# Sent by servers that take larger pages and batches than every server does (MAX_PAGE_OPS,
# MAX_BATCH_OPS): a client asks for more only from a server that said so, so old servers and old
# clients keep working with each other and with new ones.
HEADER_MAX_PAGE_OPS = "X-VSM-Max-Page-Ops"
HEADER_MAX_BATCH_OPS = "X-VSM-Max-Batch-Ops"
# On a push's answer, from servers that send it: the device had every operation up to the cursor it
# sent, and every operation after it up to this number is in the batch just answered, so the
# device may store this as its cursor rather than pull its own operations back.
HEADER_PUSH_CURSOR = "X-VSM-Push-Cursor"

MAX_BATCH_OPS = 500                        # every server takes pushes of this many operations
LARGE_BATCH_OPS = 2000                     # this server takes this many (it says so in HEADER_MAX_BATCH_OPS)
MAX_BATCH_BYTES = 4 * 1024 * 1024          # the client's target for one push body
MAX_BODY_BYTES = 16 * 1024 * 1024          # the server refuses larger bodies (413)
DEFAULT_PAGE_OPS = 1000
MAX_PAGE_OPS = 2000                        # every server sends pages of this many when asked
LARGE_PAGE_OPS = 10000                     # this server does (HEADER_MAX_PAGE_OPS)
MAX_PAGE_BYTES = 8 * 1024 * 1024           # a server ends a page early once its values pass this
MAX_BACKFILL_LEARNERS = 500
MAX_CLOCK_SKEW_MS = 5 * 60 * 1000
MAX_RESOLVES = 50
MAX_AUTHOR = 120

CREATE_FIELD = "*"
LIFECYCLE_FIELDS = ("status", "finalised_at", "finalised_by")
ROLES = ("designated_person", "social_worker", "mentor", "coordinator", "administrator")
RESULT_STATUSES = ("applied", "superseded", "conflict", "held", "duplicate", "rejected")
HELD_REASONS = ("finalised", "stale_finalise")
REJECT_REASONS = ("invalid", "unknown_record", "wrong_learner", "device_mismatch", "clock_ahead",
                  "duplicate_record", "out_of_scope", "not_permitted")
ERROR_CODES = ("bad_request", "unauthorised", "revoked", "forbidden", "out_of_scope", "not_permitted",
               "not_found", "method_not_allowed", "payload_too_large", "unsupported_media_type",
               "clock_skew", "snapshot_required", "enrol_refused", "not_initialised", "unavailable", "internal")

STAMP_RE = re.compile(r"\d{15}-\d{6}-[0-9a-f]{16}")
ID_RE = re.compile(r"[0-9a-f]{32}")
DEVICE_RE = re.compile(r"[0-9a-f]{16}")
DIGEST_RE = re.compile(r"[0-9a-f]{64}")
STAMP_PATTERN = "^[0-9]{15}-[0-9]{6}-[0-9a-f]{16}$"
ID_PATTERN = "^[0-9a-f]{32}$"
DEVICE_PATTERN = "^[0-9a-f]{16}$"
MAX_SEQ = 2 ** 62


class ProtocolError(ValueError):
    """A message that does not follow the protocol; `str()` says where and why (English)."""


def stamp_wall(stamp: str) -> int:
    return int(stamp[:15])


def stamp_device(stamp: str) -> str:
    return stamp[-16:]


# --- JSON Schemas (the OpenAPI document is built from these) ------------------------------

_STAMP = {"type": "string", "pattern": STAMP_PATTERN}
_ID = {"type": "string", "pattern": ID_PATTERN}
_SEQ = {"type": "integer", "minimum": 0, "maximum": MAX_SEQ}
_TIME = {"type": "integer", "minimum": 0, "description": "Server wall clock, Unix milliseconds"}

OP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["hlc", "entity", "record_id", "learner_id", "field", "value", "prev_hlc", "device_id", "author"],
    "properties": {
        "hlc": _STAMP | {"description": "Hybrid-logical-clock stamp; also the operation's id"},
        "entity": {"type": "string", "enum": list(model.ENTITIES)},
        "record_id": _ID,
        "learner_id": {"type": ["string", "null"], "pattern": ID_PATTERN},
        "field": {"type": "string", "minLength": 1, "maxLength": 64,
                  "description": "Field changed, or '*' for the record's creation"},
        "value": {"description": "New value in the domain model's stored form; for '*' an object of initial values"},
        "prev_hlc": {"type": ["string", "null"], "pattern": STAMP_PATTERN},
        "device_id": {"type": "string", "pattern": DEVICE_PATTERN},
        "author": {"type": "string", "maxLength": MAX_AUTHOR},
        "resolves": {"type": "array", "maxItems": MAX_RESOLVES, "items": _STAMP,
                     "description": "Stamps of conflict losers this change resolves"},
    },
}
SERVER_OP_SCHEMA: dict[str, Any] = {
    **OP_SCHEMA,
    "required": OP_SCHEMA["required"] + ["seq", "held"],
    "properties": OP_SCHEMA["properties"] | {
        "seq": {"type": "integer", "minimum": 1, "maximum": MAX_SEQ},
        "held": {"type": ["string", "null"], "enum": list(HELD_REASONS) + [None]},
    },
}
PUSH_REQUEST_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["batch_id", "cursor", "ops"],
    "properties": {
        "batch_id": _ID | {"description": "Chosen by the client; a batch sent again is applied once"},
        "cursor": _SEQ | {"description": "The last server sequence number the client has applied"},
        "ops": {"type": "array", "minItems": 1, "maxItems": LARGE_BATCH_OPS, "items": OP_SCHEMA,
                "description": f"At most {MAX_BATCH_OPS} unless the server's {HEADER_MAX_BATCH_OPS} allows more"},
    },
}
PUSH_RESULT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["hlc", "status", "reason", "seq"],
    "properties": {
        "hlc": _STAMP,
        "status": {"type": "string", "enum": list(RESULT_STATUSES)},
        "reason": {"type": ["string", "null"], "enum": list(REJECT_REASONS) + list(HELD_REASONS) + [None]},
        "seq": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_SEQ},
    },
}
PUSH_RESPONSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["batch_id", "results", "server_time"],
    "properties": {
        "batch_id": _ID,
        "results": {"type": "array", "maxItems": LARGE_BATCH_OPS, "items": PUSH_RESULT_SCHEMA},
        "server_time": _TIME,
    },
}
PULL_REQUEST_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["cursor"],
    "properties": {
        "cursor": _SEQ | {"description": "Operations after this server sequence number"},
        "limit": {"type": "integer", "minimum": 1, "maximum": LARGE_PAGE_OPS,
                  "description": f"At most {MAX_PAGE_OPS} unless the server's {HEADER_MAX_PAGE_OPS} allows more"},
        "scope_digest": {"type": ["string", "null"], "pattern": "^[0-9a-f]{64}$",
                         "description": "Digest of the learner scope the client knows; the list comes back only when it changed"},
        "learners": {"type": "array", "maxItems": MAX_BACKFILL_LEARNERS, "items": _ID,
                     "description": "Backfill: only these learners' operations, up to `until`"},
        "until": _SEQ,
    },
}
SCOPE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["digest", "learners"],
    "properties": {
        "digest": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "learners": {"type": ["array", "null"], "items": _ID},
    },
}
PULL_RESPONSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["ops", "cursor", "more", "head", "server_time", "scope"],
    "properties": {
        "ops": {"type": "array", "maxItems": LARGE_PAGE_OPS, "items": SERVER_OP_SCHEMA},
        "cursor": _SEQ | {"description": "Store this with the page; ask for what follows it next"},
        "more": {"type": "boolean"},
        "head": _SEQ | {"description": "The server's latest sequence number (for progress)"},
        "server_time": _TIME,
        "scope": {"oneOf": [{"type": "null"}, SCOPE_SCHEMA]},
    },
}
ENROL_REQUEST_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["code", "device_id", "csr_pem"],
    "properties": {
        "code": {"type": "string", "minLength": 4, "maxLength": 64},
        "device_id": {"type": "string", "pattern": DEVICE_PATTERN},
        "csr_pem": {"type": "string", "minLength": 1, "maxLength": 20000,
                    "description": "PKCS#10 request for the user's signing certificate; the key stays on the device"},
        "client_version": {"type": "string", "maxLength": 40},
    },
}
ENROL_RESPONSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["device_token", "device_id", "username", "role", "authority", "certificate_pem",
                 "ca_certificate_pem", "server_time"],
    "properties": {
        "device_token": {"type": "string", "minLength": 20, "maxLength": 200},
        "device_id": {"type": "string", "pattern": DEVICE_PATTERN},
        "username": {"type": "string", "minLength": 1, "maxLength": 120},
        "role": {"type": "string", "enum": list(ROLES)},
        # The person's name for documents and history (a server before it, or a user without one: absent/null).
        "display_name": {"type": ["string", "null"], "minLength": 1, "maxLength": 200},
        "authority": {
            "type": "object", "additionalProperties": False, "required": ["id", "name"],
            "properties": {"id": _ID, "name": {"type": "string", "minLength": 1, "maxLength": 200}},
        },
        "certificate_pem": {"type": "string", "minLength": 1, "maxLength": 20000},
        "ca_certificate_pem": {"type": "string", "minLength": 1, "maxLength": 20000},
        "server_time": _TIME,
    },
}
HEALTH_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["status", "database", "api", "version", "server_time"],
    "properties": {
        "status": {"type": "string", "enum": ["ok"]},
        "database": {"type": "string", "enum": ["ok"], "description": "The database answered"},
        "api": {"type": "string", "enum": [API]},
        "version": {"type": "string"},
        "server_time": _TIME,
    },
}
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["error", "request_id"],
    "properties": {
        "error": {
            "type": "object", "additionalProperties": False, "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "enum": list(ERROR_CODES)},
                "message": {"type": "string"},
                "ops": {"type": "array", "items": _STAMP, "description": "Operations refused (403)"},
                "server_time": _TIME,
            },
        },
        "request_id": {"type": "string"},
    },
}


# --- validators -------------------------------------------------------------------------

def _fail(path: str, problem: str) -> ProtocolError:
    return ProtocolError(f"{path}: {problem}" if path else problem)


def _object(obj: Any, path: str, required: tuple[str, ...] | list[str], optional: tuple[str, ...] = ()) -> dict:
    if not isinstance(obj, dict):
        raise _fail(path, "must be an object")
    missing = [k for k in required if k not in obj]
    if missing:
        raise _fail(path, f"missing {missing[0]!r}")
    unknown = sorted(set(obj) - set(required) - set(optional))
    if unknown:
        raise _fail(path, f"unknown field {unknown[0]!r}")
    return obj


def _int(value: Any, path: str, minimum: int = 0, maximum: int = MAX_SEQ) -> int:
    """A whole number in range; 12.0 counts as 12, as in JSON Schema. Returns it as an int."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise _fail(path, f"must be a whole number from {minimum} to {maximum}")
    return value


def _str(value: Any, path: str, pattern: re.Pattern | None = None, max_len: int = 1_000_000,
         min_len: int = 0) -> str:
    if not isinstance(value, str) or not min_len <= len(value) <= max_len:
        raise _fail(path, "must be text" + (f" of at most {max_len} characters" if max_len < 1_000_000 else ""))
    if pattern is not None and not pattern.fullmatch(value):
        raise _fail(path, "is not in the expected format")
    return value


def _optional(value: Any, check, *args) -> Any:
    return None if value is None else check(value, *args)


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(path, "must be true or false")
    return value


def _list(value: Any, path: str, max_items: int, min_items: int = 0) -> list:
    if not isinstance(value, list) or not min_items <= len(value) <= max_items:
        raise _fail(path, f"must be a list of {min_items} to {max_items} items")
    return value


_OP_REQUIRED = tuple(OP_SCHEMA["required"])


_OP_KEYS = frozenset(_OP_REQUIRED)
_SERVER_OP_KEYS = _OP_KEYS | {"seq", "held"}
_STAMP_OK = STAMP_RE.fullmatch
_ID_OK = ID_RE.fullmatch
_DEVICE_OK = DEVICE_RE.fullmatch


def check_op_shape(obj: Any, path: str = "op", *, from_server: bool = False) -> dict:
    """The structure of one operation (not yet the meaning of its value)."""
    # The usual operation passes these checks in a few steps (a first pull checks 100,000); any
    # other goes the long way below, which says where and why it fails.
    if type(obj) is dict and obj.keys() == (_SERVER_OP_KEYS if from_server else _OP_KEYS):
        lid, prev, entity, fld, author = obj["learner_id"], obj["prev_hlc"], obj["entity"], obj["field"], obj["author"]
        hlc, rid, device = obj["hlc"], obj["record_id"], obj["device_id"]
        if (type(hlc) is str and _STAMP_OK(hlc) and type(entity) is str and entity in model.ENTITIES
                and type(rid) is str and _ID_OK(rid) and (lid is None or type(lid) is str and _ID_OK(lid))
                and type(fld) is str and 0 < len(fld) <= 64 and (prev is None or type(prev) is str and _STAMP_OK(prev))
                and type(device) is str and _DEVICE_OK(device) and type(author) is str and len(author) <= MAX_AUTHOR
                and (not from_server or type(obj["seq"]) is int and 1 <= obj["seq"] <= MAX_SEQ
                     and (obj["held"] is None or obj["held"] in HELD_REASONS))):
            return obj
    return _check_op_shape(obj, path, from_server)


def _check_op_shape(obj: Any, path: str, from_server: bool) -> dict:
    required = _OP_REQUIRED + (("seq", "held") if from_server else ())
    op = _object(obj, path, required, ("resolves",))
    _str(op["hlc"], f"{path}.hlc", STAMP_RE)
    if not isinstance(op["entity"], str) or op["entity"] not in model.ENTITIES:
        raise _fail(f"{path}.entity", "is not a kind of record")
    _str(op["record_id"], f"{path}.record_id", ID_RE)
    _optional(op["learner_id"], _str, f"{path}.learner_id", ID_RE)
    _str(op["field"], f"{path}.field", max_len=64, min_len=1)
    _optional(op["prev_hlc"], _str, f"{path}.prev_hlc", STAMP_RE)
    _str(op["device_id"], f"{path}.device_id", DEVICE_RE)
    _str(op["author"], f"{path}.author", max_len=MAX_AUTHOR)
    if "resolves" in op:
        for i, s in enumerate(_list(op["resolves"], f"{path}.resolves", MAX_RESOLVES)):
            _str(s, f"{path}.resolves[{i}]", STAMP_RE)
    if from_server:
        op["seq"] = _int(op["seq"], f"{path}.seq", 1)
        if op["held"] is not None and op["held"] not in HELD_REASONS:
            raise _fail(f"{path}.held", "is not a known reason")
    return op


def op_meaning_problem(op: dict) -> str | None:
    """Why the operation cannot be applied to the domain model, or None.

    The value must already be in the model's stored form, so every replica stores exactly the
    same value; the record must belong to a learner (schools excepted); lifecycle fields are
    only set by finalising."""
    ent = model.ENTITIES[op["entity"]]
    if stamp_device(op["hlc"]) != op["device_id"]:
        return "the stamp was not made by the device named"
    if (op["learner_id"] is None) != (ent.name in model.AUTHORITY_ENTITIES):
        return "learner_id must be null exactly for schools and funding allocations"
    if ent.name == "learners" and op["learner_id"] != op["record_id"]:
        return "a learner's learner_id is its own id"
    if op["prev_hlc"] is not None and op["prev_hlc"] >= op["hlc"]:
        return "prev_hlc must be older than the operation"
    try:
        if op["field"] == CREATE_FIELD:
            values = op["value"]
            if not isinstance(values, dict) or not values:
                return "a creation's value must be an object of initial values"
            if op["prev_hlc"] is not None:
                return "a creation replaces nothing"
            clean = model.validate_record(ent.name, values, today=_far_future())
            if {k: v for k, v in clean.items() if v is not None} != values:
                return "values are not in their stored form"
            if ent.name == "reviews" and values.get("status") != "draft":
                return "a review is created as a draft"
            if ent.parent_entity == "learners" and values.get("learner_id") != op["learner_id"]:
                return "the record belongs to another learner"
        else:
            f = ent.by_name.get(op["field"])
            if f is None:
                return "unknown field"
            if ent.parent and op["field"] == ent.parent:
                return "a record cannot move to another parent"
            if ent.name == "reviews" and op["field"] in LIFECYCLE_FIELDS:
                if op["field"] == "status" and op["value"] != "finalised":
                    return "a review's status only changes by finalising"
            clean = model.validate_field(ent.name, op["field"], op["value"], today=_far_future())
            if clean != op["value"] or type(clean) is not type(op["value"]):
                if not (isinstance(clean, float) and isinstance(op["value"], float)):
                    return "the value is not in its stored form"
    except model.ValidationError as e:
        return f"{e.entity}.{e.field}: invalid value"
    return None


def _far_future():
    return _FAR_FUTURE


_FAR_FUTURE = dt.date(9999, 12, 31)


def check_push_request(obj: Any, max_ops: int = LARGE_BATCH_OPS) -> dict:
    body = _object(obj, "", ("batch_id", "cursor", "ops"))
    _str(body["batch_id"], "batch_id", ID_RE)
    body["cursor"] = _int(body["cursor"], "cursor")
    for i, op in enumerate(_list(body["ops"], "ops", max_ops, 1)):
        check_op_shape(op, f"ops[{i}]")
    return body


def check_push_response(obj: Any, sent: list[dict], batch_id: str) -> dict:
    body = _object(obj, "", ("batch_id", "results", "server_time"))
    if body["batch_id"] != batch_id:
        raise _fail("batch_id", "is not the batch sent")
    _int(body["server_time"], "server_time")
    results = _list(body["results"], "results", len(sent))
    if len(results) != len(sent):
        raise _fail("results", "has not one result per operation sent")
    for i, (res, op) in enumerate(zip(results, sent)):
        _object(res, f"results[{i}]", ("hlc", "status", "reason", "seq"))
        if res["hlc"] != op["hlc"]:
            raise _fail(f"results[{i}].hlc", "is not the operation sent")
        if res["status"] not in RESULT_STATUSES:
            raise _fail(f"results[{i}].status", "is not a known result")
        if res["reason"] is not None and res["reason"] not in REJECT_REASONS + HELD_REASONS:
            raise _fail(f"results[{i}].reason", "is not a known reason")
        if res["status"] in ("rejected", "held") and res["reason"] is None:
            raise _fail(f"results[{i}].reason", "is missing")
        if res["status"] == "rejected":
            if res["seq"] is not None:
                raise _fail(f"results[{i}].seq", "a rejected operation has no sequence number")
        else:
            res["seq"] = _int(res["seq"], f"results[{i}].seq", 1)
    return body


def check_pull_request(obj: Any, max_limit: int = LARGE_PAGE_OPS) -> dict:
    body = _object(obj, "", ("cursor",), ("limit", "scope_digest", "learners", "until"))
    body["cursor"] = _int(body["cursor"], "cursor")
    if "limit" in body:
        body["limit"] = _int(body["limit"], "limit", 1, max_limit)
    if body.get("scope_digest") is not None:
        _str(body["scope_digest"], "scope_digest", DIGEST_RE)
    if "learners" in body:
        for i, lid in enumerate(_list(body["learners"], "learners", MAX_BACKFILL_LEARNERS)):
            _str(lid, f"learners[{i}]", ID_RE)
    if "until" in body:
        body["until"] = _int(body["until"], "until")
    return body


def check_pull_response(obj: Any, cursor: int, limit: int) -> dict:
    body = _object(obj, "", ("ops", "cursor", "more", "head", "server_time", "scope"))
    _int(body["server_time"], "server_time")
    body["head"] = _int(body["head"], "head")
    new_cursor = body["cursor"] = _int(body["cursor"], "cursor")
    if new_cursor < cursor:
        raise _fail("cursor", "went backwards")
    _bool(body["more"], "more")
    ops = _list(body["ops"], "ops", max(limit, 0))
    last = cursor
    for i, op in enumerate(ops):
        check_op_shape(op, f"ops[{i}]", from_server=True)
        if op["seq"] <= last or op["seq"] > new_cursor:
            raise _fail(f"ops[{i}].seq", "is out of order")
        last = op["seq"]
        problem = op_meaning_problem(op)
        if problem:
            raise _fail(f"ops[{i}]", problem)
    if body["scope"] is not None:
        scope = _object(body["scope"], "scope", ("digest", "learners"))
        _str(scope["digest"], "scope.digest", DIGEST_RE)
        if scope["learners"] is not None:
            for i, lid in enumerate(_list(scope["learners"], "scope.learners", 10_000_000)):
                _str(lid, f"scope.learners[{i}]", ID_RE)
    return body


def check_enrol_response(obj: Any, device_id: str) -> dict:
    props = ENROL_RESPONSE_SCHEMA["properties"]
    body = _object(obj, "", tuple(ENROL_RESPONSE_SCHEMA["required"]), ("display_name",))
    _str(body["device_token"], "device_token", max_len=200, min_len=20)
    if body.get("display_name") is not None:
        _str(body["display_name"], "display_name", max_len=200, min_len=1)
    if body["device_id"] != device_id:
        raise _fail("device_id", "is not this device")
    _str(body["username"], "username", max_len=120, min_len=1)
    if body["role"] not in props["role"]["enum"]:
        raise _fail("role", "is not a known role")
    authority = _object(body["authority"], "authority", ("id", "name"))
    _str(authority["id"], "authority.id", ID_RE)
    _str(authority["name"], "authority.name", max_len=200, min_len=1)
    _str(body["certificate_pem"], "certificate_pem", max_len=20000, min_len=1)
    _str(body["ca_certificate_pem"], "ca_certificate_pem", max_len=20000, min_len=1)
    _int(body["server_time"], "server_time")
    return body


def check_error(obj: Any) -> tuple[str, str, dict]:
    """(code, message, error object) of an error response; ProtocolError if it is not one."""
    body = _object(obj, "", ("error", "request_id"))
    err = _object(body["error"], "error", ("code", "message"), ("ops", "server_time"))
    code = _str(err["code"], "error.code", max_len=64)
    message = _str(err["message"], "error.message", max_len=2000)
    if "ops" in err:
        for i, s in enumerate(_list(err["ops"], "error.ops", LARGE_BATCH_OPS)):
            _str(s, f"error.ops[{i}]", STAMP_RE)
    if "server_time" in err:
        _int(err["server_time"], "error.server_time")
    return code, message, err


def advertised_limit(value: str | None, floor: int, ceiling: int) -> int:
    """A limit a server advertised in a header: a whole number, kept within [floor, ceiling];
    floor when absent or not a number (an older server, or one that says nothing)."""
    if value is None or not value.isascii() or not value.strip().isdigit():
        return floor
    return max(floor, min(int(value.strip()), ceiling))


def advertised_cursor(value: str | None) -> int | None:
    """The cursor in HEADER_PUSH_CURSOR, or None (absent, or not a whole number in range)."""
    if value is None or not value.isascii() or not value.strip().isdigit():
        return None
    number = int(value.strip())
    return number if number <= MAX_SEQ else None


def scope_digest(learner_ids) -> str:
    import hashlib

    h = hashlib.sha256()
    for lid in sorted(learner_ids):
        h.update(lid.encode("ascii") + b"\n")
    return h.hexdigest()
