"""Every write of the meetings app.

Seats: a registration takes a seat when confirmed, offered or attended. Every
service that may change how many seats are taken locks the meeting row first
(`_locked_meeting`), counts, then writes: two people registering for the last
seat at the same moment get one seat and one place on the waiting list, never
more seats than the capacity.

Waiting list: when a seat frees (a cancellation, a declined offer, a larger
capacity), the first person waiting is offered it for `MEETINGS_OFFER_HOURS`
hours (setting, 48 by default) and told so. They accept or decline with their
code, no account needed; when the offer runs out (`offers_expire`, a periodic
task), it goes to the next person.
"""

import logging
from calendar import monthrange
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from faireavec.contributions.models import Channel, Contribution
from faireavec.contributions.services import contribution_create
from faireavec.core.audit import audit_log
from faireavec.core.emails import notification_link
from faireavec.core.i18n import lazy_message
from faireavec.core.navigation import menu_changed
from faireavec.core.notifications import notify
from faireavec.meetings.models import (
    SEAT_STATUSES,
    ForumRoom,
    ForumSlot,
    ForumSupport,
    ForumTopic,
    Kind,
    Meeting,
    MeetingContribution,
    MeetingRegistration,
    MeetingSeries,
)
from faireavec.organisations.models import Organisation
from faireavec.processes.models import Action
from faireavec.processes.selectors import phase_allows
from faireavec.processes.services import initiative_notify_followers

logger = logging.getLogger(__name__)

Status = MeetingRegistration.Status

# What a meeting's create and edit forms may set.
MEETING_FIELDS = (
    "kind",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "site",
    "place",
    "online_url",
    "offers_step_free",
    "offers_hearing_loop",
    "offers_sign_language",
    "offers_childcare",
    "offers_transport_help",
    "capacity",
    "is_public",
    "registration_open",
    "phase",
    "board_freezes_at",
)


def offer_duration() -> timedelta:
    return timedelta(hours=getattr(settings, "MEETINGS_OFFER_HOURS", 48))


def _check_own(meeting: Meeting, values: dict) -> None:
    """Sites and phases chosen must be the organisation's own."""
    site, phase = values.get("site"), values.get("phase")
    if site is not None and site.organisation_id != meeting.organisation_id:
        raise ValidationError({"site": _("Choose a site from the list.")})
    if phase is not None and phase.initiative.organisation_id != meeting.organisation_id:
        raise ValidationError({"phase": _("Choose a phase from the list.")})


def _locked_meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=meeting.pk)
    )


def seats_taken(meeting: Meeting) -> int:
    return meeting.registrations.filter(status__in=SEAT_STATUSES).count()


# Meetings --------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, organisation: Organisation, actor, series=None, **values) -> Meeting:
    unknown = set(values) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown meeting fields: {sorted(unknown)}")
    meeting = Meeting(organisation=organisation, created_by=actor, series=series, **values)
    _check_own(meeting, values)
    meeting.full_clean()
    meeting.save()
    audit_log(actor=actor, organisation=organisation, action="meetings.create", target=meeting)
    menu_changed(organisation=organisation)  # « Meetings » may appear in the public menu
    _tell_followers(meeting, actor=actor)
    return meeting


def _tell_followers(meeting: Meeting, *, actor, series: MeetingSeries | None = None) -> None:
    """A new meeting in a phase of an initiative: its followers are told (once for a
    series, with its first meeting), through the foundation's notifications."""
    if meeting.phase_id is None or meeting.is_cancelled:
        return
    initiative = meeting.phase.initiative
    if series is not None:
        title = lazy_message(
            _("New meetings in « %(initiative)s »: %(title)s"),
            initiative=initiative.title,
            title=series.title,
        )
    else:
        title = lazy_message(
            _("New meeting in « %(initiative)s »: %(title)s"),
            initiative=initiative.title,
            title=meeting.title,
        )
    initiative_notify_followers(
        initiative=initiative,
        title=title,
        body=lazy_message(_("Open the meeting's page to see when and where, and to register.")),
        url=meeting.get_absolute_url(),
        exclude=[actor] if actor is not None else [],
    )


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, **values) -> Meeting:
    """Change a meeting; a larger capacity offers the new seats to the waiting list."""
    unknown = set(values) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown meeting fields: {sorted(unknown)}")
    locked = _locked_meeting(meeting)
    if locked.is_cancelled:
        raise ValidationError(_("This meeting is cancelled: it can no longer be changed."))
    _check_own(locked, values)
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    for name, value in values.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    if changed:
        audit_log(
            actor=actor,
            organisation=locked.organisation,
            action="meetings.update",
            target=locked,
            details={"fields": changed},
        )
    _offer_free_seats(locked)
    menu_changed(organisation=locked.organisation)
    return locked


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a meeting and tell everyone registered (waiting list included)."""
    locked = _locked_meeting(meeting)
    if locked.is_cancelled:
        raise ValidationError(_("This meeting is already cancelled."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why, so that people registered understand.")})
    locked.cancelled_at = timezone.now()
    locked.cancel_reason = reason
    locked.registration_open = False
    locked.full_clean()
    locked.save()
    for registration in locked.registrations.exclude(status=Status.CANCELLED).select_related(
        "user"
    ):
        _tell(
            registration,
            meeting=locked,
            title=lazy_message(
                _("The meeting « %(title)s » of %(date)s is cancelled"),
                title=locked.title,
                date=locked.starts_at,
            ),
            body=lazy_message(_("Reason given: %(reason)s"), reason=reason),
        )
    audit_log(
        actor=actor,
        organisation=locked.organisation,
        action="meetings.cancel",
        target=locked,
        details={"reason": reason},
    )
    return locked


def _nth_weekday(year: int, month: int, weekday: int, rank: int) -> int:
    """The day of the month of the `rank`-th (1-based) `weekday`; the last one when the
    month has fewer."""
    first_weekday, days = monthrange(year, month)
    day = 1 + (weekday - first_weekday) % 7 + 7 * (rank - 1)
    while day > days:
        day -= 7
    return day


def series_dates(*, first: datetime, frequency: str, count: int) -> list[datetime]:
    """The start of each occurrence, in local time: weekly, or monthly on the same
    weekday of the same rank (the first Tuesday, the third Saturday…)."""
    local = timezone.localtime(first)
    starts = []
    if frequency == MeetingSeries.Frequency.WEEKLY:
        for index in range(count):
            naive = local.replace(tzinfo=None) + timedelta(weeks=index)
            starts.append(timezone.make_aware(naive))
        return starts
    rank = (local.day - 1) // 7 + 1
    for index in range(count):
        month0 = local.month - 1 + index
        year, month = local.year + month0 // 12, month0 % 12 + 1
        day = _nth_weekday(year, month, local.weekday(), rank)
        naive = local.replace(tzinfo=None, year=year, month=month, day=day)
        starts.append(timezone.make_aware(naive))
    return starts


@transaction.atomic
def series_create(
    *,
    organisation: Organisation,
    actor,
    frequency: str,
    count: int,
    **values,
) -> MeetingSeries:
    """A recurring series and its `count` occurrences (2 to 24), each a meeting with the
    same fields as the first, at the same local time."""
    if not 2 <= count <= 24:
        raise ValidationError({"count": _("Create between 2 and 24 meetings at once.")})
    series = MeetingSeries(organisation=organisation, title=values["title"], frequency=frequency)
    series.full_clean()
    series.save()
    duration = values["ends_at"] - values["starts_at"]
    first = None
    for start in series_dates(first=values["starts_at"], frequency=frequency, count=count):
        meeting = Meeting(
            organisation=organisation,
            created_by=actor,
            series=series,
            **{**values, "starts_at": start, "ends_at": start + duration},
        )
        _check_own(meeting, values)
        meeting.full_clean()
        meeting.save()
        first = first or meeting
    _tell_followers(first, actor=actor, series=series)
    audit_log(
        actor=actor,
        organisation=organisation,
        action="meetings.series_create",
        target=series,
        details={"count": count},
    )
    menu_changed(organisation=organisation)
    return series


# Registrations ---------------------------------------------------------------


def registration_refusal(meeting: Meeting, when=None) -> str:
    """Why nobody may register now, or "" when they may."""
    when = when or timezone.now()
    if meeting.is_cancelled:
        return str(_("This meeting is cancelled."))
    if meeting.is_past(when):
        return str(_("This meeting is over."))
    if not meeting.registration_open:
        return str(_("Registration for this meeting is closed."))
    if meeting.phase_id and not phase_allows(
        phase=meeting.phase, action=Action.REGISTER_MEETING, when=when
    ):
        return str(_("Registration is not open in this phase of the initiative."))
    return ""


@transaction.atomic
def registration_create(
    *,
    meeting: Meeting,
    user=None,
    name: str = "",
    email: str = "",
    phone: str = "",
    needs: str = "",
    consent_text: str = "",
    actor=None,
) -> MeetingRegistration:
    """Register someone: a confirmed seat while there is one, else the waiting list.

    With an account, the account's name is used and no contact is kept (the
    platform reaches them). Without one, a name and an email or a phone, kept with
    the consent given (`consent_text`). `actor`: a facilitator registering someone
    by phone (the audit log records it)."""
    locked = _locked_meeting(meeting)
    refusal = registration_refusal(locked)
    if refusal and actor is None:
        raise ValidationError(refusal)
    if locked.is_cancelled:
        raise ValidationError(_("This meeting is cancelled."))
    account = user if getattr(user, "is_authenticated", False) else None
    registration = MeetingRegistration(
        meeting=locked,
        user=account,
        name=(name.strip() or (account.display_name if account else "")),
        email="" if account else email.strip().lower(),
        phone="" if account else phone.strip(),
        needs=needs.strip(),
    )
    if account is None:
        if not registration.email and not registration.phone:
            raise ValidationError({"email": _("Give an email address or a phone number.")})
        if not consent_text:
            raise ValidationError({"consent": _("We need your agreement to keep your details.")})
        registration.consent_at = timezone.now()
        registration.consent_text = consent_text
    full = locked.capacity is not None and seats_taken(locked) >= locked.capacity
    registration.status = Status.WAITING if full else Status.CONFIRMED
    registration.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        if account is not None:
            raise ValidationError(_("You are already registered for this meeting.")) from None
        field = "email" if registration.email else "phone"
        raise ValidationError(
            {field: _("Someone is already registered with this contact.")}
        ) from None
    if actor is not None:
        audit_log(
            actor=actor,
            organisation=locked.organisation,
            action="meetings.register_someone",
            target=locked,
            details={"status": registration.status},
        )
    return registration


def _locked_registration(registration: MeetingRegistration) -> tuple[Meeting, MeetingRegistration]:
    meeting = _locked_meeting(registration.meeting)
    fresh = MeetingRegistration.objects.select_related("user").get(pk=registration.pk)
    fresh.meeting = meeting
    return meeting, fresh


@transaction.atomic
def registration_cancel(*, registration: MeetingRegistration) -> MeetingRegistration:
    """The person cancels (with their code or account): their seat goes to the next
    person waiting."""
    meeting, fresh = _locked_registration(registration)
    if fresh.status == Status.CANCELLED:
        return fresh
    if fresh.status == Status.ATTENDED:
        raise ValidationError(_("This meeting has taken place: the registration stays."))
    fresh.status = Status.CANCELLED
    fresh.cancelled_at = timezone.now()
    fresh.save(update_fields=["status", "cancelled_at", "updated_at"])
    _offer_free_seats(meeting)
    return fresh


@transaction.atomic
def offer_accept(*, registration: MeetingRegistration, when=None) -> MeetingRegistration:
    when = when or timezone.now()
    _meeting, fresh = _locked_registration(registration)
    if fresh.status == Status.CONFIRMED:
        return fresh
    if fresh.status != Status.OFFERED or fresh.offer_expires_at <= when:
        raise ValidationError(_("This offer has expired: the seat went to the next person."))
    fresh.status = Status.CONFIRMED
    fresh.save(update_fields=["status", "updated_at"])
    return fresh


@transaction.atomic
def offer_decline(*, registration: MeetingRegistration) -> MeetingRegistration:
    _meeting, fresh = _locked_registration(registration)
    if fresh.status != Status.OFFERED:
        raise ValidationError(_("No seat is offered to you at the moment."))
    return registration_cancel(registration=fresh)


def _offer_free_seats(meeting: Meeting, when=None) -> list[MeetingRegistration]:
    """Offer each free seat to the next person waiting. The caller holds the lock on
    the meeting."""
    when = when or timezone.now()
    if meeting.is_cancelled or meeting.is_past(when) or meeting.capacity is None:
        return []
    free = meeting.capacity - seats_taken(meeting)
    if free <= 0:
        return []
    offered = []
    waiting = meeting.registrations.filter(status=Status.WAITING).select_related("user")
    for registration in waiting.order_by("created_at", "pk")[:free]:
        registration.status = Status.OFFERED
        registration.offered_at = when
        # Never beyond the meeting's start: a seat offered the evening before is
        # answered before the doors open.
        registration.offer_expires_at = min(when + offer_duration(), meeting.starts_at)
        registration.save(update_fields=["status", "offered_at", "offer_expires_at", "updated_at"])
        registration.meeting = meeting
        _tell(
            registration,
            meeting=meeting,
            title=lazy_message(
                _("A seat is free for « %(title)s »: say if you take it"), title=meeting.title
            ),
            body=lazy_message(
                _(
                    "A seat is free for « %(title)s » on %(date)s. It is kept for you until "
                    "%(until)s: accept or decline it from your registration page."
                ),
                title=meeting.title,
                date=meeting.starts_at,
                until=registration.offer_expires_at,
            ),
        )
        offered.append(registration)
    return offered


def offers_expire(*, when=None) -> int:
    """Expired offers: each person loses the seat (told so), and it goes to the next
    person waiting. Returns how many offers expired."""
    when = when or timezone.now()
    expired = 0
    meeting_ids = (
        MeetingRegistration.objects.filter(status=Status.OFFERED, offer_expires_at__lte=when)
        .values_list("meeting_id", flat=True)
        .distinct()
    )
    for meeting_id in list(meeting_ids):
        with transaction.atomic():
            meeting = _locked_meeting(Meeting(pk=meeting_id))
            for registration in meeting.registrations.filter(
                status=Status.OFFERED, offer_expires_at__lte=when
            ).select_related("user"):
                registration.status = Status.CANCELLED
                registration.cancelled_at = when
                registration.save(update_fields=["status", "cancelled_at", "updated_at"])
                registration.meeting = meeting
                _tell(
                    registration,
                    meeting=meeting,
                    title=lazy_message(
                        _("The seat offered for « %(title)s » went to the next person"),
                        title=meeting.title,
                    ),
                    body=lazy_message(
                        _("You did not answer in time. You may register again if you wish.")
                    ),
                )
                expired += 1
            _offer_free_seats(meeting, when=when)
    return expired


def reminders_send(*, when=None) -> int:
    """Remind everyone with a seat of the meetings that take place tomorrow (local
    day), once. Returns how many reminders went."""
    when = when or timezone.now()
    tomorrow = timezone.localtime(when).date() + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))
    end = start + timedelta(days=1)
    sent = 0
    registrations = (
        MeetingRegistration.objects.filter(
            status__in=[Status.CONFIRMED, Status.OFFERED],
            reminded_at__isnull=True,
            meeting__starts_at__gte=start,
            meeting__starts_at__lt=end,
            meeting__cancelled_at__isnull=True,
        )
        .select_related("meeting__organisation", "meeting__site", "user")
        .order_by("pk")
    )
    for registration in registrations:
        with transaction.atomic():
            updated = MeetingRegistration.objects.filter(
                pk=registration.pk, reminded_at__isnull=True
            ).update(reminded_at=when)
            if not updated:
                continue  # another run sent it
            meeting = registration.meeting
            _tell(
                registration,
                meeting=meeting,
                title=lazy_message(_("Reminder: « %(title)s » is tomorrow"), title=meeting.title),
                body=lazy_message(
                    _("On %(date)s. Place: %(place)s"),
                    date=meeting.starts_at,
                    place=meeting.location_text() or meeting.online_url,
                ),
            )
            sent += 1
    return sent


def contacts_forget(*, when=None) -> int:
    """Delete the email and phone given without an account once the meeting is
    `MEETINGS_CONTACT_DAYS` days past (setting, 30 by default), as the consent says;
    the name stays on the attendance record. Returns how many registrations."""
    when = when or timezone.now()
    days = getattr(settings, "MEETINGS_CONTACT_DAYS", 30)
    return (
        MeetingRegistration.objects.filter(
            user__isnull=True,
            contact_forgotten_at__isnull=True,
            meeting__ends_at__lte=when - timedelta(days=days),
        )
        .exclude(email="", phone="")
        .update(email="", phone="", needs="", contact_forgotten_at=when, updated_at=when)
    )


def _tell(registration: MeetingRegistration, *, meeting: Meeting, title: Promise, body: Promise):
    """Tell a registered person: a notification with an account, an email to the
    address given without one (after the commit). People who gave only a phone
    number are called by the team, who sees them in the registrations list."""
    url = registration.get_absolute_url()
    if registration.user_id:
        notify(
            recipients=[registration.user],
            title=title,
            body=body,
            url=url,
            organisation=meeting.organisation,
        )
        return
    if not registration.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject, text = str(title), str(body)
        message = render_to_string(
            "meetings/email/registration_news.txt",
            {
                "organisation": meeting.organisation,
                "body": text,
                "url": notification_link(url),
            },
        )
    address = registration.email

    def send() -> None:
        try:
            send_mail(
                subject=subject[:200],
                message=message,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[address],
            )
        except OSError:
            logger.exception("Meeting email to a registered person failed.")

    transaction.on_commit(send)


# Attendance, minutes, contributions -----------------------------------------


@transaction.atomic
def attendance_record(*, actor, meeting: Meeting, attended_ids: set[int]) -> int:
    """Mark who came among the people with a seat; the others stay confirmed (absent).
    Returns how many came."""
    locked = _locked_meeting(meeting)
    if locked.starts_at > timezone.now():
        raise ValidationError(_("Attendance is recorded once the meeting has started."))
    seated = locked.registrations.filter(status__in=[Status.CONFIRMED, Status.ATTENDED])
    unknown = set(attended_ids) - set(seated.values_list("pk", flat=True))
    if unknown:
        raise ValidationError(_("Choose people from the list of registrations."))
    seated.filter(pk__in=attended_ids).update(status=Status.ATTENDED, updated_at=timezone.now())
    seated.exclude(pk__in=attended_ids).update(status=Status.CONFIRMED, updated_at=timezone.now())
    audit_log(
        actor=actor,
        organisation=locked.organisation,
        action="meetings.attendance",
        target=locked,
        details={"count": len(attended_ids)},
    )
    return len(attended_ids)


@transaction.atomic
def minutes_set(*, actor, meeting: Meeting, minutes: str, published: bool) -> Meeting:
    locked = _locked_meeting(meeting)
    locked.minutes = minutes.strip()
    locked.minutes_published = published
    locked.full_clean()
    locked.save(update_fields=["minutes", "minutes_published", "updated_at"])
    audit_log(
        actor=actor,
        organisation=locked.organisation,
        action="meetings.minutes_publish" if published else "meetings.minutes_save",
        target=locked,
    )
    return locked


@transaction.atomic
def meeting_contribution_record(
    *,
    actor,
    meeting: Meeting,
    kind: str,
    title: str,
    body: str,
    topic: ForumTopic | None = None,
    contact_name: str = "",
    contact_details: str = "",
    contact_consent: bool = False,
    severity: str = "",
) -> Contribution:
    """Write down what someone said during the meeting: a contribution through the
    contributions app's assisted entry (channel « during a meeting »), linked here."""
    if topic is not None and topic.meeting_id != meeting.pk:
        raise ValidationError({"topic": _("Choose a session of this forum.")})
    contribution = contribution_create(
        organisation=meeting.organisation,
        kind=kind,
        title=title,
        body=body,
        site=meeting.site,
        channel=Channel.MEETING,
        recorded_by=actor,
        contact_name=contact_name,
        contact_details=contact_details,
        contact_consent=contact_consent,
        severity=severity,
    )
    link = MeetingContribution(meeting=meeting, contribution=contribution, topic=topic)
    link.full_clean()
    link.save()
    return contribution


# Open forum ------------------------------------------------------------------


def _check_forum(meeting: Meeting) -> None:
    if meeting.kind != Kind.OPEN_FORUM:
        raise ValidationError(_("Only an open forum has a board."))


@transaction.atomic
def room_add(*, actor, meeting: Meeting, name: str, seats: int) -> ForumRoom:
    _check_forum(meeting)
    room = ForumRoom(meeting=meeting, name=name.strip(), seats=seats)
    room.full_clean()
    room.save()
    audit_log(
        actor=actor,
        organisation=meeting.organisation,
        action="meetings.room_add",
        target=room,
        details={"meeting": meeting.title},
    )
    return room


@transaction.atomic
def slot_add(*, actor, meeting: Meeting, starts_at: datetime, ends_at: datetime) -> ForumSlot:
    _check_forum(meeting)
    slot = ForumSlot(meeting=meeting, starts_at=starts_at, ends_at=ends_at)
    slot.full_clean()
    if not (meeting.starts_at <= starts_at and ends_at <= meeting.ends_at):
        raise ValidationError(_("A time slot lies within the forum's own hours."))
    slot.save()
    audit_log(
        actor=actor,
        organisation=meeting.organisation,
        action="meetings.slot_add",
        target=meeting,
        details={"slot": str(slot)},
    )
    return slot


@transaction.atomic
def topic_propose(
    *, meeting: Meeting, title: str, host_name: str, description: str = "", user=None
) -> ForumTopic:
    _check_forum(meeting)
    if meeting.is_cancelled or meeting.board_is_frozen():
        raise ValidationError(_("The board is closed: topics can no longer be proposed."))
    topic = ForumTopic(
        meeting=meeting,
        title=title.strip(),
        host_name=host_name.strip(),
        description=description.strip(),
        proposed_by=user if getattr(user, "is_authenticated", False) else None,
    )
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def topic_support(*, topic: ForumTopic, user=None, session_key: str = "") -> bool:
    """Support a topic once (per account, or per browser session without one); returns
    whether a support was added."""
    if topic.meeting.board_is_frozen():
        raise ValidationError(_("The board is closed: topics can no longer be supported."))
    account = user if getattr(user, "is_authenticated", False) else None
    if account is None and not session_key:
        raise ValidationError(_("Your browser refused the cookie that counts your support."))
    support = ForumSupport(
        topic=topic, user=account, session_key="" if account else session_key[:64]
    )
    try:
        with transaction.atomic():
            support.save()
    except IntegrityError:
        return False
    return True


@transaction.atomic
def topic_place(
    *, actor, topic: ForumTopic, room: ForumRoom | None, slot: ForumSlot | None
) -> ForumTopic:
    """Put a topic in a room at a slot on the board (both None: take it off). Refused
    after the board froze, or when another topic holds that room at that time."""
    meeting = _locked_meeting(topic.meeting)
    if meeting.board_is_frozen():
        raise ValidationError(_("The board is frozen: sessions can no longer be moved."))
    if (room is None) != (slot is None):
        raise ValidationError(_("Choose both a room and a time slot."))
    if room is not None and (room.meeting_id != meeting.pk or slot.meeting_id != meeting.pk):
        raise ValidationError(_("Choose a room and a time slot of this forum."))
    topic = ForumTopic.objects.get(pk=topic.pk)
    topic.room, topic.slot = room, slot
    topic.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            topic.save(update_fields=["room", "slot", "updated_at"])
    except IntegrityError:
        raise ValidationError(
            {"room": _("Another topic is already in this room at this time.")}
        ) from None
    audit_log(
        actor=actor,
        organisation=meeting.organisation,
        action="meetings.topic_place",
        target=topic,
        details={"room": room.name if room else "", "slot": str(slot) if slot else ""},
    )
    return topic


@transaction.atomic
def topic_notes_set(*, actor, topic: ForumTopic, notes: str) -> ForumTopic:
    topic.notes = notes.strip()
    topic.full_clean()
    topic.save(update_fields=["notes", "updated_at"])
    audit_log(
        actor=actor,
        organisation=topic.meeting.organisation,
        action="meetings.topic_notes",
        target=topic,
    )
    return topic
