"""What training produces, kept apart from scikit-learn so serving can hold and score a model
without importing the training stack (scikit-learn and SciPy cost the serving process ~70 MB)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd


@dataclass
class TrainedModel:
    """The fitted per-target models and what explanations need (training medians)."""

    models: dict[str, Any]
    features: list[str]
    medians: np.ndarray
    skipped: dict[str, str] = field(default_factory=dict)

    def predict(self, features: pd.DataFrame) -> dict[str, np.ndarray]:
        x = features[self.features].to_numpy(dtype=float)
        return {t: m.predict_proba(x)[:, 1] for t, m in self.models.items()}


@dataclass
class TrainingReport:
    train_years: list[int]
    test_year: int
    train_rows: int
    test_rows: int
    data_hash: str
    metrics: dict[str, dict[str, Any]]
    skipped: dict[str, str]
