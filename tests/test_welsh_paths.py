"""Welsh text with every diacritic survives every path: the store, search, the JSON export and
import, a sync through the real server, and the PDF (its text extracted back out by poppler)."""

import json
import shutil

import pytest

from vsm_desktop.store import export
from vsm_desktop.store.store import Store

from conftest import PASSPHRASE, add_learner, add_review
from sync_support import ThreadServer, device, sqlite_url

# ŵ ŷ â ê î ô û ï ẁ ẃ ỳ ý, in words a person would write (and the capitals).
TEXT = "Mae Gwenllïan yn hoffi'r tŷ, y môr, ŵyn bach a'r sêr; mae'n mwynhau cân, tân a llên. Ẃ ẁ Ỳ ỳ ý Ŵ Ŷ Â Ê Î Ô Û Ï"
NAME = "Llŷr"


def fill(store: Store) -> str:
    learner = add_learner(store, "L000777", legal_forename=NAME, legal_surname="ap Siôn")
    review = add_review(store, learner)
    store.update("reviews", review, {"voice_enjoy": TEXT, "voice_enjoy_lang": "cy"})
    return review


def test_store_search_and_export_import(tmp_path, store):
    review = fill(store)
    assert store.get("reviews", review)["voice_enjoy"] == TEXT
    assert [r["legal_forename"] for r in store.list_learners("llyr sion")] == [NAME]
    data = json.loads(export.dumps(export.export_all(store)))
    with Store.initialise(tmp_path / "copy.vsm", PASSPHRASE) as copy:
        export.import_export(copy, data)
        assert copy.get("reviews", review)["voice_enjoy"] == TEXT
        assert copy.list_learners("LLYR")[0]["legal_forename"] == NAME


def test_sync_payloads(tmp_path):
    server = ThreadServer(sqlite_url(tmp_path / "server.db"))
    try:
        one = device(tmp_path, server, "cydlynydd", name="one")
        two = device(tmp_path, server, "cydlynydd2", name="two")
        review = fill(one.store)
        one.sync()
        two.sync()
        assert two.store.get("reviews", review)["voice_enjoy"] == TEXT
        assert two.store.list_learners("llyr")[0]["legal_forename"] == NAME
        one.close()
        two.close()
    finally:
        server.stop()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_pdf_text(tmp_path, store):
    from pdf_support import page_texts
    from vsm_desktop.pdf.export import export_review

    review = fill(store)
    out = tmp_path / "pep.pdf"
    export_review(store, review, out, "cy", sign=False)
    text = " ".join(page_texts(out))
    assert TEXT in text
    assert NAME in text
