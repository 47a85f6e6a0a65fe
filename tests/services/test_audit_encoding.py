"""An event's MAC covers its content encoded exactly as ``json.dumps`` with sorted keys: the
hand-written encoder must agree byte for byte, or stored events would fail verification."""

from __future__ import annotations

import json
import uuid
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from health.services import audit
from health.services.audit import EventSpec, _dump, event_mac
from health.services.context import Ctx
from health.vocabulary import Role
from models.tables import AuditEvent

from factories import make_officer

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


def test_events_recorded_in_bulk_carry_the_mac_verification_recomputes(ctx: Ctx) -> None:
    officer = make_officer(ctx)
    specs = [
        EventSpec("task.create", "task", str(uuid.uuid4()), officer.id),
        EventSpec("checkup.create", "checkup", "c-1", officer.id, detail="upload=x;体检"),
        EventSpec("officer.read", "officer", None, None, outcome="denied", purpose="care"),
    ]
    audit.record_many(ctx, specs)
    ctx.session.flush()
    stored = ctx.session.scalars(
        select(AuditEvent).where(AuditEvent.action.in_([s.action for s in specs]))
    ).all()
    assert len(stored) == len(specs)
    for event in stored:
        assert event.mac == event_mac(ctx.vault.hasher, event)
