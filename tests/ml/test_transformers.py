"""The custom transformers keep scikit-learn's estimator contract."""

from __future__ import annotations

import numpy as np
from sklearn.utils.estimator_checks import parametrize_with_checks

from ml.transformers import Winsorizer


@parametrize_with_checks([Winsorizer(), Winsorizer(quantile=0.1)])
def test_sklearn_contract(estimator, check):  # type: ignore[no-untyped-def]
    check(estimator)


def test_winsorizer_clips_to_training_quantiles() -> None:
    train = np.arange(1000, dtype=float).reshape(-1, 1)
    clipper = Winsorizer(quantile=0.01).fit(train)
    out = clipper.transform(np.array([[-50.0], [500.0], [5000.0]]))
    assert out[0, 0] == clipper.low_[0]
    assert out[1, 0] == 500.0
    assert out[2, 0] == clipper.high_[0]
