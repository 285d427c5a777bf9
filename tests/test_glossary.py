"""The Welsh catalog uses the fixed terms of shared/PEP.md consistently (locales/glossary.json):
every message with an English term uses one of its agreed Welsh forms, and no Welsh translation
uses a variant the glossary rules out (Diddymu, diofyn, a bare GDD, "Does dim", "yr {n}", …)."""

import json
import re

import pytest

from vsm_desktop.i18n import catalogs

from conftest import REPO

GLOSSARY = json.loads((REPO / "locales" / "glossary.json").read_text(encoding="utf-8"))


def _messages():
    """(locations, English sources, Welsh translations) of every message, accelerator marks removed."""
    for message in catalogs.load("cy"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        # placeholder names and commands (“vsm-desktop conflicts”) are not words
        sources = [re.sub(r"\{\w+\}|“vsm-desktop [^”]*”", "", s).replace("&", "") for s in ids]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        yield {path for path, _line in message.locations}, sources, [s.replace("&", "") for s in strings if s]


def term_misses(terms, messages):
    misses = []
    for _locations, sources, strings in messages:
        for english, welsh_forms in terms.items():
            pattern = re.compile(r"\b" + re.escape(english) + r"s?\b", re.IGNORECASE)
            if any(pattern.search(s) for s in sources):
                for translation in strings:
                    if not any(form.lower() in translation.lower() for form in welsh_forms):
                        misses.append((english, sources[0], translation))
    return misses


def variants_found(avoid, messages):
    found = []
    for locations, sources, strings in messages:
        for rule in avoid:
            if locations and locations <= set(rule.get("except_in", ())):
                continue
            pattern = re.compile(rule["pattern"])
            found += [(rule["why"], translation) for translation in strings if pattern.search(translation)]
    return found


def test_every_glossary_term_is_translated_consistently():
    assert term_misses(GLOSSARY["terms"], list(_messages())) == []


def test_no_welsh_translation_uses_a_variant_the_glossary_rules_out():
    assert variants_found(GLOSSARY["avoid"], list(_messages())) == []


@pytest.mark.parametrize("welsh", [
    "Diddymu", "Gwerth diofyn", "Sgôr ansawdd y cydlynydd", "Datrys gwrthdrawiad", "Ysgrifennwch YYYY-MM-DD",
    "Gwariant GDD", "Dangos cyfrifon", "Hydref {year}", "Adolygiad Cynllun Addysg Personol",
    "Dangos yr {n} dysgwr", "Does dim storfa", "Dydy'r ffeil ddim", "Doedd dim modd", "beth sydd angen ei newid",
    "Cam gweithredu i'w gwblhau erbyn {date}",
])
def test_the_variant_check_catches_each_kind(welsh):
    """The rules are live: each known variant is caught in an ordinary (not learner-facing) message."""
    message = ({"vsm_desktop/app/main.py"}, ["some English"], [welsh])
    assert variants_found(GLOSSARY["avoid"], [message]) != []


def test_the_learner_facing_my_pep_may_speak_informally():
    message = ({"vsm_desktop/pdf/mypep.py"}, ["We have not written down any targets yet."], ["Dydyn ni ddim wedi ysgrifennu unrhyw dargedau eto."])
    assert variants_found(GLOSSARY["avoid"], [message]) == []


def test_the_term_check_catches_a_wrong_term():
    message = ({"vsm_desktop/app/main.py"}, ["Cancel"], ["Diddymu"])
    assert term_misses(GLOSSARY["terms"], [message]) != []
