"""Every edit is saved by itself: changes wait at most `DELAY_MS`, then go to the store in one
transaction per record. There is no Save button to forget.

Editors call `queue(entity, record_id, field, value)`. `flush()` sends what is waiting at once
(before a lock, a close, or leaving a page). A refused value (the core's rules) comes back
through `refused`, with the sentence to show beside the field.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import OrderedDict
from typing import Callable

from ..errors import StoreBusy
from .language import human_error
from .qt import QObject, QTimer, Signal
from .worker import StoreWorker

DELAY_MS = 400      # a pause in typing this long sends what is waiting
MAX_WAIT_MS = 800   # and nothing waits longer, even while typing goes on: a crash loses under a second
RETRY_MS = 2_000    # after the store was busy
log = logging.getLogger(__name__)


class Autosave(QObject):
    saving = Signal()
    saved = Signal(object)                       # the time of the commit
    refused = Signal(str, str, str, str)         # entity, record id, field, message
    failed = Signal(str)                         # message (disk full, store closed, …)

    def __init__(self, worker: StoreWorker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self._pending: OrderedDict[tuple[str, str], dict] = OrderedDict()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self._first_pending: float | None = None
        self._in_flight = 0
        self.last_edit = 0.0  # time.monotonic() of the last edit queued

    def typing(self, within: float = 2.0) -> bool:
        """An edit is waiting or was made a moment ago: a reload now could replace what is typed."""
        return self.has_pending() or time.monotonic() - self.last_edit < within

    def queue(self, entity: str, record_id: str, field: str, value) -> None:
        self.last_edit = time.monotonic()
        self._pending.setdefault((entity, record_id), {})[field] = value
        now = time.monotonic()
        if self._first_pending is None:
            self._first_pending = now
        left_ms = MAX_WAIT_MS - (now - self._first_pending) * 1000
        self._timer.start(int(max(0, min(DELAY_MS, left_ms))))

    def has_pending(self) -> bool:
        return bool(self._pending) or self._in_flight > 0

    def flush(self, then: Callable[[], None] | None = None) -> None:
        """Sends every waiting change now; `then` runs once they are all committed (or refused)."""
        self._timer.stop()
        self._first_pending = None
        batches, self._pending = list(self._pending.items()), OrderedDict()
        if batches:
            self.saving.emit()
        for (entity, record_id), changes in batches:
            self._in_flight += 1
            self.worker.submit(
                lambda store, e=entity, r=record_id, c=changes: store.update(e, r, c),
                on_done=lambda _stamps: self._done(),
                on_error=lambda error, e=entity, r=record_id, c=changes: self._error(e, r, c, error),
            )
        if then is not None:
            # The worker runs operations in order: this one ends after every change above.
            self.worker.submit(lambda store: None, on_done=lambda _r: then(), on_error=lambda _e: then())

    def _done(self) -> None:
        self._in_flight -= 1
        if not self._in_flight and not self._pending:
            self.saved.emit(dt.datetime.now())

    def _error(self, entity: str, record_id: str, changes: dict, error: BaseException) -> None:
        self._in_flight -= 1
        from ..domain.model import ValidationError

        if isinstance(error, ValidationError):
            self.refused.emit(entity, record_id, error.field or next(iter(changes)), human_error(error))
            # The rest of the batch was refused with it: send the other fields again on their own.
            rest = {k: v for k, v in changes.items() if k != error.field}
            if rest and error.field in changes:
                for name, value in rest.items():
                    self.queue(entity, record_id, name, value)
        elif isinstance(error, StoreBusy):
            # Nothing was written (a sync held the store): send these values again, unless the
            # user has typed newer ones meanwhile.
            log.info("store busy; %d field(s) queued again", len(changes))
            pending = self._pending.setdefault((entity, record_id), {})
            for name, value in changes.items():
                pending.setdefault(name, value)
            self._timer.start(RETRY_MS)
        else:
            self.failed.emit(human_error(error))
