"""HTTP to the sync server with `requests`: HTTPS verified by default (an authority's own CA
bundle may be given), plain HTTP only to loopback, timeouts on connecting and reading, a cap on
the size of an answer, and every failure turned into a plain sentence with its own exit code:
NetworkError (cannot reach, timeout, untrusted certificate), ServerError (an answer the protocol
does not allow: HTML, truncated or malformed JSON, an unexpected status), DeviceRevoked,
ClockOff. Nothing here touches the store.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import orjson
import requests

from .. import __version__
from ..errors import ClockOff, DeviceRevoked, NetworkError, ServerError, UntrustedServer, UsageError, describe_os_error
from ..i18n import _
from . import protocol as P

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0
MAX_RESPONSE_BYTES = 256 * 1024 * 1024


class NotFound(Exception):
    """A 404 (not_found: not sent yet) or 410 (gone) from the server; the code is the argument."""

    @property
    def gone(self) -> bool:
        return self.args[0] == "gone"


def path_error_code(raw: bytes) -> str:
    try:
        return json.loads(raw.decode("utf-8"))["error"]["code"]
    except (ValueError, UnicodeDecodeError, KeyError, TypeError):
        return "not_found"


class Refusal(Exception):
    """A well-formed error answer the caller handles itself (403 with operations, 409 snapshot)."""

    def __init__(self, status: int, code: str, message: str, error: dict):
        super().__init__(message)
        self.status, self.code, self.message, self.error = status, code, message, error


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def normalise_server_url(url: str) -> str:
    """The server's base URL, or UsageError: https, or http to this computer only."""
    url = (url or "").strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UsageError(_("{url} is not a server address (expected https://…).").format(url=url))
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise UsageError(_(
            "Refusing plain http:// to {host}: the connection would not be encrypted. Use https://, "
            "or http:// only to this computer (127.0.0.1) for testing.").format(host=parts.hostname))
    if parts.query or parts.fragment:
        raise UsageError(_("{url} is not a server address (expected https://…).").format(url=url))
    return url


class Transport:
    """One server; `token` once enrolled. `ca_pem`: extra trusted CA certificates (PEM text)."""

    def __init__(self, base_url: str, *, token: str | None = None, ca_pem: str | None = None,
                 timeout: float = READ_TIMEOUT, connect_timeout: float = CONNECT_TIMEOUT):
        self.base_url = normalise_server_url(base_url)
        self.token = token
        self.timeout = (connect_timeout, timeout)
        self.session = requests.Session()
        self.session.trust_env = False  # no proxies from the environment for personal data
        # What the server said it takes (response headers); until it says, what every server takes.
        self.max_page_ops = P.MAX_PAGE_OPS
        self.max_batch_ops = P.MAX_BATCH_OPS
        self.push_cursor: int | None = None   # P.HEADER_PUSH_CURSOR of the last answer
        self._ca_file = None
        if ca_pem:
            # requests wants a file; a CA certificate is public, so a temporary file is harmless.
            fd, path = tempfile.mkstemp(prefix="vsm-ca-", suffix=".pem")
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(ca_pem)
            self._ca_file = path
            self.session.verify = path
        else:
            self.session.verify = True

    def close(self) -> None:
        self.session.close()
        if self._ca_file:
            try:
                os.unlink(self._ca_file)
            except OSError:
                pass
            self._ca_file = None

    def __enter__(self) -> "Transport":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- one request --------------------------------------------------------------------

    def post(self, path: str, body: dict) -> dict:
        return self._request("POST", path, body)

    def get(self, path: str) -> dict:
        return self._request("GET", path, None)

    def _request(self, method: str, path: str, body: dict | None) -> dict:
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = encode_json(body)
        status, media, raw = self._send(method, path, data, headers)
        return self._interpret(status, media, raw, urlsplit(self.base_url).hostname)

    # --- attachments' content: raw bytes both ways (vsm_desktop.attachments.sync) ------------

    def get_bytes(self, path: str) -> bytes:
        """The raw body of a 200; NotFound for a 404; otherwise the usual errors."""
        status, media, raw = self._send("GET", path, None, {"Accept": "application/octet-stream, application/json"})
        if status == 200 and media == "application/octet-stream":
            return raw
        return self._answer_or_not_found(status, media, raw)

    def get_json(self, path: str) -> dict:
        status, media, raw = self._send("GET", path, None, {"Accept": "application/json"})
        return self._answer_or_not_found(status, media, raw)

    def put_bytes(self, path: str, data: bytes, headers: dict[str, str]) -> dict:
        status, media, raw = self._send("PUT", path, data, {"Accept": "application/json",
                                                            "Content-Type": "application/octet-stream", **headers})
        return self._answer_or_not_found(status, media, raw)

    def _answer_or_not_found(self, status: int, media: str, raw: bytes):
        if status in (404, 410) and media == "application/json":
            raise NotFound(path_error_code(raw))
        host = urlsplit(self.base_url).hostname
        if status in (413, 422) and media == "application/json":
            try:
                code, message, error = P.check_error(json.loads(raw.decode("utf-8")))
            except (P.ProtocolError, ValueError, UnicodeDecodeError):
                pass
            else:
                raise Refusal(status, code, message, error)
        return self._interpret(status, media, raw, host)

    def _send(self, method: str, path: str, data: bytes | None, extra: dict[str, str]) -> tuple[int, str, bytes]:
        url = self.base_url + path
        headers = {"User-Agent": f"vsm-desktop/{__version__}", P.HEADER_CLIENT_TIME: str(client_time_ms()), **extra}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        host = urlsplit(self.base_url).hostname
        started = time.perf_counter()
        self.push_cursor = None
        try:
            with self.session.request(method, url, data=data, headers=headers, timeout=self.timeout,
                                      stream=True, allow_redirects=False) as response:
                raw = self._read_capped(response)
                status = response.status_code
                media = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if 200 <= status < 300:
                    self._note_limits(response.headers)
                    self.push_cursor = P.advertised_cursor(response.headers.get(P.HEADER_PUSH_CURSOR))
        except requests.exceptions.SSLError:
            raise UntrustedServer(_(
                "The server {host} did not prove who it is: its certificate is not trusted. If your authority "
                "uses its own certificate authority, give it with --ca-bundle.").format(host=host)) from None
        except requests.exceptions.Timeout:
            raise NetworkError(_("The server {host} did not answer in time; try again later.").format(host=host)) from None
        except requests.exceptions.ConnectionError:
            raise NetworkError(_("Cannot reach the server {host}. Check the connection and try again.").format(
                host=host)) from None
        except requests.exceptions.RequestException:
            raise NetworkError(_("Cannot reach the server {host}. Check the connection and try again.").format(
                host=host)) from None
        log.debug("%s %s -> %s in %.0f ms (%d bytes)", method, path, status, (time.perf_counter() - started) * 1000,
                  len(raw))
        return status, media, raw

    def _note_limits(self, headers) -> None:
        self.max_page_ops = P.advertised_limit(headers.get(P.HEADER_MAX_PAGE_OPS), P.MAX_PAGE_OPS, P.LARGE_PAGE_OPS)
        self.max_batch_ops = P.advertised_limit(headers.get(P.HEADER_MAX_BATCH_OPS), P.MAX_BATCH_OPS,
                                                P.LARGE_BATCH_OPS)

    def _read_capped(self, response) -> bytes:
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(1 << 20):
                size += len(chunk)
                if size > MAX_RESPONSE_BYTES:
                    raise ServerError(_("The server's answer is far too large; sync stopped and nothing was changed."))
                chunks.append(chunk)
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError):
            raise ServerError(_("The server's answer was cut off; nothing was changed. Try again.")) from None
        return b"".join(chunks)

    def _interpret(self, status: int, media: str, raw: bytes, host: str) -> dict:
        body = None
        if media == "application/json" or raw[:1] in (b"{", b"["):
            try:
                body = orjson.loads(raw)  # strict: no NaN or Infinity, UTF-8 only
            except ValueError:
                body = None
        if body is None:
            if raw.lstrip()[:1] == b"<" or media.startswith("text/html"):
                raise ServerError(_(
                    "{host} answered with a web page instead of sync data (HTTP {status}). Is the server address "
                    "right, or is a proxy or login page in the way?").format(host=host, status=status))
            if 500 <= status < 600:
                raise ServerError(_("The server had a problem (HTTP {status}); try again later.").format(status=status))
            raise ServerError(_("The server's answer could not be read (HTTP {status}); nothing was changed.").format(
                status=status))
        if 200 <= status < 300:
            if not isinstance(body, dict):
                raise ServerError(_("The server's answer could not be read (HTTP {status}); nothing was changed.").format(
                    status=status))
            return body
        try:
            code, message, error = P.check_error(body)
        except P.ProtocolError:
            if 500 <= status < 600:
                raise ServerError(_("The server had a problem (HTTP {status}); try again later.").format(status=status)) from None
            raise ServerError(_("The server's answer could not be read (HTTP {status}); nothing was changed.").format(
                status=status)) from None
        log.info("server refused: status=%s code=%s", status, code)
        if status == 401 and code == "revoked":
            raise DeviceRevoked(_(
                "This device has been revoked by your authority and can no longer sync. Your unsent changes "
                "are kept: save them with “vsm-desktop export-json --all --out FILE” and give the file to your "
                "administrator, who brings them to the server with “vsm-server import-handover”; they then "
                "reach your other devices."))
        if status == 401:
            raise DeviceRevoked(_(
                "The server no longer accepts this device (its enrolment has expired or is not valid). "
                "Ask your administrator for a new enrolment code and enrol again; unsent changes are kept."))
        if code == "clock_skew":
            raise ClockOff(_(
                "This computer's clock is more than 5 minutes away from the server's. Set the date, time and "
                "time zone correctly, then sync again."))
        if status in (403, 409):
            raise Refusal(status, code, message, error)
        if 500 <= status < 600:
            raise ServerError(_("The server had a problem (HTTP {status}); try again later.").format(status=status))
        raise ServerError(_("The server refused the request (HTTP {status}: {code}).").format(status=status, code=code))


def client_time_ms() -> int:
    """This computer's wall clock as sent to the server (which refuses a large skew)."""
    return time.time_ns() // 1_000_000


def encode_json(body) -> bytes:
    """A request's body as compact UTF-8 JSON. orjson writes a first push's batches about a hundred
    times faster than the standard library; what it cannot write (text that is not Unicode, a whole
    number beyond 64 bits) goes the standard library's way, which fails or succeeds as it always has."""
    try:
        return orjson.dumps(body)
    except orjson.JSONEncodeError:
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def read_ca_bundle(path: str | None) -> str | None:
    if not path:
        return None
    try:
        text = Path(path).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as e:
        reason = describe_os_error(e) if isinstance(e, OSError) else _("not a PEM file")
        raise UsageError(_("Cannot read the CA bundle {path}: {reason}").format(path=path, reason=reason)) from None
    if "-----BEGIN CERTIFICATE-----" not in text:
        raise UsageError(_("{path} holds no PEM certificate.").format(path=path))
    return text
