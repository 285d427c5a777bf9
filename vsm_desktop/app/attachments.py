"""Attachments in the application: the panel (learner page, and a review's Attachments… window),
the viewer (images, and PDF pages rendered by PDFium from memory: no decrypted copy is written to
disk), and the drawing page of "All about me" (editor and meeting mode).

All store work goes through the StoreWorker; the core is `vsm_desktop.attachments`.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path

from .. import i18n
from ..attachments import content, detect
from ..domain import model
from ..i18n import N_, _, pgettext
from .language import human_error
from .qt import (
    QBuffer, QByteArray, QColor, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QIODevice, QImage,
    QLabel, QListWidget, QListWidgetItem, QMessageBox, QPainter, QPen, QPixmap, QPoint, QPushButton, QScrollArea,
    QSize, QSizePolicy, QToolButton, QVBoxLayout, QWidget, Qt, Signal, QButtonGroup, QIcon,
)

log = logging.getLogger(__name__)
THUMB = 96
SAVE_COPY_WARNING = N_("The copy is not encrypted: anyone who can open that folder can read it. "
                       "Keep it as safe as the record it comes from, and delete it when you are done.")


# --- pictures from bytes, in memory -------------------------------------------------------------

def image_from_bytes(data: bytes, mime: str) -> QImage:
    """An image attachment as a QImage (HEIC and WebP through Pillow when Qt cannot read them)."""
    image = QImage()
    if mime in (detect.PNG, detect.JPEG) and image.loadFromData(QByteArray(data)):
        return image
    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        out = io.BytesIO()
        im.convert("RGBA").save(out, "PNG")
    image.loadFromData(QByteArray(out.getvalue()))
    return image


def pdf_page_count(data: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()


def render_pdf_page(data: bytes, index: int, width: int) -> QImage:
    """One page of a PDF held in memory, rendered `width` pixels wide."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        page = doc[index]
        scale = width / page.get_width()
        pil = page.render(scale=scale).to_pil()
        page.close()
    finally:
        doc.close()
    out = io.BytesIO()
    pil.save(out, "PNG")
    image = QImage()
    image.loadFromData(QByteArray(out.getvalue()))
    return image


def thumbnail(data: bytes | None, mime: str) -> QPixmap:
    pixmap = QPixmap(THUMB, THUMB)
    pixmap.fill(QColor("#eef1f4"))
    try:
        if data is not None and mime in detect.IMAGES:
            image = image_from_bytes(data, mime)
        elif data is not None and mime == detect.PDF:
            image = render_pdf_page(data, 0, THUMB)
        else:
            image = None
    except Exception:   # a thumbnail never stops the panel
        image = None
    if image is not None and not image.isNull():
        scaled = image.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                              Qt.TransformationMode.SmoothTransformation)
        painter = QPainter(pixmap)
        painter.drawImage((THUMB - scaled.width()) // 2, (THUMB - scaled.height()) // 2, scaled)
        painter.end()
    else:
        painter = QPainter(pixmap)
        painter.setPen(QColor("#55606b"))
        label = detect.EXTENSIONS.get(mime, "").lstrip(".").upper() or "?"
        painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, label)
        painter.end()
    return pixmap


def describe(item: dict) -> str:
    parts = [model.enum_label("attachment_kind", item["kind"]),
             i18n.format_date(dt.date.fromisoformat(item["added_on"]), "medium"), content.size_text(item["size"])]
    text = item["title"] + "\n" + " · ".join(parts)
    if item["state"] == content.ARRIVING:
        text += "\n" + _("Arriving: not synced to this computer yet")
    elif item["state"] == content.MISSING:
        text += "\n" + _("No longer on the sync server")
    return text


# --- the viewer ------------------------------------------------------------------------------

class AttachmentViewer(QDialog):
    """An image or a PDF shown from memory; PDFs page by page."""

    def __init__(self, item: dict, data: bytes, parent=None) -> None:
        super().__init__(parent)
        self.item, self.data = item, data
        self.page = 0
        self.pages = pdf_page_count(data) if item["mime"] == detect.PDF else 1
        self.setWindowTitle(item["title"])
        self.resize(820, 900)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.picture)
        self.prev_button, self.next_button, self.where = QPushButton(_("‹ Previous page")), QPushButton(_("Next page ›")), QLabel()
        self.prev_button.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self.page + 1))
        nav = QHBoxLayout()
        nav.addWidget(self.prev_button)
        nav.addStretch(1)
        nav.addWidget(self.where)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(nav)
        layout.addWidget(buttons)
        for w in (self.prev_button, self.next_button, self.where):
            w.setVisible(self.pages > 1)
        self.show_page(0)

    def show_page(self, index: int) -> None:
        self.page = max(0, min(index, self.pages - 1))
        if self.item["mime"] == detect.PDF:
            image = render_pdf_page(self.data, self.page, 760)
        else:
            image = image_from_bytes(self.data, self.item["mime"])
            if image.width() > 760:
                image = image.scaledToWidth(760, Qt.TransformationMode.SmoothTransformation)
        self.picture.setPixmap(QPixmap.fromImage(image))
        self.picture.setAccessibleName(self.item["title"])
        self.where.setText(_("Page {n} of {total}").format(n=i18n.format_number(self.page + 1),
                                                           total=i18n.format_number(self.pages)))
        self.prev_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page < self.pages - 1)


# --- the panel -------------------------------------------------------------------------------

class AttachmentsPanel(QWidget):
    """A learner's (or one review's) attachments, with thumbnails: add (button or drag and drop),
    open, save a copy, remove."""

    changed = Signal()
    status_message = Signal(str)

    def __init__(self, worker, parent=None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.learner_id: str | None = None
        self.review_id: str | None = None
        self.read_only = False
        self.items: list[dict] = []
        self.setAcceptDrops(True)
        self.heading = QLabel()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.list = QListWidget()
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setGridSize(QSize(THUMB + 130, THUMB + 70))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setSpacing(6)
        self.list.itemActivated.connect(lambda _item: self.open_selected())
        self.list.currentRowChanged.connect(lambda _row: self._enable())
        self.kind_label = QLabel()
        self.kind = QComboBox()
        self.kind_label.setBuddy(self.kind)
        self.add_button, self.open_button = QPushButton(), QPushButton()
        self.save_button, self.remove_button = QPushButton(), QPushButton()
        self.add_button.clicked.connect(self.choose_files)
        self.open_button.clicked.connect(self.open_selected)
        self.save_button.clicked.connect(self.save_copy)
        self.remove_button.clicked.connect(self.remove_selected)
        row = QHBoxLayout()
        row.addWidget(self.kind_label)
        row.addWidget(self.kind)
        row.addWidget(self.add_button)
        row.addStretch(1)
        for b in (self.open_button, self.save_button, self.remove_button):
            row.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.heading.setText(_("Attachments"))
        self.hint.setText(_("Documents and pictures kept with the record, encrypted like the rest of it. "
                            "Drop files here, or use Add file…"))
        self.kind_label.setText(_("&Kind:"))
        current = self.kind.currentData()
        self.kind.clear()
        for value, label in model.ENUMS["attachment_kind"].items():
            self.kind.addItem(_(label), value)
        index = self.kind.findData(current or "other")
        self.kind.setCurrentIndex(max(index, 0))
        self.add_button.setText(_("&Add file…"))
        self.open_button.setText(_("&Open"))
        self.save_button.setText(_("Save a &copy…"))
        self.remove_button.setText(_("&Remove"))
        self.list.setAccessibleName(_("Attachments"))
        self._fill()

    # --- loading -----------------------------------------------------------------------------

    def show_for(self, learner_id: str, review_id: str | None = None, read_only: bool = False) -> None:
        self.learner_id, self.review_id, self.read_only = learner_id, review_id, read_only
        self.reload()

    def reload(self) -> None:
        learner_id, review_id = self.learner_id, self.review_id
        if learner_id is None:
            return

        def load(store):
            items = content.listing(store, learner_id, review_id)
            thumbs = {}
            for item in items:
                if item["state"] == content.HERE and item["mime"] in (detect.PDF, *detect.IMAGES) \
                        and item["sha256"] not in thumbs:
                    try:
                        thumbs[item["sha256"]] = content.read_bytes(store, item)
                    except Exception:
                        thumbs[item["sha256"]] = None
            return items, thumbs

        def loaded(result):
            self.items, data = result
            self._thumbs = {sha: thumbnail(raw, next(i["mime"] for i in self.items if i["sha256"] == sha))
                            for sha, raw in data.items()}
            self._fill()
        self.worker.submit(load, loaded, self._load_failed)

    def _fill(self) -> None:
        self.list.clear()
        thumbs = getattr(self, "_thumbs", {})
        for item in self.items:
            entry = QListWidgetItem(describe(item))
            entry.setIcon(QIcon(thumbs.get(item["sha256"]) or thumbnail(None, item["mime"])))
            entry.setData(Qt.ItemDataRole.UserRole, item["id"])
            entry.setToolTip(describe(item) + "\n" + _("Added by {name}").format(name=item["added_by"] or "—"))
            self.list.addItem(entry)
        self._enable()

    def _enable(self) -> None:
        item = self.selected()
        self.add_button.setEnabled(not self.read_only and self.learner_id is not None)
        self.kind.setEnabled(not self.read_only)
        here = item is not None and item["state"] == content.HERE
        self.open_button.setEnabled(here)
        self.save_button.setEnabled(here)
        self.remove_button.setEnabled(item is not None and not self.read_only)

    def selected(self) -> dict | None:
        row = self.list.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def _failed(self, error: BaseException) -> None:
        """A person's action failed: they are told at once."""
        self.status_message.emit(human_error(error))
        QMessageBox.warning(self, _("Attachments"), human_error(error))

    def _load_failed(self, error: BaseException) -> None:
        """A list loaded in the background failed (the store closing as the app quits, for one):
        said in the status bar, never a modal box that nobody asked for and that would hold the quit."""
        log.info("attachments list not loaded: %s", type(error).__name__)
        self.status_message.emit(human_error(error))

    # --- adding ------------------------------------------------------------------------------

    def choose_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(self, _("Attach files"))
        if paths:
            self.add_files([Path(p) for p in paths])

    def add_files(self, paths: list[Path], kind: str | None = None) -> None:
        learner_id, review_id = self.learner_id, self.review_id
        if learner_id is None or self.read_only:
            return
        kind = kind or self.kind.currentData() or "other"

        def attach(store):
            done, refused = [], []
            for path in paths:
                try:
                    done.append(content.attach(store, learner_id, path, kind=kind, review_id=review_id))
                except detect.FileRefused as e:
                    refused.append(str(e))
            return done, refused

        def attached(result):
            done, refused = result
            if refused:
                QMessageBox.warning(self, _("Attachments"), "\n\n".join(refused))
            if done:
                self.status_message.emit(i18n.ngettext("Attached {n} file.", "Attached {n} files.", len(done)).format(
                    n=i18n.format_number(len(done))))
                self.changed.emit()
            self.reload()
        self.worker.submit(attach, attached, self._failed)

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if not self.read_only and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_files(paths)

    # --- opening, saving, removing -----------------------------------------------------------

    def _with_bytes(self, item: dict, then) -> None:
        self.worker.submit(lambda store: content.read_bytes(store, item), then, self._failed)

    def open_selected(self) -> None:
        item = self.selected()
        if item is None or item["state"] != content.HERE:
            return
        if item["mime"] in (detect.PDF, *detect.IMAGES):
            self._with_bytes(item, lambda data: self._view(item, data))
        else:
            self.save_copy()   # Word, OpenDocument, text: the person's own program opens a copy

    def _view(self, item: dict, data: bytes) -> None:
        try:
            viewer = AttachmentViewer(item, data, self)
        except Exception as e:   # damaged despite the checks: say so, never crash
            QMessageBox.warning(self, _("Attachments"), human_error(e))
            return
        self.viewer = viewer
        viewer.show()

    def save_copy(self) -> None:
        item = self.selected()
        if item is None or item["state"] != content.HERE:
            return
        answer = QMessageBox.warning(self, _("Save a copy"), _(SAVE_COPY_WARNING),
                                     QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Ok:
            return
        suggested = item["title"] + detect.EXTENSIONS.get(item["mime"], "")
        path, _filter = QFileDialog.getSaveFileName(self, _("Save a copy"), suggested)
        if path:
            self.worker.submit(lambda store: content.extract(store, item, path),
                               lambda _p: self.status_message.emit(_("Saved a copy to {path}.").format(path=path)),
                               self._failed)

    def remove_selected(self) -> None:
        item = self.selected()
        if item is None or self.read_only:
            return
        answer = QMessageBox.question(self, _("Remove attachment"),
                                      _("Remove “{title}” from the record? The change syncs like any other.").format(
                                          title=item["title"]))
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.worker.submit(lambda store: content.detach(store, item["id"]),
                           lambda _r: (self.changed.emit(), self.reload()), self._failed)


class AttachmentsDialog(QDialog):
    """A review's attachments, from the editor's Attachments… button."""

    def __init__(self, worker, learner_id: str, review_id: str, read_only: bool, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Attachments of this PEP"))
        self.resize(760, 520)
        self.panel = AttachmentsPanel(worker, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel, 1)
        layout.addWidget(buttons)
        self.panel.show_for(learner_id, review_id, read_only)


# --- the drawing page ---------------------------------------------------------------------------

COLOURS = (("#1b1b1b", N_("Black")), ("#d62828", N_("Red")), ("#1d6fd6", N_("Blue")), ("#2a9d3f", N_("Green")),
           ("#f4b400", N_("Yellow")), ("#8e44ad", N_("Purple")))
CANVAS = QSize(1200, 800)
UNDO_STEPS = 40


class DrawingCanvas(QWidget):
    """A large white page to draw on with the mouse, a pen or a finger; an eraser and undo."""

    drawn = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.image = QImage(CANVAS, QImage.Format.Format_RGB32)
        self.image.fill(QColor("white"))
        self.colour = QColor(COLOURS[0][0])
        self.eraser = False
        self.width_px = 8
        self.undo_stack: list[QImage] = []
        self._last: QPoint | None = None
        self.setMinimumSize(600, 400)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def sizeHint(self) -> QSize:  # noqa: N802
        return CANVAS / 1.5

    def _target(self):
        """Where the page is drawn: as large as fits, its shape kept (a stroke is never stretched)."""
        from .qt import QRect

        scale = min(self.width() / self.image.width(), self.height() / self.image.height())
        w, h = int(self.image.width() * scale), int(self.image.height() * scale)
        return QRect((self.width() - w) // 2, (self.height() - h) // 2, max(w, 1), max(h, 1))

    def _to_image(self, pos) -> QPoint:
        r = self._target()
        return QPoint(int((pos.x() - r.x()) * self.image.width() / r.width()),
                      int((pos.y() - r.y()) * self.image.height() / r.height()))

    def mousePressEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self.undo_stack.append(self.image.copy())
            del self.undo_stack[:-UNDO_STEPS]
            self._last = self._to_image(event.position())
            self._line(self._last, self._last)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        if self._last is not None:
            point = self._to_image(event.position())
            self._line(self._last, point)
            self._last = point

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        if self._last is not None:
            self._last = None
            self.drawn.emit()

    def _line(self, a: QPoint, b: QPoint) -> None:
        painter = QPainter(self.image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor("white") if self.eraser else self.colour
        pen = QPen(colour, self.width_px * (4 if self.eraser else 1), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                   Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.drawLine(a, b)
        painter.end()
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        target = self._target()
        painter.drawImage(target, self.image)
        painter.setPen(QPen(QColor("#9aa3ab"), 1))
        painter.drawRect(target.adjusted(0, 0, -1, -1))
        painter.end()

    def undo(self) -> None:
        if self.undo_stack:
            self.image = self.undo_stack.pop()
            self.update()
            self.drawn.emit()

    def clear(self) -> None:
        self.undo_stack.append(self.image.copy())
        self.image.fill(QColor("white"))
        self.update()
        self.drawn.emit()

    def is_blank(self) -> bool:
        blank = QImage(self.image.size(), self.image.format())
        blank.fill(QColor("white"))
        return self.image == blank

    def png_bytes(self) -> bytes:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.image.save(buffer, "PNG")
        buffer.close()
        return bytes(data)


class DrawingDialog(QDialog):
    """The drawing page: the canvas, a few colours, an eraser, undo; Save keeps it as a PNG
    attachment of kind drawing in "All about me"."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Draw a picture"))
        self.canvas = DrawingCanvas(self)
        self.title_label = QLabel(_("What is your picture about?"))
        from .qt import QLineEdit

        self.title = QLineEdit()
        self.title.setPlaceholderText(_("My drawing"))
        self.title_label.setBuddy(self.title)
        tools = QHBoxLayout()
        self.colour_buttons: list[QToolButton] = []
        group = QButtonGroup(self)
        for hex_colour, name in COLOURS:
            button = QToolButton()
            button.setCheckable(True)
            button.setFixedSize(44, 44)
            button.setStyleSheet(f"QToolButton {{ background: {hex_colour}; border: 2px solid #888; border-radius: 22px; }}"
                                 f" QToolButton:checked {{ border: 5px solid #222; }}")
            button.setAccessibleName(_(name))
            button.setToolTip(_(name))
            button.clicked.connect(lambda _c=False, h=hex_colour: self._pick(h))
            group.addButton(button)
            tools.addWidget(button)
            self.colour_buttons.append(button)
        self.colour_buttons[0].setChecked(True)
        self.eraser_button = QToolButton()
        self.eraser_button.setText(_("Eraser"))
        self.eraser_button.setCheckable(True)
        self.eraser_button.setMinimumHeight(44)
        group.addButton(self.eraser_button)
        self.eraser_button.clicked.connect(self._erase)
        self.undo_button = QPushButton(_("&Undo"))
        self.undo_button.setShortcut("Ctrl+Z")
        self.undo_button.setMinimumHeight(44)
        self.undo_button.clicked.connect(self.canvas.undo)
        self.clear_button = QPushButton(_("Start again"))
        self.clear_button.setMinimumHeight(44)
        self.clear_button.clicked.connect(self.canvas.clear)
        tools.addSpacing(12)
        tools.addWidget(self.eraser_button)
        tools.addWidget(self.undo_button)
        tools.addWidget(self.clear_button)
        tools.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(_("&Save drawing"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(pgettext("button", "Cancel"))
        self.canvas.drawn.connect(lambda: self.save_button.setEnabled(not self.canvas.is_blank()))
        self.save_button.setEnabled(False)
        title_row = QHBoxLayout()
        title_row.addWidget(self.title_label)
        title_row.addWidget(self.title, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(title_row)
        layout.addWidget(buttons)
        self.resize(1000, 780)

    def _pick(self, hex_colour: str) -> None:
        self.canvas.colour = QColor(hex_colour)
        self.canvas.eraser = False

    def _erase(self) -> None:
        self.canvas.eraser = True

    def drawing_title(self) -> str:
        return self.title.text().strip() or _("My drawing")


class DrawingsStrip(QWidget):
    """In "All about me": the learner's drawings for this review, and Draw a picture…"""

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.heading = QLabel()
        self.list = QListWidget()
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB * 3 // 2, THUMB * 3 // 2))
        self.list.setFixedHeight(THUMB * 3 // 2 + 44)
        self.list.setFlow(QListWidget.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.list.setMovement(QListWidget.Movement.Static)
        self.draw_button = QPushButton()
        self.draw_button.setMinimumHeight(40)
        self.draw_button.clicked.connect(self.draw)
        row = QHBoxLayout()
        row.addWidget(self.heading)
        row.addStretch(1)
        row.addWidget(self.draw_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.list)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.heading.setText(_("My drawings"))
        self.draw_button.setText(_("&Draw a picture…"))
        self.list.setAccessibleName(_("My drawings"))

    def _ids(self) -> tuple[str, str, bool] | None:
        data = self.ctx.data
        if data is None:
            return None
        review = data.review
        return review["learner_id"], review["id"], bool(data.read_only("reviews"))

    def load(self) -> None:
        ids = self._ids()
        if ids is None:
            return
        learner_id, review_id, read_only = ids
        self.draw_button.setEnabled(not read_only)

        def load(store):
            items = content.listing(store, learner_id, review_id, content.ABOUT_ME)
            return [(i, content.read_bytes(store, i) if i["state"] == content.HERE else None)
                    for i in items if i["kind"] == "drawing"]

        self.ctx.worker.submit(load, self._show, lambda e: self.ctx.status(human_error(e)))

    def _show(self, drawings) -> None:
        self.list.clear()
        for item, data in drawings:
            entry = QListWidgetItem(item["title"])
            pixmap = thumbnail(data, item["mime"]) if data is None else QPixmap.fromImage(
                image_from_bytes(data, item["mime"]).scaled(THUMB * 3 // 2, THUMB * 3 // 2, Qt.AspectRatioMode.KeepAspectRatio,
                                                            Qt.TransformationMode.SmoothTransformation))
            entry.setIcon(QIcon(pixmap))
            self.list.addItem(entry)
        self.list.setVisible(bool(drawings))

    def draw(self) -> None:
        ids = self._ids()
        if ids is None:
            return
        dialog = DrawingDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.canvas.is_blank():
            return
        self.save(dialog.canvas.png_bytes(), dialog.drawing_title())

    def save(self, png: bytes, title: str) -> None:
        learner_id, review_id, _read_only = self._ids()

        def attach(store):
            return content.attach(store, learner_id, png, kind="drawing", title=title, review_id=review_id,
                                  section=content.ABOUT_ME, name=title + ".png")

        def saved(_id):
            self.ctx.status(_("Drawing saved."))
            self.load()
        self.ctx.worker.submit(attach, saved, lambda e: self.ctx.status(human_error(e)))
