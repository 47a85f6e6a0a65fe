"""Every word the pages show for a code: errors, row problems, task vocabulary, families.

Codes are stable (services and the ingest readers emit them); the words are marked with ``N_``
so Babel extracts them into the ``.po`` files and translators see them next to the templates'.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from health.errors import HealthError
from health.i18n import Lang
from health.i18n.errors import ERROR_MESSAGES, error_message
from health.vocabulary import Outcome, Role, TaskMove, TaskStatus, TaskType


def N_(text: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark a string for extraction; it is translated where it is shown."""
    return text


ERRORS: dict[str, str] = {
    "bad_credentials": N_("Wrong username or password."),
    "account_locked": N_("Too many failed sign-ins. Try again in a quarter of an hour."),
    "totp_required": N_("Enter the current six-digit code from your authenticator app."),
    "login_required": N_("Please sign in."),
    "session_ended": N_("Your session has ended. Please sign in again."),
    "csrf_refused": N_(
        "This form has expired or did not come from this site. Reload the page and try again."
    ),
    "officer_not_found": N_("No officer found that you may see. Check the badge number."),
    "badge_exists": N_("This badge number is already registered."),
    "identifier_exists": N_("This badge or ID number is already registered."),
    "bad_sex": N_("Choose the sex."),
    "bad_badge": N_("Enter the badge number."),
    "weak_password": N_("The password is too short."),
    "username_taken": N_("This username is already taken."),
    "bad_role": N_("Choose a role."),
    "bad_units": N_("Only medics and unit managers are assigned units."),
    "bad_officer_link": N_("An officer account needs the officer's record, and only it does."),
    "unit_exists": N_("A unit with this code already exists."),
    "unit_not_found": N_("The unit was not found."),
    "bad_unit_kind": N_("Choose the kind of unit."),
    "stale_etag": N_("Someone changed this task meanwhile. Review it and try again."),
    "if_match_required": N_("Reload the task and try again."),
    "task_not_found": N_("The task was not found."),
    "upload_not_found": N_("The upload was not found."),
    "user_not_found": N_("The account was not found."),
    "reason_required": N_("Give a reason of at least ten characters."),
    "bad_duration": N_("Choose a shorter duration."),
    "not_needed": N_("This officer is in your units; no emergency access is needed."),
    "too_large": N_("The file is too large for the web form; split the session."),
    "empty_file": N_("Choose a file to upload."),
    "bad_date": N_("Enter a valid date."),
    "bad_value": N_("Enter a number."),
    "invalid_transition": N_("This step is not possible for the task in its current state."),
    "outcome_required": N_("Choose an outcome."),
    "outcome_not_allowed": N_("This outcome is not possible for this step."),
    "acknowledgement_required": N_("Acknowledge the critical value with a comment."),
    "conclusion_required": N_("Enter the treating doctor's conclusion as the comment."),
    "due_required": N_("Choose a new due date."),
    "illegal_transition": N_("This step is not possible for the task in its current state."),
    "no_results": N_("Enter at least one result."),
    "invalid_checkup": N_("Some results are not valid; see the marked fields."),
}

BY_STATUS: dict[int, str] = {
    400: N_("Some of what was entered is not valid. Correct it and try again."),
    401: N_("Please sign in."),
    403: N_("Your role may not open this page. Use the menu to go to your own pages."),
    404: N_("This page or record does not exist, or you may not see it."),
    409: N_("This conflicts with what is already stored."),
    412: N_("Someone changed this meanwhile. Reload and try again."),
    422: N_("Some of what was entered is not valid. Correct it and try again."),
    428: N_("Reload the page and try again."),
}
FALLBACK = N_("Something went wrong on our side. Try again later; nothing was changed.")

REASONS: dict[str, str] = {
    "unknown_analyte": N_("unknown checkup item"),
    "unknown_column": N_("unknown column"),
    "duplicate_column": N_("column appears twice"),
    "missing_column": N_("a required column is missing"),
    "unit_not_convertible": N_("unit not accepted for this item"),
    "implausible_value": N_("value impossible for this item (typing or unit error?)"),
    "malformed_value": N_("not a valid value"),
    "malformed_date": N_("not a valid date"),
    "missing_officer": N_("no officer with this badge number in your units"),
    "duplicate_in_file": N_("the same officer and date appear twice"),
    "malformed_file": N_("the file cannot be read"),
    "invalid_resource": N_("invalid FHIR resource"),
    "no_results": N_("the row has no results"),
    "unit_not_yours": N_("not one of the units you serve"),
    "empty": N_("empty"),
}

TASK_TYPES: dict[str, str] = {
    TaskType.URGENT_CONTACT: N_("Urgent contact"),
    TaskType.RECHECK: N_("Recheck"),
    TaskType.REFERRAL: N_("Referral"),
    TaskType.LIFESTYLE: N_("Lifestyle advice"),
    TaskType.HOME_VISIT: N_("Home visit"),
}
STATUSES: dict[str, str] = {
    TaskStatus.REQUESTED: N_("Requested"),
    TaskStatus.ACCEPTED: N_("Accepted"),
    TaskStatus.IN_PROGRESS: N_("In progress"),
    TaskStatus.ON_HOLD: N_("On hold"),
    TaskStatus.COMPLETED: N_("Completed"),
    TaskStatus.CANCELLED: N_("Cancelled"),
    TaskStatus.FAILED: N_("Failed"),
}
ACTIONS: dict[str, str] = {
    TaskMove.ACCEPT: N_("Accept"),
    TaskMove.START: N_("Start"),
    TaskMove.HOLD: N_("Put on hold"),
    TaskMove.RESUME: N_("Resume"),
    TaskMove.RECORD_CONTACT: N_("Record an outreach attempt"),
    TaskMove.COMPLETE: N_("Complete"),
    TaskMove.CANCEL: N_("Cancel"),
    TaskMove.FAIL: N_("Close as failed"),
}
OUTCOMES: dict[str, str] = {
    Outcome.DONE_WITH_RESULT: N_("Done, with a result"),
    Outcome.AGREED_TO_VISIT: N_("Agreed to visit"),
    Outcome.CALL_AGAIN_LATER: N_("Call again later"),
    Outcome.UNREACHABLE: N_("Unreachable"),
    Outcome.DECLINED: N_("Declined"),
    Outcome.TRANSFERRED: N_("Transferred"),
    Outcome.NOT_NEEDED_AFTER_REVIEW: N_("Not needed after review"),
}
SEVERITIES = {
    "normal": N_("Normal"),
    "borderline": N_("Borderline"),
    "abnormal": N_("Abnormal"),
    "critical": N_("Critical"),
}
FAMILIES = {
    "blood_pressure": N_("Blood pressure"),
    "body": N_("Body measures"),
    "blood_count": N_("Blood count"),
    "liver": N_("Liver"),
    "kidney": N_("Kidney"),
    "uric_acid": N_("Uric acid"),
    "lipids": N_("Lipids"),
    "glucose": N_("Glucose"),
    "urine": N_("Urine"),
    "ecg": N_("ECG"),
    "chest": N_("Chest X-ray"),
    "abdomen": N_("Abdominal ultrasound"),
    "eye": N_("Eyes"),
    "metabolic": N_("Metabolic syndrome"),
    "other": N_("Other"),
}
ROLES: dict[str, str] = {
    Role.OFFICER: N_("Officer"),
    Role.MEDIC: N_("Medic"),
    Role.MANAGER: N_("Unit manager"),
    Role.AUDITOR: N_("Auditor"),
    Role.ADMIN: N_("Administrator"),
    Role.INTEGRATOR: N_("Integration client"),
    Role.SYSTEM: N_("System"),
}
PURPOSES = {
    "care": N_("Care"),
    "self": N_("Self"),
    "emergency": N_("Emergency access"),
    "audit": N_("Audit"),
    "management": N_("Management"),
}
OUTCOME_OF_EVENT = {
    "success": N_("Allowed"),
    "denied": N_("Refused"),
    "failure": N_("Failed"),
    "locked": N_("Locked"),
    "broken": N_("Broken"),
}
UNIT_KINDS = {
    "force": N_("Force"),
    "bureau": N_("Bureau"),
    "station": N_("Station"),
    "team": N_("Team"),
}
MODES = {"all": N_("All or nothing"), "valid": N_("Valid rows only")}
LAYOUTS = {"wide": N_("One row per officer"), "long": N_("One row per result"), "fhir": "FHIR"}
ACCESS_ACTIONS = {
    "officer.read": N_("Read personal details"),
    "officer.lookup": N_("Found by badge number"),
    "officer.create": N_("Registered"),
    "checkup.read": N_("Read checkups"),
    "checkup.create": N_("Added a checkup"),
    "finding.read": N_("Read findings"),
    "task.read": N_("Read a follow-up task"),
    "emergency.grant": N_("Emergency access granted"),
    "scope.granted": N_("A medic was given your unit"),
}
OTHER_ACCESS = N_("Other access to your record")
TASK_WORK = N_("Worked on a follow-up task")


def error_text(gettext: Callable[[str], str], error: HealthError, lang: Lang = "zh") -> str:
    """A message in the page's language for a problem; never the (English) service detail.
    The pages' own wording first, then the API's message for the code, then one by status."""
    if error.code in ERRORS:
        return gettext(ERRORS[error.code])
    if error.code in ERROR_MESSAGES:
        return error_message(error.code, lang)
    return gettext(BY_STATUS.get(error.status) or FALLBACK)


def reason_text(gettext: Callable[[str], str], code: str) -> str:
    return gettext(REASONS.get(code, "not a valid value"))


@dataclass(frozen=True)
class Labels:
    """Vocabulary lookups for templates: ``labels.task_type(code)``."""

    gettext: Callable[[str], str]

    def _of(self, table: Mapping[str, str], code: str | None) -> str:
        if code is None:
            return ""
        return self.gettext(table[code]) if code in table else code

    def task_type(self, code: str) -> str:
        return self._of(TASK_TYPES, code)

    def status(self, code: str) -> str:
        return self._of(STATUSES, code)

    def action(self, code: str) -> str:
        return self._of(ACTIONS, code)

    def outcome(self, code: str | None) -> str:
        return self._of(OUTCOMES, code)

    def severity(self, code: str) -> str:
        return self._of(SEVERITIES, code)

    def family(self, code: str) -> str:
        return self._of(FAMILIES, code)

    def role(self, code: str) -> str:
        return self._of(ROLES, code)

    def purpose(self, code: str | None) -> str:
        return self._of(PURPOSES, code)

    def event_outcome(self, code: str) -> str:
        return self._of(OUTCOME_OF_EVENT, code)

    def unit_kind(self, code: str) -> str:
        return self._of(UNIT_KINDS, code)

    def mode(self, code: str) -> str:
        return self._of(MODES, code)

    def layout(self, code: str) -> str:
        return self._of(LAYOUTS, code)

    def access_action(self, code: str) -> str:
        if code in ACCESS_ACTIONS:
            return self.gettext(ACCESS_ACTIONS[code])
        return self.gettext(TASK_WORK if code.startswith("task.") else OTHER_ACCESS)

    def reason(self, code: str) -> str:
        return self._of(REASONS, code)
