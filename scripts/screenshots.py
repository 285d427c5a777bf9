"""Renders the main screens at 1366x768 in English and Welsh to PNG files, over a demo store:
first run, unlock (and a wrong passphrase), the learner list (and a search), a learner's page
(each tab), the dashboard, tasks, quality assurance, enrolment, About, the locked screen; then the editor's screens (every section, meeting mode, sign-off,
finalise checklist) through scripts/editor_screenshots.py.

    .venv/bin/python scripts/screenshots.py [OUT_FOLDER]      (default: screenshots/)
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
    print(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "screenshots")
