"""Who may do what with meetings and open forums.

Everyone sees the meetings open to everyone of a public organisation; meetings for
the organisation's people (and every meeting of a private organisation) are seen
by its people only. Anyone who sees a meeting may register while it takes
registrations — no account needed — and, when the meeting is one way of taking
part in a phase, while that phase allows registering for a meeting. In an open
forum, anyone who sees it proposes and supports topics until the board freezes.
Facilitators and administrators run meetings, registrations, attendance, minutes
and the board (registrations hold people's contact details: members do not see them).
"""

import rules

from faireavec.meetings.predicates import (
    can_see_meeting,
    forum_board_open,
    meeting_accepts_registration,
)
from faireavec.organisations.predicates import is_facilitator

rules.add_perm("meetings.view_meeting", can_see_meeting)
rules.add_perm("meetings.register_meeting", can_see_meeting & meeting_accepts_registration)
rules.add_perm("meetings.propose_topic", can_see_meeting & forum_board_open)
rules.add_perm("meetings.support_topic", can_see_meeting & forum_board_open)
rules.add_perm("meetings.manage_meeting", is_facilitator)
