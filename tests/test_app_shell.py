"""The desktop application, driven through its real widgets offscreen with real stores:
first run, unlock, search, the live language switch, locking, and a crash mid-edit."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QAbstractItemModelTester, QTest  # noqa: E402
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication, QComboBox, QLabel, QLineEdit, QTabBar, QWidget  # noqa: E402

from vsm_desktop import i18n, settings  # noqa: E402
from vsm_desktop.demo.generator import generate  # noqa: E402
from vsm_desktop.i18n import catalogs  # noqa: E402
from vsm_desktop.store.store import Store, verify_passphrase  # noqa: E402

from conftest import PASSPHRASE, REPO  # noqa: E402


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.vsm"
    with Store.initialise(path, PASSPHRASE, author="Demo") as store:
        generate(store, 40, seed=5)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def store_copy(demo_store, tmp_path):
    path = tmp_path / "store.vsm"
    shutil.copyfile(demo_store, path)
    return path


@pytest.fixture
def app_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("VSM_USER_SETTINGS", str(tmp_path / "user.json"))
    monkeypatch.setenv("VSM_MACHINE_SETTINGS", str(tmp_path / "machine.json"))
    return settings.load()


@pytest.fixture
def make_app(qtbot):
    from vsm_desktop.app.main import AppController

    made = []

    def make(app_settings, store_path):
        controller = AppController(QApplication.instance(), app_settings, store_path)
        qtbot.addWidget(controller.window)
        controller.window.resize(1366, 768)   # the offscreen screen is 800×600: the window would fit that
        controller.window.show()
        made.append(controller)
        return controller

    yield make
    for controller in made:
        controller.close_requested()
    i18n.set_language("en")


def unlock(qtbot, controller, passphrase=PASSPHRASE):
    page = controller.unlock_page
    page.passphrase.setText(passphrase)
    QTest.keyClick(page.passphrase, Qt.Key.Key_Return)


def wait_for_list(qtbot, controller):
    qtbot.waitUntil(lambda: controller.learner_list.model.rowCount() > 0, timeout=15000)


def test_first_run_is_bilingual_then_creates_a_store(qtbot, make_app, app_settings, tmp_path):
    path = tmp_path / "new" / "mine.vsm"
    controller = make_app(app_settings, path)
    page = controller.first_run
    assert controller.window.pages.currentWidget() is page
    welcome = page.form.child("welcome").text()
    assert welcome.index("Croeso") < welcome.index("Welcome"), "Welsh first"
    qtbot.mouseClick(page.form.child("cymraeg"), Qt.MouseButton.LeftButton)
    assert i18n.current_language() == "cy"
    assert page.form.child("create").text() == i18n._("&Create store") != "&Create store"
    page.path.setText(str(path))
    qtbot.keyClicks(page.passphrase, "byr")
    assert "byr" not in page.strength.text()
    page.confirm.setText("byr")
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert page.error.isVisible() and not path.exists()
    page.passphrase.setText("tebot awyren mynydd")
    page.confirm.setText("tebot awyren mynydd")
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert page.error.isVisible() and not path.exists(), "a name is needed: documents name the person"
    qtbot.keyClicks(page.name, "Catrin Ellis")
    page.role.setCurrentIndex(page.role.findData("social_worker"))
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.window.pages.currentWidget() is controller.workspace, timeout=15000)
    assert verify_passphrase(path, "tebot awyren mynydd")
    assert (controller.store.author, controller.store.role) == ("Catrin Ellis", "social_worker")
    assert settings.load().language == "cy"
    assert controller.learner_list.empty.isVisible()


def test_wrong_then_right_passphrase(qtbot, make_app, app_settings, store_copy):
    app_settings.language = "en"
    controller = make_app(app_settings, store_copy)
    assert controller.window.pages.currentWidget() is controller.unlock_page
    unlock(qtbot, controller, "not the passphrase at all")
    qtbot.waitUntil(lambda: controller.unlock_page.error.isVisible(), timeout=15000)
    assert "does not open this store" in controller.unlock_page.error.text()
    assert controller.window.pages.currentWidget() is controller.unlock_page
    unlock(qtbot, controller)
    wait_for_list(qtbot, controller)
    assert controller.window.pages.currentWidget() is controller.workspace
    assert controller.learner_list.model.rowCount() == 40


def test_find_a_learner_by_typing(qtbot, make_app, app_settings, store_copy):
    app_settings.language = "en"
    controller = make_app(app_settings, store_copy)
    unlock(qtbot, controller)
    wait_for_list(qtbot, controller)
    page = controller.learner_list
    target = next(r for r in page.model.rows if "Llŷr" in (r["legal_forename"], r.get("preferred_name")))
    qtbot.keyClicks(page.search, "llyr")
    qtbot.waitUntil(lambda: 0 < page.proxy.rowCount() < 40, timeout=5000)
    shown = {page.proxy.data(page.proxy.index(i, 0), Qt.ItemDataRole.UserRole + 2) for i in range(page.proxy.rowCount())}
    assert target["id"] in shown
    page.search.clear()
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 40, timeout=5000)
    page.due.setCurrentIndex(page.due.findData("overdue"))
    assert 0 < page.proxy.rowCount() < 40
    assert all(page.model.rows[page.proxy.mapToSource(page.proxy.index(i, 0)).row()]["overdue"]
               for i in range(page.proxy.rowCount()))
    QAbstractItemModelTester(page.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    QAbstractItemModelTester(page.proxy, QAbstractItemModelTester.FailureReportingMode.Fatal)


def test_names_sort_in_the_welsh_alphabet_in_welsh(qtbot, make_app, app_settings, store_copy):
    app_settings.language = "cy"
    controller = make_app(app_settings, store_copy)
    unlock(qtbot, controller)
    wait_for_list(qtbot, controller)
    proxy = controller.learner_list.proxy
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    from vsm_desktop.i18n.collation import sort_key

    rows = [controller.learner_list.model.rows[proxy.mapToSource(proxy.index(i, 0)).row()] for i in range(proxy.rowCount())]
    surnames = [r["legal_surname"] for r in rows]
    assert surnames == sorted(surnames, key=lambda s: sort_key(s, "cy"))


# Each language is offered in its own name in the Language menu.
PROPER_NOUNS = {"English", "Cymraeg"}


def english_only_texts() -> set[str]:
    """Texts that have a different Welsh translation: seeing one in Welsh mode is a miss."""
    welsh = catalogs.load("cy")
    texts = set()
    for m in welsh:
        if not m.id or isinstance(m.id, tuple) or m.context:
            continue
        if m.string and m.string != m.id and len(m.id) > 2:
            texts.add(m.id.replace("&", ""))
    return texts


def visible_texts(root: QWidget) -> list[str]:
    out = []
    for widget in [root] + root.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, (QLabel, QAbstractButton)):
            out.append(widget.text())
        if isinstance(widget, QLineEdit):
            out.append(widget.placeholderText())
        if isinstance(widget, QComboBox):
            out.extend(widget.itemText(i) for i in range(widget.count()))
        if isinstance(widget, QTabBar):
            out.extend(widget.tabText(i) for i in range(widget.count()))
        if isinstance(widget, QAbstractItemView) and widget.model() is not None and hasattr(widget, "horizontalHeader"):
            model = widget.model()
            out.extend(str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(model.columnCount()))
        out.append(widget.toolTip())
        out.append(widget.accessibleName())
    menubar = root.menuBar() if hasattr(root, "menuBar") else None
    if menubar:
        for action in menubar.actions():
            out.append(action.text())
            if action.menu():
                out.extend(a.text() for a in action.menu().actions())
    return [t.replace("&", "") for t in out if t]


def test_switching_to_welsh_leaves_no_english_on_screen(qtbot, make_app, app_settings, store_copy):
    app_settings.language = "en"
    controller = make_app(app_settings, store_copy)
    unlock(qtbot, controller)
    wait_for_list(qtbot, controller)
    english = english_only_texts()
    assert "Learners" in visible_texts(controller.window)
    controller.window.action("actionCymraeg").trigger()
    assert i18n.current_language() == "cy"
    for show in (lambda: None, lambda: controller.show_learner(controller.learner_list.model.rows[0]["id"])):
        show()
        qtbot.waitUntil(lambda: controller.worker.pending() == 0, timeout=10000)
        for tab in range(controller.learner_page.tabs.count()) if controller.workspace.currentWidget() is controller.learner_page else [None]:
            if tab is not None:
                controller.learner_page.tabs.setCurrentIndex(tab)
            leftovers = [t for t in visible_texts(controller.window) if t in english and t not in PROPER_NOUNS]
            assert leftovers == [], leftovers
    header = controller.learner_list.model.headerData(0, Qt.Orientation.Horizontal)
    assert header == "Enw"
    assert settings.load().language == "cy"


def test_locks_itself_after_idle_time_and_returns_to_the_same_place(qtbot, make_app, app_settings, store_copy):
    app_settings.language = "en"
    app_settings.idle_lock_minutes = 0.02  # 1.2 seconds
    controller = make_app(app_settings, store_copy)
    unlock(qtbot, controller)
    wait_for_list(qtbot, controller)
    learner_id = controller.learner_list.model.rows[3]["id"]
    controller.show_learner(learner_id)
    qtbot.waitUntil(lambda: controller.unlock_page.isVisible(), timeout=10000)
    assert controller.unlock_page.locked_note.isVisible()
    assert controller.store is None and controller.worker._runner.store is None, "the key is dropped"
    unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.workspace.currentWidget() is controller.learner_page, timeout=10000)
    assert controller.learner_page.learner_id == learner_id


def test_ctrl_l_locks_and_commits_pending_edits_first(qtbot, make_app, app_settings, store_copy):
    app_settings.language = "en"
    controller = make_app(app_settings, store_copy)
    unlock(qtbot, controller)
    wait_for_list(qtbot, controller)
    learner_id = controller.learner_list.model.rows[0]["id"]
    controller.show_learner(learner_id)
    qtbot.waitUntil(lambda: controller.learner_page.record is not None, timeout=10000)
    editor = controller.learner_page.profile.editors["preferred_name"].widget
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, "Sio")
    QTest.keyClick(controller.window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: controller.unlock_page.isVisible(), timeout=10000)
    with Store.open(store_copy, PASSPHRASE) as store:
        assert store.get("learners", learner_id)["preferred_name"] == "Sio"


CRASH_SCRIPT = r"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, {repo!r})
from PySide6.QtWidgets import QApplication
from PySide6.QtTest import QTest
app = QApplication([])
from vsm_desktop import settings
from vsm_desktop.app.main import AppController
s = settings.load(); s.language = "en"
c = AppController(app, s, {path!r})
c.unlock_page.passphrase.setText({passphrase!r}); c.unlock_page.unlock()
def step():
    if c.learner_list.model.rowCount() == 0 or c.learner_page.record is None:
        if c.learner_list.model.rowCount() and c.learner_page.learner_id is None:
            c.show_learner(c.learner_list.model.rows[0]["id"])
        return
    edit = c.learner_page.profile.editors["preferred_name"].widget
    if not hasattr(c, "typed"):
        c.typed = 0
        # What was sent when the save started is what the commit holds.
        c.autosave.saving.connect(lambda: setattr(c, "sending", edit.text()))
        c.autosave.saved.connect(lambda _t: (print("saved", c.sending, flush=True), setattr(c, "since", 0)))
        c.since = 0
        edit.setFocus(); edit.selectAll(); QTest.keyClicks(edit, "X")
    c.typed += 1
    # At most 8 keys between saves, so that a slow machine still sees several saves before the
    # field's 100 characters (a longer value is refused and would end the saves).
    if c.since < 8 and len(edit.text()) < 95:
        c.since += 1
        QTest.keyClicks(edit, "yz"[c.typed % 2])
from PySide6.QtCore import QTimer
t = QTimer(); t.timeout.connect(step); t.start(30)
app.exec()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killed_mid_edit_keeps_every_committed_field(store_copy, tmp_path):
    script = tmp_path / "app.py"
    script.write_text(CRASH_SCRIPT.format(repo=str(REPO), path=str(store_copy), passphrase=PASSPHRASE))
    env = dict(os.environ, VSM_USER_SETTINGS=str(tmp_path / "u.json"), VSM_MACHINE_SETTINGS=str(tmp_path / "m.json"))
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=env, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    saved = []
    deadline = time.monotonic() + 150   # a generous bound on a loaded machine; three saves end the wait
    while len(saved) < 3 and time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        if line.startswith("saved "):
            saved.append(line.split(" ", 1)[1].strip())
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert len(saved) >= 3, "the app reported commits while typing"
    with Store.open(store_copy, PASSPHRASE) as store:
        learner = store.list_learners()[0]
        value = store.get("learners", learner["id"])["preferred_name"]
    # Typing went on after the last report: what is stored is that report or a later prefix of the typing.
    assert value.startswith(saved[-1]) and value.startswith("X")


def test_item_models_pass_qt_model_tester(qtbot):
    from vsm_desktop.app.learner_page import RecordTable

    model = RecordTable([("Name", lambda r: r["name"])])
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_rows([{"name": "Nia"}, {"name": "Osian"}])
    assert model.rowCount() == 2 and model.data(model.index(1, 0)) == "Osian"


def test_qt_own_texts_and_dialogs_in_welsh(qtbot, make_app, app_settings, store_copy):
    """Qt ships no Welsh: its texts the app shows come from our catalog (qt.qm)."""
    from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

    from vsm_desktop.app.finalise import FinaliseDialog

    app_settings.language = "cy"
    controller = make_app(app_settings, store_copy)
    unlock(qtbot, controller)
    wait_for_list(qtbot, controller)
    menu = controller.learner_list.search.createStandardContextMenu()
    texts = [a.text().split("\t")[0].replace("&", "") for a in menu.actions() if a.text()]
    assert "Dadwneud" in texts and "Gludo" in texts and "Undo" not in texts
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    assert sorted(b.text() for b in buttons.buttons()) == ["Canslo", "Iawn"]
    english = english_only_texts()
    with Store.open(store_copy, PASSPHRASE) as store:
        learner = store.list_learners()[0]["id"]
        record = store.learner_record(learner)
    dialog = FinaliseDialog(controller.window)
    qtbot.addWidget(dialog)
    dialog.set_record(record, record["reviews"][0]["id"])
    dialog.show()
    assert [t for t in visible_texts(dialog) if t in english and t not in PROPER_NOUNS] == []
    box = QMessageBox(QMessageBox.Icon.Warning, i18n._("Not saved"), i18n._("Not saved"),
                      QMessageBox.StandardButton.Ok, controller.window)
    box.show()
    assert [b.text() for b in box.buttons()] == ["Iawn"]
    box.close()


def test_the_first_page_paints_before_the_workspace_is_built(qtbot, make_app, app_settings, store_copy):
    """The list, the learner page and most parts are built after the unlock page shows (while the
    passphrase is typed), or at the latest when unlocking starts, while the key is derived."""
    app_settings.language = "en"
    controller = make_app(app_settings, store_copy)
    assert not controller._built and controller.window.pages.currentWidget() is controller.unlock_page
    qtbot.waitUntil(lambda: controller._built, timeout=5000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is controller.unlock_page.passphrase, timeout=5000)
    late = make_app(app_settings, store_copy)
    late.unlock_page.passphrase.setText(PASSPHRASE)
    late.unlock_page.unlock()   # before the event loop has run: built now, while the key is derived
    assert late._built and late.workspace.indexOf(late.learner_list) == 0
    wait_for_list(qtbot, late)
    assert late.workspace.currentWidget() is late.learner_list
    assert late.sync.unlocked   # the parts built at unlocking heard the store open


def test_the_unlock_page_stays_until_the_list_has_rows_and_a_lock_meanwhile_shows_nothing(
        qtbot, make_app, app_settings, store_copy):
    """The workspace appears once, with the list's rows (not empty first); locked while the list is
    read, the workspace never shows and the parts do not start (the sync stays closed)."""
    app_settings.language = "en"
    controller = make_app(app_settings, store_copy)
    shown = []
    controller.window.pages.currentChanged.connect(
        lambda _i: shown.append((controller.window.pages.currentWidget(), controller.learner_list.model.rowCount())))
    unlock(qtbot, controller)
    wait_for_list(qtbot, controller)
    assert shown == [(controller.workspace, 40)]
    assert QApplication.focusWidget() is controller.learner_list.table

    controller.lock()
    qtbot.waitUntil(lambda: controller.window.pages.currentWidget() is controller.unlock_page, timeout=15000)
    shown.clear()
    controller.unlock_page.unlocked.connect(lambda *_a: controller.lock())   # after the controller's own slot
    unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.store is None and controller.worker.pending() == 0, timeout=15000)
    qtbot.wait(50)
    assert controller.workspace not in [page for page, _n in shown]
    assert controller.window.pages.currentWidget() is controller.unlock_page
    assert not controller.sync.unlocked
