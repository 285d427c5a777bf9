"""One worker thread owns the store's connection; the UI thread never waits on SQLCipher.

`submit(fn, on_done, on_error)` runs `fn(store)` on the worker thread and calls `on_done(result)`
or `on_error(exception)` back on the UI thread. Operations run one at a time, in order, so an
edit submitted before a close is committed before the close.
"""

from __future__ import annotations

import itertools
import logging
import threading
from typing import Any, Callable

from .qt import QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)


class _Runner(QObject):
    done = Signal(int, object)  # token, (result, error)

    def __init__(self) -> None:
        super().__init__()
        self.store = None

    @Slot(object)
    def call(self, job: Callable) -> None:
        job(self)

    @Slot(int, object)
    def run(self, token: int, fn: Callable) -> None:
        try:
            result = fn(self)
        except BaseException as e:  # handed to the UI thread, never lost
            log.info("store operation %s failed: %s", token, type(e).__name__)
            self.done.emit(token, (None, e))
        else:
            self.done.emit(token, (result, None))


class StoreWorker(QObject):
    _request = Signal(int, object)
    _call = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("store")
        self._runner = _Runner()
        self._runner.moveToThread(self._thread)
        self._request.connect(self._runner.run)
        self._call.connect(self._runner.call)
        self._runner.done.connect(self._finished)
        self._callbacks: dict[int, tuple] = {}
        self._tokens = itertools.count(1)
        self._thread.start()

    def submit(self, fn: Callable[[Any], Any], on_done: Callable | None = None,
               on_error: Callable | None = None) -> int:
        """Runs `fn(store)`; `store` is None until `open` has succeeded."""
        token = next(self._tokens)
        self._callbacks[token] = (on_done, on_error)
        if len(self._callbacks) == 1:
            self.busy_changed.emit(True)
        self._request.emit(token, lambda runner: fn(runner.store))
        return token

    def open(self, opener: Callable[[], Any], on_done: Callable | None = None,
             on_error: Callable | None = None) -> int:
        """Runs `opener()` (key derivation included) on the worker and keeps the store it returns."""
        def run(runner):
            if runner.store is not None:
                runner.store.close()
                runner.store = None
            runner.store = opener()
            return runner.store
        token = next(self._tokens)
        self._callbacks[token] = (on_done, on_error)
        self._request.emit(token, run)
        return token

    def close_store(self, on_done: Callable | None = None) -> int:
        def run(runner):
            if runner.store is not None:
                runner.store.close()
                runner.store = None
        token = next(self._tokens)
        self._callbacks[token] = (on_done, None)
        self._request.emit(token, run)
        return token

    def call_from_thread(self, fn: Callable[[Any], Any]) -> Any:
        """For a thread of its own (a long PDF job): runs `fn(store)` on the worker, in turn with
        the UI's operations, and returns its result or raises its error. Never from the UI thread,
        which must not wait; the answer does not pass through the UI thread, so a busy UI delays nothing."""
        done = threading.Event()
        outcome: list = [None, None]

        def job(runner) -> None:
            try:
                outcome[0] = fn(runner.store)
            except BaseException as e:  # raised again in the calling thread
                outcome[1] = e
            finally:
                done.set()
        self._call.emit(job)
        while not done.wait(0.2):
            if not self._thread.isRunning():
                raise RuntimeError("the store worker has stopped")
        if outcome[1] is not None:
            raise outcome[1]
        return outcome[0]

    def pending(self) -> int:
        return len(self._callbacks)

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """Blocks the caller until every submitted operation has finished (for shutdown and tests)."""
        from .qt import QCoreApplication, QElapsedTimer

        clock = QElapsedTimer()
        clock.start()
        while self._callbacks and clock.elapsed() < timeout_ms:
            QCoreApplication.processEvents()
            QThread.msleep(2)
        return not self._callbacks

    def shutdown(self) -> None:
        """Closes the store after everything submitted, and stops the thread. Safe to call twice."""
        if not self._thread.isRunning():
            return
        self.close_store()
        self.wait_idle()
        self._thread.quit()
        self._thread.wait()

    @Slot(int, object)
    def _finished(self, token: int, outcome: tuple) -> None:
        result, error = outcome
        on_done, on_error = self._callbacks.pop(token, (None, None))
        if not self._callbacks:
            self.busy_changed.emit(False)
        if error is None:
            if on_done:
                on_done(result)
        elif on_error:
            on_error(error)
        else:
            log.warning("unhandled store error %s", type(error).__name__)
