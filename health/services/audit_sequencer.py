"""The sequencer: links committed audit events into the hash chain, in batches, off the
request path (as a transparency log sequences submitted entries into its tree).

One sequencer works at a time (the head row is claimed with ``SKIP LOCKED`` on PostgreSQL;
SQLite serialises writers), so every worker process may run one without coordination. It runs
from ``officer-health audit sequence``, inside ``serve`` as a background thread, and as a
periodic job of ``officer-health worker`` on PostgreSQL.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from health.clock import utcnow
from health.crypto import Hasher
from health.services import audit
from models.repositories import audit as audit_repo

log = logging.getLogger("officer_health.audit")

BATCH = 5000


@dataclass(frozen=True)
class SequenceReport:
    linked: int
    refused: int
    busy: bool = False


def sequence_batch(session: Session, hasher: Hasher, batch: int = BATCH) -> SequenceReport:
    """Link up to ``batch`` pending events in this transaction.

    An event whose own MAC does not verify (forged, or edited before it was chained) is never
    chained: its queue entry is dropped and ``audit verify`` names the row.
    """
    claimed = audit_repo.claim_head(session)
    if claimed is None:
        return SequenceReport(0, 0, busy=True)
    pos, prev = claimed
    now = utcnow()
    links: list[dict[str, Any]] = []
    done: list[uuid.UUID] = []
    refused = 0
    for event in audit_repo.pending(session, batch):
        done.append(event.id)
        if event.mac is None or audit.event_mac(hasher, event) != event.mac:
            refused += 1
            log.error("audit event %s refused by the sequencer: its MAC is wrong", event.seq)
            continue
        pos += 1
        mac = audit.chain_mac(hasher, event, prev)
        links.append(
            {"pos": pos, "event_seq": event.seq, "prev_hash": prev, "hash": mac, "linked_at": now}
        )
        prev = mac
    audit_repo.link(session, links, done)
    return SequenceReport(len(links), refused)


def sequence(sessions: sessionmaker[Session], hasher: Hasher, batch: int = BATCH) -> SequenceReport:
    """Drain the queue in committed batches; returns what was linked in all."""
    linked = refused = 0
    while True:
        with sessions.begin() as session:
            report = sequence_batch(session, hasher, batch)
        linked += report.linked
        refused += report.refused
        if report.busy or report.linked + report.refused < batch:
            return SequenceReport(linked, refused, report.busy)


class BackgroundSequencer:
    """A daemon thread in the serving process: the embedded default needs no extra process."""

    def __init__(
        self,
        run: Callable[[], SequenceReport],
        interval: float,
    ) -> None:
        self._run = run
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="audit-sequencer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._run()
            except Exception as exc:  # the next round retries; a request never depends on it
                log.warning("audit sequencer round failed: %s", type(exc).__name__)
