"""Pages of the meetings app: per role, other organisation, registering without an
account, codes, bad input, the attendance sheet, the board."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conftest import ROLES
from faireavec.meetings import services
from faireavec.meetings.models import (
    ForumRoom,
    ForumSlot,
    ForumTopic,
    Kind,
    MeetingContribution,
    MeetingRegistration,
)
from faireavec.meetings.tests.factories import MeetingFactory, guest

pytestmark = pytest.mark.django_db
Status = MeetingRegistration.Status


def _url(name, org, **kwargs):
    return reverse(f"meetings:{name}", kwargs={"org_slug": org.slug, **kwargs})


BACKOFFICE_EXPECTED = {
    "anonymous": 302,
    "participant": 403,
    "member": 403,
    "facilitator": 200,
    "admin": 200,
    "other_admin": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_back_office_pages_per_role(org, people, client_for, role):
    """Only facilitators and administrators run meetings (registrations hold contact
    details); another organisation's administrator gets a 404."""
    meeting = MeetingFactory(organisation=org, kind=Kind.OPEN_FORUM)
    client = client_for(people[role])
    for url in (
        _url("meeting_list", org),
        _url("meeting_create", org),
        _url("series_create", org),
        _url("meeting_manage", org, meeting_pk=meeting.pk),
        _url("meeting_edit", org, meeting_pk=meeting.pk),
        _url("meeting_cancel", org, meeting_pk=meeting.pk),
        _url("contribution_add", org, meeting_pk=meeting.pk),
        _url("registration_add", org, meeting_pk=meeting.pk),
        _url("forum_manage", org, meeting_pk=meeting.pk),
    ):
        assert client.get(url).status_code == BACKOFFICE_EXPECTED[role], url


@pytest.mark.parametrize("role", ROLES)
def test_public_meeting_for_everyone_and_members_only(org, people, client_for, role):
    """A public meeting is seen by all; one for the organisation's people only is a 404
    for visitors and other organisations."""
    public = MeetingFactory(organisation=org)
    private = MeetingFactory(organisation=org, is_public=False)
    client = client_for(people[role])
    assert client.get(_url("meeting_detail", org, meeting_pk=public.pk)).status_code == 200
    inside = role not in {"anonymous", "other_admin"}
    expected = 200 if inside else 404
    assert client.get(_url("meeting_detail", org, meeting_pk=private.pk)).status_code == expected
    listing = client.get(_url("meeting_list_public", org)).content.decode()
    assert public.title in listing
    assert (private.title in listing) == inside


def test_other_organisation_meeting_is_not_found(org, other_org, people, client_for):
    theirs = MeetingFactory(organisation=other_org)
    client = client_for(people["admin"])
    for name in ("meeting_detail", "meeting_register", "meeting_ics"):
        assert client.get(_url(name, org, meeting_pk=theirs.pk)).status_code == 404
    assert client.get(_url("meeting_manage", org, meeting_pk=theirs.pk)).status_code == 404
    registration = guest(theirs, 1)
    url = _url("registration_manage", org, meetingregistration_code=registration.code)
    assert client.get(url).status_code == 404


def test_register_without_account_then_cancel_with_the_code(org, client):
    meeting = MeetingFactory(organisation=org, capacity=1)
    url = _url("meeting_register", org, meeting_pk=meeting.pk)
    page = client.get(url)
    assert page.status_code == 200 and "Votre nom" in page.content.decode()
    response = client.post(
        url, {"name": "Aïcha", "phone": "06 11 22 33 44", "consent": "on"}, follow=True
    )
    registration = MeetingRegistration.objects.get(meeting=meeting)
    assert registration.status == Status.CONFIRMED and registration.user is None
    assert response.redirect_chain[-1][0] == registration.get_absolute_url()
    assert "Vous êtes inscrit" in response.content.decode()
    # The next person joins the waiting list, and gets the seat when Aïcha cancels.
    client.post(url, {"name": "Bruno", "email": "bruno@exemple.org", "consent": "on"})
    bruno = MeetingRegistration.objects.get(meeting=meeting, name="Bruno")
    assert bruno.status == Status.WAITING
    client.post(registration.get_absolute_url(), {"action": "cancel"})
    bruno.refresh_from_db()
    assert bruno.status == Status.OFFERED
    page = client.get(bruno.get_absolute_url()).content.decode()
    assert "Je prends la place" in page
    client.post(bruno.get_absolute_url(), {"action": "accept"})
    bruno.refresh_from_db()
    assert bruno.status == Status.CONFIRMED


def test_registration_bad_input_says_what_is_wrong(org, client):
    """No contact, no consent, a broken email: messages on the form, nothing stored."""
    meeting = MeetingFactory(organisation=org)
    url = _url("meeting_register", org, meeting_pk=meeting.pk)
    response = client.post(url, {"name": "Aïcha", "email": "pas-un-email"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Erreur" in text and "Cochez cette case" in text
    response = client.post(url, {"name": "Aïcha", "consent": "on"})
    assert "adresse e-mail ou un numéro" in response.content.decode()
    assert not MeetingRegistration.objects.exists()
    response = client.post(url, {"name": "x" * 200, "phone": "12", "consent": "on"})
    assert response.status_code == 400
    assert not MeetingRegistration.objects.exists()


def test_registration_closed_by_phase_is_refused(org, client):
    from faireavec.processes.tests.factories import PhaseFactory

    today = timezone.localdate()
    phase = PhaseFactory(
        initiative__organisation=org,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=1),
        allows_register_meeting=False,
    )
    meeting = MeetingFactory(organisation=org, phase=phase)
    url = _url("meeting_register", org, meeting_pk=meeting.pk)
    response = client.post(url, {"name": "Aïcha", "phone": "0611223344", "consent": "on"})
    assert response.status_code == 400
    assert "phase" in response.content.decode()
    assert not MeetingRegistration.objects.exists()


def test_unknown_code_is_not_found(org, client):
    assert (
        client.get(_url("registration_manage", org, meetingregistration_code="x")).status_code
        == 404
    )


def test_attendance_sheet_pdf_lists_the_people(org, people, client_for):
    meeting = MeetingFactory(organisation=org, title="Pow-wow de mars")
    guest(meeting, 1)
    services.registration_create(meeting=meeting, user=people["member"])
    response = client_for(people["facilitator"]).get(
        _url("attendance_sheet", org, meeting_pk=meeting.pk)
    )
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Pow-wow de mars" in text and "Personne 1" in text
    assert people["member"].display_name in text


def test_attendance_and_minutes_from_the_back_office(org, people, client_for):
    start = timezone.now() - timedelta(hours=1)
    meeting = MeetingFactory(organisation=org, starts_at=start, ends_at=start + timedelta(hours=2))
    a, b = guest(meeting, 1), guest(meeting, 2)
    client = client_for(people["facilitator"])
    client.post(_url("attendance", org, meeting_pk=meeting.pk), {"attended": [a.pk]})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (Status.ATTENDED, Status.CONFIRMED)
    client.post(
        _url("minutes", org, meeting_pk=meeting.pk),
        {"minutes": "Nous avons décidé d'ouvrir le samedi.", "published": "on"},
    )
    public = client_for(None).get(_url("meeting_detail", org, meeting_pk=meeting.pk))
    assert "ouvrir le samedi" in public.content.decode()


def test_contribution_recorded_during_the_meeting(org, people, client_for):
    meeting = MeetingFactory(organisation=org)
    client = client_for(people["facilitator"])
    response = client.post(
        _url("contribution_add", org, meeting_pk=meeting.pk),
        {"kind": "idea", "title": "Un banc", "body": "Devant l'entrée."},
    )
    assert response.status_code == 302
    link = MeetingContribution.objects.get(meeting=meeting)
    assert link.contribution.channel == "meeting"
    page = client.get(_url("meeting_manage", org, meeting_pk=meeting.pk)).content.decode()
    assert "Un banc" in page


def test_open_forum_propose_support_place_and_freeze(org, people, client_for, client):
    start = timezone.now() + timedelta(days=2)
    forum = MeetingFactory(
        organisation=org, kind=Kind.OPEN_FORUM, starts_at=start, ends_at=start + timedelta(hours=4)
    )
    url = _url("forum_public", org, meeting_pk=forum.pk)
    client.post(url, {"title": "Jardin partagé", "host_name": "Samia", "description": ""})
    client.post(url, {"title": "Vélo", "host_name": "Samia", "description": ""})
    garden, bike = ForumTopic.objects.filter(meeting=forum).order_by("pk")
    support = _url("topic_support", org, forumtopic_pk=garden.pk)
    client.post(support)
    client.post(support)
    assert garden.supports.count() == 1
    facilitator = client_for(people["facilitator"])
    facilitator.post(_url("room_add", org, meeting_pk=forum.pk), {"name": "Bureau", "seats": "1"})
    facilitator.post(_url("room_add", org, meeting_pk=forum.pk), {"name": "Salle", "seats": "20"})
    slot_start = timezone.localtime(start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    slot_end = timezone.localtime(start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    facilitator.post(
        _url("slot_add", org, meeting_pk=forum.pk), {"starts_at": slot_start, "ends_at": slot_end}
    )
    small, big = ForumRoom.objects.filter(meeting=forum).order_by("name")
    slot = ForumSlot.objects.get(meeting=forum)
    place = _url("topic_place", org, forumtopic_pk=garden.pk)
    facilitator.post(place, {f"t{garden.pk}-cell": f"{slot.pk}-{small.pk}"})
    facilitator.post(
        _url("topic_place", org, forumtopic_pk=bike.pk), {f"t{bike.pk}-cell": f"{slot.pk}-{big.pk}"}
    )
    board = facilitator.get(_url("forum_manage", org, meeting_pk=forum.pk)).content.decode()
    assert "Samia anime deux sessions" in board
    # Another topic in the same cell is refused with a message.
    response = facilitator.post(
        _url("topic_place", org, forumtopic_pk=bike.pk),
        {f"t{bike.pk}-cell": f"{slot.pk}-{small.pk}"},
        follow=True,
    )
    assert "occupe déjà cette salle" in response.content.decode()
    # A cell of another forum is not offered, so not accepted.
    response = facilitator.post(place, {f"t{garden.pk}-cell": "999-999"}, follow=True)
    assert "dans la liste" in response.content.decode()
    forum.board_freezes_at = timezone.now() - timedelta(minutes=1)
    forum.save()
    response = facilitator.post(place, {f"t{garden.pk}-cell": ""}, follow=True)
    assert "figé" in response.content.decode()
    garden.refresh_from_db()
    assert garden.room == small
    response = client.post(url, {"title": "Trop tard", "host_name": "Léa"})
    assert response.status_code == 400
    assert not ForumTopic.objects.filter(title="Trop tard").exists()


def test_public_menu_offers_meetings_once_one_is_announced(org, people, client):
    """The menu's answers are cached: creating a meeting makes the link appear at once."""
    home = reverse("organisations:home", kwargs={"org_slug": org.slug})
    listing = _url("meeting_list_public", org)
    assert listing not in client.get(home).content.decode()
    start = timezone.now() + timedelta(days=3)
    services.meeting_create(
        organisation=org,
        actor=people["facilitator"],
        kind=Kind.POW_WOW,
        title="Pow-wow",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Local",
    )
    assert listing in client.get(home).content.decode()


def test_facilitator_registers_someone_who_called(org, people, client_for):
    """A walk-in or a call: registered by the team, with the person's agreement, even
    once registration is closed; without agreement, refused with a message."""
    meeting = MeetingFactory(organisation=org, registration_open=False, capacity=1)
    client = client_for(people["facilitator"])
    url = _url("registration_add", org, meeting_pk=meeting.pk)
    response = client.post(url, {"name": "Gérard", "phone": "06 12 34 56 78"})
    assert response.status_code == 400
    assert "sans son accord" in response.content.decode().lower()
    response = client.post(url, {"name": "Gérard", "phone": "06 12 34 56 78", "consent": "on"})
    assert response.status_code == 302
    gerard = MeetingRegistration.objects.get(meeting=meeting)
    assert gerard.status == Status.CONFIRMED and gerard.consent_at is not None
    client.post(url, {"name": "Lise", "email": "lise@exemple.org", "consent": "on"})
    assert MeetingRegistration.objects.get(name="Lise").status == Status.WAITING
