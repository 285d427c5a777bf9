"""Errors a user can meet, each with its own exit code for the command line."""

from __future__ import annotations

import errno

from .i18n import N_, _, current_language

# The operating system's own text is English (and terse); the common cases get a sentence of ours.
_OS_REASONS = {
    errno.ENOENT: N_("the file or folder does not exist"),
    errno.EACCES: N_("permission was refused: ask your IT team for access"),
    errno.EPERM: N_("permission was refused: ask your IT team for access"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EDQUOT: N_("the disk is full"),
    errno.EISDIR: N_("it is a folder, not a file"),
    errno.ENOTDIR: N_("part of the path is not a folder"),
    errno.EROFS: N_("the disk can only be read, not written"),
}


def describe_os_error(error: OSError) -> str:
    """Why a file could not be used, in the interface language; the system's text only as a detail."""
    detail = error.strerror or str(error)
    reason = _OS_REASONS.get(error.errno)
    if reason is None:
        return detail
    if current_language() == "en":
        return _(reason)
    return _("{reason} (system message: {detail})").format(reason=_(reason), detail=detail)


class VsmError(Exception):
    """Base: `str(error)` is a plain sentence for the user, already translated."""

    exit_code = 1


class ProblemsFound(VsmError):
    exit_code = 1


class UsageError(VsmError):
    exit_code = 2


class StoreMissing(UsageError):
    exit_code = 2


class WrongPassphrase(VsmError):
    exit_code = 3


class StoreDamaged(VsmError):
    exit_code = 4


class StoreTooNew(VsmError):
    exit_code = 5


class StorageFull(VsmError):
    """The disk is full or refused a write; nothing half-written was kept."""

    exit_code = 6


class StoreBusy(StorageFull):
    """Another connection (the app's sync, another program) held the store longer than we wait."""


class Refused(VsmError):
    """The domain refused a change: an invalid value, or a finalised review."""

    exit_code = 7


class StoreExists(VsmError):
    exit_code = 8


class NetworkError(VsmError):
    """The sync server could not be reached, timed out, or its certificate was not trusted."""

    exit_code = 9


class UntrustedServer(NetworkError):
    """The server's TLS certificate is not trusted (a wrong or missing CA bundle)."""


class ServerError(VsmError):
    """The sync server answered, but not with what the protocol allows (an error, HTML, garbage)."""

    exit_code = 10


class DeviceRevoked(VsmError):
    """The sync server no longer accepts this device (revoked, or its token is not valid)."""

    exit_code = 11


class ClockOff(VsmError):
    """This computer's clock is too far from the sync server's."""

    exit_code = 12


class Interrupted(VsmError):
    exit_code = 130


class ImportProblems(VsmError):
    """A file to import has problems (listed in `plan`), so nothing was imported."""

    exit_code = 13

    def __init__(self, message: str, plan=None):
        super().__init__(message)
        self.plan = plan


class UnreadableFile(VsmError):
    """A file to import cannot be read (not text, not CSV); the message names the row."""

    exit_code = 14


class StoreInUse(VsmError):
    """Another process has the store open, so its file cannot be replaced (a new passphrase)."""

    exit_code = 15


class PackFailed(VsmError):
    """A learner's PEP could not be laid out for a pack (in a worker process or not); nothing was written."""

    exit_code = 17
