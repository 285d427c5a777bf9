"""`model.validate_record` checks usual values through quick per-kind checks (a first pull
checks about 80,000 records): property test against the field-by-field `_validate`, which the
quick checks must agree with on every value, stored form or not, accepted or refused (same
stored form, or the same error naming the same field with the same message)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings, strategies as st

from vsm_desktop.domain import model

TODAY = dt.date(2026, 3, 14)


def _reference(entity_name: str, row: dict, today: dt.date | None) -> dict:
    """validate_record as it was before the quick checks: every field through `_validate`."""
    ent = model.entity(entity_name)
    unknown = set(row) - set(ent.by_name) - {"id"}
    if unknown:
        raise model.ValidationError(entity_name, sorted(unknown)[0], "unknown field")
    clean = {f.name: None if (v := row.get(f.name)) is None and not f.required else model._validate(ent, f, v, today)
             for f in ent.fields}
    model.check_rules(entity_name, clean)
    return clean


def _outcome(call):
    try:
        return ("ok", call())
    except model.ValidationError as e:
        return ("refused", e.entity, e.field, e.message)
    except Exception as e:  # noqa: BLE001 - compared, not hidden
        return ("error", type(e).__name__)


TEXTS = st.sampled_from(["", " ", "  \t", "Celf", " Celf ", "Ysgol y Graig", "x" * 200, "x" * 201, "a" * 20_001,
                         "draft", "finalised", "green", "welsh_medium", "primary", "cy", "en", "abc_def",
                         "2024-09-01", "2024-02-30", "1899-12-31", "1900-01-01", "2027-01-01", "20240901",
                         "2024-W36-1", "２０２４-09-01", "2024-09-01T10:00:00+01:00", "2024-09-01T10:00:00",
                         "2024-09-01 10:00:00Z", "1" * 32, "a" * 32, "A" * 32, "g" * 32, "0" * 64])
VALUES = st.one_of(st.none(), TEXTS, st.text(max_size=12), st.booleans(),
                   st.integers(-5, 200), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from([0.0, -0.0, 12.5, 100.0, 100.5, 40]))


def _usual(f: model.Field):
    """A value of the field's kind in its stored form."""
    return {"str": "Celf", "text": "Testun", "bool": False, "int": int(f.minimum or 0) + 1,
            "money": int(f.minimum or 0) + 1, "pct": 50.0, "decimal": float(f.minimum or 0) + 1.5,
            "date": "2020-01-31", "datetime": "2020-01-31T09:00:00+00:00", "ref": "1" * 32,
            "enum": sorted(model.ENUMS[f.enum])[0] if f.enum else None}[f.kind]


@st.composite
def rows(draw):
    """A record of every field in its usual form, some of them replaced by anything: each field
    is checked (a missing required field would end the checks before the others)."""
    ent = draw(st.sampled_from(sorted(model.ENTITIES)))
    fields = model.ENTITIES[ent].fields
    row = {f.name: _usual(f) for f in fields if not f.pattern}
    row = {k: v for k, v in row.items() if draw(st.integers(0, 3)) or model.ENTITIES[ent].by_name[k].required}
    for name in draw(st.lists(st.sampled_from([f.name for f in fields] + ["id", "not_a_field"]), max_size=3,
                              unique=True)):
        f = model.ENTITIES[ent].by_name.get(name)
        if f is not None and f.kind == "enum" and draw(st.booleans()):
            row[name] = draw(st.sampled_from(sorted(model.ENUMS[f.enum]) + [" draft", ""]))
        else:
            row[name] = draw(VALUES)
    return ent, row


@settings(max_examples=3000, deadline=None)
@given(rows(), st.sampled_from([None, TODAY, dt.date(9999, 12, 31)]))
def test_validate_record_gives_what_every_field_through_validate_gives(example, today):
    ent, row = example
    expected = _outcome(lambda: _reference(ent, row, today))
    got = _outcome(lambda: model.validate_record(ent, row, today=today))
    if expected[0] == "refused" and expected[2] == "not_a_field" or expected[1:2] == ("unknown field",):
        assert got[:3] == expected[:3]
    else:
        assert got == expected
    if got[0] == "ok":   # the stored form keeps its types (a percentage given as 40 is 40.0)
        assert {k: type(v) for k, v in got[1].items()} == {k: type(v) for k, v in expected[1].items()}


def test_the_usual_records_of_a_demo_authority_pass_the_quick_checks_unchanged():
    row = {"learner_id": "1" * 32, "review_type": "termly", "status": "draft", "period_start": "2025-09-01",
           "period_end": "2025-12-19", "due_date": "2025-12-19", "attendance_pct": 93.5, "sdq_score": 12,
           "wellbeing_concern": False, "finalised_at": "2025-12-01T09:30:00+00:00"}
    row = {k: v for k, v in row.items() if k in model.ENTITIES["reviews"].by_name}
    clean = model.validate_record("reviews", row, today=TODAY)
    assert {k: v for k, v in clean.items() if v is not None} == row
    assert clean == _reference("reviews", row, TODAY)


TRICKY = [None, "", " ", "\t", "Celf", " Celf ", "x" * 200, "x" * 201, "a" * 20_001, " \n ", "2024-09-01",
          "2024-02-30", "1899-12-31", "1900-01-01", "2026-03-15", "9999-12-31", "20240901", "2024-W36-1",
          "２０２４-09-01", "2024-9-1", "2024-09-01T10:00:00+01:00", "2024-09-01T10:00:00", "2024-09-01T10:00Z",
          "1" * 32, "A" * 32, "g" * 32, "1" * 31, "0" * 64, True, False, 0, 1, -1, 40, 101, 2 ** 63, 0.0, -0.0,
          12.5, 100.0, 100.5, -0.5, float("nan"), float("inf"), ["Celf"], {"a": 1}]


def test_every_field_of_every_kind_with_tricky_values_as_validate_gives():
    for name, ent in model.ENTITIES.items():
        base = {f.name: _usual(f) for f in ent.fields if not f.pattern}
        for f in ent.fields:
            values = TRICKY + (sorted(model.ENUMS[f.enum]) if f.enum else [])
            for value in values:
                row = dict(base, **{f.name: value})
                for today in (None, TODAY):
                    expected = _outcome(lambda: _reference(name, row, today))
                    got = _outcome(lambda: model.validate_record(name, row, today=today))
                    assert got == expected, (name, f.name, value)
                    if got[0] == "ok":
                        assert [type(v) for v in got[1].values()] == [type(v) for v in expected[1].values()]
