"""Which ruleset and follow-up policy are in force, and how an admin changes them.

A new version is validated against the analyte catalog before it is stored; a refused file
leaves the active version in force. Activation never rewrites stored findings: ``rescreen``
applies a new version to the latest checkups explicitly.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import yaml

from health.catalog import canonical_units
from health.errors import Conflict, NotFound
from health.followup import FollowupPolicy, default_policy
from health.followup.policy import parse_policy
from health.screening import Ruleset, RulesetError, RulesetProblem, default_ruleset, parse_ruleset
from health.services import access, audit
from health.services.context import Ctx
from health.vocabulary import Action
from models.repositories import rulesets as rulesets_repo
from models.tables import RulesetVersion

SCREENING, FOLLOWUP = "screening", "followup"
_cache: dict[uuid.UUID, Ruleset | FollowupPolicy] = {}


@lru_cache(maxsize=1)
def catalog_units() -> Mapping[str, str]:
    """Canonical units by analyte from the catalog: what every ruleset must grade in."""
    return canonical_units()


def parse(kind: str, text: str, filename: str) -> Ruleset | FollowupPolicy:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RulesetError(
            [RulesetProblem(filename, "-", "-", f"not valid YAML ({type(exc).__name__})")]
        ) from None
    if kind == SCREENING:
        return parse_ruleset(raw, file=filename, analyte_units=catalog_units())
    return parse_policy(raw, file=filename, ruleset=default_ruleset())


def _parsed(row: RulesetVersion) -> Ruleset | FollowupPolicy:
    """Stored versions were validated on upload; parse each once per process."""
    if row.id not in _cache:
        _cache[row.id] = parse(row.kind, row.text, f"{row.name}@{row.version}")
    return _cache[row.id]


def _ruleset(row: RulesetVersion | None) -> Ruleset:
    parsed = default_ruleset() if row is None else _parsed(row)
    assert isinstance(parsed, Ruleset)
    return parsed


def active_ruleset(ctx: Ctx) -> Ruleset:
    """The uploaded version an admin activated, else the packaged default."""
    return _ruleset(rulesets_repo.active(ctx.session, SCREENING))


def active_policy(ctx: Ctx) -> FollowupPolicy:
    row = rulesets_repo.active(ctx.session, FOLLOWUP)
    parsed = default_policy() if row is None else _parsed(row)
    assert isinstance(parsed, FollowupPolicy)
    return parsed


def ruleset_by_version(ctx: Ctx, version: str) -> Ruleset:
    """The ruleset that produced a stored finding (its advice texts are read from it)."""
    if version == default_ruleset().version:
        return default_ruleset()
    return _ruleset(rulesets_repo.by_version(ctx.session, SCREENING, version))


def upload(ctx: Ctx, kind: str, text: str, filename: str) -> RulesetVersion:
    """Validate and store a new version (inactive until activated)."""
    access.require(ctx, Action.RULESET_UPLOAD)
    parsed = parse(kind, text, filename)
    name = parsed.name
    version = parsed.version
    if rulesets_repo.by_version(ctx.session, kind, version) is not None or (
        kind == SCREENING and version == default_ruleset().version
    ):
        raise Conflict(
            f"{kind} version {version!r} already exists; give it a new version",
            code="version_exists",
        )
    row = RulesetVersion(
        id=uuid.uuid4(),
        kind=kind,
        name=name,
        version=version,
        text=text,
        uploaded_by=ctx.actor.id,
        uploaded_at=ctx.clock(),
        active=False,
    )
    rulesets_repo.add(ctx.session, row)
    _cache[row.id] = parsed
    audit.record(
        ctx,
        "ruleset.upload",
        "ruleset_version",
        resource_id=str(row.id),
        detail=f"{kind} {version}",
    )
    return row


def activate(ctx: Ctx, ruleset_id: uuid.UUID) -> RulesetVersion:
    access.require(ctx, Action.RULESET_ACTIVATE)
    row = rulesets_repo.get(ctx.session, ruleset_id)
    if row is None:
        raise NotFound("ruleset not found", code="ruleset_not_found")
    rulesets_repo.activate(ctx.session, row, ctx.clock())
    audit.record(
        ctx,
        "ruleset.activate",
        "ruleset_version",
        resource_id=str(row.id),
        detail=f"{row.kind} {row.version}",
    )
    return row


@dataclass(frozen=True)
class Listed:
    """One version as listed: an uploaded one, or the packaged default (``builtin``)."""

    id: uuid.UUID
    kind: str
    name: str
    version: str
    uploaded_by: str
    uploaded_at: datetime | None
    active: bool
    builtin: bool = False


def list_versions(ctx: Ctx, kind: str) -> list[Listed]:
    """Every version of a kind, the packaged default first: it is in force until an uploaded
    version is activated (the list was empty while it was)."""
    access.require(ctx, Action.RULESET_LIST)
    rows = rulesets_repo.list_kind(ctx.session, kind)
    default = default_ruleset() if kind == SCREENING else default_policy()
    builtin = Listed(
        id=uuid.uuid5(uuid.NAMESPACE_URL, f"officer-health:builtin:{kind}:{default.version}"),
        kind=kind,
        name=default.name,
        version=default.version,
        uploaded_by="built-in",
        uploaded_at=None,
        active=not any(row.active for row in rows),
        builtin=True,
    )
    uploaded = [
        Listed(r.id, r.kind, r.name, r.version, r.uploaded_by, r.uploaded_at, r.active)
        for r in rows
    ]
    return [builtin, *uploaded]
