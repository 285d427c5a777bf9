"""The PEP document: real PDFs from a real store, read back by tools we did not write."""

from __future__ import annotations

import datetime as dt
import subprocess
import time

import pytest

from vsm_desktop.errors import UsageError
from vsm_desktop.pdf import export, layout
from vsm_desktop.pdf.document import load_review
from vsm_desktop.pdf.fonts import WELSH_LETTERS, missing_glyphs
from vsm_desktop.pdf.lang import gettext_in

from pdf_support import WELSH_TARGET, WELSH_VOICE, full_review, needs_poppler, page_texts

pytestmark = needs_poppler
NOW = dt.datetime(2026, 11, 22, 14, 3, 9, tzinfo=dt.timezone.utc)


def test_every_welsh_letter_is_in_every_embedded_font():
    from vsm_desktop.pdf import fonts

    for name in (fonts.REGULAR, fonts.BOLD, fonts.ITALIC, fonts.BOLD_ITALIC):
        assert missing_glyphs(WELSH_LETTERS + fonts.PUNCTUATION + WELSH_VOICE, name) == set(), name
    assert (fonts.fonts_dir() / "OFL.txt").read_text().startswith("Copyright")


def test_a_finalised_pep_is_made_again_byte_for_byte_from_the_store(store, tmp_path):
    """Its dates come from the record, so the clock of the export changes nothing."""
    review = full_review(store)
    first, second = tmp_path / "first.pdf", tmp_path / "second.pdf"
    export.export_review(store, review, first, "both", sign=False, now=NOW)
    export.export_review(store, review, second, "both", sign=False, now=NOW + dt.timedelta(days=400, hours=5))
    assert first.read_bytes() == second.read_bytes()


def test_a_draft_is_dated_when_it_is_printed(store, tmp_path):
    from pypdf import PdfReader

    review = full_review(store, finalise=False)
    out = tmp_path / "draft.pdf"
    export.export_review(store, review, out, "en", sign=False, now=NOW)
    assert PdfReader(out).metadata["/CreationDate"] == "D:20261122140309+00'00'"
    assert "Generated 22 November 2026, 14:03" in "\n".join(page_texts(out))


def test_english_pep_text_metadata_and_fonts(store, tmp_path):
    import pdfplumber
    from pypdf import PdfReader

    review = full_review(store)
    out = tmp_path / "pep.pdf"
    result = export.export_review(store, review, out, "en", sign=False, now=NOW)
    pages = page_texts(out)
    assert len(pages) == result.pages >= 3
    whole = "\n".join(pages)
    for wanted in ("Personal Education Plan", "Siân Prosser", "Ysgol Gyfun Llŷn", "OFFICIAL-SENSITIVE", "Finalised 20 November 2026",
                   "Attendance and exclusions", "Targets", "Meeting and sign-off", "Gwenllian Ŵyn", "Achieved",
                   "New target", "Care order", "Fixed-term"):
        assert wanted in whole, wanted
    for n, text in enumerate(pages, 1):
        assert f"Page {n} of {len(pages)}" in text
    # Welsh text, diacritics included, comes back exactly (pdfplumber, character by character).
    with pdfplumber.open(out) as pdf:
        text = " ".join((page.extract_text() or "") for page in pdf.pages).replace("\n", " ")
    assert WELSH_VOICE in text
    assert "ŵ ŷ â ê î ô û ẁ ẃ ẅ ỳ ï ë" in text
    info = PdfReader(out).metadata
    assert info.title.startswith("Personal Education Plan — L000001")
    assert info.author == "Test Author"
    assert info["/CreationDate"] == "D:20261120160000+00'00'"   # the record's finalisation, not the clock's
    assert PdfReader(out).trailer["/Root"]["/Lang"] == "en-GB"
    fonts_list = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    assert "NotoSans" in fonts_list or "VsmSans" in fonts_list
    assert all(line.split()[-5] == "yes" for line in fonts_list.splitlines()[2:])  # every font embedded


def test_free_text_in_another_language_is_marked(store, tmp_path):
    review = full_review(store)
    out = tmp_path / "pep.pdf"
    export.export_review(store, review, out, "en", sign=False, now=NOW)
    whole = "\n".join(page_texts(out))
    assert "[Welsh] Rwy'n dda am nofio" in whole          # Welsh free text in an English PEP
    assert "[English]" not in whole                      # English text needs no mark there


def test_welsh_pep_uses_the_welsh_catalog(store, tmp_path):
    from pypdf import PdfReader

    review = full_review(store)
    out = tmp_path / "pep-cy.pdf"
    export.export_review(store, review, out, "cy", sign=False, now=NOW)
    whole = "\n".join(page_texts(out))
    for wanted in ("Dyddiad geni", "Gorchymyn gofal", "Presenoldeb", "Cyfnod penodol", "Wedi'i gyflawni",
                   "20 Tachwedd 2026", WELSH_TARGET[:40]):
        assert wanted in whole, wanted
    assert "[Saesneg] She has settled well" in whole      # English free text in a Welsh PEP, marked
    assert PdfReader(out).trailer["/Root"]["/Lang"] == "cy-GB"


@pytest.mark.skipif(gettext_in("cy", layout.PAGE_OF) == layout.PAGE_OF,
                    reason="the PDF's Welsh strings are not merged into the catalog yet (test_i18n reports it)")
def test_welsh_page_numbers_and_marking_after_the_catalog_merge(store, tmp_path):
    """Runs once the strings of .i18n-pending/pdf.json are in the Welsh catalog."""
    review = full_review(store)
    out = tmp_path / "pep-cy.pdf"
    export.export_review(store, review, out, "cy", sign=False, now=NOW)
    pages = page_texts(out)
    assert f"Tudalen 1 o {len(pages)}" in pages[0]
    assert "SWYDDOGOL-SENSITIF" in pages[0]
    assert "Cynllun Addysg Personol" in pages[0]


def test_bilingual_labels_twice_free_text_once(store, tmp_path):
    review = full_review(store)
    out = tmp_path / "pep-both.pdf"
    export.export_review(store, review, out, "both", sign=False, now=NOW)
    whole = "\n".join(page_texts(out))
    assert "Dyddiad geni" in whole and "Date of birth" in whole
    assert "Gorchymyn gofal / Care order" in whole
    assert whole.count("She has settled well") == 1
    assert whole.count("Rwy'n dda am nofio") == 1
    # Both languages are the document's own: no passage is tagged with either.
    assert "[Cymraeg]" not in whole and "[English]" not in whole


def test_a_passage_is_tagged_only_when_its_language_differs_from_the_documents(store, tmp_path):
    review = full_review(store)
    texts = {}
    for mode in ("cy", "en"):
        out = tmp_path / f"pep-{mode}.pdf"
        export.export_review(store, review, out, mode, sign=False, now=NOW)
        texts[mode] = "\n".join(page_texts(out))
    assert "[Saesneg] She has settled well" in texts["cy"] and "[Cymraeg]" not in texts["cy"]
    assert "[Welsh] Rwy'n dda am nofio" in texts["en"] and "[English]" not in texts["en"]


def test_sections_flow_and_no_heading_sits_alone_at_a_page_foot(store, tmp_path):
    import pdfplumber

    from vsm_desktop.pdf import document

    review = full_review(store)
    out = tmp_path / "pep.pdf"
    export.export_review(store, review, out, "en", sign=False, now=NOW)
    titles = [document.S_ABOUT_ME, document.S_VIEWS, document.S_TARGETS, document.S_MEETING, document.S_ATTENDANCE]
    with pdfplumber.open(out) as pdf:
        pages = pdf.pages
        for number, page in enumerate(pages, 1):
            body = [w for w in page.extract_words() if 40 < w["top"] < page.height - 60]
            lines = sorted({round(w["top"]) for w in body})
            if number < len(pages):
                # Flowing on: no page (but the last) ends with most of it empty.
                assert lines[-1] > page.height * 0.6, (number, lines[-1], page.height)
            last_line = " ".join(w["text"] for w in body if round(w["top"]) == lines[-1])
            assert last_line not in titles, f"page {number} ends with the heading “{last_line}”"
        about = [i for i, p in enumerate(pages) if "All about me" in (p.extract_text() or "")]
        assert len(about) == 1 and "What I am good at" in pages[about[0]].extract_text()


def test_draft_is_watermarked_and_never_signed(store, tmp_path):
    from pypdf import PdfReader

    review = full_review(store, finalise=False)
    out = tmp_path / "draft.pdf"
    result = export.export_review(store, review, out, "en", now=NOW)   # the default for a draft: unsigned
    assert result.draft and not result.signed
    pages = page_texts(out)
    assert all("DRAFT" in p.replace(" ", "") for p in pages)
    assert "This is a draft" in pages[0]
    assert "/AcroForm" not in PdfReader(out).trailer["/Root"]
    with pytest.raises(UsageError):
        export.export_review(store, review, tmp_path / "signed-draft.pdf", "en", sign=True, now=NOW)
    assert not (tmp_path / "signed-draft.pdf").exists()


def test_drawn_signatures_are_on_the_page(store, tmp_path):
    review = full_review(store)
    out = tmp_path / "pep.pdf"
    export.export_review(store, review, out, "en", sign=False, now=NOW)
    images = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True).stdout
    assert len(images.splitlines()) >= 3  # header, rule, and at least the one drawn signature
    # In a sign-off block, at a readable size (at least 40 × 15 mm), the name under it.
    import pdfplumber

    mm = 72 / 25.4
    with pdfplumber.open(out) as pdf:
        page = next(p for p in pdf.pages if "Signatures" in (p.extract_text() or ""))
        drawn = [i for i in page.images if i["x1"] - i["x0"] >= 40 * mm - 0.5 and i["bottom"] - i["top"] >= 15 * mm - 0.5]
        assert drawn, [(i["x1"] - i["x0"], i["bottom"] - i["top"]) for i in page.images]
        below = page.crop((drawn[0]["x0"], drawn[0]["bottom"], drawn[0]["x0"] + 250, drawn[0]["bottom"] + 60)).extract_text()
    assert "Gwen" in below or "Present" in below, below


def test_output_is_private_and_written_atomically(store, tmp_path):
    review = full_review(store)
    out = tmp_path / "pep.pdf"
    export.export_review(store, review, out, "en", sign=False, now=NOW)
    assert out.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def _max_review(store) -> str:
    """Every field at its maximum length, and 40 targets."""
    from vsm_desktop.domain import model

    words = ("Llanfair ŵyr ŷd cymraeg dysgwr targedau ymddiriedaeth gwaith cartref anghenion. " * 400)
    review = full_review(store, targets=0, previous=False, finalise=False)
    for section in store.section_plan(review).offered:   # every section, at its longest
        store.add_section(review, section.key, "Pob adran ar ei hiraf", "cy")
    ent = model.entity("reviews")
    changes = {}
    for f in ent.fields:
        if f.kind == "text":
            changes[f.name] = words[: f.max_len or 20_000]
    changes["meeting_place"] = "P" * 160
    store.update("reviews", review, changes)
    long_word = "ŵ" * 20_000  # one unbroken "word": must still wrap inside its cell
    for i in range(40):
        store.create("targets", {
            "review_id": review, "position": i,
            "description": long_word if i == 0 else words[:20_000] if i < 3 else f"{WELSH_TARGET} " * 4,
            "description_lang": "cy", "support": words[:20_000] if i < 3 else "Mentor",
            "support_lang": "cy", "responsible": "R" * 120, "due_date": "2027-02-01", "pdg_funded": True})
    store.finalise_review(review, dt.datetime(2026, 11, 20, 16, tzinfo=dt.timezone.utc))
    return review


def test_maximum_lengths_and_forty_targets_stay_inside_the_frame(store, tmp_path):
    import pdfplumber

    review = _max_review(store)
    out = tmp_path / "max.pdf"
    start = time.perf_counter()
    result = export.export_review(store, review, out, "en", sign=False, now=NOW)
    assert time.perf_counter() - start < 60
    # Every word of every page inside the page's frame (poppler's boxes, all pages)...
    bbox = subprocess.run(["pdftotext", "-bbox", str(out), "-"], capture_output=True, text=True, check=True).stdout
    import re

    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">', bbox)
    assert len(words) > 10_000
    left, right = layout.MARGIN_X - 1, layout.PAGE_WIDTH - layout.MARGIN_X + 1
    for x0, y0, x1, y1 in words:
        assert left <= float(x0) and float(x1) <= right, (x0, x1)
        assert 0 < float(y0) and float(y1) < layout.PAGE_HEIGHT
    # ...and, character by character with pdfplumber, on the pages of the targets table.
    pages = page_texts(out)
    table_pages = [i for i, p in enumerate(pages) if "Who is" in p][:4] + [0, len(pages) - 1]
    with pdfplumber.open(out) as pdf:
        for i in table_pages:
            page = pdf.pages[i]
            for ch in page.chars:
                assert left <= ch["x0"] and ch["x1"] <= right, (i, ch["text"], ch["x0"], ch["x1"])
                body_or_margins = ch["top"] >= 0 and ch["bottom"] <= layout.PAGE_HEIGHT
                assert body_or_margins
                in_body = layout.MARGIN_TOP - 2 <= ch["top"] and ch["bottom"] <= layout.PAGE_HEIGHT - layout.MARGIN_BOTTOM + 2
                in_header = ch["bottom"] <= layout.MARGIN_TOP
                in_footer = ch["top"] >= layout.PAGE_HEIGHT - layout.MARGIN_BOTTOM
                assert in_body or in_header or in_footer, (i, ch["text"], ch["top"], ch["bottom"])
    assert result.pages == len(pages)
    assert "continued" in "\n".join(pages)


def test_my_pep_is_one_page_in_large_type(store, tmp_path):
    import pdfplumber

    review = full_review(store, targets=3)
    out = tmp_path / "my-pep.pdf"
    export.export_review(store, review, out, "cy", sign=False, my_pep=True, now=NOW)
    pages = page_texts(out)
    assert len(pages) == 1
    assert WELSH_TARGET[:30] in pages[0] and "Gwenllian Ŵyn" in pages[0] and "Dafydd ap Siôn" in pages[0]
    assert "10 Mawrth 2027" in pages[0]
    with pdfplumber.open(out) as pdf:
        sizes = [round(c["size"]) for c in pdf.pages[0].chars if c["text"].strip()]
    body = max(set(sizes), key=sizes.count)
    assert body >= 13


def test_my_pep_with_forty_targets_still_fits_one_page(store, tmp_path):
    review = full_review(store, targets=40)
    out = tmp_path / "my-pep.pdf"
    export.export_review(store, review, out, "en", sign=False, my_pep=True, now=NOW)
    pages = page_texts(out)
    assert len(pages) == 1
    assert "more things in your full plan" in pages[0]


def test_loading_reads_the_previous_reviews_targets(store):
    review = full_review(store)
    data = load_review(store, review)
    carried = [t for t in data.review["targets"] if t["carried_from_id"]]
    assert carried and carried[0]["carried_from_id"] in data.earlier_targets


def test_the_authoritys_logo_from_the_machine_settings_on_the_first_page(store, tmp_path, monkeypatch):
    import json

    import pdfplumber
    from PIL import Image as PilImage

    review = full_review(store)
    png = tmp_path / "logo.png"
    PilImage.new("RGB", (400, 160), (11, 85, 99)).save(png)
    svg = tmp_path / "logo.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="80">'
                   '<rect x="0" y="0" width="200" height="80" fill="#0b5563"/></svg>', encoding="utf-8")
    machine = tmp_path / "machine.json"
    monkeypatch.setenv("VSM_MACHINE_SETTINGS", str(machine))
    mm = 72 / 25.4
    for logo, kind in ((png, "png"), (svg, "svg"), (tmp_path / "missing.png", "missing")):
        machine.write_text(json.dumps({"logo": str(logo)}), encoding="utf-8")
        out = tmp_path / f"pep-{kind}.pdf"
        export.export_review(store, review, out, "en", sign=False, now=NOW)
        with pdfplumber.open(out) as pdf:
            first, second = pdf.pages[0], pdf.pages[1]
            if kind == "png":
                logos = [i for i in first.images if i["top"] < 120]
                assert len(logos) == 1 and logos[0]["x1"] - logos[0]["x0"] <= 45 * mm + 0.5
                assert not [i for i in second.images if i["top"] < 120], "the first page only"
            elif kind == "svg":
                assert [r for r in first.rects if r["top"] < 120 and r["width"] > 20 * mm]
            else:
                assert "Personal Education Plan" in first.extract_text(), "made without it"


def test_one_date_format_in_the_time_zone_of_wales(store, tmp_path):
    import re

    review = full_review(store)
    summer = dt.datetime(2026, 7, 1, 13, 5, tzinfo=dt.timezone.utc)   # 14:05 in Wales (BST)
    for mode, long_date in (("en", "1 July 2026, 14:05"), ("cy", "1 Gorffennaf 2026, 14:05")):
        out = tmp_path / f"pep-{mode}.pdf"
        export.export_review(store, review, out, mode, sign=True, now=summer)
        whole = "\n".join(page_texts(out))
        assert long_date in whole, "the signature's time and the footer: long date, Welsh time"
        assert not re.search(r"\b\d\d/\d\d/\d\d\b", whole), "no short numeric dates beside the long ones"
        assert not re.search(r"\d\d:\d\d:\d\d|\+0000|GMT|UTC", whole), "no seconds, no zone codes"


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_about_the_learner_is_left_out_when_nothing_about_them_is_recorded(store, tmp_path, lang):
    """No heading with nothing under it; one fact recorded brings the heading and the fact."""
    from conftest import add_learner, add_review

    learner = add_learner(store)          # no gender, ethnicity, UPN, languages, …
    review = add_review(store, learner)
    heading = gettext_in(lang, "About the learner")
    care = gettext_in(lang, "Care")
    out = tmp_path / "bare.pdf"
    export.export_review(store, review, out, lang, sign=False, now=NOW)
    whole = "\n".join(page_texts(out))
    assert care in whole and heading not in whole
    store.update("learners", learner, {"upn": "A123456789012"})
    export.export_review(store, review, out, lang, sign=False, now=NOW)
    whole = "\n".join(page_texts(out))
    assert heading in whole and "A123456789012" in whole
    assert whole.index(heading) < whole.index("A123456789012") < whole.rindex(care)
