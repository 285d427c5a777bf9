"""The application's side of PDFs, driven through its widgets (pytest-qt, offscreen) over real
encrypted stores and a real StoreWorker: Export PDF… and Print… in the review editor, Verify a
signed PDF…, Print PEP pack… from the learner list, and the timestamp authority. The PDFs are
read back with pypdf and checked with the core's pyHanko validation."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialogButtonBox
from pypdf import PdfReader

from vsm_desktop import i18n
from vsm_desktop.app.autosave import Autosave
from vsm_desktop.app.learner_list import ID_ROLE, LearnerListPage
from vsm_desktop.app.pdf_ui import PdfJob, TimestampDialog, VerifyDialog, pack_filter
from vsm_desktop.app.editor import ReviewEditor
from vsm_desktop.app.worker import StoreWorker
from vsm_desktop.pdf import signing
from vsm_desktop.pdf.pack import select_learners
from vsm_desktop.pdf.verify import INVALID, OK, UNTRUSTED, verify_pdf
from vsm_desktop.store.store import Store

from conftest import PASSPHRASE, run_cli
from pdf_support import LocalTSA, flat, full_review

WAIT = 60_000


@pytest.fixture
def worker(store_path, store):
    w = StoreWorker()
    w.open(lambda: Store.open(store_path, PASSPHRASE))
    assert w.wait_idle()
    yield w
    PdfJob.stop_all()
    w.shutdown()


@pytest.fixture
def editor(qtbot, worker):
    e = ReviewEditor(worker, Autosave(worker))
    qtbot.addWidget(e)
    e.resize(1366, 720)
    e.show()
    return e


def open_review(qtbot, editor, review_id):
    editor.open_review(review_id)
    qtbot.waitUntil(lambda: editor.ctx.data is not None and editor.review_id == review_id, timeout=WAIT)


def press_ok(dialog):
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def wait_done(qtbot, progress):
    qtbot.waitUntil(lambda: progress.outcome is not None, timeout=WAIT)
    return progress.outcome


def text_of(path) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(str(path)).pages))


def root_file(store, tmp_path):
    root = tmp_path / "root.pem"
    root.write_bytes(signing.load_identity(store).root_pem)
    return root


# --- Export PDF… ----------------------------------------------------------------------------

@pytest.mark.parametrize("mode, expected", [("cy", ["Tudalen 1 o", "SWYDDOGOL-SENSITIF"]),
                                            ("en", ["Page 1 of", "OFFICIAL-SENSITIVE"]),
                                            ("both", ["Tudalen 1 o", "Page 1 of"])])
def test_export_from_the_editor_in_each_language_is_signed(qtbot, store, editor, tmp_path, mode, expected):
    review = full_review(store)
    open_review(qtbot, editor, review)
    assert editor.pdf.export_button.isEnabled()
    editor.pdf.export_button.click()
    dialog = editor.pdf.dialog
    assert dialog.isVisible() and dialog.mode() == "en", "the interface language by default"
    assert dialog.sign.isChecked() and dialog.sign.isEnabled(), "a finalised review is signed by default"
    dialog.lang_buttons[mode].setChecked(True)
    out = tmp_path / f"pep-{mode}"
    dialog.file.edit.setText(str(out))
    press_ok(dialog)
    progress = editor.pdf.progress
    assert wait_done(qtbot, progress) == "done", progress.label.text()
    out = out.with_suffix(".pdf")
    assert str(out) in progress.label.text()
    assert "Signed with this profile's own certificate" in progress.label.text()
    text = text_of(out)
    for needle in expected:
        assert needle in text
    assert "Llŷr a Siôn" in text, "Welsh free text, diacritics included"
    assert PdfReader(str(out)).trailer["/Root"]["/Lang"] == {"cy": "cy-GB", "en": "en-GB", "both": "cy-GB"}[mode]
    verdict = verify_pdf(out, [root_file(store, tmp_path)])
    assert verdict.exit_code == OK
    assert verdict.signatures[0].signer == "Test Author"
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    # Open and Show in folder, with the system's applications.
    opened = []
    progress.opener = opened.append
    assert progress.open_button.isVisible() and progress.folder_button.isVisible()
    qtbot.mouseClick(progress.open_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(progress.folder_button, Qt.MouseButton.LeftButton)
    assert opened == [out, out.parent]


def test_a_draft_is_watermarked_never_signed_and_my_pep_is_in_the_learners_language(qtbot, store, editor, tmp_path):
    review = full_review(store, finalise=False)
    open_review(qtbot, editor, review)
    editor.pdf.export_button.click()
    dialog = editor.pdf.dialog
    assert not dialog.sign.isChecked() and not dialog.sign.isEnabled()
    assert "draft" in dialog.note.text()
    out = tmp_path / "draft.pdf"
    dialog.file.edit.setText(str(out))
    press_ok(dialog)
    assert wait_done(qtbot, editor.pdf.progress) == "done"
    assert "DRAFT" in text_of(out)
    assert verify_pdf(out).signatures == []

    editor.pdf.export_button.click()
    dialog = editor.pdf.dialog
    assert dialog.file.path().name == "PEP-L000001-2026-11-20-en.pdf", "names no one, says what it holds"
    dialog.my_pep.setChecked(True)
    assert dialog.mode() == "cy", "the learner's language (Welsh) though the interface is English"
    assert dialog.file.path().name == "MyPEP-L000001-2026-11-20-cy.pdf"
    assert not dialog.lang_buttons["both"].isEnabled()
    out = tmp_path / "my-pep.pdf"
    dialog.file.edit.setText(str(out))
    press_ok(dialog)
    assert wait_done(qtbot, editor.pdf.progress) == "done"
    reader = PdfReader(str(out))
    assert len(reader.pages) == 1
    assert "Fy Nghynllun Addysg Personol" in reader.pages[0].extract_text()


def test_export_to_a_missing_folder_says_so_and_writes_nothing(qtbot, store, editor, tmp_path):
    open_review(qtbot, editor, full_review(store))
    editor.pdf.export_button.click()
    dialog = editor.pdf.dialog
    dialog.file.edit.setText(str(tmp_path / "nowhere" / "pep.pdf"))
    press_ok(dialog)
    progress = editor.pdf.progress
    assert wait_done(qtbot, progress) == "failed"
    assert "does not exist" in progress.label.text()
    assert not (tmp_path / "nowhere").exists()


def test_an_existing_pdf_is_replaced_only_after_a_second_ok(qtbot, store, editor, tmp_path):
    open_review(qtbot, editor, full_review(store))
    existing = tmp_path / "signed-yesterday.pdf"
    existing.write_bytes(b"%PDF-1.7 the PEP signed yesterday")
    editor.pdf.export_button.click()
    dialog = editor.pdf.dialog
    dialog.file.edit.setText(str(existing))
    press_ok(dialog)
    assert dialog.isVisible() and "Press OK again" in dialog.error.text()
    assert existing.read_bytes() == b"%PDF-1.7 the PEP signed yesterday"
    press_ok(dialog)
    assert wait_done(qtbot, editor.pdf.progress) == "done"
    assert existing.read_bytes() != b"%PDF-1.7 the PEP signed yesterday"


# --- Print… -----------------------------------------------------------------------------

def test_print_renders_every_page_onto_the_printer(qtbot, store, editor, tmp_path):
    open_review(qtbot, editor, full_review(store, targets=12))
    editor.pdf.print_button.click()
    dialog = editor.pdf.dialog
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).text() == "Print…"
    options = dialog.options()
    assert options["path"] is None and options["mode"] == "en"
    dialog.reject()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    progress = editor.pdf.start(options, printer=printer)
    assert wait_done(qtbot, progress) == "done", progress.label.text()
    pages = progress.result.pages
    assert pages >= 2
    assert f"Sent {pages} pages to the printer." == progress.label.text()
    reader = PdfReader(str(printed))
    assert len(reader.pages) == pages
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - 595) < 3 and abs(float(page.mediabox.height) - 842) < 3  # A4
        images = list(page.images)
        assert images and images[0].image.width >= 2000, "each page painted at print resolution"
        # something was drawn: the page is not blank paper
        assert images[0].image.convert("L").getextrema()[0] < 100


# --- Verify a signed PDF… ---------------------------------------------------------------------

def test_verify_dialog_says_intact_and_trusted_untrusted_or_modified(qtbot, store, tmp_path):
    from vsm_desktop.pdf.export import export_review

    out = tmp_path / "signed.pdf"
    export_review(store, full_review(store), out, "en", role="Designated person")
    root = root_file(store, tmp_path)
    dialog = VerifyDialog()
    qtbot.addWidget(dialog)
    dialog.show()

    def check(path, trust=None):
        dialog.outcome = None
        dialog.file.edit.setText(str(path))
        dialog.trust.edit.setText(str(trust) if trust else "")
        qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=WAIT)
        return dialog.outcome, dialog.verdict.text(), dialog.details.text()

    verdict, headline, details = check(out, root)
    assert verdict.exit_code == OK
    assert headline == "Verdict: the signature is valid and trusted."
    assert "Signed by: Test Author" in details and "Signing time: " in details
    assert "Intact: yes, unchanged since it was signed." in details
    assert "Reason: Signed as Designated person" in details, "the signer's role"
    assert "Not authority-issued." in details

    verdict, headline, details = check(out)
    assert verdict.exit_code == UNTRUSTED
    assert headline == "Verdict: intact, but not trusted."
    assert "Certificate: not trusted." in details and "Not authority-issued." in details

    verdict, headline, _details = check(tmp_path / "missing.pdf")
    assert isinstance(verdict, Exception) and "missing.pdf" in headline


    data = bytearray(out.read_bytes())
    at = data.index(b"/Author (Test Author)") + len(b"/Author (")   # signed bytes, outside the signature value
    changed = tmp_path / "changed.pdf"
    data[at] ^= 0x01
    changed.write_bytes(bytes(data))
    verdict, headline, details = check(changed, root)
    assert verdict.exit_code == INVALID
    assert headline == "Verdict: not valid."

    i18n.set_language("cy")
    dialog.retranslate_ui()  # the verdict shown is said again in Welsh
    assert dialog.verdict.text() == "Dyfarniad: nid yw'n ddilys."
    assert "Yn gyfan: nac ydyw." in dialog.details.text()
    assert "The signed content" not in dialog.details.text(), "every line said again in Welsh"


# --- Print PEP pack… ------------------------------------------------------------------------

@pytest.fixture
def pack_store(store):
    ids = [full_review(store, reference=f"L00000{i}", surname=name, targets=2)
           for i, name in enumerate(("Ab Ithel", "Davies", "Lloyd", "Owen"), 1)]
    return ids


@pytest.fixture
def learner_list(qtbot, worker):
    page = LearnerListPage(worker)
    qtbot.addWidget(page)
    page.resize(1366, 720)
    page.show()
    page.reload()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and worker.pending() == 0, timeout=WAIT)
    return page


def select_rows(page, rows):
    selection = page.table.selectionModel()
    selection.clearSelection()
    for r in rows:
        selection.select(page.proxy.index(r, 0), QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)


def test_pack_of_the_selected_learners_with_progress(qtbot, store, pack_store, learner_list, tmp_path):
    page = learner_list
    assert page.table.selectionMode() == page.table.SelectionMode.ExtendedSelection
    select_rows(page, [0, 2])
    ids = {page.proxy.data(page.proxy.index(r, 0), ID_ROLE) for r in (0, 2)}
    surnames = {row["legal_surname"] for row in page.model.rows if row["id"] in ids}
    page.pack.button.click()
    dialog = page.pack.dialog
    assert "2 learners you selected" in dialog.summary.text()
    out = tmp_path / "pack.pdf"
    dialog.file.edit.setText(str(out))
    press_ok(dialog)
    progress = page.pack.progress
    seen = []
    progress.bar.valueChanged.connect(lambda v: seen.append((v, progress.bar.maximum(), progress.label.text())))
    assert wait_done(qtbot, progress) == "done", progress.label.text()
    assert [(0, 2, "Learner 1 of 2"), (1, 2, "Learner 2 of 2"), (2, 2, "Learner 2 of 2")] == seen[-3:]
    assert "2 learners" in progress.label.text()
    reader = PdfReader(str(out))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert {t.split(",")[0] for t in titles if "(L0000" in t} == surnames
    assert verify_pdf(out, [root_file(store, tmp_path)]).exit_code == OK


def test_cancelling_a_pack_leaves_no_file(qtbot, store, pack_store, learner_list, tmp_path):
    page = learner_list
    page.table.clearSelection()
    flt = pack_filter(page)
    assert flt.filtered and len(flt.learners) == 4
    folder = tmp_path / "out"
    folder.mkdir()
    progress = page.pack.start(flt, {"mode": "cy", "drafts": False, "path": folder / "pack.pdf"})

    def first_learner_done(value):
        if value >= 1 and progress.button.isEnabled() and progress.outcome is None:
            progress.button.click()
    progress.bar.valueChanged.connect(first_learner_done)
    assert wait_done(qtbot, progress) == "cancelled"
    assert progress.bar.value() < 4
    assert "nothing was written" in progress.label.text()
    assert list(folder.iterdir()) == [], "no PDF and no temporary file"


def test_pack_from_the_list_filters(qtbot, store, pack_store, learner_list, tmp_path):
    page = learner_list
    learner = store.resolve_learner("L000003")
    placement = store.children("placements", learner)[0]
    store.update("placements", placement["id"], {"placing_area": "out_of_wales"})
    page.reload()
    qtbot.waitUntil(lambda: page.worker.pending() == 0, timeout=WAIT)
    page.out_of_county.setChecked(True)
    assert page.proxy.rowCount() == 1
    flt = pack_filter(page)
    assert flt.learners == [learner] and flt.filtered and flt.out_of_county
    assert [r["id"] for r in select_learners(store, flt)] == [learner]
    page.out_of_county.setChecked(False)
    page.due.setCurrentIndex(page.due.findData("range"))
    assert page.due_from.isVisible() and page.due_to.isVisible()
    from PySide6.QtCore import QDate
    page.due_from.setDate(QDate(2027, 3, 1))
    page.due_to.setDate(QDate(2027, 3, 10))
    assert page.proxy.rowCount() == 4, "every next review is on 10 March 2027"
    page.due_to.setDate(QDate(2027, 3, 9))
    assert page.proxy.rowCount() == 0
    page.due_to.setDate(QDate(2027, 3, 10))
    flt = pack_filter(page)
    assert str(flt.due_after) == "2027-03-01" and str(flt.due_before) == "2027-03-11"
    progress = page.pack.start(flt, {"mode": "both", "drafts": False, "path": tmp_path / "due.pdf"})
    assert wait_done(qtbot, progress) == "done", progress.label.text()
    text = text_of(tmp_path / "due.pdf")
    assert "due on or after" in text and "Pecyn" in text


# --- the timestamp authority --------------------------------------------------------------------

def test_timestamp_authority_from_the_command_line(store_path, store):
    store.close()
    assert "No timestamp authority is set" in run_cli("timestamp-url", "--store", store_path).stdout
    bad = run_cli("timestamp-url", "--store", store_path, "ftp://tsa.example")
    assert bad.returncode == 2 and "is not a web address" in bad.stderr and "Traceback" not in bad.stderr
    assert "https://tsa.example/tsr" in run_cli("timestamp-url", "--store", store_path, "https://tsa.example/tsr").stdout
    with Store.open(store_path, PASSPHRASE) as reopened:
        assert signing.timestamp_url(reopened) == "https://tsa.example/tsr"
    both = run_cli("timestamp-url", "--store", store_path, "https://other.example/tsr", "--clear")
    assert both.returncode == 2 and "Traceback" not in both.stderr
    with Store.open(store_path, PASSPHRASE) as reopened:
        assert signing.timestamp_url(reopened) == "https://tsa.example/tsr", "an ambiguous command changes nothing"
    assert "No timestamp authority is set" in run_cli("timestamp-url", "--store", store_path, "--clear").stdout


def test_timestamp_authority_set_in_the_app_timestamps_the_export(qtbot, store, worker, editor, tmp_path, monkeypatch):
    monkeypatch.delenv(signing.ENV_TSA, raising=False)
    dialog = TimestampDialog(worker)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=WAIT)
    dialog.url.setText("not an address")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: "is not a web address" in dialog.message.text(), timeout=WAIT)
    with LocalTSA() as tsa:
        dialog.url.setText(tsa.url)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
        qtbot.waitUntil(lambda: dialog.result() == dialog.DialogCode.Accepted, timeout=WAIT)
        assert signing.profile_timestamp_url(store) == tsa.url
        open_review(qtbot, editor, full_review(store))
        editor.pdf.export_button.click()
        out = tmp_path / "stamped.pdf"
        editor.pdf.dialog.file.edit.setText(str(out))
        press_ok(editor.pdf.dialog)
        progress = editor.pdf.progress
        assert wait_done(qtbot, progress) == "done", progress.label.text()
        assert "timestamp" in progress.label.text() and tsa.requests >= 1
    report = verify_pdf(out, [root_file(store, tmp_path)]).signatures[0]
    assert report.timestamp_time is not None and report.timestamp_ok

    # A timestamp authority that does not answer: a sentence, and no file.
    signing.set_timestamp_url(store, "http://127.0.0.1:9/tsr")
    editor.pdf.export_button.click()
    editor.pdf.dialog.file.edit.setText(str(tmp_path / "unstamped.pdf"))
    press_ok(editor.pdf.dialog)
    progress = editor.pdf.progress
    assert wait_done(qtbot, progress) == "failed"
    assert "The timestamp authority at http://127.0.0.1:9/tsr did not answer" in progress.label.text()
    assert not (tmp_path / "unstamped.pdf").exists()


# --- the main window ----------------------------------------------------------------------------

def test_file_menu_verifies_and_locking_stops_a_pack_leaving_no_file(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from vsm_desktop import settings
    from vsm_desktop.app.main import AppController

    path = tmp_path / "store.vsm"
    with Store.initialise(path, PASSPHRASE, author="Test Author") as s:
        for i, name in enumerate(("Ab Ithel", "Davies", "Lloyd", "Owen", "Prys"), 1):
            full_review(s, reference=f"L00000{i}", surname=name, targets=2)
    monkeypatch.setenv("VSM_USER_SETTINGS", str(tmp_path / "user.json"))
    monkeypatch.setenv("VSM_MACHINE_SETTINGS", str(tmp_path / "machine.json"))
    app_settings = settings.load()
    app_settings.language = "en"
    controller = AppController(QApplication.instance(), app_settings, path)
    qtbot.addWidget(controller.window)
    controller.window.show()
    try:
        menu = controller.window.form.child("menuFile")
        texts = [a.text() for a in menu.actions()]
        assert "&Verify a signed PDF…" in texts and "&Timestamp authority…" in texts
        assert not controller.pdf.timestamp_action.isEnabled(), "no store, no setting to change"
        controller.unlock_page.passphrase.setText(PASSPHRASE)
        controller.unlock_page.passphrase.returnPressed.emit()
        qtbot.waitUntil(lambda: controller.learner_list.model.rowCount() == 5, timeout=WAIT)
        assert controller.pdf.timestamp_action.isEnabled()
        controller.pdf.verify_action.trigger()
        assert controller.pdf.dialogs[-1].isVisible()
        controller.pdf.dialogs[-1].close()

        folder = tmp_path / "out"
        folder.mkdir()
        page = controller.learner_list
        progress = page.pack.start(pack_filter(page), {"mode": "en", "drafts": False, "path": folder / "pack.pdf"})
        progress.bar.valueChanged.connect(lambda v: v >= 1 and controller.store is not None and controller.lock())
        qtbot.waitUntil(lambda: controller.unlock_page.isVisible(), timeout=WAIT)
        assert wait_done(qtbot, progress) == "cancelled"
        assert progress.bar.value() < 5 and not PdfJob.running
        assert list(folder.iterdir()) == [], "no PDF and no temporary file"
    finally:
        controller.close_requested()


def test_a_pack_printed_in_the_app_uses_worker_processes_with_the_stores_key(qtbot, tmp_path, monkeypatch):
    """The app keeps the store's derived key (never the passphrase) once unlocked, and its packs
    are laid out by worker processes given that key; locking forgets it."""
    import datetime as dt

    from PySide6.QtWidgets import QApplication

    from vsm_desktop import settings
    from vsm_desktop.app.main import AppController
    from vsm_desktop.app.pdf_ui import part
    from vsm_desktop.pdf import parallel

    monkeypatch.setattr(part, "PACK_KEY_DELAY_MS", 0)
    monkeypatch.setattr(parallel, "MIN_LEARNERS", 2)
    path = tmp_path / "store.vsm"
    with Store.initialise(path, PASSPHRASE, author="Test Author") as s:
        for i, name in enumerate(("Ab Ithel", "Davies", "Lloyd"), 1):
            review = full_review(s, reference=f"L00000{i}", surname=name, targets=2, finalise=False)
            for attendee in s.children("attendees", review):
                s.update("attendees", attendee["id"], {"signature_png": None})
            s.finalise_review(review, dt.datetime(2026, 11, 20, 16, tzinfo=dt.timezone.utc))
    monkeypatch.setenv("VSM_USER_SETTINGS", str(tmp_path / "user.json"))
    monkeypatch.setenv("VSM_MACHINE_SETTINGS", str(tmp_path / "machine.json"))
    app_settings = settings.load()
    app_settings.language = "en"
    controller = AppController(QApplication.instance(), app_settings, path)
    qtbot.addWidget(controller.window)
    controller.window.show()
    try:
        controller.unlock_page.passphrase.setText(PASSPHRASE)
        controller.unlock_page.passphrase.returnPressed.emit()
        qtbot.waitUntil(lambda: controller.learner_list.model.rowCount() == 3, timeout=WAIT)
        qtbot.waitUntil(lambda: controller.pdf.pack_key() is not None, timeout=WAIT)
        store_path, key = controller.pdf.pack_key()
        assert store_path == str(path) and PASSPHRASE not in key and key.startswith("x'")
        page = controller.learner_list
        out = tmp_path / "pack.pdf"
        progress = page.pack.start(pack_filter(page), {"mode": "en", "drafts": False, "path": out})
        assert wait_done(qtbot, progress) == "done", progress.label.text()
        assert progress.result.in_workers == 3 and progress.result.signed
        assert [n for n in ("Ab Ithel", "Davies", "Lloyd") if n in text_of(out)] == ["Ab Ithel", "Davies", "Lloyd"]
        controller.lock()
        qtbot.waitUntil(lambda: controller.unlock_page.isVisible(), timeout=WAIT)
        assert controller.pdf.pack_key() is None
    finally:
        controller.close_requested()
