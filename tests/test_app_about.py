"""The About dialog (Help > About), driven offscreen: the version, where the data lives, what the IT
team set for this computer, and the bundled components with their licences read from their metadata."""

from __future__ import annotations

import json
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

pytest.importorskip("PySide6")

import shiboken6  # noqa: E402

from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel  # noqa: E402

from vsm_desktop import __version__, components, i18n, installation, settings  # noqa: E402

from conftest import add_learner  # noqa: E402

AUTUMN_2026 = {"name": "autumn", "start": "2026-09-01", "end": "2026-12-18", "half_term": ["2026-10-26", "2026-10-30"]}


@pytest.fixture
def files(tmp_path, monkeypatch):
    machine, user = tmp_path / "machine.json", tmp_path / "user.json"
    monkeypatch.setenv("VSM_MACHINE_SETTINGS", str(machine))
    monkeypatch.setenv("VSM_USER_SETTINGS", str(user))
    user.write_text(json.dumps({"language": "en"}), encoding="utf-8")
    return machine, user


def shown_window(qtbot, tmp_path):
    """The application's window, shown, on a store that does not exist yet (About needs none)."""
    from vsm_desktop.app.main import AppController

    controller = AppController(QApplication.instance(), settings.load(), tmp_path / "mine.vsm")
    qtbot.addWidget(controller.window)
    controller.window.show()
    return controller


@pytest.fixture
def open_about(qtbot, files, tmp_path):
    from vsm_desktop.app.about import AboutDialog

    made = []

    def open_it():
        controller = shown_window(qtbot, tmp_path)
        made.append(controller)
        controller.window.action("actionAbout").trigger()
        dialog = controller.window.findChild(AboutDialog)
        assert dialog is not None and dialog.isVisible()
        qtbot.waitUntil(lambda: dialog.table.rowCount() > 0 or dialog.failure is not None, timeout=30000)
        assert dialog.failure is None, dialog.failure
        return dialog

    yield open_it
    for controller in made:
        controller.close_requested()
    i18n.set_language("en")


def texts(dialog) -> str:
    return "\n".join(label.text() for label in dialog.findChildren(QLabel))


def row_of(dialog, name: str) -> int:
    names = [dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())]
    return names.index(name)


def test_about_shows_the_version_and_where_the_data_lives(open_about, files, tmp_path):
    dialog = open_about()
    shown = texts(dialog)
    assert f"VSM Desktop {__version__}" in shown
    assert str(tmp_path / "mine.vsm") in shown
    assert str(files[1]) in shown and str(files[0]) in shown
    assert "None on this computer." in shown
    assert "The usual Welsh term dates and bank holidays." in shown


def test_about_lists_the_components_and_their_licence_texts(open_about, qtbot):
    dialog = open_about()
    names = {components.normalised(dialog.table.item(row, 0).text()): dialog.table.item(row, 2).text()
             for row in range(dialog.table.rowCount())}
    assert names["pyside6-essentials"].startswith("LGPL-3.0")
    assert names["sqlcipher"] == "BSD-3-Clause" and names["noto sans"] == "OFL-1.1"
    assert names["sqlcipher3"] == "Zlib" and names["pyhanko"] == "MIT"
    assert "python" in names and "reportlab" in names and "babel" in names
    assert not {"starlette", "uvicorn", "sqlalchemy", "psycopg"} & set(names), "the server's parts are not shipped"

    dialog.table.selectRow(row_of(dialog, "Noto Sans"))
    assert "SIL OPEN FONT LICENSE" in dialog.licence.toPlainText()
    dialog.table.selectRow(row_of(dialog, "sqlcipher3"))
    assert "provided 'as-is'" in dialog.licence.toPlainText()
    dialog.table.clearSelection()
    assert dialog.licence.toPlainText() == ""


def test_about_says_what_the_it_team_set_and_copies_it_for_the_service_desk(open_about, files):
    machine, _user = files
    machine.write_text(json.dumps({"language": "en", "locked": ["language", "sync_server"],
                                   "calendar": {"terms": {"2026": [AUTUMN_2026]}}}), encoding="utf-8")
    dialog = open_about()
    shown = texts(dialog)
    assert "Set by your IT team. Locked: language, sync_server." in shown
    assert "Your local authority's term dates, from the settings for this computer." in shown

    dialog.copy_button.click()
    copied = QApplication.clipboard().text()
    assert copied.startswith(f"VSM Desktop {__version__}\n")
    assert str(dialog.store_path) in copied and "Locked: language, sync_server." in copied


def test_a_calendar_the_app_cannot_use_is_explained(open_about, files):
    machine, _user = files
    machine.write_text(json.dumps({"calendar": {"terms": {"2026": [AUTUMN_2026 | {"start": "1 Sept"}]}}}),
                       encoding="utf-8")
    shown = texts(open_about())
    assert "cannot be used, so the usual Welsh term dates apply" in shown and "“1 Sept”" in shown


def test_about_follows_a_language_switch_and_closes(open_about, qtbot):
    dialog = open_about()
    controller_window = dialog.parent()
    i18n.set_language("cy")
    dialog.retranslate_ui()
    assert dialog.windowTitle() == "Ynghylch VSM Desktop"
    i18n.set_language("en")
    dialog.retranslate_ui()
    assert dialog.windowTitle() == "About VSM Desktop"
    dialog.buttons.button(QDialogButtonBox.StandardButton.Close).click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert controller_window.isVisible()


def test_the_components_from_source_are_the_desktops_requirements_without_the_servers():
    names = {components.normalised(c.name) for c in components.installed()}
    assert {"pyside6-essentials", "shiboken6", "sqlcipher3", "reportlab", "pyhanko", "babel", "cryptography"} <= names
    assert "vsm-desktop" not in names and not names & components.SERVER_ONLY
    by_module = {components.normalised(c.name) for c in components.for_modules({"sqlcipher3", "reportlab", "starlette", "json"})}
    assert by_module == {"sqlcipher3", "reportlab"}


def test_support_text_holds_paths_and_versions_but_no_record(store, files):
    add_learner(store, "L000001", legal_forename="Gwenllian", legal_surname="Ffransis")
    text = installation.support_text(store.path, settings.load())
    assert str(store.path) in text and __version__ in text
    assert "Gwenllian" not in text and "Ffransis" not in text


def test_frozen_the_listing_written_at_build_time_is_what_about_shows(tmp_path, monkeypatch):
    bundle = tmp_path / "vsm-desktop" / "_internal"
    (bundle / "licences" / "sqlcipher3").mkdir(parents=True)
    (bundle / "licences" / "sqlcipher3" / "LICENSE").write_text("zlib licence text", encoding="utf-8")
    listed = [components.Component("sqlcipher3", "0.6.4", "Zlib", ("licences/sqlcipher3/LICENSE",)),
              components.Component("Python", "3.11.7", "PSF-2.0")]
    (bundle / "licences" / "components.json").write_text(components.to_json(listed), encoding="utf-8")
    monkeypatch.setattr("sys._MEIPASS", str(bundle), raising=False)
    assert components.bundled() == listed
    assert components.licence_text(listed[0]) == "zlib licence text"
    assert installation.program_folder() == tmp_path / "vsm-desktop"
    labels = {p.label: p.path for p in installation.places(tmp_path / "s.vsm", settings.Settings())}
    assert labels["Licence texts"] == str(bundle / "licences")


def test_components_that_cannot_be_read_are_explained_and_the_rest_of_about_stays(qtbot, files, tmp_path,
                                                                                 monkeypatch):
    from vsm_desktop.app.about import AboutDialog

    def damaged():
        raise OSError("METADATA unreadable")

    monkeypatch.setattr(components, "bundled", damaged)
    controller = shown_window(qtbot, tmp_path)
    try:
        controller.window.action("actionAbout").trigger()
        dialog = controller.window.findChild(AboutDialog)
        qtbot.waitUntil(lambda: dialog.failure is not None, timeout=30000)
        assert "could not be read: OSError: METADATA unreadable" in dialog.reading.text()
        assert str(tmp_path / "mine.vsm") in texts(dialog) and dialog.table.rowCount() == 0
        i18n.set_language("cy")
        dialog.retranslate_ui()
        assert "OSError: METADATA unreadable" in dialog.reading.text()
        assert "Nid oedd modd darllen" in dialog.reading.text()
    finally:
        i18n.set_language("en")
        controller.close_requested()


def test_closing_about_while_it_reads_the_components_is_safe(qtbot, files, tmp_path):
    from vsm_desktop.app.about import AboutDialog

    controller = shown_window(qtbot, tmp_path)
    try:
        controller.window.action("actionAbout").trigger()
        dialog = controller.window.findChild(AboutDialog)
        reader = dialog.reader
        dialog.buttons.button(QDialogButtonBox.StandardButton.Close).click()
        # The dialog is deleted on close; the thread reading the components runs on, ends and
        # is deleted in its turn (a thread deleted while it runs would abort the process).
        qtbot.waitUntil(lambda: controller.window.findChild(AboutDialog) is None, timeout=5000)
        qtbot.waitUntil(lambda: not shiboken6.isValid(reader), timeout=15000)
        assert controller.window.isVisible()
    finally:
        controller.close_requested()
