"""The funding panel of the review editor, driven through its widgets (pytest-qt, offscreen) over
a real encrypted store and a real StoreWorker: a request linked to a target, a coordinator's
partial approval, spend above the approval marked, and the panel working on a finalised review."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtTest import QAbstractItemModelTester

from vsm_desktop import i18n
from vsm_desktop.app.autosave import Autosave
from vsm_desktop.app.editor import ReviewEditor
from vsm_desktop.app.editor.funding_panel import DecideDialog, RequestDialog, SpendDialog
from vsm_desktop.app.worker import StoreWorker
from vsm_desktop.domain import funding
from vsm_desktop.store.store import Store

from conftest import PASSPHRASE, add_learner, add_review
from test_app_shell import app_settings, make_app  # noqa: F401 (fixtures)

WAIT = 10_000


@pytest.fixture
def editor(qtbot, worker):
    e = ReviewEditor(worker, Autosave(worker))
    qtbot.addWidget(e)
    e.resize(1366, 760)
    e.show()
    return e


def _coordinator(worker, store):
    """The person becomes a coordinator on both connections (the test's and the worker's)."""
    store.set_profile("Gareth Huws", "coordinator")
    worker.submit(lambda s: s.set_profile("Gareth Huws", "coordinator"))
    assert worker.wait_idle()


def _open(qtbot, editor, review_id):
    editor.open_review(review_id)
    qtbot.waitUntil(lambda: editor.ctx.data is not None and editor.review_id == review_id
                    and editor._loading_id is None, timeout=WAIT)
    page = editor.show_section("interventions")
    panel = page.funding
    qtbot.waitUntil(lambda: panel.info is not None and panel.info["review_id"] == review_id, timeout=WAIT)
    return panel


def _dialog(qtbot, panel, open_it):
    open_it()
    qtbot.waitUntil(lambda: panel.dialog is not None, timeout=WAIT)
    return panel.dialog


def _submit(qtbot, panel, dialog):
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog._busy, timeout=WAIT)
    if dialog.error.isVisible():
        return dialog.error.text()
    asked = panel.asked   # the panel reads the store again once the change is made
    qtbot.waitUntil(lambda: panel.answered >= asked, timeout=WAIT)
    return None


def test_request_decide_and_spend_in_the_editor(qtbot, editor, store, worker):
    learner = add_learner(store, preferred_language="cy")
    review = add_review(store, learner)
    target = store.create("targets", {"review_id": review, "description": "Darllen llyfr pennod bob mis",
                                      "description_lang": "cy"})
    panel = _open(qtbot, editor, review)
    QAbstractItemModelTester(panel.model)
    assert panel.empty.isVisible() and not panel.decide_button.isVisible()

    dialog = _dialog(qtbot, panel, panel.ask)
    assert isinstance(dialog, RequestDialog)
    dialog.amount.setText("-4")
    dialog.purpose.widget.setPlainText("Tiwtor darllen")
    assert "negative" in _submit(qtbot, panel, dialog)          # refused in the dialog, nothing lost
    assert dialog.purpose.widget.toPlainText() == "Tiwtor darllen"
    dialog.amount.setText("450.00")
    dialog.provider.widget.setText("Tiwtora Cyf")
    dialog.targets[target].setChecked(True)
    assert _submit(qtbot, panel, dialog) is None
    assert [r["amount_pence"] for r in panel.model.rows] == [45_000]
    assert "Darllen llyfr pennod" in panel.detail.text() and "Waiting for a decision" in panel.detail.text()

    # A coordinator: Decide… shows; part of the amount approved.
    _coordinator(worker, store)
    panel.load()
    qtbot.waitUntil(lambda: panel.info["coordinator"], timeout=WAIT)
    assert panel.decide_button.isVisibleTo(editor) and panel.decide_button.isEnabled()
    dialog = _dialog(qtbot, panel, panel.decide)
    assert isinstance(dialog, DecideDialog)
    dialog.choices["part"].setChecked(True)
    dialog.amount.setText("400")
    assert "reason" in _submit(qtbot, panel, dialog)
    dialog.reason.widget.setPlainText("Rhan: mae cyfradd y tiwtor yn is")
    assert _submit(qtbot, panel, dialog) is None
    assert "Approved in part: £400.00" in panel.model.data(panel.model.index(0, 3))
    assert "Gareth Huws (LACE coordinator)" in panel.detail.text()
    assert not panel.decide_button.isEnabled()   # decided once

    # The review is finalised: the funding panel still records spend.
    store.update("reviews", review, {"meeting_date": "2026-11-20"})
    store.finalise_review(review)
    panel = _open(qtbot, editor, review)
    editor.reload()
    qtbot.waitUntil(lambda: editor.ctx.data.finalised, timeout=WAIT)
    panel = _open(qtbot, editor, review)
    assert panel.spend_button.isEnabled()
    dialog = _dialog(qtbot, panel, panel.spend)
    assert isinstance(dialog, SpendDialog)
    dialog.amount.setText("410")
    dialog.date.set_value("2026-11-25")
    assert _submit(qtbot, panel, dialog) is None
    assert "⚠" in panel.model.data(panel.model.index(0, 4))
    assert "above the approved amount" in panel.detail.text()


def test_the_funding_panel_in_welsh(qtbot, editor, store, worker, tmp_path):
    """A screenshot of the panel in Welsh (written next to the test output for a person to look at)."""
    learner = add_learner(store, preferred_language="cy")
    review = add_review(store, learner)
    target = store.create("targets", {"review_id": review, "description": "Nofio 25 metr erbyn yr haf",
                                      "description_lang": "cy"})
    funding.request_funding(store, review, amount_pence=12_000, kind="activities", purpose="Gwersi nofio",
                            purpose_lang="cy", provider="Canolfan Hamdden", start_date="2026-10-01",
                            end_date="2027-03-31", target_ids=[target])
    _coordinator(worker, store)
    rid = funding.request_funding(store, review, amount_pence=45_000, kind="tutoring", purpose="Tiwtor mathemateg",
                                  purpose_lang="cy", start_date="2026-10-01", end_date="2027-03-31")
    funding.decide(store, rid, "approve", amount_pence=40_000, reason="Rhan o'r swm", reason_lang="cy")
    funding.record_spend(store, rid, amount_pence=41_000, spent_on="2026-11-02")
    i18n.set_language("cy")
    editor.retranslate_ui()
    panel = _open(qtbot, editor, review)
    row = next(i for i, r in enumerate(panel.model.rows) if r["id"] == rid)
    panel.table.selectRow(row)
    text = panel.detail.text()
    assert "Cymeradwywyd" in panel.model.data(panel.model.index(row, 3))
    assert "£410.00" in panel.model.data(panel.model.index(row, 4))
    assert "uwchlaw" in text
    assert panel.request_button.text() == "Gofyn am gyllid…"
    out = Path(os.environ.get("VSM_SCREENSHOTS", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    # The detail's new lines are laid out (a layout request is handled on the event loop).
    qtbot.waitUntil(lambda: panel.detail.height() > 4 * panel.detail.fontMetrics().lineSpacing(), timeout=WAIT)
    assert panel.grab().save(str(out / "funding-panel-cy.png"))
    panel.decide()
    assert panel.dialog is None                      # decided already: no second decision
    panel.table.selectRow(1 - row)
    dialog = _dialog(qtbot, panel, panel.decide)
    dialog.resize(dialog.sizeHint())
    assert dialog.grab().save(str(out / "funding-decide-cy.png"))
    dialog.reject()


def test_the_dashboard_shows_funding_as_the_core_counts_it(qtbot, tmp_path, app_settings, make_app):
    from test_app_shell import unlock, wait_for_list
    from vsm_desktop.reports.dashboard import compute

    today = dt.date.today()
    path = tmp_path / "store.vsm"
    with Store.initialise(path, PASSPHRASE, author="Gareth Huws", role="coordinator") as store:
        school = store.create("schools", {"name": "Ysgol y Graig"})
        learner = add_learner(store)
        store.create("enrolments", {"learner_id": learner, "school_id": school, "start_date": "2020-09-01"})
        review = add_review(store, learner, period_start=(today - dt.timedelta(days=30)).isoformat(),
                            period_end=today.isoformat(), due_date=today.isoformat())
        year = funding.financial_year(today)
        funding.set_allocation(store, year, 500_000)
        rid = funding.request_funding(store, review, amount_pence=45_000, kind="tutoring", purpose="Tiwtor",
                                      start_date=today.isoformat())
        funding.decide(store, rid, "approve", reason="Yes")
        funding.record_spend(store, rid, amount_pence=10_000, spent_on=today.isoformat())
        funding.request_funding(store, review, amount_pence=20_000, kind="equipment", purpose="Gliniadur",
                                start_date=today.isoformat())
    app_settings.language = "en"
    controller = make_app(app_settings, path)
    unlock(qtbot, controller)
    wait_for_list(qtbot, controller)
    controller.dashboard.show_action.trigger()
    page = controller.dashboard.page
    qtbot.waitUntil(lambda: page.dashboard is not None and controller.worker.pending() == 0, timeout=15000)
    with Store.open(path, PASSPHRASE) as store:
        core = compute(store, page.period_chosen()).funding
    QAbstractItemModelTester(page.funding_model)
    summary = page.funding_summary.text()
    for amount in ("£650.00", "£450.00", "£100.00", "£5,000.00", "£4,550.00"):
        assert amount in summary, amount
    assert core.total.remaining_pence == 455_000
    rows = {page.funding_model.data(page.funding_model.index(r, 0)): r for r in range(page.funding_model.rowCount())}
    assert set(rows) == {"Tutoring", "Equipment and resources", "School: Ysgol y Graig"}
    assert page.funding_model.data(page.funding_model.index(rows["School: Ysgol y Graig"], 2)) == "£650.00"


def test_the_requester_answers_more_information(qtbot, editor, store):
    learner = add_learner(store)
    review = add_review(store, learner)
    t1 = store.create("targets", {"review_id": review, "description": "Swim 25 metres"})
    t2 = store.create("targets", {"review_id": review, "description": "Join a club"})
    rid = funding.request_funding(store, review, amount_pence=12_000, kind="activities", purpose="Swimming",
                                  target_ids=[t1])
    store.set_profile("Gareth Huws", "coordinator")
    funding.decide(store, rid, "more-info", reason="Which pool, and for how long?")
    panel = _open(qtbot, editor, review)   # the worker's person is still the requester
    assert not panel.decide_button.isVisible() and panel.change_button.isEnabled()
    dialog = _dialog(qtbot, panel, panel.change)
    assert "Which pool" in dialog.intro.text() and dialog.targets[t1].isChecked()
    assert dialog.amount.text() == "120.00"
    dialog.provider.widget.setText("Pwll Nofio'r Dref")
    dialog.targets[t2].setChecked(True)
    dialog.targets[t1].setChecked(False)
    assert _submit(qtbot, panel, dialog) is None
    request = store.get("funding_requests", rid)
    assert (request["status"], request["provider"]) == ("requested", "Pwll Nofio'r Dref")
    assert [l["target_id"] for l in funding.links_of(store, rid)] == [t2]
