"""Initiatives (démarches) and their phases.

Before involving people, an organisation says *why* (the purpose and the
question asked), *which decision it shares* (the involvement level, what is
decided with the participants and what it decides itself) and *what follow-up
the participants get* (what they will be told, by when). An initiative runs in
phases with dates; each phase declares what it allows (propose, comment,
support, answer a survey, register for a meeting, vote on an opinion map, join
a panel) and the permission rules enforce it through
`selectors.phase_allows`. The apps above (surveys, meetings, sortition,
opinions) attach their objects to a phase with a nullable foreign key and
show them on the initiative's page through `initiative_includes` on their
AppConfig (core/navigation.py).

Proposals are contributions of kind « proposal » (contributions app);
`InitiativeProposal` here holds the link, since contributions sits below
processes and may not point up to it.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faireavec.core.models import (
    TEXT_LONG,
    TEXT_MEDIUM,
    TEXT_SHORT,
    OrganisationOwnedModel,
    TimeStampedModel,
    bounded_text_field,
)


class InvolvementLevel(models.TextChoices):
    """The ladder of participation, as the field names it (« informer » to « co-décider »)."""

    INFORM = "inform", pgettext_lazy("involvement level", "inform")
    CONSULT = "consult", pgettext_lazy("involvement level", "consult")
    CONCERT = "concert", pgettext_lazy("involvement level", "concert")
    CO_CONSTRUCT = "co_construct", pgettext_lazy("involvement level", "co-construct")
    CO_DECIDE = "co_decide", pgettext_lazy("involvement level", "co-decide")


# What each level means for the people taking part, in plain words (shown on every
# initiative page next to the level, and in the back-office form).
INVOLVEMENT_EXPLANATIONS = {
    InvolvementLevel.INFORM: _(
        "We tell you what is planned and why. You can ask questions, but the decision "
        "is already taken."
    ),
    InvolvementLevel.CONSULT: _(
        "We ask your opinion before deciding. We decide afterwards, and we tell you what we "
        "kept of your opinion and why."
    ),
    InvolvementLevel.CONCERT: _(
        "We discuss together, several times, to compare points of view. Your ideas shape the "
        "project; the final decision stays with us, and we explain it."
    ),
    InvolvementLevel.CO_CONSTRUCT: _(
        "We build the solution with you, step by step: you take part in designing it, not "
        "only in giving an opinion. We commit to keeping what we build together."
    ),
    InvolvementLevel.CO_DECIDE: _(
        "You decide with us: the decision is taken together, by the rule announced below, "
        "and we apply it."
    ),
}


class Audience(models.TextChoices):
    PUBLIC = "public", pgettext_lazy("initiative audience", "everyone")
    MEMBERS = "members", pgettext_lazy("initiative audience", "people of the organisation")
    INVITED = "invited", pgettext_lazy("initiative audience", "invited people only")


AUDIENCE_EXPLANATIONS = {
    Audience.PUBLIC: _("Anyone can read it and take part; taking part needs an account."),
    Audience.MEMBERS: _(
        "People who have joined the organisation on this site (participants included)."
    ),
    Audience.INVITED: _("Only the people the organisation invited, and its team."),
}


class Action(models.TextChoices):
    """What a phase can allow. Each has its `allows_<action>` field on `Phase`."""

    PROPOSE = "propose", pgettext_lazy("phase action", "propose")
    COMMENT = "comment", pgettext_lazy("phase action", "comment")
    SUPPORT = "support", pgettext_lazy("phase action", "support")
    ANSWER_SURVEY = "answer_survey", pgettext_lazy("phase action", "answer a survey")
    REGISTER_MEETING = "register_meeting", pgettext_lazy("phase action", "register for a meeting")
    VOTE_OPINION = "vote_opinion", pgettext_lazy("phase action", "vote on an opinion map")
    JOIN_PANEL = "join_panel", pgettext_lazy("phase action", "join a panel drawn by lot")


def local_date(when=None):
    """The day (in the site's time zone) of `when`: None is now, a date stays itself."""
    if when is None:
        when = timezone.now()
    if hasattr(when, "tzinfo") and hasattr(when, "hour"):
        return timezone.localdate(when) if timezone.is_aware(when) else when.date()
    return when


class Initiative(OrganisationOwnedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("initiative status", "draft")
        PUBLISHED = "published", pgettext_lazy("initiative status", "published")
        CLOSED = "closed", pgettext_lazy("initiative status", "closed")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("short name in the address"),
        max_length=80,
        help_text=_("Letters, digits and hyphens: « plan-strategique-2027 »."),
    )
    purpose = bounded_text_field(
        _("why we start it"),
        max_length=TEXT_MEDIUM,
        help_text=_("The purpose: what should change thanks to this initiative."),
    )
    question = models.CharField(
        _("the question asked"),
        max_length=300,
        help_text=_("One question, in everyday words: « How can we… ? »"),
    )
    involvement_level = models.CharField(
        _("involvement level"),
        max_length=15,
        choices=InvolvementLevel.choices,
        default=InvolvementLevel.CONSULT,
    )
    decided_with_participants = bounded_text_field(
        _("what is decided with the participants"),
        max_length=TEXT_MEDIUM,
        help_text=_("The decision you share: be precise, participants will hold you to it."),
    )
    decided_by_organisation = bounded_text_field(
        _("what the organisation decides"),
        max_length=TEXT_MEDIUM,
        help_text=_("What stays with the board or the team (budget, law, safety…)."),
    )
    follow_up_promise = bounded_text_field(
        _("follow-up promised"),
        max_length=TEXT_MEDIUM,
        help_text=_("What participants will be told afterwards, and how."),
    )
    follow_up_due_on = models.DateField(
        _("follow-up promised by"),
        null=True,
        blank=True,
        help_text=_("The date by which you promised to report back."),
    )
    follow_up_done_on = models.DateField(
        _("follow-up given on"),
        null=True,
        blank=True,
        help_text=_("The day you reported back to the participants."),
    )
    audience = models.CharField(
        _("who can take part"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    needs = models.ManyToManyField(
        "needs.Need", verbose_name=_("needs it answers"), related_name="+", blank=True
    )
    stakeholders = models.ManyToManyField(
        "stakeholders.Stakeholder",
        verbose_name=_("stakeholders involved"),
        related_name="+",
        blank=True,
    )
    invited = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("people invited"),
        related_name="+",
        blank=True,
        help_text=_("For an initiative open to invited people only."),
    )
    what_happened = bounded_text_field(
        _("what happened"),
        blank=True,
        max_length=TEXT_LONG,
        help_text=_("At the end: what was decided and done, for the closing report."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"],
                name="initiative_slug_unique_per_org",
                violation_error_message=_("Another initiative already has this short name."),
            ),
            models.CheckConstraint(
                condition=models.Q(involvement_level__in=InvolvementLevel.values),
                name="initiative_level_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(audience__in=Audience.values), name="initiative_audience_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "published", "closed"]),
                name="initiative_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="initiative_org_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "processes:initiative_detail",
            kwargs={"org_slug": self.organisation.slug, "initiative_pk": self.pk},
        )

    def get_manage_url(self) -> str:
        return reverse(
            "processes:initiative_manage",
            kwargs={"org_slug": self.organisation.slug, "initiative_pk": self.pk},
        )

    @property
    def involvement_explanation(self) -> str:
        return INVOLVEMENT_EXPLANATIONS[self.involvement_level]

    @property
    def audience_explanation(self) -> str:
        return AUDIENCE_EXPLANATIONS[self.audience]

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def follow_up_overdue(self, when=None) -> bool:
        """The promised follow-up date has passed and nobody recorded giving it."""
        return (
            self.follow_up_due_on is not None
            and self.follow_up_done_on is None
            and self.status != self.Status.DRAFT
            and self.follow_up_due_on < local_date(when)
        )


class Phase(TimeStampedModel):
    """A stretch of an initiative, with its dates (both days included) and what it allows."""

    class Kind(models.TextChoices):
        IDENTIFY_NEEDS = "identify_needs", pgettext_lazy("phase kind", "identify needs")
        CO_DESIGN = "co_design", pgettext_lazy("phase kind", "co-design")
        EXPERIMENT = "experiment", pgettext_lazy("phase kind", "experiment")
        EVALUATE = "evaluate", pgettext_lazy("phase kind", "evaluate")
        SPREAD = "spread", pgettext_lazy("phase kind", "spread")
        OTHER = "other", pgettext_lazy("phase kind", "other")

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="phases"
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=150)
    description = bounded_text_field(
        _("what happens in this phase"), blank=True, max_length=TEXT_SHORT * 4
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), help_text=_("Last day of the phase, included."))
    allows_propose = models.BooleanField(
        pgettext_lazy("phase allows", "make proposals"), default=False
    )
    allows_comment = models.BooleanField(pgettext_lazy("phase allows", "comment"), default=False)
    allows_support = models.BooleanField(
        pgettext_lazy("phase allows", "support proposals"), default=False
    )
    allows_answer_survey = models.BooleanField(
        pgettext_lazy("phase allows", "answer a survey"), default=False
    )
    allows_register_meeting = models.BooleanField(
        pgettext_lazy("phase allows", "register for a meeting"), default=False
    )
    allows_vote_opinion = models.BooleanField(
        pgettext_lazy("phase allows", "vote on an opinion map"), default=False
    )
    allows_join_panel = models.BooleanField(
        pgettext_lazy("phase allows", "join a panel drawn by lot"), default=False
    )
    started_notice_sent_at = models.DateTimeField(
        _("followers told of its start on"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["initiative", "position", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="phase_ends_after_start",
                violation_error_message=_("A phase cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=[
                        "identify_needs",
                        "co_design",
                        "experiment",
                        "evaluate",
                        "spread",
                        "other",
                    ]
                ),
                name="phase_kind_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["initiative", "starts_on", "ends_on"], name="phase_dates"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def organisation(self):
        return self.initiative.organisation

    def allows(self, action: str) -> bool:
        """The phase declares `action` (whatever the date); see `phase_allows` for the date."""
        if action not in Action.values:
            raise ValueError(f"Unknown phase action: {action!r}")
        return getattr(self, f"allows_{action}")

    def allowed_actions(self) -> list[str]:
        return [action for action in Action.values if getattr(self, f"allows_{action}")]

    def allowed_action_labels(self) -> list[str]:
        labels = dict(Action.choices)
        return [str(labels[action]) for action in self.allowed_actions()]

    def timing(self, when=None) -> str:
        """ "upcoming", "current" or "past" on the day of `when`."""
        day = local_date(when)
        if day < self.starts_on:
            return "upcoming"
        if day > self.ends_on:
            return "past"
        return "current"

    def is_current(self, when=None) -> bool:
        return self.timing(when) == "current"


class InitiativeProposal(models.Model):
    """A contribution of kind « proposal » made inside an initiative (and the phase it
    was made in). The contribution keeps everything else: supports, comments,
    moderation, status and official answer."""

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="proposal_links",
    )
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("phase"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal_links",
    )
    contribution = models.OneToOneField(
        "contributions.Contribution",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="initiative_link",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposal of an initiative")
        verbose_name_plural = _("proposals of initiatives")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["initiative", "-created_at"], name="initiative_proposal_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} — {self.contribution}"

    @property
    def organisation(self):
        return self.initiative.organisation


class InitiativeFollow(models.Model):
    """A person follows an initiative: told of its phase changes, of answers to their
    proposals and of what is added to it (through core notifications)."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="follows"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="initiative_follows",
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follower of an initiative")
        verbose_name_plural = _("followers of initiatives")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "user"],
                name="initiative_follow_once",
                violation_error_message=_("You already follow this initiative."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.initiative}"
