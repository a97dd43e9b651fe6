"""What people say to the organisation — ideas, complaints, testimonies,
proposals — with its status history, supports, comments and reports.

The allowed status moves are the tables `TRANSITIONS` below; services enforce
them and the database refuses a status that does not belong to the kind.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faireavec.core.models import (
    TEXT_LONG,
    TEXT_MEDIUM,
    OrganisationOwnedModel,
    TimeStampedModel,
    bounded_text_field,
)

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud or copied from paper stays right.
FOLLOW_UP_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
FOLLOW_UP_LENGTH = 10  # 25**10 ≈ 9.5e13 codes: not guessable behind a rate limit.


def new_follow_up_code() -> str:
    return "".join(secrets.choice(FOLLOW_UP_ALPHABET) for _ in range(FOLLOW_UP_LENGTH))


def contribution_photo_path(instance, filename: str) -> str:
    # The name never comes from the person's file: it could carry personal data.
    return f"contributions/{secrets.token_hex(16)}.jpg"


class Kind(models.TextChoices):
    IDEA = "idea", _("idea")
    COMPLAINT = "complaint", _("complaint")
    TESTIMONY = "testimony", _("testimony")
    PROPOSAL = "proposal", _("proposal")


class Status(models.TextChoices):
    RECEIVED = "received", _("received")
    UNDER_STUDY = "under_study", _("under study")
    ACCEPTED = "accepted", _("accepted")
    DONE = "done", _("done")
    DECLINED = "declined", _("declined")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    INVESTIGATING = "investigating", _("under investigation")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")


class Channel(models.TextChoices):
    ONLINE = "online", _("on the website")
    PAPER = "paper", _("on paper")
    PHONE = "phone", _("by phone")
    IN_PERSON = "in_person", _("face to face")
    EMAIL = "email", _("by email")
    MEETING = "meeting", _("during a meeting")


class Severity(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


# Allowed moves per kind. Final statuses have no way out except an explicit
# reopen (REOPEN_TO), which records a public message in the history.
IDEA_TRANSITIONS: dict[str, set[str]] = {
    Status.RECEIVED: {Status.UNDER_STUDY, Status.ACCEPTED, Status.DECLINED},
    Status.UNDER_STUDY: {Status.ACCEPTED, Status.DECLINED},
    Status.ACCEPTED: {Status.DONE, Status.DECLINED},
    Status.DONE: set(),
    Status.DECLINED: set(),
}
COMPLAINT_TRANSITIONS: dict[str, set[str]] = {
    Status.RECEIVED: {Status.ACKNOWLEDGED, Status.INVESTIGATING, Status.ANSWERED},
    Status.ACKNOWLEDGED: {Status.INVESTIGATING, Status.ANSWERED},
    Status.INVESTIGATING: {Status.ANSWERED},
    Status.ANSWERED: {Status.CLOSED, Status.INVESTIGATING},
    Status.CLOSED: set(),
}
TESTIMONY_TRANSITIONS: dict[str, set[str]] = {
    Status.RECEIVED: {Status.ANSWERED, Status.CLOSED},
    Status.ANSWERED: {Status.CLOSED},
    Status.CLOSED: set(),
}
TRANSITIONS: dict[str, dict[str, set[str]]] = {
    Kind.IDEA: IDEA_TRANSITIONS,
    Kind.PROPOSAL: IDEA_TRANSITIONS,
    Kind.COMPLAINT: COMPLAINT_TRANSITIONS,
    Kind.TESTIMONY: TESTIMONY_TRANSITIONS,
}
REOPEN_TO: dict[str, str] = {
    Kind.IDEA: Status.UNDER_STUDY,
    Kind.PROPOSAL: Status.UNDER_STUDY,
    Kind.COMPLAINT: Status.INVESTIGATING,
    Kind.TESTIMONY: Status.RECEIVED,
}
FINAL_STATUSES = frozenset({Status.DONE, Status.DECLINED, Status.CLOSED})
# Reaching one of these means the organisation has given its answer.
ANSWER_STATUSES = frozenset(
    {Status.ACCEPTED, Status.DONE, Status.DECLINED, Status.ANSWERED, Status.CLOSED}
)


def _valid_kind_status() -> models.Q:
    condition = models.Q()
    for kind in Kind.values:
        condition |= models.Q(kind=kind, status__in=list(TRANSITIONS[kind]))
    return condition


class Contribution(OrganisationOwnedModel):
    """Something a person said to the organisation, and what came of it.

    An anonymous contribution made online keeps no personal data: no user, no
    contact details, no address. Every contribution has a follow-up code, so
    the person can see its progress without an account.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="contributions",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.IDEA)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.RECEIVED
    )
    title = models.CharField(_("in a few words"), max_length=150)
    body = bounded_text_field(_("what you want to tell us"), max_length=TEXT_LONG)
    photo = models.ImageField(
        _("photo"), upload_to=contribution_photo_path, blank=True, max_length=200
    )
    site = models.ForeignKey(
        "organisations.Site",
        verbose_name=_("site or service"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
    )
    follow_up_code = models.CharField(
        _("follow-up code"),
        max_length=FOLLOW_UP_LENGTH,
        unique=True,
        default=new_follow_up_code,
        editable=False,
    )
    # Who said it.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
    )
    show_author_name = models.BooleanField(_("show my name publicly"), default=False)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The facilitator who wrote it down on the person's behalf."),
    )
    contact_name = models.CharField(_("name of the person"), max_length=150, blank=True)
    contact_details = models.CharField(
        _("how to reach the person"),
        max_length=250,
        blank=True,
        help_text=_("Phone number, email or address."),
    )
    contact_consent = models.BooleanField(
        _("the person agrees to be contacted again"), default=False
    )
    # What the organisation does with it.
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, blank=True)
    is_public = models.BooleanField(
        _("shown on the public ideas page"),
        default=False,
        help_text=_("Others can then support it and comment on it."),
    )
    is_hidden = models.BooleanField(_("hidden by moderation"), default=False)
    public_summary = bounded_text_field(
        _("public summary"),
        blank=True,
        max_length=TEXT_MEDIUM,
        help_text=_("Shown publicly instead of the title; leave empty to show the title."),
    )
    answer = bounded_text_field(_("what was decided"), blank=True, max_length=TEXT_LONG)
    outcome = bounded_text_field(_("what was done"), blank=True, max_length=TEXT_LONG)
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    status_changed_at = models.DateTimeField(_("status changed on"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first answered on"), null=True, blank=True)
    # Seconds from receipt to the first answer, kept with it so that the median
    # delay is read from an index instead of computed and sorted for every row.
    first_response_seconds = models.PositiveBigIntegerField(
        _("seconds to a first answer"), null=True, blank=True, editable=False
    )
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    acknowledge_due = models.DateTimeField(_("to acknowledge by"), null=True, blank=True)
    answer_due = models.DateTimeField(_("to answer by"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated on"), null=True, blank=True)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["organisation", "-created_at", "-id"], name="contrib_org_created_id"
            ),
            models.Index(fields=["organisation", "kind", "status"], name="contrib_org_kind_status"),
            # « Vous avez dit, nous avons fait »: only the rows it lists, in its order.
            models.Index(
                fields=["organisation", "-answered_at", "-id"],
                condition=models.Q(answered_at__isnull=False, is_hidden=False),
                name="contrib_org_answered_public",
            ),
            models.Index(fields=["organisation", "answer_due"], name="contrib_org_answer_due"),
            models.Index(
                fields=["organisation", "first_response_seconds"], name="contrib_org_response_delay"
            ),
            models.Index(
                fields=["organisation", "is_public", "-support_count", "-created_at"],
                name="contrib_org_public_support",
            ),
            # The same list filtered by kind (« complaints only »): its rows, in its order.
            models.Index(
                fields=["organisation", "kind", "-answered_at", "-id"],
                condition=models.Q(answered_at__isnull=False, is_hidden=False),
                name="contrib_org_kind_answered",
            ),
            # Public ideas, most supported first: only the rows listed (count and page).
            models.Index(
                fields=["organisation", "-support_count", "-created_at", "-id"],
                condition=models.Q(kind__in=["idea", "proposal"], is_public=True, is_hidden=False),
                name="contrib_org_public_ideas",
            ),
            # The listening figures: aggregated from the index alone, without reading the rows.
            models.Index(
                fields=["organisation", "kind", "answered_at", "answer_due", "first_response_at"],
                name="contrib_org_figures",
            ),
            # Overdue complaints: counted from the index alone, without reading the rows.
            models.Index(
                fields=["organisation", "kind", "status", "acknowledge_due", "answer_due"],
                name="contrib_org_deadlines",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_valid_kind_status(), name="contrib_kind_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=Status.DECLINED) | ~models.Q(answer=""),
                name="contrib_declined_has_reason",
                violation_error_message=_("Say why the idea is declined."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind=Kind.COMPLAINT, severity__in=Severity.values)
                | (~models.Q(kind=Kind.COMPLAINT) & models.Q(severity="")),
                name="contrib_severity_for_complaints",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=Kind.COMPLAINT)
                | models.Q(acknowledge_due__isnull=True, answer_due__isnull=True),
                name="contrib_deadlines_for_complaints",
            ),
            models.CheckConstraint(
                condition=models.Q(show_author_name=False) | models.Q(author__isnull=False),
                name="contrib_named_has_author",
            ),
            models.CheckConstraint(
                condition=~models.Q(channel=Channel.ONLINE)
                | models.Q(contact_name="", contact_details="", recorded_by__isnull=True),
                name="contrib_online_no_contact",
            ),
            models.CheckConstraint(
                condition=models.Q(contact_name="", contact_details="")
                | models.Q(contact_consent=True),
                name="contrib_contact_needs_consent",
                violation_error_message=_(
                    "Contact details can only be kept if the person agrees to be contacted again."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values), name="contrib_channel_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    first_response_at__isnull=True, first_response_seconds__isnull=True
                )
                | models.Q(first_response_at__isnull=False, first_response_seconds__isnull=False),
                name="contrib_response_delay_with_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "contributions:followup_detail",
            kwargs={
                "org_slug": self.organisation.slug,
                "contribution_follow_up_code": self.follow_up_code,
            },
        )

    @property
    def follow_up_code_display(self) -> str:
        """The code in two groups of five (« ACDEF GHJKM »): easier to read aloud and
        copy; the look-up ignores spaces, so a copied code works as it is."""
        half = FOLLOW_UP_LENGTH // 2
        return f"{self.follow_up_code[:half]} {self.follow_up_code[half:]}"

    @property
    def is_idea_like(self) -> bool:
        return self.kind in {Kind.IDEA, Kind.PROPOSAL}

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    def allowed_statuses(self) -> list[str]:
        """The statuses this contribution may move to next, in display order."""
        allowed = TRANSITIONS[self.kind][self.status]
        return [s for s in Status.values if s in allowed]

    @property
    def public_text(self) -> str:
        return self.public_summary or self.title


class HistoryEntry(models.Model):
    """One step in a contribution's life: a status change, an answer, a
    moderation decision or an escalation — who, when, and the message."""

    class Event(models.TextChoices):
        CREATED = "created", _("received")
        STATUS = "status", _("status changed")
        REOPENED = "reopened", _("reopened")
        ANSWER = "answer", _("answer updated")
        HIDDEN = "hidden", _("hidden")
        RESTORED = "restored", _("restored")
        PUBLISHED = "published", _("made public")
        UNPUBLISHED = "unpublished", _("no longer public")
        ESCALATED = "escalated", _("escalated")

    contribution = models.ForeignKey(
        Contribution,
        verbose_name=_("contribution"),
        on_delete=models.CASCADE,
        related_name="history",
    )
    event = models.CharField(_("event"), max_length=12, choices=Event.choices)
    from_status = models.CharField(
        _("previous status"), max_length=15, choices=Status.choices, blank=True
    )
    to_status = models.CharField(_("new status"), max_length=15, choices=Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    message = bounded_text_field(_("message"), blank=True, max_length=TEXT_LONG)
    is_public = models.BooleanField(_("shown to the person"), default=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(event__in=["reopened", "hidden", "restored"])
                | ~models.Q(message=""),
                name="history_reason_required",
                violation_error_message=_("A reason is required."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contribution_id} {self.event} {self.to_status}"

    @property
    def message_text(self) -> str:
        """What the entry says: the message someone typed, or else the platform's
        own words for the event — translated when read, so in the reader's language
        (stored, they would stay in the language of whoever caused them)."""
        return self.message or str(AUTOMATIC_HISTORY_MESSAGES.get(self.event, ""))


AUTOMATIC_HISTORY_MESSAGES = {
    HistoryEntry.Event.CREATED: _("We received your message."),
    HistoryEntry.Event.PUBLISHED: _("Everyone can now see and support this idea."),
    HistoryEntry.Event.ESCALATED: _("Overdue: the administrators were told."),
}


class Support(models.Model):
    """One person supports a public idea; once only."""

    contribution = models.ForeignKey(
        Contribution,
        verbose_name=_("contribution"),
        on_delete=models.CASCADE,
        related_name="supports",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="contribution_supports",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "user"],
                name="support_once_per_person",
                violation_error_message=_("You already support this idea."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} + {self.contribution}"


class Stance(models.TextChoices):
    """Where a comment stands on the idea or proposal it is about."""

    FOR = "for", pgettext_lazy("comment stance", "for")
    AGAINST = "against", pgettext_lazy("comment stance", "against")
    NEUTRAL = "neutral", pgettext_lazy("comment stance", "neutral")


class Comment(TimeStampedModel):
    """A comment on a public idea, by a signed-in person, for, against or neutral."""

    contribution = models.ForeignKey(
        Contribution,
        verbose_name=_("contribution"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        related_name="contribution_comments",
    )
    body = bounded_text_field(_("comment"), max_length=TEXT_MEDIUM)
    stance = models.CharField(
        _("stance"), max_length=8, choices=Stance.choices, default=Stance.NEUTRAL
    )
    is_hidden = models.BooleanField(_("hidden by moderation"), default=False)
    moderation_note = bounded_text_field(_("moderation reason"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stance__in=["for", "against", "neutral"]),
                name="comment_stance_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.body[:60]


class Report(models.Model):
    """Someone flags a contribution or a comment as unsuitable.

    The reporter is the signed-in person or, for a visitor, their session key:
    one report per reporter and target. Reports reviewed by a facilitator no
    longer count towards hiding.
    """

    contribution = models.ForeignKey(
        Contribution,
        verbose_name=_("contribution"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        on_delete=models.CASCADE,
        related_name="reports",
        null=True,
        blank=True,
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    session_key = models.CharField(_("visitor session"), max_length=64, blank=True)
    reason = models.CharField(_("why"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("reviewed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(reporter__isnull=False) & models.Q(session_key=""))
                | (models.Q(reporter__isnull=True) & ~models.Q(session_key="")),
                name="report_one_reporter",
            ),
            models.UniqueConstraint(
                fields=["contribution", "reporter"],
                condition=models.Q(comment__isnull=True, reporter__isnull=False),
                name="report_contrib_once_user",
            ),
            models.UniqueConstraint(
                fields=["contribution", "session_key"],
                condition=models.Q(comment__isnull=True, reporter__isnull=True),
                name="report_contrib_once_session",
            ),
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                condition=models.Q(comment__isnull=False, reporter__isnull=False),
                name="report_comment_once_user",
            ),
            models.UniqueConstraint(
                fields=["comment", "session_key"],
                condition=models.Q(comment__isnull=False, reporter__isnull=True),
                name="report_comment_once_session",
            ),
        ]

    def __str__(self) -> str:
        return f"report {self.pk}"
