"""Predicates of the opinions app, on top of `faireavec.organisations.predicates`.

The object is the organisation or a conversation; on the organisation, the
conversation-specific predicates pass, so a permission can be checked before a
conversation is chosen (menus).
"""

import rules

from faireavec.opinions.models import Conversation
from faireavec.organisations.predicates import organisation_of


@rules.predicate
def is_open_conversation(user, obj) -> bool:
    """The conversation takes votes (open, and its phase, if any, allows voting)."""
    if isinstance(obj, Conversation):
        return obj.is_open and conversation_phase_allows_voting(obj)
    return organisation_of(obj) is not None


@rules.predicate
def is_open_to_visitors(user, obj) -> bool:
    """People without a role in the organisation (or without an account) may take part."""
    if isinstance(obj, Conversation):
        return obj.allow_anonymous
    return organisation_of(obj) is not None


def conversation_phase_allows_voting(conversation: Conversation) -> bool:
    """Without a phase, the conversation's own status decides; with one, the
    phase must allow « vote_opinion » today too."""
    phase = getattr(conversation, "phase", None)
    if phase is None:
        return True
    from faireavec.processes.selectors import phase_allows

    return phase_allows(phase=phase, action="vote_opinion")
