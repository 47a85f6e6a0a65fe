"""The officer report's summaries beside the results: what changed since the previous checkup,
the risk estimates in words, and one list of the follow-up planned.

Presentation only: each is read from the record the service already opened and audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from health.i18n import Lang
from health.services.record import OfficerRecord
from ml.equations import EQUATIONS

# Chinese names of the risk equations as printed (the registry names them in English).
EQUATION_NAMES_ZH: dict[str, str] = {
    "pce_2013": "ACC/AHA 汇总队列方程（10年动脉粥样硬化性心血管病风险）",
    "china_par": "China-PAR 中国人10年心血管病风险",
    "cn_lipid_ascvd": "血脂异常指南 ASCVD 风险分层",
    "framingham_cvd_2008": "Framingham 心血管病总风险",
    "score2_2021": "SCORE2 10年心血管病风险",
    "cdrs": "中国糖尿病风险评分",
    "findrisc": "FINDRISC 糖尿病风险评分",
}
TIER_NAMES: dict[str, dict[Lang, str]] = {
    "low": {"zh": "低", "en": "low"},
    "moderate": {"zh": "中", "en": "moderate"},
    "high": {"zh": "高", "en": "high"},
}


@dataclass(frozen=True)
class Change:
    name: str
    previous: str
    now: str
    unit: str
    worse: bool


@dataclass(frozen=True)
class Estimate:
    name: str
    display: str
    band: str
    drivers: list[str]


@dataclass(frozen=True)
class PlannedStep:
    problem: str
    step: str
    status: str
    due: date
    overdue: bool


def _outside(flag: str | None) -> bool:
    return flag not in (None, "N")


def changes(record: OfficerRecord) -> list[Change]:
    """Results that moved into or out of their reference range since the previous checkup."""
    out = []
    for section in record.sections:
        for line in section.results:
            before = line.previous
            if before is None or _outside(before.flag) == _outside(line.flag):
                continue
            out.append(
                Change(line.name, before.display, line.display, line.unit, _outside(line.flag))
            )
    return out


def estimates(risk: dict[str, Any] | None, lang: Lang) -> list[Estimate]:
    """Each equation that gave an answer for the latest checkup, with what drives it."""
    if not risk:
        return []
    out = []
    for row in risk.get("equations", []):
        if row.get("status") != "ok" or row.get("display") is None:
            continue
        equation_id = str(row["equation_id"])
        english = EQUATIONS[equation_id].spec.name if equation_id in EQUATIONS else equation_id
        band = row.get("band") or {}
        out.append(
            Estimate(
                name=EQUATION_NAMES_ZH.get(equation_id, english) if lang == "zh" else english,
                display=str(row["display"]),
                band=str(band.get("label") or ""),
                drivers=[str(d["text"]) for d in row.get("drivers") or [] if d.get("text")],
            )
        )
    return out


def tier(risk: dict[str, Any] | None, lang: Lang) -> str | None:
    if not risk or risk.get("tier") not in TIER_NAMES:
        return None
    return TIER_NAMES[str(risk["tier"])][lang]


def planned(record: OfficerRecord) -> list[PlannedStep]:
    """Every follow-up step planned for the officer's problems, soonest due first."""
    steps = [
        PlannedStep(
            problem.title or problem.family,
            step.type_name,
            step.status_name,
            step.due.date(),
            step.overdue,
        )
        for problem in record.problems
        for step in problem.next_steps
    ]
    return sorted(steps, key=lambda s: s.due)
