"""Cymraeg and English: complete catalogs, CLDR's six Welsh plural forms, Babel formatting, and a
command line that speaks Welsh."""

import datetime as dt
import os
import re
import shutil
import subprocess

import pytest

from vsm_desktop import i18n
from vsm_desktop.i18n import catalogs

from conftest import cli_env, run_cli

PLACEHOLDER = re.compile(r"\{\w+\}|%\(\w+\)[sr]|%[sr]")


def test_catalogs_are_complete_and_compiled():
    assert catalogs.problems() == []


def test_welsh_has_six_plural_forms_from_cldr():
    nplurals, expr = catalogs.plural_header("cy")
    assert nplurals == 6
    catalog = catalogs.load("cy")
    assert catalog.num_plurals == 6
    assert "nplurals=6" in catalogs.po_path("cy").read_text(encoding="utf-8")


def test_every_translation_keeps_its_placeholders():
    for lang in i18n.LANGUAGES:
        for m in catalogs.load(lang):
            if not m.id:
                continue
            source = m.id[-1] if isinstance(m.id, tuple) else m.id
            strings = m.string if isinstance(m.string, tuple) else (m.string,)
            for s in strings:
                assert set(PLACEHOLDER.findall(s)) == set(PLACEHOLDER.findall(source)), (lang, m.id, s)


@pytest.mark.parametrize("n, expected", [(0, "0 targed"), (1, "1 targed"), (2, "2 darged"), (3, "3 tharged"), (11, "11 targed"),
                                         (4, "4 targed"), (6, "6 tharged"), (7, "7 targed"), (100, "100 targed")])
def test_welsh_plurals_with_mutations(n, expected):
    i18n.set_language("cy")
    assert i18n.ngettext("{n} target", "{n} targets", n).format(n=n) == expected


def test_dates_and_numbers_come_from_cldr():
    day = dt.date(2026, 11, 22)
    i18n.set_language("cy")
    assert i18n.format_date(day) == "22 Tachwedd 2026"
    assert i18n.format_date(day, "full") == "Dydd Sul, 22 Tachwedd 2026"
    i18n.set_language("en")
    assert i18n.format_date(day) == "22 November 2026"
    assert i18n.format_percent(95.5) == "95.5%"
    assert i18n.format_money(123456) == "£1,234.56"


def test_the_command_line_speaks_welsh(tmp_path):
    help_text = run_cli("--lang", "cy", "--help").stdout
    assert "defnydd:" in help_text and "dangos y neges gymorth hon a gadael" in help_text
    result = run_cli("learners", "--store", tmp_path / "none.vsm", env=cli_env(VSM_LANG="cy"))
    assert result.returncode == 2
    assert "Nid oes storfa" in result.stderr or "storfa" in result.stderr


def test_validation_messages_are_translated():
    from vsm_desktop.domain.model import ValidationError, validate_field

    i18n.set_language("cy")
    with pytest.raises(ValidationError) as e:
        validate_field("learners", "date_of_birth", "2999-01-01")
    assert e.value.describe().startswith("Dyddiad geni:")


def test_a_stored_utc_time_is_dated_in_uk_time():
    import datetime as dt

    summer_night = dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.timezone.utc)   # 00:30 on 1 July in Wales
    winter_night = dt.datetime(2026, 12, 30, 23, 30, tzinfo=dt.timezone.utc)  # GMT: still 30 December
    assert i18n.local_date(summer_night) == dt.date(2026, 7, 1)
    assert i18n.local_date(winter_night) == dt.date(2026, 12, 30)


def test_compiled_catalogs_are_compared_by_messages_not_bytes(tmp_path):
    """Another Babel writes other bytes (its version is in the header); only the messages count."""
    import io

    from babel.messages.mofile import write_mo

    catalog = catalogs.load("cy")
    catalog.version = "some other version"
    path = tmp_path / "other.mo"
    buf = io.BytesIO()
    write_mo(buf, catalog)
    path.write_bytes(buf.getvalue().replace(b"Generated-By: Babel", b"Generated-By: Other"))
    assert path.read_bytes() != catalogs.mo_path("cy").read_bytes()
    assert catalogs._mo_messages(path) == catalogs._messages(catalogs.load("cy"))
    changed = next(m for m in catalog if m.id and isinstance(m.string, str) and m.string)
    changed.string += "!"
    buf = io.BytesIO()
    write_mo(buf, catalog)
    path.write_bytes(buf.getvalue())
    assert catalogs._mo_messages(path) != catalogs._messages(catalogs.load("cy"))


def test_a_stale_qt_catalog_is_found(tmp_path):
    catalog = catalogs.load("cy")
    assert catalogs._qm_mismatches(catalogs.qm_path("cy"), catalog) == []
    qt_message = next(m for m in catalog if m.context and m.context.startswith("Q") and m.string)
    qt_message.string = "rhywbeth arall"
    assert catalogs._qm_mismatches(catalogs.qm_path("cy"), catalog) == [qt_message.id]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed (apt-get install gettext)")
@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_gnu_msgfmt_accepts_every_catalog(lang):
    """msgfmt -c checks each format flag against its translation: no flag may be wrong."""
    result = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(catalogs.po_path(lang))],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_no_source_string_reads_as_a_printf_format():
    """A literal "95 %" in a source string is flagged python-format and then checked as one."""
    for m in catalogs.extract():
        if m.id and "python-format" in m.flags:
            source = m.id[0] if isinstance(m.id, tuple) else m.id
            assert re.search(r"%\(\w+\)[sdr]|%[sdr]", source), source

# Feminine nouns: soft mutation after "un" and "dwy" (but "un" leaves ll/rh alone), none after "tair",
# aspirate after "chwe". "rhes" (row) and "tudalen" (page) are feminine.
@pytest.mark.parametrize("n, row, page", [(0, "0 rhes", "0 tudalen"), (1, "1 rhes", "1 dudalen"), (2, "2 res", "2 dudalen"),
                                          (3, "3 rhes", "3 tudalen"), (4, "4 rhes", "4 tudalen"), (6, "6 rhes", "6 thudalen"),
                                          (8, "8 rhes", "8 tudalen"), (20, "20 rhes", "20 tudalen")])
def test_welsh_plurals_of_feminine_nouns(n, row, page):
    i18n.set_language("cy")
    assert i18n.ngettext("{n} row", "{n} rows", n).format(n=n) == row
    assert i18n.ngettext("{n} page", "{n} pages", n).format(n=n) == page


# Feminine nouns the catalog counts, as they follow 1, 2, 3 and 6 (the CLDR forms one, two, few, many).
FEMININE_AFTER = {
    "rhes": ("rhes", "res", "rhes", "rhes"),
    "tudalen": ("dudalen", "dudalen", "tudalen", "thudalen"),
    "tasg": ("dasg", "dasg", "tasg", "thasg"),
    "problem": ("broblem", "broblem", "problem", "phroblem"),
    "ysgol": ("ysgol", "ysgol", "ysgol", "ysgol"),
}


def test_every_plural_of_a_feminine_noun_mutates_as_a_feminine_noun():
    wrong = []
    for m in catalogs.load("cy"):
        if not isinstance(m.id, tuple):
            continue
        other = m.string[5]
        for radical, (one, two, few, many) in FEMININE_AFTER.items():
            if re.search(r"\{n\} " + radical + r"\b", other):
                for form, word in zip(m.string[1:5], (one, two, few, many)):
                    if not re.search(r"\{n\} " + word + r"\b", form):
                        wrong.append((m.id[0], form, word))
    assert wrong == []


# --- Welsh treated no less favourably than English ------------------------------------------------------

def test_short_dates_carry_the_full_year_in_both_languages():
    moment = dt.datetime(2026, 3, 5, 14, 3, tzinfo=dt.timezone.utc)
    for lang in ("cy", "en"):
        i18n.set_language(lang)
        assert i18n.format_date(moment.date(), "short") == "05/03/2026", lang
        assert i18n.format_datetime(moment, "short").startswith("05/03/2026"), lang
    i18n.set_language("cy")
    assert i18n.format_datetime(moment, "short") == "05/03/2026 14:03"


def test_percentages_have_no_space_in_either_language():
    for lang in ("cy", "en"):
        i18n.set_language(lang)
        assert i18n.format_percent(95, 0) == "95%"
        assert i18n.format_percent(92.5) == "92.5%"


UNIVERSAL_METAVARS = {"N", "ID", "ID,…", "URL", "JSON"}


def _metavars(parser):
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _metavars(sub)
        elif action.nargs != 0 and not action.choices and action.help is not argparse.SUPPRESS:
            yield parser.prog, action.metavar or (action.dest.upper() if action.option_strings else action.dest)
        elif not action.option_strings and action.choices and action.nargs != 0:
            yield parser.prog, action.metavar or action.dest  # a positional's name appears in its errors


def test_every_metavar_and_positional_name_is_translated():
    from vsm_desktop.cli import build_parser

    i18n.set_language("en")
    english = dict.fromkeys(m for _prog, m in _metavars(build_parser()))
    i18n.set_language("cy")
    welsh = list(_metavars(build_parser()))
    untranslated = [(prog, m) for prog, m in welsh if m in english and m not in UNIVERSAL_METAVARS]
    assert untranslated == []
    assert ("vsm-desktop show", "ID_DYSGWR") in welsh and ("vsm-desktop rate", "SGÔR") in welsh


def test_a_missing_positional_is_named_in_welsh():
    result = run_cli("show", env=cli_env(VSM_LANG="cy"))
    assert result.returncode == 2
    assert "mae angen y dadleuon canlynol: ID_DYSGWR" in result.stderr


@pytest.mark.parametrize("error, welsh", [
    (FileNotFoundError(2, "No such file or directory", "x.json"), "nid yw'r ffeil na'r ffolder yn bodoli"),
    (PermissionError(13, "Permission denied", "x.json"), "gwrthodwyd caniatâd"),
    (OSError(28, "No space left on device", "x.json"), "mae'r ddisg yn llawn"),
    (IsADirectoryError(21, "Is a directory", "x.json"), "ffolder yw hwn, nid ffeil"),
])
def test_common_operating_system_errors_are_welsh_sentences(error, welsh):
    from vsm_desktop.errors import describe_os_error

    i18n.set_language("cy")
    text = describe_os_error(error)
    assert text.startswith(welsh)
    assert text.endswith(f"(neges y system: {error.strerror})")  # the system's own words only as a detail
    i18n.set_language("en")
    assert error.strerror not in describe_os_error(error)


def test_the_command_line_says_why_a_file_cannot_be_read_in_welsh(tmp_path):
    env = cli_env(VSM_LANG="cy")
    missing = run_cli("import-json", tmp_path / "nid-yw-yma.json", "--store", tmp_path / "s.vsm", env=env)
    assert missing.returncode == 2
    assert "nid yw'r ffeil na'r ffolder yn bodoli (neges y system: No such file or directory)" in missing.stderr
    folder = run_cli("import-json", tmp_path, "--store", tmp_path / "s.vsm", env=env)
    assert folder.returncode == 2
    assert "ffolder yw hwn, nid ffeil" in folder.stderr
