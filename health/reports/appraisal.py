"""Units' appraisal on checkups: a versioned scoring scheme held as data, a score per unit and
year with its components, and a rank among peers at the same level of the unit tree.

Each indicator scores linearly from 0 at its ``floor`` to 1 at its ``target`` (either may be
the larger: a falling prevalence is better), clipped to [0, 1]. The score is 100 × the weighted
mean of the components a unit has; an indicator without a value for a unit (no officers, no
tasks due, a suppressed prevalence) is left out and the other weights renormalised, and the
score says how much weight it stands on. Ranks: by score, highest first, ties sharing the best
rank (``min``), among units at the same depth of the tree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final

import numpy as np
import pandas as pd
import yaml

from health.errors import Invalid
from health.reports.conditions import CONDITIONS

# health.reports.appraisal_indicators defines the last three and every ``<condition>_change``.
INDICATORS: Final = (
    "coverage",
    "completion_rate",
    "on_time_rate",
    "critical_ack_rate",
    "programme_participation",
    "leading_risk_change",
    *(f"{c.code}_change" for c in CONDITIONS),
)


@dataclass(frozen=True)
class Indicator:
    code: str
    weight: float
    floor: float
    target: float
    explain_zh: str
    explain_en: str


@dataclass(frozen=True)
class Scheme:
    version: str
    indicators: tuple[Indicator, ...]


def parse_scheme(body: Mapping[str, Any]) -> Scheme:
    """A scheme from its data form, refused with the reason when it cannot be scored."""
    version = str(body.get("version") or "").strip()
    if not version or len(version) > 32:
        raise Invalid("a scheme needs a version of 1 to 32 characters", code="bad_scheme")
    items = body.get("indicators")
    if not isinstance(items, list) or not items:
        raise Invalid("a scheme needs at least one indicator", code="bad_scheme")
    out = []
    for index, item in enumerate(items):
        try:
            indicator = Indicator(
                code=str(item["code"]),
                weight=float(item["weight"]),
                floor=float(item["floor"]),
                target=float(item["target"]),
                explain_zh=str(item["explain_zh"]),
                explain_en=str(item["explain_en"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise Invalid(
                f"indicator {index + 1}: missing or malformed field {exc}", code="bad_scheme"
            ) from None
        if indicator.code not in INDICATORS:
            raise Invalid(
                f"indicator {index + 1}: unknown code {indicator.code!r}", code="bad_scheme"
            )
        if indicator.weight <= 0 or indicator.floor == indicator.target:
            raise Invalid(
                f"indicator {index + 1}: weight must be positive and floor differ from target",
                code="bad_scheme",
            )
        out.append(indicator)
    if len({i.code for i in out}) != len(out):
        raise Invalid("an indicator appears twice", code="bad_scheme")
    if abs(sum(i.weight for i in out) - 1.0) > 1e-9:
        raise Invalid("indicator weights must add up to 1", code="bad_scheme")
    return Scheme(version, tuple(out))


def default_scheme() -> Scheme:
    text = resources.files("health.reports").joinpath("appraisal_default.yaml").read_text("utf-8")
    return parse_scheme(yaml.safe_load(text))


def scheme_body(scheme: Scheme) -> dict[str, Any]:
    return {
        "version": scheme.version,
        "indicators": [vars(i) for i in scheme.indicators],
    }


def score_units(values: pd.DataFrame, depth: pd.Series, scheme: Scheme) -> pd.DataFrame:
    """Components, score, weight used and rank per unit.

    ``values``: indexed by unit id, one column per indicator code (missing allowed);
    ``depth``: the unit's level in the tree (0 for the force), same index.
    """
    out = pd.DataFrame(index=values.index)
    weighted = pd.Series(0.0, index=values.index)
    used = pd.Series(0.0, index=values.index)
    for indicator in scheme.indicators:
        column = values.get(indicator.code, pd.Series(np.nan, index=values.index))
        raw = (column.astype("float64") - indicator.floor) / (indicator.target - indicator.floor)
        component = raw.clip(0.0, 1.0)
        out[f"{indicator.code}_value"] = column.astype("float64")
        out[f"{indicator.code}_component"] = component
        has = component.notna()
        weighted += component.fillna(0.0) * indicator.weight
        used += has * indicator.weight
    out["weight_used"] = used
    out["score"] = (100 * weighted / used.where(used > 0)).round(6)
    out["depth"] = depth.reindex(values.index)
    out["rank"] = out.groupby("depth")["score"].rank(method="min", ascending=False)
    out["peers"] = out.groupby("depth")["score"].transform("count")
    return out
