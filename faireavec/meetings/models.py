"""Meetings: pow-wows, open forums, workshops, collective and individual sessions.

A meeting belongs to an organisation and may be one way of taking part in a phase
of an initiative (then that phase must allow registering for a meeting). People
register with their account or with a name and one way to be reached; each
registration has a code that lets its person cancel, or accept a seat offered from
the waiting list, without an account. Seats taken (confirmed and offered) never
exceed the capacity: the services lock the meeting row to count them.

An open forum (open space) adds rooms, time slots and topics proposed by
participants; a facilitator places each topic in a room at a slot on the board,
which freezes at a set time. A placed topic is a session with its notes.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faireavec.core.models import (
    TEXT_DOCUMENT,
    TEXT_LONG,
    TEXT_MEDIUM,
    TEXT_SHORT,
    OrganisationOwnedModel,
    TimeStampedModel,
    bounded_text_field,
)


def new_registration_code() -> str:
    return secrets.token_urlsafe(16)


class Kind(models.TextChoices):
    POW_WOW = "pow_wow", pgettext_lazy("meeting kind", "pow-wow")
    OPEN_FORUM = "open_forum", pgettext_lazy("meeting kind", "open forum")
    WORKSHOP = "workshop", pgettext_lazy("meeting kind", "workshop")
    ASSEMBLY_WORKSHOP = "assembly_workshop", pgettext_lazy("meeting kind", "assembly workshop")
    COLLECTIVE_SESSION = "collective_session", pgettext_lazy("meeting kind", "collective session")
    INDIVIDUAL = "individual", pgettext_lazy("meeting kind", "individual meeting")
    INFORMATION = "information", pgettext_lazy("meeting kind", "information meeting")


KIND_EXPLANATIONS = {
    Kind.POW_WOW: _("A monthly agora open to all: come and say what works and what does not."),
    Kind.OPEN_FORUM: _(
        "An open forum: participants propose the topics, then choose the ones they join."
    ),
    Kind.WORKSHOP: _("A workshop in small groups to work on one question together."),
    Kind.ASSEMBLY_WORKSHOP: _("A workshop held during the general assembly."),
    Kind.COLLECTIVE_SESSION: _("A session for a group of people following the same journey."),
    Kind.INDIVIDUAL: _("A meeting with one person, at a time that suits them."),
    Kind.INFORMATION: _("A meeting to learn about a project and ask questions."),
}

# The accessibility a meeting can offer: one boolean field each, in this order.
ACCESSIBILITY_FIELDS = (
    "offers_step_free",
    "offers_hearing_loop",
    "offers_sign_language",
    "offers_childcare",
    "offers_transport_help",
)


class MeetingSeries(OrganisationOwnedModel):
    """A recurring series (the monthly pow-wow): its occurrences are meetings."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("every month, on the same weekday (e.g. the first Tuesday)")
        WEEKLY = "weekly", _("every week")

    title = models.CharField(_("title"), max_length=200)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)

    class Meta:
        verbose_name = _("series of meetings")
        verbose_name_plural = _("series of meetings")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=["monthly", "weekly"]), name="meetings_series_frequency"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Meeting(OrganisationOwnedModel):
    phase = models.ForeignKey(
        "processes.Phase",
        verbose_name=_("phase of an initiative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional: the meeting is then one way of taking part in this phase."),
    )
    series = models.ForeignKey(
        MeetingSeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    kind = models.CharField(_("kind of meeting"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = bounded_text_field(_("description"), max_length=TEXT_MEDIUM, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    site = models.ForeignKey(
        "organisations.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    place = bounded_text_field(
        _("place"),
        max_length=TEXT_SHORT,
        blank=True,
        help_text=_("An address or a room, when the meeting is not at one of your sites."),
    )
    online_url = models.URLField(
        _("online link"),
        max_length=500,
        blank=True,
        help_text=_("The video call's address, for people who join from home."),
    )
    offers_step_free = models.BooleanField(_("step-free access"), default=False)
    offers_hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    offers_sign_language = models.BooleanField(_("sign language interpreting"), default=False)
    offers_childcare = models.BooleanField(_("childcare"), default=False)
    offers_transport_help = models.BooleanField(_("help with transport"), default=False)
    capacity = models.PositiveIntegerField(
        _("number of seats"),
        null=True,
        blank=True,
        help_text=_("Empty: no limit. When it is full, people join the waiting list."),
    )
    is_public = models.BooleanField(
        _("open to everyone"),
        default=True,
        help_text=_("Unticked: only the people of the organisation see it."),
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    minutes = bounded_text_field(_("minutes"), max_length=TEXT_DOCUMENT, blank=True)
    minutes_published = models.BooleanField(_("minutes published"), default=False)
    board_freezes_at = models.DateTimeField(
        _("board freezes at"),
        null=True,
        blank=True,
        help_text=_("Open forum: after this time, topics can no longer be proposed or moved."),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = bounded_text_field(_("reason"), max_length=TEXT_SHORT, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["organisation", "starts_at"], name="meetings_org_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="meetings_meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="meetings_meeting_capacity_positive",
                violation_error_message=_("A meeting has at least one seat."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="meetings_meeting_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(minutes_published=False) | ~Q(minutes=""),
                name="meetings_meeting_published_minutes_not_empty",
                violation_error_message=_("Write the minutes before publishing them."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # Not a database constraint: deleting a site (organisations' service) sets it
        # to null on its meetings, which must not fail.
        if self.site_id is None and not self.place.strip() and not self.online_url:
            raise ValidationError(
                {
                    "place": _(
                        "Say where the meeting takes place: a site, a place or an online link."
                    )
                }
            )

    def get_absolute_url(self) -> str:
        return reverse(
            "meetings:meeting_detail",
            kwargs={"org_slug": self.organisation.slug, "meeting_pk": self.pk},
        )

    def get_manage_url(self) -> str:
        return reverse(
            "meetings:meeting_manage",
            kwargs={"org_slug": self.organisation.slug, "meeting_pk": self.pk},
        )

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_open_forum(self) -> bool:
        return self.kind == Kind.OPEN_FORUM

    def is_past(self, when=None) -> bool:
        return self.ends_at <= (when or timezone.now())

    def board_is_frozen(self, when=None) -> bool:
        return self.board_freezes_at is not None and self.board_freezes_at <= (
            when or timezone.now()
        )

    def kind_explanation(self) -> str:
        return str(KIND_EXPLANATIONS[self.kind])

    def accessibility_offered(self) -> list[str]:
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in ACCESSIBILITY_FIELDS
            if getattr(self, name)
        ]

    def location_text(self) -> str:
        """The place in one line: the site's name and address, or the free place."""
        if self.site_id:
            parts = [self.site.name, self.site.address.replace("\n", ", ")]
            return " — ".join(p for p in parts if p)
        return self.place.replace("\n", ", ")


class MeetingRegistration(TimeStampedModel):
    """One person registered for a meeting, with their account or with a name and
    one way to be reached (kept with their consent)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", pgettext_lazy("registration status", "confirmed")
        WAITING = "waiting", pgettext_lazy("registration status", "on the waiting list")
        OFFERED = "offered", pgettext_lazy("registration status", "seat offered")
        CANCELLED = "cancelled", pgettext_lazy("registration status", "cancelled")
        ATTENDED = "attended", pgettext_lazy("registration status", "attended")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    needs = bounded_text_field(
        _("what would help you come"),
        max_length=TEXT_SHORT,
        blank=True,
        help_text=_("Optional: access, interpreting, childcare, transport…"),
    )
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_text = bounded_text_field(_("consent given to"), max_length=TEXT_MEDIUM, blank=True)
    code = models.CharField(
        _("code"), max_length=40, unique=True, default=new_registration_code, editable=False
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    offered_at = models.DateTimeField(_("seat offered at"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    contact_forgotten_at = models.DateTimeField(
        _("contact details deleted at"), null=True, blank=True
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["meeting", "status"], name="meetings_reg_meeting_status"),
            models.Index(fields=["status", "offer_expires_at"], name="meetings_reg_offer_expiry"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=["confirmed", "waiting", "offered", "cancelled", "attended"]
                ),
                name="meetings_registration_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False)
                | ~Q(email="")
                | ~Q(phone="")
                | Q(contact_forgotten_at__isnull=False),
                name="meetings_registration_reachable",
                violation_error_message=_("Give an email address or a phone number."),
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(consent_at__isnull=False),
                name="meetings_registration_consent_without_account",
                violation_error_message=_("We need your agreement to keep your details."),
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="meetings_registration_offer_has_expiry",
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False) & ~Q(status="cancelled"),
                name="meetings_registration_one_per_account",
                violation_error_message=_("You are already registered for this meeting."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "email"],
                condition=~Q(email="") & ~Q(status="cancelled"),
                name="meetings_registration_one_per_email",
                violation_error_message=_("Someone is already registered with this email."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "phone"],
                condition=~Q(phone="") & ~Q(status="cancelled"),
                name="meetings_registration_one_per_phone",
                violation_error_message=_("Someone is already registered with this phone number."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "meetings:registration_manage",
            kwargs={
                "org_slug": self.meeting.organisation.slug,
                "meetingregistration_code": self.code,
            },
        )

    @property
    def holds_a_seat(self) -> bool:
        return self.status in SEAT_STATUSES

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED


# Statuses that take one of the meeting's seats.
SEAT_STATUSES = (
    MeetingRegistration.Status.CONFIRMED,
    MeetingRegistration.Status.OFFERED,
    MeetingRegistration.Status.ATTENDED,
)


class ForumRoom(models.Model):
    """A room (or corner) of an open forum, with its seats."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="forum_rooms"
    )
    name = models.CharField(_("name"), max_length=100)
    seats = models.PositiveIntegerField(_("seats"))

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "name"],
                name="meetings_room_unique_name",
                violation_error_message=_("This forum already has a room with this name."),
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="meetings_room_seats_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class ForumSlot(models.Model):
    """A time slot of an open forum."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="forum_slots"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="meetings_slot_ends_after_start",
                violation_error_message=_("A time slot must end after it starts."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "starts_at"],
                name="meetings_slot_unique_start",
                violation_error_message=_("A time slot already starts at this time."),
            ),
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at).strftime("%H:%M")
        end = timezone.localtime(self.ends_at).strftime("%H:%M")
        return f"{start} - {end}"


class ForumTopic(TimeStampedModel):
    """A topic proposed for an open forum; once placed in a room at a slot, a session
    with its notes and the proposals it produced."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="forum_topics"
    )
    title = models.CharField(_("topic"), max_length=200)
    description = bounded_text_field(_("in a few words"), max_length=TEXT_SHORT, blank=True)
    host_name = models.CharField(
        _("who hosts it"),
        max_length=150,
        help_text=_("The person who proposes the topic leads its session."),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    room = models.ForeignKey(
        ForumRoom,
        verbose_name=_("room"),
        null=True,
        blank=True,
        # RESTRICT, not SET_NULL: a room and a slot are set or cleared together (the
        # check below); deleting the forum deletes its topics with them.
        on_delete=models.RESTRICT,
        related_name="topics",
    )
    slot = models.ForeignKey(
        ForumSlot,
        verbose_name=_("time slot"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="topics",
    )
    notes = bounded_text_field(_("notes of the session"), max_length=TEXT_LONG, blank=True)

    class Meta:
        verbose_name = _("open forum topic")
        verbose_name_plural = _("open forum topics")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "slot"],
                name="meetings_topic_one_per_room_and_slot",
                violation_error_message=_("Another topic is already in this room at this time."),
            ),
            models.CheckConstraint(
                condition=Q(room__isnull=True, slot__isnull=True)
                | Q(room__isnull=False, slot__isnull=False),
                name="meetings_topic_room_and_slot_together",
                violation_error_message=_("Choose both a room and a time slot."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_placed(self) -> bool:
        return self.room_id is not None


class ForumSupport(models.Model):
    """A participant's support for a topic: with an account, or from a browser session."""

    topic = models.ForeignKey(
        ForumTopic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    session_key = models.CharField(_("browser session"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("support for a topic")
        verbose_name_plural = _("supports for topics")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "user"],
                condition=Q(user__isnull=False),
                name="meetings_support_one_per_account",
            ),
            models.UniqueConstraint(
                fields=["topic", "session_key"],
                condition=~Q(session_key=""),
                name="meetings_support_one_per_session",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(session_key=""),
                name="meetings_support_has_someone",
            ),
        ]

    def __str__(self) -> str:
        return str(self.topic)


class MeetingContribution(models.Model):
    """A contribution written down during a meeting (assisted entry, channel « during a
    meeting »), and the open forum session it came from, if any."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="contributions"
    )
    contribution = models.OneToOneField(
        "contributions.Contribution",
        verbose_name=_("contribution"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    topic = models.ForeignKey(
        ForumTopic,
        verbose_name=_("open forum session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contribution recorded during a meeting")
        verbose_name_plural = _("contributions recorded during meetings")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return str(self.contribution)
