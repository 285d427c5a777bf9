"""Meeting mode: the review one section at a time, full screen and in large type, for filling
the PEP in *with* the learner, the carer and the social worker in the room.

The pages are the editor's own `SectionPage`s at a larger scale, so everything can be edited
here too (the learner's words, the attendees and their signatures) and is saved by the same
autosave. Keys: Right / Page Down next, Left / Page Up previous (Left and Right stay with a
text field while one has the focus; Page Up and Page Down always turn the page), Ctrl+G the
jump list of sections, a section's number (outside a field) goes there, Ctrl+K the finalise
checklist beside the page, Escape leaves.
"""

from __future__ import annotations

from ..domain.progress import section_progress
from ..domain.sections import SECTIONS
from ..i18n import _
from .autosave import Autosave
from .language import human_error
from .progress import ChecklistPanel, OverallProgress, fill_section_list, mark_sections
from .qt import (
    QAbstractItemView, QApplication, QComboBox, QDateEdit, QDoubleSpinBox, QEvent, QFont, QFrame, QHBoxLayout,
    QKeySequence, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QShortcut, QSpinBox,
    QTimer, QVBoxLayout, QWidget, Qt, Signal,
)
from .editor import CHECKLIST_KEYS, EditorContext, ReviewData, SectionStack, display_name, load_review
from .shortcuts import with_shortcut
from .signoff import SignaturePad
from .worker import StoreWorker

SCALE = 1.6
JUMP_KEYS = "Ctrl+G"
WIDE_BUTTONS = 1100
FOLD_WIDTH = 1000     # narrower than this, an open side panel (sections, checklist) replaces the page   # narrower than this, Previous and Next leave the sections' titles to their tooltips
DIGIT_WAIT_MS = 700   # "1" may be the start of 10 to 18
# Where Left and Right belong to the widget (moving a caret, a table cell, a date part).
_KEEPS_ARROWS = (QLineEdit, QPlainTextEdit, QDateEdit, QSpinBox, QDoubleSpinBox, QAbstractItemView, QComboBox,
                 SignaturePad)


class MeetingMode(QWidget):
    closed = Signal()
    status_message = Signal(str)

    def __init__(self, worker: StoreWorker, autosave: Autosave, review_id: str | None = None,
                 section: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meetingMode")
        self.worker, self.autosave = worker, autosave
        self.ctx = EditorContext(worker, autosave, scale=SCALE)
        self.ctx.field_edited = self._field_edited
        self.ctx.status = self.status_message.emit
        self.review_id: str | None = None
        self.index = 0
        self._token = 0
        self._closing = False
        self._filter_installed = False
        self._start_section = section
        self._digits = ""
        self._digit_timer = QTimer(self)
        self._digit_timer.setSingleShot(True)
        self._digit_timer.setInterval(DIGIT_WAIT_MS)
        self._digit_timer.timeout.connect(self._go_to_digits)
        self.progress = None
        self._progress_timer = QTimer(self)
        self._progress_timer.setSingleShot(True)
        self._progress_timer.setInterval(250)
        self._progress_timer.timeout.connect(self._refresh_progress)
        self.ctx.changed = self._progress_timer.start
        self._build()
        self.retranslate_ui()
        if review_id:
            self.open_review(review_id, section)

    def _build(self) -> None:
        base = QFont(self.font())
        base.setPointSizeF(base.pointSizeF() * SCALE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(10)

        top = QHBoxLayout()
        self.name_label = QLabel()
        self.name_label.setObjectName("learnerName")
        name_font = QFont(base)
        name_font.setBold(True)
        self.name_label.setFont(name_font)
        self.counter = QLabel()
        self.counter.setFont(base)
        self.leave_button = QPushButton()
        self.leave_button.setFont(base)
        self.leave_button.clicked.connect(self.leave)
        self.sections_button = QPushButton()
        self.sections_button.setFont(base)
        self.sections_button.setCheckable(True)
        self.sections_button.toggled.connect(self._toggle_jump)
        self.checklist_button = QPushButton()
        self.checklist_button.setFont(base)
        self.checklist_button.setCheckable(True)
        self.checklist_button.toggled.connect(self._toggle_checklist)
        top.addWidget(self.name_label, 1)
        top.addWidget(self.counter, 0)
        layout.addLayout(top)
        # The buttons on a row of their own: the header fits a small screen in large type.
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.sections_button, 0)
        buttons.addWidget(self.checklist_button, 0)
        buttons.addWidget(self.leave_button, 0)
        layout.addLayout(buttons)
        self.progress_bar = OverallProgress()
        self.progress_bar.setFont(base)
        layout.addWidget(self.progress_bar)

        self.message = QLabel()
        self.message.setFont(base)
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        layout.addWidget(self.message)

        self.stack = SectionStack(self.ctx)
        self.stack.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        middle = QHBoxLayout()
        # The jump list: every section with its progress mark; Enter goes there.
        self.jump = QListWidget()
        self.jump.setObjectName("jumpList")
        self.jump.setFont(base)
        self.jump.setWordWrap(True)
        self.jump.setMaximumWidth(440)
        self.jump.setMinimumWidth(280)
        self.jump.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.jump.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.jump.setResizeMode(QListWidget.ResizeMode.Adjust)
        fill_section_list(self.jump, tuple(s.key for s in SECTIONS))
        self.jump.itemActivated.connect(self._jumped)
        self.jump.setVisible(False)
        # Under the jump list (shown with it): a section this review's phase does not bring.
        self.add_section_button = QPushButton()
        self.add_section_button.setObjectName("addSection")
        self.add_section_button.setFont(base)
        self.add_section_button.setMaximumWidth(440)
        self.add_section_button.clicked.connect(self.add_section)
        self.add_section_button.setVisible(False)
        jump_column = QVBoxLayout()
        jump_column.addWidget(self.jump, 1)
        jump_column.addWidget(self.add_section_button, 0)
        middle.addLayout(jump_column, 0)
        self.add_section_dialog = None
        middle.addWidget(self.stack, 1)
        self.checklist = ChecklistPanel()
        self.checklist.setFont(base)
        self.checklist.setMaximumWidth(520)
        self.checklist.go_to.connect(self._checklist_link)
        self.checklist.setVisible(False)
        middle.addWidget(self.checklist, 0)
        layout.addLayout(middle, 1)
        for keys, slot in ((JUMP_KEYS, self.show_jump_list), (CHECKLIST_KEYS, self.checklist_button.toggle)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        layout.addWidget(line)
        bottom = QHBoxLayout()
        self.previous_button = QPushButton()
        self.next_button = QPushButton()
        for button in (self.previous_button, self.next_button):
            button.setFont(base)
            button.setMinimumHeight(int(48 * SCALE * 0.8))
        self.previous_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        bottom.addWidget(self.previous_button, 1)
        bottom.addSpacing(24)
        bottom.addWidget(self.next_button, 1)
        layout.addLayout(bottom)
        self.setTabOrder(self.leave_button, self.stack)

    # --- language ---------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Meeting mode"))
        self.leave_button.setText(_("Leave meeting mode (Esc)"))
        self.leave_button.setAccessibleName(_("Leave meeting mode"))
        self.sections_button.setText(_("Sections"))
        self.sections_button.setToolTip(with_shortcut(_("Jump to a section; or type its number"), JUMP_KEYS))
        self.checklist_button.setText(_("Checklist"))
        self.checklist_button.setToolTip(with_shortcut(_("Show or hide what finalising needs, beside the page"),
                                                       CHECKLIST_KEYS))
        self.jump.setAccessibleName(_("Sections of the PEP review"))
        self.add_section_button.setText(_("Add a section…"))
        self.add_section_button.setToolTip(_("Add a section that this learner's phase or circumstances do not bring, "
                                             "saying why"))
        mark_sections(self.jump, self.progress)
        self.progress_bar.set_progress(self.progress)
        self.checklist.retranslate_ui()
        self.stack.retranslate_ui()
        self._show_position()

    @property
    def shown(self) -> tuple:
        """The sections of the open review (domain/sections.py), in its order."""
        data = self.ctx.data
        return data.plan.shown if data is not None else SECTIONS

    def _show_position(self) -> None:
        SECTIONS = self.shown
        total = len(SECTIONS)
        i = self.index
        self.counter.setText(_("Section {number} of {total}").format(number=i + 1, total=total))
        data = self.ctx.data
        self.name_label.setText(display_name(data.learner) if data else "")
        # The next section's title on the buttons where there is room; always in the tooltip.
        wide = self.width() >= WIDE_BUTTONS
        previous = _("← Previous: {title}").format(title=_(SECTIONS[i - 1].title)) if i > 0 else _("← Previous")
        following = _("Next: {title} →").format(title=_(SECTIONS[i + 1].title)) if i < total - 1 else _("Next →")
        self.previous_button.setText(previous if wide else _("← Previous"))
        self.next_button.setText(following if wide else _("Next →"))
        self.previous_button.setToolTip(previous)
        self.next_button.setToolTip(following)
        self.previous_button.setEnabled(i > 0)
        self.next_button.setEnabled(i < total - 1)
        self.stack.setAccessibleName(_(SECTIONS[i].title))
        self.previous_button.setAccessibleName(_("Previous section"))
        self.next_button.setAccessibleName(_("Next section"))

    # --- loading ------------------------------------------------------------------------

    def open_review(self, review_id: str, section: str | None = None) -> None:
        self.autosave.flush()
        self._token += 1
        token = self._token
        self._start_section = section or self._start_section
        self.worker.submit(lambda store: load_review(store, review_id),
                           on_done=lambda result: self._loaded(token, review_id, result),
                           on_error=lambda error: self._failed(token, error))

    def _loaded(self, token: int, review_id: str, result) -> None:
        if token != self._token:
            return
        record, schools = result
        self.review_id = review_id
        self.ctx.data = ReviewData(record, review_id, schools)
        self.message.setVisible(False)
        self.stack.load_all()
        self._refresh_progress()
        shown = [s.key for s in self.shown]
        key = self._start_section if self._start_section in shown else shown[0]
        self.show_section(key)
        self.stack.setFocus(Qt.FocusReason.OtherFocusReason)

    def _failed(self, token: int, error: BaseException) -> None:
        if token == self._token:
            self.message.setText(human_error(error))
            self.message.setVisible(True)

    def _field_edited(self, entity: str, record_id: str, field: str, value) -> None:
        data = self.ctx.data
        if data is None:
            return
        data.apply(entity, record_id, field, value)
        welsh_now = field.endswith("_lang") and value == "cy" and data.chosen_lang != "cy"
        if welsh_now:
            data.chosen_lang = "cy"
        if (entity == "reviews" and field == "meeting_language") or welsh_now:
            self.stack.load_all(except_key=self.stack.current_key())
        self._progress_timer.start()

    # --- progress, the jump list and the checklist ----------------------------------------

    def _refresh_progress(self) -> None:
        data = self.ctx.data
        self.progress = section_progress(data.record, data.review_id) if data is not None else None
        if data is not None and fill_section_list(self.jump, tuple(p.key for p in self.progress)):
            self.index = max(0, next((i for i, p in enumerate(self.progress) if p.key == self.stack.current_key()), 0))
            self._show_position()
        mark_sections(self.jump, self.progress)
        self.progress_bar.set_progress(self.progress)
        if self.checklist.isVisible():
            self.checklist.set_record(data.record if data else None, self.review_id, self.progress)

    def show_jump_list(self) -> None:
        """Ctrl+G: the jump list, with the focus on the current section."""
        self.sections_button.setChecked(True)
        self.jump.setCurrentRow(self.index)
        self.jump.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _toggle_jump(self, on: bool) -> None:
        self.jump.setVisible(on)
        data = self.ctx.data
        self.add_section_button.setVisible(on and data is not None and not data.finalised and bool(data.plan.offered))
        if on:   # one side panel at a time: the page keeps its room on a small screen
            self.checklist_button.setChecked(False)
            self.jump.setCurrentRow(self.index)
        self._fold()

    def _fold(self) -> None:
        """On a narrow window the open side panel takes the page's place until it is closed."""
        narrow = self.width() < FOLD_WIDTH
        panel = self.jump.isVisibleTo(self) or self.checklist.isVisibleTo(self)
        self.stack.setVisible(not (narrow and panel))

    def _jumped(self, item) -> None:
        self.show_section(item.data(Qt.ItemDataRole.UserRole))
        self.sections_button.setChecked(False)
        self._focus_page()

    def _toggle_checklist(self, on: bool) -> None:
        self.checklist.setVisible(on)
        if on:
            self.sections_button.setChecked(False)
            self._refresh_progress()
        self._fold()

    def _checklist_link(self, entity: str, record_id: str, field: str) -> None:
        from ..domain.sections import section_of

        section = section_of(entity, field) or section_of(entity, "")
        if section is not None:
            if self.width() < FOLD_WIDTH:   # the panel stands in the page's place: close it
                self.checklist_button.setChecked(False)
            self.show_section(section.key)
            self.stack.ensure_visible(self.stack.go_to(entity, record_id, field))

    def _focus_page(self) -> None:
        widget = self.stack.current_page().first_input()
        (widget or self.stack).setFocus(Qt.FocusReason.OtherFocusReason)

    def _digit(self, digit: str) -> None:
        self._digits += digit
        number = int(self._digits)
        if len(self._digits) == 2 or number * 10 > len(self.shown) or number == 0:
            self._go_to_digits()
        else:
            self._digit_timer.start()   # "1": 1, or the start of 10 to 18

    def _go_to_digits(self) -> None:
        self._digit_timer.stop()
        digits, self._digits = self._digits, ""
        if digits and 1 <= int(digits) <= len(self.shown):
            self.show_section(self.shown[int(digits) - 1].key)

    # --- moving -------------------------------------------------------------------------

    def current_section(self) -> str:
        return self.stack.current_key()

    def show_section(self, key: str) -> None:
        # A section the review does not list (a link to a field): shown, the position kept.
        self.index = next((i for i, s in enumerate(self.shown) if s.key == key), self.index)
        self.stack.show_section(key)
        self._show_position()

    def next(self) -> None:
        if self.index < len(self.shown) - 1:
            self.show_section(self.shown[self.index + 1].key)
            self.stack.setFocus(Qt.FocusReason.OtherFocusReason)

    def previous(self) -> None:
        if self.index > 0:
            self.show_section(self.shown[self.index - 1].key)
            self.stack.setFocus(Qt.FocusReason.OtherFocusReason)

    def start(self) -> None:
        """Full screen (the usual way in)."""
        self.showFullScreen()
        self.activateWindow()

    def add_section(self) -> None:
        """Asks which section and why, adds it (Store.add_section), and opens the review at it."""
        data = self.ctx.data
        if data is None or data.finalised:
            return
        from .editor.add_section import ask_and_add

        review_id = self.review_id

        def added(key: str) -> None:
            self.add_section_dialog = None
            self.status_message.emit(_("The section is added to this review."))
            self.sections_button.setChecked(False)
            self.open_review(review_id, key)

        self.add_section_dialog = ask_and_add(self, data, review_id, self.autosave, self.worker, added,
                                              lambda e: self.status_message.emit(human_error(e)))

    def leave(self) -> None:
        self.close()

    # --- keys -----------------------------------------------------------------------------
    # An application event filter: Page Up / Page Down must turn the page even inside a text
    # field, which would otherwise take them.

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._filter_installed:
            QApplication.instance().installEventFilter(self)
            self._filter_installed = True

    def hideEvent(self, event) -> None:  # noqa: N802
        self._remove_filter()
        super().hideEvent(event)

    def _remove_filter(self) -> None:
        if self._filter_installed:
            QApplication.instance().removeEventFilter(self)
            self._filter_installed = False

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.KeyPress or not isinstance(obj, QWidget):
            return False
        if obj is not self and not self.isAncestorOf(obj):
            return False
        key, mods = event.key(), event.modifiers()
        if mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier):
            return False
        focus = obj  # a key event goes to the widget with the focus
        if key == Qt.Key.Key_Escape:
            if isinstance(focus, QComboBox) and focus.view().isVisible():
                return False
            self.leave()
            return True
        if key == Qt.Key.Key_PageDown:
            self.next()
            return True
        if key == Qt.Key.Key_PageUp:
            self.previous()
            return True
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Left) and not isinstance(focus, _KEEPS_ARROWS):
            self.next() if key == Qt.Key.Key_Right else self.previous()
            return True
        if Qt.Key.Key_0 <= key <= Qt.Key.Key_9 and not isinstance(focus, _KEEPS_ARROWS):
            self._digit(chr(key))   # the section's number, outside a field
            return True
        return False

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._show_position()
        self._fold()

    def closeEvent(self, event) -> None:  # noqa: N802
        self._remove_filter()
        if not self._closing:
            self._closing = True
            self.autosave.flush()
            self.closed.emit()
        super().closeEvent(event)
