"""Attachments in PEP PDFs: the appendix lists them, the learner's drawings are in "All about me"
and My PEP, and with --with-attachments their PDF pages and images follow the PEP, each after a
separator page, inside a signature that pyHanko and poppler's pdfsig both find valid."""

from __future__ import annotations

import datetime as dt

from vsm_desktop.attachments import content
from vsm_desktop.pdf import export
from vsm_desktop.pdf.verify import UNTRUSTED, verify_pdf

from attachment_files import image_bytes, pdf_bytes, write
from conftest import run_cli
from pdf_support import full_review, needs_poppler, page_texts, pdfsig

pytestmark = [needs_poppler]
NOW = dt.datetime(2026, 11, 21, 9, tzinfo=dt.timezone.utc)
FINALISED = dt.datetime(2026, 11, 20, 16, tzinfo=dt.timezone.utc)


def review_with_attachments(store, tmp_path) -> str:
    review = full_review(store, finalise=False)
    learner = store.get("reviews", review)["learner_id"]
    content.attach(store, learner, write(tmp_path / "t.pdf", pdf_bytes("Tystysgrif nofio", pages=2)),
                   kind="certificate", title="Tystysgrif nofio", title_lang="cy", review_id=review,
                   today=dt.date(2026, 11, 18))
    content.attach(store, learner, image_bytes("PNG", (300, 200), (20, 120, 200)), kind="drawing",
                   title="Beth dw i eisiau bod", review_id=review, section=content.ABOUT_ME, name="llun.png",
                   today=dt.date(2026, 11, 19))
    content.attach(store, learner, b"Nodyn gan y gofalwr\n", kind="letter", title="Nodyn", name="nodyn.txt",
                   today=dt.date(2026, 11, 1))
    store.finalise_review(review, FINALISED)
    # Added after the PEP was finalised: not in its PDF.
    content.attach(store, learner, write(tmp_path / "wedyn.pdf", pdf_bytes("Wedyn")), kind="report",
                   title="Adroddiad wedyn", today=dt.date(2026, 12, 2))
    return review


def test_the_appendix_lists_the_attachments_and_the_drawing_is_shown(store, tmp_path):
    review = review_with_attachments(store, tmp_path)
    out = tmp_path / "pep.pdf"
    result = export.export_review(store, review, out, "en", sign=False, now=NOW)
    texts = page_texts(out)
    assert result.pages == len(texts)
    appendix = next(t for t in texts if "Appendix: attachments" in t)
    for words in ("Tystysgrif nofio", "Certificate", "Beth dw i eisiau bod", "Drawing", "Nodyn", "Letter", "20 bytes"):
        assert words in appendix, words
    assert "Adroddiad wedyn" not in " ".join(texts)
    about = next(t for t in texts if "All about me" in t and "My drawings" in t)
    assert about
    from pypdf import PdfReader

    images = sum(len(p.images) for p in PdfReader(out).pages)
    assert images >= 2   # the attendee's drawn signature and the drawing


def test_my_pep_shows_the_drawings(store, tmp_path):
    review = review_with_attachments(store, tmp_path)
    out = tmp_path / "my.pdf"
    export.export_review(store, review, out, "cy", sign=False, my_pep=True, now=NOW)
    from pypdf import PdfReader

    reader = PdfReader(out)
    assert len(reader.pages) == 1 and len(reader.pages[0].images) == 1


def test_with_attachments_appends_them_before_signing(store, tmp_path):
    review = review_with_attachments(store, tmp_path)
    plain = tmp_path / "plain.pdf"
    base = export.export_review(store, review, plain, "en", now=NOW)
    out = tmp_path / "with.pdf"
    result = export.export_review(store, review, out, "en", now=NOW, with_attachments=True)
    assert result.signed
    texts = page_texts(out)
    # PDF: a separator and its two pages; the drawing: a separator and the image's page; the text file is not appended.
    assert result.pages == len(texts) == base.pages + 3 + 2
    assert "Attachment 1 of 2" in texts[base.pages] and "Tystysgrif nofio" in texts[base.pages]
    assert texts[base.pages + 1].startswith("Tystysgrif nofio 1") and texts[base.pages + 2].startswith("Tystysgrif nofio 2")
    assert "Attachment 2 of 2" in texts[base.pages + 3]
    report = verify_pdf(out)
    assert report.exit_code == UNTRUSTED   # intact, only not trusted without the root
    sig = report.signatures[0]
    assert sig.intact and sig.unmodified and sig.covers_file
    checked = pdfsig(out)
    assert "Signature is Valid" in checked and "Total document signed" in checked


def test_pack_with_attachments_from_the_command_line(tmp_path):
    from vsm_desktop.store.store import Store

    from conftest import PASSPHRASE

    path = tmp_path / "s.vsm"
    with Store.initialise(path, PASSPHRASE, author="Test Author") as store:
        review_with_attachments(store, tmp_path)
    out = tmp_path / "pack.pdf"
    result = run_cli("pack", "--store", path, "--out", out, "--with-attachments", "--lang", "en")
    assert result.returncode == 0, result.stderr
    texts = page_texts(out)
    assert any("Attachment 1 of 2" in t and "For Prosser, Siân (Sî) (L000001)" in t for t in texts)
    assert verify_pdf(out).signatures[0].intact
    assert "Signature is Valid" in pdfsig(out)
