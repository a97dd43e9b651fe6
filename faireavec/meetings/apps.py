from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from faireavec.core.navigation import NavInclude, NavLink
from faireavec.core.scheduler import Periodic


class MeetingsConfig(AppConfig):
    name = "faireavec.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    public_links = [
        NavLink(
            _("Meetings"),
            "meetings:meeting_list_public",
            "meetings.view_meeting",
            description=_(
                "Pow-wows, workshops and open forums: come and take part, no account needed."
            ),
            shown_if="faireavec.meetings.selectors.has_upcoming_public_meetings",
        ),
    ]
    initiative_includes = [
        NavInclude("meetings/includes/initiative_meetings.html", "meetings.view_meeting"),
    ]
    backoffice_links = [
        NavLink(
            _("Meetings"),
            "meetings:meeting_list",
            "meetings.manage_meeting",
            description=_(
                "Pow-wows, workshops, open forums: registrations and waiting list, attendance "
                "sheet, minutes and what was said."
            ),
        ),
    ]
    periodic_tasks = [
        Periodic(
            "faireavec.meetings.tasks.expire_offers",
            "*/15 * * * *",
            "seats offered from a waiting list and not answered go to the next person",
        ),
        Periodic(
            "faireavec.meetings.tasks.send_reminders",
            "0 10 * * *",
            "reminders of tomorrow's meetings, at 10:00",
        ),
        Periodic(
            "faireavec.meetings.tasks.forget_contacts",
            "30 3 * * *",
            "contact details given without an account deleted a month after the meeting",
        ),
    ]
