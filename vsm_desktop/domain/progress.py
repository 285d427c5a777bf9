"""How far a PEP review has got, section by section: for the editor's section list, meeting
mode's jump list and progress bar, and the warning when finalising with empty sections.

A field counts as filled when it has a value; a list counts as one item, filled when it has a
row. "Needs attention" means the finalise checklist has something in that section.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import lifecycle
from .sections import Section, plan_for_record, section_of

COMPLETE, PARTIAL, EMPTY, ATTENTION = "complete", "partial", "empty", "attention"
# Filled in after finalising (by the coordinator), so never "empty" before it.
NOT_COUNTED = frozenset({"quality"})
# The lifecycle fills these in when a review starts; they say nothing about progress.
_SET_AT_START = frozenset({"review_type", "period_start", "period_end", "due_date", "amendment_reason"})


@dataclass(frozen=True)
class SectionProgress:
    key: str
    number: int        # 1-based, as the review's section list numbers it
    filled: int
    total: int
    attention: int     # finalise checklist items in this section

    @property
    def state(self) -> str:
        if self.attention:
            return ATTENTION
        if self.total and self.filled >= self.total:
            return COMPLETE
        return EMPTY if self.filled == 0 else PARTIAL


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _items(section: Section, record: dict, review: dict) -> list[bool]:
    learner = record.get("learner", {})
    items = [not _blank(learner.get(f)) for f in section.learner_fields]
    items += [not _blank(review.get(f)) for f in section.review_fields if f not in _SET_AT_START]
    items += [any(not r.get("deleted") for r in record.get(name) or ()) for name in section.learner_lists]
    items += [any(not r.get("deleted") for r in review.get(name) or ()) for name in section.review_lists]
    return items


def section_progress(record: dict, review_id: str) -> list[SectionProgress]:
    """One entry for each section the review shows (`sections.sections_for`), in its order."""
    review = lifecycle.find_review(record, review_id) or {}
    attention: dict[str, int] = {}
    if review.get("status") != "finalised":
        for problem in lifecycle.finalise_problems(record, review_id):
            section = section_of(problem.entity, problem.field) or section_of(problem.entity, "")
            if section is not None:
                attention[section.key] = attention.get(section.key, 0) + 1
    out = []
    for number, section in enumerate(plan_for_record(record, review).shown, 1):
        counted = section.key not in NOT_COUNTED or review.get("status") == "finalised"
        items = _items(section, record, review) if counted else []
        out.append(SectionProgress(section.key, number, sum(items), len(items), attention.get(section.key, 0)))
    return out


def overall(progress: list[SectionProgress]) -> tuple[int, int]:
    """(filled, total) over the sections that count."""
    counted = [p for p in progress if p.key not in NOT_COUNTED]
    return sum(p.filled for p in counted), sum(p.total for p in counted)


def empty_sections(progress: list[SectionProgress]) -> list[SectionProgress]:
    """Sections with nothing in them (finalising warns about these, without refusing)."""
    return [p for p in progress if p.key not in NOT_COUNTED and p.total and p.filled == 0]
