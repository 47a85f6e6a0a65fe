"""The follow-up model on the synthetic force: beats the rules on the held-out latest year."""

from __future__ import annotations

import numpy as np
import pytest

from ml.features import pairs
from ml.registry import LoadedModel
from ml.scoring import model_drivers, score_frame
from ml.synthetic import ForceShape, force
from ml.training import TrainedModel, TrainingReport, train


@pytest.fixture(scope="module")
def trained() -> tuple[TrainedModel, TrainingReport]:
    return train(force(ForceShape(officers=1500, years=4, seed=11)), random_state=0)


def test_synthetic_force_is_labelled_synthetic() -> None:
    frame = force(ForceShape(officers=50, years=2))
    assert frame["synthetic"].all()


def test_temporal_split_tests_on_the_latest_year(
    trained: tuple[TrainedModel, TrainingReport],
) -> None:
    _, report = trained
    assert report.test_year == 2024
    assert report.train_years == [2022, 2023]
    assert report.test_rows == 1500


def test_model_beats_rules_only_on_auc_and_brier_overall(
    trained: tuple[TrainedModel, TrainingReport],
) -> None:
    """Acceptance 3: ROC AUC higher and Brier lower than the rules-only baseline; calibration
    slope within 0.8-1.2 on the held-out year."""
    _, report = trained
    overall = report.metrics["overall"]
    assert overall["model"]["roc_auc"] > overall["rules_only"]["roc_auc"]
    assert overall["model"]["brier"] < overall["rules_only"]["brier"]
    assert 0.8 <= overall["model"]["calibration_slope"] <= 1.2
    assert set(overall) == {"model", "rules_only", "equations_only"}


def test_every_family_with_enough_events_is_trained_and_reported(
    trained: tuple[TrainedModel, TrainingReport],
) -> None:
    model, report = trained
    for family in ("bp", "glucose", "lipids", "liver"):
        assert family in model.models
        assert {"roc_auc", "pr_auc", "brier", "calibration_slope", "calibration_intercept"} <= set(
            report.metrics[family]["model"]
        )
    assert set(model.models) | set(report.skipped) == {
        "overall",
        "bp",
        "glucose",
        "lipids",
        "liver",
        "kidney",
    }


def test_explanations_name_the_features_that_moved_the_estimate(
    trained: tuple[TrainedModel, TrainingReport],
) -> None:
    model, _ = trained
    data = pairs(force(ForceShape(officers=40, years=2, seed=5)))
    features = data.features[model.features].to_numpy(dtype=float)
    drivers = model_drivers(LoadedModel("v", {}, model), features)
    probability = model.models["overall"].predict_proba(features)[:, 1]
    top = int(np.argmax(probability))
    assert drivers[top], "a high estimate has drivers"
    assert drivers[top][0]["feature"] in model.features
    assert abs(drivers[top][0]["effect"]) >= abs(drivers[top][-1]["effect"])


def test_scoring_with_the_model_raises_no_tier_above_what_equations_and_model_say(
    trained: tuple[TrainedModel, TrainingReport],
) -> None:
    model, _ = trained
    frame = force(ForceShape(officers=200, years=2, seed=9))
    current = frame[frame.year == 2022].reset_index(drop=True)
    previous = frame[frame.year == 2021].reset_index(drop=True)
    with_model = score_frame(current, previous, LoadedModel("v", {}, model), model_status="m")
    without = score_frame(current, previous, None, model_status="none")
    order = {"none": -1, "low": 0, "moderate": 1, "high": 2}
    assert all(order[a] >= order[b] for a, b in zip(with_model.tier, without.tier, strict=True))
    assert set(with_model.probabilities) == set(model.models)


def test_bulk_prediction_equals_scikit_learns(
    trained: tuple[TrainedModel, TrainingReport],
) -> None:
    """ml.fast_predict evaluates the calibrated pipelines as arrays; same numbers."""
    from ml import fast_predict

    model, _ = trained
    data = pairs(force(ForceShape(officers=200, years=3, seed=13)))
    x = data.features[model.features].to_numpy(dtype=float)
    for fitted in model.models.values():
        assert fast_predict.folds_of(fitted) is not None
        expected = fitted.predict_proba(x)[:, 1]
        assert np.allclose(fast_predict.predict(fitted, x), expected, rtol=0, atol=1e-12)
