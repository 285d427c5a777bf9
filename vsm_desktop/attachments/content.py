"""Attachments in the encrypted store: attach, list, read, extract, detach.

The attachment's record (`attachments`, see the domain model) is written with `Store.create`
and syncs through the change log like any other. Its content is kept once per SHA-256 in
`blobs`/`blob_chunks` in the store's encrypted content file (vsm_desktop.store.contentfile), in
chunks of 1 MiB: a file is read twice (first to hash and check it, then to store it, its hash
checked again) and never held whole. The content is committed first, marked as being attached,
then the record in a transaction of its own (SQLite commits two files one after the other, not
as one): a crash or a full disk during the first keeps nothing; one between the two leaves
content no record refers to, which is removed like detached content once an hour has passed (the
mark keeps it from a sync's clean-up meanwhile). Content no record refers to any more is deleted
with `secure_delete` on, so SQLite zeroes the pages it frees.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator

from ..domain import model
from ..errors import Refused, StoreDamaged, UsageError
from ..files import atomic_file
from ..i18n import _, babel_locale, current_language, format_datetime, format_number, ngettext
from . import detect

log = logging.getLogger(__name__)

CHUNK = 1 << 20
KINDS = tuple(model.ENUMS["attachment_kind"])
ABOUT_ME = "about_me"          # the section a drawing of "All about me" belongs to

# What a device knows of an attachment's content.
HERE, ARRIVING, MISSING = "here", "arriving", "missing"


@dataclass(frozen=True)
class Scanned:
    sha256: str
    size: int
    mime: str


def limit_bytes() -> int:
    from ..settings import machine_attachment_max_mb

    return int(machine_attachment_max_mb() * 1_000_000)


def _decimal(value: float, digits: int) -> str:
    from babel import numbers

    return numbers.format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0", locale=babel_locale())


def size_text(size: int) -> str:
    """A size as people read it: kB up to a megabyte, MB after (decimal units, as the limit)."""
    if size < 1000:
        return ngettext("{n} byte", "{n} bytes", size).format(n=_decimal(size, 0))
    if size < 1_000_000:
        return _("{n} kB").format(n=_decimal(size / 1000, 0 if size >= 10_000 else 1))
    return _("{n} MB").format(n=_decimal(size / 1_000_000, 1))


def scan(f: BinaryIO, name: str, limit: int | None = None) -> Scanned:
    """Hashes and checks a file (FileRefused with the reason when it cannot be attached)."""
    limit = limit_bytes() if limit is None else limit
    f.seek(0)
    head = f.read(8192)
    f.seek(0)
    digest = hashlib.sha256()
    text = detect.TextCheck()
    size = 0
    while chunk := f.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise detect.refuse(name, _("it is larger than the limit of {limit}").format(limit=size_text(limit)))
        digest.update(chunk)
        text.feed(chunk)
    text.feed(b"", final=True)
    if size == 0:
        raise detect.refuse(name, _("the file is empty"))
    mime = detect.check(f, name, head, text.ok)
    return Scanned(digest.hexdigest(), size, mime)


# Content being attached (written, its record not yet) is kept from clean-up this long.
ATTACHING_GRACE_S = 3600


def _write_blob(conn, f: BinaryIO, scanned: Scanned, name: str) -> None:
    row = conn.execute("SELECT complete FROM blobs WHERE sha256 = ?", (scanned.sha256,)).fetchone()
    if row and row[0]:
        # The same file is here already: stored once (and kept until its new record is written).
        conn.execute("UPDATE blobs SET attaching = ? WHERE sha256 = ?", (int(time.time()), scanned.sha256))
        return
    conn.execute("INSERT INTO blobs(sha256, size, complete, missing, attaching) VALUES (?, ?, 0, 0, ?)"
                 " ON CONFLICT(sha256) DO UPDATE SET size = excluded.size, missing = 0, attaching = excluded.attaching",
                 (scanned.sha256, scanned.size, int(time.time())))
    conn.execute("DELETE FROM blob_chunks WHERE sha256 = ?", (scanned.sha256,))   # what a sync had begun
    f.seek(0)
    digest = hashlib.sha256()
    seq = size = 0
    while chunk := f.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        conn.execute("INSERT INTO blob_chunks(sha256, seq, data) VALUES (?, ?, ?)", (scanned.sha256, seq, chunk))
        seq += 1
    if digest.hexdigest() != scanned.sha256 or size != scanned.size:
        raise detect.refuse(name, _("the file changed while it was being attached; try again"))
    conn.execute("UPDATE blobs SET complete = 1 WHERE sha256 = ?", (scanned.sha256,))


def stored(store, sha256s) -> None:
    """The content of these hashes now has its records (written in the same transaction)."""
    store.conn.executemany("UPDATE blobs SET attaching = NULL WHERE sha256 = ?", [(sha,) for sha in sha256s])


def forget_attaching(store, sha256s) -> None:
    """Content whose records could not be written goes at once if nothing else refers to it
    (at worst after the hour's grace, like content left by a crash)."""
    try:
        with store.transaction():
            stored(store, sha256s)
        purge_unreferenced(store)
    except Exception:
        log.warning("content whose record was not written is left for the clean-up")


def attach(store, learner_id: str, source: Path | str | bytes, *, kind: str, title: str | None = None,
           title_lang: str | None = None, review_id: str | None = None, section: str | None = None,
           name: str | None = None, today: dt.date | None = None, limit: int | None = None) -> str:
    """Attaches a file (a path, or bytes such as a drawing) to a learner or one of their reviews;
    returns the attachment's id. Refused for a finalised review, like any edit of it."""
    if kind not in KINDS:
        raise UsageError(_("“{value}” is not a kind of attachment ({kinds}).").format(value=kind, kinds=", ".join(KINDS)))
    if isinstance(source, (bytes, bytearray)):
        f: BinaryIO = io.BytesIO(source)
        name = name or title or "…"
    else:
        path = Path(source)
        name = name or path.name
        try:
            f = path.open("rb")
        except IsADirectoryError:
            raise UsageError(_("{path} is a folder, not a file.").format(path=path)) from None
        except OSError as e:
            from ..errors import describe_os_error

            raise UsageError(_("Cannot read {path}: {reason}").format(path=path, reason=describe_os_error(e))) from None
        if title is None:
            title = path.stem
    with f:
        if store.get("learners", learner_id) is None:
            raise Refused(_("There is no such record ({id}).").format(id=learner_id))
        if review_id is not None:
            review = store.get("reviews", review_id)
            if review is None or review["learner_id"] != learner_id:
                raise Refused(_("This PEP review is not one of this learner's reviews."))
            if review["status"] == "finalised":
                raise model.ImmutableError(
                    _("This PEP review is finalised and cannot be changed. Start an amendment to correct it."))
        scanned = scan(f, name, limit)
        values = {
            "learner_id": learner_id, "review_id": review_id, "section": section, "kind": kind,
            "title": (title or name).strip()[:200] or name, "title_lang": title_lang or current_language(),
            "added_on": (today or dt.date.today()).isoformat(), "added_by": store.author or None,
            "added_by_role": store.role or None, "size": scanned.size, "sha256": scanned.sha256, "mime": scanned.mime,
        }
        with store.transaction():
            _write_blob(store.conn, f, scanned, name)
        try:
            with store.transaction():
                if state(store, scanned.sha256) != HERE:   # removed meanwhile (it cannot be, but never a record without it)
                    raise detect.refuse(name, _("the file changed while it was being attached; try again"))
                attachment_id = store.create("attachments", values)
                stored(store, [scanned.sha256])
        except BaseException:
            forget_attaching(store, [scanned.sha256])
            raise
    log.info("attached %s (%d bytes) to learner %s", attachment_id, scanned.size, learner_id)
    return attachment_id


def listing(store, learner_id: str, review_id: str | None = None, section: str | None = None) -> list[dict]:
    """A learner's attachments (or one review's, or one section's), oldest first, each with
    `state`: here, arriving (its content not synced yet) or missing (the server has it no more)."""
    ent = model.entity("attachments")
    where, params = "a.learner_id = ? AND coalesce(a.deleted, 0) = 0", [learner_id]
    if review_id is not None:
        where += " AND a.review_id = ?"
        params.append(review_id)
    if section is not None:
        where += " AND a.section = ?"
        params.append(section)
    cols = ", ".join("a." + c for c in ent.columns)
    out = []
    for row in store.conn.execute(
            f"SELECT {cols}, b.complete, b.missing FROM attachments a LEFT JOIN blobs b ON b.sha256 = a.sha256"
            f" WHERE {where} ORDER BY a.added_on, a.id", params):
        item = store._row(ent, row[:-2])
        complete, missing = row[-2:]
        item["state"] = HERE if complete else (MISSING if missing else ARRIVING)
        item["added_by"] = store.person(item["added_by"])
        out.append(item)
    return out


def resolve(store, key: str) -> dict:
    """An attachment from its id or a unique prefix of it (at least 6 characters)."""
    key = key.strip().lower()
    rows = []
    if len(key) >= 6 and all(c in "0123456789abcdef" for c in key):
        rows = store.conn.execute("SELECT id FROM attachments WHERE id >= ? AND id < ? AND coalesce(deleted, 0) = 0"
                                  " LIMIT 2", (key, key + "g")).fetchall()
    if len(rows) != 1:
        raise UsageError(_("No attachment {key} in this store.").format(key=key))
    return store.get("attachments", rows[0][0])


def state(store, sha256: str) -> str:
    row = store.conn.execute("SELECT complete, missing FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
    return HERE if row and row[0] else (MISSING if row and row[1] else ARRIVING)


def chunks(conn, sha256: str) -> Iterator[bytes]:
    """The content, chunk by chunk, its hash checked at the end (StoreDamaged if it differs)."""
    digest = hashlib.sha256()
    # fetchmany, not a live cursor: a caller may write to the store between two chunks.
    cur = conn.execute("SELECT data FROM blob_chunks WHERE sha256 = ? ORDER BY seq", (sha256,))
    while True:
        rows = cur.fetchmany(4)
        if not rows:
            break
        for (data,) in rows:
            digest.update(data)
            yield bytes(data)
    if digest.hexdigest() != sha256:
        raise StoreDamaged(_("An attachment's content in the store does not match its fingerprint (SHA-256)."))


def chunks_unchecked(conn, sha256: str) -> Iterator[bytes]:
    """The chunks stored so far (a sync resuming a download hashes them again)."""
    cur = conn.execute("SELECT data FROM blob_chunks WHERE sha256 = ? ORDER BY seq", (sha256,))
    while rows := cur.fetchmany(4):
        for (data,) in rows:
            yield bytes(data)


def _require(store, attachment: dict) -> None:
    st = state(store, attachment["sha256"])
    if st == ARRIVING:
        raise Refused(_("“{title}” has not arrived on this computer yet: sync, then try again.").format(
            title=attachment["title"]))
    if st == MISSING:
        raise Refused(_("“{title}” is no longer on the sync server, so it cannot be opened here.").format(
            title=attachment["title"]))


def read_bytes(store, attachment: dict) -> bytes:
    """The whole content, for the viewer (images and PDFs are shown from memory, never a file)."""
    _require(store, attachment)
    return b"".join(chunks(store.conn, attachment["sha256"]))


def extract(store, attachment: dict, out: Path | str) -> Path:
    """Writes the content to `out` (not encrypted), whole or not at all."""
    _require(store, attachment)
    out = Path(out)
    with atomic_file(out, "wb") as f:
        for chunk in chunks(store.conn, attachment["sha256"]):
            f.write(chunk)
    return out


def detach(store, attachment_id: str) -> None:
    """Removes an attachment (a change that syncs); its content goes once nothing refers to it."""
    store.update("attachments", attachment_id, {"deleted": True})
    purge_unreferenced(store)


def purge_unreferenced(store) -> int:
    """Deletes content no attachment refers to, its freed pages zeroed; returns how many files."""
    conn = store.conn
    conn.execute("PRAGMA secure_delete = ON")
    with store.transaction():
        # An attachment the sync server held (its review was finalised elsewhere) keeps its file:
        # the person may carry it into a draft (vsm-desktop conflicts / resolve --carry-to).
        gone = [r[0] for r in conn.execute(
            "SELECT sha256 FROM blobs b WHERE sha256 NOT IN"
            " (SELECT sha256 FROM attachments WHERE coalesce(deleted, 0) = 0) AND NOT EXISTS"
            " (SELECT 1 FROM ops WHERE entity = 'attachments' AND field = '*' AND held IS NOT NULL"
            "  AND instr(value, b.sha256) > 0) AND coalesce(b.attaching, 0) < ?",
            (int(time.time()) - ATTACHING_GRACE_S,))]
        for sha in gone:
            conn.execute("DELETE FROM blob_chunks WHERE sha256 = ?", (sha,))
            conn.execute("DELETE FROM blobs WHERE sha256 = ?", (sha,))
    if gone:
        log.info("removed the content of %d detached attachment(s)", len(gone))
    return len(gone)


def wanted(conn) -> list[tuple[str, int]]:
    """(sha256, size) of content records refer to that is not complete here (missing asked again)."""
    return [(r[0], r[1]) for r in conn.execute(
        "SELECT a.sha256, max(a.size) FROM attachments a LEFT JOIN blobs b ON b.sha256 = a.sha256"
        " WHERE coalesce(a.deleted, 0) = 0 AND coalesce(b.complete, 0) = 0"
        " GROUP BY a.sha256 ORDER BY a.sha256")]


def content_problems(conn) -> Iterator[str]:
    """For `check`: content marked complete whose chunks do not add up (sizes only: cheap, the
    lengths are in the rows' headers; `extract` and the viewer check the hash itself), and a
    content file that was not beside the store while some attachments still have no content."""
    has_notes = conn.execute("SELECT 1 FROM content.sqlite_master WHERE name = 'notes'").fetchone()
    lost = has_notes and conn.execute("SELECT value FROM content.notes WHERE key = 'lost_at'").fetchone()
    without = len(wanted(conn)) if lost else 0
    if without:
        path = next((file for _seq, name, file in conn.execute("PRAGMA database_list") if name == "content"), "")
        yield ngettext(
            "The attachments' content file was not beside this store when it was opened ({when}), so an empty "
            "one was made: {count} attachment has no content here. If it was sent to the sync server, it comes "
            "back with the next sync; if not, only from the original file. Close the app and put it back as {path}.",
            "The attachments' content file was not beside this store when it was opened ({when}), so an empty "
            "one was made: {count} attachments have no content here. Those already sent to the sync server come "
            "back with the next sync; the others only from the original file. Close the app and put it back as {path}.",
            without).format(when=format_datetime(dt.datetime.fromisoformat(lost[0])), count=format_number(without),
                            path=path)
    for sha, size, count, total, first, last in conn.execute(
            "SELECT b.sha256, b.size, count(c.seq), coalesce(sum(length(c.data)), 0), min(c.seq), max(c.seq)"
            " FROM blobs b LEFT JOIN blob_chunks c ON c.sha256 = b.sha256 WHERE b.complete = 1 GROUP BY b.sha256"):
        if total != size or (count and (first != 0 or last != count - 1)):
            yield _("An attachment's content is incomplete ({sha}…): attach the file again, or sync to fetch it.").format(
                sha=sha[:12])
