"""The sync engine's core API, used by the command line and (later) the desktop application.

    client = SyncClient(store)                      # a Store this thread owns
    client.enrol(url, code, ca_pem=None)            # once per device
    result = client.sync(progress=cb, cancel=event) # push, then pull; blocking, resumable
    client.status()                                 # last success, changes waiting, conflicts
    client.conflicts(); client.resolve(id, "mine"|"theirs"|"value", value); client.dismiss(id)
    client.carry(id, review_id)                     # a held change into an amendment or next review

Threading: nothing here imports Qt. `sync()` blocks on the network, so the application runs it on
a worker thread with its own `Store` opened on the same file (`SyncClient.open(path, passphrase)`):
SQLite's WAL lets the UI's connection keep reading and writing; every transaction here is short
(one page or one batch), and the store stamps local changes after whatever sync wrote. `progress`
is called on the worker thread with a `Progress`; setting `cancel` (a `threading.Event`) stops
the sync between two requests with everything received so far kept.

State (all in the encrypted store's `meta` table): sync_server_url, sync_device_token,
sync_cursor, sync_ca_pem (an authority's own TLS CA, if any), sync_scope_digest,
sync_last_success, sync_last_error, sync_username, sync_role, sync_authority_id,
sync_authority_name, sync_display_name (the person's name as the server's administrator gave
it, if they did), authority_ca_pem, signing_key_pem, signing_cert_pem (the user's PDF signing
key and certificate: the key is made here and never leaves the device).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable

import orjson

from .. import __version__, profile
from ..domain import model
from ..errors import ClockOff, DeviceRevoked, Refused, ServerError, UsageError
from ..i18n import _
from ..perf import without_gc
from ..store import oplog
from ..store.store import CREATE_FIELD, LIFECYCLE_FIELDS, Store
from . import protocol as P
from .merge import REJECTED, Merger, remove_learners
from .transport import Refusal, Transport, normalise_server_url

log = logging.getLogger(__name__)

KEYS = ("sync_server_url", "sync_device_token", "sync_cursor", "sync_ca_pem", "sync_scope_digest",
        "sync_last_success", "sync_last_error", "sync_username", "sync_role", "sync_authority_id",
        "sync_authority_name", "authority_ca_pem", "signing_key_pem", "signing_cert_pem", "sync_revoked",
        "sync_display_name")
# The most asked for at once: a page is applied in bulk in one transaction, and fewer, larger
# transactions rewrite the change log's index pages fewer times. A server that has not said it takes
# more (P.HEADER_MAX_PAGE_OPS, P.HEADER_MAX_BATCH_OPS) is asked for what every server takes.
PAGE = P.LARGE_PAGE_OPS
BATCH = P.LARGE_BATCH_OPS


@dataclass
class Progress:
    phase: str            # "push", "scope", "pull", "files" (bytes of attachments), "done"
    done: int             # operations sent or received so far in this phase
    total: int | None     # how many in all, when known


@dataclass
class SyncResult:
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0          # new conflicts found in this sync
    rejected: int = 0           # own changes the server refused in this sync
    held: int = 0               # changes kept but not applied (finalised reviews)
    removed_learners: int = 0
    cancelled: bool = False
    cursor: int = 0
    results: dict[str, int] = field(default_factory=dict)
    changed_learners: list[str] = field(default_factory=list)  # learners other devices' changes reached
    files: object = None        # attachments' content moved after the records (attachments.sync.FilesResult)


@dataclass
class SyncStatus:
    enrolled: bool
    server_url: str | None
    username: str | None
    role: str | None
    authority: str | None
    last_success: str | None
    last_error: str | None
    revoked: bool
    unsent: int
    conflicts: int              # every open one, refused changes included
    refused: int                # of which: own changes the server refused
    cursor: int


@dataclass
class Conflict:
    id: int
    kind: str
    entity: str
    record_id: str
    learner_id: str | None
    field: str
    other_value: Any          # the value that lost (or was held, or refused)
    other_author: str
    other_stamp: str
    current_value: Any        # what the record holds now (None for a record that is not here)
    current_stamp: str | None
    current_author: str | None  # who made the current value (None for a record that is not here)
    reason: str | None
    detected_at: str
    resolved_at: str | None


class SyncClient:
    def __init__(self, store: Store, *, timeout: float | None = None,
                 transport_factory: Callable[..., Transport] | None = None):
        self.store = store
        self.timeout = timeout
        self._transport_factory = transport_factory or Transport

    @classmethod
    def open(cls, path, passphrase: str, **kw) -> "SyncClient":
        """A client with its own connection to the store, for a worker thread."""
        return cls(Store.open(path, passphrase), **kw)

    # --- state --------------------------------------------------------------------------

    def _meta(self) -> dict[str, str]:
        marks = ", ".join("?" * len(KEYS))
        return dict(self.store.conn.execute(f"SELECT key, value FROM meta WHERE key IN ({marks})", KEYS))

    def _set_meta(self, values: dict[str, str | None]) -> None:
        for key, value in values.items():
            if value is None:
                self.store.conn.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                self.store.conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE"
                                        " SET value = excluded.value", (key, str(value)))

    def _transport(self, meta: dict, *, token: bool = True) -> Transport:
        kw = {} if self.timeout is None else {"timeout": self.timeout}
        return self._transport_factory(meta["sync_server_url"], token=meta.get("sync_device_token") if token else None,
                                       ca_pem=meta.get("sync_ca_pem"), **kw)

    # --- enrolment ----------------------------------------------------------------------

    def enrol(self, server_url: str, code: str, *, ca_pem: str | None = None) -> dict:
        """Enrols this device: a signing key is made here, the server certifies it and gives a token."""
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import NameOID

        url = normalise_server_url(server_url)
        meta = self._meta()
        if meta.get("sync_authority_id") and int(meta.get("sync_cursor") or 0) > 0 and meta.get("sync_server_url") != url:
            raise UsageError(_("This store already syncs with {server}; it cannot be enrolled with another server.").format(
                server=meta["sync_server_url"]))
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        csr = (x509.CertificateSigningRequestBuilder()
               .subject_name(x509.Name([
                   # The person's name: the server puts its own record in the certificate, but
                   # what is asked for names a person, never a login.
                   x509.NameAttribute(NameOID.COMMON_NAME, (self.store.author or self.store.device_id)[:64]),
                   x509.NameAttribute(NameOID.SERIAL_NUMBER, self.store.device_id)]))
               .sign(key, hashes.SHA256()))
        body = {"code": code.strip(), "device_id": self.store.device_id, "client_version": __version__,
                "csr_pem": csr.public_bytes(serialization.Encoding.PEM).decode("ascii")}
        kw = {} if self.timeout is None else {"timeout": self.timeout}
        with self._transport_factory(url, ca_pem=ca_pem, **kw) as transport:
            try:
                answer = transport.post("/v1/enrol", body)
            except Refusal as e:
                if e.code == "enrol_refused":
                    raise Refused(_("The server did not accept the enrolment code: it is mistyped, already used "
                                    "or more than 24 hours old. Ask your administrator for a new one.")) from None
                raise ServerError(_("The server refused the enrolment ({code}).").format(code=e.code)) from None
        try:
            answer = P.check_enrol_response(answer, self.store.device_id)
            cert = x509.load_pem_x509_certificate(answer["certificate_pem"].encode("ascii"))
            ca_cert = x509.load_pem_x509_certificate(answer["ca_certificate_pem"].encode("ascii"))
            cert.verify_directly_issued_by(ca_cert)
            if cert.public_key().public_numbers() != key.public_key().public_numbers():
                raise ValueError("certificate for another key")
        except (P.ProtocolError, ValueError, TypeError, Exception) as e:
            log.info("enrolment answer refused: %s", e.__class__.__name__)
            raise ServerError(_("The server's enrolment answer was not valid; nothing was changed.")) from None
        key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode("ascii")
        with self.store.transaction():
            self._set_meta({
                "sync_server_url": url, "sync_device_token": answer["device_token"],
                "sync_cursor": meta.get("sync_cursor") or "0", "sync_ca_pem": ca_pem,
                "sync_username": answer["username"], "sync_role": answer["role"],
                "sync_authority_id": answer["authority"]["id"], "sync_authority_name": answer["authority"]["name"],
                "authority_ca_pem": answer["ca_certificate_pem"], "signing_key_pem": key_pem,
                "signing_cert_pem": answer["certificate_pem"], "sync_revoked": None, "sync_last_error": None,
                "sync_display_name": answer.get("display_name"),
            })
            # The authority's record of the person replaces the profile's name and role.
            display_name = answer.get("display_name")
            if isinstance(display_name, str) and display_name.strip():
                self.store.set_profile(display_name, profile.server_role(answer["role"]))
            elif not self.store.needs_profile:
                self.store.set_profile(self.store.author, profile.server_role(answer["role"]))
        log.info("device enrolled")
        return {"username": answer["username"], "role": answer["role"], "authority": answer["authority"]["name"],
                "display_name": answer.get("display_name")}

    # --- sync ---------------------------------------------------------------------------

    @without_gc  # many short-lived objects; the collector's passes would stall the app's UI thread
    def sync(self, progress: Callable[[Progress], None] | None = None,
             cancel: threading.Event | None = None) -> SyncResult:
        meta = self._meta()
        if not meta.get("sync_device_token"):
            raise UsageError(_("This store is not enrolled with a sync server yet: run “vsm-desktop enrol” first."))
        result = SyncResult()
        report = progress or (lambda p: None)
        stop = cancel or threading.Event()
        last_seq = self.store.conn.execute("SELECT coalesce(max(seq), 0) FROM ops").fetchone()[0]
        try:
            with self._transport(meta) as transport:
                self._push(transport, result, report, stop)
                if not stop.is_set():
                    self._pull(transport, result, report, stop)
                if not stop.is_set():
                    from ..attachments.sync import transfer

                    result.files = transfer(self.store, transport, report, stop)
        except DeviceRevoked as e:
            with self.store.transaction():
                self._set_meta({"sync_revoked": _now(), "sync_last_error": type(e).__name__})
            raise
        except (ServerError, ClockOff, Exception) as e:
            try:
                with self.store.transaction():
                    self._set_meta({"sync_last_error": type(e).__name__})
            except Exception:
                pass
            raise
        result.cancelled = stop.is_set()
        if not result.cancelled:
            with self.store.transaction():
                self._set_meta({"sync_last_success": _now(), "sync_last_error": None, "sync_revoked": None})
            report(Progress("done", result.pulled, result.pulled))
        result.cursor = int(self._meta().get("sync_cursor") or 0)
        # Operations received land after `last_seq`; this device's own (edits made meanwhile) are not news.
        result.changed_learners = [oplog.id_text(r[0]) for r in self.store.conn.execute(
            f"SELECT DISTINCT learner_id FROM ops WHERE seq > ? AND {oplog.DEVICE_SQL} != ? AND learner_id IS NOT NULL",
            (last_seq, oplog.device_key(self.store.device_id)))]
        if result.files is not None:   # attachments that arrived: their learners' pages show them now
            result.changed_learners += sorted(result.files.learners - set(result.changed_learners))
        log.info("sync: pushed=%d pulled=%d conflicts=%d rejected=%d held=%d removed=%d cancelled=%s",
                 result.pushed, result.pulled, result.conflicts, result.rejected, result.held,
                 result.removed_learners, result.cancelled)
        return result

    def _read_unsent(self, limit: int, after: int = 0) -> tuple[list[dict], list[int]]:
        """The next batch of this device's unsent operations after local `seq` `after`, and their
        local `seq`s."""
        conn = self.store.conn
        rows = conn.execute(
            "SELECT hlc, entity, record_id, learner_id, field, value, over_record, prev_hlc, author, seq FROM ops"
            # seq order is stamp order for this device's own changes, and it uses the partial index.
            " WHERE server_seq IS NULL AND held IS NULL AND seq > ? ORDER BY seq LIMIT ?", (after, limit)).fetchall()
        ops, seqs, size = [], [], 0
        decode = oplog.decoder(oplog.records_of(conn, rows, 1, 2, 6))
        for hlc, entity, rid, learner, fld, text, over, prev, author, seq in rows:
            hlc, rid, learner, prev = oplog.stamp_text(hlc), oplog.id_text(rid), oplog.id_text(learner), \
                oplog.stamp_text(prev)
            value = decode(entity, rid, text, over)
            size += (len(text) if not over else _json_size(value)) + 300
            if ops and size > P.MAX_BATCH_BYTES:
                break
            ops.append({"hlc": hlc, "entity": entity, "record_id": rid, "learner_id": learner, "field": fld,
                        "value": value, "prev_hlc": prev, "device_id": oplog.device_of(hlc), "author": author})
            seqs.append(seq)
        # The resolutions of the whole batch in one query (few operations have any).
        resolves: dict[str, list[str]] = {}
        marks = ", ".join("?" * len(ops))
        for hlc, loser in conn.execute(f"SELECT hlc, loser_hlc FROM op_resolves WHERE hlc IN ({marks})"
                                       " ORDER BY hlc, loser_hlc", [op["hlc"] for op in ops]):
            resolves.setdefault(hlc, []).append(loser)
        for op in ops:
            if op["hlc"] in resolves:
                op["resolves"] = resolves[op["hlc"]][:P.MAX_RESOLVES]
        return ops, seqs

    def _count_unsent(self) -> int:
        return self.store.conn.execute("SELECT count(*) FROM ops WHERE server_seq IS NULL AND held IS NULL").fetchone()[0]

    def _push(self, transport: Transport, result: SyncResult, report, stop: threading.Event) -> None:
        # The request runs on a helper thread: while the server merges one batch, this thread
        # records the answer before it and reads the next (the store's work overlaps the server's).
        with ThreadPoolExecutor(1, thread_name_prefix="vsm-push") as sender:
            self._push_batches(transport, result, report, stop, sender)

    def _push_batches(self, transport: Transport, result: SyncResult, report, stop: threading.Event,
                      sender: ThreadPoolExecutor) -> None:
        total = self._count_unsent()
        done = 0
        report(Progress("push", 0, total))
        cursor = int(self._meta().get("sync_cursor") or 0)
        limit = lambda: min(BATCH, getattr(transport, "max_batch_ops", P.MAX_BATCH_OPS))  # noqa: E731
        batch, seqs = self._read_unsent(limit())
        if not batch or stop.is_set():
            return
        sending = self._send_batch(sender, transport, batch, cursor)
        # Read while the server merges `batch`; how many it takes is known from its answer (and
        # the batch is cut to that when sent).
        ahead = self._read_unsent(BATCH, seqs[-1])
        while True:
            batch_id, sent = sending
            try:
                answer = sent.result()
            except Refusal as e:
                if e.status == 403 and e.error.get("ops"):
                    self._refused(e.error["ops"], e.code, result)
                    batch, seqs = self._read_unsent(limit())  # the rest of it, from the start
                    if not batch or stop.is_set():
                        return
                    sending = self._send_batch(sender, transport, batch, cursor)
                    ahead = self._read_unsent(limit(), seqs[-1])
                    continue
                raise ServerError(_("The server refused the changes sent ({code}).").format(code=e.code)) from None
            try:
                answer = P.check_push_response(answer, batch, batch_id)
            except P.ProtocolError as e:
                log.info("push answer refused: %s", e)
                raise ServerError(_("The server's answer to the changes sent was not valid; they will be sent "
                                    "again at the next sync.")) from None
            results = answer["results"]
            advanced = getattr(transport, "push_cursor", None)
            moved = advanced is not None and advanced > cursor and all(
                res["seq"] is None or res["seq"] <= advanced for res in results)
            if moved:
                # Nothing but this batch came after our cursor: no need to pull it back.
                cursor = advanced
            set_aside = [res for res in results if res["status"] == "rejected"
                         or (res["status"] in ("held", "duplicate") and res["reason"] in P.HELD_REASONS)]
            following = None
            if not set_aside and ahead[0] and not stop.is_set():
                # This answer changes nothing here but numbers: the next batch goes now, with the
                # cursor this one moves to, and this answer is recorded while the server merges it.
                following = _cut(ahead, limit())
                sending = self._send_batch(sender, transport, following[0], cursor)
            with self.store.transaction():
                for res in results:
                    result.results[res["status"]] = result.results.get(res["status"], 0) + 1
                if moved:
                    # Only forwards: another process's pull may have moved it further meanwhile.
                    self.store.conn.execute("UPDATE meta SET value = ? WHERE key = 'sync_cursor'"
                                            " AND CAST(value AS INTEGER) < ?", (str(cursor), cursor))
                # Server numbers for all but the refused, in one statement (by row: the batch's
                # order is the answer's); then what was held or refused.
                self.store.conn.executemany("UPDATE ops SET server_seq = ? WHERE seq = ?", [
                    (res["seq"], seq) for res, seq in zip(results, seqs) if res["status"] != "rejected"])
                if set_aside:  # (a Merger reads this device's unsent changes: only when needed)
                    merger = Merger(self.store)
                    for res in set_aside:
                        if res["status"] == "rejected":
                            merger.hold_own(res["hlc"], REJECTED + res["reason"], kind="rejected",
                                            reason=res["reason"])
                            result.rejected += 1
                        else:
                            merger.hold_own(res["hlc"], res["reason"], kind=res["reason"])
                            result.held += 1
                    merger.finish()
                    result.conflicts += merger.counts["conflicts"]
            done += len(batch)
            result.pushed += len(batch)
            report(Progress("push", done, max(total, done)))
            if following is None:
                if stop.is_set():
                    return
                if set_aside:  # holding changes may change what is unsent: from the start again
                    ahead = self._read_unsent(limit())
                if not ahead[0]:
                    return
                following = _cut(ahead, limit())
                sending = self._send_batch(sender, transport, following[0], cursor)
            batch, seqs = following
            ahead = self._read_unsent(limit(), seqs[-1])

    @staticmethod
    def _send_batch(sender: ThreadPoolExecutor, transport: Transport, batch: list[dict],
                    cursor: int) -> tuple[str, Future]:
        batch_id = uuid.uuid4().hex
        return batch_id, sender.submit(transport.post, "/v1/push", {"batch_id": batch_id, "cursor": cursor,
                                                                    "ops": batch})

    def _refused(self, hlcs: list[str], code: str, result: SyncResult) -> None:
        reason = code if code in P.REJECT_REASONS else "not_permitted"
        with self.store.transaction():
            merger = Merger(self.store)
            for hlc in hlcs:
                merger.hold_own(hlc, REJECTED + reason, kind="rejected", reason=reason)
                result.rejected += 1
            merger.finish()
            if not merger.counts["held"]:
                # The server named nothing we sent: do not loop.
                raise ServerError(_("The server refused the changes sent ({code}).").format(code=code))

    def _pull(self, transport: Transport, result: SyncResult, report, stop: threading.Event) -> None:
        # The next page is asked for (and read and checked) on a helper thread while this one is
        # applied: the server's work and the transfer overlap the store's, which releases the GIL.
        with ThreadPoolExecutor(1, thread_name_prefix="vsm-pull-ahead") as ahead:
            self._pull_pages(transport, result, report, stop, ahead)

    def _page(self, transport: Transport, body: dict) -> dict:
        return self._checked_page(transport.post("/v1/pull", body), body["cursor"], body["limit"])

    @staticmethod
    def _limit(transport: Transport) -> int:
        return min(PAGE, getattr(transport, "max_page_ops", P.MAX_PAGE_OPS))

    def _pull_pages(self, transport: Transport, result: SyncResult, report, stop: threading.Event,
                    ahead: ThreadPoolExecutor) -> None:
        meta = self._meta()
        cursor = int(meta.get("sync_cursor") or 0)
        first = True
        pending: Future | None = None
        while not stop.is_set():
            body: dict[str, Any] = {"cursor": cursor, "limit": self._limit(transport)}
            if first:
                body["scope_digest"] = meta.get("sync_scope_digest")
            try:
                answer = pending.result() if pending is not None else self._page(transport, body)
            except Refusal as e:
                if e.code == "snapshot_required":
                    log.info("server asks for a fresh start from 0")
                    with self.store.transaction():
                        self._set_meta({"sync_cursor": "0", "sync_scope_digest": None})
                    cursor, first, meta, pending = 0, True, self._meta(), None
                    continue
                raise ServerError(_("The server refused to send changes ({code}).").format(code=e.code)) from None
            pending = None
            if first:
                first = False
                scope = answer["scope"]
                if scope is not None and scope["learners"] is not None:
                    # The learners this user may see have changed: bring the device in line, then
                    # pull again from the same cursor (the page just received is not applied)...
                    self._apply_scope(transport, scope, cursor, result, report, stop)
                    if stop.is_set():
                        return
                    if cursor > 0:
                        continue
                    # ...unless from 0 (a first pull): nothing was brought in, and the page is the
                    # one that pull would get again (the server reads it for the scope it sent).
            if answer["more"]:
                pending = ahead.submit(self._page, transport, {"cursor": answer["cursor"],
                                                               "limit": self._limit(transport)})
            with self.store.transaction():
                merger = Merger(self.store)
                merger.apply_page(answer["ops"])
                merger.finish()
                self._set_meta({"sync_cursor": str(answer["cursor"])})
            result.pulled += len(answer["ops"])
            result.conflicts += merger.counts["conflicts"]
            result.held += merger.counts["held"]
            cursor = answer["cursor"]
            report(Progress("pull", result.pulled, result.pulled + max(0, answer["head"] - cursor)))
            if not answer["more"]:
                return

    def _checked_page(self, answer: Any, cursor: int, limit: int) -> dict:
        try:
            return P.check_pull_response(answer, cursor, limit)
        except P.ProtocolError as e:
            log.info("pull answer refused: %s", e)
            raise ServerError(_("The server sent changes that are not valid; nothing from them was saved. "
                                "Tell your administrator.")) from None

    def _apply_scope(self, transport: Transport, scope: dict, cursor: int, result: SyncResult, report,
                     stop: threading.Event) -> None:
        wanted = set(scope["learners"])
        here = {r[0] for r in self.store.conn.execute("SELECT id FROM learners")}
        with self.store.transaction():
            result.removed_learners += remove_learners(self.store, sorted(here - wanted))
        missing = sorted(wanted - here)
        if cursor > 0 and missing:
            # Learners new to this user: their history up to the cursor (what follows comes in the pull).
            report(Progress("scope", 0, len(missing)))
            for start in range(0, len(missing), P.MAX_BACKFILL_LEARNERS):
                chunk = missing[start:start + P.MAX_BACKFILL_LEARNERS]
                after = 0
                while True:
                    if stop.is_set():
                        return
                    limit = self._limit(transport)
                    try:
                        answer = transport.post("/v1/pull", {"cursor": after, "limit": limit, "learners": chunk,
                                                             "until": cursor})
                    except Refusal as e:
                        raise ServerError(_("The server refused to send changes ({code}).").format(code=e.code)) from None
                    answer = self._checked_page(answer, after, limit)
                    if any(op["learner_id"] not in chunk for op in answer["ops"]) or answer["cursor"] > cursor:
                        raise ServerError(_("The server sent changes that are not valid; nothing from them was saved. "
                                            "Tell your administrator."))
                    with self.store.transaction():
                        merger = Merger(self.store)
                        merger.apply_page(answer["ops"])
                        merger.finish()
                    result.pulled += len(answer["ops"])
                    after = answer["cursor"]
                    if not answer["more"]:
                        break
                report(Progress("scope", min(start + len(chunk), len(missing)), len(missing)))
        with self.store.transaction():
            self._set_meta({"sync_scope_digest": scope["digest"]})

    # --- status and conflicts -----------------------------------------------------------

    def status(self) -> SyncStatus:
        meta = self._meta()
        conn = self.store.conn
        open_conflicts, refused = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE kind = 'rejected') FROM conflicts WHERE resolved_at IS NULL").fetchone()
        return SyncStatus(
            enrolled=bool(meta.get("sync_device_token")), server_url=meta.get("sync_server_url"),
            username=meta.get("sync_username"), role=meta.get("sync_role"),
            authority=meta.get("sync_authority_name"), last_success=meta.get("sync_last_success"),
            last_error=meta.get("sync_last_error"), revoked=bool(meta.get("sync_revoked")),
            unsent=self._count_unsent(), conflicts=open_conflicts, refused=refused, cursor=int(meta.get("sync_cursor") or 0))

    def conflicts(self, include_resolved: bool = False) -> list[Conflict]:
        conn = self.store.conn
        where = "" if include_resolved else "WHERE resolved_at IS NULL"
        rows = conn.execute(
            "SELECT id, kind, entity, record_id, learner_id, field, loser_hlc, loser_value, loser_author, reason,"
            f" detected_at, resolved_at FROM conflicts {where} ORDER BY id").fetchall()
        out = []
        for cid, kind, entity, rid, learner, fld, loser, value, author, reason, detected, resolved in rows:
            current, stamp = self._current(entity, rid, fld)
            row = conn.execute("SELECT author FROM ops WHERE hlc = ?", (oplog.stamp_key(stamp),)).fetchone() if stamp else None
            out.append(Conflict(cid, kind, entity, rid, learner, fld, json.loads(value), author, loser, current, stamp,
                                row[0] if row else None, reason, detected, resolved))
        return out

    def _current(self, entity: str, rid: str, fld: str):
        ent = model.entity(entity)
        row = self.store.get(entity, rid)
        if row is None:
            return None, None
        if fld == CREATE_FIELD:
            return {k: v for k, v in row.items() if k != "id" and v is not None}, self.store.field_stamp(rid, fld)
        return row.get(fld) if fld in ent.by_name else None, self.store.field_stamp(rid, fld)

    def _conflict(self, conflict_id: int) -> Conflict:
        for c in self.conflicts(include_resolved=True):
            if c.id == conflict_id:
                if c.resolved_at:
                    raise Refused(_("Conflict {id} is already resolved.").format(id=conflict_id))
                return c
        raise UsageError(_("There is no conflict {id}.").format(id=conflict_id))

    def resolve(self, conflict_id: int, choice: str, value: Any = None) -> str:
        """Settles a field or deletion conflict with a change that syncs: keep the current value
        ("mine"), take the other ("theirs"), or a new value ("value"). Returns the new stamp."""
        c = self._conflict(conflict_id)
        if c.kind not in ("field", "deleted"):
            raise Refused(_("This change cannot be applied here; carry it into a draft review or dismiss it."))
        if choice == "mine":
            chosen = c.current_value
        elif choice == "theirs":
            chosen = c.other_value
        elif choice == "value":
            chosen = value
        else:
            raise UsageError(_("Choose mine, theirs or a value."))
        fld = "deleted" if c.kind == "deleted" and choice == "mine" else c.field
        if c.kind == "deleted":
            # Keep the deletion, or bring the record back with the other change.
            chosen = True if choice == "mine" else chosen
        store = self.store
        ent = model.entity(c.entity)
        with store.transaction():
            current = store.get(c.entity, c.record_id)
            if current is None:
                raise Refused(_("The record is no longer on this device."))
            if c.kind == "deleted" and choice != "mine":
                store.update(c.entity, c.record_id, {"deleted": False})
            clean = model.validate_field(c.entity, fld, chosen)
            store._refuse_if_frozen(ent, current)
            learner = store._learner_of(ent, c.record_id, current)
            stamp = store._write_field(ent, c.record_id, learner, fld, clean)
            merged = {**current, fld: clean}
            merged.pop("id")
            model.check_rules(c.entity, merged)
            store._reindex_after(c.entity, c.record_id, merged, {fld})
            if c.kind == "deleted":
                # Restoring the record (or keeping it removed) settles every deletion conflict of
                # the record, whichever field each edit was to.
                losers = [r[0] for r in store.conn.execute(
                    "SELECT loser_hlc FROM conflicts WHERE record_id = ? AND kind = 'deleted' AND resolved_at IS NULL",
                    (c.record_id,))]
            else:
                losers = [r[0] for r in store.conn.execute(
                    "SELECT loser_hlc FROM conflicts WHERE record_id = ? AND field = ? AND kind = ?"
                    " AND resolved_at IS NULL", (c.record_id, c.field, c.kind))]
            store.conn.executemany("INSERT OR IGNORE INTO op_resolves (hlc, loser_hlc) VALUES (?, ?)",
                                   [(stamp, s) for s in losers[:P.MAX_RESOLVES]])
            store.conn.executemany("UPDATE conflicts SET resolved_at = ?, resolved_by_hlc = ? WHERE loser_hlc = ?"
                                   " AND resolved_at IS NULL", [(_now(), stamp, s) for s in losers[:P.MAX_RESOLVES]])
        return stamp

    def dismiss(self, conflict_id: int) -> None:
        """Marks a held or refused change as seen; it stays in the history."""
        c = self._conflict(conflict_id)
        if c.kind in ("field", "deleted"):
            raise Refused(_("Choose which value to keep; a conflict between two values is resolved, not dismissed."))
        with self.store.transaction():
            if c.learner_id and self.store.get("learners", c.learner_id) is None:
                # A refused change to a learner no longer on this device: once seen, what was typed goes.
                self.store.conn.execute("DELETE FROM conflicts WHERE id = ?", (conflict_id,))
            else:
                self.store.conn.execute("UPDATE conflicts SET resolved_at = ? WHERE id = ?", (_now(), conflict_id))

    def carry_choices(self, conflict_id: int) -> list[dict]:
        """The draft reviews (amendments and next reviews) a held change of this conflict may go into."""
        c = self._conflict(conflict_id)
        if c.kind not in ("finalised", "stale_finalise", "rejected") or not c.learner_id:
            return []
        return [self.store.get("reviews", r[0]) for r in self.store.conn.execute(
            "SELECT id FROM reviews WHERE learner_id = ? AND status = 'draft' ORDER BY due_date, id", (c.learner_id,))]

    def carry(self, conflict_id: int, review_id: str) -> str | None:
        """Carries a change that was held (its review was finalised) into a draft review of the same
        learner: an amendment or the next review. Returns the new record id or stamp."""
        c = self._conflict(conflict_id)
        if c.kind not in ("finalised", "stale_finalise", "rejected"):
            raise Refused(_("Only a change held for a finalised review can be carried into another review."))
        target = self.store.get("reviews", review_id)
        if target is None or target["learner_id"] != c.learner_id or target["status"] != "draft":
            raise Refused(_("Choose a draft review of the same learner."))
        with self.store.transaction():
            if c.entity == "reviews" and c.field not in LIFECYCLE_FIELDS and c.field != CREATE_FIELD:
                stamps = self.store.update("reviews", review_id, {c.field: c.other_value})
                out = stamps[0] if stamps else None
            elif c.entity in model.REVIEW_CHILDREN and c.field == CREATE_FIELD:
                values = dict(c.other_value)
                values["review_id"] = review_id
                out = self.store.create(c.entity, values)
            else:
                raise Refused(_("This change cannot be carried automatically; copy it by hand, then dismiss it."))
            self.store.conn.execute("UPDATE conflicts SET resolved_at = ? WHERE id = ?", (_now(), conflict_id))
        return out


def _cut(batch: tuple[list[dict], list[int]], limit: int) -> tuple[list[dict], list[int]]:
    return (batch[0][:limit], batch[1][:limit]) if len(batch[0]) > limit else batch


def _json_size(value) -> int:
    """About how many bytes a value takes in a push's body (only to keep batches near their size)."""
    try:
        return len(orjson.dumps(value))
    except (orjson.JSONEncodeError, TypeError):
        return len(oplog.encode(value))


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
