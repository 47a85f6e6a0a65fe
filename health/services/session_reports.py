"""The reports of a checkup session's officers, for a medic to print as one batch.

Who is in the batch is the session's own bookings (``schedules.session_bookings``: the medic
must serve the session's unit), limited to officers who came (a checkup on the session's day);
each report is then built by ``annual_report``, so every officer's read is checked and audited
as a single report is. One more event names the batch and how many reports it holds.
"""

from __future__ import annotations

import uuid

from health.errors import Conflict
from health.i18n import Lang
from health.services import access, annual_report, audit, schedules
from health.services.annual_report import AnnualReport
from health.services.context import Ctx
from health.vocabulary import Action

MAX_BATCH = 100
"""Reports laid out in one request (about 0.3 s each); a larger session prints from the CLI."""


def session_reports(
    ctx: Ctx, session_id: uuid.UUID, lang: Lang, *, limit: int | None = MAX_BATCH
) -> list[AnnualReport]:
    """The annual report of every officer who attended the session, in booking order."""
    access.require(ctx, Action.REPORT_SESSION)
    came = [
        b.officer.id for b in schedules.session_bookings(ctx, session_id) if b.status == "attended"
    ]
    if not came:
        raise Conflict("no officer has attended this session yet", code="session_no_reports")
    if limit is not None and len(came) > limit:
        raise Conflict(
            f"the session has {len(came)} reports; print more than {limit} from the command line",
            code="session_batch_too_large",
        )
    reports = [annual_report.annual_report(ctx, officer_id, lang) for officer_id in came]
    audit.record(
        ctx,
        Action.REPORT_SESSION,
        "checkup_session",
        resource_id=str(session_id),
        detail=f"lang={lang};reports={len(reports)}",
    )
    return reports
