"""The cycle collector is paused only while the wrapped work runs, and left as it was."""

import gc

import pytest

from vsm_desktop.perf import without_gc


def test_paused_inside_restored_after_even_on_error():
    seen = []

    @without_gc
    def work(fail: bool):
        seen.append(gc.isenabled())
        if fail:
            raise ValueError("bad input")
        return "done"

    assert gc.isenabled()
    assert work(False) == "done" and seen == [False] and gc.isenabled()
    with pytest.raises(ValueError):
        work(True)
    assert gc.isenabled()


def test_a_collector_paused_by_the_caller_stays_paused():
    gc.disable()
    try:
        without_gc(lambda: None)()
        assert not gc.isenabled()
    finally:
        gc.enable()
