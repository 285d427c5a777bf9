"""Importing a cohort from CSV: every problem reported by row and column before anything changes,
all or nothing (or only the valid rows), no duplicates on a second import, the encodings and
separators spreadsheets write, and an interrupted import that leaves the store as it was.
Real stores, the real command line, and a real process killed half way."""

from __future__ import annotations

import codecs
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from vsm_desktop.coordinator import importer
from vsm_desktop.errors import ImportProblems, Interrupted, UnreadableFile
from vsm_desktop.store.store import Store

from conftest import PASSPHRASE, REPO, add_learner, cli_env, file_hash, run_cli

HEADER = "reference,legal_forename,legal_surname,date_of_birth,upn,social_care_id,legal_status,school,school_start_date"
GOOD = [
    "R1,Siân,Prosser,2014-03-25,X999000000011,SC-1,care_order,Ysgol Glan Môr,2024-09-02",
    ",Dafydd,ap Gwilym,12/07/2011,,SC-2,Voluntary accommodation (s.76),,",
    "R3,Gwenllïan,Huws,2012-01-30,X999000000033,,Gorchymyn gofal,ysgol glan mor,02/09/2023",
]


@pytest.fixture
def school_store(store):
    store.create("schools", {"name": "Ysgol Glan Môr", "medium": "welsh_medium", "kind": "primary"})
    return store


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    text = "\r\n".join((header, *rows)) + "\r\n"
    if delimiter != ",":
        text = text.replace(",", delimiter)
    return text.encode(encoding)


def learners(store) -> list[tuple]:
    return store.conn.execute(
        "SELECT reference, legal_forename, legal_surname, upn, social_care_id, legal_status, date_of_birth"
        " FROM learners ORDER BY reference").fetchall()


def plan_for(store, data: bytes) -> importer.Plan:
    table = importer.read_csv(data)
    return importer.check(store, table, importer.auto_mapping(table.headers))


# --- the core -------------------------------------------------------------------------------

def test_a_good_file_goes_in_with_schools_and_a_second_import_adds_nobody(school_store):
    data = csv_bytes(*GOOD)
    table = importer.read_csv(data)
    plan, result = importer.run_import(school_store, table, importer.auto_mapping(table.headers))
    assert (result.created, result.matched, result.skipped) == (3, 0, 0)
    assert learners(school_store) == [
        ("R1", "Siân", "Prosser", "X999000000011", "SC-1", "care_order", "2014-03-25"),
        ("R3", "Gwenllïan", "Huws", "X999000000033", None, "care_order", "2012-01-30"),
        ("SC-2", "Dafydd", "ap Gwilym", None, "SC-2", "voluntary_s76", "2011-07-12"),
    ]
    enrolments = school_store.conn.execute(
        "SELECT l.reference, e.start_date FROM enrolments e JOIN learners l ON l.id = e.learner_id ORDER BY 1").fetchall()
    assert enrolments == [("R1", "2024-09-02"), ("R3", "2023-09-02")]
    ops_before = school_store.counts()["ops"]

    plan, result = importer.run_import(school_store, importer.read_csv(data), importer.auto_mapping(table.headers))
    assert (result.created, result.matched) == (0, 3)
    assert school_store.counts()["ops"] == ops_before  # nothing written at all
    # Matched on the UPN or the social care id alone, whatever the reference says.
    again = csv_bytes("NEWREF,Siân,Prosser,2014-03-25,x999 000000011,,care_order,,",
                      "OTHER,Dafydd,ap Gwilym,2011-07-12,,sc-2,care_order,,")
    plan = plan_for(school_store, again)
    assert plan.problems == [] and plan.new == [] and len(plan.matched) == 2


def test_every_problem_is_reported_by_row_and_column_and_nothing_changes(school_store):
    add_learner(school_store, "TAKEN", upn="X999000000099")
    rows = [
        GOOD[0],
        "R2,Aled,,2014-02-30,X999000000022,,care_order,,",                 # no surname, 30 February
        "R3,Cerys,Lloyd,2013-05-05,X999000000011,,care_order,,",           # R1's UPN
        "R4,Elis,Owen,2013-05-05,,,care_order,Ysgol Nad Yw'n Bod,2024-09-02",  # unknown school
        "TAKEN,Nia,Rees,2013-05-05,,SC-9,adopted,,",                       # a reference in use
        "R6,Osian,Price,2099-01-01,BAD,,in care,,",                        # future, format, not a status
        "R7,Mali,Jones,2013-05-05,,,care_order,Ysgol Glan Môr,",           # no start date
    ]
    plan = plan_for(school_store, csv_bytes(*rows))
    found = {(p.row, p.column) for p in plan.problems}
    assert found == {
        (3, "legal_surname"), (3, "date_of_birth"), (4, "upn"), (5, "school"), (6, "reference"),
        (7, "date_of_birth"), (7, "upn"), (7, "legal_status"), (8, "school_start_date"),
    }
    duplicate = next(p for p in plan.problems if p.row == 4)
    assert "row 2" in duplicate.message
    assert "Row 5, column “school”: " in next(p for p in plan.problems if p.row == 5).describe()
    assert [n.row for n in plan.new] == [2] and plan.problem_rows == 6

    before = learners(school_store)
    table = importer.read_csv(csv_bytes(*rows))
    with pytest.raises(ImportProblems) as caught:
        importer.run_import(school_store, table, importer.auto_mapping(table.headers))
    assert caught.value.exit_code == 13 and caught.value.plan.problem_rows == 6
    assert learners(school_store) == before

    plan, result = importer.run_import(school_store, table, importer.auto_mapping(table.headers), valid_only=True)
    assert (result.created, result.skipped) == (1, 6)
    assert [r[0] for r in learners(school_store)] == ["R1", "TAKEN"]


def test_a_file_without_the_required_columns_is_one_problem_not_one_per_row(store):
    plan = plan_for(store, csv_bytes("Siân,Prosser", "Aled,Owen", header="legal_forename,legal_surname"))
    assert [(p.row, p.column) for p in plan.problems] == [(1, "")] * 3  # date of birth, legal status, an id
    assert "Date of birth" in plan.problems[0].message


def test_windows_1252_with_welsh_accents_is_read_and_said(school_store):
    data = csv_bytes(GOOD[1], GOOD[2], encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    table = importer.read_csv(data)
    assert table.encoding == "cp1252"
    assert any("Windows-1252" in note and "row 3" in note for note in table.notes)
    importer.run_import(school_store, table, importer.auto_mapping(table.headers))
    assert {r[1] for r in learners(school_store)} == {"Dafydd", "Gwenllïan"}


def test_bom_semicolons_labels_and_extra_columns(school_store):
    header = "Learner reference;Enw cyntaf cyfreithiol;Legal surname;Date of birth;UPN;Legal status;Notes;Key worker"
    rows = ["R1;Siân;Prosser;25/03/2014;X999000000011;Care order;likes football;Ann", "R2;Aled;Owen;2013-01-01;;adopted;;"]
    data = codecs.BOM_UTF8 + csv_bytes(*rows, header=header)
    table = importer.read_csv(data)
    assert (table.encoding, table.delimiter) == ("utf-8-sig", ";")
    mapping = importer.auto_mapping(table.headers)
    assert mapping["Learner reference"] == "reference" and mapping["UPN"] == "upn"
    plan = importer.check(school_store, table, mapping)
    assert mapping["Enw cyntaf cyfreithiol"] == "legal_forename"  # the Welsh label, in an English interface
    plan = importer.check(school_store, table, mapping)
    assert plan.ignored == ["Notes", "Key worker"] and plan.problems == []
    assert any("“Notes”" in note and "“Key worker”" in note for note in plan.notes)
    # A column mapped by hand to nothing is not imported either.
    mapping = importer.parse_mapping("Legal surname=,Key worker=preferred_name", table.headers)
    assert mapping["Legal surname"] is None and mapping["Key worker"] == "preferred_name"
    assert [(p.row, p.column) for p in importer.check(school_store, table, mapping).problems] == [(1, "")]
    plan, result = importer.run_import(school_store, table, importer.auto_mapping(table.headers))
    assert result.created == 2 and learners(school_store)[0][:3] == ("R1", "Siân", "Prosser")


@pytest.mark.parametrize("data, row", [
    (b"reference,legal_forename\r\nR1,Si\xe2n\r\nR2,Bad\x81byte\r\n", 3),       # not cp1252 either
    (b"reference,legal_forename\r\nR1,Ann\r\nR2,\x00\x01\x02\r\n", 3),           # binary
    (b'reference,legal_forename\r\nR1,Ann\r\nR2,"never closed\r\n', 3),         # a quote never closed
    (codecs.BOM_UTF8 + b"reference,legal_forename\r\nR1,Si\xe2n\r\n", 2),      # says UTF-8, is not
])
def test_an_unreadable_file_is_refused_naming_the_row(data, row):
    with pytest.raises(UnreadableFile) as caught:
        importer.read_csv(data)
    assert f"Row {row} " in str(caught.value)
    assert "unexpected end of data" not in str(caught.value), "csv's own English is not shown"


def test_a_failure_at_the_last_row_leaves_the_store_as_it_was(school_store):
    table = importer.read_csv(csv_bytes(*GOOD))
    before, ops = learners(school_store), school_store.counts()["ops"]

    def fail_at_the_end(done, total):
        if done == total:
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        importer.run_import(school_store, table, importer.auto_mapping(table.headers), progress=fail_at_the_end)
    assert learners(school_store) == before and school_store.counts()["ops"] == ops
    with pytest.raises(Interrupted):
        importer.run_import(school_store, table, importer.auto_mapping(table.headers), cancelled=lambda: True)
    assert learners(school_store) == before


KILLED_IMPORT = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, {repo!r})
    from vsm_desktop.coordinator import importer
    from vsm_desktop.store.store import Store
    store = Store.open(sys.argv[1], os.environ["VSM_PASSPHRASE"])
    table = importer.read_file(sys.argv[2])
    def progress(done, total):
        if done == total // 2:
            print("half", flush=True)
            time.sleep(60)
    importer.run_import(store, table, importer.auto_mapping(table.headers), progress=progress)
""")


def test_an_import_killed_half_way_leaves_the_store_as_it_was(store_path, store, tmp_path):
    add_learner(store, "L000001")
    store.close()
    rows = [f"K{i:04d},Name{i},Surname{i},2012-01-01,,SC-{i},care_order,," for i in range(400)]
    source = tmp_path / "cohort.csv"
    source.write_bytes(csv_bytes(*rows))
    script = tmp_path / "killed_import.py"
    script.write_text(KILLED_IMPORT.format(repo=str(REPO)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), str(store_path), str(source)], stdout=subprocess.PIPE,
                            text=True, env=cli_env())
    try:
        assert proc.stdout.readline().strip() == "half"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    with Store.open(store_path, PASSPHRASE) as reopened:
        assert [r[0] for r in learners(reopened)] == ["L000001"]
        assert reopened.counts()["learners"] == 1
    result = run_cli("import-csv", "--store", store_path, source)
    assert result.returncode == 0, result.stderr
    assert "Imported 400 learners." in result.stdout


# --- the command line -------------------------------------------------------------------------

def test_cli_all_or_nothing_then_valid_only_then_idempotent(store_path, school_store, tmp_path):
    school_store.close()
    source = tmp_path / "cohort.csv"
    source.write_bytes(csv_bytes(*GOOD, "R9,Heledd,,2013-01-01,,,care_order,,"))
    before = file_hash(store_path)

    result = run_cli("import-csv", "--store", store_path, source)
    assert result.returncode == 13
    assert "Row 5, column “legal_surname”: a value is required" in result.stdout
    assert "nothing was imported" in result.stderr
    assert file_hash(store_path) == before

    assert run_cli("import-csv", "--store", store_path, source, "--check").returncode == 13
    result = run_cli("import-csv", "--store", store_path, source, "--valid-only")
    assert result.returncode == 0, result.stderr
    assert "Imported 3 learners." in result.stdout and "1 row with problems was left out." in result.stdout
    result = run_cli("import-csv", "--store", store_path, source, "--valid-only")
    assert "Imported 0 learners." in result.stdout and "3 learners were already in the store" in result.stdout
    with Store.open(store_path, PASSPHRASE) as reopened:
        assert reopened.counts()["learners"] == 3


def test_cli_template_mapping_and_unreadable_file(store_path, store, tmp_path):
    store.close()
    result = run_cli("import-csv", "--store", store_path, REPO / "docs" / "import-template.csv")
    assert result.returncode == 0, result.stderr
    assert "Imported 2 learners." in result.stdout

    source = tmp_path / "other.csv"
    source.write_text("Ref;Forename;Family name;DOB;Status\r\nQ1;Ann;Lewis;01/02/2013;adopted\r\n", encoding="utf-8")
    result = run_cli("import-csv", "--store", store_path, source, "--mapping", "Ref=reference,Family name=legal_surname,Status=legal_status")
    assert result.returncode == 0, result.stdout + result.stderr
    result = run_cli("import-csv", "--store", store_path, source, "--mapping", "Ref=nonsense")
    assert result.returncode == 2 and "nonsense" in result.stderr

    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"reference,legal_forename\r\nR1,Ann\r\nR2,\x00\x01\r\n")
    result = run_cli("import-csv", "--store", store_path, broken)
    assert result.returncode == 14 and "Row 3 " in result.stderr

    result = run_cli("--lang", "cy", "import-csv", "--store", store_path, tmp_path / "missing.csv")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_a_school_without_a_start_date_column_says_so(school_store):
    header = "reference,legal_forename,legal_surname,date_of_birth,legal_status,school"
    plan = plan_for(school_store, csv_bytes("R1,Siân,Prosser,2014-03-25,care_order,Ysgol Glan Môr",
                                            "R2,Aled,Owen,2013-01-01,adopted,", header=header))
    assert [(p.row, p.column) for p in plan.problems] == [(2, "school")]
    assert "no column for the date" in plan.problems[0].message and [n.row for n in plan.new] == [3]


def test_a_file_mixing_utf8_and_windows_1252_rows_is_refused_naming_the_rows(school_store, store_path, tmp_path):
    """Read as Windows-1252, the UTF-8 row would be stored as “GwenllÃ¯an LlÅ·r”."""
    data = (HEADER + "\r\n").encode() + (GOOD[0] + "\r\n").encode("cp1252") + \
        "R4,Gwenllïan,Llŷr,2012-01-30,,SC-4,care_order,,\r\n".encode("utf-8")
    with pytest.raises(UnreadableFile) as caught:
        importer.read_csv(data)
    assert "rows 3 are UTF-8 and rows 2 are not" in str(caught.value)
    school_store.close()
    path = tmp_path / "mixed.csv"
    path.write_bytes(data)
    before = file_hash(store_path)
    result = run_cli("import-csv", "--store", store_path, path)
    assert result.returncode == 14 and "mixes two encodings" in result.stderr
    assert file_hash(store_path) == before


@pytest.mark.parametrize("column, value", [
    ("legal_forename", "=HYPERLINK(\"http://evil.invalid\",\"Siân\")"),
    ("legal_surname", "+cmd|' /C calc'!A0"),
    ("reference", "@SUM(1+1)"),
    ("school", "-2+3+cmd|' /C calc'!A0"),
    ("legal_forename", "\tSiân"),
])
def test_a_cell_a_spreadsheet_would_run_is_refused_naming_its_row(school_store, column, value):
    columns = HEADER.split(",")
    row = GOOD[0].split(",")
    row[columns.index(column)] = '"' + value.replace('"', '""') + '"'
    plan = plan_for(school_store, csv_bytes(",".join(row), GOOD[2]))
    (problem,) = plan.problems
    assert problem.row == 2 and "spreadsheet formula" in problem.message
    assert len(plan.new) == 1, "the other row is fine"
