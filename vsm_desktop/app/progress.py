"""Progress through a PEP review, shown: a mark and a count beside each section (the editor's
section list, meeting mode's jump list), an overall bar, and the finalise checklist as a side
panel that can stay open. Computed on the UI thread from the open review (one learner's record)."""

from __future__ import annotations

from ..domain import lifecycle
from ..domain.progress import ATTENTION, COMPLETE, EMPTY, PARTIAL, SectionProgress, empty_sections, overall
from ..domain.sections import BY_KEY, section_of
from ..i18n import N_, _, ngettext
from .finalise import LinkButton
from .qt import QFont, QFrame, QLabel, QListWidget, QListWidgetItem, QProgressBar, QScrollArea, QVBoxLayout, QWidget, Qt, Signal

MARKS = {COMPLETE: "✓", PARTIAL: "◐", EMPTY: "○", ATTENTION: "⚠"}
STATES = {COMPLETE: N_("Complete"), PARTIAL: N_("Has content"), EMPTY: N_("Empty"),
          ATTENTION: N_("Needs attention before finalising")}


def section_text(p: SectionProgress) -> str:
    title = _("{number}. {title}").format(number=p.number, title=_(BY_KEY[p.key].title))
    if not p.total:
        return title   # nothing to fill in yet (quality assurance before finalising)
    return _("{mark} {title} ({filled}/{total})").format(mark=MARKS[p.state], title=title, filled=p.filled,
                                                          total=p.total)


def section_description(p: SectionProgress) -> str:
    """In words, for the tooltip and screen readers (the mark is not the only signal)."""
    if not p.total and not p.attention:
        return ""
    text = _(STATES[p.state])
    if p.total:
        text += " · " + _("{filled} of {total} filled").format(filled=p.filled, total=p.total)
    return text


def fill_section_list(widget: QListWidget, keys: tuple[str, ...]) -> bool:
    """Makes a section list hold the review's sections (their keys in UserRole), keeping the
    current one chosen when it stays; returns whether the list changed."""
    if tuple(widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())) == tuple(keys):
        return False
    current = widget.currentItem().data(Qt.ItemDataRole.UserRole) if widget.currentItem() else None
    widget.blockSignals(True)
    widget.clear()
    for key in keys:
        item = QListWidgetItem(_(BY_KEY[key].title))
        item.setData(Qt.ItemDataRole.UserRole, key)
        widget.addItem(item)
    if current in keys:
        widget.setCurrentRow(keys.index(current))
    widget.blockSignals(False)
    return True


def mark_sections(widget: QListWidget, progress: list[SectionProgress] | None) -> None:
    """The items hold the keys of the review's sections (UserRole), in the order progress lists them."""
    by_key = {p.key: p for p in progress or ()}
    for i in range(widget.count()):
        item = widget.item(i)
        key = item.data(Qt.ItemDataRole.UserRole)
        p = by_key.get(key)
        if p is None:
            item.setText(_("{number}. {title}").format(number=i + 1, title=_(BY_KEY[key].title)))
            item.setToolTip("")
            continue
        item.setText(section_text(p))
        item.setToolTip(section_description(p))
        item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, section_description(p))
    widget.doItemsLayout()   # the texts changed length: wrap them again


class OverallProgress(QProgressBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overallProgress")
        self.setRange(0, 1)
        self.setValue(0)
        self.setTextVisible(True)

    def set_progress(self, progress: list[SectionProgress] | None) -> None:
        filled, total = overall(progress) if progress else (0, 0)
        self.setRange(0, max(total, 1))
        self.setValue(filled)
        text = _("{filled} of {total} parts filled").format(filled=filled, total=total)
        self.setFormat(text)
        self.setAccessibleName(_("Progress through the PEP"))
        self.setAccessibleDescription(text)


class ChecklistPanel(QFrame):
    """The finalise checklist as a side panel: what finalising needs (links to the fields), then
    the sections that are still empty (a warning, not a refusal)."""

    go_to = Signal(str, str, str)        # entity, record id, field

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checklistPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(250)
        self.setMaximumWidth(380)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        font = QFont(self.heading.font())
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.inner = QWidget()
        self.items = QVBoxLayout(self.inner)
        self.items.setContentsMargins(0, 0, 0, 0)
        self.area.setWidget(self.inner)
        layout.addWidget(self.area, 1)
        self.links: list[LinkButton] = []
        self.empty_note = QLabel()
        self.empty_note.setWordWrap(True)
        self.empty_note.setObjectName("emptySections")
        self.record = self.review_id = None
        self.progress: list[SectionProgress] | None = None

    def set_record(self, record: dict | None, review_id: str | None, progress: list[SectionProgress] | None) -> None:
        self.record, self.review_id, self.progress = record, review_id, progress
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        while self.items.count():
            item = self.items.takeAt(0)
            if item.widget() is not None and item.widget() is not self.empty_note:
                item.widget().deleteLater()
        self.links = []
        finalised = bool(self.record) and (lifecycle.find_review(self.record, self.review_id) or {}).get("status") == "finalised"
        problems = lifecycle.finalise_problems(self.record, self.review_id) if self.record and not finalised else []
        if finalised:
            self.heading.setText(_("This review is finalised."))
        elif problems:
            self.heading.setText(ngettext("{n} thing to do before finalising", "{n} things to do before finalising",
                                          len(problems)).format(n=len(problems)))
        else:
            self.heading.setText(_("Ready to finalise"))
        for problem in problems:
            section = section_of(problem.entity, problem.field) or section_of(problem.entity, "")
            text = _("{section}: {problem}").format(section=_(section.title), problem=problem.message) \
                if section else problem.message
            button = LinkButton("→ " + text)
            button.setObjectName("checklistLink")
            button.setToolTip(_("Go to the field"))
            button.clicked.connect(lambda _c=False, p=problem: self.go_to.emit(p.entity, p.record_id, p.field))
            self.items.addWidget(button)
            self.links.append(button)
        empty = empty_sections(self.progress) if self.progress and not finalised else []
        self.empty_note.setText(empty_warning(empty) if empty else "")
        self.empty_note.setVisible(bool(empty))
        self.items.addWidget(self.empty_note)
        self.items.addStretch(1)


def empty_warning(empty: list[SectionProgress]) -> str:
    names = ", ".join(_("{number}. {title}").format(number=p.number, title=_(BY_KEY[p.key].title))
                      for p in empty)
    return ngettext("{n} section is empty: {sections}. You can still finalise, but check it was discussed.",
                    "{n} sections are empty: {sections}. You can still finalise, but check they were discussed.",
                    len(empty)).format(n=len(empty), sections=names)
