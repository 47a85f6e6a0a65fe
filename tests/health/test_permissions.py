"""The role × action table: whole, deny by default, and faithful to DESIGN.md's roles table."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import health
from health import permissions
from health.permissions import PERMISSIONS, SYSTEM_ONLY, allows, roles_for
from health.vocabulary import HUMAN_ROLES, Action, Role

# Actions that open an officer's health data (values, findings, tasks with reasons, readings).
HEALTH_DATA = {
    Action.CHECKUP_CREATE,
    Action.CHECKUP_IMPORT,
    Action.ME_READ,
    Action.OFFICER_CONDITIONS,
    Action.PROGRAMME_READ,
    Action.READING_READ,
    Action.TASK_READ_OWN,
    Action.TASK_TRANSITION,
    Action.EMERGENCY_GRANT,
}


def test_table_decides_every_role_and_action() -> None:
    assert permissions.undecided() == []
    assert set(PERMISSIONS) == set(Role)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_allows_is_the_table(role: Role, action: Action) -> None:
    assert allows(role, action) is (action in PERMISSIONS[role])


def test_system_actor_may_do_everything_and_alone_the_system_only_actions() -> None:
    assert all(allows(Role.SYSTEM, a) for a in Action)
    for action in SYSTEM_ONLY:
        assert roles_for(action) == frozenset(), action


def test_unknown_role_may_do_nothing() -> None:
    assert not any(allows("nurse", a) for a in Action)


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMIN, Role.MANAGER])
def test_roles_without_health_data_hold_no_health_data_action(role: Role) -> None:
    assert PERMISSIONS[role] & HEALTH_DATA == set()


def test_keys_and_erasure_are_not_any_accounts_by_default() -> None:
    """DESIGN.md: admins manage keys; erasing an officer is a CLI (system) job."""
    assert roles_for(Action.KEY_ROTATE) == {Role.ADMIN}
    assert Action.OFFICER_ERASE in SYSTEM_ONLY


def test_account_roles_are_the_roles_without_system_and_anonymous() -> None:
    assert set(HUMAN_ROLES) == set(Role) - {Role.SYSTEM, Role.ANONYMOUS}


def test_a_caller_not_signed_in_may_do_nothing() -> None:
    assert PERMISSIONS[Role.ANONYMOUS] == frozenset()


def test_a_new_role_fails_until_the_table_decides_about_it(tmp_path: Path) -> None:
    """Add a role to a scratch copy of the vocabulary: the table check names it."""
    source = Path(health.__file__).parent
    scratch = tmp_path / "health"
    shutil.copytree(source / "vocabulary", scratch / "vocabulary")
    shutil.copy(source / "permissions.py", scratch / "permissions.py")
    (scratch / "__init__.py").write_text("")
    roles = scratch / "vocabulary" / "roles.py"
    text = roles.read_text()
    roles.write_text(
        text.replace('    SYSTEM = "system"\n', '    SYSTEM = "system"\n    NURSE = "nurse"\n')
    )
    check = "from health.permissions import undecided; print(undecided())"
    out = subprocess.run(
        [sys.executable, "-c", check], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert "role nurse has no row" in out.stdout
