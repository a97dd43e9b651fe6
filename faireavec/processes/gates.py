"""The phase gating of proposals, plugged into contributions (see
`faireavec.contributions.hooks`): a contribution made inside an initiative is read
by the initiative's audience only, and supported or commented on only while the
phase running today allows it, by the same rules as the initiative's page
(`processes.support_proposal`, `processes.comment_proposal`)."""

from faireavec.processes.models import InitiativeProposal

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
