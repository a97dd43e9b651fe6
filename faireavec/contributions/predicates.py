"""Predicates for contributions, built on the organisation's roles."""

import rules

from faireavec.organisations.predicates import (
    is_facilitator,
    is_in_organisation,
    is_public_organisation,
)


@rules.predicate
def is_author(user, contribution) -> bool:
    return (
        contribution is not None
        and getattr(user, "is_authenticated", False)
        and getattr(contribution, "author_id", None) == user.pk
    )


@rules.predicate
def accepts_anonymous_contributions(user, organisation) -> bool:
    return bool(getattr(organisation, "allow_anonymous_contributions", False))


can_see_public_pages = is_public_organisation | is_in_organisation
# Giving and following an opinion: in a private organisation outsiders (people
# with no role in it) are let in only when it accepts anonymous contributions —
# the poster in its hall must work —, otherwise the organisation does not exist for them.
can_give_and_follow = can_see_public_pages | accepts_anonymous_contributions
can_take_part = rules.is_authenticated & can_see_public_pages
can_manage = is_facilitator
