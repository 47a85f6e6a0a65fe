"""Train the follow-up model: temporal split, calibration, and the baselines beside it.

Earlier years train, the latest label year tests. Each target (overall and each family) gets a
calibrated pipeline (impute → winsorize → scale → logistic regression, sigmoid calibration on
3 folds). Baselines on the same split: rules-only (this checkup's rule flag for the family,
turned into a probability by the training rate of each flag value) and equation-only (a
logistic fit on the published equations' outputs).
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from ml.artefacts import TrainedModel, TrainingReport
from ml.equation_features import EQUATION_FEATURES, equation_features
from ml.features import FEATURES, TARGETS, Pairs, pairs
from ml.metrics import evaluate_probabilities
from ml.transformers import Winsorizer

MIN_EVENTS = 20


def pipeline(random_state: int = 0) -> Pipeline:
    return Pipeline(
        [
            ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
            ("clip", Winsorizer(quantile=0.005)),
            ("scale", StandardScaler()),
            ("model", LogisticRegression(C=0.5, max_iter=2000, random_state=random_state)),
        ]
    )


def data_hash(history: pd.DataFrame) -> str:
    """sha256 over the training rows (order-independent), recorded in the manifest."""
    ordered = history.sort_values(["officer", "year"]).reset_index(drop=True)
    hashed = pd.util.hash_pandas_object(ordered, index=False).to_numpy()
    return hashlib.sha256(hashed.tobytes()).hexdigest()


def _rules_baseline(flag_train: np.ndarray, y_train: np.ndarray, flag_test: np.ndarray) -> Any:
    rate = {v: float(y_train[flag_train == v].mean()) for v in (0, 1) if (flag_train == v).any()}
    overall = float(y_train.mean())
    return np.array([rate.get(int(v), overall) for v in flag_test])


def train(history: pd.DataFrame, *, random_state: int = 0) -> tuple[TrainedModel, TrainingReport]:
    """Fit every target with enough events; report model and baselines on the latest year."""
    data = pairs(history)
    test_year = int(data.label_year.max())
    test = data.label_year == test_year
    if test.all():
        raise ValueError("need checkups from at least three years for a temporal split")
    x = data.features.to_numpy(dtype=float)
    eq = equation_features(data.current)
    models: dict[str, Any] = {}
    metrics: dict[str, dict[str, Any]] = {}
    skipped: dict[str, str] = {}
    for target in TARGETS:
        y = data.labels[target].to_numpy()
        if y[~test].sum() < MIN_EVENTS or y[test].sum() < 5 or (1 - y[test]).sum() < 5:
            skipped[target] = (
                f"too few events (train {int(y[~test].sum())}, test {int(y[test].sum())})"
            )
            continue
        model = CalibratedClassifierCV(pipeline(random_state), method="sigmoid", cv=3)
        model.fit(x[~test], y[~test])
        models[target] = model
        flag = _flag_for(data, target)
        eq_model = make_pipeline(
            SimpleImputer(strategy="median", keep_empty_features=True),
            StandardScaler(),
            LogisticRegression(max_iter=1000),
        ).fit(eq[~test], y[~test])
        metrics[target] = {
            "model": evaluate_probabilities(y[test], model.predict_proba(x[test])[:, 1]),
            "rules_only": evaluate_probabilities(
                y[test], _rules_baseline(flag[~test], y[~test], flag[test])
            ),
            "equations_only": evaluate_probabilities(
                y[test], eq_model.predict_proba(eq[test])[:, 1]
            ),
        }
    trained = TrainedModel(
        models=models,
        features=list(FEATURES),
        medians=pd.DataFrame(x[~test]).median().fillna(0.0).to_numpy(dtype=float),
        skipped=skipped,
    )
    report = TrainingReport(
        train_years=sorted({int(y) for y in data.label_year[~test]}),
        test_year=test_year,
        train_rows=int((~test).sum()),
        test_rows=int(test.sum()),
        data_hash=data_hash(history),
        metrics=metrics,
        skipped=skipped,
    )
    return trained, report


def _flag_for(data: Pairs, target: str) -> np.ndarray:
    flags: np.ndarray = data.current_flags[target].to_numpy()
    return flags


__all__ = ["EQUATION_FEATURES", "TrainedModel", "TrainingReport", "train"]
