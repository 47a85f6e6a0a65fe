"""The registry loads only what passes every check; tampered, foreign, wrong-version refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import skops.io as sio
from sklearn.preprocessing import FunctionTransformer

from ml import registry
from ml.registry import ModelRefused
from ml.synthetic import ForceShape, force
from ml.training import TrainedModel, TrainingReport, train


@pytest.fixture(scope="module")
def trained() -> tuple[TrainedModel, TrainingReport]:
    return train(force(ForceShape(officers=400, years=3, seed=3)))


@pytest.fixture
def saved(tmp_path: Path, trained: tuple[TrainedModel, TrainingReport]) -> tuple[Path, str]:
    model, report = trained
    version = registry.save(
        tmp_path, model, report, catalog_version="c1", ruleset_version="r1", synthetic=True
    )
    return tmp_path, version


def test_saved_model_loads_with_its_manifest(saved: tuple[Path, str]) -> None:
    root, version = saved
    loaded = registry.load(root, version)
    manifest = loaded.manifest
    assert manifest["catalog_version"] == "c1" and manifest["ruleset_version"] == "r1"
    assert manifest["libraries"]["scikit-learn"]
    assert manifest["training_data_hash"] and manifest["sha256"]
    assert manifest["features"] == loaded.model.features
    assert "overall" in manifest["metrics"]
    assert manifest["trusted_types"] == list(registry.TRUSTED_TYPES)


def test_tampered_artefact_is_refused(saved: tuple[Path, str]) -> None:
    root, version = saved
    artefact = root / version / registry.ARTEFACT
    data = bytearray(artefact.read_bytes())
    data[len(data) // 2] ^= 0xFF
    artefact.write_bytes(bytes(data))
    with pytest.raises(ModelRefused, match="sha256") as refused:
        registry.load(root, version)
    assert refused.value.kind == "tampered"


def test_wrong_library_version_is_refused(saved: tuple[Path, str]) -> None:
    root, version = saved
    path = root / version / registry.MANIFEST
    manifest = json.loads(path.read_text())
    manifest["libraries"]["scikit-learn"] = "0.24.2"
    path.write_text(json.dumps(manifest))
    with pytest.raises(ModelRefused, match=r"0\.24\.2") as refused:
        registry.load(root, version)
    assert refused.value.kind == "wrong_version"


def test_foreign_file_with_untrusted_types_is_refused_even_with_a_matching_checksum(
    saved: tuple[Path, str],
) -> None:
    """A file someone else wrote, with a manifest recomputed to match: its types decide."""
    root, version = saved
    artefact = root / version / registry.ARTEFACT
    sio.dump({"models": {"overall": FunctionTransformer(func=print)}}, artefact)
    path = root / version / registry.MANIFEST
    manifest = json.loads(path.read_text())
    manifest["sha256"] = registry._sha256(artefact)
    path.write_text(json.dumps(manifest))
    with pytest.raises(ModelRefused, match="untrusted types") as refused:
        registry.load(root, version)
    assert refused.value.kind == "foreign"


def test_a_directory_without_our_manifest_is_refused(tmp_path: Path) -> None:
    (tmp_path / "20260101T000000Z-deadbeef").mkdir()
    with pytest.raises(ModelRefused, match="no manifest"):
        registry.load(tmp_path, "20260101T000000Z-deadbeef")
    with pytest.raises(ModelRefused, match="not a registry version"):
        registry.load(tmp_path, "../etc")


def test_activate_points_at_a_version(saved: tuple[Path, str]) -> None:
    root, version = saved
    assert registry.active_version(root) is None
    registry.activate(root, version)
    assert registry.active_version(root) == version
