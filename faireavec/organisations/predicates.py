"""Small predicates on (user, object) for django-rules.

The object is an organisation, or anything with an `organisation` attribute.
Every app builds its rules from these.
"""

import rules

from faireavec.organisations.models import Organisation, Role
from faireavec.organisations.selectors import membership_get


def organisation_of(obj) -> Organisation | None:
    if isinstance(obj, Organisation):
        return obj
    return getattr(obj, "organisation", None)


def role_in(user, obj) -> str | None:
    organisation = organisation_of(obj)
    if organisation is None:
        return None
    membership = membership_get(user=user, organisation=organisation)
    return membership.role if membership else None


@rules.predicate
def is_admin(user, obj) -> bool:
    return role_in(user, obj) == Role.ADMIN


@rules.predicate
def is_facilitator(user, obj) -> bool:
    """Facilitator or administrator: the people who run the organisation's practice."""
    return role_in(user, obj) in {Role.ADMIN, Role.FACILITATOR}


@rules.predicate
def is_member(user, obj) -> bool:
    """Member, facilitator or administrator (not a participant)."""
    return role_in(user, obj) in {Role.ADMIN, Role.FACILITATOR, Role.MEMBER}


@rules.predicate
def is_in_organisation(user, obj) -> bool:
    """Any role, participants included."""
    return role_in(user, obj) is not None


@rules.predicate
def is_public_organisation(user, obj) -> bool:
    organisation = organisation_of(obj)
    return organisation is not None and not organisation.is_private
