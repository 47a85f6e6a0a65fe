"""Notices to people (escalations, reminders) behind a ``Notifier`` seam, and the SMTP adapter.

E-mail leaves the service's protection, so a message says only what kind of task, when it is
due, and where to log in to see it: ``task_message`` takes nothing else, and no clinical value,
reason, name or identifier can reach a body through it. The link is a path under the site, so
whoever follows it still has to sign in and pass the same access checks as anyone else.

Delivery is at least once (the outbox retries); ``Message-ID`` is derived from the dedup key, so
a retried message carries the same id and mail clients that collapse duplicates show it once.
"""

from __future__ import annotations

import hashlib
import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Final, Literal, Protocol

from health.clock import utcnow
from health.errors import Invalid, Unavailable
from health.followup.lifecycle import TaskType

MessageKind = Literal["escalation", "officer_reminder", "medic_reminder"]

TYPE_LABELS: Final[dict[TaskType, tuple[str, str]]] = {
    TaskType.URGENT_CONTACT: ("紧急联系", "urgent contact"),
    TaskType.RECHECK: ("复查", "recheck"),
    TaskType.REFERRAL: ("转诊", "referral"),
    TaskType.LIFESTYLE: ("生活方式干预", "lifestyle programme"),
    TaskType.HOME_VISIT: ("家访", "home visit"),
}
SUBJECTS: Final[dict[MessageKind, str]] = {
    "escalation": "逾期随访任务 / Overdue follow-up task",
    "officer_reminder": "随访提醒 / Follow-up reminder",
    "medic_reminder": "即将到期的随访任务 / Follow-up task due soon",
}
BODIES: Final[dict[MessageKind, str]] = {
    "escalation": (
        "您负责范围内的一项{zh}任务已于 {due} 到期，仍未完成。\n"
        "A {en} task in your area was due on {due} and is still open.\n"
    ),
    "officer_reminder": ("您有一项{zh}将于 {due} 到期。\nYou have a {en} due on {due}.\n"),
    "medic_reminder": (
        "您的一项{zh}任务将于 {due} 到期。\nA {en} task of yours is due on {due}.\n"
    ),
}
_LINK_PATH = re.compile(r"/[A-Za-z0-9._~/-]*")
_HEADER_BREAK = re.compile(r"[\r\n]")


class DeliveryFailed(Unavailable):
    """The mail server did not take the message; ``permanent`` says a retry will not help."""

    code = "delivery_failed"
    title = "Notification not delivered"

    def __init__(self, detail: str, *, permanent: bool = False) -> None:
        super().__init__(detail)
        self.permanent = permanent


@dataclass(frozen=True, slots=True)
class Message:
    """One notice; ``dedup_key`` is the outbox's unique key (e.g. an escalation step key plus
    the recipient's user id)."""

    recipient: str
    subject: str
    body: str
    dedup_key: str

    def __post_init__(self) -> None:
        _, address = parseaddr(self.recipient)
        if address != self.recipient or "@" not in address or _HEADER_BREAK.search(address):
            raise Invalid("recipient must be a bare e-mail address", code="bad_recipient")
        if _HEADER_BREAK.search(self.subject):
            raise Invalid("subject must be one line", code="bad_subject")
        if not self.dedup_key:
            raise Invalid("a message needs a dedup key", code="dedup_key_required")


class Notifier(Protocol):
    """Where messages go: SMTP in production, a list in tests; raises DeliveryFailed."""

    def send(self, message: Message) -> None: ...


def _due_text(due: date | datetime) -> str:
    if isinstance(due, datetime):
        return due.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return due.isoformat()


def task_message(
    kind: MessageKind,
    *,
    recipient: str,
    task_type: TaskType,
    due: date | datetime,
    link_path: str,
    dedup_key: str,
    site_url: str = "",
) -> Message:
    """The only way the service words a notice: task type, due date and a link, nothing else."""
    if not _LINK_PATH.fullmatch(link_path):
        raise Invalid("link_path must be a plain path such as /tasks/<id>", code="bad_link")
    zh, en = TYPE_LABELS[task_type]
    due_text = _due_text(due)
    body = BODIES[kind].format(zh=zh, en=en, due=due_text)
    link = site_url.rstrip("/") + link_path
    return Message(recipient, SUBJECTS[kind], f"{body}\n{link}\n", dedup_key)


def message_id(dedup_key: str, sender: str) -> str:
    """A Message-ID that is the same for every retry of one notice, and reveals nothing."""
    digest = hashlib.sha256(dedup_key.encode()).hexdigest()[:32]
    domain = parseaddr(sender)[1].rpartition("@")[2] or "officer-health.invalid"
    return f"<{digest}@{domain}>"


def _is_permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500 and not isinstance(exc, smtplib.SMTPAuthenticationError)
    return False


@dataclass(frozen=True)
class SmtpNotifier:
    """Sends through an SMTP relay with smtplib; credentials only over STARTTLS."""

    host: str
    port: int
    sender: str
    starttls: bool = False
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 10.0
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)
    clock: Callable[[], datetime] = field(default=utcnow, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.username is not None and not self.starttls:
            raise Invalid("SMTP login needs STARTTLS", code="smtp_login_without_tls")
        if "@" not in parseaddr(self.sender)[1]:
            raise Invalid("sender must be an e-mail address", code="bad_sender")

    def compose(self, message: Message) -> EmailMessage:
        """The e-mail as it goes on the wire (plain text, UTF-8)."""
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email["Date"] = format_datetime(self.clock().astimezone(UTC))
        email["Message-ID"] = message_id(message.dedup_key, self.sender)
        email["Auto-Submitted"] = "auto-generated"
        email.set_content(message.body)
        return email

    def send(self, message: Message) -> None:
        email = self.compose(message)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=self.ssl_context or ssl.create_default_context())
                if self.username is not None:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(email)
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(
                f"SMTP delivery via {self.host}:{self.port} failed: {_why(exc)}",
                permanent=_is_permanent(exc),
            ) from exc


def _why(exc: Exception) -> str:
    """The cause an operator can act on, without the server's text (it may quote an address)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _ in exc.recipients.values()})
        return f"recipient refused (SMTP {', '.join(map(str, codes))})"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"login refused (SMTP {exc.smtp_code})"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{type(exc).__name__} (SMTP {exc.smtp_code})"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{type(exc).__name__}: {exc.strerror}"
    return type(exc).__name__


@dataclass
class MemoryNotifier:
    """Keeps messages in a list: for service tests and a deployment without a mail relay."""

    sent: list[Message] = field(default_factory=list)

    def send(self, message: Message) -> None:
        self.sent.append(message)
