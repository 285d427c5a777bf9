"""Writing files a reader never sees half-written: a temp file beside the target, fsync, rename."""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from .i18n import N_

# Said after writing a file out of the encrypted store (a PDF, a report, an export).
NOT_ENCRYPTED = N_("The file is not encrypted: keep it as safe as the record it holds.")

# A cell starting with one of these is run as a formula by spreadsheets (OWASP: CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text)


def spreadsheet_safe(value):
    """A CSV cell that no spreadsheet runs: text that would start a formula gets a leading
    apostrophe, which spreadsheets show as text (numbers stay numbers)."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


@contextmanager
def atomic_file(path: Path | str, mode: str = "w") -> Iterator[IO]:
    """Yields a file open for writing; on success it replaces `path`, on error it is removed."""
    path = Path(path)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name, suffix=".part")
    try:
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def write_atomically(path: Path | str, text: str) -> None:
    with atomic_file(path) as f:
        f.write(text)
