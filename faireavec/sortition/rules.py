"""Who may do what with pools, quotas and draws.

Anyone may register as a volunteer in an open pool of a public organisation
(no account needed); people of a private organisation may in theirs. When the
pool is one way of taking part in a phase, that phase must allow joining a
panel today. Facilitators and administrators build pools, set quotas, draw,
replace and export; members and above read results.
"""

import rules

from faireavec.organisations.predicates import (
    is_facilitator,
    is_in_organisation,
    is_member,
    is_public_organisation,
)
from faireavec.sortition.predicates import pool_accepts_volunteers

rules.add_perm(
    "sortition.register_volunteer",
    (is_public_organisation | is_in_organisation) & pool_accepts_volunteers,
)
rules.add_perm("sortition.view_pool", is_member)
rules.add_perm("sortition.manage_pool", is_facilitator)
rules.add_perm("sortition.draw_pool", is_facilitator)
rules.add_perm("sortition.export_draw", is_facilitator)
