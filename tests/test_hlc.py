"""The hybrid logical clock: monotonic, robust to a wall clock that jumps back, totally ordered."""

from hypothesis import given, settings
from hypothesis import strategies as st
import pytest

from vsm_desktop.sync.hlc import ClockError, HybridLogicalClock, Stamp

DEVICES = st.text(alphabet="0123456789abcdef", min_size=16, max_size=16)


class FakeWall:
    """A wall clock the test moves, forwards and backwards."""

    def __init__(self, start: int):
        self.now = start

    def __call__(self) -> int:
        return self.now


@settings(max_examples=200)
@given(device=DEVICES, start=st.integers(0, 10**13), steps=st.lists(st.integers(-10**7, 10**7), max_size=200))
def test_stamps_strictly_increase_whatever_the_wall_clock_does(device, start, steps):
    wall = FakeWall(start)
    clock = HybridLogicalClock(device, wall=wall)
    previous = clock.now()
    for step in steps:
        wall.now = max(0, wall.now + step)
        stamp = clock.now()
        assert stamp > previous
        assert str(stamp) > str(previous), "the text form must sort like the stamp"
        assert stamp.wall >= wall.now  # never behind the physical clock
        previous = stamp


@settings(max_examples=200)
@given(a=DEVICES, b=DEVICES, events=st.lists(st.tuples(st.booleans(), st.integers(0, 5000)), max_size=100))
def test_receiving_a_stamp_orders_later_local_stamps_after_it(a, b, events):
    wall_a, wall_b = FakeWall(10**12), FakeWall(10**12 + 777)
    clock_a, clock_b = HybridLogicalClock(a, wall=wall_a), HybridLogicalClock(b, wall=wall_b)
    for a_sends, jump in events:
        wall_a.now += jump - 2500
        wall_b.now += 2500 - jump
        sender, receiver = (clock_a, clock_b) if a_sends else (clock_b, clock_a)
        sent = sender.now()
        received = receiver.observe(sent)
        assert received > sent
        assert receiver.now() > received


@given(x=st.tuples(st.integers(0, 10**14), st.integers(0, 999_999), DEVICES),
       y=st.tuples(st.integers(0, 10**14), st.integers(0, 999_999), DEVICES))
def test_text_form_is_a_total_order_matching_the_tuple(x, y):
    sx, sy = Stamp(*x), Stamp(*y)
    assert (str(sx) < str(sy)) == (x < y)
    assert (str(sx) == str(sy)) == (x == y)
    assert Stamp.parse(str(sx)) == sx


def test_same_millisecond_on_two_devices_is_still_ordered_by_device():
    wall = FakeWall(1_700_000_000_000)
    s1 = HybridLogicalClock("0" * 16, wall=wall).now()
    s2 = HybridLogicalClock("f" * 16, wall=wall).now()
    assert s1 != s2 and s1 < s2


def test_clock_restarted_from_its_last_stamp_does_not_repeat_it():
    wall = FakeWall(5_000)
    clock = HybridLogicalClock("a" * 16, wall=wall)
    last = [clock.now() for _ in range(10)][-1]
    wall.now = 1_000  # the machine's clock was set back while the app was closed
    restarted = HybridLogicalClock("a" * 16, last=last, wall=wall)
    assert restarted.now() > last


def test_refuses_a_remote_clock_a_day_ahead_and_malformed_stamps():
    clock = HybridLogicalClock("a" * 16, wall=FakeWall(0))
    with pytest.raises(ClockError):
        clock.observe(Stamp(2 * 24 * 3600 * 1000, 0, "b" * 16))
    with pytest.raises(ClockError):
        Stamp.parse("not a stamp")
    with pytest.raises(ClockError):
        HybridLogicalClock("NOTHEX")
