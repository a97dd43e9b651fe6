"""Predicates of the stakeholder register, built on the organisation's roles."""

import rules

from faireavec.organisations.predicates import is_facilitator, is_member, organisation_of


@rules.predicate
def map_open_to_members(user, obj) -> bool:
    """The organisation lets its members see the stakeholder map."""
    organisation = organisation_of(obj)
    return bool(organisation and organisation.members_see_stakeholder_map)


can_manage_register = is_facilitator
can_see_map = is_facilitator | (is_member & map_open_to_members)
