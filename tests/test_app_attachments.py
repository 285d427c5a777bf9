"""The attachments panel, the viewer and the drawing page, driven offscreen (pytest-qt) over a
real encrypted store and a real StoreWorker."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import io

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from vsm_desktop import i18n
from vsm_desktop.app.attachments import AttachmentViewer, AttachmentsPanel, DrawingCanvas, DrawingDialog, DrawingsStrip
from vsm_desktop.app.editor.common import EditorContext
from vsm_desktop.app.autosave import Autosave
from vsm_desktop.app.worker import StoreWorker
from vsm_desktop.attachments import content
from vsm_desktop.store.store import Store

from attachment_files import image_bytes, pdf_bytes, write
from conftest import PASSPHRASE, add_learner, add_review

WAIT = 10_000


def drag(widget, points) -> None:
    QTest.mousePress(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(*points[0]))
    for p in points[1:]:
        QTest.mouseMove(widget, QPoint(*p))
    QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(*points[-1]))


def colours(png: bytes) -> set:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        return {c for _n, c in im.convert("RGB").getcolors(1 << 20)}


def test_the_canvas_draws_erases_and_undoes(qtbot):
    canvas = DrawingCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(600, 400)
    canvas.show()
    assert canvas.is_blank()
    canvas.colour = canvas.colour.fromString("#d62828")
    drag(canvas, [(50, 50), (200, 120), (400, 300)])
    assert not canvas.is_blank()
    png = canvas.png_bytes()
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        assert im.size == (1200, 800)
    assert (214, 40, 40) in colours(png)
    canvas.eraser = True
    drag(canvas, [(50, 50), (200, 120), (400, 300)])
    assert (214, 40, 40) not in colours(canvas.png_bytes())
    canvas.undo()                       # the eraser's stroke
    assert (214, 40, 40) in colours(canvas.png_bytes())
    canvas.undo()                       # the red stroke
    assert canvas.is_blank()


def test_the_drawing_page_saves_a_drawing_into_all_about_me(qtbot, store, worker):
    learner = add_learner(store)
    review = add_review(store, learner)
    ctx = EditorContext(worker, Autosave(worker))

    class Data:
        def __init__(self):
            self.review = store.get("reviews", review)

        def read_only(self, entity):
            return False

    ctx.data = Data()
    strip = DrawingsStrip(ctx)
    qtbot.addWidget(strip)
    dialog = DrawingDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.save_button.isEnabled()
    drag(dialog.canvas, [(30, 30), (300, 200)])
    assert dialog.save_button.isEnabled()
    QTest.keyClicks(dialog.title, "Milfeddyg")
    strip.save(dialog.canvas.png_bytes(), dialog.drawing_title())
    qtbot.waitUntil(lambda: strip.list.count() == 1, timeout=WAIT)
    [item] = content.listing(store, learner, review, content.ABOUT_ME)
    assert item["kind"] == "drawing" and item["mime"] == "image/png" and item["title"] == "Milfeddyg"


def test_the_panel_adds_shows_and_removes(qtbot, store, worker, tmp_path):
    learner = add_learner(store)
    panel = AttachmentsPanel(worker)
    qtbot.addWidget(panel)
    panel.show_for(learner)
    pdf = write(tmp_path / "adroddiad.pdf", pdf_bytes("Adroddiad", pages=3))
    png = write(tmp_path / "llun.png", image_bytes("PNG", (200, 150)))
    panel.kind.setCurrentIndex(panel.kind.findData("report"))
    panel.add_files([pdf, png])
    qtbot.waitUntil(lambda: panel.list.count() == 2, timeout=WAIT)
    assert {i["kind"] for i in panel.items} == {"report"}
    assert not panel.list.item(0).icon().isNull()
    # The viewer renders the PDF from memory, page by page.
    row = next(n for n, i in enumerate(panel.items) if i["mime"] == "application/pdf")
    panel.list.setCurrentRow(row)
    item = panel.selected()
    data = content.read_bytes(store, item)
    viewer = AttachmentViewer(item, data)
    qtbot.addWidget(viewer)
    assert viewer.pages == 3 and not viewer.picture.pixmap().isNull()
    viewer.next_button.click()
    assert viewer.page == 1
    # Content not synced here yet: the attachment says it is arriving.
    store.conn.execute("UPDATE blobs SET complete = 0 WHERE sha256 = ?", (item["sha256"],))
    panel.reload()
    qtbot.waitUntil(lambda: any(i["state"] == content.ARRIVING for i in panel.items), timeout=WAIT)
    row = next(n for n, i in enumerate(panel.items) if i["state"] == content.ARRIVING)
    assert "Arriving" in panel.list.item(row).text()
    panel.list.setCurrentRow(row)
    assert not panel.open_button.isEnabled() and panel.remove_button.isEnabled()


def test_a_refused_file_is_named_with_its_reason(qtbot, store, worker, tmp_path, monkeypatch):
    from vsm_desktop.app import attachments as ui

    learner = add_learner(store)
    panel = AttachmentsPanel(worker)
    qtbot.addWidget(panel)
    panel.show_for(learner)
    said = []
    monkeypatch.setattr(ui.QMessageBox, "warning", lambda *a, **k: said.append(a[2]))
    panel.add_files([write(tmp_path / "cdu.pdf", b"MZ" + os.urandom(500))])
    qtbot.waitUntil(lambda: bool(said), timeout=WAIT)
    assert "cdu.pdf" in said[0] and "program" in said[0]


def test_screenshots_in_welsh(qtbot, store, worker, tmp_path):
    """The panel and the drawing page in Welsh, grabbed for a person to look at (tests/screens)."""
    i18n.set_language("cy")
    learner = add_learner(store)
    content.attach(store, learner, write(tmp_path / "Tystysgrif nofio.pdf", pdf_bytes()), kind="certificate")
    content.attach(store, learner, image_bytes("JPEG", (320, 240), (40, 160, 90)), kind="photo", title="Prosiect celf",
                   name="p.jpg")
    panel = AttachmentsPanel(worker)
    qtbot.addWidget(panel)
    panel.retranslate_ui()
    panel.resize(820, 420)
    panel.show_for(learner)
    qtbot.waitUntil(lambda: panel.list.count() == 2, timeout=WAIT)
    out = tmp_path / "screens"
    out.mkdir()
    assert panel.grab().save(str(out / "attachments_cy.png"))
    dialog = DrawingDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    drag(dialog.canvas, [(100, 100), (300, 250), (500, 120)])
    assert dialog.grab().save(str(out / "drawing_cy.png"))
    assert "Atodiadau" in panel.heading.text()
    target = os.environ.get("VSM_SCREENSHOTS")
    if target:
        import shutil

        for f in out.iterdir():
            shutil.copy(f, target)


def test_all_about_me_has_the_drawings_in_the_editor(qtbot, store, store_path, worker, tmp_path):
    from vsm_desktop.app.editor import ReviewEditor

    i18n.set_language("cy")
    learner = add_learner(store)
    review = add_review(store, learner)
    content.attach(store, learner, image_bytes("PNG", (600, 400), (30, 110, 200)), kind="drawing", title="Fy nhŷ",
                   review_id=review, section=content.ABOUT_ME, name="t.png")
    editor = ReviewEditor(worker, Autosave(worker))
    qtbot.addWidget(editor)
    editor.resize(1366, 720)
    editor.show()
    editor.open_review(review)
    qtbot.waitUntil(lambda: editor.ctx.data is not None and editor._loading_id is None, timeout=WAIT)
    page = editor.show_section("about_me")
    qtbot.waitUntil(lambda: page.drawings.list.count() == 1, timeout=WAIT)
    assert page.drawings.draw_button.isEnabled() and "Tynnu llun" in page.drawings.draw_button.text()
    assert "Atodiadau" in editor.attachments_button.text()
    target = os.environ.get("VSM_SCREENSHOTS")
    if target:
        editor.grab().save(os.path.join(target, "about_me_cy.png"))


def test_export_pdf_can_include_the_attachments(qtbot, store, tmp_path):
    from vsm_desktop.app.pdf_ui.review import ExportOptions, make_review_pdf

    dialog = ExportOptions(None, printing=False, finalised=False, learner_lang="en", folder=tmp_path,
                           name_for=lambda mode, my_pep: "pep.pdf")
    qtbot.addWidget(dialog)
    assert not dialog.options()["with_attachments"]
    dialog.attachments.setChecked(True)
    assert dialog.options()["with_attachments"]
    dialog.my_pep.setChecked(True)
    assert not dialog.attachments.isEnabled() and not dialog.options()["with_attachments"]
    learner = add_learner(store)
    review = add_review(store, learner)
    content.attach(store, learner, pdf_bytes("Tystysgrif", pages=2), kind="certificate", review_id=review, name="t.pdf")

    class Job:
        def cancelled(self):
            return False

    pages = []
    for included in (False, True):
        options = {"mode": "en", "my_pep": False, "sign": False, "with_attachments": included,
                   "path": str(tmp_path / f"pep{included}.pdf")}
        pages.append(make_review_pdf(store, review, options, None, Job()).pages)
    assert pages[1] == pages[0] + 3   # a separator and the PDF's two pages


def test_a_list_that_cannot_load_says_so_without_a_box(qtbot, store, worker):
    """The store closing as the app quits fails a pending list: a modal box there held the quit."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    learner = add_learner(store)
    panel = AttachmentsPanel(worker)
    qtbot.addWidget(panel)
    said, boxes = [], []
    panel.status_message.connect(said.append)

    def close_boxes():
        box = QApplication.activeModalWidget()
        if box is not None:
            boxes.append(box.windowTitle())
            box.close()

    timer = QTimer()
    timer.timeout.connect(close_boxes)
    timer.start(50)
    worker.close_store()
    panel.show_for(learner)
    qtbot.waitUntil(lambda: bool(said), timeout=WAIT)
    timer.stop()
    assert boxes == []
