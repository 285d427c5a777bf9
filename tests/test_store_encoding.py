"""The change log's values are encoded by one shared JSON encoder (store._encode): the same text
as json.dumps with the store's options, for any value a field can hold."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from vsm_desktop.store.store import _encode

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_shared_encoder_writes_what_json_dumps_wrote(value):
    assert _encode(value) == json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def test_welsh_text_stays_readable():
    assert _encode({"b": "Llŷr a Siôn", "a": 1}) == '{"a":1,"b":"Llŷr a Siôn"}'
