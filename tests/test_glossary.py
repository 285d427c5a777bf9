"""The Welsh catalog uses the fixed terms of shared/PEP.md consistently (locales/glossary.json)."""

import json
import re

from vsm_desktop.i18n import catalogs

from conftest import REPO


def test_every_glossary_term_is_translated_consistently():
    terms = json.loads((REPO / "locales" / "glossary.json").read_text(encoding="utf-8"))["terms"]
    misses = []
    for message in catalogs.load("cy"):
        if not message.id or message.context:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        sources = [re.sub(r"\{\w+\}", "", s) for s in ids]  # placeholder names are not words
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english, welsh_forms in terms.items():
            pattern = re.compile(r"\b" + re.escape(english) + r"s?\b", re.IGNORECASE)
            if any(pattern.search(s) for s in sources):
                for translation in strings:
                    if translation and not any(form.lower() in translation.lower() for form in welsh_forms):
                        misses.append((english, sources[0], translation))
    assert misses == []
