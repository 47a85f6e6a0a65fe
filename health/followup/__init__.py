"""Follow-up that closes the loop: task lifecycle, rechecks, overdue and escalation, reminders,
home-visit rounds, annual recall and unit figures. Pure domain code: no web, no SQL."""
