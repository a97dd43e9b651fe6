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


can_see_public_pages = is_public_organisation | is_in_organisation
can_take_part = rules.is_authenticated & can_see_public_pages
can_manage = is_facilitator
