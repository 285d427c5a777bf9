"""PDF benchmarks: one signed PEP against a bare reportlab script, and PEP packs.

    .venv/bin/python benchmarks/bench_pdf.py [--sizes 100 1100] [--repeat 15] [--out benchmarks/out]

Builds (once, then reuses) a demo authority of 1,100 learners (`vsm_desktop.demo.generator`),
then measures, each in a fresh process so that memory figures are the job's own:

* one PEP review (the finalised review with the most content) laid out and signed, warm
  (median of --repeat runs in one process), and the same content laid out by a bare
  reportlab script (plain paragraphs and tables, same font): the ratio is the cost of the
  real document (bilingual labels, tables, page numbers, bookmarks) and of signing;
* the first PEP of a process (imports, font registration, pyHanko), once;
* what `vsm-desktop export-pdf` costs a person: the whole command's process, against a process
  that only starts Python and opens the store (the key derivation) as the baseline, alternately
  (--cli-runs each); the difference is the first PEP as the command pays for it;
* packs of the first N learners (signed as a whole): time and peak memory (ru_maxrss), in one
  process (the baseline) and with --workers worker processes, alternately in the same run; peak
  memory is each process's own high-water mark (VmHWM: a spawned worker's ru_maxrss starts at
  its parent's), the pack's process and each worker apart, and the whole job's peak is their sum.

Budgets (issue 6): one signed PEP <= 0.5 s; 100-learner pack <= 30 s; peak memory of the
1,100-learner pack <= 400 MB. Results go to OUT/pdf-results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_store import PASSPHRASE, build  # noqa: E402  (one demo store, shared by the benchmarks)


def richest_review(store) -> str:
    return store.conn.execute(
        """SELECT r.id FROM reviews r WHERE r.status = 'finalised'
           ORDER BY (SELECT count(*) FROM targets t WHERE t.review_id = r.id)
                  + (SELECT count(*) FROM attendees a WHERE a.review_id = r.id)
                  + length(coalesce(r.progress_summary, '')) / 100 DESC, r.id LIMIT 1""").fetchone()[0]


def bare_reportlab(data, target) -> None:
    """The same content, laid out the plainest way reportlab allows: the baseline."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table
    from xml.sax.saxutils import escape

    from vsm_desktop.pdf import fonts

    fonts.register()
    style = ParagraphStyle("b", fontName=fonts.REGULAR, fontSize=9.5, leading=13)
    story = []
    learner, review = data.learner, data.review
    for key, value in list(learner.items()) + [(k, v) for k, v in review.items() if not isinstance(v, list)]:
        if value not in (None, ""):
            story.append(Paragraph(f"{escape(key)}: {escape(str(value))}", style))
    for name in ("targets", "actions", "exclusions", "interventions", "attendees", "attainments"):
        rows = [[Paragraph(escape(str(v))[:700], style) for k, v in row.items()
                 if k not in ("id", "review_id", "signature_png") and v not in (None, "")][:5] for row in review[name]]
        rows = [r + [""] * (5 - len(r)) for r in rows if r]
        if rows:
            story.append(Table(rows, colWidths=[95] * 5, repeatRows=0))
    for c in data.contacts:
        story.append(Paragraph(escape(f"{c['role']}: {c['name']} {c['organisation'] or ''}"), style))
    SimpleDocTemplate(target, pagesize=A4).build(story)


def one_pep(store_path: Path, repeat: int) -> dict:
    from vsm_desktop.pdf import export
    from vsm_desktop.pdf.document import load_review
    from vsm_desktop.store.store import Store

    timings, baseline, render_only = [], [], []
    with Store.open(store_path, PASSPHRASE) as store, tempfile.TemporaryDirectory() as tmp:
        review = richest_review(store)
        start = time.perf_counter()
        first = export.export_review(store, review, Path(tmp) / "first.pdf", "en")
        cold = time.perf_counter() - start
        for i in range(repeat):
            start = time.perf_counter()
            result = export.export_review(store, review, Path(tmp) / f"pep{i}.pdf", "en")
            timings.append(time.perf_counter() - start)
            start = time.perf_counter()
            export.export_review(store, review, Path(tmp) / f"plain{i}.pdf", "en", sign=False)
            render_only.append(time.perf_counter() - start)
            start = time.perf_counter()
            bare_reportlab(load_review(store, review), str(Path(tmp) / f"bare{i}.pdf"))
            baseline.append(time.perf_counter() - start)
        both = []
        for i in range(max(3, repeat // 3)):
            start = time.perf_counter()
            export.export_review(store, review, Path(tmp) / f"both{i}.pdf", "both")
            both.append(time.perf_counter() - start)
    return {
        "pages": result.pages, "signed": result.signed, "first_in_process_s": round(cold, 3),
        "signed_pep_median_s": round(statistics.median(timings), 4),
        "unsigned_pep_median_s": round(statistics.median(render_only), 4),
        "bilingual_signed_pep_median_s": round(statistics.median(both), 4),
        "bare_reportlab_median_s": round(statistics.median(baseline), 4),
        "ratio_signed_to_bare": round(statistics.median(timings) / statistics.median(baseline), 2),
        "ratio_unsigned_to_bare": round(statistics.median(render_only) / statistics.median(baseline), 2),
        "first_pages": first.pages,
    }


OPEN_ONLY = ("import sys; from pathlib import Path; from vsm_desktop.store.store import Store; "
             "Store.open(Path(sys.argv[1]), sys.argv[2]).close()")


def timed_process(args: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env=env, cwd=ROOT)
    return time.perf_counter() - start


def cli_pep(store_path: Path, runs: int) -> dict:
    """`vsm-desktop export-pdf` of the richest review as a whole process, and the baseline."""
    import os

    from vsm_desktop.store.store import Store

    with Store.open(store_path, PASSPHRASE) as store:
        review = richest_review(store)
    env = dict(os.environ, VSM_PASSPHRASE=PASSPHRASE)
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "vsm_desktop", "export-pdf", "--store", str(store_path), "--review", review,
                   "--out", str(Path(tmp) / "pep.pdf"), "--lang", "en"]
        baseline = [sys.executable, "-c", OPEN_ONLY, str(store_path), PASSPHRASE]
        timed_process(command, env)  # the signing identity is made on first use: not measured
        whole, opened = [], []
        for _ in range(runs):
            whole.append(timed_process(command, env))
            opened.append(timed_process(baseline, env))
    return {"export_pdf_process_s": round(statistics.median(whole), 3),
            "python_and_store_open_process_s": round(statistics.median(opened), 3),
            "export_pdf_beyond_open_s": round(statistics.median(w - o for w, o in zip(whole, opened)), 3)}


def _peak_mib(pid: int | str = "self") -> float | None:
    """A process's own peak resident memory (VmHWM). Not ru_maxrss: a process started with
    vfork and exec (a spawned worker) inherits its parent's peak there."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class WorkerPeaks:
    """Samples the peak memory of this process's children (the pack's workers) until stopped."""

    def __init__(self, every: float = 0.1) -> None:
        import threading

        self.peaks: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)
        self._thread.start()

    def _children(self) -> list[int]:
        me, found = os.getpid(), []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == me:
                        found.append(int(entry.name))
                except (OSError, IndexError, ValueError):
                    pass
        return found

    def _run(self, every: float) -> None:
        while not self._stop.wait(every):
            for pid in self._children():
                peak = _peak_mib(pid)
                if peak is not None:
                    self.peaks[pid] = max(peak, self.peaks.get(pid, 0))

    def stop(self) -> list[float]:
        self._stop.set()
        self._thread.join()
        return sorted(self.peaks.values(), reverse=True)


def pack(store_path: Path, size: int, workers: int = 0) -> dict:
    """A pack of the first `size` learners, in this process (workers 0) or with worker processes."""
    from vsm_desktop.pdf import export
    from vsm_desktop.pdf.pack import PackFilter
    from vsm_desktop.store.store import Store

    with Store.open(store_path, PASSPHRASE) as store, tempfile.TemporaryDirectory() as tmp:
        refs = [r["reference"] for r in store.list_learners()][:size]
        out = Path(tmp) / "pack.pdf"
        sampler = WorkerPeaks()
        start, cpu = time.perf_counter(), time.process_time()
        result = export.export_pack(store, out, PackFilter(learners=refs), "en", workers=workers,
                                    passphrase=PASSPHRASE if workers else None)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        worker_peaks = [p for p in sampler.stop() if p > 0][:workers]
        mb = out.stat().st_size / 1e6
    own = _peak_mib() or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The whole job's peak, at most: this process's and every worker's, as if they came at once.
    whole = own + sum(worker_peaks)
    return {"learners": result.learners, "included": result.included, "pages": result.pages, "signed": result.signed,
            "workers": workers, "in_workers": result.in_workers, "seconds": round(elapsed, 2),
            "main_cpu_s": round(cpu, 2), "workers_cpu_s": round(children.ru_utime + children.ru_stime, 2),
            "file_mb": round(mb, 1), "peak_rss_mb": round(own, 1),
            "worker_peaks_mb": [round(p, 1) for p in worker_peaks],
            "peak_rss_whole_mb": round(whole, 1)}


def in_child(args: list[str]) -> dict:
    result = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1100])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--pack-repeat", type=int, default=3, help="runs of the smaller packs (the largest runs once)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    parser.add_argument("--workers", type=int, nargs="+", default=[0, 2],
                        help="pack runs with these numbers of worker processes (0: one process)")
    parser.add_argument("--skip-pep", action="store_true", help="only the packs")
    parser.add_argument("--cli-runs", type=int, default=7, help="runs of the export-pdf command and its baseline")
    parser.add_argument("--skip-packs", action="store_true", help="only the PEP figures")
    parser.add_argument("--child", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    results: dict = {}
    if args.child:
        kind, path, n, *rest = args.child
        print(json.dumps(one_pep(Path(path), int(n)) if kind == "pep" else pack(Path(path), int(n), int(rest[0]))))
        return
    args.out.mkdir(parents=True, exist_ok=True)
    store_path, _plain = build(args.out, max(max(args.sizes), 1100))
    if not args.skip_pep:
        results["pep"] = in_child(["--child", "pep", str(store_path), str(args.repeat)])
        print("one PEP:", results["pep"])
        results["cli"] = cli_pep(store_path, args.cli_runs)
        print("export-pdf command:", results["cli"])
    for size in ([] if args.skip_packs else sorted(args.sizes)):
        # One process (the baseline) and the worker pool, alternately, so both see the same machine.
        runs: dict[int, list[dict]] = {w: [] for w in args.workers}
        for _ in range(args.pack_repeat if size < max(args.sizes) else 1):
            for w in args.workers:
                runs[w].append(in_child(["--child", "pack", str(store_path), str(size), str(w)]))
        for w, done in runs.items():
            key = f"pack_{size}" + (f"_workers_{w}" if w else "")
            results[key] = {
                **done[-1], "seconds_median": statistics.median(r["seconds"] for r in done),
                "peak_rss_whole_mb_median": statistics.median(r["peak_rss_whole_mb"] for r in done), "runs": len(done)}
            print(f"pack of {size}, {w or 'no'} workers:", results[key])
    (args.out / "pdf-results.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
