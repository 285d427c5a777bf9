"""Errors a user can meet, each with its own exit code for the command line."""

from __future__ import annotations


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


class Refused(VsmError):
    """The domain refused a change: an invalid value, or a finalised review."""

    exit_code = 7


class StoreExists(VsmError):
    exit_code = 8


class Interrupted(VsmError):
    exit_code = 130
