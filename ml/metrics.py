"""Discrimination and calibration of predicted probabilities, the same for model and baselines."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score


def calibration_line(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """Slope and intercept of logit(P(y)) = a + b·logit(p) (Cox 1958; Van Calster 2016)."""
    clipped = np.clip(p, 1e-6, 1 - 1e-6)
    logit = np.log(clipped / (1 - clipped)).reshape(-1, 1)
    fit = LogisticRegression(C=1e6, max_iter=1000).fit(logit, y)
    return float(fit.coef_[0, 0]), float(fit.intercept_[0])


def evaluate_probabilities(y: np.ndarray, p: np.ndarray) -> dict[str, Any]:
    """ROC AUC, PR AUC (average precision), Brier score, calibration slope and intercept."""
    slope, intercept = calibration_line(y, p)
    return {
        "roc_auc": float(roc_auc_score(y, p)),
        "pr_auc": float(average_precision_score(y, p)),
        "brier": float(brier_score_loss(y, p)),
        "calibration_slope": slope,
        "calibration_intercept": intercept,
        "events": int(y.sum()),
        "n": len(y),
    }
