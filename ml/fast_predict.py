"""The calibrated follow-up model evaluated as plain array arithmetic on the bulk path.

Each target's model is a CalibratedClassifierCV over three fitted pipelines (impute → winsorize →
scale → logistic regression) with a sigmoid calibrator each; its probability is the mean of
``expit(-(a·f + b))`` over the folds, ``f`` the logistic regression's decision value. Doing those
steps directly on one float matrix gives the same numbers (tested) without scikit-learn's
per-step validation, which dominates at 100,000 rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Fold:
    fill: np.ndarray
    low: np.ndarray
    high: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    a: float
    b: float


def folds_of(calibrated: Any) -> list[Fold] | None:
    """The folds' parameters, or None when the model is not of the expected shape."""
    try:
        folds = []
        for member in calibrated.calibrated_classifiers_:
            steps = dict(member.estimator.named_steps)
            impute, clip, scale, model = (
                steps["impute"],
                steps["clip"],
                steps["scale"],
                steps["model"],
            )
            (calibrator,) = member.calibrators
            folds.append(
                Fold(
                    fill=np.asarray(impute.statistics_, dtype=float),
                    low=np.asarray(clip.low_, dtype=float),
                    high=np.asarray(clip.high_, dtype=float),
                    mean=np.asarray(scale.mean_, dtype=float),
                    scale=np.asarray(scale.scale_, dtype=float),
                    coef=np.asarray(model.coef_[0], dtype=float),
                    intercept=float(model.intercept_[0]),
                    a=float(calibrator.a_),
                    b=float(calibrator.b_),
                )
            )
        return folds
    except (AttributeError, KeyError, ValueError):
        return None


def predict(calibrated: Any, x: np.ndarray) -> np.ndarray:
    """P(class 1) for each row of ``x``; scikit-learn's own path when the shape is unexpected."""
    folds = folds_of(calibrated)
    if folds is None:
        probability: np.ndarray = calibrated.predict_proba(x)[:, 1]
        return probability
    missing = np.isnan(x)
    total = np.zeros(len(x))
    for fold in folds:
        filled = np.where(missing, fold.fill, x)
        clipped = np.clip(filled, fold.low, fold.high)
        weights = fold.coef / fold.scale
        decision = np.einsum("ij,j->i", clipped, weights) + (
            fold.intercept - float(fold.mean @ weights)
        )
        total += 0.5 * (1 + np.tanh(-(fold.a * decision + fold.b) / 2))  # expit, overflow-free
    mean: np.ndarray = total / len(folds)
    return mean
