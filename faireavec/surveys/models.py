"""Surveys: questionnaires, their sections and questions, the people's responses.

A survey belongs to an organisation; it may be a new *wave* of an earlier one
(`previous_wave`: same questions, same codes, so results compare across waves).
Who may answer (`audience`), whether we know who answered (`identity`) and how
« one response per person » is kept (`limit`: by account, or by single-use
tokens printed on letters) are set per survey; the opening and closing dates
decide when it takes answers.

A response is written whole or not at all (`response_submit`, one
transaction). Until then, what a person typed lives in a `ResponseDraft`, so
they can stop and come back (with their account or their token).

A question with answers can be hidden but not deleted (the answers' foreign
key is RESTRICT) nor change its kind (the services refuse it): past answers
never change meaning.

Conditions (on a section or a question) are JSON:
``{"combine": "all"|"any", "rules": [{"question": <id>, "op": "equals"|"one_of"|"gt",
"value": …}]}``, checked by `faireavec.surveys.conditions` when saved.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faireavec.contributions.models import Channel
from faireavec.core.models import (
    TEXT_LONG,
    TEXT_MEDIUM,
    TEXT_SHORT,
    OrganisationOwnedModel,
    TimeStampedModel,
    bounded_text_field,
)
from faireavec.organisations.models import INVITATION_CODE_ALPHABET, normalise_invitation_code

# Tokens use the invitation codes' alphabet (no 0/O, 1/I/L): read from a letter,
# typed on a phone, in any case. Eight symbols out of 31: about 40 bits, and a
# token only opens one questionnaire once, behind a rate limit.
TOKEN_ALPHABET = INVITATION_CODE_ALPHABET
TOKEN_LENGTH = 8


def new_token_code() -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))


def normalise_token_code(text: str) -> str:
    """What a person typed, as stored: upper case, without spaces or dashes."""
    return normalise_invitation_code(text or "")


class Survey(OrganisationOwnedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("survey status", "draft")
        PUBLISHED = "published", pgettext_lazy("survey status", "published")
        ARCHIVED = "archived", pgettext_lazy("survey status", "archived")

    class Audience(models.TextChoices):
        PUBLIC = "public", pgettext_lazy("survey audience", "anyone with the link")
        PARTICIPANTS = (
            "participants",
            pgettext_lazy("survey audience", "people of the organisation (participants included)"),
        )
        MEMBERS = "members", pgettext_lazy("survey audience", "members only")

    class Identity(models.TextChoices):
        ANONYMOUS = "anonymous", pgettext_lazy("survey identity", "anonymous")
        IDENTIFIED = "identified", pgettext_lazy("survey identity", "identified")

    class Limit(models.TextChoices):
        NONE = "none", pgettext_lazy("survey limit", "no check (a public link)")
        ACCOUNT = "account", pgettext_lazy("survey limit", "one response per account")
        TOKEN = "token", pgettext_lazy("survey limit", "one response per single-use code")

    class Display(models.TextChoices):
        ONE_PER_SCREEN = "one", pgettext_lazy("survey display", "one question per screen")
        ALL = "all", pgettext_lazy("survey display", "all questions on one page")

    title = models.CharField(_("title"), max_length=200)
    description = bounded_text_field(
        _("introduction"),
        blank=True,
        max_length=TEXT_MEDIUM,
        help_text=_("Shown before the first question: why you ask, how long it takes."),
    )
    thanks = bounded_text_field(
        _("what happens next"),
        blank=True,
        max_length=TEXT_MEDIUM,
        help_text=_(
            "Shown once the answers are sent: what you will do with them and when "
            "people will hear of the results."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    audience = models.CharField(
        _("who may answer"), max_length=12, choices=Audience.choices, default=Audience.PUBLIC
    )
    identity = models.CharField(
        _("anonymous or identified"),
        max_length=10,
        choices=Identity.choices,
        default=Identity.ANONYMOUS,
        help_text=_("Anonymous: nobody, not even the team, can know who gave which answer."),
    )
    limit = models.CharField(
        _("one response per person"),
        max_length=8,
        choices=Limit.choices,
        default=Limit.NONE,
        help_text=_(
            "By account: people sign in. By code: you print or send single-use codes "
            "(on a letter, by email), each opens the questionnaire once."
        ),
    )
    display = models.CharField(
        _("how questions are shown"),
        max_length=3,
        choices=Display.choices,
        default=Display.ONE_PER_SCREEN,
    )
    opens_at = models.DateTimeField(_("opens on"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes on"), null=True, blank=True)
    previous_wave = models.ForeignKey(
        "self",
        verbose_name=_("previous wave"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_waves",
        help_text=_("The same survey run earlier: results are compared wave by wave."),
    )
    wave_number = models.PositiveSmallIntegerField(_("wave"), default=1)
    wave_label = models.CharField(
        _("wave name"), max_length=60, blank=True, help_text=_("« Printemps 2026 », « 2027 »…")
    )
    phase = models.ForeignKey(
        "processes.Phase",
        verbose_name=_("phase of an initiative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Optional: the survey is then shown on the initiative's page and takes "
            "answers only while this phase allows answering a survey."
        ),
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
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "archived"]),
                name="survey_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(audience__in=["public", "participants", "members"]),
                name="survey_audience_valid",
            ),
            models.CheckConstraint(
                condition=Q(identity__in=["anonymous", "identified"]),
                name="survey_identity_valid",
            ),
            models.CheckConstraint(
                condition=Q(limit__in=["none", "account", "token"]), name="survey_limit_valid"
            ),
            models.CheckConstraint(
                condition=Q(display__in=["one", "all"]), name="survey_display_valid"
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_opening",
                violation_error_message=_("The closing date must come after the opening date."),
            ),
            # Knowing who answered needs to know who they are: an account or a token.
            models.CheckConstraint(
                condition=~Q(identity="identified", limit="none"),
                name="survey_identified_needs_limit",
                violation_error_message=_(
                    "An identified survey needs accounts or codes to know who answered."
                ),
            ),
            models.CheckConstraint(condition=Q(wave_number__gte=1), name="survey_wave_positive"),
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="survey_org_status")]

    def __str__(self) -> str:
        if self.wave_label:
            return f"{self.title} ({self.wave_label})"
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "surveys:survey_detail",
            kwargs={"org_slug": self.organisation.slug, "survey_pk": self.pk},
        )

    def get_public_url(self) -> str:
        return reverse(
            "surveys:survey_start",
            kwargs={"org_slug": self.organisation.slug, "survey_pk": self.pk},
        )

    @property
    def is_anonymous(self) -> bool:
        return self.identity == self.Identity.ANONYMOUS

    def opening_state(self, when=None) -> str:
        """ "draft", "not_yet_open", "open", "closed" (by date or archived), or
        "phase_closed" when its initiative's phase does not allow answering now."""
        when = when or timezone.now()
        if self.status == self.Status.DRAFT:
            return "draft"
        if self.status == self.Status.ARCHIVED:
            return "closed"
        if self.opens_at and when < self.opens_at:
            return "not_yet_open"
        if self.closes_at and when >= self.closes_at:
            return "closed"
        if self.phase_id is not None:
            from faireavec.processes.selectors import phase_allows

            if not phase_allows(phase=self.phase, action="answer_survey", when=when):
                return "phase_closed"
        return "open"


def _condition_default() -> dict:
    return {}


class Section(models.Model):
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("title"), max_length=200)
    description = bounded_text_field(_("introduction"), blank=True, max_length=TEXT_MEDIUM)
    position = models.PositiveIntegerField(_("position"), default=0)
    condition = models.JSONField(_("shown when"), default=_condition_default, blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "position"],
                name="section_position_unique",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Kind(models.TextChoices):
    SHORT_TEXT = "short_text", pgettext_lazy("question kind", "short text")
    LONG_TEXT = "long_text", pgettext_lazy("question kind", "long text")
    SINGLE = "single", pgettext_lazy("question kind", "single choice")
    MULTIPLE = "multiple", pgettext_lazy("question kind", "multiple choice")
    AGREEMENT = "agreement", pgettext_lazy("question kind", "agreement (5 points)")
    NPS = "nps", pgettext_lazy("question kind", "recommendation 0 to 10 (NPS)")
    SATISFACTION = "satisfaction", pgettext_lazy("question kind", "satisfaction 1 to 5")
    YES_NO = "yes_no", pgettext_lazy("question kind", "yes or no")
    NUMBER = "number", pgettext_lazy("question kind", "number")
    DATE = "date", pgettext_lazy("question kind", "date")
    MATRIX = "matrix", pgettext_lazy("question kind", "grid (several items, one scale)")


CHOICE_KINDS = {Kind.SINGLE, Kind.MULTIPLE}
SCALE_KINDS = {Kind.AGREEMENT, Kind.NPS, Kind.SATISFACTION}
TEXT_KINDS = {Kind.SHORT_TEXT, Kind.LONG_TEXT}
# Answers stored in `Answer.choice` (a code) or `Answer.number`.
CODED_KINDS = CHOICE_KINDS | {Kind.YES_NO}
NUMERIC_KINDS = SCALE_KINDS | {Kind.NUMBER, Kind.MATRIX}
OTHER_CODE = "other"  # the « autre » option of a choice question


class Question(models.Model):
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    code = models.SlugField(
        _("code"),
        max_length=40,
        help_text=_("A short name for exports and for comparing waves (letters, digits, _ and -)."),
    )
    kind = models.CharField(_("kind of answer"), max_length=12, choices=Kind.choices)
    label = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)
    # [{"value": "code", "label": "shown text"}, …] for single and multiple choice.
    choices = models.JSONField(_("options"), default=list, blank=True)
    allow_other = models.BooleanField(_("offer « other » with a text"), default=False)
    # [{"value": "code", "label": "…"}] rows of a matrix (each answered on the 5-point scale).
    items = models.JSONField(_("items of the grid"), default=list, blank=True)
    min_value = models.IntegerField(_("smallest number"), null=True, blank=True)
    max_value = models.IntegerField(_("largest number"), null=True, blank=True)
    condition = models.JSONField(_("shown when"), default=_condition_default, blank=True)
    is_hidden = models.BooleanField(
        _("hidden"),
        default=False,
        help_text=_("A hidden question is no longer asked; its past answers stay in the results."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["section__position", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "position"],
                name="question_position_unique",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in Kind]), name="question_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(max_value__gte=models.F("min_value")),
                name="question_min_below_max",
                violation_error_message=_("The largest number must not be below the smallest."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def survey(self) -> Survey:
        return self.section.survey

    def choice_labels(self) -> dict[str, str]:
        """{code: label} of what one may answer, « autre » included."""
        from faireavec.surveys.scales import choice_options

        return {value: label for value, label in choice_options(self)}


class SurveyToken(models.Model):
    """A single-use code that opens a survey once (printed on a letter, sent by email)."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="tokens"
    )
    code = models.CharField(_("code"), max_length=16, unique=True, default=new_token_code)
    label = models.CharField(
        _("for"),
        max_length=200,
        blank=True,
        help_text=_("Optional: whom the letter goes to (kept only for identified surveys)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    used_at = models.DateTimeField(_("used on"), null=True, blank=True)

    class Meta:
        verbose_name = _("single-use code")
        verbose_name_plural = _("single-use codes")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6,16}$"),
                name="surveytoken_code_alphabet",
            )
        ]

    def __str__(self) -> str:
        return self.code_display

    @property
    def code_display(self) -> str:
        """Grouped by four for reading aloud: « ABCD-EFGH »."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))


class Response(models.Model):
    """One person's answers, written whole by `response_submit`."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses"
    )
    # Only for identified surveys: an anonymous response keeps no trace of its author.
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    token = models.OneToOneField(
        SurveyToken,
        verbose_name=_("single-use code"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="response",
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written down by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("sent on"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="surveyresponse_channel_valid"
            ),
            # Assisted entry says who wrote it down; online answers are the person's own.
            models.CheckConstraint(
                condition=Q(channel="online", recorded_by__isnull=True)
                | (~Q(channel="online") & Q(recorded_by__isnull=False)),
                name="surveyresponse_recorded_by_offline",
            ),
            models.UniqueConstraint(
                fields=["survey", "respondent"],
                condition=Q(respondent__isnull=False),
                name="surveyresponse_one_per_respondent",
            ),
        ]
        indexes = [models.Index(fields=["survey", "submitted_at"], name="surveyresp_survey_date")]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class Participation(models.Model):
    """That an account answered a survey « one response per account », kept apart
    from the response so that an anonymous response stays anonymous."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateField(_("answered on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="participation_once")
        ]

    def __str__(self) -> str:
        return f"{self.survey} — {self.user}"


class Answer(models.Model):
    """One value of a response: a code (`choice`, one row per ticked option), a
    number (scales, numbers, each item of a grid with `item`), a text or a date."""

    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    # RESTRICT: a question with answers cannot be deleted on its own (hide it),
    # but deleting the whole survey takes its responses and answers along.
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.RESTRICT, related_name="answers"
    )
    item = models.CharField(_("item"), max_length=40, blank=True)
    choice = models.CharField(_("option"), max_length=40, blank=True)
    number = models.DecimalField(
        _("number"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    text = bounded_text_field(_("text"), blank=True, max_length=TEXT_LONG)
    date = models.DateField(_("date"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.CheckConstraint(
                condition=~Q(choice="")
                | Q(number__isnull=False)
                | ~Q(text="")
                | Q(date__isnull=False),
                name="answer_has_a_value",
            ),
            models.UniqueConstraint(
                fields=["response", "question", "item", "choice"], name="answer_once_per_value"
            ),
        ]
        indexes = [
            models.Index(fields=["question", "choice"], name="answer_question_choice"),
            models.Index(fields=["question", "number"], name="answer_question_number"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.choice or self.number or self.text or self.date}"


class ResponseDraft(TimeStampedModel):
    """What a person typed so far, before sending: kept so they can stop and come
    back. `key` says whose it is: "user:<id>", "token:<id>" or "session:<key>"."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="drafts"
    )
    key = models.CharField(_("whose"), max_length=80)
    data = models.JSONField(_("answers so far"), default=dict, blank=True)
    step = models.PositiveIntegerField(_("screen reached"), default=0)

    class Meta:
        verbose_name = _("draft response")
        verbose_name_plural = _("draft responses")
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="responsedraft_one_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.survey} — {self.key}"


class FreeTextLink(models.Model):
    """A free-text answer that became a contribution (idea or complaint)."""

    answer = models.OneToOneField(
        Answer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="contribution_link"
    )
    contribution = models.ForeignKey(
        "contributions.Contribution",
        verbose_name=_("contribution"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=TEXT_SHORT, blank=True)

    class Meta:
        verbose_name = _("answer turned into a contribution")
        verbose_name_plural = _("answers turned into contributions")

    def __str__(self) -> str:
        return f"{self.answer_id} → {self.contribution_id}"


class QuestionTally(models.Model):
    """Running totals of one question's answers: how many responses answered it, how
    many free texts, and for a number question the count, sum, smallest and largest.

    Kept by `faireavec.surveys.tallies` in the transaction that stores a response
    (responses are never edited nor deleted one by one), so the results page reads
    one row per question whatever the number of responses. `tallies_rebuild`
    recomputes them from the answers."""

    question = models.OneToOneField(
        Question,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="tally",
    )
    answered = models.PositiveIntegerField(_("responses that answered"), default=0)
    texts = models.PositiveIntegerField(_("free texts"), default=0)
    numbers = models.PositiveIntegerField(_("numbers"), default=0)
    number_sum = models.DecimalField(
        _("sum of the numbers"), max_digits=24, decimal_places=4, default=0
    )
    number_min = models.DecimalField(
        _("smallest number"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    number_max = models.DecimalField(
        _("largest number"), max_digits=14, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("question totals")
        verbose_name_plural = _("question totals")

    def __str__(self) -> str:
        return f"{self.question_id}: {self.answered}"


class ValueTally(models.Model):
    """How many times one value was answered to a question: a choice's code, or a
    scale's point (as text), for a grid's `item` or for the question (`item` empty)."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="value_tallies"
    )
    item = models.CharField(_("item"), max_length=40, blank=True)
    value = models.CharField(_("value"), max_length=40)
    count = models.PositiveIntegerField(_("number"), default=0)

    class Meta:
        verbose_name = _("count of a value")
        verbose_name_plural = _("counts of values")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "item", "value"], name="value_tally_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} {self.item} {self.value}: {self.count}"
