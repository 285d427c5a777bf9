"""PEP packs: cover, contents with the right page numbers, bookmarks per learner and section,
the interface language's order, drafts only when asked, signed as a whole, cancellable."""

from __future__ import annotations

import datetime as dt

import pytest

from vsm_desktop import i18n
from vsm_desktop.errors import PackFailed
from vsm_desktop.pdf import export, signing
from vsm_desktop.pdf.pack import PackCancelled, PackFilter
from vsm_desktop.pdf.verify import OK, verify_pdf

from conftest import PASSPHRASE, add_learner, add_review
from pdf_support import full_review, needs_poppler, page_texts

pytestmark = needs_poppler

# Welsh order puts Lowri before Llinos and Rhys after Roberts; English the other way round.
PEOPLE = [("L000001", "Llewelyn", "Llinos"), ("L000002", "Lowe", "Lowri"), ("L000003", "Rhys", "Gethin"),
          ("L000004", "Roberts", "Cai"), ("L000005", "Ab Owen", "Elin")]


@pytest.fixture
def cohort(store):
    for ref, surname, forename in PEOPLE:
        full_review(store, reference=ref, surname=surname, forename=forename, preferred_name=None,
                    targets=1 + int(ref[-1]) * 3)
    nobody = add_learner(store, "L000006", legal_surname="Morgan", legal_forename="Nia")
    drafty = add_learner(store, "L000007", legal_surname="Evans", legal_forename="Ifan")
    add_review(store, drafty, meeting_date="2026-11-02")
    return store, nobody, drafty


def outline(path):
    """[(title, page number, [(section title, page number)])] from the PDF's bookmarks."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    result = []
    items = reader.outline
    i = 0
    while i < len(items):
        item = items[i]
        children = []
        if i + 1 < len(items) and isinstance(items[i + 1], list):
            children = [(c.title, reader.get_destination_page_number(c) + 1) for c in items[i + 1]]
            i += 1
        result.append((item.title, reader.get_destination_page_number(item) + 1, children))
        i += 1
    return result, len(reader.pages)


def test_pack_contents_bookmarks_and_page_numbers(cohort, tmp_path):
    store, _nobody, _drafty = cohort
    out = tmp_path / "pack.pdf"
    result = export.export_pack(store, out, PackFilter(), "en")
    assert result.learners == 7 and result.included == 5 and result.signed
    marks, pages = outline(out)
    assert pages == result.pages == len(page_texts(out))
    assert marks[0][0] == "PEP pack" and marks[0][1] == 1
    assert marks[1][0] == "Contents" and marks[1][1] == 2
    learners = marks[2:]
    assert [m[0] for m in learners] == [
        "Ab Owen, Elin (L000005)", "Llewelyn, Llinos (L000001)", "Lowe, Lowri (L000002)",
        "Rhys, Gethin (L000003)", "Roberts, Cai (L000004)"]
    texts = page_texts(out)
    contents = " ".join(texts[1:learners[0][1] - 1])
    for (title, start, sections), nxt in zip(learners, [m[1] for m in learners[1:]] + [pages + 1]):
        ref = title[-8:-1]
        # the contents names the page where the learner starts, and that page is theirs
        assert f"{ref} Ysgol Gyfun Llŷn Termly review, 20 Nov 2026 {start}" in contents
        assert "Personal Education Plan" in texts[start - 1] and ref in texts[start - 1]
        # sections are bookmarked under the learner, in order, within the learner's pages
        names = [s[0] for s in sections]
        assert names[:3] == ["About the learner", "Care", "Contacts"] and names[-1] == "Meeting and sign-off"
        assert all(start <= p < nxt for _t, p in sections)
        assert [p for _t, p in sections] == sorted(p for _t, p in sections)
        assert all(ref in texts[p - 1] for p in range(start, nxt))
    assert "Morgan, Nia L000006 — No finalised PEP review" in contents
    assert "Evans, Ifan" in contents                 # listed, but its draft is not in the pack
    assert all("DRAFT" not in t.replace(" ", "") for t in texts)
    for n, text in enumerate(texts, 1):
        assert f"Page {n} of {pages}" in text
    root = tmp_path / "root.pem"
    root.write_bytes(signing.load_identity(store).root_pem)
    assert verify_pdf(out, [root]).exit_code == OK
    assert "Signed electronically" in texts[0] and "Learners 7" in texts[0]


def test_pack_order_follows_the_interface_language(cohort, tmp_path):
    store, _nobody, _drafty = cohort
    i18n.set_language("cy")
    out = tmp_path / "pecyn.pdf"
    export.export_pack(store, out, PackFilter(), "cy", sign=False)
    marks, _pages = outline(out)
    assert [m[0][:-10] for m in marks[2:]] == ["Ab Owen, Elin", "Lowe, Lowri", "Llewelyn, Llinos", "Roberts, Cai",
                                               "Rhys, Gethin"]


def test_drafts_only_when_asked_and_then_unsigned(cohort, tmp_path):
    store, _nobody, drafty = cohort
    out = tmp_path / "drafts.pdf"
    result = export.export_pack(store, out, PackFilter(learners=["L000007", "L000001"]), "en", drafts=True)
    assert result.included == 2 and result.drafts == 1 and result.held_draft and not result.signed
    marks, _pages = outline(out)
    texts = page_texts(out)
    evans = next(m for m in marks if m[0].startswith("Evans"))
    assert "DRAFT" in texts[evans[1] - 1].replace(" ", "")
    llewelyn = next(m for m in marks if m[0].startswith("Llewelyn"))
    assert "DRAFT" not in texts[llewelyn[1] - 1].replace(" ", "")
    assert verify_pdf(out).exit_code == 1           # no signature at all


def test_filters_progress_and_cancel(cohort, tmp_path):
    store, _nobody, _drafty = cohort
    seen = []
    out = tmp_path / "school.pdf"
    result = export.export_pack(store, out, PackFilter(school="gyfun llyn"), "en", sign=False,
                                progress=lambda done, total: seen.append((done, total)))
    assert result.learners == 5 and seen[0] == (0, 5) and seen[-1] == (5, 5)
    cancelled = tmp_path / "cancelled.pdf"
    with pytest.raises(PackCancelled):
        export.export_pack(store, cancelled, PackFilter(), "en", progress=lambda d, t: None,
                           cancelled=lambda: len(seen) > 0 and seen.append((-1, -1)) is None and len(seen) > 8)
    assert not cancelled.exists() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_bilingual_pack_cover(cohort, tmp_path):
    store, _nobody, _drafty = cohort
    out = tmp_path / "both.pdf"
    export.export_pack(store, out, PackFilter(learners=["L000001"]), "both", sign=False)
    cover = page_texts(out)[0]
    assert "Cymraeg" in cover or "Welsh and English" in cover


def test_the_authoritys_logo_on_the_cover_only(cohort, tmp_path, monkeypatch):
    import json

    import pdfplumber
    from PIL import Image as PilImage

    store, _nobody, _drafty = cohort
    png = tmp_path / "logo.png"
    PilImage.new("RGB", (300, 120), (11, 85, 99)).save(png)
    machine = tmp_path / "machine.json"
    machine.write_text(json.dumps({"logo": str(png)}), encoding="utf-8")
    monkeypatch.setenv("VSM_MACHINE_SETTINGS", str(machine))
    out = tmp_path / "pack.pdf"
    export.export_pack(store, out, PackFilter(), "en", sign=False)
    with pdfplumber.open(out) as pdf:
        cover = [i for i in pdf.pages[0].images if i["top"] < 120]
        later = [i for p in pdf.pages[1:] for i in p.images if i["top"] < 120 and i["x1"] - i["x0"] > 100]
    assert len(cover) == 1 and not later


# --- packs laid out by worker processes (vsm_desktop.pdf.parallel) ------------------------------

NOW = dt.datetime(2026, 11, 30, 9, 15, tzinfo=dt.timezone.utc)


@pytest.fixture
def mixed_cohort(store):
    """Learners the workers lay out, and two the pack's process must: an image, a rarer alphabet."""
    names = [("L000011", "Bowen", "Catrin", False), ("L000012", "Ŵyn", "Gwilym", False),
             ("L000013", "Pryce", "Siôn", True), ("L000014", "Ivanova", "Зоя", False),
             ("L000015", "Hughes", "Elen", False), ("L000016", "Jones", "Ffion", False)]
    for ref, surname, forename, signed_on_paper in names:
        review = full_review(store, reference=ref, surname=surname, forename=forename, preferred_name=None,
                             finalise=False, previous=ref != "L000016", targets=2 + int(ref[-1]) * 4)
        if not signed_on_paper:
            for attendee in store.children("attendees", review):
                store.update("attendees", attendee["id"], {"signature_png": None})
        store.finalise_review(review, dt.datetime(2026, 11, 20, 16, tzinfo=dt.timezone.utc))
    return store


def _every_page(path):
    marks, pages = outline(path)
    return marks, pages, page_texts(path)


def test_pack_from_worker_processes_matches_one_process(mixed_cohort, store_path, tmp_path):
    store = mixed_cohort
    alone, pooled = tmp_path / "alone.pdf", tmp_path / "pooled.pdf"
    one = export.export_pack(store, alone, PackFilter(), "both", now=NOW)
    seen = []
    many = export.export_pack(store, pooled, PackFilter(), "both", now=NOW, passphrase=PASSPHRASE, workers=2,
                              progress=lambda done, total: seen.append(done))
    assert one.in_workers == 0
    assert many.in_workers == 4      # the drawn signature and Зоя's name are laid out by the pack's process
    assert seen == list(range(7)) and many.pages == one.pages and many.signed
    assert _every_page(pooled) == _every_page(alone)
    root = tmp_path / "root.pem"
    root.write_bytes(signing.load_identity(store).root_pem)
    assert verify_pdf(pooled, [root]).exit_code == OK


def test_cancelled_pool_pack_leaves_nothing(mixed_cohort, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "cancelled.pdf"
    seen = []
    with pytest.raises(PackCancelled):
        export.export_pack(mixed_cohort, out, PackFilter(), "en", passphrase=PASSPHRASE, workers=2,
                           progress=lambda done, total: seen.append(done), cancelled=lambda: len(seen) > 3)
    assert not out.exists() and list(folder.iterdir()) == []


def test_a_learner_failing_in_a_worker_stops_the_pack_plainly(mixed_cohort, tmp_path):
    store = mixed_cohort
    learner = store.resolve_learner("L000015")
    # A period start that is no date: only laying out the PEP itself reads it.
    store.conn.execute("UPDATE reviews SET period_start = 'soon' WHERE learner_id = ?", (learner,))
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "failed.pdf"
    with pytest.raises(PackFailed) as failed:
        export.export_pack(store, out, PackFilter(), "en", passphrase=PASSPHRASE, workers=2)
    assert "L000015" in str(failed.value) and failed.value.exit_code == 17
    assert not out.exists() and list(folder.iterdir()) == []


def test_workers_that_cannot_start_stop_the_pack_plainly(mixed_cohort, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "never.pdf"
    with pytest.raises(PackFailed):
        export.export_pack(mixed_cohort, out, PackFilter(), "en", passphrase="not the passphrase at all", workers=2)
    assert not out.exists() and list(folder.iterdir()) == []
