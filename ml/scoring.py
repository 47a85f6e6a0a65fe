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
from ml import fast_predict
from ml.equation_features import equation_inputs
from ml.equations import EQUATIONS
from ml.equations.base import Equation, Evaluation, evaluate
from ml.equations.explain import explain_rows, result_rows
from ml.features import feature_frame
from ml.questionnaire import YES_NO, as_codes
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


NUMERIC = (
    "age", "height", "weight", "waist", "bmi", "sbp", "dbp", "tc", "tg", "hdl", "ldl", "non_hdl",
    "glu", "hba1c", "alt", "ast", "ggt", "creat", "egfr", "ua",
)  # fmt: skip


def slim(frame: pd.DataFrame, sex: Any = None) -> pd.DataFrame:
    """Only the columns scoring reads, built once: numbers as floats, derived values filled
    in where absent (as screening does), questionnaire answers as codes."""
    data: dict[str, Any] = {
        code: pd.to_numeric(frame[code], errors="coerce").to_numpy(dtype=float)
        for code in NUMERIC
        if code in frame
    }
    sexes = frame.get("sex", sex)
    data["sex"] = np.asarray(sexes, dtype=object) if sexes is not None else None
    if data["sex"] is not None and "age" in data:
        filled = fill_derived(data, data["sex"], data["age"])
        data.update({code: filled[code] for code in ("bmi", "non_hdl", "egfr")})
    if data["sex"] is None:
        del data["sex"]
    coded = as_codes(
        frame[[c for c in ("smoking", "family_history_diabetes", *YES_NO) if c in frame]]
    )
    data.update({name: coded[name].to_numpy() for name in coded.columns})
    return pd.DataFrame(data, index=pd.RangeIndex(len(frame)))


def with_derived(frame: pd.DataFrame, sex: Any = None) -> pd.DataFrame:
    """``slim`` under the name the training CLI uses for the store's history."""
    kept = frame[[c for c in ("officer", "year") if c in frame]].reset_index(drop=True)
    return pd.concat([kept, slim(frame, sex)], axis=1)


def score_frame(
    current: pd.DataFrame,
    previous: pd.DataFrame | None,
    model: LoadedModel | None,
    *,
    model_status: str,
) -> Scores:
    """Equations and model over whole columns; a tier per row (``none`` if nothing applies)."""
    coded = slim(current)
    inputs = equation_inputs(coded)
    evaluations = {e.spec.id: evaluate(e, inputs) for e in SCORED}
    best = np.full(len(current), -1, dtype=np.int64)
    for equation in SCORED:
        best = np.maximum(best, _tier_index(equation, evaluations[equation.spec.id]))
    probabilities: dict[str, np.ndarray] = {}
    features = None
    if model is not None:
        prior = slim(previous, sex=current["sex"]) if previous is not None else None
        frame = feature_frame(coded, prior)
        features = frame[model.model.features].to_numpy(dtype=float)
        probabilities = {
            target: fast_predict.predict(fitted, features)
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


def _column(values: Any) -> list[Any]:
    """A column as JSON-ready Python values: NaN → None, numpy scalars → Python."""
    array = np.asarray(values)
    if array.dtype.kind == "f":
        array = array.astype(object)
        array[np.isnan(array.astype(float))] = None
    column: list[Any] = array.tolist()
    return column


def documents(scores: Scores) -> list[dict[str, Any]]:
    """What is sealed per row, compact: the inputs as scored, each equation's value, band and
    why-not masks, and the model's probabilities and features. Explanations are derived from
    these when the score is read (``render``), so the bulk path builds no text."""
    n = len(scores.tier)
    inputs = {name: _column(values) for name, values in scores.inputs.items()}
    equations = {
        equation_id: (
            _column(e.value),
            e.band.tolist(),
            e.missing.tolist(),
            e.outside.tolist(),
        )
        for equation_id, e in scores.evaluations.items()
    }
    probabilities = {t: p.tolist() for t, p in scores.probabilities.items()}
    features = _column(scores.model_features) if scores.model_features is not None else [None] * n
    tiers = [str(t) for t in scores.tier]
    out = []
    for i in range(n):
        out.append(
            {
                "tier": tiers[i],
                "equations_version": scores.equations_version,
                "inputs": {name: values[i] for name, values in inputs.items()},
                "equations": {
                    equation_id: [v[i], b[i], m[i], o[i]]
                    for equation_id, (v, b, m, o) in equations.items()
                },
                "model": None
                if scores.model_version is None
                else {
                    "version": scores.model_version,
                    "probabilities": {t: p[i] for t, p in probabilities.items()},
                    "features": features[i],
                },
                "model_status": scores.model_status,
            }
        )
    return out


def render(document: dict[str, Any], *, language: str, model: LoadedModel | None) -> dict[str, Any]:
    """A stored score for reading: each equation's answer with the inputs that drive it (in
    words), and the model's estimates with the features that moved them (when the model that
    scored it is the one loaded now)."""
    inputs = {
        name: np.asarray([np.nan if value is None else value])
        if isinstance(value, int | float) or value is None
        else np.asarray([value], dtype=object)
        for name, value in document["inputs"].items()
    }
    equations = []
    for equation_id, (value, band, missing, outside) in document["equations"].items():
        equation = EQUATIONS.get(equation_id)
        if equation is None:
            continue
        evaluation = Evaluation(
            value=np.asarray([np.nan if value is None else value], dtype=np.float64),
            band=np.asarray([band], dtype=np.int64),
            missing=np.asarray([missing], dtype=np.int64),
            outside=np.asarray([outside], dtype=np.int64),
        )
        row = result_rows(equation, inputs, language=language, evaluation=evaluation)[0]
        row["drivers"] = explain_rows(equation, inputs, language=language, evaluation=evaluation)[0]
        equations.append(row)
    stored_model = document.get("model")
    model_part = None
    if stored_model is not None:
        drivers: list[dict[str, Any]] | None = None
        if model is not None and model.version == stored_model["version"]:
            row_features = np.asarray(
                [[np.nan if v is None else v for v in stored_model["features"]]], dtype=float
            )
            drivers = model_drivers(model, row_features)[0]
        model_part = {
            "version": stored_model["version"],
            "probabilities": stored_model["probabilities"],
            "drivers": drivers,
        }
    return {
        "tier": document["tier"],
        "equations_version": document["equations_version"],
        "model_status": document["model_status"],
        "equations": equations,
        "model": model_part,
    }


__all__ = [
    "MODEL_TIER_EDGES",
    "TIERS",
    "Scores",
    "documents",
    "model_drivers",
    "render",
    "score_frame",
]
