"""Desktop app benchmarks on a demo store (default: the 7,500-learner one of bench_store.py).

    .venv/bin/python benchmarks/bench_app.py [--learners 7500] [--runs 5]

Measures, offscreen: process start to an unlocked, painted main window (key derivation
reported on its own, and an empty PySide6 window's start as the baseline), then on to every row
of the list complete (a big store paints its first screen of rows first), and to the unlock
page painted (what a person sees first); typing in the
search box to the list updated; the list read again when it shows after a review; opening a learner's current review in the editor; and the
longest stall of the UI thread while autosave commits during typing. Medians are printed and
written to benchmarks/out/app-results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_store import PASSPHRASE, build  # noqa: E402

START_SCRIPT = r"""
import os, sys, time
t0 = time.perf_counter()
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, {root!r})
from PySide6.QtWidgets import QApplication
app = QApplication([])
from vsm_desktop import settings
from vsm_desktop.app.main import AppController
s = settings.load(); s.language = "en"
c = AppController(app, s, {path!r})
c.window.show()
t_kdf = []
page = c.unlock_page
orig = c.worker.open
def timed_open(opener, on_done=None, on_error=None):
    def run():
        k = time.perf_counter(); store = opener(); t_kdf.append(time.perf_counter() - k); return store
    return orig(run, on_done, on_error)
c.worker.open = timed_open
page.passphrase.setText({passphrase!r}); page.unlock()
painted = []
def check():
    if not painted and c.learner_list.model.rowCount() and c.learner_list.table.isVisible():
        c.window.repaint()
        painted.append(time.perf_counter() - t0)
        print("painted", painted[0], t_kdf[0], flush=True)
    if painted and not any("pending" in row for row in c.learner_list.model.rows):
        # Every row complete (a big store paints its first screen first, see load_first_rows).
        print("complete", time.perf_counter() - t0, flush=True)
        app.quit()
from PySide6.QtCore import QTimer
t = QTimer(); t.timeout.connect(check); t.start(1)
app.exec()
c.close_requested()
"""

FIRST_PAGE_SCRIPT = r"""
import os, sys, time
t0 = time.perf_counter()
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, {root!r})
from PySide6.QtWidgets import QApplication
app = QApplication([])
from vsm_desktop import settings
from vsm_desktop.app.main import AppController
s = settings.load(); s.language = "en"
c = AppController(app, s, {path!r})
c.window.show(); c.window.repaint()
print("painted", time.perf_counter() - t0, flush=True)
"""

EMPTY_SCRIPT = r"""
import os, sys, time
t0 = time.perf_counter()
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1366, 768); w.show(); w.repaint()
print("painted", time.perf_counter() - t0, flush=True)
"""


def run_script(script: str, env: dict) -> tuple[float, list[str]]:
    """Seconds from starting the process to its "painted" line (interpreter start included, the
    shutdown after it not), and the line's fields (then those of a "complete" line, if any)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env=env)
    try:
        wall, fields = None, []
        for line in proc.stdout:
            if line.startswith("painted"):
                wall, fields = time.perf_counter() - start, line.split()[1:]
            elif line.startswith("complete"):
                fields += line.split()[1:]
        proc.wait(timeout=120)
        if wall is None:
            raise RuntimeError("the app did not paint")
        return wall, fields
    finally:
        if proc.poll() is None:
            proc.kill()


def bench_start(path: Path, runs: int) -> dict:
    folder = tempfile.mkdtemp()
    env = dict(os.environ, VSM_USER_SETTINGS=f"{folder}/u.json", VSM_MACHINE_SETTINGS=f"{folder}/m.json")
    starts, kdf, empty, first, complete = [], [], [], [], []
    for _ in range(runs):
        wall, fields = run_script(START_SCRIPT.format(root=str(ROOT), path=str(path), passphrase=PASSPHRASE), env)
        starts.append(wall)
        kdf.append(float(fields[1]))
        # In the process's own clock (from its first line): beside "painted" there, not the wall above.
        complete.append(float(fields[2]) - float(fields[0]))
        wall, _fields = run_script(EMPTY_SCRIPT, env)
        empty.append(wall)
        wall, _fields = run_script(FIRST_PAGE_SCRIPT.format(root=str(ROOT), path=str(path)), env)
        first.append(wall)
    return {"start_to_painted_unlocked_s": statistics.median(starts), "key_derivation_s": statistics.median(kdf),
            "painted_to_every_row_complete_s": statistics.median(complete),
            "empty_window_start_s": statistics.median(empty), "start_to_unlock_page_painted_s": statistics.median(first)}


def bench_in_process(path: Path) -> dict:
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from vsm_desktop import settings
    from vsm_desktop.app.main import AppController

    folder = tempfile.mkdtemp()
    os.environ.update(VSM_USER_SETTINGS=f"{folder}/u.json", VSM_MACHINE_SETTINGS=f"{folder}/m.json")
    app = QApplication.instance() or QApplication([])
    s = settings.load()
    s.language = "en"
    c = AppController(app, s, path)
    c.window.show()

    def wait(cond, limit_ms=60_000) -> float:
        clock = QElapsedTimer()
        clock.start()
        while not cond() and clock.elapsed() < limit_ms:
            app.processEvents()
        return clock.nsecsElapsed() / 1e6

    c.unlock_page.passphrase.setText(PASSPHRASE)
    c.unlock_page.unlock()
    wait(lambda: c.learner_list.model.rowCount() > 0
         and not any("pending" in row for row in c.learner_list.model.rows))
    results = {}

    # Search: type a name, then wait until the proxy shows the new result.
    names = [r["legal_surname"][:4].lower() for r in c.learner_list.model.rows[::150]][:40]
    page = c.learner_list
    times = []
    for query in names:
        page.search.clear()
        wait(lambda: page.proxy.rowCount() == page.model.rowCount())
        before = page._search_token
        clock = QElapsedTimer()
        clock.start()
        page.search.setText(query)
        page._search_timer.stop()      # measure the work, not the typing pause before it
        page._run_search()
        wait(lambda: page._search_token == before + 1 and page.proxy.matching is not None)
        times.append(clock.nsecsElapsed() / 1e6)
    results["search_update_ms"] = statistics.median(times)
    results["search_update_p95_ms"] = sorted(times)[int(0.95 * (len(times) - 1))]

    # Open a learner's current review in the editor.
    reviews = []
    c.worker.submit(lambda store: [r[0] for r in store.conn.execute(
        "SELECT id FROM reviews WHERE status = 'draft' ORDER BY id LIMIT 20")], reviews.extend)
    wait(lambda: bool(reviews))
    open_times = []
    c.show_review(reviews[0])  # the editor's widgets are built once, on first use
    editor = c.editor
    wait(lambda: editor.review_id == reviews[0] and editor._loading_id is None)
    for review_id in reviews[1:]:
        clock = QElapsedTimer()
        clock.start()
        c.show_review(review_id)
        wait(lambda: editor.review_id == review_id and editor._loading_id is None)
        open_times.append(clock.nsecsElapsed() / 1e6)
    results["open_review_ms"] = statistics.median(open_times)

    # Back to the list: every row is read again (the list tells the truth after a review changed).
    refresh_times = []
    for _ in range(5):
        c.show_review(reviews[0])
        wait(lambda: editor._loading_id is None)
        done = []
        clock = QElapsedTimer()
        clock.start()
        c.show_list()
        c.worker.submit(lambda store: None, lambda _r: done.append(clock.nsecsElapsed() / 1e6))
        wait(lambda: bool(done))
        refresh_times.append(done[0])
    results["list_refresh_on_show_ms"] = statistics.median(refresh_times)

    # The longest UI-thread stall while typing with autosave: a 5 ms timer's largest late tick.
    c.show_learner(c.learner_list.model.rows[0]["id"])
    wait(lambda: c.learner_page.record is not None)
    field = c.learner_page.profile.editors["preferred_name"].widget
    field.setFocus()
    gaps = []
    last = [time.perf_counter()]

    def tick():
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now
    ticker = QTimer()
    ticker.timeout.connect(tick)
    ticker.start(5)
    for i in range(300):
        QTest.keyClicks(field, "ab"[i % 2])
        wait(lambda: False, 10)
    ticker.stop()
    wait(lambda: not c.autosave.has_pending())
    results["longest_ui_stall_ms"] = max(gaps) - 5
    results["ui_tick_p99_ms"] = sorted(gaps)[int(0.99 * (len(gaps) - 1))] - 5
    c.close_requested()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=7500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    encrypted, _plain = build(args.out, args.learners)
    work = args.out / f"app-{args.learners}.vsm"
    work.write_bytes(encrypted.read_bytes())
    results = {"learners": args.learners} | bench_start(work, args.runs) | bench_in_process(work)
    for key, value in results.items():
        print(f"  {key:32} {value:10.3f}" if isinstance(value, float) else f"  {key:32} {value}")
    (args.out / "app-results.json").write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
