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
