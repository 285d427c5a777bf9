"""Who has a store open. Every open store holds a shared lock on its file; changing the passphrase
replaces the file, so it needs the lock alone: a process still writing into the old, unlinked
file would lose every edit it made afterwards.

POSIX `flock` locks are apart from the byte-range locks SQLite takes on the same file, and need no
write access (a store in a read-only folder still opens). A lock is on the file's inode: after a
re-key has swapped a new file in, a waiting opener finds its lock on the old inode and locks the
new one instead. Windows has no `flock`; there the system itself refuses to replace a file another
process has open, which `rekey` reports as the same "in use" refusal.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from ..errors import StoreInUse
from ..i18n import _

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

WAIT_SECONDS = 15.0   # how long an opener waits for a passphrase change in another process


def in_use_error(path: Path) -> StoreInUse:
    return StoreInUse(_("{path} is open in another program (the application, its sync, or another command). "
                        "Close it there and try again; the passphrase was not changed.").format(path=path))


class StoreLock:
    """A shared or exclusive lock on a store file, held until `release`."""

    def __init__(self, path: Path, fd: int | None, exclusive: bool) -> None:
        self.path, self._fd, self.exclusive = path, fd, exclusive

    @classmethod
    def shared(cls, path: Path, wait: float = WAIT_SECONDS) -> "StoreLock":
        """Waits while another process changes the passphrase, then holds a shared lock."""
        return cls._take(path, exclusive=False, wait=wait)

    @classmethod
    def exclusive(cls, path: Path) -> "StoreLock":
        """The store alone, at once, or StoreInUse."""
        return cls._take(path, exclusive=True, wait=0)

    @classmethod
    def _take(cls, path: Path, exclusive: bool, wait: float) -> "StoreLock":
        if fcntl is None:
            return cls(path, None, exclusive)
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        deadline = time.monotonic() + wait
        while True:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            try:
                if _try_lock(fd, mode, deadline):
                    if _same_file(fd, path):
                        return cls(path, fd, exclusive)
                    # A re-key swapped a new file in while we waited: lock that one.
                    os.close(fd)
                    continue
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)
            raise in_use_error(path) if exclusive else StoreInUse(
                _("{path} is being changed by another program (a new passphrase); try again in a moment.").format(
                    path=path))

    def try_exclusive(self) -> bool:
        """Upgrades this process's shared lock when no other process has the store open. On
        failure the shared lock is held again (an upgrade may drop it for a moment)."""
        if self._fd is None:
            return True
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fcntl.flock(self._fd, fcntl.LOCK_SH)
            return False
        self.exclusive = True
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)   # closing the descriptor drops its lock
            self._fd = None


def _try_lock(fd: int, mode: int, deadline: float) -> bool:
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)


def _same_file(fd: int, path: Path) -> bool:
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino)
