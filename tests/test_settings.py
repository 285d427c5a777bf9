"""Settings an IT team presets in the machine-wide file (packaging/README.md documents them), what a
user may change over them, and the local authority's school calendar."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from vsm_desktop import settings
from vsm_desktop.domain import calendar as cal
from vsm_desktop.domain.calendar import SchoolCalendar, calendar_from_json, default_calendar, default_terms

from conftest import PASSPHRASE, add_learner, cli_env, run_cli

D = dt.date.fromisoformat
AUTHORITY_2026 = [
    {"name": "autumn", "start": "2026-09-01", "end": "2026-12-18", "half_term": ["2026-10-26", "2026-10-30"]},
    {"name": "spring", "start": "2027-01-04", "end": "2027-03-26", "half_term": ["2027-02-15", "2027-02-19"]},
    {"name": "summer", "start": "2027-04-12", "end": "2027-07-20", "half_term": ["2027-05-31", "2027-06-04"]},
]


@pytest.fixture
def files(tmp_path, monkeypatch):
    machine, user = tmp_path / "machine.json", tmp_path / "user.json"
    monkeypatch.setenv("VSM_MACHINE_SETTINGS", str(machine))
    monkeypatch.setenv("VSM_USER_SETTINGS", str(user))
    default_calendar.cache_clear()
    yield machine, user
    default_calendar.cache_clear()


def write(path, data) -> None:
    path.write_text(json.dumps(data), encoding="utf-8")


def test_machine_file_presets_every_key_and_the_user_changes_what_is_not_locked(files):
    machine, user = files
    write(machine, {"language": "cy", "idle_lock_minutes": 10, "sync_server": "https://sync.example.invalid",
                    "ca_bundle": "C:\\ProgramData\\vsm-desktop\\ca.pem", "locked": ["sync_server", "ca_bundle"]})
    s = settings.load()
    assert (s.language, s.idle_lock_minutes, s.sync_server, s.ca_bundle) == (
        "cy", 10.0, "https://sync.example.invalid", "C:\\ProgramData\\vsm-desktop\\ca.pem")
    write(user, {"language": "en", "idle_lock_minutes": 2, "sync_server": "https://elsewhere.invalid", "ca_bundle": None})
    s = settings.load()
    assert (s.language, s.idle_lock_minutes) == ("en", 2.0), "the user's choice wins where nothing is locked"
    assert (s.sync_server, s.ca_bundle) == ("https://sync.example.invalid", "C:\\ProgramData\\vsm-desktop\\ca.pem")

    s.language = "cy"
    settings.save(s)
    written = json.loads(user.read_text(encoding="utf-8"))
    assert written["language"] == "cy"
    assert "sync_server" not in written and "ca_bundle" not in written and "locked" not in written
    assert json.loads(machine.read_text(encoding="utf-8"))["language"] == "cy", "the machine file is never written"


def test_values_out_of_range_or_of_the_wrong_kind_are_ignored(files):
    machine, _user = files
    write(machine, {"language": "fr", "idle_lock_minutes": 0, "sync_server": 42, "locked": "language"})
    s = settings.load()
    assert (s.language, s.idle_lock_minutes, s.sync_server, s.locked) == (None, 5.0, None, [])
    machine.write_text("{ not json", encoding="utf-8")
    assert settings.load() == settings.Settings()


def test_authority_terms_replace_the_usual_pattern_for_the_years_they_list():
    authority = calendar_from_json({"terms": {"2026": AUTHORITY_2026}, "closures": ["2026-09-01"]})
    usual = SchoolCalendar()
    assert authority.is_school_day(D("2027-07-20")) and not usual.is_school_day(D("2027-07-20"))
    assert not authority.is_school_day(D("2026-09-01")), "an INSET day closes the schools"
    assert authority.is_school_day(D("2026-09-02"))
    # A review after a meeting in the autumn is due by the end of the spring term: the authority's.
    assert authority.review_due(D("2026-10-01")) == D("2027-03-26")
    assert usual.review_due(D("2026-10-01")) == D("2027-03-19")
    assert authority.terms(2027) == tuple(default_terms(2027)), "a year not listed follows the usual pattern"


@pytest.mark.parametrize("data, words", [
    ({"terms": {"2026": [AUTHORITY_2026[0] | {"start": "2026-13-01"}]}}, ["2026/27", "autumn", "2026-13-01", "YYYY-MM-DD"]),
    ({"terms": {"2026": [AUTHORITY_2026[0], AUTHORITY_2026[0]]}}, ["2026/27", "overlap"]),
    ({"terms": {"2026": [AUTHORITY_2026[1] | {"half_term": ["2027-03-29", "2027-04-02"]}]}}, ["spring", "half-term"]),
    ({"terms": {"2026": [AUTHORITY_2026[0] | {"name": "winter"}]}}, ["autumn, spring or summer"]),
    ({"terms": {"2026": [AUTHORITY_2026[2] | {"end": "2027-08-20"}]}}, ["summer", "July 2027"]),
    ({"terms": {"26": AUTHORITY_2026}}, ["“26”"]),
    ({"terms": {"2026": AUTHORITY_2026}, "closures": "2026-09-01"}, ["closures"]),
    (["2026-09-01"], ["terms", "closures"]),
])
def test_a_wrong_calendar_is_refused_with_a_sentence_that_says_where(data, words):
    with pytest.raises(ValueError) as refused:
        calendar_from_json(data)
    for word in words:
        assert word in str(refused.value)


def test_the_machine_file_calendar_becomes_the_default_calendar(files):
    machine, user = files
    assert settings.machine_calendar() == (None, None)
    write(user, {"calendar": {"terms": {"2026": AUTHORITY_2026}}})
    assert settings.machine_calendar() == (None, None), "only the machine file speaks for the authority"
    write(machine, {"calendar": {"terms": {"2026": AUTHORITY_2026}, "closures": ["2026-09-01"]}})
    assert default_calendar().is_school_day(D("2027-07-20"))
    assert not default_calendar().is_school_day(D("2026-09-01"))


def test_a_wrong_machine_calendar_is_reported_and_the_usual_one_used(files):
    machine, _user = files
    write(machine, {"calendar": {"terms": {"2026": [AUTHORITY_2026[0] | {"end": "2026-08-31"}]}}})
    calendar, problem = settings.machine_calendar()
    assert calendar is None and "2026/27, autumn" in problem
    assert not default_calendar().is_school_day(D("2027-07-20"))
    assert cal.default_calendar().terms(2026) == tuple(default_terms(2026))


def test_the_command_line_counts_due_dates_in_the_authority_calendar(tmp_path, store):
    add_learner(store, "L000001", date_looked_after="2026-09-07")
    store.close()
    machine = tmp_path / "machine.json"

    def next_due() -> str:
        result = run_cli("learners", "--store", store.path, "--json",
                         env=cli_env(VSM_MACHINE_SETTINGS=str(machine), VSM_USER_SETTINGS=str(tmp_path / "user.json")))
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)[0]["next_due"]

    # The first PEP is due within 20 school days: Monday 5 October in the usual calendar...
    assert next_due() == "2026-10-05"
    # ...and three INSET days later where the authority closes its schools on three of them.
    write(machine, {"calendar": {"closures": ["2026-09-14", "2026-09-15", "2026-10-02"]}})
    assert next_due() == "2026-10-08"
