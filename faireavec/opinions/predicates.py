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
    """The conversation takes votes (open, and its phase, if any, allows voting today)."""
    if isinstance(obj, Conversation):
        return obj.takes_part
    return organisation_of(obj) is not None


@rules.predicate
def is_open_to_visitors(user, obj) -> bool:
    """People without a role in the organisation (or without an account) may take part."""
    if isinstance(obj, Conversation):
        return obj.allow_anonymous
    return organisation_of(obj) is not None
