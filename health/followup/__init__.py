"""Follow-up that closes the loop: everything from a finding to a task worked to its end.

Pure domain code (no web, no SQL). The use cases that store and serve tasks live in the
service layer, which the core may not import; they are listed here so one map shows it all.

Module map (core, this package):
- ``policy``: the follow-up policy file (which finding leads to which task type, priority, due).
- ``plans``: findings → task plans, merged per officer, type and family; column-wise for batches.
- ``lifecycle``: the task state machine (FHIR ``Task.status``), moves, outcomes, reschedule limits.
- ``recheck``: a recheck result closes its task, or refers, or escalates.
- ``overdue`` and ``escalation``: what is overdue, and who hears about it when.
- ``reminders`` and ``notify``: reminders before due, and the messages' text.
- ``routine`` and ``rounds``: routine home-visit rounds per unit.
- ``recall``: annual recall (due, overdue) per unit.
- ``metrics`` and ``suppression``: unit follow-up figures, small cells suppressed.
- ``worklist``: the filters a worklist is drawn with.

Use cases (``health.services``): ``tasks`` (create and merge from screening), ``task_work``
(read and move one task), ``task_planning`` (plan by hand, history), ``worklists`` (lists,
export, assignment), ``followup_jobs`` (escalation, reminders, outbox), ``schedules`` (round
plans and checkup sessions), ``task_labels``.

The words themselves (task types, statuses, moves, outcomes) are ``health.vocabulary``'s.
"""

from health.followup.plans import TaskPlan, merge_plans, plan_frame, plan_tasks, plans_from_frame
from health.followup.policy import FollowupPolicy, PolicyError, default_policy, load_policy

__all__ = [
    "FollowupPolicy",
    "PolicyError",
    "TaskPlan",
    "default_policy",
    "load_policy",
    "merge_plans",
    "plan_frame",
    "plan_tasks",
    "plans_from_frame",
]
