"""Renders the main screens at 1366x768 in English and Welsh to PNG files, over a demo store:
first run, unlock (and a wrong passphrase), the learner list (and a search), a learner's page
(each tab), the dashboard, tasks, quality assurance, enrolment, About, the locked screen; then the editor's screens (every section, meeting mode, sign-off,
finalise checklist) through scripts/editor_screenshots.py.

    .venv/bin/python scripts/screenshots.py [OUT_FOLDER]      (default: screenshots/)

The coordinator's screens (dashboard, its charts, tasks, quality assurance with the rating panel
beside the PEP, the import wizard's problems), in English and Welsh, at 100 % and at 150 % of a
1366x768 screen (Qt's scale factor: 911x512 of Qt's pixels), to OUT_FOLDER/coordinator/:

    .venv/bin/python scripts/screenshots.py --coordinator [OUT_FOLDER]

The review meeting (the editor with its progress marks and the checklist panel, meeting mode
with the jump list, the learner list at 150 % (910×512 logical pixels), and a signed PEP's pages
through pdftoppm), in English and Welsh, to OUT_FOLDER/meeting/:

    .venv/bin/python scripts/screenshots.py --meeting [OUT_FOLDER]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

PASSPHRASE = "correct horse battery staple"


def main(out: Path) -> None:
    folder = Path(tempfile.mkdtemp())
    os.environ["VSM_USER_SETTINGS"] = str(folder / "user.json")
    os.environ["VSM_MACHINE_SETTINGS"] = str(folder / "machine.json")
    from PySide6.QtCore import QElapsedTimer
    from PySide6.QtWidgets import QApplication

    from vsm_desktop import settings
    from vsm_desktop.app.main import AppController
    from vsm_desktop.demo.generator import generate
    from vsm_desktop.store.store import Store

    app = QApplication.instance() or QApplication([])
    store_path = folder / "demo.vsm"
    with Store.initialise(store_path, PASSPHRASE, author="Demo") as store:
        generate(store, 120, seed=7)

    def wait(cond, limit_ms=20_000):
        clock = QElapsedTimer()
        clock.start()
        while not cond() and clock.elapsed() < limit_ms:
            app.processEvents()
        app.processEvents()

    for lang in ("en", "cy"):
        target = out / lang
        target.mkdir(parents=True, exist_ok=True)
        first = settings.Settings()
        controller = AppController(app, first, folder / "not-yet.vsm")
        controller.window.resize(1366, 768)
        controller.window.show()
        wait(lambda: True)

        def shot(name: str) -> None:
            app.processEvents()
            controller.window.grab().save(str(target / f"{name}.png"))

        shot("01-first-run-bilingual")
        controller.first_run.choose_language(lang)
        shot("02-first-run-create-store")
        controller.first_run.passphrase.setText("short")
        controller.first_run.create()
        shot("03-first-run-refused")
        controller.close_requested()

        chosen = settings.Settings(language=lang)
        controller = AppController(app, chosen, store_path)
        controller.window.resize(1366, 768)
        controller.window.show()
        shot("04-unlock")
        controller.unlock_page.passphrase.setText("not the passphrase")
        controller.unlock_page.unlock()
        wait(lambda: controller.unlock_page.error.isVisible())
        shot("05-unlock-wrong-passphrase")
        controller.unlock_page.passphrase.setText(PASSPHRASE)
        controller.unlock_page.unlock()
        wait(lambda: controller.learner_list.model.rowCount() > 0)
        shot("06-learner-list")
        page = controller.learner_list
        page.search.setText("llyr")
        wait(lambda: page.proxy.matching is not None)
        shot("07-learner-list-search")
        page.search.clear()
        page.due.setCurrentIndex(page.due.findData("overdue"))
        shot("08-learner-list-overdue")
        page.due.setCurrentIndex(0)
        controller.show_learner(page.model.rows[1]["id"])
        wait(lambda: controller.learner_page.record is not None)
        for i in range(controller.learner_page.tabs.count()):
            controller.learner_page.tabs.setCurrentIndex(i)
            shot(f"09-learner-tab-{i + 1}")
        shown = []
        controller.dashboard.show(then=lambda: shown.append(1))
        wait(lambda: shown)
        shot("11-dashboard")
        controller.coordinator.show_tasks()
        wait(lambda: controller.coordinator.tasks_page.table.model().rowCount() > 0, 10_000)
        shot("12-tasks")
        controller.coordinator.show_qa()
        wait(lambda: controller.coordinator.qa_page.table.model().rowCount() > 0, 10_000)
        shot("13-quality-assurance")
        controller.show_list()

        def dialog_shot(name: str, dialog) -> None:
            wait(lambda: dialog.isVisible())
            dialog.grab().save(str(target / f"{name}.png"))
            dialog.close()

        wait(lambda: controller.sync.ready)  # the sync connection opens a moment after unlocking
        controller.sync.show_enrol()
        dialog_shot("14-enrol", controller.sync.enrol_dialog)
        controller.about()
        from PySide6.QtWidgets import QDialog
        wait(lambda: any(isinstance(w, QDialog) and w.isVisible() for w in app.topLevelWidgets()))
        about = next(w for w in app.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible())
        dialog_shot("15-about", about)
        controller.lock()
        wait(lambda: controller.unlock_page.isVisible())
        shot("10-locked")
        controller.close_requested()

    import editor_screenshots

    editor_screenshots.main(out / "editor")
    meeting(out / "meeting")
    print(out)


def coordinator(out: Path, scale: float) -> None:
    """One scale per process: Qt reads its scale factor when the application starts."""
    folder = Path(tempfile.mkdtemp())
    os.environ["VSM_USER_SETTINGS"] = str(folder / "user.json")
    os.environ["VSM_MACHINE_SETTINGS"] = str(folder / "machine.json")
    from PySide6.QtCore import QElapsedTimer
    from PySide6.QtWidgets import QApplication

    from vsm_desktop import settings
    from vsm_desktop.app.main import AppController
    from vsm_desktop.demo.generator import generate
    from vsm_desktop.store.store import Store

    app = QApplication.instance() or QApplication([])
    store_path = folder / "demo.vsm"
    with Store.initialise(store_path, PASSPHRASE, author="Demo") as store:
        generate(store, 300, seed=7)
        # "Demo" is the social worker of some learners and owns their drafts' actions: every group of tasks.
        for (lid,) in store.conn.execute("SELECT id FROM learners LIMIT 120").fetchall():
            store.create("contacts", {"learner_id": lid, "role": "social_worker", "name": "Demo"})
        for (aid,) in store.conn.execute("SELECT a.id FROM actions a JOIN reviews r ON r.id = a.review_id"
                                         " WHERE coalesce(a.done, 0) = 0 AND r.status = 'draft' LIMIT 40").fetchall():
            store.update("actions", aid, {"owner": "Demo"})
    problems = folder / "cohort.csv"
    problems.write_text(
        "reference,legal_forename,legal_surname,date_of_birth,legal_status,school\n"
        "N1,Gwenllïan,Huws,25/03/2014,Care order,Ysgol Glan Môr\n"
        "N2,Aled,,2013-01-01,adopted,\n"
        "N3,Dafydd,Owen,31/02/2012,adopted,Ysgol Arall\n"
        "N4,Siân,Rees,2012-05-05,fostered,\n", encoding="utf-8")

    def wait(cond, limit_ms=30_000):
        clock = QElapsedTimer()
        clock.start()
        while not cond() and clock.elapsed() < limit_ms:
            app.processEvents()
        app.processEvents()

    for lang in ("en", "cy"):
        target = out / "coordinator" / lang / f"{round(scale * 100)}"
        target.mkdir(parents=True, exist_ok=True)
        controller = AppController(app, settings.Settings(language=lang), store_path)
        controller.window.resize(round(1366 / scale), round(768 / scale))
        controller.window.show()
        controller.unlock_page.passphrase.setText(PASSPHRASE)
        controller.unlock_page.unlock()
        wait(lambda: controller.learner_list.model.rowCount() > 0)

        def shot(name: str, widget=None) -> None:
            app.processEvents()
            (widget or controller.window).grab().save(str(target / f"{name}.png"))

        shown = []
        controller.dashboard.show(then=lambda: shown.append(1))
        wait(lambda: shown)
        page = controller.dashboard.page
        shot("01-dashboard")
        bar = page.scroll.verticalScrollBar()
        bar.setValue(page.sections["charts"].y())
        shot("02-dashboard-charts")
        bar.setValue(bar.maximum())
        shot("03-dashboard-end")
        part = controller.coordinator
        part.show_tasks()
        wait(lambda: part.tasks_page.rows and controller.worker.pending() == 0)
        shot("04-tasks")
        part.show_qa()
        wait(lambda: part.qa_page.model.rows and controller.worker.pending() == 0)
        shot("05-quality-assurance")
        item = next(i for i in part.qa_page.model.rows if i.state == "waiting")
        part.open_for_rating(item)
        wait(lambda: controller.editor is not None and controller.editor.review_id == item.review_id
             and controller.worker.pending() == 0)
        shot("06-quality-rating-beside-the-pep")
        controller.show_list()
        wizard = part.import_csv()
        wizard.resize(round(1100 / scale), round(640 / scale))
        wizard.path.setText(str(problems))
        wizard.next()
        wait(lambda: wizard.steps.currentIndex() == 1)
        wizard.next()
        wait(lambda: wizard.steps.currentIndex() == 2)
        shot("07-import-problems", wizard)
        wizard.reject()
        controller.close_requested()


def _signature_png(seed: str) -> str:
    """A synthetic hand-drawn signature (a wavy stroke), as the signature pad stores it."""
    import base64
    import math

    from PySide6.QtCore import QBuffer, QPointF, Qt
    from PySide6.QtGui import QImage, QPainter, QPainterPath, QPen

    image = QImage(480, 160, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(Qt.GlobalColor.black, 4))
    path = QPainterPath(QPointF(20, 100))
    k = sum(map(ord, seed)) % 7 + 3
    for x in range(20, 460, 6):
        path.lineTo(QPointF(x, 90 + 35 * math.sin(x / (4 + k)) * math.cos(x / 37)))
    painter.drawPath(path)
    painter.end()
    buffer = QBuffer()
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return base64.b64encode(bytes(buffer.data())).decode("ascii")


def meeting(out: Path) -> None:
    """The review meeting, as a designated teacher sees it (see the module's docstring)."""
    import datetime as dt
    import subprocess

    folder = Path(tempfile.mkdtemp())
    os.environ["VSM_USER_SETTINGS"] = str(folder / "user.json")
    os.environ["VSM_MACHINE_SETTINGS"] = str(folder / "machine.json")
    from PySide6.QtCore import QElapsedTimer
    from PySide6.QtWidgets import QApplication

    from vsm_desktop import settings
    from vsm_desktop.app.main import AppController
    from vsm_desktop.demo.generator import generate
    from vsm_desktop.pdf.export import export_review
    from vsm_desktop.store.store import Store

    app = QApplication.instance() or QApplication([])
    store_path = folder / "meeting.vsm"
    with Store.initialise(store_path, PASSPHRASE, author="Catrin Ellis", role="designated_person") as store:
        generate(store, 60, seed=7)
        drafts = store.conn.execute("SELECT id, learner_id FROM reviews WHERE status = 'draft'").fetchall()
        draft_id = drafts[0][0]
        # A second draft, completed and signed by everyone at the table, then finalised.
        signed_id = drafts[1][0]
        store.update("reviews", signed_id, {
            "meeting_date": "2026-11-20", "meeting_language": "cy", "next_review_date": "2027-03-19",
            "attendance_pct": 93.4, "authorised_absence_pct": 2.6, "unauthorised_absence_pct": 4.0,
            "voice_good_at": "Dw i'n dda am chwarae pêl-droed a nofio.",
            "voice_good_at_lang": "cy", "meeting_place": "Ysgol Maes Hir, ystafell 4"})
        if not store.children("targets", signed_id):
            store.create("targets", {"review_id": signed_id, "position": 0, "description": "Darllen bob nos",
                                     "description_lang": "cy", "responsible": "Gofalwr"})
        for name, role in (("Catrin Ellis", "designated_person"), ("Meinir Probert", "social_worker"),
                           ("Sarah Byrne", "carer")):
            store.create("attendees", {"review_id": signed_id, "name": name, "role": role, "attendance": "present",
                                       "agreed": True, "signature_png": _signature_png(name),
                                       "signed_at": "2026-11-20T15:09:00+00:00"})
        store.finalise_review(signed_id, dt.datetime(2026, 11, 20, 16, tzinfo=dt.timezone.utc))
        for lang in ("en", "cy"):
            pdf = out / lang / "signed-pep.pdf"
            pdf.parent.mkdir(parents=True, exist_ok=True)
            export_review(store, signed_id, pdf, lang, sign=True,
                          now=dt.datetime(2026, 12, 2, 15, 12, tzinfo=dt.timezone.utc))
            subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf), str(pdf.with_suffix(""))], check=True)

    def wait(cond, limit_ms=20_000):
        clock = QElapsedTimer()
        clock.start()
        while not cond() and clock.elapsed() < limit_ms:
            app.processEvents()
        app.processEvents()

    for lang in ("en", "cy"):
        target = out / lang
        target.mkdir(parents=True, exist_ok=True)
        controller = AppController(app, settings.Settings(language=lang), store_path)
        window = controller.window
        window.resize(1366, 768)
        window.show()
        controller.unlock_page.passphrase.setText(PASSPHRASE)
        controller.unlock_page.unlock()
        wait(lambda: controller.learner_list.model.rowCount() > 0)
        window.resize(910, 512)   # 1366×768 at 150 %
        wait(lambda: False, 300)
        window.grab().save(str(target / "01-list-150.png"))
        window.resize(1366, 768)
        controller.show_review(draft_id)
        editor = controller.editor
        wait(lambda: editor.ctx.data is not None and editor._loading_id is None)
        editor.show_section("about_me")
        wait(lambda: False, 400)
        window.grab().save(str(target / "02-editor-progress.png"))
        editor.checklist_button.setChecked(True)
        wait(lambda: False, 300)
        window.grab().save(str(target / "03-editor-checklist.png"))
        window.resize(910, 512)
        wait(lambda: False, 300)
        window.grab().save(str(target / "04-editor-150.png"))
        window.resize(1366, 768)
        editor.checklist_button.setChecked(False)
        editor.show_section("targets")
        controller.meeting_mode()
        view = controller.meeting_view
        view.showNormal()   # offscreen has no real full screen: the size of the laptop's screen
        view.resize(1366, 768)
        wait(lambda: view.ctx.data is not None)
        view.show_jump_list()
        wait(lambda: False, 300)
        view.grab().save(str(target / "05-meeting-jump-list.png"))
        view.sections_button.setChecked(False)
        view.checklist_button.setChecked(True)
        wait(lambda: False, 300)
        view.grab().save(str(target / "06-meeting-checklist.png"))
        view.close()
        controller.close_requested()
        window.close()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    destination = Path(args[0]) if args else REPO / "screenshots"
    if "--meeting" in sys.argv:
        meeting(destination / "meeting")
        print(destination / "meeting")
    elif "--coordinator" in sys.argv:
        scale = next((float(a.split("=", 1)[1]) for a in sys.argv if a.startswith("--scale=")), None)
        if scale is None:   # both scales, each in a process of its own
            import subprocess

            for factor in ("1", "1.5"):
                subprocess.run([sys.executable, __file__, "--coordinator", f"--scale={factor}", str(destination)],
                               env={**os.environ, "QT_SCALE_FACTOR": factor}, check=True)
        else:
            coordinator(destination, scale)
        print(destination / "coordinator")
    else:
        main(destination)
