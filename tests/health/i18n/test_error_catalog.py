"""Every error code raised anywhere has a problem message in zh-CN and en.

Codes are collected from the source tree, so a code added in any module (by anyone, in
parallel) fails here until it has its two messages; the failure names the file and line that
raise it and where to add the message.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from health.i18n.errors import ERROR_MESSAGES, ROW_REASON_MESSAGES
from health.ingest import ReasonCode

REPO = Path(__file__).resolve().parents[3]
PACKAGES = ("health", "api", "models", "ml")
CATALOG = "health/i18n/errors.py"
ROOT_ERROR = "HealthError"
# The API's own handlers answer with these codes (api/problems.py).
HANDLER_CODES = ("validation_error", "http_error", "internal")


@dataclass(frozen=True)
class Raised:
    code: str
    where: str


def _trees() -> list[tuple[str, ast.Module]]:
    trees = []
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            trees.append((str(path.relative_to(REPO)), ast.parse(path.read_text("utf-8"))))
    return trees


def _base_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def error_classes(trees: list[tuple[str, ast.Module]]) -> dict[str, tuple[str, ast.ClassDef]]:
    """Every class deriving (through any chain of names) from HealthError."""
    classes: dict[str, tuple[str, ast.ClassDef]] = {}
    bases: dict[str, set[str]] = {}
    for where, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                names = {n for n in map(_base_name, node.bases) if n}
                bases.setdefault(node.name, set()).update(names)
                classes.setdefault(node.name, (where, node))
    derived = {ROOT_ERROR}
    changed = True
    while changed:
        changed = False
        for name, parents in bases.items():
            if name not in derived and parents & derived:
                derived.add(name)
                changed = True
    return {name: classes[name] for name in derived if name in classes}


def raised_codes() -> list[Raised]:
    """Codes given as class attributes of error classes and as ``code=`` when raising them."""
    trees = _trees()
    errors = error_classes(trees)
    found: list[Raised] = []
    for where, node in errors.values():
        for statement in node.body:
            if (
                isinstance(statement, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "code" for t in statement.targets)
                and isinstance(statement.value, ast.Constant)
            ):
                found.append(Raised(str(statement.value.value), f"{where}:{statement.lineno}"))
    for where, tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _base_name(node.func) not in errors:
                continue
            for keyword in node.keywords:
                if keyword.arg != "code":
                    continue
                if isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
                    found.append(Raised(keyword.value.value, f"{where}:{node.lineno}"))
                else:
                    found.append(Raised("<not a string literal>", f"{where}:{node.lineno}"))
    found += [Raised(code, "api/problems.py (handler)") for code in HANDLER_CODES]
    return found


def test_collector_finds_codes_across_the_tree() -> None:
    codes = {r.code for r in raised_codes()}
    assert {"officer_not_found", "invalid_checkup", "ruleset_invalid", "bad_analytes"} <= codes
    assert "FORCE" not in codes  # a unit code passed as code=, not an error


def test_every_error_code_has_a_message_in_both_languages() -> None:
    missing = []
    for raised in raised_codes():
        texts = ERROR_MESSAGES.get(raised.code)
        if texts is None or not texts.get("zh") or not texts.get("en"):
            missing.append(raised)
    hint = "\n".join(
        f"  {r.code!r} raised at {r.where}: add "
        f'"{r.code}": ("<中文>", "<English>"), to _MESSAGES in {CATALOG}'
        if r.code != "<not a string literal>"
        else f"  {r.where}: pass code= as a string literal so it can be checked"
        for r in missing
    )
    assert not missing, f"error codes without a zh-CN/en problem message:\n{hint}"


def test_every_row_reason_code_has_a_message_in_both_languages() -> None:
    missing = [c.value for c in ReasonCode if not ROW_REASON_MESSAGES.get(c.value)]
    assert missing == [], f"add them to _ROW_REASONS in {CATALOG}"
