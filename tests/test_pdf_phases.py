"""The PEP PDF and My PEP of an early years, a school age and a post-16 review, in Welsh, English
and both, read back with poppler: each follows the review's sections (domain/sections.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from vsm_desktop.pdf import export
from vsm_desktop.pdf.lang import gettext_in

from conftest import add_learner, add_review
from pdf_support import needs_poppler, page_texts

pytestmark = needs_poppler
NOW = dt.datetime(2026, 11, 20, 17, tzinfo=dt.timezone.utc)


def early_years(store) -> str:
    learner = add_learner(store, "L000101", legal_forename="Elis", date_of_birth="2022-10-03")   # nursery
    review = add_review(store, learner, meeting_date="2026-11-18", attendance_pct=88.0,
                        ey_key_person="Nia Hughes", ey_funded_hours=12.5,
                        ey_communication="Yn defnyddio brawddegau o dri gair; yn mwynhau caneuon.",
                        ey_communication_lang="cy",
                        ey_physical="Climbs the frame confidently and holds a crayon well.", ey_physical_lang="en",
                        ey_health_visitor="Health visitor checked speech at 3 years.", ey_health_visitor_lang="en")
    return review


def post16(store) -> str:
    learner = add_learner(store, "L000102", legal_forename="Rhys", date_of_birth="2009-12-11")   # year 12
    review = add_review(store, learner, meeting_date="2026-11-18",
                        course_provider="Coleg Menai", course_title="Peirianneg Fodurol", course_level="level2",
                        course_start="2026-09-07", course_end="2028-06-30", course_attendance_pct=91.0,
                        careers_adviser="Ceri Morgan", careers_guidance_date="2026-10-12", ema=True,
                        aspiration="Dw i eisiau bod yn fecanydd a chael fy ngarej fy hun.", aspiration_lang="cy",
                        neet_risk=True, neet_actions="Mentor weekly in college.", neet_actions_lang="en")
    store.create("qualifications", {"review_id": review, "title": "GCSE Mathematics", "status": "achieved",
                                    "grade": "C", "level": "level2", "awarded_on": "2026-08-20"})
    return review


def school_age(store) -> str:
    learner = add_learner(store, "L000103", date_of_birth="2017-03-01")   # year 4
    return add_review(store, learner, meeting_date="2026-11-18", progress_summary="Reads every night.",
                      progress_summary_lang="en")


def _text(store, review, lang, tmp_path, **kw) -> str:
    out = tmp_path / f"{review}-{lang}-{kw.get('my_pep', False)}.pdf"
    export.export_review(store, review, out, lang, sign=False, now=NOW, **kw)
    return "\n".join(page_texts(out))


def t(lang: str, message: str) -> str:
    return gettext_in(lang, message)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_early_years_pep(store, tmp_path, lang):
    text = _text(store, early_years(store), lang, tmp_path)
    for title in ("Development by area", "The setting and early support"):
        assert t(lang, title) in text, title
    assert t(lang, "Early years") in text
    assert "Nia Hughes" in text and "brawddegau o dri gair" in text and "Climbs the frame" in text
    assert t(lang, "Progress and attainment") not in text and t(lang, "Course or training") not in text


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_post16_pep(store, tmp_path, lang):
    text = _text(store, post16(store), lang, tmp_path)
    for title in ("Course or training", "Qualifications", "Careers guidance and pathway plan", "My aspiration",
                  "Financial support", "Risk of not being in education, employment or training"):
        assert t(lang, title) in text, title
    for value in ("Coleg Menai", "Peirianneg Fodurol", "GCSE Mathematics", "Ceri Morgan", "fecanydd"):
        assert value in text, value
    assert t(lang, "Level 2") in text and t(lang, "Post-16") in text
    assert t(lang, "Development by area") not in text


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_school_age_pep(store, tmp_path, lang):
    text = _text(store, school_age(store), lang, tmp_path)
    assert t(lang, "Progress and attainment") in text and "Reads every night." in text
    assert t(lang, "School age") in text
    assert t(lang, "Course or training") not in text and t(lang, "Development by area") not in text


def test_both_languages_and_an_override_with_its_reason(store, tmp_path):
    review = school_age(store)
    store.override_phase(review, "post16", "Coleg llawn amser ar ôl symud", "cy")
    store.set_field("reviews", review, "course_title", "Lefel 1 Adeiladu")
    store.add_section(review, "reduced_timetable", "Phased return after illness", "en")
    store.set_field("reviews", review, "rt_hours", 15.0)
    text = _text(store, review, "both", tmp_path)
    assert "Cwrs neu hyfforddiant / Course or training" in text or (
        t("cy", "Course or training") in text and "Course or training" in text)
    assert "Coleg llawn amser ar ôl symud" in text and "Phased return after illness" in text
    assert "Lefel 1 Adeiladu" in text and "Reads every night." in text   # the school-age data stays


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_my_pep_follows_the_phase(store, tmp_path, lang):
    text = _text(store, post16(store), lang, tmp_path, my_pep=True)
    assert t(lang, "My course or training") in text and "Peirianneg Fodurol" in text and "fecanydd" in text
    text = _text(store, early_years(store), lang, tmp_path, my_pep=True)
    assert t(lang, "My key person") in text and "Nia Hughes" in text
    assert t(lang, "My course or training") not in text
