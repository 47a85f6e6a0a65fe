"""Equipment reminders: fixed wording (zh/en) naming the kit or device, the items and dates, and a
link to the unit's readiness list. Inventory is not health data; still, no officer is named.

One notice per kit (or device) and recipient lists every current problem; its key is a digest of
those problems, so a rerun with nothing new adds nothing, and a new problem brings a new notice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from typing import Final

from health.followup.notify import Message
from health.selfcare.equipment import DeviceSpec, KitStatus, KitTemplate

KEY_PREFIX: Final = "sc/v1"
KIT_SUBJECT: Final = "急救包需要补充 / First-aid kit needs attention"
DEVICE_SUBJECT: Final = "设备需要校准 / Device due for calibration"


def _digest(parts: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()[:16]


def kit_problems(status: KitStatus) -> list[str]:
    """Stable descriptions of what is wrong with a kit (the key's content)."""
    return [
        *(f"missing:{m.item}:{m.usable}/{m.needed}" for m in status.missing),
        *(f"expired:{d.item}:{d.batch}:{d.expires_on}" for d in status.expired),
        *(f"expiring:{d.item}:{d.batch}:{d.expires_on}" for d in status.expiring),
    ]


def kit_key(kit_id: object, status: KitStatus) -> str:
    return f"{KEY_PREFIX}/kit/{kit_id}/{_digest(kit_problems(status))}"


def device_key(device_id: object, due_on: date | None, overdue: bool) -> str:
    stage = "overdue" if overdue else "due"
    return f"{KEY_PREFIX}/device/{device_id}/{due_on or 'never'}/{stage}"


def kit_message(
    recipient: str, label: str, template: KitTemplate, status: KitStatus, key: str, link: str
) -> Message:
    names = {i.code: (i.zh, i.en) for i in template.items}
    lines = [f"急救包 / Kit: {label}"]
    for m in status.missing:
        zh, en = names[m.item]
        lines.append(f"缺少 / missing: {zh} / {en} ({m.usable}/{m.needed})")
    for d in status.expired:
        zh, en = names[d.item]
        lines.append(f"已过期 / expired: {zh} / {en}, batch {d.batch}, {d.expires_on.isoformat()}")
    for d in status.expiring:
        zh, en = names[d.item]
        lines.append(
            f"即将过期 / expiring: {zh} / {en}, batch {d.batch}, {d.expires_on.isoformat()}"
        )
    body = "\n".join(lines) + f"\n\n{link}\n"
    return Message(recipient, KIT_SUBJECT, body, f"{key}/{recipient}")


def device_message(
    recipient: str, serial: str, spec: DeviceSpec, due_on: date | None, key: str, link: str
) -> Message:
    when = due_on.isoformat() if due_on else "从未校准 / never calibrated"
    body = f"{spec.zh} / {spec.en}, S/N {serial}\n校准到期 / calibration due: {when}\n\n{link}\n"
    return Message(recipient, DEVICE_SUBJECT, body, f"{key}/{recipient}")
