"""The model registry: skops artefacts with a manifest, loaded only after every check passes.

Layout under the registry root: ``<version>/model.skops``, ``<version>/manifest.json`` and
``active.json`` naming the promoted version. A file is loaded only when its manifest is ours
(format), its sha256 matches, it was written by this scikit-learn (major.minor), and skops finds
no type outside ``TRUSTED_TYPES``; anything else is refused with the reason, never unpickled.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from health.errors import HealthError
from ml.artefacts import TrainedModel, TrainingReport

FORMAT = "officer-health-model/1"
ARTEFACT = "model.skops"
MANIFEST = "manifest.json"
ACTIVE = "active.json"
# Types skops does not trust by default that our artefacts legitimately hold; nothing else.
TRUSTED_TYPES = (
    "ml.transformers.Winsorizer",
    "numpy.dtype",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
)
_VERSION = re.compile(r"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}$")


class ModelRefused(HealthError):
    """A model file failed a check (tampered, foreign, wrong version): it is not loaded."""

    status = 409
    code = "model_refused"
    title = "Model refused"

    def __init__(self, version: str, reason: str, *, kind: str) -> None:
        super().__init__(f"model {version} refused: {reason}")
        self.version = version
        self.reason = reason
        self.kind = kind


@dataclass(frozen=True)
class LoadedModel:
    version: str
    manifest: dict[str, Any]
    model: TrainedModel


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def save(
    root: Path,
    trained: TrainedModel,
    report: TrainingReport,
    *,
    catalog_version: str,
    ruleset_version: str,
    synthetic: bool,
    now: datetime | None = None,
) -> str:
    """Write the artefact and its manifest under a new version; nothing is promoted."""
    import sklearn  # imported here: the serving process loads models rarely and trains never
    import skops
    import skops.io as sio

    now = now or datetime.now(UTC)
    root.mkdir(parents=True, exist_ok=True)
    staging = root / f".staging-{os.getpid()}-{now.timestamp():.0f}"
    staging.mkdir()
    artefact = staging / ARTEFACT
    sio.dump(
        {"models": trained.models, "features": trained.features, "medians": trained.medians},
        artefact,
    )
    sha = _sha256(artefact)
    version = f"{now.strftime('%Y%m%dT%H%M%SZ')}-{sha[:8]}"
    manifest = {
        "format": FORMAT,
        "version": version,
        "created_at": now.isoformat(),
        "libraries": {
            "scikit-learn": sklearn.__version__,
            "skops": skops.__version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
        },
        "catalog_version": catalog_version,
        "ruleset_version": ruleset_version,
        "features": trained.features,
        "targets": sorted(trained.models),
        "skipped": trained.skipped,
        "training_data_hash": report.data_hash,
        "synthetic_training_data": synthetic,
        "training": {
            "train_years": report.train_years,
            "test_year": report.test_year,
            "train_rows": report.train_rows,
            "test_rows": report.test_rows,
        },
        "metrics": report.metrics,
        "artefact": ARTEFACT,
        "sha256": sha,
        "trusted_types": list(TRUSTED_TYPES),
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    staging.rename(root / version)
    return version


def versions(root: Path) -> list[str]:
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and _VERSION.match(p.name))


def manifest_of(root: Path, version: str) -> dict[str, Any]:
    if not _VERSION.match(version):
        raise ModelRefused(version, "not a registry version name", kind="foreign")
    path = root / version / MANIFEST
    if not path.is_file():
        raise ModelRefused(version, "no manifest in the registry", kind="foreign")
    try:
        manifest: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ModelRefused(version, "manifest unreadable", kind="tampered") from exc
    if manifest.get("format") != FORMAT or manifest.get("version") != version:
        raise ModelRefused(version, "manifest is not ours", kind="foreign")
    return manifest


def load(root: Path, version: str) -> LoadedModel:
    """Checksum, library version and type checks, then skops with the explicit trusted list."""
    import sklearn  # imported here, as in ``save``: only when a model is actually loaded
    import skops.io as sio

    manifest = manifest_of(root, version)
    artefact = root / version / ARTEFACT
    if not artefact.is_file():
        raise ModelRefused(version, "artefact missing", kind="tampered")
    if _sha256(artefact) != manifest.get("sha256"):
        raise ModelRefused(version, "sha256 does not match the manifest", kind="tampered")
    written_by = str(manifest.get("libraries", {}).get("scikit-learn", ""))
    if _minor(written_by) != _minor(sklearn.__version__):
        raise ModelRefused(
            version,
            f"written by scikit-learn {written_by}, running {sklearn.__version__}",
            kind="wrong_version",
        )
    try:
        untrusted = set(sio.get_untrusted_types(file=artefact))
    except Exception as exc:  # skops raises several types on malformed files
        raise ModelRefused(version, "artefact is not a skops file", kind="foreign") from exc
    foreign = sorted(untrusted - set(TRUSTED_TYPES))
    if foreign:
        raise ModelRefused(version, f"untrusted types {', '.join(foreign)}", kind="foreign")
    try:
        state = sio.load(artefact, trusted=list(TRUSTED_TYPES))
    except Exception as exc:
        raise ModelRefused(version, "artefact failed to load", kind="foreign") from exc
    model = TrainedModel(
        models=dict(state["models"]),
        features=list(state["features"]),
        medians=np.asarray(state["medians"], dtype=float),
        skipped=dict(manifest.get("skipped", {})),
    )
    if model.features != manifest.get("features"):
        raise ModelRefused(version, "features differ from the manifest", kind="tampered")
    return LoadedModel(version, manifest, model)


def active_version(root: Path) -> str | None:
    path = root / ACTIVE
    if not path.is_file():
        return None
    try:
        version = json.loads(path.read_text()).get("version")
    except (OSError, ValueError):
        return None
    return version if isinstance(version, str) else None


def activate(root: Path, version: str, *, now: datetime | None = None) -> None:
    """Point ``active.json`` at a version (atomic rename); the caller has loaded it first."""
    now = now or datetime.now(UTC)
    tmp = root / f".{ACTIVE}.{os.getpid()}"
    tmp.write_text(json.dumps({"version": version, "promoted_at": now.isoformat()}))
    tmp.replace(root / ACTIVE)
