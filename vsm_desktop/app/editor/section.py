"""One section of the PEP (forms and lists), and the stack of sections, each in its own scroll area."""

from __future__ import annotations

from ...domain.sections import ADDED, BY_KEY, HAS_DATA, SECTIONS, Section, added_sections, section_of
from ...i18n import _
from ..fields import FieldForm, date_keys
from ..qt import (
    QFont, QFrame, QLabel, QScrollArea, QStackedWidget, QVBoxLayout, QWidget, Qt,
)
from .common import EditorContext, SECTION_HINTS, fit_text_editors
from .list_panel import ListPanel

FUNDING_SECTION = "interventions"   # the section that shows the PDG-CLA funding panel


# --- one section ----------------------------------------------------------------------------

class SectionPage(QWidget):
    """One section of `domain/sections.py`: the learner's profile fields, the review's fields and
    the section's lists, in that order."""

    def __init__(self, section: Section, ctx: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section, self.ctx = section, ctx
        self.setObjectName(f"section_{section.key}")
        if ctx.scale != 1.0:
            font = QFont(self.font())
            font.setPointSizeF(font.pointSizeF() * ctx.scale)
            self.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.setSpacing(10)
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        title_font = QFont(self.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.45)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        # Why a section outside the review's phase and circumstances is here (added, or holding data).
        self.why = QLabel()
        self.why.setObjectName("sectionWhy")
        self.why.setWordWrap(True)
        self.why.setVisible(False)
        layout.addWidget(self.why)
        self.hint.setVisible(section.key in SECTION_HINTS)
        self.forms: list[FieldForm] = []
        self.learner_form = self.review_form = None
        if section.learner_fields:
            self.learner_form = FieldForm("learners", list(section.learner_fields), ctx.autosave)
            self.forms.append(self.learner_form)
        if section.review_fields:
            self.review_form = FieldForm("reviews", list(section.review_fields), ctx.autosave)
            self.forms.append(self.review_form)
        for form in self.forms:
            for editor in form.editors.values():
                editor.edited.connect(lambda name, value, f=form: self._edited(f, name, value))
            layout.addWidget(form)
        lists = section.learner_lists + section.review_lists
        # PDG-CLA requests go with the support they pay for (PEP.md, section 13).
        self.funding = None
        if section.key == FUNDING_SECTION:
            from .funding_panel import FundingPanel

            self.funding = FundingPanel(ctx)
        only_list = len(lists) == 1 and not self.forms and self.funding is None
        self.lists: dict[str, ListPanel] = {}
        for entity in lists:
            panel = ListPanel(entity, ctx, heading=not only_list)
            self.lists[entity] = panel
            layout.addWidget(panel)
        if self.funding is not None:
            layout.addWidget(self.funding)
        self.drawings = None
        if section.key == "about_me":   # the learner's drawings, and a page to draw on
            from ..attachments import DrawingsStrip

            # At the top, under the hint: a child who would rather draw than write sees it first.
            self.drawings = DrawingsStrip(ctx)
            layout.insertWidget(layout.indexOf(self.hint) + 1, self.drawings)
        layout.addStretch(1)
        date_keys().attach(self)
        fit_text_editors(self, 6 if section.key == "about_me" else 4)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self._show_title()
        if self.section.key in SECTION_HINTS:
            self.hint.setText(_(SECTION_HINTS[self.section.key]))
        for form in self.forms:
            form.retranslate_ui()
        for panel in self.lists.values():
            panel.retranslate_ui()
        if self.funding is not None:
            self.funding.retranslate_ui()
        if self.drawings is not None:
            self.drawings.retranslate_ui()

    def _show_title(self) -> None:
        data = self.ctx.data
        plan = data.plan if data is not None else None
        number = plan.number(self.section.key) if plan is not None else SECTIONS.index(self.section) + 1
        title = _(self.section.title)
        self.title.setText(_("{number}. {title}").format(number=number, title=title) if number else title)
        why = plan.why.get(self.section.key) if plan is not None else None
        text = ""
        if why == ADDED:
            row = added_sections(data.review).get(self.section.key) or {}
            text = _("Added to this review: {reason}").format(reason=row.get("reason") or "—")
        elif why == HAS_DATA or (plan is not None and not why):
            text = _("This learner's phase and circumstances do not bring this section; it is shown because it "
                     "holds what was entered.")
        self.why.setText(text)
        self.why.setVisible(bool(text))

    def load(self) -> None:
        data = self.ctx.data
        if data is None:
            return
        self._show_title()
        if self.learner_form is not None:
            self.learner_form.default_lang = data.default_lang(self.section.key)
            self.learner_form.load(data.learner, read_only=data.read_only("learners"))
        if self.review_form is not None:
            self.review_form.default_lang = data.default_lang(self.section.key)
            self.review_form.load(data.review, read_only=data.read_only("reviews"))
            if "amendment_reason" in self.review_form.labels:
                self.review_form.layout_.setRowVisible(
                    self.review_form.labels["amendment_reason"],
                    data.review.get("review_type") == "amendment" or bool(data.review.get("amendment_reason")))
        for panel in self.lists.values():
            panel.load()
        if self.funding is not None:
            self.funding.load()
        if self.drawings is not None:
            self.drawings.load()

    def _edited(self, form: FieldForm, name: str, value) -> None:
        if form.record_id is None:
            return
        self.ctx.field_edited(form.entity, form.record_id, name, value)
        if form is self.review_form and name == "review_type" and "amendment_reason" in form.labels:
            form.layout_.setRowVisible(form.labels["amendment_reason"], value == "amendment")

    def first_input(self) -> QWidget | None:
        for form in self.forms:
            for editor in form.editors.values():
                return editor.widget
        for panel in self.lists.values():
            return panel.table if panel.model.rows else panel.add_button
        return None

    def focus(self, entity: str, record_id: str, field: str) -> QWidget | None:
        base = field[:-5] if field.endswith("_lang") else field
        for form in self.forms:
            if form.entity == entity and base in form.editors:
                editor = form.editors[base]
                widget = editor.lang if field.endswith("_lang") and editor.lang is not None else editor.widget
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return widget
        if entity in self.lists:
            return self.lists[entity].focus(record_id, field)
        target = self.first_input()
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        return target

    def locate(self, widget: QWidget) -> dict | None:
        for form in self.forms:
            for name, editor in form.editors.items():
                if editor.isAncestorOf(widget) or editor is widget:
                    lang = editor.lang is not None and (widget is editor.lang or editor.lang.isAncestorOf(widget))
                    return {"entity": form.entity, "record_id": form.record_id or "",
                            "field": name + "_lang" if lang else name}
        for panel in self.lists.values():
            found = panel.locate(widget)
            if found:
                return found
        return None


class SectionStack(QStackedWidget):
    """The pages of the sections, each in its own scroll area (so each keeps its scroll
    position), built the first time they are shown."""

    def __init__(self, ctx: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pages: dict[str, SectionPage] = {}
        self.scrolls: dict[str, QScrollArea] = {}
        self._current = SECTIONS[0].key

    def page(self, key: str) -> SectionPage:
        page = self.pages.get(key)
        if page is None:
            page = SectionPage(BY_KEY[key], self.ctx)
            scroll = QScrollArea()
            scroll.setObjectName(f"scroll_{key}")
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            # Not a tab stop: an invisible stop swallowed what was typed next, shifting each
            # entry one field up (attendance 93.4 became 4.0).
            scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            scroll.setWidget(page)
            self.addWidget(scroll)
            self.pages[key], self.scrolls[key] = page, scroll
            page.load()
            scroll.setAccessibleName(page.title.text())
        return page

    def show_section(self, key: str) -> SectionPage:
        page = self.page(key)
        self._current = key
        scroll = self.scrolls[key]
        for other in self.scrolls.values():   # only the page shown sets the stack's width
            other.setMinimumWidth(0)
        # Never scrolled sideways: the section list gives way first on a small screen.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(page.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width())
        self.setCurrentWidget(scroll)
        self.updateGeometry()
        return page

    def current_key(self) -> str:
        return self._current

    def current_page(self) -> SectionPage:
        return self.page(self._current)

    def load_all(self, except_key: str | None = None) -> None:
        for key, page in self.pages.items():
            if key != except_key:
                page.load()

    def retranslate_ui(self) -> None:
        for key, page in self.pages.items():
            page.retranslate_ui()
            self.scrolls[key].setAccessibleName(page.title.text())

    def ensure_visible(self, widget: QWidget | None) -> None:
        if widget is not None:
            scroll = self.scrolls.get(self._current)
            if scroll is not None:
                scroll.ensureWidgetVisible(widget, 40, 60)

    def go_to(self, entity: str, record_id: str, field: str) -> QWidget | None:
        section = section_of(entity, field) or section_of(entity, "")
        if section is None:
            return None
        page = self.show_section(section.key)
        widget = page.focus(entity, record_id, field)
        self.ensure_visible(widget)
        return widget

    def locate(self, widget: QWidget | None) -> dict | None:
        if widget is None:
            return None
        page = self.pages.get(self._current)
        return page.locate(widget) if page is not None else None
