"""Predicates of the governance app, on top of `faireavec.organisations.predicates`.

Being a member of the register (a sociétaire) is not a role: a participant can be
one. The object is the organisation, an assembly, or anything with an `organisation`.
"""

import rules
from django.utils import timezone

from faireavec.governance.models import Assembly, Member, Poll, Voter
from faireavec.organisations.predicates import is_in_organisation, organisation_of


@rules.predicate
def is_registered_member(user, obj) -> bool:
    """The person is an active member of the organisation's register."""
    organisation = organisation_of(obj)
    if organisation is None or not getattr(user, "is_authenticated", False):
        return False
    return Member.objects.filter(
        organisation=organisation, user=user, status=Member.Status.ACTIVE
    ).exists()


@rules.predicate
def is_voter(user, obj) -> bool:
    """The person is on the assembly's list of voters (an organisation passes, so the
    permission can be checked before an assembly is chosen)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if isinstance(obj, Assembly):
        return Voter.objects.filter(assembly=obj, member__user=user).exists()
    return organisation_of(obj) is not None


@rules.predicate
def is_open_assembly(user, obj) -> bool:
    if isinstance(obj, Assembly):
        return obj.is_open_for_votes
    return organisation_of(obj) is not None


@rules.predicate
def has_published_minutes(user, obj) -> bool:
    if isinstance(obj, Assembly):
        return obj.minutes_published_at is not None
    return organisation_of(obj) is not None


@rules.predicate
def is_in_poll_audience(user, obj) -> bool:
    """The person may answer this consultation: a member of the register for one
    addressed to the members, anyone taking part for one addressed to everyone (an
    organisation passes, so the list can be checked before a poll is chosen)."""
    if isinstance(obj, Poll):
        if obj.audience == Poll.Audience.MEMBERS:
            return is_registered_member(user, obj)
        return is_in_organisation(user, obj)
    return organisation_of(obj) is not None


@rules.predicate
def is_open_poll(user, obj) -> bool:
    if isinstance(obj, Poll):
        return obj.is_open()
    return organisation_of(obj) is not None


@rules.predicate
def has_opened(user, obj) -> bool:
    """A consultation shows to the people it addresses from its opening."""
    if isinstance(obj, Poll):
        return obj.opens_at <= timezone.now()
    return organisation_of(obj) is not None
