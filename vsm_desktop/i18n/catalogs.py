"""Maintains the gettext catalogs: `python -m vsm_desktop.i18n.catalogs update|compile|check`.

update  extracts every marked string from the package into locales/vsm_desktop.pot and
        merges it into locales/<lang>/LC_MESSAGES/vsm_desktop.po (new strings untranslated)
compile writes the .mo files the application loads
check   exits 1 if a catalog is stale, incomplete, fuzzy or its .mo is out of date

Welsh has six plural forms in CLDR (zero, one, two, few, many, other). Babel's own gettext
table gives it five, so the header is written from CLDR and kept on every update.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po
from babel.plural import to_gettext

from .. import __version__
from . import DOMAIN, LANGUAGES, locales_dir

PACKAGE_DIR = Path(__file__).resolve().parent.parent
UI_DIR = PACKAGE_DIR.parent / "ui"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


def plural_header(lang: str) -> tuple[int, str]:
    """(nplurals, expression) from CLDR, e.g. 6 forms for Welsh."""
    text = to_gettext(Locale.parse(lang).plural_form)
    nplurals = int(text.split(";")[0].split("=")[1])
    expr = text.split("plural=", 1)[1].rstrip(";").strip()
    return nplurals, expr


def _force_plurals(catalog: Catalog, lang: str) -> None:
    catalog._num_plurals, catalog._plural_expr = plural_header(lang)


def extract() -> Catalog:
    template = Catalog(project="VSM Desktop", domain=DOMAIN, charset="utf-8")
    sources = ((PACKAGE_DIR, "vsm_desktop", [("**.py", "python")]),
               (UI_DIR, "ui", [("**.ui", "vsm_desktop.i18n.ui_extract:extract_qt_designer")]))
    for folder, prefix, method_map in sources:
        for filename, lineno, message, comments, context in extract_from_dir(
            str(folder), method_map=method_map, keywords=KEYWORDS, comment_tags=("Translators:",)
        ):
            template.add(message, locations=[(f"{prefix}/{filename}", lineno)],
                         auto_comments=comments, context=context)
    return template


def po_path(lang: str) -> Path:
    return locales_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def load(lang: str) -> Catalog:
    with po_path(lang).open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    _force_plurals(catalog, lang)
    return catalog


def _po_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, omit_header=False, sort_output=False, ignore_obsolete=True)
    return buf.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def update() -> None:
    template = extract()
    with (locales_dir() / f"{DOMAIN}.pot").open("wb") as f:
        write_po(f, template, width=100, omit_header=False)
    for lang in LANGUAGES:
        path = po_path(lang)
        if path.exists():
            catalog = load(lang)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=lang, domain=DOMAIN, project="VSM Desktop", charset="utf-8")
        _force_plurals(catalog, lang)
        catalog.update(template, no_fuzzy_matching=True)
        _force_plurals(catalog, lang)
        catalog.fuzzy = False
        catalog.project, catalog.version = "VSM Desktop", __version__
        catalog.copyright_holder = "VSM Desktop"
        catalog.msgid_bugs_address = ""
        catalog.last_translator = "VSM Desktop translators"
        catalog.language_team = {"cy": "Cymraeg", "en": "English"}[lang]
        if lang == "en":
            # English is the source language: its catalog only carries the plural rules.
            for message in catalog:
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if message.id and not any(strings):
                    message.string = message.id
        path.write_bytes(_po_bytes(catalog))


def qm_path(lang: str) -> Path:
    return po_path(lang).with_name("qt.qm")


def _qt_ts(catalog: Catalog, lang: str) -> str:
    """A Qt Linguist file of the entries whose context is a Qt class (Qt's own texts).

    A context "QFileSystemModel|All other platforms" is the class and Qt's disambiguation comment.
    """
    from xml.sax.saxutils import escape

    contexts: dict[str, list[tuple[str, str, str]]] = {}
    for m in catalog:
        if m.id and m.context and m.context.startswith("Q") and isinstance(m.string, str) and m.string:
            qt_class, _bar, comment = m.context.partition("|")
            contexts.setdefault(qt_class, []).append((m.id, comment, m.string))
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>", f'<TS version="2.1" language="{lang}_GB">']
    for context in sorted(contexts):
        lines.append(f"<context><name>{escape(context)}</name>")
        for source, comment, translation in sorted(contexts[context]):
            note = f"<comment>{escape(comment)}</comment>" if comment else ""
            lines.append(f"<message><source>{escape(source)}</source>{note}"
                         f"<translation>{escape(translation)}</translation></message>")
        lines.append("</context>")
    lines.append("</TS>")
    return "\n".join(lines) + "\n"


def _qm_bytes(catalog: Catalog, lang: str) -> bytes:
    import subprocess
    import tempfile

    import PySide6

    lrelease = Path(PySide6.__file__).parent / ("lrelease.exe" if sys.platform == "win32" else "lrelease")
    with tempfile.TemporaryDirectory() as folder:
        ts, qm = Path(folder) / "qt.ts", Path(folder) / "qt.qm"
        ts.write_text(_qt_ts(catalog, lang), encoding="utf-8")
        subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(qm)], check=True)
        return qm.read_bytes()


def compile_all() -> None:
    for lang in LANGUAGES:
        catalog = load(lang)
        mo_path(lang).write_bytes(_mo_bytes(catalog))
        if lang != "en":
            qm_path(lang).write_bytes(_qm_bytes(catalog, lang))


# Compiled catalogs are compared by what they say, never by their bytes: the bytes carry the
# compiler's version (Babel writes "Generated-By: Babel 2.x", lrelease its own layout).

def _messages(catalog: Catalog) -> tuple[str, dict]:
    """The plural rule and every translated message, as a comparable value."""
    messages = {}
    for m in catalog:
        if m.id and not m.fuzzy:
            strings = tuple(m.string) if isinstance(m.string, (list, tuple)) else (m.string,)
            if all(strings):
                key = tuple(m.id) if isinstance(m.id, (list, tuple)) else m.id
                messages[(m.context, key)] = strings
    return catalog.plural_forms, messages


def _mo_messages(path: Path) -> tuple[str, dict]:
    with path.open("rb") as f:
        return _messages(read_mo(f))


def _qm_mismatches(path: Path, catalog: Catalog) -> list[str]:
    """Qt's own texts that the compiled .qm does not translate as the catalog says."""
    from PySide6.QtCore import QTranslator

    translator = QTranslator()
    if not translator.load(str(path)):
        return ["unreadable"]
    wrong = []
    for m in catalog:
        if m.id and m.context and m.context.startswith("Q") and isinstance(m.string, str) and m.string:
            qt_class, _bar, comment = m.context.partition("|")
            if translator.translate(qt_class, m.id, comment or None) != m.string:
                wrong.append(m.id)
    return wrong


def problems() -> list[str]:
    """Why the catalogs are not ready to ship, if they are not."""
    found = []
    extracted = {m.id if not m.context else (m.context, m.id) for m in extract() if m.id}
    for lang in LANGUAGES:
        catalog = load(lang)
        ids = {m.id if not m.context else (m.context, m.id) for m in catalog if m.id}
        if extracted - ids:
            found.append(f"{lang}: {len(extracted - ids)} strings not in the catalog; run update")
        nplurals, _expr = plural_header(lang)
        for m in catalog:
            if not m.id:
                continue
            if m.fuzzy:
                found.append(f"{lang}: fuzzy: {m.id!r}")
            strings = m.string if isinstance(m.string, tuple) else (m.string,)
            if isinstance(m.id, tuple) and len(strings) != nplurals:
                found.append(f"{lang}: {m.id[0]!r} has {len(strings)} plural forms, needs {nplurals}")
            if not all(strings):
                found.append(f"{lang}: untranslated: {m.id!r}")
        if not mo_path(lang).exists() or _mo_messages(mo_path(lang)) != _messages(catalog):
            found.append(f"{lang}: {mo_path(lang).name} is out of date; run compile")
        if lang != "en" and (not qm_path(lang).exists() or _qm_mismatches(qm_path(lang), catalog)):
            found.append(f"{lang}: {qm_path(lang).name} is out of date; run compile")
    return found


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "check":
        issues = problems()
        for line in issues:
            print(line)
        return 1 if issues else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
