"""What a use case does: each member is a permission and the verb its audit event carries.

Who may do what is ``health.permissions``' table; a member no human role holds is a system-only
action (the CLI and the worker), listed there as such.
"""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    """A permission, spelled as the audit verb (``<resource>.<verb>``)."""

    ANALYSIS_REPORT = "analysis.report"

    APPRAISAL_PUBLISH = "appraisal.publish"
    APPRAISAL_SCHEMES = "appraisal.schemes"
    APPRAISAL_SCORE = "appraisal.score"

    APPROVAL_APPROVE = "approval.approve"
    APPROVAL_LIST = "approval.list"
    APPROVAL_REJECT = "approval.reject"

    AUDIT_EXPORT = "audit.export"
    AUDIT_SEARCH = "audit.search"
    AUDIT_VERIFY = "audit.verify"

    AUTH_TOTP_CONFIRM = "auth.totp_confirm"
    AUTH_TOTP_ENROL = "auth.totp_enrol"

    CHECKUP_CREATE = "checkup.create"
    CHECKUP_IMPORT = "checkup.import"
    CHECKUP_RESCREEN = "checkup.rescreen"
    CHECKUP_TEMPLATE = "checkup.template"

    COURSE_CREATE = "course.create"
    COURSE_LIST = "course.list"

    DEVICE_CALIBRATE = "device.calibrate"
    DEVICE_CREATE = "device.create"
    DEVICE_HANDOVER = "device.handover"

    EMERGENCY_GRANT = "emergency.grant"
    EMERGENCY_REVOKE = "emergency.revoke"

    # The FHIR facade: Patient and clinical resources; Task; Bulk Data export.
    FHIR_CLINICAL = "fhir.clinical"
    FHIR_EXPORT = "fhir.export"
    FHIR_TASK = "fhir.task"

    KEY_ROTATE = "key.rotate"

    KIT_CREATE = "kit.create"
    KIT_RESTOCK = "kit.restock"
    KIT_TEMPLATES = "kit.templates"

    ME_READ = "me.read"

    ML_LIST = "ml.list"
    ML_PROMOTE = "ml.promote"
    ML_TRAIN = "ml.train"

    OFFICER_CONDITIONS = "officer.conditions"
    OFFICER_CREATE = "officer.create"
    OFFICER_ERASE = "officer.erase"
    OFFICER_LOCATE = "officer.locate"
    OFFICER_LOOKUP = "officer.lookup"
    OFFICER_ROSTER = "officer.roster"
    OFFICER_SEARCH = "officer.search"

    OUTBOX_DELIVER = "outbox.deliver"

    PROGRAMME_CLOSE = "programme.close"
    PROGRAMME_COMPARE = "programme.compare"
    PROGRAMME_CONTACT = "programme.contact"
    PROGRAMME_ENROL = "programme.enrol"
    PROGRAMME_READ = "programme.read"

    READING_CREATE = "reading.create"
    READING_READ = "reading.read"

    REPORT_SESSION = "report.session"

    RISK_WHAT_IF = "risk.what_if"

    ROUND_PLAN = "round.plan"
    ROUND_RUN = "round.run"

    RULESET_ACTIVATE = "ruleset.activate"
    RULESET_LIST = "ruleset.list"
    RULESET_UPLOAD = "ruleset.upload"

    SCREENING_PREVIEW = "screening.preview"

    SELFCARE_REMIND = "selfcare.remind"

    SESSION_BOOK = "session.book"
    SESSION_CREATE = "session.create"
    SESSION_READ = "session.read"
    SESSION_SEASON = "session.season"

    TASK_ASSIGN = "task.assign"
    TASK_CREATE = "task.create"
    TASK_ESCALATE = "task.escalate"
    TASK_EXPORT = "task.export"
    TASK_HISTORY = "task.history"
    TASK_LIST = "task.list"
    TASK_READ = "task.read"
    TASK_READ_OWN = "task.read_own"
    TASK_REMIND = "task.remind"
    TASK_TRANSITION = "task.transition"

    TRAINING_IMPORT = "training.import"
    TRAINING_STATUS = "training.status"

    UNIT_ANALYSIS = "unit.analysis"
    UNIT_APPRAISAL = "unit.appraisal"
    UNIT_CREATE = "unit.create"
    UNIT_LIST = "unit.list"
    UNIT_MANAGE = "unit.manage"
    UNIT_METRICS = "unit.metrics"
    UNIT_READINESS = "unit.readiness"
    UNIT_RECALL = "unit.recall"
    UNIT_REPORT = "unit.report"
    UNIT_ROUNDS = "unit.rounds"
    UNIT_SELFCARE_FIGURES = "unit.selfcare_figures"

    UPLOAD_READ = "upload.read"

    USER_CREATE = "user.create"
    USER_CREATE_PORTAL = "user.create_portal"
    USER_DISABLE = "user.disable"
    USER_LIST = "user.list"
    USER_RESET_PASSWORD = "user.reset_password"  # noqa: S105 (an action, not a secret)
    USER_SET_UNITS = "user.set_units"
