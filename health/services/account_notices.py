"""Tell a user that their sign-in changed, through the outbox, so a thief's change is noticed.

The message names only what changed and when; no secret, code or link that signs anyone in.
"""

from __future__ import annotations

import uuid
from typing import Final, Literal

from health.services.context import Ctx
from models.repositories import outbox as outbox_repo
from models.tables import AppUser

NoticeKind = Literal["totp_changed", "password_changed", "password_reset"]
SUBJECTS: Final[dict[NoticeKind, str]] = {
    "totp_changed": "登录验证方式已更改 / Your sign-in second factor was changed",
    "password_changed": "密码已更改 / Your password was changed",
    "password_reset": "密码已被管理员重置 / Your password was reset by an administrator",
}
BODY: Final = (
    "您的账户于 {when} (UTC) 发生了上述更改。如非本人操作，请立即联系管理员。\n"
    "The change above was made to your account at {when} (UTC). If it was not you, contact "
    "your administrator at once.\n"
)


def notify(ctx: Ctx, user: AppUser, kind: NoticeKind, mail_domain: str) -> None:
    """Queue one notice for the account's own address (``username@domain``)."""
    now = ctx.clock()
    outbox_repo.enqueue(
        ctx.session,
        [
            {
                "id": uuid.uuid4(),
                "key": f"account/{kind}/{user.id}/{now.isoformat()}",
                "recipient": f"{user.username}@{mail_domain}",
                "channel": "email",
                "subject": SUBJECTS[kind],
                "body": BODY.format(when=now.strftime("%Y-%m-%d %H:%M")),
                "created_at": now,
                "sent_at": None,
                "attempts": 0,
                "last_error": None,
            }
        ],
    )
