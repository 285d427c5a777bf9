"""The screens in Welsh as in English: Qt's own file dialog speaks Welsh, no menu, menu bar or
dialog offers one Alt+letter twice in either language, and a stretched pseudo-translation (every
string a third longer, accented) fits every main screen at 1366x768 without clipping a text."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

pytest.importorskip("PySide6")

from PySide6.QtCore import QCoreApplication, Qt  # noqa: E402
from PySide6.QtGui import QAction  # noqa: E402
from PySide6.QtWidgets import QAbstractButton, QFileDialog, QLabel, QTreeView  # noqa: E402

from vsm_desktop import i18n  # noqa: E402

import pseudo  # noqa: E402
from accelerators import clashes, menu_scopes, mnemonic, widget_texts  # noqa: E402
from test_app_shell import app_settings, demo_store, make_app, store_copy, unlock, wait_for_list  # noqa: E402,F401

SCREEN = (1366, 768)


def test_qt_own_file_dialog_speaks_welsh(qtbot):
    from vsm_desktop.app.language import Language

    language = Language()
    language.set("cy")
    try:
        dialog = QFileDialog(None, "Cadw", str(Path.home()))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        qtbot.addWidget(dialog)
        dialog.show()
        labels = [w.text() for w in dialog.findChildren(QLabel) if w.isVisible()]
        assert labels == ["Edrych y&n:", "&Enw'r ffeil:", "&Math o ffeil:"]
        buttons = {b.text() or b.toolTip() for b in dialog.findChildren(QAbstractButton) if b.isVisible()}
        assert {"Yn ôl", "Ymlaen", "Creu ffolder newydd", "&Cadw", "Canslo"} <= buttons
        actions = {a.text() for a in dialog.findChildren(QAction)}  # the file list's context menu
        assert {"Ail&enwi", "&Dileu", "Dangos ffeiliau &cudd", "&Ffolder newydd"} <= actions
        header = dialog.findChild(QTreeView).model()
        assert [header.headerData(i, Qt.Orientation.Horizontal) for i in range(4)] == ["Enw", "Maint", "Math", "Dyddiad addasu"]
        # The question Qt asks before replacing a file (built when it is asked, so checked here).
        question = QCoreApplication.translate("QFileDialog", "%1 already exists.\nDo you want to replace it?")
        assert question.startswith("Mae %1 yn bodoli eisoes.")
    finally:
        language.set("en")


def test_mnemonics_fold_case_and_accents():
    assert mnemonic("&Ffeil") == "f" and mnemonic("Cy&dgysylltydd") == "d" and mnemonic("&Ŵyneb") == "w"
    assert mnemonic("Save && close") is None
    assert clashes(["&Cymorth", "&Cydlynydd", "&Ffeil"]) == {"c": ["&Cymorth", "&Cydlynydd"]}


def _dialogs(controller, folder: Path):
    from vsm_desktop.app.about import AboutDialog
    from vsm_desktop.app.finalise import FinaliseDialog
    from vsm_desktop.app.import_wizard import ImportWizard
    from vsm_desktop.app.pdf_ui import ExportOptions, PackOptions, TimestampDialog, VerifyDialog
    from vsm_desktop.app.quality_panel import RatingDialog
    from vsm_desktop.app.editor.amend import AmendDialog
    from vsm_desktop.app.sync_dialogs import ConflictsDialog, EnrolDialog

    window = controller.window
    yield "About", AboutDialog(controller.store_path, controller.settings, window)
    yield "Finalise", FinaliseDialog(window)
    yield "Verify", VerifyDialog(window)
    yield "Timestamp authority", TimestampDialog(controller.worker, window)
    yield "PEP pack", PackOptions(window, 3, True, folder / "pack.pdf")
    yield "Export PDF", ExportOptions(window, printing=False, finalised=True, learner_lang="cy", folder=folder)
    yield "Print", ExportOptions(window, printing=True, finalised=False, learner_lang="cy", folder=folder)
    yield "Import", ImportWizard(controller.worker, window)
    yield "Conflicts", ConflictsDialog(controller.sync, window)
    yield "Enrol", EnrolDialog(controller.sync, window)
    yield "Amend", AmendDialog(window)
    yield "Rate", RatingDialog(controller.worker, "no-such-review", window)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_no_menu_menu_bar_page_or_dialog_offers_an_accelerator_twice(qtbot, make_app, app_settings, store_copy, tmp_path, lang):
    app_settings.language = lang
    controller = make_app(app_settings, store_copy)
    controller.window.resize(*SCREEN)
    unlock(qtbot, controller)
    wait_for_list(qtbot, controller)
    found = {}
    scopes = menu_scopes(controller.window.menuBar())
    assert len(scopes) >= 6 and len(scopes["menu bar"]) >= 6  # the menus are there to be checked
    found.update({f"menu {name}": clashes(texts) for name, texts in scopes.items()})
    found["learner list"] = clashes(widget_texts(controller.learner_list))
    controller.show_learner(controller.learner_list.model.rows[0]["id"])
    qtbot.waitUntil(lambda: controller.learner_page.record is not None, timeout=15000)
    for i in range(controller.learner_page.tabs.count()):
        controller.learner_page.tabs.setCurrentIndex(i)
        found[f"learner page, tab {i + 1}"] = clashes(widget_texts(controller.learner_page))
    shown = []
    controller.dashboard.show(then=lambda: shown.append(1))
    qtbot.waitUntil(lambda: bool(shown), timeout=15000)
    found["dashboard"] = clashes(widget_texts(controller.dashboard.page))
    controller.coordinator.show_qa()
    found["quality assurance"] = clashes(widget_texts(controller.coordinator.qa_page))
    checked = 0
    for name, dialog in _dialogs(controller, tmp_path):
        qtbot.addWidget(dialog)
        dialog.show()
        texts = widget_texts(dialog)
        checked += sum(1 for t in texts if mnemonic(t))
        found[f"dialog {name}"] = clashes(texts)
        dialog.close()
    assert checked >= 10  # dialogs with accelerators were really looked at
    assert {scope: c for scope, c in found.items() if c} == {}


@pytest.fixture
def pseudo_english(monkeypatch):
    """English replaced by the stretched pseudo-translation, wherever the app asks for it."""
    real = i18n._gettext.translation
    stretched = pseudo.translations()

    def translation(domain, localedir=None, languages=None, fallback=False, **kwargs):
        if languages == ["en"]:
            return stretched
        return real(domain, localedir=localedir, languages=languages, fallback=fallback, **kwargs)

    monkeypatch.setattr(i18n._gettext, "translation", translation)
    i18n.set_language("en")
    yield
    monkeypatch.undo()
    i18n.set_language("en")


def test_the_pseudo_translation_is_a_third_longer_and_keeps_what_must_stay():
    assert pseudo.stretch("Save the PDF") == "Sâvê thê PDF ŵŷŵŷ"
    assert pseudo.stretch("&File") == "&Fîlê ŵŷ"
    assert pseudo.stretch("Name:") == "Nâmê ŵŷ:"
    assert pseudo.stretch("{n} learners behind “{figure}”").startswith("{n} lêârnêrs bêhînd “{figure}”")
    assert pseudo.stretch("PDF documents (*.pdf)").endswith("(*.pdf)")


def test_clipping_is_found(qtbot):
    label = QLabel("A label far too long for the forty pixels it is given")
    qtbot.addWidget(label)
    label.setFixedWidth(40)
    label.show()
    assert pseudo.clipped(label) != []


@pytest.fixture
def text_at_150_percent():
    """Text half as big again (a person's 150 % text size), for one test."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    normal = app.font()
    bigger = app.font()
    bigger.setPointSizeF(normal.pointSizeF() * 1.5)
    app.setFont(bigger)
    yield
    app.setFont(normal)


@pytest.mark.parametrize("lang", ["pseudo", "cy", "cy-150"])
def test_every_main_screen_fits_1366x768_without_clipping(request, qtbot, make_app, app_settings, store_copy, tmp_path, lang):
    """In the stretched pseudo-translation (in place of English), and in Welsh itself, at 100 % and 150 % text."""
    if lang == "pseudo":
        request.getfixturevalue("pseudo_english")
    if lang == "cy-150":
        request.getfixturevalue("text_at_150_percent")
    shown_lang = "en" if lang == "pseudo" else "cy"
    controller = make_app(app_settings, tmp_path / "new.vsm")
    window = controller.window
    window.resize(*SCREEN)
    problems = {}

    def look(screen: str) -> None:
        qtbot.wait(100)  # pending layouts (a status-bar count that just arrived) settle first
        if lang == "pseudo":
            assert "ŵŷ" in " ".join(w.text() for w in window.findChildren(QLabel) if w.isVisible()), screen  # stretched
        found = pseudo.clipped(window)
        if window.width() > SCREEN[0] or window.height() > SCREEN[1]:
            found.append(f"the window grew to {window.width()}x{window.height()}")
        if found:
            problems[screen] = found

    controller.first_run.choose_language(shown_lang)
    look("first run")
    controller.close_requested()
    app_settings.language = shown_lang
    controller = make_app(app_settings, store_copy)
    window = controller.window
    window.resize(*SCREEN)
    look("unlock")
    unlock(qtbot, controller)
    wait_for_list(qtbot, controller)
    look("learner list")
    controller.show_learner(controller.learner_list.model.rows[1]["id"])
    qtbot.waitUntil(lambda: controller.learner_page.record is not None, timeout=15000)
    for i in range(controller.learner_page.tabs.count()):
        controller.learner_page.tabs.setCurrentIndex(i)
        look(f"learner page, tab {i + 1}")
    review_id = controller.learner_page.record["reviews"][0]["id"]
    shown = []
    controller.dashboard.show(then=lambda: shown.append(1))
    qtbot.waitUntil(lambda: bool(shown), timeout=15000)
    look("dashboard")
    controller.coordinator.show_tasks()
    look("my tasks")
    controller.coordinator.show_qa()
    look("quality assurance")
    controller.show_review(review_id)
    editor = controller.editor
    qtbot.waitUntil(lambda: editor.ctx.data is not None and editor.review_id == review_id, timeout=15000)
    for i in range(editor.sections.count()):
        editor.sections.setCurrentRow(i)
        qtbot.wait(50)
        look(f"editor, section {i + 1}")
    assert problems == {}
