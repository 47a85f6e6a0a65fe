"""Score checkups column-wise: every enabled equation, and the active model when there is one.

``score_frame`` is the bulk path (numpy over whole columns: values, bands, tiers, the model's
probabilities); ``document`` turns one row into what is sealed for it, with explanations.
Tiers: an equation's band maps to low / moderate / high (``Band.tier``); the model's overall
probability maps by ``MODEL_TIER_EDGES`` (a service policy, not a clinical threshold); the
checkup's tier is the highest of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from health.derived import fill_derived
from ml.equation_features import equation_inputs
from ml.equations import EQUATIONS
from ml.equations.base import Equation, Evaluation, evaluate
from ml.equations.explain import explain_rows, result_rows
from ml.features import feature_frame
from ml.questionnaire import as_codes
from ml.registry import LoadedModel

TIERS = ("low", "moderate", "high")
# Probability that the next checkup needs follow-up: ≥ 0.5 moderate, ≥ 0.8 high (policy).
MODEL_TIER_EDGES = (0.5, 0.8)
SCORED = tuple(e for e in EQUATIONS.values() if e.spec.enabled)


@dataclass
class Scores:
    """Column-wise results for N checkups."""

    inputs: dict[str, Any]
    evaluations: dict[str, Evaluation]
    model_version: str | None
    model_status: str
    probabilities: dict[str, np.ndarray]
    model_features: np.ndarray | None
    tier: np.ndarray

    @property
    def equations_version(self) -> str:
        return ",".join(e.spec.version for e in SCORED)


def _tier_index(equation: Equation, evaluation: Evaluation) -> np.ndarray:
    lookup = np.array([TIERS.index(b.tier) for b in equation.spec.bands] + [-1])
    return np.asarray(lookup[evaluation.band], dtype=np.int64)


def with_derived(frame: pd.DataFrame, sex: pd.Series | None = None) -> pd.DataFrame:
    """BMI, non-HDL-C and eGFR filled in where absent and computable (as screening does)."""
    numeric = {
        code: pd.to_numeric(frame[code], errors="coerce").to_numpy(dtype=float)
        for code in ("weight", "height", "tc", "hdl", "creat", "bmi", "non_hdl", "egfr")
        if code in frame
    }
    sexes = frame.get("sex", sex)
    if sexes is None or "age" not in frame:
        return frame
    filled = fill_derived(numeric, np.asarray(sexes, dtype=object), frame["age"])
    out = frame.copy()
    for code in ("bmi", "non_hdl", "egfr"):
        out[code] = filled[code]
    return out


def score_frame(
    current: pd.DataFrame,
    previous: pd.DataFrame | None,
    model: LoadedModel | None,
    *,
    model_status: str,
) -> Scores:
    """Equations and model over whole columns; a tier per row (``none`` if nothing applies)."""
    coded = as_codes(with_derived(current))
    inputs = equation_inputs(coded)
    evaluations = {e.spec.id: evaluate(e, inputs) for e in SCORED}
    best = np.full(len(current), -1, dtype=np.int64)
    for equation in SCORED:
        best = np.maximum(best, _tier_index(equation, evaluations[equation.spec.id]))
    probabilities: dict[str, np.ndarray] = {}
    features = None
    if model is not None:
        prior = (
            as_codes(with_derived(previous, sex=current["sex"])) if previous is not None else None
        )
        frame = feature_frame(coded, prior)
        features = frame[model.model.features].to_numpy(dtype=float)
        probabilities = {
            target: fitted.predict_proba(features)[:, 1]
            for target, fitted in model.model.models.items()
        }
        if "overall" in probabilities:
            model_tier = np.searchsorted(
                np.asarray(MODEL_TIER_EDGES), probabilities["overall"], "right"
            )
            best = np.maximum(best, model_tier)
    tier = np.where(best >= 0, np.asarray(TIERS, dtype=object)[np.clip(best, 0, 2)], "none")
    return Scores(
        inputs=inputs,
        evaluations=evaluations,
        model_version=model.version if model is not None else None,
        model_status=model_status,
        probabilities=probabilities,
        model_features=features,
        tier=tier.astype(object),
    )


def _row_inputs(inputs: dict[str, Any], i: int) -> dict[str, Any]:
    return {name: np.asarray(values)[i : i + 1] for name, values in inputs.items()}


def model_drivers(
    model: LoadedModel, features: np.ndarray, *, target: str = "overall", top: int = 4
) -> list[list[dict[str, Any]]]:
    """Per row, the features that moved the estimate most from the training medians.

    Occlusion: each feature set to its training median in turn; the change in probability is
    what that feature contributed for this officer (positive raised it).
    """
    fitted = model.model.models.get(target)
    if fitted is None:
        return [[] for _ in range(len(features))]
    base = fitted.predict_proba(features)[:, 1]
    effects = np.zeros_like(features)
    for j, median in enumerate(model.model.medians):
        changed = features.copy()
        changed[:, j] = median
        effects[:, j] = base - fitted.predict_proba(changed)[:, 1]
    names = model.model.features
    out = []
    for i in range(len(features)):
        order = np.argsort(-np.abs(effects[i]))[:top]
        out.append(
            [
                {
                    "feature": names[j],
                    "value": None if np.isnan(features[i, j]) else float(features[i, j]),
                    "effect": float(effects[i, j]),
                }
                for j in order
                if abs(effects[i, j]) >= 0.005
            ]
        )
    return out


def documents(scores: Scores, model: LoadedModel | None) -> list[dict[str, Any]]:
    """What is sealed per row: each equation's answer with drivers, the model's estimates."""
    n = len(scores.tier)
    per_equation: dict[str, tuple[list[dict[str, Any]], list[list[dict[str, Any]]]]] = {}
    for equation in SCORED:
        evaluation = scores.evaluations[equation.spec.id]
        rows = result_rows(equation, scores.inputs, evaluation=evaluation)
        drivers = explain_rows(equation, scores.inputs, evaluation=evaluation)
        per_equation[equation.spec.id] = (rows, drivers)
    drivers_of_model = (
        model_drivers(model, scores.model_features)
        if model is not None and scores.model_features is not None
        else [[] for _ in range(n)]
    )
    out = []
    for i in range(n):
        equations = []
        for rows, drivers in per_equation.values():
            entry = dict(rows[i])
            entry.pop("display", None)
            entry["drivers"] = [{k: v for k, v in d.items() if k != "text"} for d in drivers[i]]
            equations.append(entry)
        model_part = None
        if scores.model_version is not None:
            model_part = {
                "version": scores.model_version,
                "probabilities": {t: float(p[i]) for t, p in scores.probabilities.items()},
                "drivers": drivers_of_model[i],
            }
        out.append(
            {
                "tier": str(scores.tier[i]),
                "equations_version": scores.equations_version,
                "equations": equations,
                "model": model_part,
                "model_status": scores.model_status,
            }
        )
    return out


__all__ = ["MODEL_TIER_EDGES", "TIERS", "Scores", "documents", "model_drivers", "score_frame"]
