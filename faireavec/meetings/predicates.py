"""Predicates of the meetings app, on top of `faireavec.organisations.predicates`.

The object is an organisation (so a permission can be checked before a meeting is
chosen: lists, menus), an initiative (its page's block), a meeting or a topic of
an open forum. Time comes from `django.utils.timezone.now` (tests freeze it).
"""

import rules

from faireavec.meetings.models import ForumTopic, Kind, Meeting
from faireavec.meetings.services import registration_refusal
from faireavec.organisations.predicates import organisation_of, role_in


def meeting_of(obj) -> Meeting | None:
    if isinstance(obj, Meeting):
        return obj
    if isinstance(obj, ForumTopic):
        return obj.meeting
    return None


@rules.predicate
def can_see_meeting(user, obj) -> bool:
    """A meeting open to everyone, of a public organisation, is seen by all; one for
    the organisation's people only (or of a private organisation), by them. Without a
    meeting: the organisation is public or the person belongs to it."""
    organisation = organisation_of(obj)
    if organisation is None:
        return False
    in_organisation = role_in(user, organisation) is not None
    if organisation.is_private and not in_organisation:
        return False
    meeting = meeting_of(obj)
    return meeting is None or meeting.is_public or in_organisation


@rules.predicate
def meeting_accepts_registration(user, obj) -> bool:
    """Registration open, meeting neither cancelled nor over, and its phase (if any)
    allows registering for a meeting today."""
    meeting = meeting_of(obj)
    if meeting is None:
        return organisation_of(obj) is not None
    return registration_refusal(meeting) == ""


@rules.predicate
def forum_board_open(user, obj) -> bool:
    """An open forum whose board is not frozen yet takes topics and supports."""
    meeting = meeting_of(obj)
    if meeting is None:
        return organisation_of(obj) is not None
    return (
        meeting.kind == Kind.OPEN_FORUM
        and not meeting.is_cancelled
        and not meeting.board_is_frozen()
    )
