"""Packs on every core: learners' PEPs laid out in worker processes, drawn into the one pack.

Each worker opens the store read-only with the passphrase it was handed in memory (through the
pool's start-up pipe: never a file, an argument or the environment) and lays out one learner at
a time into a document of its own, whose canvas keeps each page's drawing operators instead of
writing a file. The pack's own process takes the learners back in order and draws those pages as
they are (RawPage), with the page number form and bookmarks named for their place in the pack.

This works because a pack document and every worker's document give the common characters the
same codes (fonts.seed): a learner whose pages need anything else (a rarer character, an image,
the draft watermark's transparency, a link) is laid out again by the pack's process itself, so
the result is the same pack either way, only sooner.
"""

from __future__ import annotations

import io
import multiprocessing
import os
from dataclasses import dataclass, field

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable


PAGE_MARK = "vsmPageMark"           # the worker's page number form, renamed on replay
_MARK_OP = f"/FormXob.{PAGE_MARK} Do"
# Below this many learners, starting the workers costs more than it saves.
MIN_LEARNERS = 24
WORKER_CACHE_KIB = 8 * 1024


@dataclass
class RecordedPage:
    code: str
    events: list[tuple] = field(default_factory=list)   # ("bookmark", key, top) / ("outline", title, key, level, closed)


@dataclass
class RenderedLearner:
    pages: list[RecordedPage] | None     # None: to be laid out by the pack's own process
    encoding: tuple | None = None


class RecordingCanvas(Canvas):
    """A canvas that keeps each page's operators and bookmarks instead of building a PDF."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.recorded: list[RecordedPage] = []
        self._events: list[tuple] = []
        self.portable = True

    def bookmarkPage(self, key, fit="Fit", left=None, top=None, bottom=None, right=None, zoom=None):
        if fit != "XYZ" or left != 0:
            self.portable = False
        self._events.append(("bookmark", key, top))

    def addOutlineEntry(self, title, key, level=0, closed=None):
        self._events.append(("outline", title, key, level, closed))

    def showPage(self):
        extras = [f for f in self._formsinuse if f != PAGE_MARK]
        code = "\n".join(self._code)
        if (extras or self._annotationrefs or self._colorsUsed or self._shadingUsed or self._psCommandsBeforePage
                or self._psCommandsAfterPage or code.count(_MARK_OP) != 1 or self._extgstate._c or self._extgstate._d):
            self.portable = False
        self.recorded.append(RecordedPage(code, self._events))
        self._events = []
        self._startPage()

    def save(self):
        pass


class RawPage(Flowable):
    """One page laid out elsewhere: fills the "raw" page template's frame."""

    def __init__(self, page: RecordedPage):
        super().__init__()
        self.page = page

    def wrap(self, aw, ah):
        from .layout import PAGE_HEIGHT, PAGE_WIDTH

        # A point short of the page: the zero-size markers that follow (SetPage, Finish) still fit on it.
        self.width, self.height = PAGE_WIDTH, PAGE_HEIGHT - 1
        return self.width, self.height

    def draw(self):
        from .layout import _page_form

        canv = self.canv
        x, y = canv.absolutePosition(0, 0)
        canv.translate(-x, -y)
        n = canv.getPageNumber()
        canv._code.append(self.page.code.replace(_MARK_OP, f"/FormXob.{_page_form(n)} Do"))
        canv._formsinuse.append(_page_form(n))
        doc = canv._doctemplate
        for event in self.page.events:
            if event[0] == "bookmark":
                _kind, key, top = event
                canv.bookmarkPage(key, fit="XYZ", left=0, top=top)
                doc.anchor_pages[key] = n
            else:
                _kind, title, key, level, closed = event
                canv.addOutlineEntry(title, key, level=level, closed=closed)


# --- the workers ----------------------------------------------------------------------------

_worker: dict = {}


def _start(path: str, passphrase: str, mode: str, generated_at, author: str, signed: bool) -> None:
    from ..store.store import Store
    from . import layout
    from .lang import Labels

    store = Store.open(path, passphrase, upgrade=False, read_only=True)
    # A worker reads each learner once: a small page cache keeps its memory down (the store's own is 1 GB).
    store.conn.execute(f"PRAGMA cache_size = -{WORKER_CACHE_KIB}")
    labels = Labels(mode)
    _worker.update(store=store, labels=labels, styles=layout.make_styles(), generated_at=generated_at,
                   author=author, signed=signed)


def _render(entry) -> RenderedLearner:
    from . import layout
    from .pack import learner_story

    w = _worker
    context, story = learner_story(w["store"], entry, w["labels"], w["styles"], signed=w["signed"])
    info = layout.DocInfo(title="", author=w["author"], subject="", generated_at=w["generated_at"])
    doc = layout.PepDocTemplate(io.BytesIO(), w["labels"], w["styles"], info, context, seed_fonts=True,
                                page_mark=PAGE_MARK)
    doc._doSave = 0
    from reportlab.platypus import NextPageTemplate

    doc.build([NextPageTemplate("later")] + story, canvasmaker=RecordingCanvas)
    canv = doc.canv
    if not canv.portable:
        return RenderedLearner(None)
    return RenderedLearner(canv.recorded, layout.fonts.encoding_state(canv._doc))


def worker_count(learners: int) -> int:
    """How many processes lay a pack out: none for a small pack, else one per core (at most 8)."""
    if learners < MIN_LEARNERS:
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(0, min(8, cores))


def open_pool(processes: int, path, passphrase: str, mode: str, generated_at, author: str, signed: bool):
    """A process pool whose map gives each learner's RenderedLearner in order. A worker that cannot
    start or dies makes the pool broken (an error for the pack), never a wait without end."""
    from concurrent.futures import ProcessPoolExecutor

    # spawn everywhere: the desktop app runs Qt threads, which a fork must not copy.
    return ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"), initializer=_start,
                               initargs=(str(path), passphrase, mode, generated_at, author, signed))
