"""Opinion maps: a conversation of short statements that people agree with,
disagree with or pass, and the opinion groups computed from those votes.

One sign convention for votes everywhere (database, analysis, exports):
agree = +1, disagree = -1, pass = 0 (see `analysis.py`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faireavec.core.models import (
    TEXT_MEDIUM,
    OrganisationOwnedModel,
    TimeStampedModel,
    bounded_text_field,
)

STATEMENT_MAX_LENGTH = 280  # short enough to read on a phone and vote on at once


class Conversation(OrganisationOwnedModel):
    """An opinion map: a question, statements, votes, and its analysis."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("conversation status", "draft")
        OPEN = "open", pgettext_lazy("conversation status", "open")
        CLOSED = "closed", pgettext_lazy("conversation status", "closed")

    class Moderation(models.TextChoices):
        PRE = "pre", _("before publication (pre-moderation)")
        POST = "post", _("after publication (post-moderation)")

    title = models.CharField(_("title"), max_length=200)
    question = bounded_text_field(
        _("question asked"),
        max_length=TEXT_MEDIUM,
        help_text=_("What the conversation is about, in a few plain sentences."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    allow_statements = models.BooleanField(_("participants may propose statements"), default=True)
    moderation = models.CharField(
        _("moderation of proposed statements"),
        max_length=10,
        choices=Moderation.choices,
        default=Moderation.PRE,
    )
    allow_anonymous = models.BooleanField(
        _("people without an account may take part"),
        default=True,
        help_text=_("They get a follow-up code to come back to their votes."),
    )
    phase = models.ForeignKey(
        "processes.Phase",
        verbose_name=_("phase of an initiative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Optional: the opinion map is then shown on the initiative's page and takes "
            "votes and statements only while this phase allows voting on an opinion map."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # When set, an analysis task is waiting to run (debounce: the votes of the
    # next seconds join it instead of starting another).
    analysis_due_at = models.DateTimeField(_("analysis due at"), null=True, blank=True)

    class Meta:
        verbose_name = _("opinion map")
        verbose_name_plural = _("opinion maps")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "opinions:conversation_detail",
            kwargs={"org_slug": self.organisation.slug, "conversation_pk": self.pk},
        )

    def get_manage_url(self) -> str:
        return reverse(
            "opinions:conversation_manage",
            kwargs={"org_slug": self.organisation.slug, "conversation_pk": self.pk},
        )

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def opening_state(self, when=None) -> str:
        """ "draft", "closed", "open", or "phase_closed" when its initiative's
        phase does not allow voting on an opinion map now."""
        if self.status == self.Status.DRAFT:
            return "draft"
        if self.status == self.Status.CLOSED:
            return "closed"
        if self.phase_id is not None:
            from faireavec.processes.selectors import phase_allows

            if not phase_allows(phase=self.phase, action="vote_opinion", when=when):
                return "phase_closed"
        return "open"

    @property
    def takes_part(self) -> bool:
        """Votes and statements are taken now (open, and its phase allows it)."""
        return self.opening_state() == "open"


class OpinionParticipant(TimeStampedModel):
    """Someone taking part in one conversation: with their account, or
    anonymous with a follow-up code (as contributions do)."""

    conversation = models.ForeignKey(
        Conversation, verbose_name=_("opinion map"), on_delete=models.CASCADE, related_name="voters"
    )
    number = models.PositiveIntegerField(_("number"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    code = models.CharField(_("follow-up code"), max_length=10, null=True, blank=True, unique=True)
    imported = models.BooleanField(_("imported"), default=False)

    class Meta:
        verbose_name = _("participant of an opinion map")
        verbose_name_plural = _("participants of an opinion map")
        ordering = ["conversation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "number"], name="opinions_voter_number"
            ),
            models.UniqueConstraint(
                fields=["conversation", "user"],
                condition=Q(user__isnull=False),
                name="opinions_voter_one_per_person",
            ),
        ]

    def __str__(self) -> str:
        return _("Participant no. %(number)s") % {"number": self.number}

    @property
    def code_display(self) -> str:
        code = self.code or ""
        return f"{code[:5]}-{code[5:]}" if code else ""


class Statement(TimeStampedModel):
    """A short statement people vote on: a seed written by the organisation,
    or one proposed by a participant (moderated before or after it is shown)."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("statement status", "awaiting moderation")
        ACCEPTED = "accepted", pgettext_lazy("statement status", "published")
        REJECTED = "rejected", pgettext_lazy("statement status", "rejected")

    class Origin(models.TextChoices):
        SEED = "seed", _("the organisation")
        PARTICIPANT = "participant", pgettext_lazy("statement origin", "a participant")
        IMPORT = "import", pgettext_lazy("statement origin", "an imported file")

    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("opinion map"),
        on_delete=models.CASCADE,
        related_name="statements",
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.CharField(_("statement"), max_length=STATEMENT_MAX_LENGTH)
    origin = models.CharField(_("written by"), max_length=12, choices=Origin.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACCEPTED
    )
    author = models.ForeignKey(
        OpinionParticipant,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["conversation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "number"], name="opinions_statement_number"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Vote(models.Model):
    """One person's answer to one statement; changing one's mind updates it."""

    class Value(models.IntegerChoices):
        AGREE = 1, _("I agree")
        DISAGREE = -1, _("I disagree")
        PASS = 0, _("I pass")

    conversation = models.ForeignKey(
        Conversation, verbose_name=_("opinion map"), on_delete=models.CASCADE, related_name="+"
    )
    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="votes"
    )
    voter = models.ForeignKey(
        OpinionParticipant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="votes",
    )
    value = models.SmallIntegerField(_("vote"), choices=Value.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["statement", "voter"], name="opinions_vote_once"),
            models.CheckConstraint(condition=Q(value__in=[-1, 0, 1]), name="opinions_vote_value"),
        ]
        indexes = [models.Index(fields=["conversation", "voter"], name="opinions_vote_conv_voter")]

    def __str__(self) -> str:
        return f"{self.voter_id} {self.statement_id} {self.value}"


class Analysis(models.Model):
    """The last analysis of a conversation, kept in the database (it survives
    restarts): the summary as JSON and every participant's position as a
    compact array (see `services.analysis_positions`)."""

    conversation = models.OneToOneField(
        Conversation,
        verbose_name=_("opinion map"),
        on_delete=models.CASCADE,
        related_name="analysis",
    )
    computed_at = models.DateTimeField(_("computed at"))
    n_votes = models.PositiveIntegerField(_("votes"))
    n_participants = models.PositiveIntegerField(_("participants"))
    n_groups = models.PositiveSmallIntegerField(_("groups"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    summary = models.JSONField(_("summary"))
    positions = models.BinaryField(_("positions"))

    class Meta:
        verbose_name = _("analysis")
        verbose_name_plural = _("analyses")

    def __str__(self) -> str:
        return str(self.conversation)
