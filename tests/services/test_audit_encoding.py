"""An event's MAC covers its content encoded exactly as ``json.dumps`` with sorted keys: the
hand-written encoder must agree byte for byte, or stored events would fail verification."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from health.services.audit import _dump
from health.vocabulary import Role

VALUES = st.one_of(
    st.none(),
    st.text(),
    st.sampled_from(list(Role)),
    st.integers(),
    st.booleans(),
)


@given(st.dictionaries(st.text(), VALUES, max_size=14))
def test_event_content_encodes_as_json_dumps_with_sorted_keys(fields: dict[str, Any]) -> None:
    expected = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    assert _dump(fields) == expected


def test_event_content_with_chinese_text_and_quotes_is_escaped_like_json() -> None:
    fields = {"detail": '体检 "引号" \\ \n', "officer_id": None, "action": Role.MEDIC}
    assert _dump(fields) == json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
