"""Notices: wording that carries no clinical values, and real SMTP delivery to a local server
process (aiosmtpd, started by the test) in plain and STARTTLS + login modes."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import inspect
import ipaddress
import mailbox
import re
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from health.errors import Invalid
from health.followup.lifecycle import TASK_TYPES, TaskType
from health.followup.notify import (
    SUBJECTS,
    TYPE_LABELS,
    DeliveryFailed,
    MemoryNotifier,
    Message,
    MessageKind,
    Notifier,
    SmtpNotifier,
    message_id,
    task_message,
)

SINK = Path(__file__).with_name("smtp_sink.py")
SENDER = "followup@health.police.test"
RECIPIENT = "manager@station.police.test"
DUE = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)
KINDS: tuple[MessageKind, ...] = ("escalation", "officer_reminder", "medic_reminder")
FIXED_CLOCK = dt.datetime(2026, 3, 12, 8, 0, tzinfo=dt.UTC)


def notice(kind: MessageKind = "escalation", task_type: TaskType = "recheck") -> Message:
    return task_message(
        kind,
        recipient=RECIPIENT,
        task_type=task_type,
        due=DUE,
        link_path="/tasks/0b6c1f9e-4a1d-4c1e-9a57-0d1c2b3a4f5e",
        dedup_key="esc/v1/0b6c1f9e/20260310T093000Z/0/user-7",
        site_url="https://health.police.test/",
    )


# --- wording ----------------------------------------------------------------------------------


def test_builder_accepts_nothing_that_could_carry_a_clinical_value() -> None:
    parameters = set(inspect.signature(task_message).parameters)
    assert parameters == {
        "kind",
        "recipient",
        "task_type",
        "due",
        "link_path",
        "dedup_key",
        "site_url",
    }


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("task_type", TASK_TYPES)
def test_body_holds_only_task_type_due_date_and_link(
    kind: MessageKind, task_type: TaskType
) -> None:
    message = notice(kind, task_type)
    zh, en = TYPE_LABELS[task_type]
    link = "https://health.police.test/tasks/0b6c1f9e-4a1d-4c1e-9a57-0d1c2b3a4f5e"
    assert zh in message.body
    assert en in message.body
    assert "2026-03-10 09:30 UTC" in message.body
    assert message.body.rstrip().endswith(link)
    rest = message.body.replace("2026-03-10 09:30 UTC", "").replace(link, "")
    assert not re.search(r"\d", rest), "no number other than the due date may appear"
    for unit in ("mmol", "mg", "g/L", "µmol", "mmHg", "%", "kg"):
        assert unit not in rest
    assert message.subject == SUBJECTS[kind]


def test_date_due_is_written_without_time() -> None:
    message = task_message(
        "officer_reminder",
        recipient=RECIPIENT,
        task_type="recheck",
        due=dt.date(2026, 4, 1),
        link_path="/me/tasks",
        dedup_key="k",
    )
    assert "2026-04-01" in message.body
    assert message.body.endswith("/me/tasks\n")


@pytest.mark.parametrize(
    "link_path",
    ["/tasks/1?glucose=7.8", "https://elsewhere.test/x", "tasks/1", "/tasks/1#sbp", "/a b"],
)
def test_link_must_be_a_plain_path(link_path: str) -> None:
    with pytest.raises(Invalid):
        task_message(
            "escalation",
            recipient=RECIPIENT,
            task_type="recheck",
            due=DUE,
            link_path=link_path,
            dedup_key="k",
        )


@pytest.mark.parametrize(
    ("recipient", "subject", "key"),
    [
        ("a@b.test\r\nBcc: spy@evil.test", "s", "k"),
        ("Manager <a@b.test>", "s", "k"),
        ("not-an-address", "s", "k"),
        ("a@b.test", "line\nInjected: yes", "k"),
        ("a@b.test", "s", ""),
    ],
)
def test_message_refuses_header_injection_and_missing_key(
    recipient: str, subject: str, key: str
) -> None:
    with pytest.raises(Invalid):
        Message(recipient, subject, "body", key)


def test_message_id_is_stable_per_key_and_reveals_nothing() -> None:
    first = message_id("esc/v1/task-1/20260310T093000Z/0/u", SENDER)
    assert first == message_id("esc/v1/task-1/20260310T093000Z/0/u", SENDER)
    assert first != message_id("esc/v1/task-1/20260310T093000Z/1/u", SENDER)
    assert "task-1" not in first
    assert first.endswith("@health.police.test>")


def test_memory_notifier_is_a_notifier_and_keeps_messages() -> None:
    notifier: Notifier = MemoryNotifier()
    notifier.send(notice())
    assert isinstance(notifier, MemoryNotifier)
    assert notifier.sent == [notice()]


def test_login_without_starttls_is_refused() -> None:
    with pytest.raises(Invalid):
        SmtpNotifier("127.0.0.1", 25, SENDER, username="u", password="p")


def test_password_is_not_in_repr() -> None:
    notifier = SmtpNotifier("h", 587, SENDER, starttls=True, username="u", password="s3cret")
    assert "s3cret" not in repr(notifier)


# --- delivery to a local SMTP server process ----------------------------------------------------


@dataclass
class Sink:
    port: int
    maildir: Path

    def messages(self) -> list[EmailMessage]:
        box = mailbox.Maildir(self.maildir, create=False)
        found = []
        for key in sorted(box.keys()):
            raw = box.get_bytes(key)
            parsed = email.message_from_bytes(raw, policy=email.policy.default)
            assert isinstance(parsed, EmailMessage)
            found.append(parsed)
        return found


def _start_sink(workdir: Path, *options: str) -> Iterator[Sink]:
    workdir.mkdir(parents=True, exist_ok=True)
    maildir, portfile, log = workdir / "mail", workdir / "port", workdir / "sink.log"
    with (
        log.open("wb") as stderr,
        subprocess.Popen(
            [sys.executable, str(SINK), str(maildir), str(portfile), *options],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        ) as process,
    ):
        try:
            deadline = time.monotonic() + 20
            while not portfile.exists():
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"SMTP sink did not start: {log.read_text(errors='replace')}")
                time.sleep(0.02)
            yield Sink(int(portfile.read_text()), maildir)
        finally:
            process.terminate()
            process.wait(timeout=10)


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture(scope="module")
def plain_sink(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sink]:
    yield from _start_sink(tmp_path_factory.mktemp("plain"))


@pytest.fixture(scope="module")
def tls_sink(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Sink, Path]]:
    directory = tmp_path_factory.mktemp("tls")
    cert, key = _self_signed(directory)
    options = ("--tls", str(cert), str(key), "--login", "followup", "pa55word")
    for sink in _start_sink(directory, *options):
        yield sink, cert


def _tls_notifier(port: int, cert: Path, password: str) -> SmtpNotifier:
    return SmtpNotifier(
        "127.0.0.1",
        port,
        SENDER,
        starttls=True,
        username="followup",
        password=password,
        ssl_context=ssl.create_default_context(cafile=str(cert)),
        clock=lambda: FIXED_CLOCK,
    )


@pytest.mark.slow
def test_plain_smtp_delivers_message_with_right_headers(plain_sink: Sink) -> None:
    notifier = SmtpNotifier("127.0.0.1", plain_sink.port, SENDER, clock=lambda: FIXED_CLOCK)
    before = len(plain_sink.messages())
    message = notice("escalation", "urgent_contact")
    notifier.send(message)
    received = plain_sink.messages()[before:]
    assert len(received) == 1
    got = received[0]
    assert got["From"] == SENDER
    assert got["To"] == RECIPIENT
    assert got["Subject"] == SUBJECTS["escalation"]
    assert got["Message-ID"] == message_id(message.dedup_key, SENDER)
    assert got["Auto-Submitted"] == "auto-generated"
    assert got["Date"].datetime == FIXED_CLOCK
    assert got["X-MailFrom"] == SENDER
    assert got["X-RcptTo"] == RECIPIENT
    body = got.get_body(("plain",))
    assert body is not None
    assert body.get_content() == message.body


@pytest.mark.slow
def test_retried_send_keeps_the_same_message_id(plain_sink: Sink) -> None:
    notifier = SmtpNotifier("127.0.0.1", plain_sink.port, SENDER)
    before = len(plain_sink.messages())
    notifier.send(notice("medic_reminder"))
    notifier.send(notice("medic_reminder"))
    ids = {m["Message-ID"] for m in plain_sink.messages()[before:]}
    assert len(ids) == 1


@pytest.mark.slow
def test_starttls_and_login_deliver(tls_sink: tuple[Sink, Path]) -> None:
    sink, cert = tls_sink
    before = len(sink.messages())
    _tls_notifier(sink.port, cert, "pa55word").send(notice("officer_reminder"))
    received = sink.messages()[before:]
    assert [m["Subject"] for m in received] == [SUBJECTS["officer_reminder"]]


@pytest.mark.slow
def test_wrong_password_is_a_delivery_failure(tls_sink: tuple[Sink, Path]) -> None:
    sink, cert = tls_sink
    before = len(sink.messages())
    with pytest.raises(DeliveryFailed):
        _tls_notifier(sink.port, cert, "wrong").send(notice())
    assert len(sink.messages()) == before


@pytest.mark.slow
def test_server_requiring_starttls_refuses_plain_client(tls_sink: tuple[Sink, Path]) -> None:
    sink, _ = tls_sink
    with pytest.raises(DeliveryFailed):
        SmtpNotifier("127.0.0.1", sink.port, SENDER).send(notice())


@pytest.mark.slow
def test_untrusted_certificate_is_a_delivery_failure(tls_sink: tuple[Sink, Path]) -> None:
    sink, _ = tls_sink
    notifier = SmtpNotifier(
        "127.0.0.1", sink.port, SENDER, starttls=True, username="followup", password="pa55word"
    )
    with pytest.raises(DeliveryFailed) as raised:
        notifier.send(notice())
    assert raised.value.permanent is False


def test_nothing_listening_is_a_transient_delivery_failure() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DeliveryFailed) as raised:
        SmtpNotifier("127.0.0.1", port, SENDER, timeout=2).send(notice())
    assert raised.value.permanent is False
    assert raised.value.status == 503
