"""Custom scikit-learn transformers (estimator contract: parametrize_with_checks passes)."""

from __future__ import annotations

from typing import Any, Self

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data


class Winsorizer(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Clip each column to its training quantiles.

    Lab values inside the physiological bounds can still be typing slips (a TG of 45) that
    would dominate a linear model; clipping to the training range keeps one value from
    deciding an officer's estimate.
    """

    def __init__(self, quantile: float = 0.005) -> None:
        self.quantile = quantile

    def fit(self, X: Any, y: Any = None) -> Self:  # noqa: N803 - scikit-learn's name
        X = validate_data(self, X, dtype=np.float64)  # noqa: N806
        if not 0 <= self.quantile < 0.5:
            raise ValueError("quantile must be in [0, 0.5)")
        self.low_ = np.quantile(X, self.quantile, axis=0)
        self.high_ = np.quantile(X, 1 - self.quantile, axis=0)
        return self

    def transform(self, X: Any) -> Any:  # noqa: N803
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)  # noqa: N806
        return np.clip(X, self.low_, self.high_)
