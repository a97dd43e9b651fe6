"""The phase gating of proposals, plugged into contributions (see
`faireavec.contributions.hooks`): a contribution made inside an initiative is read
by the initiative's audience only, and supported or commented on only while the
phase running today allows it, by the same rules as the initiative's page
(`processes.support_proposal`, `processes.comment_proposal`); the public lists of
contributions leave out the proposals of initiatives the person may not read."""

from django.db.models import Q

from faireavec.processes.models import Initiative, InitiativeProposal
from faireavec.processes.selectors import initiatives_visible

GATED_PERMISSIONS = {
    "view": "processes.view_initiative",
    "support": "processes.support_proposal",
    "comment": "processes.comment_proposal",
}


def _link_of(contribution) -> InitiativeProposal | None:
    # Kept on the object: the idea page asks three times (view, support, comment).
    if not hasattr(contribution, "_initiative_proposal"):
        contribution._initiative_proposal = (
            InitiativeProposal.objects.filter(contribution_id=contribution.pk)
            .select_related("initiative__organisation", "phase")
            .first()
        )
    return contribution._initiative_proposal


def proposal_gate(*, user, contribution, action: str) -> bool | None:
    """None for a contribution made outside any initiative (not ours to decide)."""
    link = _link_of(contribution)
    if link is None:
        return None
    return user.has_perm(GATED_PERMISSIONS[action], link)


def proposals_hidden_from(*, user, organisation) -> Q | None:
    """The proposals of the initiatives `user` may not read (drafts, other audiences),
    or None when there are none (one small query: the lists stay as they were)."""
    hidden = list(
        Initiative.objects.filter(organisation=organisation)
        .exclude(pk__in=initiatives_visible(organisation=organisation, user=user).values("pk"))
        .values_list("pk", flat=True)
    )
    if not hidden:
        return None
    return Q(
        pk__in=InitiativeProposal.objects.filter(initiative_id__in=hidden).values("contribution_id")
    )
