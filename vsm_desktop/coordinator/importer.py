"""Importing a cohort of learners from a CSV file (docs/import-csv.md describes the file).

Three steps, the same for the command line and the app's wizard:

1. `read_csv(data)` decodes the bytes (UTF-8 with or without a byte-order mark, UTF-16 with
   one, otherwise Windows-1252, which is said in a note) and splits the rows (comma,
   semicolon or tab, found by `csv.Sniffer`). A file that cannot be read is refused with the
   row where reading failed (`UnreadableFile`).
2. `check(store, table, mapping)` looks at every row before anything changes and returns a
   `Plan`: the learners to add, the rows that are already in the store (matched on UPN or
   social care id, so importing a file again adds nobody twice), and every problem by row and
   column (missing required values, bad dates, unknown schools, duplicate UPNs, …).
3. `run_import(store, table, mapping, valid_only)` checks again inside one transaction and
   adds the learners (and their current school). With problems and without `valid_only`,
   nothing is imported (`ImportProblems`); an error or a cancel half way rolls everything back.

Rows are numbered as a spreadsheet numbers them: the header is row 1.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..domain import model
from ..domain.model import ValidationError
from ..errors import ImportProblems, Interrupted, UnreadableFile, UsageError, describe_os_error
from ..files import looks_like_formula
from ..i18n import N_, _, format_number, ngettext
from ..pdf.lang import gettext_in

log = logging.getLogger(__name__)

SCHOOL, SCHOOL_START = "school", "school_start_date"
# What a column can hold: learner fields a CSV can carry (no free text with a language), and the
# current school (by name) with the date the learner started there.
LEARNER_FIELDS = tuple(
    f.name for f in model.entity("learners").fields if f.kind in ("str", "date", "enum") and f.lang_of is None)
TARGETS = LEARNER_FIELDS + (SCHOOL, SCHOOL_START)
EXTRA_LABELS = {SCHOOL: N_("Current school"), SCHOOL_START: N_("Started at the current school")}
# The reference is made from the social care id or the UPN when a file has none.
REQUIRED = ("legal_forename", "legal_surname", "date_of_birth", "legal_status")
IDENTIFIERS = ("reference", "upn", "social_care_id")
# Short forms people use in spreadsheets.
ENUM_ALIASES = {"gender": {"f": "female", "m": "male"}, "lang": {"cymraeg": "cy", "welsh": "cy", "saesneg": "en"}}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def _both_languages(label: str) -> tuple[str, str, str]:
    """A label as written in English and in Welsh, whatever the interface language."""
    return label, gettext_in("en", label), gettext_in("cy", label)


def target_label(name: str) -> str:
    if name in EXTRA_LABELS:
        return _(EXTRA_LABELS[name])
    return model.field_label("learners", name)


# --- reading the file -------------------------------------------------------------------

@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]      # (row number, values)
    encoding: str                          # "utf-8", "utf-8-sig", "utf-16" or "cp1252"
    delimiter: str
    notes: list[str] = field(default_factory=list)


def _row_at(prefix: str) -> int:
    """The row (line) on which the text after `prefix` starts."""
    return prefix.count("\n") + 1


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """The text, the encoding used, and a note when it was not UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        body = data[len(codecs.BOM_UTF8):]
        try:
            return body.decode("utf-8"), "utf-8-sig", []
        except UnicodeDecodeError as e:
            row = _row_at(body[:e.start].decode("utf-8"))
            raise UnreadableFile(_("Row {row} cannot be read: the file says it is UTF-8 but is not.").format(
                row=row)) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError:
            raise UnreadableFile(_("The file says it is UTF-16 but is not: it cannot be read.")) from None
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as e:
        first_bad = e.start
    _refuse_mixed_encodings(data)
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as e:
        row = _row_at(data[:e.start].decode("cp1252", errors="replace"))
        raise UnreadableFile(_(
            "Row {row} cannot be read: the file is neither UTF-8 nor Windows-1252. Save it from the "
            "spreadsheet as “CSV UTF-8” and try again.").format(row=row)) from None
    row = _row_at(data[:first_bad].decode("cp1252"))
    note = _("The file is not UTF-8 (row {row} is the first that is not); it was read as Windows-1252. "
             "Check that names with accents look right.").format(row=row)
    return text, "cp1252", [note]


def _refuse_mixed_encodings(data: bytes) -> None:
    """A file is read in one encoding only when every row reads in it: rows that are UTF-8 beside
    rows that are not would otherwise come in as “GwenllÃ¯an”."""
    utf8, other = [], []
    for number, line in enumerate(data.split(b"\n"), 1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8.append(number)
        except UnicodeDecodeError:
            other.append(number)
    if utf8 and other:
        raise UnreadableFile(_(
            "The file mixes two encodings: rows {utf8} are UTF-8 and rows {other} are not. Save the whole file "
            "from the spreadsheet as “CSV UTF-8” and try again.").format(
                utf8=_rows(utf8), other=_rows(other)))


def _rows(numbers: list[int]) -> str:
    shown = ", ".join(format_number(n) for n in numbers[:8])
    return shown + (" …" if len(numbers) > 8 else "")


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        header = text.split("\n", 1)[0]
        return max(",;\t", key=header.count)


def read_csv(data: bytes) -> Table:
    """Decodes and splits a CSV file; raises UnreadableFile naming the row where it fails."""
    text, encoding, notes = decode(data)
    if "\x00" in text:
        raise UnreadableFile(_("Row {row} cannot be read: the file holds binary data, not text. Is it a CSV file?").format(
            row=_row_at(text[:text.index("\x00")])))
    if not text.strip():
        raise UnreadableFile(_("The file is empty."))
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    headers: list[str] | None = None
    number = 0
    try:
        for values in reader:
            number += 1
            if headers is None:
                headers = [h.strip() for h in values]
                continue
            if not any(v.strip() for v in values):
                continue  # blank lines at the end of a spreadsheet's export
            rows.append((number, values))
    except csv.Error as e:
        raise UnreadableFile(_("Row {row} cannot be read: {reason}.").format(row=number + 1, reason=_csv_reason(e))) from None
    if not headers or not any(headers):
        raise UnreadableFile(_("Row 1 has no column names: the first row must name the columns."))
    if delimiter != ",":
        name = {";": _("semicolons"), "\t": _("tabs")}[delimiter]
        notes.append(_("Columns are separated by {separator}.").format(separator=name))
    return Table(headers, rows, encoding, delimiter, notes)


def read_file(path: str | Path) -> Table:
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise UsageError(_("Cannot read {path}: {reason}").format(path=path, reason=describe_os_error(e))) from None
    return read_csv(data)


# --- which column holds what --------------------------------------------------------------

# The template (docs/import-template.csv, written by "Save the template…": an installed app has
# no docs folder): the columns in the order people fill them, and two made-up learners showing
# the forms a value may take.
TEMPLATE_COLUMNS = ("reference", "legal_forename", "legal_surname", "preferred_name", "date_of_birth", "gender", "upn",
                    "social_care_id", "legal_status", "date_looked_after", "responsible_authority", "first_language",
                    "language_of_learning", "preferred_language", SCHOOL, SCHOOL_START)
TEMPLATE_ROWS = (
    ("L100001", "Siân", "Prosser", "", "2014-03-25", "female", "X999000000011", "SC-40211", "care_order", "2024-09-16",
     "Cyngor Sir Enghraifft", "cy", "welsh_medium", "cy", "", ""),
    ("", "Dafydd", "ap Gwilym", "Dai", "12/07/2011", "male", "", "SC-40212", "Voluntary accommodation (s.76)",
     "03/02/2025", "Example County Council", "en", "bilingual", "en", "", ""),
)


def template_bytes() -> bytes:
    """The CSV template, UTF-8 with a byte-order mark (so that a spreadsheet reads "â" as "â")."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_COLUMNS)
    writer.writerows(TEMPLATE_ROWS)
    return out.getvalue().encode("utf-8-sig")


def write_template(path: str | Path) -> None:
    Path(path).write_bytes(template_bytes())


def _key(text: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", text or "") if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", plain.casefold()).strip()


def auto_mapping(headers: list[str]) -> dict[str, str | None]:
    """Each header's field: by the field's name (as in the template) or its label in English
    or in Welsh."""
    names: dict[str, str] = {}
    for target in TARGETS:
        label = EXTRA_LABELS.get(target) or model.entity("learners").field(target).label
        for alias in (target, target.replace("_", " "), *_both_languages(label)):
            names.setdefault(_key(alias), target)
    for alias, target in (("unique pupil number", "upn"), ("dob", "date_of_birth"), ("forename", "legal_forename"),
                          ("first name", "legal_forename"), ("surname", "legal_surname"), ("school name", SCHOOL)):
        names.setdefault(alias, target)
    out: dict[str, str | None] = {}
    taken: set[str] = set()
    for header in headers:
        target = names.get(_key(header))
        out[header] = target if target and target not in taken else None
        if target:
            taken.add(target)
    return out


def parse_mapping(text: str, headers: list[str]) -> dict[str, str | None]:
    """A mapping given on the command line: a JSON file ({"column": "field"}) or
    "column=field,column=field". Columns not named keep their automatic field."""
    path = Path(text)
    if text.endswith(".json") or path.is_file():
        try:
            given = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise UsageError(_("Cannot read the mapping {path}: {reason}").format(
                path=text, reason=describe_os_error(e) if isinstance(e, OSError) else _("it is not JSON"))) from None
        if not isinstance(given, dict):
            raise UsageError(_("The mapping {path} must be a JSON object of column names and fields.").format(path=text))
    else:
        given = {}
        for pair in filter(None, (p.strip() for p in text.split(","))):
            column, sep, target = pair.partition("=")
            if not sep:
                raise UsageError(_("“{pair}” in the mapping is not COLUMN=FIELD.").format(pair=pair))
            given[column.strip()] = target.strip() or None
    mapping = auto_mapping(headers)
    for column, target in given.items():
        if column not in headers:
            raise UsageError(_("The mapping names a column the file does not have: “{column}”.").format(column=column))
        if target is not None and target not in TARGETS:
            raise UsageError(_("“{field}” is not a field that can be imported. Fields: {fields}.").format(
                field=target, fields=", ".join(TARGETS)))
        for other, current in mapping.items():
            if current == target and other != column:
                mapping[other] = None
        mapping[column] = target
    return mapping


# --- checking -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    row: int
    column: str      # the file's header ("" when the problem is the whole row)
    message: str

    def describe(self) -> str:
        if self.column:
            return _("Row {row}, column “{column}”: {problem}").format(row=self.row, column=self.column, problem=self.message)
        return _("Row {row}: {problem}").format(row=self.row, problem=self.message)


@dataclass
class NewLearner:
    row: int
    values: dict
    school_id: str | None
    school_start: str | None


@dataclass
class Plan:
    total: int                                   # data rows in the file
    new: list[NewLearner] = field(default_factory=list)
    matched: list[tuple[int, str]] = field(default_factory=list)   # (row, learner id) already in the store
    problems: list[Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)               # columns not imported
    notes: list[str] = field(default_factory=list)

    @property
    def problem_rows(self) -> int:
        return len({p.row for p in self.problems})


@dataclass(frozen=True)
class Result:
    created: int
    matched: int
    skipped: int       # rows with problems, left out (valid_only)


def _parse_date(text: str) -> str | None:
    for form in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, form).date().isoformat()
        except ValueError:
            continue
    return None


def _parse_enum(enum: str, text: str) -> str | None:
    key = _key(text)
    values = model.ENUMS[enum]
    for value, label in values.items():
        if key == _key(value) or key in {_key(text) for text in _both_languages(label)}:
            return value
    alias = ENUM_ALIASES.get(enum, {}).get(key)
    return alias if alias in values else None


def _index(store) -> tuple[dict, dict, dict, dict]:
    schools: dict[str, list[str]] = {}
    for sid, name in store.conn.execute("SELECT id, name FROM schools"):
        schools.setdefault(_key(name), []).append(sid)
    upns, care_ids, references = {}, {}, {}
    for lid, upn, care_id, reference in store.conn.execute("SELECT id, upn, social_care_id, reference FROM learners"):
        if upn:
            upns[upn.upper()] = lid
        if care_id:
            care_ids[_key(care_id)] = lid
        references[reference] = lid
    return schools, upns, care_ids, references


def check(store, table: Table, mapping: dict[str, str | None], today: dt.date | None = None) -> Plan:
    """Every problem in the file, and what importing it would do; changes nothing."""
    today = today or dt.date.today()
    plan = Plan(total=len(table.rows), notes=list(table.notes))
    columns = {target: i for i, (header, target) in enumerate(zip(table.headers, mapping_list(table, mapping))) if target}
    header_of = {target: table.headers[i] for target, i in columns.items()}
    plan.ignored = [h for h, t in zip(table.headers, mapping_list(table, mapping)) if not t]
    if plan.ignored:
        plan.notes.append(_("These columns are not imported: {columns}.").format(
            columns=", ".join(f"“{h}”" for h in plan.ignored if h) or "—"))
    for target in REQUIRED:
        if target not in columns:
            plan.problems.append(Problem(1, "", _("no column holds “{field}”, which every learner needs").format(
                field=target_label(target))))
    if not any(t in columns for t in IDENTIFIERS):
        plan.problems.append(Problem(1, "", _("no column holds a learner reference, a UPN or a social care id")))
    if plan.problems:
        return plan  # every row would repeat the same problem

    schools, upns, care_ids, references = _index(store)
    seen: dict[str, dict[str, int]] = {"upn": {}, "social_care_id": {}, "reference": {}}
    width = len(table.headers)
    for number, raw in table.rows:
        problems: list[Problem] = []

        def problem(target: str, message: str) -> None:
            problems.append(Problem(number, header_of.get(target, ""), message))

        if len(raw) > width:
            problems.append(Problem(number, "", _("the row has {n} values but the header names {m} columns").format(
                n=len(raw), m=width)))
        cell = {t: (raw[i].strip() if i < len(raw) else "") for t, i in columns.items()}
        refused = set()
        for target, i in columns.items():
            # A name that a spreadsheet would run as a formula is not a name (OWASP: CSV injection).
            if i < len(raw) and looks_like_formula(raw[i]) and (
                    target == SCHOOL or model.entity("learners").field(target).kind == "str"):
                problem(target, _("“{value}” starts like a spreadsheet formula (=, +, -, @): it is not "
                                  "imported").format(value=raw[i].strip()[:40]))
                cell[target] = ""
                refused.add(target)
        values: dict = {}
        for target, text in cell.items():
            if target in (SCHOOL, SCHOOL_START) or not text:
                continue
            f = model.entity("learners").field(target)
            if f.kind == "date":
                parsed = _parse_date(text)
                if parsed is None:
                    problem(target, _("“{value}” is not a date (write 2014-03-25 or 25/03/2014)").format(value=text))
                    continue
                values[target] = parsed
            elif f.kind == "enum":
                parsed = _parse_enum(f.enum, text)
                if parsed is None:
                    allowed = ", ".join(_(label) for label in model.ENUMS[f.enum].values())
                    problem(target, _("“{value}” is not one of: {allowed}").format(value=text, allowed=allowed))
                    continue
                values[target] = parsed
            elif target == "upn":
                values[target] = text.upper().replace(" ", "")
            else:
                values[target] = text
        for target in REQUIRED:
            if not cell.get(target) and target not in refused:
                problem(target, _("a value is required"))
        if not values.get("reference"):
            made = values.get("social_care_id") or values.get("upn")
            if made:
                values["reference"] = made
            elif not any(cell.get(t) for t in IDENTIFIERS) and not refused & set(IDENTIFIERS):
                problems.append(Problem(number, "", _("the learner needs a reference, a UPN or a social care id")))
        # The model's own rules for whatever parsed (formats, lengths, dates in the future).
        for target, value in list(values.items()):
            try:
                values[target] = model.validate_field("learners", target, value, today)
            except ValidationError as e:
                problem(target, e.message)
                values.pop(target)

        school_id = school_start = None
        if cell.get(SCHOOL):
            found = schools.get(_key(cell[SCHOOL]), [])
            if not found:
                problem(SCHOOL, _("there is no school called “{name}” in this store").format(name=cell[SCHOOL]))
            elif len(found) > 1:
                problem(SCHOOL, _("more than one school is called “{name}”").format(name=cell[SCHOOL]))
            else:
                school_id = found[0]
            if SCHOOL_START not in columns:
                problem(SCHOOL, _("the file has no column for the date the learner started at the school"))
            elif not cell.get(SCHOOL_START):
                problem(SCHOOL_START, _("give the date the learner started at the school"))
        if cell.get(SCHOOL_START):
            school_start = _parse_date(cell[SCHOOL_START])
            if school_start is None:
                problem(SCHOOL_START, _("“{value}” is not a date (write 2014-03-25 or 25/03/2014)").format(
                    value=cell[SCHOOL_START]))
            elif not cell.get(SCHOOL) and SCHOOL not in refused:
                problem(SCHOOL, _("name the school the learner started at"))

        # The same learner twice in the file.
        for target, key in (("upn", values.get("upn")), ("social_care_id", _key(values.get("social_care_id") or "")),
                            ("reference", values.get("reference"))):
            if not key:
                continue
            first = seen[target].setdefault(key, number)
            if first != number:
                problem(target, _("the same as row {row}: a learner can be in the file only once").format(row=first))

        # Already in the store?
        by_upn = upns.get(values.get("upn") or "")
        by_care = care_ids.get(_key(values.get("social_care_id") or ""))
        if by_upn and by_care and by_upn != by_care:
            problem("social_care_id", _("the UPN and the social care id belong to two different learners in this store"))
        existing = by_upn or by_care
        owner = references.get(values.get("reference") or "")
        if owner and owner != existing:
            problem("reference", _("another learner in this store already has the reference “{reference}”").format(
                reference=values["reference"]))

        if problems:
            plan.problems.extend(problems)
        elif existing:
            plan.matched.append((number, existing))
        else:
            try:
                model.check_rules("learners", {f: values.get(f) for f in model.entity("learners").by_name})
            except ValidationError as e:
                plan.problems.append(Problem(number, header_of.get(e.field, ""), e.message))
                continue
            plan.new.append(NewLearner(number, values, school_id, school_start))
    return plan


def _csv_reason(error: csv.Error) -> str:
    """Python's csv module explains itself in English: say it in the interface language."""
    text = str(error)
    if "NUL" in text:
        return _("it holds a NUL character, so it is not a text file")
    if "field limit" in text:
        return _("one of its values is too long to be a field of a learner's record")
    return _("it is not valid CSV (perhaps a quotation mark that is never closed)")


def problems_sentence(plan: Plan) -> str:
    return ngettext("{n} row has problems; nothing was imported.", "{n} rows have problems; nothing was imported.",
                    plan.problem_rows).format(n=format_number(plan.problem_rows))


def result_lines(result) -> list[str]:
    """What an import did, in sentences (the command line and the wizard say the same)."""
    lines = [ngettext("Imported {n} learner.", "Imported {n} learners.", result.created)
             .format(n=format_number(result.created))]
    if result.matched:
        lines.append(ngettext("{n} learner was already in the store and was left as it is.",
                              "{n} learners were already in the store and were left as they are.",
                              result.matched).format(n=format_number(result.matched)))
    if result.skipped:
        lines.append(ngettext("{n} row with problems was left out.", "{n} rows with problems were left out.",
                              result.skipped).format(n=format_number(result.skipped)))
    return lines


def mapping_list(table: Table, mapping: dict[str, str | None]) -> list[str | None]:
    return [mapping.get(h) for h in table.headers]


def run_import(store, table: Table, mapping: dict[str, str | None], valid_only: bool = False, *,
               progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> tuple[Plan, Result]:
    """Checks the file again and, in one transaction, adds its new learners: all of them, or with
    `valid_only` those on rows without problems. Nothing is written when there are problems and
    `valid_only` is false (ImportProblems), or when the work fails or is cancelled half way."""
    with store.transaction():
        plan = check(store, table, mapping)
        if plan.problems and (not valid_only or any(p.row == 1 for p in plan.problems)):
            raise ImportProblems(problems_sentence(plan), plan)
        total = len(plan.new)
        for done, learner in enumerate(plan.new, 1):
            if cancelled is not None and cancelled():
                raise Interrupted(_("The import was cancelled; nothing was imported."))
            learner_id = store.create("learners", learner.values)
            if learner.school_id:
                store.create("enrolments", {"learner_id": learner_id, "school_id": learner.school_id,
                                            "start_date": learner.school_start})
            if progress is not None:
                progress(done, total)
    log.info("imported %d learners (%d already there, %d rows left out)", total, len(plan.matched), plan.problem_rows)
    return plan, Result(total, len(plan.matched), plan.problem_rows)
