"""Opening the encrypted store: SQLCipher keying, pragmas, and telling a wrong passphrase
from a damaged file, before anything is written.

The store is a plain SQLCipher 4 file with the library's defaults (PBKDF2-HMAC-SHA512,
256,000 iterations), so `sqlcipher` with the passphrase opens it: the documented recovery path.
"""

from __future__ import annotations

import os
import shutil
import unicodedata
from pathlib import Path

import sqlcipher3

from ..errors import StorageFull, StoreBusy, StoreDamaged, StoreMissing, WrongPassphrase
from ..i18n import _

# 'VSM1': stored in the (encrypted) header, so a SQLCipher file of another program is told apart.
APPLICATION_ID = 0x56534D31
MIN_PASSPHRASE_LENGTH = 12
# Large enough that a whole authority's working set stays decrypted in memory (KiB, negative).
CACHE_KIB = 1024 * 1024
DatabaseError = sqlcipher3.DatabaseError


def normalise_passphrase(passphrase: str) -> str:
    # The same words typed on Windows and macOS can differ in Unicode form (ŵ as one or two code points).
    return unicodedata.normalize("NFC", passphrase)


def passphrase_problem(passphrase: str) -> str | None:
    """A reason to refuse a new passphrase, or None."""
    if len(normalise_passphrase(passphrase)) < MIN_PASSPHRASE_LENGTH:
        return _(
            "The passphrase must be at least {n} characters long. "
            "Three random words, such as “tebot awyren mynydd”, are long and easy to remember."
        ).format(n=MIN_PASSPHRASE_LENGTH)
    return None


def sql_literal(text: str) -> str:
    """A SQL string literal, for the pragmas (key, rekey) that take no bound parameters."""
    return "'" + text.replace("'", "''") + "'"


KDF_ITERATIONS = 256_000   # SQLCipher 4's defaults, as the store uses them
PAGE_SIZE = 4096
HMAC = "HMAC_SHA512"


def raw_key(path: Path | str, passphrase: str) -> str:
    """The key SQLCipher derives from the passphrase for this file (PBKDF2-HMAC-SHA512 over the
    salt in its first 16 bytes), as a key that `connect` takes instead of the passphrase and that
    opens this file only: what a pack's worker processes are handed by the app, which does not keep
    the passphrase itself. Wrong for a wrong passphrase, which `connect` then reports as usual."""
    import hashlib

    with Path(path).open("rb") as f:
        salt = f.read(16)
    key = hashlib.pbkdf2_hmac("sha512", normalise_passphrase(passphrase).encode("utf-8"), salt, KDF_ITERATIONS, 32)
    return f"x'{key.hex().upper()}'"


def _precheck_file(path: Path) -> None:
    """Refuses what cannot be a store without asking SQLCipher (and so without touching it)."""
    if not path.exists():
        raise StoreMissing(_("There is no store at {path}.").format(path=path))
    if not path.is_file():
        raise StoreDamaged(_("{path} is damaged or not a VSM store.").format(path=path))
    size = path.stat().st_size
    with path.open("rb") as f:
        head = f.read(16)
    if size == 0 or size % 512 != 0 or head.startswith(b"SQLite format 3\x00"):
        raise StoreDamaged(_("{path} is damaged or not a VSM store.").format(path=path))


BUSY_TIMEOUT_MS = 30_000


def writable(path: Path) -> bool:
    """Whether the store and its folder take writes (SQLite writes its -wal and -shm beside it)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def refuse_waiting_wal(path: Path) -> None:
    """For a file read in a folder that cannot be written (so read as immutable, without its -shm):
    refused while changes wait in its -wal, which would be silently left out."""
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise StorageFull(_("{path} can only be read here, and changes still wait beside it in {wal}, which "
                            "cannot be read without writing. Copy both files to a folder you can write, and "
                            "open the copy.").format(path=path, wal=wal.name))


def connect(path: Path, passphrase: str, *, create: bool = False, read_only: bool = False) -> sqlcipher3.Connection:
    """An unlocked connection with the store's pragmas; raises the user-facing errors. A store
    that cannot be written here (a read-only folder, a write-protected stick) opens read-only, so
    that reading it works and a write is refused in plain words."""
    path = Path(path)
    if not create:
        _precheck_file(path)
    mode = "rwc" if create else ("rw" if writable(path) and not read_only else "ro")
    if mode == "ro" and not os.access(path.parent, os.W_OK):
        refuse_waiting_wal(path)
        if not Path(f"{path}-shm").exists():
            # SQLite reads a WAL store without its -shm only as immutable: right where nothing can write.
            mode += "&immutable=1"
    conn = sqlcipher3.connect(
        f"file:{path.as_posix()}?mode={mode}", uri=True, isolation_level=None, check_same_thread=False
    )
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # SQLCipher would print HMAC failures on stderr
        conn.execute(f"PRAGMA key = {sql_literal(normalise_passphrase(passphrase))}")
        # SQLCipher's defaults, named: defaults are process-wide and the content file's differ.
        conn.execute(f"PRAGMA cipher_page_size = {PAGE_SIZE}")
        conn.execute(f"PRAGMA cipher_hmac_algorithm = {HMAC}")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError as e:
            if getattr(e, "sqlite_errorname", "") == "SQLITE_NOTADB":
                raise WrongPassphrase(_("Wrong passphrase for {path}.").format(path=path)) from None
            raise translate_error(e, path) from None
        # cipher_memory_security stays OFF (SQLCipher's default since 4.5): it makes every statement
        # 4-5 times slower, process-wide. Keys and pages are instead dropped by closing the connection
        # when the app locks; a memory dump of a running, unlocked session is out of our threat model.
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        # FULL: a committed field survives a power cut, not only a crash of the program.
        conn.execute("PRAGMA synchronous = FULL")
        # The app writes from two connections (edits, and sync on a thread of its own): a writer
        # waits for the other's transaction (a sync page) instead of failing after SQLite's 5 s.
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if create:
            conn.execute("PRAGMA journal_mode = WAL")
        require_fts5(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def require_fts5(conn: sqlcipher3.Connection) -> None:
    options = {row[0] for row in conn.execute("PRAGMA compile_options")}
    if "ENABLE_FTS5" not in options:
        raise StoreDamaged(_("This SQLCipher build has no full-text search (FTS5); reinstall VSM Desktop."))


def translate_error(error: Exception, path: Path | str) -> Exception:
    """Maps a SQLite error to the error a user should see."""
    name = getattr(error, "sqlite_errorname", "")
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "malformed" in str(error):
        return StoreDamaged(_("{path} is damaged or not a VSM store.").format(path=path))
    if name in ("SQLITE_BUSY", "SQLITE_LOCKED") or "database is locked" in str(error):
        return StoreBusy(_("The store is busy (a sync, or another program using it): the last change was "
                           "not saved yet and will be tried again."))
    if name == "SQLITE_FULL" or "disk is full" in str(error) or (name.startswith("SQLITE_IOERR") and _disk_full(path)):
        return StorageFull(_("The disk is full: the last change was not saved. Free some space and try again."))
    if name.startswith("SQLITE_READONLY") or (name == "SQLITE_CANTOPEN" and not writable(Path(path))):
        return StorageFull(_("{path} can only be read here (its file or folder is write-protected): nothing "
                             "was changed.").format(path=path))
    if name.startswith("SQLITE_IOERR") or name == "SQLITE_CANTOPEN":
        return StorageFull(_("The store could not be written ({reason}); the last change was not saved.").format(reason=name))
    return error


def _disk_full(path: Path | str) -> bool:
    """SQLite reports a write that found no space as an I/O error in some places (its -shm)."""
    try:
        return shutil.disk_usage(Path(path).parent).free < 256 * 1024
    except OSError:
        return False


def fsync_dir(path: Path) -> None:
    """Makes a rename in `path` durable (POSIX; a no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
