"""Acceptance (issue 10): role, task type, task status and outcome values are spelled only in
``health.vocabulary`` (and migrations and tests); everywhere else code names the enum member.

A few words of the vocabulary are also ordinary words of other vocabularies: ``officer`` is an
audit resource type and an ML column, ``system`` a FHIR coding key, ``completed`` a count
column, ``cancelled`` a FHIR Observation status, ``failed`` an upload status. Those are flagged
only where they meet a role or status (``role == "officer"``, ``status != "failed"``,
``Literal[...]``). The rest of the exceptions are listed below, each with its reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import health
from health.vocabulary import Outcome, Role, TaskStatus, TaskType

ROOT = Path(health.__file__).resolve().parent.parent
SCANNED = ("health", "api", "models", "ml")
PATTERNS = ("*.py", "*.html")  # code and the pages' templates
SKIPPED = ("health/vocabulary/", "models/migrations/")
VALUES = sorted({str(v) for e in (Role, TaskType, TaskStatus, Outcome) for v in e}, key=len)
HOMONYMS = {"officer", "system", "completed", "cancelled", "failed"}
ALTERNATIVES = "|".join(re.escape(v) for v in VALUES[::-1])
LITERAL = re.compile(r"""(["'])(""" + ALTERNATIVES + r""")\1""")
ROLE_OR_STATUS = re.compile(r"(role|status|outcome|audience)\w*\s*(==|!=|(not\s+)?in\b)|Literal\[")

# (file, value): why the literal there is not the vocabulary's word.
ELSEWHERE = {
    ("health/services/demo.py", "admin"): "the demo account's username",
    ("health/services/demo.py", "auditor"): "the demo account's username",
    ("api/web/pages/unit_pages.py", "medic"): "a template variable's name",
    ("health/services/problem_views.py", "medic"): "the advice file's key for clinical text",
    ("health/followup/notify.py", "recheck"): "the English label of the message",
    ("health/followup/notify.py", "referral"): "the English label of the message",
}


def _found() -> list[str]:
    found = []
    for top in SCANNED:
        for path in sorted(p for pattern in PATTERNS for p in (ROOT / top).rglob(pattern)):
            rel = path.relative_to(ROOT).as_posix()
            if rel.startswith(SKIPPED):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if line.lstrip().startswith("#"):
                    continue
                for match in LITERAL.finditer(line):
                    value = match.group(2)
                    if (rel, value) in ELSEWHERE:
                        continue
                    if value in HOMONYMS and not ROLE_OR_STATUS.search(line):
                        continue
                    found.append(f"{rel}:{number}: {value!r}")
    return found


def test_vocabulary_values_are_spelled_only_in_the_vocabulary_module() -> None:
    assert _found() == []


def test_the_scan_finds_a_spelled_value(tmp_path: Path) -> None:
    """The pattern catches what it is meant to (a test that cannot fail is a defect)."""
    samples = ['if task.type == "recheck":', "role != 'unit_manager'", 'x = {"on-hold": 1}']
    assert all(LITERAL.search(s) for s in samples)
    assert ROLE_OR_STATUS.search('if ctx.actor.role == "officer":')
    assert ROLE_OR_STATUS.search('{% if task.status not in ("completed", "failed") %}')
    assert not LITERAL.search('x = "rechecks"')
