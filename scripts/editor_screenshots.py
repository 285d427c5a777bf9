"""Renders the PEP review editor (every section), meeting mode, sign-off, the Add dialog and the
finalise checklist at 1366x768, in English and Welsh, to PNG files, over a demo store.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/editor_screenshots.py [/tmp/editor-shots]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from vsm_desktop.app.qt import QApplication, QFont, QFontDatabase, QPointF  # noqa: E402

PASSPHRASE = "correct horse battery staple"
SIZE = (1366, 768)


def make_store(folder: Path):
    from vsm_desktop.demo.generator import generate
    from vsm_desktop.store.store import Store

    path = folder / "shots.vsm"
    store = Store.initialise(path, PASSPHRASE, author="Mrs Ellis")
    generate(store, 20, seed=3)
    learners = store.list_learners()
    best = None
    for row in learners:
        record = store.learner_record(row["id"])
        draft = next((r for r in record["reviews"] if r["status"] == "draft"), None)
        final = next((r for r in record["reviews"] if r["status"] == "finalised"), None)
        if draft and final and draft["targets"] and draft["attendees"]:
            score = len(draft["targets"]) + len(draft["interventions"]) + len(draft["exclusions"])
            if best is None or score > best[0]:
                best = (score, draft["id"], final["id"], row["id"])
    bare_learner = store.create("learners", {
        "reference": "L999999", "legal_forename": "Ffion", "legal_surname": "ap Dafydd",
        "date_of_birth": "2014-02-03", "legal_status": "care_order", "preferred_language": "cy"})
    bare = store.start_review(bare_learner, {"review_type": "initial", "period_start": "2026-09-02",
                                             "period_end": "2026-12-18", "due_date": "2026-12-18"})
    store.close()
    return path, best[1], best[2], bare


def main(out: Path) -> None:
    from vsm_desktop.app.autosave import Autosave
    from vsm_desktop.app.language import Language
    from vsm_desktop.app.meeting_mode import MeetingMode
    from vsm_desktop.app.editor import ReviewEditor
    from vsm_desktop.app.worker import StoreWorker
    from vsm_desktop.domain.sections import SECTIONS
    from vsm_desktop.store.store import Store

    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf"):
        QFontDatabase.addApplicationFont(str(REPO / "resources" / "fonts" / name))
    app.setFont(QFont("Noto Sans", 10))
    language = Language()
    folder = Path(tempfile.mkdtemp())
    path, draft_id, final_id, bare_id = make_store(folder)
    worker = StoreWorker()
    worker.open(lambda: Store.open(path, PASSPHRASE))
    autosave = Autosave(worker)
    worker.wait_idle()

    def settle(widget=None):
        worker.wait_idle()
        for _ in range(5):
            app.processEvents()

    def shot(widget, name):
        settle()
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(target))

    for lang in ("en", "cy"):
        language.set(lang)
        editor = ReviewEditor(worker, autosave)
        editor.resize(SIZE[0], SIZE[1] - 48)   # the main window's menu and status bars take the rest
        editor.show()
        editor.open_review(draft_id)
        settle()
        for i, section in enumerate(SECTIONS, 1):
            editor.show_section(section.key)
            shot(editor, f"{lang}/editor_{i:02d}_{section.key}.png")
        page = editor.show_section("meeting")
        panel = page.lists["attendees"]
        pad = panel.row_editor.pad
        editor.stack.ensure_visible(pad)
        pad._begin(QPointF(30, 100))
        for x in range(30, 260, 6):
            pad._extend(QPointF(x, 100 - 30 * ((x // 20) % 2) + (x % 17)))
        pad._end()
        shot(editor, f"{lang}/signoff.png")
        panel.add()
        settle()
        shot(panel.dialog, f"{lang}/add_attendee_dialog.png")
        panel.dialog.reject()
        editor.request_finalise()
        settle()
        shot(editor.finalise_dialog, f"{lang}/finalise_ready.png")
        editor.finalise_dialog.reject()
        editor.open_review(bare_id)
        settle()
        editor.request_finalise()
        settle()
        shot(editor.finalise_dialog, f"{lang}/finalise_checklist.png")
        editor.finalise_dialog.reject()
        editor.open_review(final_id)
        settle()
        editor.show_section("targets")
        shot(editor, f"{lang}/finalised_read_only.png")
        mode = MeetingMode(worker, autosave, draft_id, section="about_me")
        mode.resize(*SIZE)
        mode.show()
        settle()
        for key in ("about_me", "targets", "meeting"):
            mode.show_section(key)
            shot(mode, f"{lang}/meeting_mode_{key}.png")
        mode.close()
        editor.close()
        autosave.flush()
        settle()
    worker.shutdown()
    print(f"Wrote the screenshots to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/editor-shots"))
