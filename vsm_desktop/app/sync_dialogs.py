"""The sync dialogs: enrolling this device, and the Conflicts panel.

Enrolment runs on the sync thread (it waits on the network); the panel's reads and choices run
on the store worker, in order with the editors' saves, and each choice is sent by a sync.
"""

from __future__ import annotations

import datetime as dt

from .. import i18n
from ..domain import model
from ..errors import NetworkError, UntrustedServer, VsmError
from ..i18n import _
from ..sync.conflict_text import kind_label, reason_label, value_text
from ..sync.transport import read_ca_bundle
from ..sync.hlc import ClockError, Stamp
from ..sync.transport import normalise_server_url
from .language import human_error
from .learner_list import display_name
from .sync_ui import sync_client
from .qt import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QListWidget, QListWidgetItem, QPlainTextEdit, QProgressBar, QPushButton, QStackedWidget, QVBoxLayout, QWidget, Qt,
)

ERROR_STYLE = "color: #9b1c1c; font-weight: bold;"
EDITABLE_KINDS = ("str", "text")


def _wrapped(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class EnrolDialog(QDialog):
    """Server address, one-time code and (for an authority's own TLS certificate authority) a CA
    bundle file; the answer is a plain sentence for each way it can go wrong."""

    def __init__(self, part, parent=None) -> None:
        super().__init__(parent)
        self.part = part
        self.setObjectName("enrolDialog")
        settings = part.c.settings
        self.intro = _wrapped()
        self.server = QLineEdit(settings.sync_server or "")
        self.server.setReadOnly("sync_server" in settings.locked)
        self.code = QLineEdit()
        self.ca = QLineEdit(settings.ca_bundle or "")
        self.ca.setReadOnly("ca_bundle" in settings.locked)
        self.browse = QPushButton()
        self.browse.setEnabled(not self.ca.isReadOnly())
        self.browse.clicked.connect(self._browse)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca, 1)
        ca_row.addWidget(self.browse)
        self.form = QFormLayout()
        self.server_label, self.code_label, self.ca_label = QLabel(), QLabel(), QLabel()
        self.form.addRow(self.server_label, self.server)
        self.form.addRow(self.code_label, self.code)
        self.form.addRow(self.ca_label, ca_row)
        self.message = _wrapped()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        # A button of our own: Qt renames its standard buttons on a language switch.
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.enrol_button = QPushButton()
        self.enrol_button.setDefault(True)
        self.buttons.addButton(self.enrol_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(640)
        self._waiting = False
        self.retranslate_ui()
        self.start()

    def start(self) -> None:
        self.code.clear()
        self._idle()
        self.message.hide()
        (self.code if self.server.text() else self.server).setFocus()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Enrol this device"))
        self.intro.setText(_("Your administrator gives you the server's address and a one-time code, valid for "
                             "24 hours. Enrolling stores this device's key and your signing certificate in the "
                             "encrypted store."))
        self.server_label.setText(_("&Server address:"))
        self.server_label.setBuddy(self.server)
        self.code_label.setText(_("One-time &code:"))
        self.code_label.setBuddy(self.code)
        self.ca_label.setText(_("CA &bundle (optional):"))
        self.ca_label.setBuddy(self.ca)
        self.server.setPlaceholderText("https://…")
        self.ca.setPlaceholderText(_("Only if your IT team gives you one"))
        self.browse.setText(_("Choose…"))
        self.enrol_button.setText(_("&Enrol"))

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(self, _("Certificate authority"), self.ca.text(),
                                                      _("Certificates (*.pem *.crt);;All files (*)"))
        if chosen:
            self.ca.setText(chosen)

    def _idle(self) -> None:
        self._waiting = False
        self.busy.hide()
        self.enrol_button.setEnabled(True)
        for field in (self.server, self.code, self.ca):
            field.setEnabled(True)

    def _say(self, text: str, error: bool = True) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)
        self.message.show()

    def submit(self) -> None:
        if self._waiting:
            return
        code = self.code.text().strip()
        try:
            url = normalise_server_url(self.server.text())
            ca_path = self.ca.text().strip() or None
            ca_pem = read_ca_bundle(ca_path)
        except VsmError as e:
            self._say(str(e))
            return
        if not code:
            self._say(_("Type the one-time code from your administrator."))
            self.code.setFocus()
            return
        self._waiting = True
        self.message.hide()
        self.busy.show()
        self.enrol_button.setEnabled(False)
        for field in (self.server, self.code, self.ca):
            field.setEnabled(False)
        self.part.enrol(url, code, ca_pem, lambda who, error: self._done(url, ca_path, who, error))

    def _done(self, url: str, ca_path: str | None, who: dict | None, error: BaseException | None) -> None:
        self._idle()
        if error is not None:
            if isinstance(error, UntrustedServer):
                text = _("The server did not prove who it is: its certificate is not trusted. If your authority "
                         "uses its own certificate authority, choose its CA bundle file and try again.")
            elif isinstance(error, NetworkError):
                text = str(error)
            else:
                text = human_error(error)
            self._say(text)
            return
        settings = self.part.c.settings
        changed = False
        for key, value in (("sync_server", url), ("ca_bundle", ca_path)):
            if key not in settings.locked and getattr(settings, key) != value:
                setattr(settings, key, value)
                changed = True
        if changed:
            self.part.c._save_settings()
        self.part.c.status(_("This device is enrolled with {authority} as {username}.").format(
            authority=who["authority"], username=who["username"]))
        self.accept()

    def reject(self) -> None:
        # The request, if one is in flight, still finishes; its outcome shows in the status line.
        self._idle()
        super().reject()


def _when(stamp: str | None) -> str:
    try:
        wall = Stamp.parse(stamp).wall
    except ClockError:
        return "—"
    return i18n.format_datetime(dt.datetime.fromtimestamp(wall / 1000, dt.timezone.utc), "short")


def load_conflicts(store) -> list[dict]:
    """Open conflicts with what the panel shows beside them (runs on the store worker)."""
    from ..sync.engine import SyncClient

    client = SyncClient(store)
    names: dict[str, str] = {}
    out = []
    for c in client.conflicts():
        if c.learner_id and c.learner_id not in names:
            learner = store.get("learners", c.learner_id)
            names[c.learner_id] = display_name(learner) if learner else _("A learner no longer on this device")
        out.append({"conflict": c, "learner": names.get(c.learner_id or "", "—"),
                    "drafts": client.carry_choices(c.id),
                    "gone": bool(c.learner_id) and store.get("learners", c.learner_id) is None})
    return out


class ConflictsDialog(QDialog):
    """Each open conflict: the field, both values with who and when, and the ways to settle it."""

    def __init__(self, part, parent=None) -> None:
        super().__init__(parent)
        self.part = part
        self.worker = part.c.worker
        self.setObjectName("conflictsDialog")
        self.items: list[dict] = []
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentRowChanged.connect(self._show)
        self._shown_id: int | None = None
        self.empty = _wrapped()
        self.title = _wrapped()
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.where = _wrapped()
        self.reason = _wrapped()
        self.mine_box, self.theirs_box = QGroupBox(), QGroupBox()
        self.mine_value, self.mine_meta = _wrapped(), _wrapped()
        self.theirs_value, self.theirs_meta = _wrapped(), _wrapped()
        for box, value, meta in ((self.mine_box, self.mine_value, self.mine_meta),
                                 (self.theirs_box, self.theirs_value, self.theirs_meta)):
            inner = QVBoxLayout(box)
            inner.addWidget(value)
            inner.addWidget(meta)
            meta.setStyleSheet("color: #555555;")
        self.merged = QPlainTextEdit()
        self.merged.setObjectName("mergedValue")
        self.merged.hide()
        self.keep_mine, self.keep_theirs = QPushButton(), QPushButton()
        self.edit, self.save_merged = QPushButton(), QPushButton()
        self.drafts = QComboBox()
        self.carry, self.dismiss = QPushButton(), QPushButton()
        self.copy = QPushButton()   # a refused or held change: what was typed, to paste elsewhere
        self.copy.setObjectName("copyChange")
        self.copy.clicked.connect(self._copy)
        self.keep_mine.clicked.connect(lambda: self._resolve("mine"))
        self.keep_theirs.clicked.connect(lambda: self._resolve("theirs"))
        self.edit.clicked.connect(self._start_edit)
        self.save_merged.clicked.connect(lambda: self._resolve("value"))
        self.carry.clicked.connect(self._carry)
        self.dismiss.clicked.connect(self._dismiss)
        self.error = _wrapped()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()

        choose = QHBoxLayout()
        for button in (self.keep_mine, self.keep_theirs, self.edit, self.save_merged):
            choose.addWidget(button)
        choose.addStretch(1)
        carry_row = QHBoxLayout()
        carry_row.addWidget(self.drafts, 1)
        carry_row.addWidget(self.carry)
        carry_row.addWidget(self.copy)
        carry_row.addWidget(self.dismiss)
        self.detail = QWidget()
        right = QVBoxLayout(self.detail)
        for widget in (self.title, self.where, self.reason, self.mine_box, self.theirs_box, self.merged):
            right.addWidget(widget)
        right.addLayout(choose)
        right.addLayout(carry_row)
        right.addWidget(self.error)
        right.addStretch(1)
        body = QWidget()
        columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 0, 0, 0)
        self.list.setMinimumWidth(260)
        self.list.setMaximumWidth(360)
        columns.addWidget(self.list)
        columns.addWidget(self.detail, 1)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty)
        self.pages.addWidget(body)
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.close_buttons)
        self.resize(1000, 620)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Conflicts"))
        self.empty.setText(_("No conflicts to resolve."))
        self.keep_mine.setText(_("Keep &this one"))
        self.keep_theirs.setText(_("Keep the &other"))
        self.edit.setText(_("&Edit a merged value"))
        self.save_merged.setText(_("&Save the merged value"))
        self.carry.setText(_("&Carry into this review"))
        self.dismiss.setText(_("&Dismiss"))
        self.copy.setText(_("C&opy the text"))
        self._fill_list(self.list.currentRow())

    # --- loading --------------------------------------------------------------------------

    def load(self) -> None:
        self.worker.submit(load_conflicts, self._loaded, lambda e: self._fail(e))

    def _loaded(self, items: list[dict]) -> None:
        current = self._current()
        keep = current["conflict"].id if current else None
        self.items = items
        row = next((i for i, item in enumerate(items) if item["conflict"].id == keep), 0)
        self._fill_list(row)

    def _fill_list(self, row: int) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for item in self.items:
            c = item["conflict"]
            entry = QListWidgetItem(f"{item['learner']} — {self._what(c)}\n{kind_label(c.kind)}")
            self.list.addItem(entry)
        self.list.blockSignals(False)
        self.pages.setCurrentIndex(1 if self.items else 0)
        if self.items:
            self.list.setCurrentRow(max(0, min(row, len(self.items) - 1)))
            self._show(self.list.currentRow())

    @staticmethod
    def _what(c) -> str:
        ent = model.entity(c.entity)
        if c.field == "*":
            return _(ent.label)
        return f"{_(ent.label)}: {model.field_label(c.entity, c.field)}"

    def _current(self) -> dict | None:
        row = self.list.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def _show(self, row: int) -> None:
        item = self._current()
        self.error.hide()
        if item is None or item["conflict"].id != self._shown_id:
            # A merged value being typed survives a reload of the same conflict (after a sync).
            self.merged.hide()
            self.save_merged.hide()
        if item is None:
            self._shown_id = None
            return
        c = item["conflict"]
        self._shown_id = c.id
        two_values = c.kind in ("field", "deleted")
        self.title.setText(kind_label(c.kind))
        self.where.setText(_("{learner}: {what}").format(learner=item["learner"], what=self._what(c)))
        self.reason.setVisible(c.kind == "rejected")
        self.reason.setText(_("Why: {reason}").format(reason=reason_label(c.reason)))
        self.mine_box.setVisible(two_values or c.current_value is not None)
        self.mine_box.setTitle(_("On this device now"))
        if c.kind == "deleted":
            self.mine_value.setText(_("This record has been removed."))
            self.mine_meta.setText("")
        else:
            self.mine_value.setText(self._value(c, c.current_value, c.current_stamp))
            self.mine_meta.setText(self._meta(c.current_author, c.current_stamp))
        self.theirs_box.setTitle(_("The other version") if two_values else _("The change not applied"))
        self.theirs_value.setText(self._value(c, c.other_value, c.other_stamp))
        self.theirs_meta.setText(self._meta(c.other_author, c.other_stamp))
        field = model.entity(c.entity).by_name.get(c.field)
        for button in (self.keep_mine, self.keep_theirs):
            button.setVisible(two_values)
        if c.kind == "deleted":
            self.keep_mine.setText(_("Keep it &removed"))
            self.keep_theirs.setText(_("Bring it &back with the other change"))
        else:
            self.keep_mine.setText(_("Keep &this one"))
            self.keep_theirs.setText(_("Keep the &other"))
        self.edit.setVisible(c.kind == "field" and field is not None and field.kind in EDITABLE_KINDS)
        self.drafts.clear()
        for review in item["drafts"]:
            self.drafts.addItem(self._review_text(review), review["id"])
        can_carry = not two_values and bool(item["drafts"])
        self.drafts.setVisible(can_carry)
        self.carry.setVisible(can_carry)
        self.dismiss.setVisible(not two_values)
        self.copy.setVisible(not two_values and c.other_value not in (None, ""))
        if not two_values and item.get("gone"):
            self.error.setStyleSheet("")
            self.error.setText(_("This learner's record has left this device. Copy the text if it is still "
                                 "needed (for example to send to whoever now looks after the learner), then "
                                 "dismiss it: dismissing removes it from this device."))
            self.error.show()
        elif not two_values and not item["drafts"]:
            self.error.setStyleSheet("")
            self.error.setText(_("To keep this change, start an amendment or the next review for this learner, "
                                 "then come back here to carry it in."))
            self.error.show()

    def _value(self, c, value, stamp) -> str:
        if value is None and stamp is None:
            return _("(not on this device)")
        if c.field == "*" and isinstance(value, dict):
            ent = model.entity(c.entity)
            lines = [f"{_(f.label)}: {value_text(c.entity, f.name, value[f.name])}"
                     for f in ent.fields if f.name in value and value[f.name] not in (None, "")
                     and not f.lang_of and f.kind != "ref"]
            return "\n".join(lines[:8]) or _(ent.label)
        return value_text(c.entity, c.field, value) if value not in (None, "") else "—"

    @staticmethod
    def _meta(author: str | None, stamp: str | None) -> str:
        if not stamp:
            return ""
        return _("By {author}, {when}").format(author=author or "—", when=_when(stamp))

    @staticmethod
    def _review_text(review: dict) -> str:
        kind = model.enum_label("review_type", review["review_type"]) if review.get("review_type") else ""
        if review.get("amends_review_id"):
            kind = _("Amendment: {review}").format(review=kind)
        due = i18n.format_date(dt.date.fromisoformat(review["due_date"]), "medium") if review.get("due_date") else "—"
        return _("{review}, due {date}").format(review=kind, date=due)

    # --- choices --------------------------------------------------------------------------

    def _start_edit(self) -> None:
        item = self._current()
        if item is None:
            return
        c = item["conflict"]
        texts = [v for v in (c.current_value, c.other_value) if isinstance(v, str) and v]
        field = model.entity(c.entity).by_name[c.field]
        self.merged.setPlainText("\n\n".join(texts) if field.kind == "text" else (texts[0] if texts else ""))
        self.merged.show()
        self.save_merged.show()
        self.merged.setFocus()

    def _run(self, operation) -> None:
        item = self._current()
        if item is None:
            return
        c = item["conflict"]
        self.error.hide()
        for button in (self.keep_mine, self.keep_theirs, self.save_merged, self.carry, self.dismiss):
            button.setEnabled(False)

        def done(_result):
            self._enable()
            self.load()
            self.part.resolved(c.learner_id)

        self.worker.submit(lambda store: operation(sync_client(store), c.id), done, self._fail)

    def _resolve(self, choice: str) -> None:
        value = self.merged.toPlainText().strip() if choice == "value" else None
        self._run(lambda client, cid: client.resolve(cid, choice, value))

    def _carry(self) -> None:
        review_id = self.drafts.currentData()
        if review_id:
            self._run(lambda client, cid: client.carry(cid, review_id))

    def _copy(self) -> None:
        from .qt import QGuiApplication

        QGuiApplication.clipboard().setText(self.theirs_value.text())

    def _dismiss(self) -> None:
        self._run(lambda client, cid: client.dismiss(cid))

    def _enable(self) -> None:
        for button in (self.keep_mine, self.keep_theirs, self.save_merged, self.carry, self.dismiss):
            button.setEnabled(True)

    def _fail(self, error: BaseException) -> None:
        self._enable()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setText(human_error(error))
        self.error.show()
