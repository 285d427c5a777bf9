"""Hybrid logical clock: stamps that follow wall time, never go back, and order every change.

A stamp is (wall milliseconds, counter, device id). Its text form sorts the same way as the
tuple, so the store can compare stamps as strings: 15 digits, 6 digits, the device id.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Callable

DEVICE_ID_PATTERN = re.compile(r"[0-9a-f]{16}")
MAX_COUNTER = 999_999
# A remote stamp this far ahead of our wall clock is refused rather than dragging our clock forward.
MAX_DRIFT_MS = 24 * 3600 * 1000


class ClockError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Stamp:
    wall: int
    counter: int
    device: str

    def __str__(self) -> str:
        return f"{self.wall:015d}-{self.counter:06d}-{self.device}"

    @classmethod
    def parse(cls, text: str) -> "Stamp":
        m = re.fullmatch(r"(\d{15})-(\d{6})-([0-9a-f]{16})", text or "")
        if not m:
            raise ClockError(f"not a clock stamp: {text!r}")
        return cls(int(m.group(1)), int(m.group(2)), m.group(3))


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


class HybridLogicalClock:
    """Issues stamps for one device. `now()` for local changes, `observe()` for remote ones."""

    def __init__(self, device: str, last: Stamp | None = None, wall: Callable[[], int] = wall_clock_ms):
        if not DEVICE_ID_PATTERN.fullmatch(device):
            raise ClockError(f"not a device id: {device!r}")
        self.device = device
        self._wall = wall
        self._last_wall = last.wall if last else 0
        self._counter = last.counter if last else 0

    def _advance(self, wall: int, counter: int) -> Stamp:
        if counter > MAX_COUNTER:
            # The counter only overflows if a million stamps share a millisecond: borrow the next one.
            wall, counter = wall + 1, 0
        self._last_wall, self._counter = wall, counter
        return Stamp(wall, counter, self.device)

    def now(self) -> Stamp:
        physical = self._wall()
        if physical > self._last_wall:
            return self._advance(physical, 0)
        return self._advance(self._last_wall, self._counter + 1)

    def observe(self, remote: Stamp) -> Stamp:
        """Merges a stamp received from elsewhere; later local stamps are greater than it."""
        physical = self._wall()
        if remote.wall - physical > MAX_DRIFT_MS:
            raise ClockError("remote clock is more than a day ahead")
        wall = max(physical, self._last_wall, remote.wall)
        if wall == self._last_wall and wall == remote.wall:
            counter = max(self._counter, remote.counter) + 1
        elif wall == self._last_wall:
            counter = self._counter + 1
        elif wall == remote.wall:
            counter = remote.counter + 1
        else:
            counter = 0
        return self._advance(wall, counter)

    def advance_past(self, stamp: Stamp) -> None:
        """Makes every later stamp greater than `stamp` (after importing history made elsewhere)."""
        if (stamp.wall, stamp.counter) > (self._last_wall, self._counter):
            self._last_wall, self._counter = stamp.wall, stamp.counter
