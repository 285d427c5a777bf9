"""PEP packs: many learners' PEPs in one PDF, for panels and coordinators.

A cover page (authority, date, number of learners, language, what was selected), a contents
page with page numbers, then each learner's latest finalised review (or the draft,
watermarked, when asked), in the order of the interface language. Every learner and every
section is a bookmark. The pack is laid out in one pass, a learner at a time: only one
learner's record and flowables are in memory, and page numbers are filled in at the end
(see layout.py). Signed as a whole, unless it holds a draft.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Iterator

from ..domain import model
from ..errors import Interrupted, PackFailed, UsageError
from ..i18n import N_, _
from ..i18n.collation import fold
from ..store.store import latest_finalised_sql
from .document import SignatureInfo, load_review, pep_story, signature_block
from .lang import Labels

PACK_TITLE = N_("PEP pack")
COVER_DATE = N_("Printed")
COVER_COUNT = N_("Learners")
COVER_LANGUAGE = N_("Language")
COVER_SELECTION = N_("Selection")
COVER_ALL = N_("All learners")
COVER_CAUTION = N_("This pack holds personal information about children looked after. Keep it secure, share it "
                   "only with the people who need it, and destroy it when the panel has finished with it.")
CONTENTS = N_("Contents")
C_LEARNER = N_("Learner")
C_REFERENCE = N_("Reference")
C_SCHOOL = N_("School")
C_REVIEW = N_("PEP review")
C_PAGE = N_("Page")
C_NONE = N_("No finalised PEP review")
LANG_BOTH = N_("Welsh and English")
F_SCHOOL = N_("school: {name}")
F_DUE_BEFORE = N_("due before {date}")
F_DUE_AFTER = N_("due on or after {date}")
F_OUT_OF_COUNTY = N_("placed out of county")
F_RATING = N_("rated {rating}")
F_CHOSEN = N_("chosen learners")
F_SEARCH = N_("found by the search “{text}”")
F_DRAFTS = N_("drafts included")


class PackCancelled(Interrupted):
    """The user cancelled a pack; nothing was written."""


@dataclass
class PackFilter:
    learners: list[str] | None = None        # references or ids
    school: str | None = None
    due_before: dt.date | None = None
    due_after: dt.date | None = None
    out_of_county: bool = False
    rating: str | None = None
    # True when `learners` is what the app's learner list showed through its filters: the other
    # fields then only describe that filter on the cover and select nothing more.
    filtered: bool = False
    search: str | None = None

    def describe(self, labels: Labels, drafts: bool) -> str:
        parts: list[str] = []
        if self.learners and not self.filtered:
            parts.append(labels.text(F_CHOSEN))
        if self.search:
            parts.append(labels.text(F_SEARCH, text=self.search))
        if self.school:
            parts.append(labels.text(F_SCHOOL, name=self.school))
        if self.due_before:
            parts.append(labels.text(F_DUE_BEFORE, date=labels.date(self.due_before, "long")))
        if self.due_after:
            parts.append(labels.text(F_DUE_AFTER, date=labels.date(self.due_after, "long")))
        if self.out_of_county:
            parts.append(labels.text(F_OUT_OF_COUNTY))
        if self.rating:
            parts.append(labels.text(F_RATING, rating=labels.join(
                labels.one(lang, model.ENUMS["rating"][self.rating]) for lang in labels.langs)))
        if drafts:
            parts.append(labels.text(F_DRAFTS))
        return "; ".join(parts) if parts else labels.text(COVER_ALL)


def select_learners(store, flt: PackFilter, today: dt.date | None = None) -> list[dict]:
    """The learners a pack holds, in the order of the interface language."""
    rows = store.list_learners(today=today)
    if flt.learners:
        wanted = []
        for key in flt.learners:
            learner_id = store.resolve_learner(key)
            if learner_id is None:
                raise UsageError(_("No learner {key} in this store.").format(key=key))
            wanted.append(learner_id)
        rows = [r for r in rows if r["id"] in set(wanted)]
        if flt.filtered:
            return rows
    if flt.school:
        needle = fold(flt.school)
        rows = [r for r in rows if r["school"] and needle in fold(r["school"])]
    if flt.due_before:
        rows = [r for r in rows if r["next_due"] and r["next_due"] < flt.due_before.isoformat()]
    if flt.due_after:
        rows = [r for r in rows if r["next_due"] and r["next_due"] >= flt.due_after.isoformat()]
    if flt.out_of_county:
        out = out_of_county_ids(store)
        rows = [r for r in rows if r["id"] in out]
    if flt.rating:
        rated = {lid for (lid,) in store.conn.execute(
            """SELECT r.learner_id FROM reviews r
               JOIN quality_ratings q ON q.review_id = r.id AND coalesce(q.deleted, 0) = 0
               WHERE r.status = 'finalised'
                 AND r.id = (""" + latest_finalised_sql("r.learner_id") + """)
                 AND q.rating = ?
                 AND q.id = (SELECT id FROM quality_ratings q2 WHERE q2.review_id = r.id AND coalesce(q2.deleted, 0) = 0
                             ORDER BY q2.rated_at DESC, q2.id DESC LIMIT 1)""", (flt.rating,))}
        rows = [r for r in rows if r["id"] in rated]
    return rows


def out_of_county_ids(store) -> set[str]:
    """Learners whose current placement is outside the authority (elsewhere in Wales or beyond)."""
    return {lid for (lid,) in store.conn.execute(
        "SELECT learner_id FROM placements WHERE end_date IS NULL AND coalesce(deleted, 0) = 0"
        " AND placing_area IN ('out_of_county', 'out_of_wales')")}


def choose_review(record: dict, drafts: bool) -> dict | None:
    """The learner's latest finalised review; with `drafts`, a newer draft instead."""
    for review in record["reviews"]:  # newest first
        if review["status"] == "finalised" or drafts:
            return review
    return None


@dataclass
class PackEntry:
    learner_id: str
    name: str
    reference: str
    school: str | None
    review_id: str | None
    review_text: str
    draft: bool
    key: str


@dataclass
class PackResult:
    learners: int
    included: int
    drafts: int
    pages: int
    entries: list[PackEntry] = field(default_factory=list)
    signature_box: tuple | None = None
    anchor_pages: dict[str, int] = field(default_factory=dict)
    in_workers: int = 0     # learners whose pages worker processes laid out


def _display_name(row: dict) -> str:
    name = f"{row['legal_surname']}, {row['legal_forename']}"
    if row.get("preferred_name") and row["preferred_name"] != row["legal_forename"]:
        name += f" ({row['preferred_name']})"
    return name


def plan_entries(store, rows: list[dict], labels: Labels, drafts: bool) -> list[PackEntry]:
    """Which review each learner contributes, read cheaply before the layout starts."""
    entries = []
    for i, row in enumerate(rows, 1):
        cur = store.conn.execute(
            "SELECT id, status, review_type, meeting_date, due_date FROM reviews WHERE learner_id = ?"
            + ("" if drafts else " AND status = 'finalised'")
            + " ORDER BY period_end DESC, status = 'draft' DESC, finalised_at DESC, id DESC LIMIT 1", (row["id"],))
        found = cur.fetchone()
        review_text, review_id, draft = labels.text(C_NONE), None, False
        if found:
            review_id, status, kind, meeting, due = found
            draft = status != "finalised"
            kind_text = labels.join(labels.one(lang, model.ENUMS["review_type"][kind]) for lang in labels.langs)
            when = labels.table_date(meeting or due)
            review_text = f"{kind_text}, {when}"
            if draft:
                review_text += " · " + labels.join(labels.one(lang, model.ENUMS["review_status"]["draft"])
                                                   for lang in labels.langs)
        entries.append(PackEntry(row["id"], _display_name(row), row["reference"], row.get("school"),
                                 review_id, review_text, draft, f"L{i}"))
    return entries


def learner_story(store, entry: PackEntry, labels: Labels, styles, *, signed: bool) -> tuple:
    """One learner's part of a pack: the context of its pages and its flowables (from a new page)."""
    from . import layout

    data = load_review(store, entry.review_id, store.learner_record(entry.learner_id))
    ctx = layout.PageContext(header=f"{labels.text(layout_title())} · {entry.reference}", draft=data.draft)
    story = pep_story(data, labels, styles, key=entry.key, level=1,
                      outline_title=f"{entry.name} ({entry.reference})", unsigned_note=not signed)
    return ctx, story


def build_pack(store, target, rows: list[dict], labels: Labels, *, drafts: bool, generated_at: dt.datetime,
               flt: PackFilter, authority: str = "", author: str = "", signature: SignatureInfo | None = None,
               progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None, logo: str | None = None,
               passphrase: str | None = None, workers: int | None = None) -> PackResult:
    """Lays the pack out into `target` (a path or binary file). With the store's `passphrase`, a
    pack of more than a few learners is laid out by `workers` processes (default: one per core)."""
    from reportlab.platypus import NextPageTemplate, PageBreak, Table, TableStyle

    from .layout import Para

    from . import parallel

    from . import layout

    styles = layout.make_styles()
    entries = plan_entries(store, rows, labels, drafts)
    included = [e for e in entries if e.review_id]
    if not authority:
        authorities = {a for (a,) in store.conn.execute(
            "SELECT DISTINCT responsible_authority FROM learners WHERE responsible_authority IS NOT NULL")}
        authority = authorities.pop() if len(authorities) == 1 else ""
    title = labels.text(PACK_TITLE)
    info = layout.DocInfo(title=f"{title} — {labels.date(generated_at.date(), 'medium')}", author=author,
                          subject=title, generated_at=generated_at)
    context = layout.PageContext(header=title, draft=False)
    doc = layout.PepDocTemplate(target, labels, styles, info, context, seed_fonts=True)
    result = PackResult(learners=len(rows), included=len(included), drafts=sum(e.draft for e in included), pages=0,
                        entries=entries)

    def cover() -> list:
        out = [layout.Heading(layout.bi(labels, PACK_TITLE, stacked=True), styles.title, outline=title, key="cover")]
        out[:0] = layout.authority_header(authority, logo, styles)
        lang_value = labels.text(LANG_BOTH) if labels.both else labels.one(
            labels.primary, model.ENUMS["lang"][labels.primary])
        facts = [
            (COVER_DATE, labels.date(generated_at.date(), "long")),
            (COVER_COUNT, labels.number(len(rows))),
            (COVER_LANGUAGE, lang_value),
            (COVER_SELECTION, flt.describe(labels, drafts)),
        ]
        table = Table([[Para(f'<font color="{layout.MUTED_HEX}">{layout.bi(labels, k, stacked=labels.both)}</font>',
                                  styles.body), Para(layout.esc(v), styles.body)] for k, v in facts],
                      colWidths=[0.3 * layout.FRAME_WIDTH, 0.7 * layout.FRAME_WIDTH], hAlign="LEFT")
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), layout.fonts.REGULAR, 8.5), ("LINEBELOW", (0, 0), (-1, -1), 0.3, layout.RULE),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 4)]))
        out += [layout_spacer(18), table, layout_spacer(18),
                Para(f"<b>{layout.escape(labels.text(layout.MARKING))}</b>", styles.h2),
                Para(layout.bi(labels, COVER_CAUTION), styles.body)]
        if signature is not None:
            out.append(signature_block(labels, styles, signature))
        out += [NextPageTemplate("later"), PageBreak()]
        return out

    def contents() -> list:
        out = [layout.Heading(layout.bi(labels, CONTENTS), styles.h2, outline=labels.text(CONTENTS), key="contents")]
        widths = [0.34, 0.13, 0.24, 0.21, 0.08]
        widths = [w * layout.FRAME_WIDTH for w in widths]
        head = [Para(layout.bi(labels, h, stacked=True), styles.cell_head)
                for h in (C_LEARNER, C_REFERENCE, C_SCHOOL, C_REVIEW, C_PAGE)]
        data = [head]
        for e in entries:
            page = layout.PageRef(e.key, widths[4] - 6, styles.contents_right) if e.review_id else ""
            style = styles.cell
            data.append([Para(layout.escape(e.name), style), Para(layout.escape(e.reference), style),
                         Para(layout.escape(e.school or "—"), style),
                         Para(layout.escape(e.review_text), style), page])
        table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), layout.fonts.REGULAR, 8.5), ("BACKGROUND", (0, 0), (-1, 0), layout.HEAD_BG),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, layout.ACCENT), ("LINEBELOW", (0, 1), (-1, -1), 0.3, layout.RULE),
            ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]))
        return out + [table]

    def learners() -> Iterator[list]:
        yield cover()
        yield contents()
        done = 0
        total = len(included)
        if progress:
            progress(0, total)
        for e, rendered in rendered_learners():
            if cancelled is not None and cancelled():
                raise PackCancelled(_("The PEP pack was cancelled; nothing was written."))
            # Pages drawn elsewhere are used when they draw only what this document encodes the same way.
            if rendered is not None and rendered.pages is not None and rendered.encoding == doc.seed_encoding:
                yield [NextPageTemplate("raw"), PageBreak()] + [parallel.RawPage(p) for p in rendered.pages]
                result.in_workers += 1
            else:
                ctx, story = learner_story(store, e, labels, styles, signed=signature is not None)
                yield [layout.SetPage(ctx), NextPageTemplate("first"), PageBreak(), NextPageTemplate("later")] + story
            done += 1
            if progress:
                progress(done, total)
        yield [layout.Finish()]

    def rendered_learners():
        """Each learner with its pages from a worker (in order, as they come), or None without workers."""
        if pool is None:
            for e in included:
                yield e, None
            return
        results = pool.map(parallel._render, included)
        for e in included:
            try:
                rendered = next(results)
            except Exception as err:
                raise PackFailed(_("The PEP of {reference} could not be laid out ({reason}); no pack was "
                                   "written.").format(reference=e.reference, reason=type(err).__name__)) from err
            yield e, rendered

    count = 0 if passphrase is None else (parallel.worker_count(len(included)) if workers is None else workers)
    pool = None

    if count > 0:
        pool = parallel.open_pool(count, store.path, passphrase, labels.mode, generated_at, author,
                                  signature is not None)
    try:
        doc.build(layout.FeedingStory(learners()))
    finally:
        if pool is not None:
            # Learners not yet started are dropped; one being laid out finishes, and the workers (which
            # hold the passphrase) have ended when the pack returns.
            pool.shutdown(wait=True, cancel_futures=True)
    result.pages = doc.page_count
    result.signature_box = doc.signature_box
    result.anchor_pages = dict(doc.anchor_pages)
    return result


def layout_title() -> str:
    from .document import TITLE

    return TITLE


def layout_spacer(height: float):
    from reportlab.platypus import Spacer

    return Spacer(1, height)
