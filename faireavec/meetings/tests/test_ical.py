"""iCalendar files parsed back with `icalendar`, field by field."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from faireavec.meetings import services
from faireavec.meetings.tests.factories import MeetingFactory
from faireavec.organisations.models import Site

pytestmark = pytest.mark.django_db


def _events(content: bytes) -> list:
    return list(Calendar.from_ical(content).walk("VEVENT"))


def test_meeting_ics_carries_place_link_and_times(org, client, settings):
    settings.SITE_URL = "https://faireavec.example"
    site = Site.objects.create(
        organisation=org,
        name="Maison des habitants",
        address="12 rue des Lilas\n69003 Lyon",
        accessibility="Rampe à l'entrée",
    )
    start = timezone.now().replace(microsecond=0) + timedelta(days=5)
    meeting = MeetingFactory(
        organisation=org,
        title="Pow-wow de décembre",
        description="Venez nombreux.",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        site=site,
        place="",
        online_url="https://visio.exemple.org/powwow",
        offers_hearing_loop=True,
    )
    response = client.get(
        reverse("meetings:meeting_ics", kwargs={"org_slug": org.slug, "meeting_pk": meeting.pk})
    )
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    (event,) = _events(response.content)
    assert str(event["SUMMARY"]) == "Pow-wow de décembre"
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTEND") == start + timedelta(hours=2)
    assert str(event["LOCATION"]) == "Maison des habitants — 12 rue des Lilas, 69003 Lyon"
    assert str(event["URL"]) == "https://visio.exemple.org/powwow"
    description = str(event["DESCRIPTION"])
    assert "Venez nombreux." in description
    assert "Participer en ligne : https://visio.exemple.org/powwow" in description
    assert "boucle magnétique" in description and "Rampe à l'entrée" in description
    assert meeting.get_absolute_url() in description
    assert str(event["UID"]) == f"meeting-{meeting.pk}@faireavec.example"
    assert str(event["STATUS"]) == "CONFIRMED"


def test_feed_lists_public_meetings_only_with_cancelled_ones_marked(org, people, client):
    public = MeetingFactory(organisation=org, title="Atelier ouvert")
    MeetingFactory(organisation=org, title="Réunion interne", is_public=False)
    cancelled = MeetingFactory(organisation=org, title="Atelier annulé", place="Salle 2")
    services.meeting_cancel(actor=people["facilitator"], meeting=cancelled, reason="Grève")
    old = timezone.now() - timedelta(days=90)
    MeetingFactory(
        organisation=org, title="Très ancien", starts_at=old, ends_at=old + timedelta(hours=1)
    )
    response = client.get(reverse("meetings:calendar_feed", kwargs={"org_slug": org.slug}))
    events = {str(e["SUMMARY"]): e for e in _events(response.content)}
    assert set(events) == {"Atelier ouvert", "Atelier annulé"}
    assert str(events["Atelier annulé"]["STATUS"]) == "CANCELLED"
    assert "Grève" in str(events["Atelier annulé"]["DESCRIPTION"])
    assert str(events["Atelier ouvert"]["LOCATION"]) == public.place
    assert str(events["Atelier annulé"]["LOCATION"]) == "Salle 2"


def test_online_only_meeting_puts_its_link_in_location(org, client):
    meeting = MeetingFactory(organisation=org, place="", online_url="https://visio.exemple.org/a")
    response = client.get(
        reverse("meetings:meeting_ics", kwargs={"org_slug": org.slug, "meeting_pk": meeting.pk})
    )
    (event,) = _events(response.content)
    assert str(event["LOCATION"]) == "https://visio.exemple.org/a"


def test_private_organisation_has_no_feed(org, client):
    org.visibility = org.Visibility.PRIVATE
    org.save()
    response = client.get(reverse("meetings:calendar_feed", kwargs={"org_slug": org.slug}))
    assert response.status_code == 404


def test_feed_is_kept_until_one_of_its_meetings_changes(org, people, client):
    """The feed comes from the cache, and a new or changed meeting shows at once."""
    url = reverse("meetings:calendar_feed", kwargs={"org_slug": org.slug})
    first = MeetingFactory(organisation=org, title="Premier")
    assert [str(e["SUMMARY"]) for e in _events(client.get(url).content)] == ["Premier"]
    MeetingFactory(organisation=org, title="Second")
    assert len(_events(client.get(url).content)) == 2
    services.meeting_update(actor=people["facilitator"], meeting=first, title="Premier (salle 2)")
    titles = {str(e["SUMMARY"]) for e in _events(client.get(url).content)}
    assert titles == {"Premier (salle 2)", "Second"}
