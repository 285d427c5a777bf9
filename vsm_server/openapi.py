"""The OpenAPI document of the sync API, built from the shared protocol's JSON Schemas.

The committed copy is `vsm_server/openapi.json`; regenerate it with
`python -m vsm_server.openapi` (a test fails while it differs from what the server serves).
"""

from __future__ import annotations

import json
from pathlib import Path

from vsm_desktop.sync import protocol as P

from . import __version__

COMMITTED = Path(__file__).resolve().parent / "openapi.json"


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _json(schema_ref: str, description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}}


def _body(schema_ref: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}}


CLIENT_TIME = {
    "name": P.HEADER_CLIENT_TIME, "in": "header", "required": False,
    "description": "The device's wall clock, Unix milliseconds. More than 5 minutes from the server's clock is "
                   "refused with 400 clock_skew (the error then carries the server's time).",
    "schema": {"type": "string", "pattern": "^[0-9]{1,15}$"},
}


CHUNK_MIB = 4
SHA256 = {"name": "sha256", "in": "path", "required": True, "description": "The content's SHA-256, lowercase hex",
          "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}
SEQ = {"name": "seq", "in": "path", "required": True, "description": "The chunk's number, from 0",
       "schema": {"type": "integer", "minimum": 0, "maximum": 1048575}}
FILE_SIZE = {"name": P.HEADER_FILE_SIZE, "in": "header", "required": True,
             "description": "The whole file's size in bytes", "schema": {"type": "string", "pattern": "^[0-9]{1,12}$"}}
FILE_STATUS_SCHEMA = {
    "type": "object", "additionalProperties": False,
    "required": ["sha256", "size", "complete", "chunk_size", "chunks"],
    "properties": {
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "size": {"type": "integer", "minimum": 1},
        "complete": {"type": "boolean"},
        "chunk_size": {"type": "integer", "minimum": 1},
        "chunks": {"type": "array", "items": {"type": "integer", "minimum": 0}},
    },
}
CHUNK_STORED_SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["sha256", "complete", "stored"],
    "properties": {"sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}, "complete": {"type": "boolean"},
                   "stored": {"type": "boolean", "description": "false when the chunk was already here"}},
}


_NUMBER = {"type": "string", "pattern": "^[0-9]{1,19}$"}
LIMIT_HEADERS = {
    P.HEADER_MAX_PAGE_OPS: {"description": f"The most operations this server sends in a page (a client asks for "
                                           f"more than {P.MAX_PAGE_OPS} only from a server that says so)",
                            "schema": _NUMBER},
    P.HEADER_MAX_BATCH_OPS: {"description": f"The most operations this server takes in a push (a client sends "
                                            f"more than {P.MAX_BATCH_OPS} only to a server that says so)",
                             "schema": _NUMBER},
}
PUSH_CURSOR_HEADER = {
    P.HEADER_PUSH_CURSOR: {"description": "Sent when the device had every operation up to the cursor it sent and "
                                          "nothing but this batch followed: the device may store this as its "
                                          "cursor instead of pulling its own operations back",
                           "schema": _NUMBER},
}


def _with_headers(response: dict, headers: dict) -> dict:
    return dict(response, headers=headers)


def document() -> dict:
    unavailable = {"503": _error("The server's database is unavailable; try again later (unavailable)")}
    clock = {"400": _error("A header is not valid, or the device's clock is more than 5 minutes off (clock_skew)"),
             **unavailable}
    common = {"400": _error("The body or a header is not valid, or the device's clock is far off (clock_skew)"),
              "413": _error("The body is larger than 16 MiB (payload_too_large)"),
              "415": _error("The body is not JSON"), **unavailable}
    authed = {"401": _error("No token, or a forged, expired or revoked one (code revoked)"), **common}
    authed_raw = {"401": authed["401"], **clock,
                  "413": _error("The chunk is larger than 4 MiB (payload_too_large)"),
                  "415": _error("The body is not application/octet-stream")}
    header = [{"$ref": "#/components/parameters/ClientTime"}]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "VSM sync API", "version": __version__,
            "description": (
                "Sync between VSM Desktop devices and their local authority's server. A device is enrolled "
                "once with a one-time code and then pushes its change log in idempotent batches and pulls "
                "the operations of the learners it may see, in pages after a cursor (a server sequence "
                "number). Per field the greatest hybrid-logical-clock stamp wins; concurrent different "
                "values are reported as conflicts and kept on the devices for a person to resolve. Devices send "
                f"their wall clock in the `{P.HEADER_CLIENT_TIME}` header (Unix milliseconds); a request whose "
                "clock is more than 5 minutes from the server's is refused with 400 clock_skew."),
        },
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {"device": {"type": "http", "scheme": "bearer",
                                           "description": "The device token received at enrolment"}},
            "parameters": {"ClientTime": CLIENT_TIME},
            "schemas": {
                "Op": P.OP_SCHEMA, "ServerOp": P.SERVER_OP_SCHEMA,
                "PushRequest": P.PUSH_REQUEST_SCHEMA, "PushResponse": P.PUSH_RESPONSE_SCHEMA,
                "PullRequest": P.PULL_REQUEST_SCHEMA, "PullResponse": P.PULL_RESPONSE_SCHEMA,
                "EnrolRequest": P.ENROL_REQUEST_SCHEMA, "EnrolResponse": P.ENROL_RESPONSE_SCHEMA,
                "Health": P.HEALTH_SCHEMA, "Error": P.ERROR_SCHEMA,
                "FileStatus": FILE_STATUS_SCHEMA, "ChunkStored": CHUNK_STORED_SCHEMA,
            },
        },
        "paths": {
            "/v1/health": {"get": {
                "operationId": "health", "summary": "Is the server up, and does its database answer",
                "parameters": header,
                "responses": {"200": _json("Health", "Up, and the database answers"), **clock},
            }},
            "/v1/openapi.json": {"get": {
                "operationId": "openapi", "summary": "This document",
                "parameters": header,
                "responses": {"200": {"description": "The OpenAPI document of this API",
                                      "content": {"application/json": {"schema": {"type": "object"}}}},
                              "400": clock["400"]},
            }},
            "/metrics": {"get": {
                "operationId": "metrics", "summary": "Prometheus metrics (text exposition format)",
                "description": "Requests by route and status, push and pull latency, operations received by "
                               "result, conflicts found and settled, the log's head, active devices. Counts "
                               "only: no names, devices or free text.",
                "responses": {"200": {"description": "Metrics",
                                      "content": {"text/plain": {"schema": {"type": "string"}}}}},
            }},
            "/v1/enrol": {"post": {
                "operationId": "enrol", "summary": "Enrol a device with a one-time code",
                "description": "Returns the device token and the user's signing certificate, issued by the "
                               "authority's CA for the key in the signing request. A code works once, for 24 hours.",
                "parameters": header,
                "requestBody": _body("EnrolRequest"),
                "responses": {"200": _json("EnrolResponse", "Enrolled"),
                              "403": _error("The code is unknown, used or expired (enrol_refused)"),
                              "409": _error("The server has no authority yet"), **common},
            }},
            "/v1/push": {"post": {
                "operationId": "push", "summary": "Send a batch of operations",
                "description": "Applied once however often the same batch is sent (operation stamps are "
                               "unique). One result per operation: applied, superseded, conflict, held "
                               "(kept, not applied: the review was finalised), duplicate, or rejected with "
                               "a reason. A batch with changes outside the user's scope is refused whole (403) "
                               "and names them.",
                "security": [{"device": []}],
                "parameters": header,
                "requestBody": _body("PushRequest"),
                "responses": {"200": _with_headers(_json("PushResponse", "One result per operation"),
                                                   {**LIMIT_HEADERS, **PUSH_CURSOR_HEADER}),
                              "403": _error("Outside the user's caseload or school (out_of_scope), or not "
                                            "permitted to the user's role (not_permitted)"),
                              "409": _error("The same changes are being applied by another request: send "
                                            "again (busy)"), **authed},
            }},
            "/v1/files/{sha256}": {"get": {
                "operationId": "fileStatus", "summary": "What the server holds of an attachment's content",
                "description": "Its size, whether it is complete (every chunk here and its SHA-256 checked) and "
                               "which chunks are here, so an interrupted upload resumes with the next one. "
                               "Only for a file an attachment record in the user's scope refers to.",
                "security": [{"device": []}],
                "parameters": [SHA256, *header],
                "responses": {"200": _json("FileStatus", "What is here"),
                              "403": _error("No attachment the user may see refers to this file (out_of_scope)"),
                              "404": _error("No device has sent this file yet (not_found)"),
                              "410": _error("The server had this file but no longer has all of it (gone)"),
                              **authed_raw},
            }},
            "/v1/files/{sha256}/chunks/{seq}": {
                "put": {
                    "operationId": "putFileChunk", "summary": "Upload one chunk of an attachment's content",
                    "description": f"The body is the chunk's raw bytes: {CHUNK_MIB} MiB, the last one shorter. "
                                   "Idempotent: a chunk the server has is not stored again. When the last chunk "
                                   "arrives the server checks the whole file's SHA-256; bytes that do not match "
                                   "are deleted and refused (hash_mismatch). Sent after the attachment's record "
                                   "(push), which must be in the user's scope.",
                    "security": [{"device": []}],
                    "parameters": [SHA256, SEQ, FILE_SIZE, *header],
                    "requestBody": {"required": True, "content": {"application/octet-stream": {
                        "schema": {"type": "string", "format": "binary"}}}},
                    "responses": {"200": _json("ChunkStored", "Stored (or already here)"),
                                  "403": _error("No attachment the user may see refers to this file (out_of_scope)"),
                                  "409": _error("The server knows this file with another size (size_mismatch)"),
                                  "413": _error("The file is larger than the server's limit (file_too_large)"),
                                  "422": _error("The file's bytes do not match its SHA-256 (hash_mismatch)"),
                                  **authed_raw},
                },
                "get": {
                    "operationId": "getFileChunk", "summary": "Download one chunk of an attachment's content",
                    "description": "The chunk's raw bytes, from a complete file; the device checks the whole "
                                   "file's SHA-256 before keeping it.",
                    "security": [{"device": []}],
                    "parameters": [SHA256, SEQ, *header],
                    "responses": {"200": {"description": "The chunk's bytes", "content": {
                                      "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
                                  "403": _error("No attachment the user may see refers to this file (out_of_scope)"),
                                  "404": _error("No device has sent this file yet (not_found)"),
                                  "410": _error("The server had this file but no longer has all of it (gone)"),
                                  **authed_raw},
                },
            },
            "/v1/pull": {"post": {
                "operationId": "pull", "summary": "Receive operations after a cursor",
                "description": "A page of the operations the user may see, after `cursor`, in sequence order, "
                               "with the new cursor and whether more follow. With `scope_digest` the answer "
                               "says which learners are in scope when that changed; with `learners` it "
                               "backfills the history of learners newly in scope, up to `until`.",
                "security": [{"device": []}],
                "parameters": header,
                "requestBody": _body("PullRequest"),
                "responses": {"200": _with_headers(_json("PullResponse", "A page"), LIMIT_HEADERS),
                              "403": _error("A learner asked for is outside the user's scope"),
                              "409": _error("The cursor is unknown to this server: start again from 0 "
                                            "(snapshot_required)"), **authed},
            }},
        },
    }


def text() -> str:
    return json.dumps(document(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    COMMITTED.write_text(text(), encoding="utf-8")
    print(COMMITTED)
