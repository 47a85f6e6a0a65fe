"""A small synthetic force for demos and manual testing: no real person, reproducible by seed."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date

from health.ingest import CheckupDraft
from health.services import (
    accounts,
    demo_force,
    demo_timeline,
    intake,
    officers,
    selfcare_demo,
    units,
)
from health.services.accounts import AuthPolicy
from health.services.context import ADMIN, AUDITOR, MANAGER, MEDIC, OFFICER, Ctx
from models.repositories import units as units_repo

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志文"

# (mean, sd, decimals) per canonical analyte unit; a plausible adult spread, not reference ranges.
RESULT_SHAPES: dict[str, tuple[float, float, int]] = {
    "height": (170, 7, 1),
    "weight": (70, 11, 1),
    "waist": (84, 10, 1),
    "sbp": (124, 15, 0),
    "dbp": (79, 10, 0),
    "pulse": (72, 10, 0),
    "wbc": (6.3, 1.5, 2),
    "rbc": (4.8, 0.45, 2),
    "hb": (145, 14, 0),
    "plt": (230, 55, 0),
    "alt": (26, 14, 0),
    "ast": (24, 8, 0),
    "ggt": (32, 20, 0),
    "tbil": (13, 5, 1),
    "creat": (80, 15, 0),
    "ua": (360, 85, 0),
    "tc": (4.9, 0.9, 2),
    "tg": (1.6, 0.9, 2),
    "hdl": (1.3, 0.3, 2),
    "ldl": (2.9, 0.8, 2),
    "glu": (5.4, 0.9, 2),
    "hba1c": (5.6, 0.6, 1),
}


@dataclass(frozen=True)
class DemoReport:
    created: bool
    units: int
    officers: int
    checkups: int
    credentials: dict[str, dict[str, str]] = field(default_factory=dict)


def _results(rng: random.Random) -> dict[str, float]:
    values = {}
    for code, (mean, sd, decimals) in RESULT_SHAPES.items():
        values[code] = round(max(mean * 0.2, rng.gauss(mean, sd)), decimals)
    return values


def seed(
    ctx: Ctx,
    policy: AuthPolicy,
    *,
    officers_per_station: int = 20,
    years: int = 3,
    seed_value: int = 7,
    today: date | None = None,
) -> DemoReport:
    """Create a force → 3 bureaus → 2 stations each, officers and yearly checkups, once."""
    if units_repo.count(ctx.session) > 0:
        return DemoReport(False, 0, 0, 0)
    rng = random.Random(seed_value)
    today = today or ctx.clock().date()
    force = units.create(ctx, code="FORCE", name="Demo Police Force", kind="force", parent_id=None)
    stations = []
    bureaus = []
    for b in range(1, 4):
        bureau = units.create(
            ctx, code=f"B{b}", name=f"Bureau {b}", kind="bureau", parent_id=force.id
        )
        bureaus.append(bureau)
        for s in range(1, 3):
            stations.append(
                units.create(
                    ctx,
                    code=f"B{b}S{s}",
                    name=f"Bureau {b} Station {s}",
                    kind="station",
                    parent_id=bureau.id,
                )
            )
    people: list[officers.OfficerIn] = []
    for station in stations:
        for _ in range(officers_per_station):
            number = len(people) + 1
            people.append(
                officers.OfficerIn(
                    unit_id=station.id,
                    badge_number=f"D{100000 + number}",
                    name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
                    birth_date=date(
                        rng.randint(1966, 2002), rng.randint(1, 12), rng.randint(1, 28)
                    ),
                    sex=rng.choice("MMMF"),
                )
            )
    created = officers.register_many(ctx, people)
    items = []
    # Multi-year trajectories from the synthetic force model (ml.synthetic), labelled synthetic.
    histories = demo_force.trajectories(
        [p.sex for p in people], [p.birth_date for p in people], years, today, seed_value
    )
    for person, officer, history in zip(people, created, histories, strict=True):
        for year_back in range(years):
            exam = date(today.year - year_back, rng.randint(3, 10), rng.randint(1, 28))
            if exam > today:
                exam = date(exam.year - 1, exam.month, exam.day)
            results = history[years - 1 - year_back]
            draft = CheckupDraft(exam_date=exam, officer_id=str(officer.id), results=results)
            items.append(
                intake.Resolved(draft, officer.id, officer.unit_id, person.sex, person.birth_date)
            )
    sealers = {officer.id: officer.sealer for officer in created}
    stored = demo_timeline.store_over_time(ctx, items, sealers, rng)
    roster = [(o.id, o.unit_id) for o in created]
    selfcare_demo.seed(ctx, stations, roster, rng, today)
    credentials = _accounts(ctx, policy, force.id, bureaus[0].id, created[:2])
    return DemoReport(True, 1 + 3 + len(stations), len(created), stored, credentials)


def _accounts(
    ctx: Ctx,
    policy: AuthPolicy,
    force_id: uuid.UUID,
    bureau_id: uuid.UUID,
    first_officers: list[officers.NewOfficer],
) -> dict[str, dict[str, str]]:
    """One account per role; passwords are random and handed back once, never stored plain."""
    plan: list[tuple[str, str, list[uuid.UUID], uuid.UUID | None]] = [
        ("admin", ADMIN, [], None),
        ("auditor", AUDITOR, [], None),
        ("medic-b1", MEDIC, [bureau_id], None),
        ("medic-force", MEDIC, [force_id], None),
        ("manager-b1", MANAGER, [bureau_id], None),
    ]
    plan += [(f"officer{i + 1}", OFFICER, [], o.id) for i, o in enumerate(first_officers)]
    credentials = {}
    for username, role, unit_ids, officer_id in plan:
        password = accounts.generate_password()
        accounts.create_user(
            ctx,
            policy,
            username=username,
            role=role,
            password=password,
            unit_ids=unit_ids,
            officer_id=officer_id,
        )
        credentials[username] = {"role": role, "password": password}
    return credentials
