"""Attachments' content on the server: chunks by SHA-256, uploaded and downloaded by separate,
resumable and idempotent requests whose bodies are the raw bytes (never JSON).

A file no device has sent yet is 404 (not_found: its attachment is "arriving"); a complete file
whose chunks have since gone (a lost folder, a restore) is 410 (gone: the attachment says so).
A device may send or fetch a file only when an attachment record it may see (its learner in
the user's scope) refers to that hash: the records come first, through push and pull. Chunks are
`CHUNK` bytes (the last one shorter) and numbered from 0; sending a chunk the server already has
changes nothing. When the last one arrives the server reads them back, in order, and checks the
hash: a file whose bytes do not match is deleted and refused. Content lives in the database
(`file_chunks`, SQLite or PostgreSQL) unless `serve --files-dir` names a folder.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from pathlib import Path

from sqlalchemy import and_, delete, func, insert, literal_column, select, update
from sqlalchemy.engine import Engine

from . import db
from .service import Principal, ServiceError, visible_among

log = logging.getLogger("vsm_server")

CHUNK = 4 * 1024 * 1024
SHA_RE = re.compile(r"[0-9a-f]{64}")
ENV_FILES_DIR = "VSM_SERVER_FILES_DIR"
ENV_MAX_MB = "VSM_SERVER_ATTACHMENT_MAX_MB"
DEFAULT_MAX_MB = 25.0


def max_bytes() -> int:
    try:
        mb = float(os.environ.get(ENV_MAX_MB) or DEFAULT_MAX_MB)
    except ValueError:
        mb = DEFAULT_MAX_MB
    return int(mb * 1_000_000)


def files_dir() -> Path | None:
    folder = os.environ.get(ENV_FILES_DIR)
    return Path(folder) if folder else None


def check_sha(sha256: str) -> str:
    if not SHA_RE.fullmatch(sha256 or ""):
        raise ServiceError(400, "bad_request", "not a SHA-256 in lowercase hex")
    return sha256


def _chunk_path(folder: Path, sha256: str, seq: int) -> Path:
    return folder / sha256[:2] / f"{sha256}.{seq}"


def _require_scope(conn, p: Principal, sha256: str) -> None:
    """403 unless an attachment record the user may see refers to this content."""
    f, r = db.fields, db.records
    learners = {row[0] for row in conn.execute(
        select(r.c.learner_id).select_from(f.join(r, r.c.record_id == f.c.record_id))
        .where(and_(f.c.field == literal_column("'sha256'"), f.c.value == json.dumps(sha256),
                    r.c.entity == "attachments")))}
    if not learners or not visible_among(conn, p, learners):
        raise ServiceError(403, "out_of_scope", "no attachment you may see refers to this file")


def status(engine: Engine, p: Principal, sha256: str) -> dict:
    """What the server holds of a file: its size, how many chunks, whether complete."""
    check_sha(sha256)
    with engine.connect() as conn:
        _require_scope(conn, p, sha256)
        row = conn.execute(select(db.files.c.size, db.files.c.complete).where(db.files.c.sha256 == sha256)).first()
        if row is None:
            raise ServiceError(404, "not_found", "the server does not have this file")
        have = conn.execute(select(db.file_chunks.c.seq).where(db.file_chunks.c.sha256 == sha256)
                            .order_by(db.file_chunks.c.seq)).scalars().all()
        if row.complete and not _all_there(row.size, have, sha256):
            raise ServiceError(410, "gone", "the server had this file but no longer has all of it")
    return {"sha256": sha256, "size": row.size, "complete": bool(row.complete), "chunk_size": CHUNK,
            "chunks": list(have)}


def _all_there(size: int, have: list[int], sha256: str) -> bool:
    if list(have) != list(range(_expected_chunks(size))):
        return False
    folder = files_dir()
    return folder is None or all(_chunk_path(folder, sha256, n).is_file() for n in have)


def _expected_chunks(size: int) -> int:
    return max(1, -(-size // CHUNK))


def put_chunk(engine: Engine, p: Principal, sha256: str, seq: int, size: int, data: bytes) -> dict:
    """Stores chunk `seq` of a file of `size` bytes (idempotent); checks the hash once all are here."""
    check_sha(sha256)
    with engine.connect() as conn:   # whose file it is first: a stranger learns nothing more
        _require_scope(conn, p, sha256)
    limit = max_bytes()
    if size > limit:
        raise ServiceError(413, "file_too_large", f"the file is larger than this server's limit of {limit} bytes")
    count = _expected_chunks(size)
    if size < 1 or not 0 <= seq < count:
        raise ServiceError(400, "bad_request", "no such chunk for a file of this size")
    expected = CHUNK if seq < count - 1 else size - CHUNK * (count - 1)
    if len(data) != expected:
        raise ServiceError(400, "bad_request", f"chunk {seq} of this file has {expected} bytes")
    folder = files_dir()
    with db.write_transaction(engine) as conn:
        row = conn.execute(select(db.files.c.size, db.files.c.complete).where(db.files.c.sha256 == sha256)).first()
        if row is not None and row.size != size:
            raise ServiceError(409, "size_mismatch", "the server knows this file with another size")
        if row is not None and row.complete:
            return {"sha256": sha256, "complete": True, "stored": False}
        if row is None:
            conn.execute(insert(db.files).values(sha256=sha256, size=size, complete=0, created_at=db.now_ms()))
        known = conn.execute(select(func.count()).select_from(db.file_chunks).where(and_(
            db.file_chunks.c.sha256 == sha256, db.file_chunks.c.seq == seq))).scalar_one()
        if not known:
            if folder is not None:
                path = _chunk_path(folder, sha256, seq)
                path.parent.mkdir(parents=True, exist_ok=True)
                temp = path.with_suffix(path.suffix + ".part")
                temp.write_bytes(data)
                os.replace(temp, path)
            conn.execute(insert(db.file_chunks).values(sha256=sha256, seq=seq, size=len(data),
                                                       data=None if folder is not None else data))
        have = conn.execute(select(func.count()).select_from(db.file_chunks)
                            .where(db.file_chunks.c.sha256 == sha256)).scalar_one()
        if have < count:
            return {"sha256": sha256, "complete": False, "stored": not known}
        digest = hashlib.sha256()
        for n in range(count):
            digest.update(_read(conn, folder, sha256, n))
        if digest.hexdigest() != sha256:
            _remove(conn, folder, sha256, count)
            log.warning("file upload refused: hash differs device=%s", p.device_id)
            raise ServiceError(422, "hash_mismatch", "the file's bytes do not match its SHA-256; send it again")
        conn.execute(update(db.files).where(db.files.c.sha256 == sha256).values(complete=1))
    log.info("file complete device=%s bytes=%d", p.device_id, size)
    return {"sha256": sha256, "complete": True, "stored": not known}


def _read(conn, folder: Path | None, sha256: str, seq: int) -> bytes:
    row = conn.execute(select(db.file_chunks.c.data).where(and_(
        db.file_chunks.c.sha256 == sha256, db.file_chunks.c.seq == seq))).first()
    if row is None:
        raise ServiceError(404, "not_found", "the server does not have this chunk")
    if row.data is not None:
        return bytes(row.data)
    try:
        return _chunk_path(folder or Path("."), sha256, seq).read_bytes()
    except OSError:
        raise ServiceError(404, "not_found", "the server does not have this chunk") from None


def _remove(conn, folder: Path | None, sha256: str, count: int) -> None:
    conn.execute(delete(db.file_chunks).where(db.file_chunks.c.sha256 == sha256))
    conn.execute(delete(db.files).where(db.files.c.sha256 == sha256))
    if folder is not None:
        for n in range(count):
            _chunk_path(folder, sha256, n).unlink(missing_ok=True)


def get_chunk(engine: Engine, p: Principal, sha256: str, seq: int) -> bytes:
    """Chunk `seq` of a complete file."""
    check_sha(sha256)
    with engine.connect() as conn:
        _require_scope(conn, p, sha256)
        complete = conn.execute(select(db.files.c.complete).where(db.files.c.sha256 == sha256)).scalar()
        if not complete:
            raise ServiceError(404, "not_found", "the server does not have this file")
        try:
            return _read(conn, files_dir(), sha256, seq)
        except ServiceError:
            raise ServiceError(410, "gone", "the server had this file but no longer has all of it") from None

