"""The needs register and the territorial diagnosis.

A need is what people lack on the organisation's territory, with where we
learnt about it (its sources), how the existing offer covers it today, the gap
left and its priority. Contributions (ideas, complaints, testimonies) are
linked to the needs they reveal; participants support the needs that matter to
them. The territorial diagnosis, one per organisation, describes the
territory section by section, each with its sources and date.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faireavec.core.models import (
    TEXT_DOCUMENT,
    TEXT_LONG,
    TEXT_MEDIUM,
    OrganisationOwnedModel,
    TimeStampedModel,
    bounded_text_field,
    text_length_check,
)
from faireavec.core.storage import private_storage


class Source(models.TextChoices):
    """Where the organisation learnt about a need."""

    DIAGNOSIS = "diagnosis", pgettext_lazy("need source", "territorial diagnosis")
    WATCH = "watch", pgettext_lazy("need source", "watch")
    CONTRIBUTIONS = "contributions", pgettext_lazy("need source", "contributions")
    SURVEY = "survey", pgettext_lazy("need source", "survey")
    MEETING = "meeting", pgettext_lazy("need source", "meeting")


def validate_sources(value) -> None:
    """A list of distinct known sources."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Choose the sources from the list."), code="invalid")
    unknown = sorted(set(value) - set(Source.values))
    if unknown:
        raise ValidationError(
            _("Unknown source: %(sources)s.") % {"sources": ", ".join(unknown)}, code="unknown"
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("A source is listed twice."), code="duplicate")


class Need(OrganisationOwnedModel):
    class Coverage(models.TextChoices):
        COVERED = "covered", pgettext_lazy("need coverage", "covered")
        POORLY_COVERED = "poorly_covered", pgettext_lazy("need coverage", "poorly covered")
        NOT_COVERED = "not_covered", pgettext_lazy("need coverage", "not covered")

    class Priority(models.IntegerChoices):
        LOW = 1, pgettext_lazy("need priority", "low")
        MEDIUM = 2, pgettext_lazy("need priority", "medium")
        HIGH = 3, pgettext_lazy("need priority", "high")
        URGENT = 4, pgettext_lazy("need priority", "urgent")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("need status", "open")
        ADDRESSED = "addressed", pgettext_lazy("need status", "addressed")

    title = models.CharField(_("title"), max_length=200)
    description = bounded_text_field(_("description"), max_length=TEXT_LONG)
    people_concerned = bounded_text_field(
        _("people concerned"),
        blank=True,
        max_length=TEXT_MEDIUM,
        help_text=_("Who lacks it: « isolated elderly people », « families in the district »…"),
    )
    territory = models.CharField(
        _("territory"),
        max_length=200,
        blank=True,
        help_text=_("Where: a district, a town, a valley…"),
    )
    sources = models.JSONField(
        _("sources"),
        default=list,
        blank=True,
        validators=[validate_sources],
        help_text=_("How you learnt about this need."),
    )
    coverage = models.CharField(
        _("coverage by the existing offer"),
        max_length=20,
        choices=Coverage.choices,
        default=Coverage.NOT_COVERED,
    )
    gap = bounded_text_field(
        _("gap"),
        blank=True,
        max_length=TEXT_MEDIUM,
        help_text=_("What the existing offer leaves uncovered, and for whom."),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    is_public = models.BooleanField(
        _("shown on the public pages"),
        default=True,
        help_text=_("Untick for a need that must stay within the team."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contributions = models.ManyToManyField(
        "contributions.Contribution",
        verbose_name=_("contributions that reveal it"),
        through="NeedContribution",
        related_name="needs",
        blank=True,
    )

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-priority", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(coverage__in=["covered", "poorly_covered", "not_covered"]),
                name="need_coverage_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(priority__gte=1, priority__lte=4), name="need_priority_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "addressed"]), name="need_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "-priority"], name="need_org_priority")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "needs:need_detail", kwargs={"org_slug": self.organisation.slug, "need_pk": self.pk}
        )

    def get_public_url(self) -> str:
        return reverse(
            "needs:need_public_detail",
            kwargs={"org_slug": self.organisation.slug, "need_pk": self.pk},
        )

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def get_sources_display(self) -> list[str]:
        labels = dict(Source.choices)
        return [str(labels[s]) for s in self.sources if s in labels]


class ExistingOffer(TimeStampedModel):
    """What someone already offers towards a need: a company, a local
    government, households themselves, another association."""

    class ProviderKind(models.TextChoices):
        COMPANY = "company", pgettext_lazy("provider of an existing offer", "company")
        LOCAL_GOVERNMENT = (
            "local_government",
            pgettext_lazy("provider of an existing offer", "local government or public service"),
        )
        HOUSEHOLDS = "households", pgettext_lazy("provider of an existing offer", "households")
        ASSOCIATION = (
            "association",
            pgettext_lazy("provider of an existing offer", "other association"),
        )
        OTHER = "other", pgettext_lazy("provider of an existing offer", "other")

    need = models.ForeignKey(
        Need, verbose_name=_("need"), on_delete=models.CASCADE, related_name="offers"
    )
    provider_kind = models.CharField(_("provided by"), max_length=20, choices=ProviderKind.choices)
    provider_name = models.CharField(
        _("provider's name"),
        max_length=200,
        blank=True,
        help_text=_("« Town hall », « Secours populaire », « neighbours »…"),
    )
    description = bounded_text_field(
        _("what is offered"),
        max_length=TEXT_LONG,
        help_text=_("What they offer, to whom, when, at what cost."),
    )

    class Meta:
        verbose_name = _("existing offer")
        verbose_name_plural = _("existing offers")
        ordering = ["need", "provider_kind", "provider_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    provider_kind__in=[
                        "company",
                        "local_government",
                        "households",
                        "association",
                        "other",
                    ]
                ),
                name="existing_offer_provider_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return self.provider_name or str(self.get_provider_kind_display())

    @property
    def organisation(self):
        return self.need.organisation


class NeedContribution(models.Model):
    """A contribution reveals a need. Both belong to the same organisation
    (checked by `need_link_contribution`)."""

    need = models.ForeignKey(
        Need, verbose_name=_("need"), on_delete=models.CASCADE, related_name="contribution_links"
    )
    contribution = models.ForeignKey(
        "contributions.Contribution",
        verbose_name=_("contribution"),
        on_delete=models.CASCADE,
        related_name="need_links",
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("linked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    linked_at = models.DateTimeField(_("linked on"), auto_now_add=True)

    class Meta:
        verbose_name = _("link between a need and a contribution")
        verbose_name_plural = _("links between needs and contributions")
        ordering = ["-linked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "contribution"],
                name="need_contribution_once",
                violation_error_message=_("This contribution is already linked to this need."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.contribution} → {self.need}"


class NeedSupport(models.Model):
    """A person says « I support this need ». One per person and need."""

    need = models.ForeignKey(
        Need, verbose_name=_("need"), on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="need_supports",
    )
    created_at = models.DateTimeField(_("supported on"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["need", "user"],
                name="need_support_once_per_person",
                violation_error_message=_("You already support this need."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.need}"


class TerritorialDiagnosis(TimeStampedModel):
    """The organisation's description of its territory: resources, actors and
    specifics, one section each (see DiagnosisSection.Kind)."""

    organisation = models.OneToOneField(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="territorial_diagnosis",
    )
    summary = bounded_text_field(
        _("summary"),
        blank=True,
        max_length=TEXT_MEDIUM,
        help_text=_("The territory in a few sentences."),
    )
    is_public = models.BooleanField(
        _("shown on the public pages"),
        default=False,
        help_text=_("Members and participants always see it; tick to show it to everyone as well."),
    )

    class Meta:
        verbose_name = _("territorial diagnosis")
        verbose_name_plural = _("territorial diagnoses")
        constraints = [
            text_length_check(
                field="summary", max_length=TEXT_MEDIUM, name="diagnosis_summary_length"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Territorial diagnosis of %(name)s") % {"name": self.organisation})


class DiagnosisSection(TimeStampedModel):
    """One section of a territorial diagnosis, with its sources and the date of
    the information."""

    class Kind(models.TextChoices):
        ECONOMIC_RESOURCES = "economic_resources", _("economic resources")
        TECHNICAL_RESOURCES = "technical_resources", _("technical resources")
        HUMAN_RESOURCES = "human_resources", _("human resources")
        NATURAL_RESOURCES = "natural_resources", _("natural resources")
        ACTORS = "actors", _("actors")
        CULTURAL_SPECIFICS = "cultural_specifics", _("cultural specifics")
        HERITAGE_SPECIFICS = "heritage_specifics", _("heritage specifics")
        GEOGRAPHIC_SPECIFICS = "geographic_specifics", _("geographic specifics")
        ENVIRONMENTAL_SPECIFICS = "environmental_specifics", _("environmental specifics")

    # How the practice groups the sections, in this order.
    GROUPS = [
        (
            _("Resources"),
            [
                Kind.ECONOMIC_RESOURCES,
                Kind.TECHNICAL_RESOURCES,
                Kind.HUMAN_RESOURCES,
                Kind.NATURAL_RESOURCES,
            ],
        ),
        (_("Actors"), [Kind.ACTORS]),
        (
            _("Specifics"),
            [
                Kind.CULTURAL_SPECIFICS,
                Kind.HERITAGE_SPECIFICS,
                Kind.GEOGRAPHIC_SPECIFICS,
                Kind.ENVIRONMENTAL_SPECIFICS,
            ],
        ),
    ]

    diagnosis = models.ForeignKey(
        TerritorialDiagnosis,
        verbose_name=_("territorial diagnosis"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    kind = models.CharField(_("section"), max_length=30, choices=Kind.choices)
    text = bounded_text_field(_("text"), blank=True, max_length=TEXT_DOCUMENT)
    sources = bounded_text_field(
        _("sources"),
        blank=True,
        max_length=TEXT_MEDIUM,
        help_text=_("Where it comes from: INSEE, town hall, interviews, our own survey…"),
    )
    as_of = models.DateField(
        _("date of the information"),
        null=True,
        blank=True,
        help_text=_("When the information was gathered or last checked."),
    )

    class Meta:
        verbose_name = _("diagnosis section")
        verbose_name_plural = _("diagnosis sections")
        ordering = ["diagnosis", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["diagnosis", "kind"],
                name="diagnosis_section_once_per_kind",
                violation_error_message=_("This section already exists."),
            ),
            text_length_check(
                field="text", max_length=TEXT_DOCUMENT, name="diagnosis_section_text_length"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=[
                        "economic_resources",
                        "technical_resources",
                        "human_resources",
                        "natural_resources",
                        "actors",
                        "cultural_specifics",
                        "heritage_specifics",
                        "geographic_specifics",
                        "environmental_specifics",
                    ]
                ),
                name="diagnosis_section_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def organisation(self):
        return self.diagnosis.organisation

    @property
    def is_filled(self) -> bool:
        return bool(self.text.strip())


def watch_document_path(entry: "WatchEntry", filename: str) -> str:
    """Under the organisation's folder of the private storage, with a random name: the
    file is only served through a view that checks who asks."""
    import secrets
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:10]
    return f"watch/{entry.organisation_id}/{secrets.token_urlsafe(16)}{suffix}"


WATCH_DOCUMENT_EXTENSIONS = ["pdf", "odt", "ods", "docx", "xlsx", "csv", "txt", "png", "jpg"]
WATCH_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def validate_watch_document_size(document) -> None:
    if document.size > WATCH_DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("The document is too large: 10 MB at most."), code="document_too_large"
        )


class WatchEntry(OrganisationOwnedModel):
    """One dated entry of the watch log (veille): a study, a statistic, a policy change,
    an expert's work, something seen in the field… and what the organisation expects
    it to change in the needs, up or down, in quantity or in quality. Linked to the
    needs it concerns and to a part of the territorial diagnosis."""

    class Kind(models.TextChoices):
        STUDY = "study", pgettext_lazy("watch entry kind", "study")
        STATISTIC = "statistic", pgettext_lazy("watch entry kind", "statistic")
        POLICY_CHANGE = "policy_change", pgettext_lazy("watch entry kind", "policy change")
        EXPERT_WORK = "expert_work", pgettext_lazy("watch entry kind", "expert work")
        FIELD_OBSERVATION = (
            "field_observation",
            pgettext_lazy("watch entry kind", "field observation"),
        )
        CULTURAL_CHANGE = "cultural_change", pgettext_lazy("watch entry kind", "cultural change")
        SOCIO_ECONOMIC_CHANGE = (
            "socio_economic_change",
            pgettext_lazy("watch entry kind", "socio-economic change"),
        )
        OTHER = "other", pgettext_lazy("watch entry kind", "other")

    class Direction(models.TextChoices):
        UP = "up", pgettext_lazy("expected effect on needs", "needs will grow")
        DOWN = "down", pgettext_lazy("expected effect on needs", "needs will shrink")
        UNCERTAIN = "uncertain", pgettext_lazy("expected effect on needs", "not known yet")

    class Aspect(models.TextChoices):
        QUANTITY = "quantity", pgettext_lazy("aspect of needs", "in quantity (how many people)")
        QUALITY = "quality", pgettext_lazy("aspect of needs", "in quality (what they need)")
        BOTH = "both", pgettext_lazy("aspect of needs", "in quantity and in quality")

    observed_on = models.DateField(
        _("date of the information"),
        help_text=_("When the study came out, the law changed, or you saw it."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    source = models.CharField(
        _("source"),
        max_length=200,
        help_text=_("Who says it: INSEE, the regional observatory, a researcher, our team…"),
    )
    summary = bounded_text_field(_("what it says"), max_length=TEXT_LONG)
    link = models.URLField(_("link"), max_length=500, blank=True)
    document = models.FileField(
        _("document"),
        upload_to=watch_document_path,
        storage=private_storage,
        blank=True,
        max_length=200,
        validators=[
            FileExtensionValidator(WATCH_DOCUMENT_EXTENSIONS),
            validate_watch_document_size,
        ],
        help_text=_("PDF, office document, spreadsheet or picture, 10 MB at most."),
    )
    direction = models.CharField(
        _("expected effect on the needs"),
        max_length=10,
        choices=Direction.choices,
        default=Direction.UNCERTAIN,
    )
    aspect = models.CharField(
        _("in what way"), max_length=10, choices=Aspect.choices, default=Aspect.QUANTITY
    )
    effect = bounded_text_field(
        _("what we expect"),
        blank=True,
        max_length=TEXT_MEDIUM,
        help_text=_("« More retired people living alone from next year »…"),
    )
    needs = models.ManyToManyField(
        Need, verbose_name=_("needs concerned"), related_name="watch_entries", blank=True
    )
    diagnosis_section = models.CharField(
        _("part of the territorial diagnosis"),
        max_length=30,
        choices=DiagnosisSection.Kind.choices,
        blank=True,
    )
    is_public = models.BooleanField(
        _("shown on the public pages"),
        default=False,
        help_text=_("Tick to show it with the public diagnosis and the public needs."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("watch entry")
        verbose_name_plural = _("watch log")
        ordering = ["-observed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=[
                        "study",
                        "statistic",
                        "policy_change",
                        "expert_work",
                        "field_observation",
                        "cultural_change",
                        "socio_economic_change",
                        "other",
                    ]
                ),
                name="watch_entry_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(direction__in=["up", "down", "uncertain"]),
                name="watch_entry_direction_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(aspect__in=["quantity", "quality", "both"]),
                name="watch_entry_aspect_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "-observed_on"], name="watch_entry_org_date")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "needs:watch_detail",
            kwargs={"org_slug": self.organisation.slug, "watchentry_pk": self.pk},
        )
