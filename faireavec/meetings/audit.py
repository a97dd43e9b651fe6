"""How the meetings app's actions read in the activity log (see core/audit.py)."""

from django.utils.translation import gettext_lazy as _

from faireavec.core.audit import AuditAction, field_names
from faireavec.meetings.models import Meeting

AUDIT_ACTIONS = {
    "meetings.create": AuditAction(
        label=_("Meeting created"), sentence=_("%(actor)s created the meeting « %(target)s »")
    ),
    "meetings.update": AuditAction(
        label=_("Meeting changed"),
        sentence=_("%(actor)s changed %(fields)s of the meeting « %(target)s »"),
        values={"fields": field_names(Meeting)},
    ),
    "meetings.cancel": AuditAction(
        label=_("Meeting cancelled"),
        sentence=_("%(actor)s cancelled the meeting « %(target)s »: %(reason)s"),
    ),
    "meetings.series_create": AuditAction(
        label=_("Series of meetings created"),
        sentence=_("%(actor)s created the series « %(target)s » of %(count)s meetings"),
    ),
    "meetings.register_someone": AuditAction(
        label=_("Person registered for a meeting"),
        sentence=_("%(actor)s registered someone for the meeting « %(target)s »"),
    ),
    "meetings.attendance": AuditAction(
        label=_("Attendance recorded"),
        sentence=_("%(actor)s recorded the attendance of « %(target)s » (%(count)s present)"),
    ),
    "meetings.minutes_save": AuditAction(
        label=_("Minutes saved"),
        sentence=_("%(actor)s saved the minutes of « %(target)s » without publishing them"),
    ),
    "meetings.minutes_publish": AuditAction(
        label=_("Minutes published"),
        sentence=_("%(actor)s published the minutes of « %(target)s »"),
    ),
    "meetings.room_add": AuditAction(
        label=_("Open forum room added"),
        sentence=_("%(actor)s added the room « %(target)s » to « %(meeting)s »"),
    ),
    "meetings.slot_add": AuditAction(
        label=_("Open forum time slot added"),
        sentence=_("%(actor)s added the time slot %(slot)s to « %(target)s »"),
    ),
    "meetings.topic_place": AuditAction(
        label=_("Open forum topic placed"),
        sentence=_("%(actor)s placed the topic « %(target)s » in « %(room)s » at %(slot)s"),
    ),
    "meetings.topic_notes": AuditAction(
        label=_("Open forum session notes"),
        sentence=_("%(actor)s wrote the notes of the session « %(target)s »"),
    ),
}
