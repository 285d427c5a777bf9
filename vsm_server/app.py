"""The HTTP layer: a Starlette application over `service`. Every body is read with a size cap,
parsed strictly and validated against the shared protocol; every failure is a JSON error with a
4xx status (5xx only when the database is unavailable). Logs carry the request id, the device id
and counts, never names or free text.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
import uuid
from typing import Any, Callable

import orjson
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from vsm_desktop.sync import protocol as P

from . import files, metrics, openapi, service
from .service import ServiceError

log = logging.getLogger("vsm_server")
LIMITS = (str(P.LARGE_PAGE_OPS), str(P.LARGE_BATCH_OPS))
PUSH_SLOTS = 2  # one push's database waits overlap another's Python work; more only adds CPU contention


class Faults:
    """Test aid: `VSM_SERVER_FAULT="push_after_commit:2,pull:3,pull_delay:2.5"` ends the process
    (exit 99) the 2nd time a push has committed, the 3rd time a page is about to be answered, or
    delays every pull by 2.5 s. Unset in production: then it does nothing."""

    def __init__(self, spec: str | None):
        self.rules: dict[str, float] = {}
        self.hits: dict[str, int] = {}
        self.lock = threading.Lock()
        for part in (spec or "").split(","):
            if ":" in part:
                name, value = part.split(":", 1)
                self.rules[name.strip()] = float(value)

    def __call__(self, point: str) -> None:
        if point == "pull" and "pull_delay" in self.rules:
            time.sleep(self.rules["pull_delay"])
        if point not in self.rules:
            return
        with self.lock:
            self.hits[point] = self.hits.get(point, 0) + 1
            if self.hits[point] >= self.rules[point]:
                logging.getLogger("vsm_server").warning("fault injected at %s: exiting", point)
                os._exit(99)

    def __bool__(self) -> bool:
        return bool(self.rules)


def _json_response(body: Any, status: int = 200, request_id: str = "") -> Response:
    return Response(service.json_text(body), status_code=status,
                    media_type="application/json", headers={P.HEADER_REQUEST_ID: request_id} if request_id else None)


def _error(status: int, code: str, message: str, request_id: str, **extra) -> Response:
    return _json_response({"error": {"code": code, "message": message, **extra}, "request_id": request_id},
                          status, request_id)


async def _read_json(request: Request) -> Any:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        raise ServiceError(415, "unsupported_media_type", "the body must be application/json")
    length = request.headers.get("content-length")
    if length is not None:
        try:
            if int(length) > P.MAX_BODY_BYTES:
                raise ServiceError(413, "payload_too_large", "the body is too large")
        except ValueError:
            raise ServiceError(400, "bad_request", "Content-Length is not a number") from None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > P.MAX_BODY_BYTES:
            raise ServiceError(413, "payload_too_large", "the body is too large")
        chunks.append(chunk)
    try:
        # orjson: strict (no NaN or Infinity, UTF-8 only, a number too large for a double refused)
        # and about twice as fast as the standard library on a first push's batches.
        return orjson.loads(b"".join(chunks))
    except ValueError:
        raise ServiceError(400, "bad_request", "the body is not valid JSON") from None


# Requests about attachments' content carry raw bytes, not JSON: the handler is given the path's
# parameters, the headers and (for RAW) the body, read with a cap of one chunk.
PATH, RAW = "path", "raw"


async def _read_raw(request: Request) -> bytes:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/octet-stream":
        raise ServiceError(415, "unsupported_media_type", "the body must be application/octet-stream")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > files.CHUNK:
            raise ServiceError(413, "payload_too_large", "a chunk is at most 4 MiB")
        chunks.append(chunk)
    return b"".join(chunks)


def _seq(params: dict) -> int:
    try:
        seq = int(params["seq"])
    except ValueError:
        raise ServiceError(400, "bad_request", "the chunk number is not a number") from None
    if not 0 <= seq < 1 << 20:
        raise ServiceError(400, "bad_request", "no such chunk")
    return seq


def _file_size(headers) -> int:
    try:
        return int(headers.get(P.HEADER_FILE_SIZE, ""))
    except ValueError:
        raise ServiceError(400, "bad_request", f"{P.HEADER_FILE_SIZE} must give the file's size in bytes") from None


def create_app(engine, *, fault: Faults | None = None) -> Starlette:
    fault = fault if fault is not None else Faults(os.environ.get("VSM_SERVER_FAULT"))
    doc = openapi.document()

    # Pushes do their work in parallel and serialise only while numbering and inserting (see
    # service.push); a few at a time per process keeps threads and connections free for pulls.
    push_slots = asyncio.Semaphore(PUSH_SLOTS)

    def endpoint(handler: Callable, *, auth: bool, body: Callable | None, serialise: bool = False):
        async def run(request: Request) -> Response:
            request_id = uuid.uuid4().hex[:12]
            started = time.perf_counter()
            device = "-"
            try:
                principal = None
                if auth:  # who is asking first: no token is 401 whatever the clock says
                    principal = await run_in_threadpool(service.authenticate, engine,
                                                        request.headers.get("authorization"))
                    device = principal.device_id
                service.check_clock(request.headers.get(P.HEADER_CLIENT_TIME))
                payload = None
                if body in (PATH, RAW):
                    payload = {"path": request.path_params, "headers": request.headers,
                               "data": await _read_raw(request) if body == RAW else None}
                elif body is not None:
                    raw = await _read_json(request)
                    try:
                        payload = body(raw)
                    except P.ProtocolError as e:
                        raise ServiceError(400, "bad_request", str(e)) from None
                if serialise:
                    async with push_slots:
                        result = await run_in_threadpool(handler, principal, payload)
                else:
                    result = await run_in_threadpool(handler, principal, payload)
                if isinstance(result, bytes):
                    response = Response(result, media_type="application/octet-stream",
                                        headers={P.HEADER_REQUEST_ID: request_id})
                elif isinstance(result, service.JSONText):
                    response = Response(result.encode("utf-8"), media_type="application/json",
                                        headers={P.HEADER_REQUEST_ID: request_id})
                else:
                    response = _json_response(result, 200, request_id)
                    if getattr(result, "cursor", None) is not None:
                        response.headers[P.HEADER_PUSH_CURSOR] = str(result.cursor)
            except ServiceError as e:
                response = _error(e.status, e.code, e.message, request_id, **e.extra)
            except IntegrityError:
                # A key taken by a concurrent request: never "unavailable"; the device sends again.
                log.warning("concurrent write request=%s", request_id)
                response = _error(409, "busy", "a concurrent request changed the same data; send again", request_id)
            except (OperationalError, DBAPIError):
                log.exception("database unavailable request=%s", request_id)
                response = _error(503, "unavailable", "the server's database is unavailable; try again later",
                                  request_id)
            except Exception:  # pragma: no cover - a bug: still a JSON answer, and logged
                log.exception("internal error request=%s", request_id)
                response = _error(500, "internal", "internal error", request_id)
            # What this server takes: a client asks for more than every server takes only then.
            response.headers[P.HEADER_MAX_PAGE_OPS] = LIMITS[0]
            response.headers[P.HEADER_MAX_BATCH_OPS] = LIMITS[1]
            elapsed = time.perf_counter() - started
            metrics.observe_request(request.url.path, response.status_code, elapsed)
            log.info("request=%s %s %s status=%d device=%s ms=%.0f", request_id, request.method, request.url.path,
                     response.status_code, device, elapsed * 1000)
            return response

        return run

    async def prometheus(request: Request) -> Response:
        try:
            await run_in_threadpool(service.gauges, engine)
        except (OperationalError, DBAPIError):
            log.warning("metrics: database unavailable")
        body, media = metrics.render()
        metrics.observe_request("/metrics", 200, 0.0)
        return Response(body, media_type=media)

    put_chunk = endpoint(lambda p, b: files.put_chunk(engine, p, b["path"]["sha256"], _seq(b["path"]),
                                                      _file_size(b["headers"]), b["data"]), auth=True, body=RAW)
    get_chunk = endpoint(lambda p, b: files.get_chunk(engine, p, b["path"]["sha256"], _seq(b["path"])),
                         auth=True, body=PATH)

    async def chunk(request: Request) -> Response:   # one route, so 405 lists both methods
        return await (put_chunk if request.method == "PUT" else get_chunk)(request)

    routes = [
        Route("/v1/health", endpoint(lambda p, b: service.health(engine), auth=False, body=None), methods=["GET"]),
        Route("/metrics", prometheus, methods=["GET"]),
        Route("/v1/openapi.json", endpoint(lambda p, b: doc, auth=False, body=None), methods=["GET"]),
        Route("/v1/enrol", endpoint(lambda p, b: service.enrol(engine, b), auth=False,
                                    body=_check_enrol), methods=["POST"]),
        Route("/v1/push", endpoint(lambda p, b: service.push(engine, p, b, fault or None), auth=True,
                                   body=P.check_push_request, serialise=True), methods=["POST"]),
        Route("/v1/pull", endpoint(lambda p, b: service.pull(engine, p, b, fault or None), auth=True,
                                   body=P.check_pull_request), methods=["POST"]),
        Route("/v1/files/{sha256}", endpoint(lambda p, b: files.status(engine, p, b["path"]["sha256"]),
                                             auth=True, body=PATH), methods=["GET"]),
        Route("/v1/files/{sha256}/chunks/{seq}", chunk, methods=["GET", "PUT"]),
    ]

    async def http_error(request: Request, exc: HTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "bad_request")
        response = _error(exc.status_code, code, str(exc.detail), uuid.uuid4().hex[:12])
        for name, value in (exc.headers or {}).items():  # 405 carries Allow (RFC 9110)
            response.headers[name] = value
        return response

    return Starlette(routes=routes, exception_handlers={HTTPException: http_error})


def app_from_environment() -> Starlette:
    """The application of one worker process of `serve --workers N` (the database URL in VSM_SERVER_DB)."""
    from . import db

    logging.basicConfig(level=os.environ.get("VSM_SERVER_LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return create_app(db.make_engine(os.environ["VSM_SERVER_DB"]))


def _check_enrol(obj: Any) -> dict:
    body = P._object(obj, "", ("code", "device_id", "csr_pem"), ("client_version",))
    P._str(body["code"], "code", max_len=64, min_len=4)
    P._str(body["device_id"], "device_id", P.DEVICE_RE)
    P._str(body["csr_pem"], "csr_pem", max_len=20000, min_len=1)
    if "client_version" in body:
        P._str(body["client_version"], "client_version", max_len=40)
    return body
