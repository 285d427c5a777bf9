"""The core's portable Welsh order agrees with ICU's Welsh collation (Qt's QCollator on Linux)
over a large list of Welsh names, places and words, except where ICU's blind spot is known:
an n ending the first part of a compound name followed by g (Llan|gollen, Ban|gor)."""

import itertools
import sys

import pytest

from vsm_desktop.demo import names
from vsm_desktop.i18n.collation import NG_SPLIT_PREFIXES, fold, sort_key

QtCore = pytest.importorskip("PySide6.QtCore")

WORDS = """
aber aberth absennol achos achub adeg adref afal agor angen angor anghenion anghofio allan allwedd am aml amser
anadl annwyl ar araf arall arian aros athro awdurdod awyr bach bachgen bara bore brawd bwrdd bwyd bws byw
cadair cae calon cam canol cap car cariad castell cath cau cefn cegin ceir celf cerdd ci cinio clust coch
coeden cof cwpan cwm cyfarfod cyfrinymadrodd cyngor cymorth cymraeg cynllun chwaer chwarae chwech chwith
chwythu da dafad dail dal dan darllen dau de dechrau deg derbyn dewis diwrnod dod dosbarth drws du dwr
dydd dysgu dysgwr ddoe ddim eglwys eira enw eisiau ennill eto ffenest fferm ffilm ffordd ffrind ffrwyth
gadael gair gardd gwaith gwaharddiad gwely gwlad gwyn gyda haf hanes heddiw hen hoffi hwyl iaith iach
ifanc iechyd ieuenctid lamp lan lawr lle lles llesiant llais llaw llawen llun llwybr llyfr llygad llys
mab mam mawr melyn merch mis môr mynydd nain nawr neges nesaf newydd nghartref ngwlad nos nyth ochr ofn
ogof oren pab pabell papur parc pen pentref pêl person pethau plant plentyn plîs pobl prif prynhawn pwll
phoeni rhaglen rhaid rhan rhedeg rhestr rhiant rhif rhwng rhywun saith sant sedd siarad siop sut swyddog
tad targed te teulu tîm tir tocyn tref tri trên tŷ tywydd theatr uned uchaf un wal wythnos y yma ymarfer ysgol ysgrifennu
""".split()


def corpus() -> list[str]:
    pool = set(WORDS)
    for group in (names.WELSH_GIRLS, names.WELSH_BOYS, names.WELSH_SURNAMES, names.ENGLISH_GIRLS,
                  names.ENGLISH_BOYS, names.ENGLISH_SURNAMES, names.WELSH_PLACES, names.NEUTRAL_NAMES):
        pool.update(group)
    return sorted(pool)


def icu_blind_spot(text: str) -> bool:
    folded = fold(text)
    return any(word.startswith(prefix) and word[len(prefix):].startswith("g")
               for word in folded.split() for prefix in NG_SPLIT_PREFIXES)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt uses ICU for collation on Linux only")
def test_welsh_order_matches_icu_outside_its_blind_spot():
    collator = QtCore.QCollator(QtCore.QLocale(QtCore.QLocale.Language.Welsh, QtCore.QLocale.Country.UnitedKingdom))
    words = [w for w in corpus() if not icu_blind_spot(w)]
    assert len(words) > 300
    ours = sorted(words, key=lambda w: sort_key(w, "cy"))
    icu = sorted(words, key=collator.sortKey)
    our_pos, icu_pos = {w: i for i, w in enumerate(ours)}, {w: i for i, w in enumerate(icu)}
    disagreements = [(a, b) for a, b in itertools.combinations(words, 2)
                     if (our_pos[a] < our_pos[b]) != (icu_pos[a] < icu_pos[b]) and fold(a) != fold(b)]
    assert disagreements == []


def test_the_blind_spot_exists_and_is_handled():
    collator = QtCore.QCollator(QtCore.QLocale(QtCore.QLocale.Language.Welsh, QtCore.QLocale.Country.UnitedKingdom))
    # ICU reads Llangollen as Lla-ng-ollen, so it comes before Llanelli (ng is before n);
    # Welsh gazetteers read Llan-gollen, after Llanelli (e is before g). We follow the gazetteers.
    assert sorted(["Llanelli", "Llangollen"], key=collator.sortKey) == ["Llangollen", "Llanelli"]
    assert sorted(["Llangollen", "Llanelli"], key=lambda w: sort_key(w, "cy")) == ["Llanelli", "Llangollen"]
