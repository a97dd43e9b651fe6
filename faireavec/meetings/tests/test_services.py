"""Meetings, registrations, the waiting list and its offers, reminders."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from faireavec.contributions.models import Channel
from faireavec.core.models import Notification
from faireavec.meetings import services
from faireavec.meetings.models import Kind, Meeting, MeetingRegistration, MeetingSeries
from faireavec.meetings.tests.factories import MeetingFactory, guest
from faireavec.processes.tests.factories import PhaseFactory

pytestmark = pytest.mark.django_db
Status = MeetingRegistration.Status


def _statuses(meeting):
    return list(meeting.registrations.order_by("pk").values_list("status", flat=True))


def test_meeting_needs_a_place_and_an_end_after_its_start(org, people):
    """A meeting without site, place or link, or ending before it starts, is refused
    with a message (the database refuses it too)."""
    start = timezone.now() + timedelta(days=3)
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(
            organisation=org,
            actor=people["facilitator"],
            kind=Kind.POW_WOW,
            title="Pow-wow",
            starts_at=start,
            ends_at=start - timedelta(hours=1),
        )
    text = " ".join(exc.value.messages)
    assert "finir après" in text or "end after" in text
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(
            organisation=org,
            actor=people["facilitator"],
            kind=Kind.POW_WOW,
            title="Pow-wow",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )
    assert "place" in exc.value.message_dict
    with pytest.raises(IntegrityError):
        Meeting.objects.create(
            organisation=org,
            kind=Kind.POW_WOW,
            title="x",
            place="Local",
            starts_at=start,
            ends_at=start - timedelta(hours=1),
        )


def test_registration_confirms_until_full_then_waits(org):
    """Seats are confirmed up to the capacity; the next people join the waiting list."""
    meeting = MeetingFactory(organisation=org, capacity=2)
    for n in range(4):
        guest(meeting, n)
    assert _statuses(meeting) == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITING,
        Status.WAITING,
    ]


def test_registration_without_account_needs_contact_and_consent(org):
    meeting = MeetingFactory(organisation=org)
    with pytest.raises(ValidationError) as exc:
        services.registration_create(meeting=meeting, name="Ali", consent_text="ok")
    assert "email" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.registration_create(meeting=meeting, name="Ali", phone="0601020304")
    assert "consent" in exc.value.message_dict
    registration = services.registration_create(
        meeting=meeting, name="Ali", phone="06 01 02 03 04", consent_text="ok"
    )
    assert registration.consent_at is not None and registration.code


def test_same_contact_twice_is_refused_but_may_come_back_after_cancelling(org):
    meeting = MeetingFactory(organisation=org)
    first = guest(meeting, 1)
    with pytest.raises(ValidationError) as exc:
        guest(meeting, 1)
    assert "email" in exc.value.message_dict
    services.registration_cancel(registration=first)
    assert guest(meeting, 1).status == Status.CONFIRMED


def test_account_registration_uses_the_account(org, people):
    meeting = MeetingFactory(organisation=org)
    registration = services.registration_create(meeting=meeting, user=people["participant"])
    assert registration.user == people["participant"] and registration.email == ""
    with pytest.raises(ValidationError):
        services.registration_create(meeting=meeting, user=people["participant"])


def test_closed_cancelled_past_or_phase_refuses_registration(org, people):
    """Registration is refused when closed, cancelled, over, or when its phase does not
    allow registering for a meeting today."""
    closed = MeetingFactory(organisation=org, registration_open=False)
    past = MeetingFactory(
        organisation=org,
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=1),
    )
    today = timezone.localdate()
    phase = PhaseFactory(
        initiative__organisation=org,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=1),
        allows_register_meeting=False,
    )
    in_phase = MeetingFactory(organisation=org, phase=phase)
    for meeting in (closed, past, in_phase):
        with pytest.raises(ValidationError):
            guest(meeting, 1)
    phase.allows_register_meeting = True
    phase.save()
    in_phase.refresh_from_db()
    assert guest(in_phase, 1).status == Status.CONFIRMED
    cancelled = MeetingFactory(organisation=org)
    services.meeting_cancel(actor=people["facilitator"], meeting=cancelled, reason="Grève")
    with pytest.raises(ValidationError):
        guest(cancelled, 2)


def test_freed_seat_is_offered_to_the_first_waiting_person_and_told(
    org, people, settings, django_capture_on_commit_callbacks
):
    """A cancellation offers the seat to the first person waiting, for the setting's
    hours, by email without an account and by notification with one."""
    settings.MEETINGS_OFFER_HOURS = 48
    meeting = MeetingFactory(organisation=org, capacity=1)
    first = guest(meeting, 1)
    waiting_account = services.registration_create(meeting=meeting, user=people["participant"])
    waiting_guest = guest(meeting, 2)
    mail.outbox.clear()
    with pytest.raises(ValidationError):
        services.offer_accept(registration=waiting_account)
    services.registration_cancel(registration=first)
    waiting_account.refresh_from_db()
    assert waiting_account.status == Status.OFFERED
    expected = waiting_account.offered_at + timedelta(hours=48)
    assert waiting_account.offer_expires_at == min(expected, meeting.starts_at)
    assert Notification.objects.filter(recipient=people["participant"]).exists()
    # The account holder declines: the next person (no account) gets it, by email.
    with pytest.raises(ValidationError):
        services.registration_create(meeting=meeting, user=people["participant"])
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_decline(registration=waiting_account)
    waiting_guest.refresh_from_db()
    assert waiting_guest.status == Status.OFFERED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["personne2@exemple.org"]
    assert waiting_guest.code in mail.outbox[0].body
    services.offer_accept(registration=waiting_guest)
    waiting_guest.refresh_from_db()
    assert waiting_guest.status == Status.CONFIRMED


def test_expired_offer_goes_to_the_next_person(org):
    meeting = MeetingFactory(organisation=org, capacity=1)
    first, second, third = guest(meeting, 1), guest(meeting, 2), guest(meeting, 3)
    services.registration_cancel(registration=first)
    second.refresh_from_db()
    assert second.status == Status.OFFERED
    assert services.offers_expire(when=second.offer_expires_at - timedelta(minutes=1)) == 0
    assert services.offers_expire(when=second.offer_expires_at + timedelta(minutes=1)) == 1
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == Status.CANCELLED
    assert third.status == Status.OFFERED
    with pytest.raises(ValidationError):
        services.offer_accept(registration=second)


def test_larger_capacity_offers_the_new_seats(org, people):
    meeting = MeetingFactory(organisation=org, capacity=1)
    guest(meeting, 1)
    waiting = guest(meeting, 2)
    services.meeting_update(actor=people["facilitator"], meeting=meeting, capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED


def test_reminders_go_once_the_day_before(org, people, django_capture_on_commit_callbacks):
    now = timezone.now()
    tomorrow = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=1), datetime.min.time())
    ) + timedelta(hours=14)
    meeting = MeetingFactory(
        organisation=org, starts_at=tomorrow, ends_at=tomorrow + timedelta(hours=2)
    )
    later = MeetingFactory(organisation=org, starts_at=tomorrow + timedelta(days=3))
    services.registration_create(meeting=meeting, user=people["member"])
    guest(meeting, 1)
    guest(later, 2)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(when=now) == 2
    assert services.reminders_send(when=now) == 0
    assert len(mail.outbox) == 1 and "demain" in mail.outbox[0].subject


def test_cancelling_a_meeting_tells_everyone(org, people, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(organisation=org, capacity=1)
    guest(meeting, 1)
    guest(meeting, 2)
    mail.outbox.clear()
    with pytest.raises(ValidationError) as exc:
        services.meeting_cancel(actor=people["facilitator"], meeting=meeting, reason=" ")
    assert "reason" in exc.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(
            actor=people["facilitator"], meeting=meeting, reason="Salle inondée"
        )
    assert len(mail.outbox) == 2
    assert "Salle inondée" in mail.outbox[0].body


def test_monthly_series_keeps_the_weekday_rank(org, people):
    """A monthly series on the first Tuesday stays on the first Tuesday, at the same local time."""
    first = timezone.make_aware(datetime(2027, 1, 5, 18, 30))  # first Tuesday of January
    series = services.series_create(
        organisation=org,
        actor=people["facilitator"],
        frequency=MeetingSeries.Frequency.MONTHLY,
        count=4,
        kind=Kind.POW_WOW,
        title="Pow-wow du mois",
        starts_at=first,
        ends_at=first + timedelta(hours=2),
        place="Local",
    )
    starts = [timezone.localtime(m.starts_at) for m in series.meetings.order_by("starts_at")]
    assert [s.date().isoformat() for s in starts] == [
        "2027-01-05",
        "2027-02-02",
        "2027-03-02",
        "2027-04-06",
    ]
    assert {(s.hour, s.minute) for s in starts} == {(18, 30)}
    with pytest.raises(ValidationError):
        services.series_create(
            organisation=org,
            actor=None,
            frequency="monthly",
            count=30,
            kind=Kind.POW_WOW,
            title="x",
            starts_at=first,
            ends_at=first + timedelta(hours=1),
            place="Local",
        )


def test_attendance_and_minutes(org, people):
    start = timezone.now() - timedelta(hours=1)
    meeting = MeetingFactory(organisation=org, starts_at=start, ends_at=start + timedelta(hours=3))
    a = services.registration_create(meeting=meeting, user=people["member"])
    b = services.registration_create(meeting=meeting, user=people["participant"])
    services.attendance_record(actor=people["facilitator"], meeting=meeting, attended_ids={a.pk})
    assert _statuses(meeting) == [Status.ATTENDED, Status.CONFIRMED]
    with pytest.raises(ValidationError):
        services.attendance_record(actor=people["facilitator"], meeting=meeting, attended_ids={0})
    with pytest.raises(ValidationError):
        services.minutes_set(
            actor=people["facilitator"], meeting=meeting, minutes="", published=True
        )
    services.minutes_set(
        actor=people["facilitator"], meeting=meeting, minutes="On a parlé.", published=True
    )
    assert b.pk


def test_contribution_recorded_during_a_meeting(org, people):
    """Assisted entry through the contributions app, channel « during a meeting », linked."""
    meeting = MeetingFactory(organisation=org)
    contribution = services.meeting_contribution_record(
        actor=people["facilitator"],
        meeting=meeting,
        kind="idea",
        title="Un banc",
        body="Mettre un banc devant l'entrée.",
    )
    assert contribution.channel == Channel.MEETING
    assert contribution.recorded_by == people["facilitator"]
    assert meeting.contributions.get().contribution == contribution


def test_contacts_given_without_account_are_deleted_a_month_after(org, people, settings):
    """As the consent says: email and phone go a month after the meeting, the name stays."""
    settings.MEETINGS_CONTACT_DAYS = 30
    meeting = MeetingFactory(organisation=org)
    someone = guest(meeting, 1)
    member = services.registration_create(meeting=meeting, user=people["member"])
    assert services.contacts_forget(when=meeting.ends_at + timedelta(days=29)) == 0
    assert services.contacts_forget(when=meeting.ends_at + timedelta(days=31)) == 1
    someone.refresh_from_db()
    assert (someone.email, someone.phone, someone.name) == ("", "", "Personne 1")
    assert someone.contact_forgotten_at is not None
    member.refresh_from_db()
    assert member.user == people["member"]


def test_followers_of_the_initiative_are_told_of_a_new_meeting_in_their_language(org, people):
    """A meeting (or a series, once) in a phase of an initiative: its followers get a
    notification, each in their own language; whoever created it is not told."""
    from django.utils import translation

    from faireavec.processes.services import initiative_follow

    phase = PhaseFactory(initiative__organisation=org)
    follower, english = people["participant"], people["member"]
    english.language = "en"
    english.save(update_fields=["language"])
    for user in (follower, english, people["facilitator"]):
        initiative_follow(user=user, initiative=phase.initiative)
    start = timezone.now() + timedelta(days=3)
    meeting = services.meeting_create(
        organisation=org,
        actor=people["facilitator"],
        kind=Kind.WORKSHOP,
        title="Atelier budget",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Salle 1",
        phase=phase,
    )
    told = Notification.objects.filter(url=meeting.get_absolute_url())
    assert set(told.values_list("recipient", flat=True)) == {follower.pk, english.pk}
    with translation.override("fr"):
        assert "Nouvelle réunion" in str(told.get(recipient=follower).title)
    with translation.override("en"):
        assert "New meeting in" in str(told.get(recipient=english).title)
    services.series_create(
        organisation=org,
        actor=people["facilitator"],
        frequency=MeetingSeries.Frequency.MONTHLY,
        count=3,
        kind=Kind.POW_WOW,
        title="Palabre du mois",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Salle 1",
        phase=phase,
    )
    assert Notification.objects.filter(recipient=follower).count() == 2  # one for the series
    # A meeting outside any initiative tells nobody.
    MeetingFactory(organisation=org)
    services.meeting_create(
        organisation=org,
        actor=None,
        kind=Kind.WORKSHOP,
        title="Hors démarche",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        place="Salle 2",
    )
    assert Notification.objects.filter(recipient=follower).count() == 2
