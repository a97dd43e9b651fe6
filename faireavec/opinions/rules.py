"""Who may do what with opinion maps.

Everyone may read the conversations of a public organisation and their map;
people of the organisation take part in open ones, and so do visitors
(anonymous, with a follow-up code) where the conversation allows it. Members
and above read the back office, the facilitator's report and the exports;
facilitators and administrators create conversations, write the seed
statements, moderate, import and recompute.
"""

import rules

from faireavec.opinions.predicates import is_open_conversation, is_open_to_visitors
from faireavec.organisations.predicates import (
    is_facilitator,
    is_in_organisation,
    is_member,
    is_public_organisation,
)

rules.add_perm("opinions.view_conversation", is_public_organisation | is_in_organisation)
rules.add_perm(
    "opinions.take_part_conversation",
    is_open_conversation & (is_in_organisation | (is_public_organisation & is_open_to_visitors)),
)
rules.add_perm("opinions.review_conversation", is_member)
rules.add_perm("opinions.export_conversation", is_member)
rules.add_perm("opinions.manage_conversation", is_facilitator)
