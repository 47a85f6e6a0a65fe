"""The learned model's life: train on the store's history, promote (admins, audited), and load
the active one for scoring — refused files are audited and scoring goes on with equations.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from health.catalog import load_catalog
from health.errors import NotFound
from health.services import access, audit, rulesets
from health.services.context import Ctx
from health.vocabulary import Action
from ml import registry
from ml.artefacts import TrainingReport
from ml.registry import LoadedModel, ModelRefused

_lock = threading.Lock()
_state: dict[str, Any] = {"root": None, "loaded": None, "refused": None}


def configure(root: Path | None) -> None:
    """Where the registry lives (``<var_dir>/models``); None: equations only."""
    with _lock:
        _state.update(root=root, loaded=None, refused=None)


def registry_root() -> Path | None:
    root: Path | None = _state["root"]
    return root


@dataclass(frozen=True)
class ActiveModel:
    """The model scoring uses now (or None) and the sentence that says so."""

    model: LoadedModel | None
    status: str


def active(ctx: Ctx) -> ActiveModel:
    """The promoted model, loaded once per version after every check; refusal is audited."""
    root = registry_root()
    if root is None:
        return ActiveModel(None, "no model registry: equations only")
    version = registry.active_version(root)
    if version is None:
        return ActiveModel(None, "no active model: equations only")
    with _lock:
        loaded: LoadedModel | None = _state["loaded"]
        if loaded is not None and loaded.version == version:
            return ActiveModel(loaded, f"model {version}")
        refused: ModelRefused | None = _state["refused"]
        if refused is not None and refused.version == version:
            return ActiveModel(None, f"{refused.detail}: equations only")
        try:
            loaded = registry.load(root, version)
        except ModelRefused as exc:
            _state["refused"] = exc
            _audit_refusal(ctx, exc)
            return ActiveModel(None, f"{exc.detail}: equations only")
        _state["loaded"] = loaded
        return ActiveModel(loaded, f"model {version}")


def _audit_refusal(ctx: Ctx, exc: ModelRefused) -> None:
    audit.record(
        ctx,
        "ml.load",
        "model_version",
        resource_id=exc.version,
        outcome="refused",
        detail=f"kind={exc.kind}",
    )


def train_and_register(
    ctx: Ctx, history: pd.DataFrame, *, synthetic: bool, random_state: int = 0
) -> tuple[str, TrainingReport]:
    """Fit on ``history`` (temporal split), save with its manifest; not promoted. Audited."""
    access.require(ctx, Action.ML_TRAIN)
    root = registry_root()
    if root is None:
        raise NotFound("no model registry configured", code="no_registry")
    from ml.training import train  # scikit-learn only when an admin trains, not when serving

    trained, report = train(history, random_state=random_state)
    version = registry.save(
        root,
        trained,
        report,
        catalog_version=load_catalog().version,
        ruleset_version=rulesets.active_ruleset(ctx).version,
        synthetic=synthetic,
        now=ctx.clock(),
    )
    audit.record(
        ctx,
        "ml.train",
        "model_version",
        resource_id=version,
        detail=f"rows={report.train_rows + report.test_rows};synthetic={synthetic}",
    )
    return version, report


def promote(ctx: Ctx, version: str) -> dict[str, Any]:
    """Make a version active after loading it with every check; refusals audited and raised."""
    access.require(ctx, Action.ML_PROMOTE)
    root = registry_root()
    if root is None:
        raise NotFound("no model registry configured", code="no_registry")
    try:
        loaded = registry.load(root, version)
    except ModelRefused as exc:
        # the request rolls back; the refusal is audited afterwards in its own transaction
        ctx.deferred.append(functools.partial(_audit_refusal, exc=exc))
        raise
    registry.activate(root, version, now=ctx.clock())
    with _lock:
        _state.update(loaded=loaded, refused=None)
    audit.record(ctx, "ml.promote", "model_version", resource_id=version)
    return loaded.manifest


def list_versions(ctx: Ctx) -> list[dict[str, Any]]:
    """Registry versions with their manifest's metrics (admins)."""
    access.require(ctx, Action.ML_LIST)
    root = registry_root()
    if root is None:
        return []
    current = registry.active_version(root)
    out = []
    for version in registry.versions(root):
        try:
            manifest = registry.manifest_of(root, version)
        except ModelRefused as exc:
            out.append({"version": version, "active": version == current, "error": exc.reason})
            continue
        out.append(
            {
                "version": version,
                "active": version == current,
                "created_at": manifest.get("created_at"),
                "synthetic_training_data": manifest.get("synthetic_training_data"),
                "metrics": manifest.get("metrics"),
            }
        )
    return out
