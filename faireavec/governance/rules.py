"""Who may do what in governance.

Facilitators and administrators read the register and run assemblies' bureau
(attendance, paper and postal votes, paper proxies); administrators change the
statutes, colleges, the register, bodies and assemblies (agenda, convocation,
close, minutes). Members of the register (whatever their role) see the
assemblies, vote online when they are on the list of voters, give a proxy, read
the published minutes, ballots and the assembly's log.

Consultations (polls): facilitators follow them in the back office, administrators
create and close them; a consultation for the members is answered by members of
the register, one for participants by anyone with a role in the organisation.

Members' space: members of the register read and write (discussions, replies,
questions to the board), the team reads it; administrators (the board) answer
the questions in public and hide what breaks the charter.
"""

import rules

from faireavec.governance.predicates import (
    has_opened,
    has_published_minutes,
    is_in_poll_audience,
    is_open_assembly,
    is_open_poll,
    is_registered_member,
    is_voter,
)
from faireavec.organisations.predicates import is_admin, is_facilitator, is_in_organisation

rules.add_perm("governance.view_member", is_facilitator)
rules.add_perm("governance.manage_member", is_admin)
rules.add_perm("governance.manage_college", is_admin)
rules.add_perm("governance.change_statutes", is_admin)
rules.add_perm("governance.view_body", is_facilitator)
rules.add_perm("governance.manage_body", is_admin)
rules.add_perm("governance.view_assembly", is_facilitator)
rules.add_perm("governance.manage_assembly", is_admin)
rules.add_perm("governance.record_vote", is_facilitator)
rules.add_perm(
    "governance.view_assemblies", is_in_organisation & (is_registered_member | is_facilitator)
)
rules.add_perm("governance.vote_assembly", is_voter & is_open_assembly)
rules.add_perm(
    "governance.view_minutes",
    is_in_organisation & (is_registered_member | is_facilitator) & has_published_minutes,
)
rules.add_perm("governance.view_poll_admin", is_facilitator)
rules.add_perm("governance.manage_poll", is_admin)
rules.add_perm("governance.view_polls", is_in_organisation)
rules.add_perm(
    "governance.view_poll", is_in_organisation & has_opened & (is_in_poll_audience | is_facilitator)
)
rules.add_perm("governance.answer_poll", is_in_organisation & is_in_poll_audience & is_open_poll)
rules.add_perm(
    "governance.view_member_space", is_in_organisation & (is_registered_member | is_facilitator)
)
rules.add_perm("governance.write_member_space", is_in_organisation & is_registered_member)
rules.add_perm("governance.view_member_space_admin", is_facilitator)
rules.add_perm("governance.answer_question", is_admin)
rules.add_perm("governance.moderate_member_space", is_admin)
