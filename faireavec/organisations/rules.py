import rules

from faireavec.organisations.predicates import (
    is_admin,
    is_facilitator,
    is_in_organisation,
    is_member,
    is_public_organisation,
)

rules.add_perm("organisations.view_organisation", is_public_organisation | is_in_organisation)
rules.add_perm("organisations.view_backoffice", is_member)
rules.add_perm("organisations.change_organisation", is_admin)
rules.add_perm("organisations.manage_members", is_admin)
rules.add_perm("organisations.add_invitation", is_facilitator)
rules.add_perm("organisations.manage_sites", is_admin)
rules.add_perm("organisations.change_charter", is_admin)
# core's views name these permissions; roles live here, so their rules do too
# (core/checks.py fails `manage.py check` if a routed view's permission has no rule).
rules.add_perm("core.view_auditentry", is_admin)
rules.add_perm("core.view_backgroundjob", is_facilitator)
# Administrators see and download every job of the organisation; others only their own.
rules.add_perm("core.view_every_backgroundjob", is_admin)
rules.add_perm("core.view_undelivered_emails", is_admin)
