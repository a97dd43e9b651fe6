"""iCalendar files: one meeting, and an organisation's feed of public meetings.

Each event carries the place (the site's name and address, or the free place)
in LOCATION, the online link in URL *and* in the description (many calendar
apps show only the description), and the accessibility offered. A cancelled
meeting stays in the feed with STATUS:CANCELLED so calendars remove it.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from faireavec.meetings.models import Meeting

PRODID = "-//FaireAvec//Meetings//FR"


def _absolute(path: str) -> str:
    return urljoin(getattr(settings, "SITE_URL", ""), path)


def meeting_uid(meeting: Meeting) -> str:
    host = getattr(settings, "SITE_URL", "").split("//")[-1].strip("/") or "faireavec"
    return f"meeting-{meeting.pk}@{host}"


def _description(meeting: Meeting) -> str:
    lines = [meeting.description] if meeting.description else []
    if meeting.online_url:
        lines.append(_("Join online: %(url)s") % {"url": meeting.online_url})
    offered = meeting.accessibility_offered()
    if offered:
        lines.append(_("Accessibility: %(list)s") % {"list": ", ".join(offered)})
    if meeting.site_id and meeting.site.accessibility:
        lines.append(_("Access to the site: %(text)s") % {"text": meeting.site.accessibility})
    if meeting.is_cancelled:
        lines.insert(0, _("Cancelled: %(reason)s") % {"reason": meeting.cancel_reason})
    lines.append(_absolute(meeting.get_absolute_url()))
    return "\n\n".join(lines)


def meeting_event(meeting: Meeting) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("last-modified", meeting.updated_at)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.title)
    event.add("description", _description(meeting))
    location = meeting.location_text()
    if location:
        event.add("location", location)
    elif meeting.online_url:
        event.add("location", meeting.online_url)
    event.add("url", meeting.online_url or _absolute(meeting.get_absolute_url()))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    return event


def calendar_bytes(*, meetings, name: str) -> bytes:
    """A VCALENDAR of `meetings`, written in French (the organisation's language)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    with translation.override(settings.LANGUAGE_CODE):
        for meeting in meetings:
            calendar.add_component(meeting_event(meeting))
    return calendar.to_ical()
