"""Predicates of the processes app, on top of `faireavec.organisations.predicates`.

The object is an organisation, an initiative, a phase or a proposal's link. For a
phase the predicate reads that phase; for an initiative or a proposal, the phase
running today. Time comes from `django.utils.timezone.now` (tests freeze it).
"""

import rules

from faireavec.organisations.models import Role
from faireavec.organisations.predicates import organisation_of, role_in
from faireavec.processes.models import Audience, Initiative, InitiativeProposal, Phase
from faireavec.processes.selectors import initiative_allows, phase_allows


def initiative_of(obj) -> Initiative | None:
    if isinstance(obj, Initiative):
        return obj
    if isinstance(obj, (Phase, InitiativeProposal)):
        return obj.initiative
    return None


def in_audience(user, initiative: Initiative) -> bool:
    """`user` is among the people the initiative is for (the team always is)."""
    role = role_in(user, initiative)
    if role in {Role.ADMIN, Role.FACILITATOR}:
        return True
    organisation = initiative.organisation
    if initiative.audience == Audience.PUBLIC:
        return role is not None or not organisation.is_private
    if initiative.audience == Audience.MEMBERS:
        return role is not None
    return bool(
        getattr(user, "is_authenticated", False) and initiative.invited.filter(pk=user.pk).exists()
    )


@rules.predicate
def can_see_initiative(user, obj) -> bool:
    """A published or closed initiative of the person's audience (the team sees drafts
    too). An organisation passes when it is public or the person belongs to it, so
    the list can be checked before an initiative is chosen."""
    initiative = initiative_of(obj)
    if initiative is None:
        organisation = organisation_of(obj)
        return organisation is not None and (
            not organisation.is_private or role_in(user, organisation) is not None
        )
    if initiative.status == Initiative.Status.DRAFT:
        return role_in(user, initiative) in {Role.ADMIN, Role.FACILITATOR}
    return in_audience(user, initiative)


def _phase_allows_predicate(action: str):
    @rules.predicate(name=f"phase_allows_{action}")
    def predicate(user, obj) -> bool:
        if isinstance(obj, Phase):
            return phase_allows(phase=obj, action=action)
        initiative = initiative_of(obj)
        return initiative is not None and initiative_allows(initiative=initiative, action=action)

    return predicate


phase_allows_propose = _phase_allows_predicate("propose")
phase_allows_comment = _phase_allows_predicate("comment")
phase_allows_support = _phase_allows_predicate("support")


@rules.predicate
def accepts_unsigned_proposals(user, obj) -> bool:
    """Without an account, a person may propose in an initiative open to everyone of a
    public organisation (as in its idea box: no personal data kept)."""
    initiative = initiative_of(obj)
    return (
        initiative is not None
        and initiative.audience == Audience.PUBLIC
        and not initiative.organisation.is_private
    )


@rules.predicate
def is_proposal_author(user, obj) -> bool:
    return (
        isinstance(obj, InitiativeProposal)
        and getattr(user, "is_authenticated", False)
        and obj.contribution.author_id == user.pk
    )
