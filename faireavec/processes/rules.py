"""Who may do what with initiatives, phases and proposals.

Everyone of an initiative's audience reads it once published (the team reads
drafts). Proposing, commenting and supporting need the phase running today to
allow it: before it, after it, or in a phase that does not declare it, nobody may
(the team included: they answer, they do not take part in the participants'
stead — assisted entry goes through the contributions back office). Proposing
without an account works in an initiative open to everyone of a public
organisation; comments and supports need an account. Following needs an account.
Members and above read the back office; facilitators and administrators run
initiatives and their phases and answer proposals.
"""

import rules

from faireavec.organisations.predicates import is_facilitator, is_member
from faireavec.processes.predicates import (
    accepts_unsigned_proposals,
    can_see_initiative,
    phase_allows_comment,
    phase_allows_propose,
    phase_allows_support,
)

rules.add_perm("processes.view_initiative", can_see_initiative)
rules.add_perm(
    "processes.propose_in_initiative",
    can_see_initiative
    & phase_allows_propose
    & (rules.is_authenticated | accepts_unsigned_proposals),
)
rules.add_perm(
    "processes.comment_proposal",
    rules.is_authenticated & can_see_initiative & phase_allows_comment,
)
rules.add_perm(
    "processes.support_proposal",
    rules.is_authenticated & can_see_initiative & phase_allows_support,
)
rules.add_perm("processes.follow_initiative", rules.is_authenticated & can_see_initiative)
rules.add_perm("processes.review_initiative", is_member)
rules.add_perm("processes.manage_initiative", is_facilitator)
rules.add_perm("processes.answer_proposal", is_facilitator)
