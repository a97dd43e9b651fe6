"""The stakeholder register: who is concerned, how involved they are, and the
contacts the organisation keeps with them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from faireavec.core.models import (
    TEXT_LONG,
    OrganisationOwnedModel,
    TimeStampedModel,
    bounded_text_field,
)


class Category(models.TextChoices):
    """The categories of the practice. The first three are internal stakeholders."""

    EMPLOYEES = "employees", _("employees")
    BOARD = "board", _("board members")
    VOLUNTEERS = "volunteers", _("volunteers")
    BENEFICIARIES = "beneficiaries", _("beneficiaries")
    CIVIL_SOCIETY = "civil_society", _("civil society")
    PUBLIC_AUTHORITIES = "public_authorities", _("public authorities and local governments")
    PRIVATE_ESS = "private_ess", _("private actors of the ESS")
    PRIVATE_OTHER = "private_other", _("other private actors")
    RESEARCH = "research", _("universities and researchers")
    FUNDERS = "funders", _("funders")
    NETWORKS = "networks", _("networks and partners")


INTERNAL_CATEGORIES = (Category.EMPLOYEES, Category.BOARD, Category.VOLUNTEERS)


def category_is_internal(category: str) -> bool:
    return category in INTERNAL_CATEGORIES


def category_choices_grouped() -> list:
    """The categories as two groups, internal then external, for a select."""
    return [
        (_("Internal stakeholders"), [(c.value, c.label) for c in INTERNAL_CATEGORIES]),
        (
            _("External stakeholders"),
            [(c.value, c.label) for c in Category if c not in INTERNAL_CATEGORIES],
        ),
    ]


class Level(models.IntegerChoices):
    """Levels of involvement, from the least to the most shared power."""

    INFORM = 1, _("inform")
    CONSULT = 2, _("consult")
    CONCERT = 3, _("concert")
    CO_CONSTRUCT = 4, _("co-construct")
    CO_DECIDE = 5, _("co-decide")


class ParticipationMode(models.TextChoices):
    BOARD_SEAT = "board_seat", _("a seat on the board")
    COMMITTEE = "committee", _("a committee")
    WORKING_GROUP = "working_group", _("a working group")
    NETWORK = "network", _("a network or territorial cluster")
    PARTNERSHIP = "partnership", _("a partnership")
    SURVEY_PANEL = "survey_panel", _("a survey panel")
    GENERAL_ASSEMBLY = "general_assembly", _("the general assembly")
    OTHER = "other", _("another way")


class ContactBasis(models.TextChoices):
    CONSENT = "consent", _("consent")
    LEGITIMATE_INTEREST = "legitimate_interest", _("legitimate interest")


class StakeholderSubcategory(OrganisationOwnedModel):
    """A sub-category an organisation adds under one of the categories
    (« Ville de Lille » under public authorities, say)."""

    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("stakeholder sub-category")
        verbose_name_plural = _("stakeholder sub-categories")
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "category", "name"],
                name="stakeholder_subcategory_unique",
                violation_error_message=_("This sub-category already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(category__in=Category.values),
                name="stakeholder_subcategory_category_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StakeholderTag(OrganisationOwnedModel):
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        verbose_name = _("stakeholder tag")
        verbose_name_plural = _("stakeholder tags")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="stakeholder_tag_unique",
                violation_error_message=_("This tag already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Stakeholder(OrganisationOwnedModel):
    """A person or an organisation concerned by what the organisation does."""

    class Kind(models.TextChoices):
        PERSON = "person", _("a person")
        ORGANISATION = "organisation", _("an organisation")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(_("name"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("platform account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("If this stakeholder has an account on FaireAvec in the organisation."),
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    subcategory = models.ForeignKey(
        StakeholderSubcategory,
        verbose_name=_("sub-category"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stakeholders",
    )
    territory = models.CharField(_("territory"), max_length=150, blank=True)
    tags = models.ManyToManyField(
        StakeholderTag, verbose_name=_("tags"), blank=True, related_name="stakeholders"
    )
    notes = bounded_text_field(_("notes"), blank=True, max_length=TEXT_LONG)
    # Minimal contact details, kept only with a recorded basis and a review date.
    email = models.EmailField(_("email"), blank=True)
    phone = PhoneNumberField(_("phone"), blank=True, region="FR")
    contact_basis = models.CharField(
        _("basis for keeping the contact details"),
        max_length=20,
        choices=ContactBasis.choices,
        blank=True,
    )
    contact_review_on = models.DateField(
        _("review the contact details after"),
        null=True,
        blank=True,
        help_text=_("After this date, check that keeping these details is still justified."),
    )
    # Involvement.
    current_level = models.PositiveSmallIntegerField(
        _("current level of involvement"), choices=Level.choices, default=Level.INFORM
    )
    target_level = models.PositiveSmallIntegerField(
        _("target level of involvement"), choices=Level.choices, default=Level.INFORM
    )
    participation_modes = models.JSONField(_("ways they take part"), default=list, blank=True)
    influence = models.PositiveSmallIntegerField(
        _("influence (1 to 5)"), default=3, help_text=_("1: very little, 5: decisive.")
    )
    interest = models.PositiveSmallIntegerField(
        _("interest (1 to 5)"), default=3, help_text=_("1: hardly concerned, 5: very concerned.")
    )
    reviewed_on = models.DateField(_("last reviewed on"))

    class Meta:
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["organisation", "name"], name="stakeholder_org_name"),
            models.Index(fields=["organisation", "category"], name="stakeholder_org_category"),
            # The « to review » list: the organisation's contacts due for review, by date.
            models.Index(
                fields=["organisation", "contact_review_on"], name="stakeholder_org_review"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(category__in=Category.values), name="stakeholder_category_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["person", "organisation"]),
                name="stakeholder_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(current_level__gte=1, current_level__lte=5),
                name="stakeholder_current_level_range",
            ),
            models.CheckConstraint(
                condition=models.Q(target_level__gte=1, target_level__lte=5),
                name="stakeholder_target_level_range",
            ),
            models.CheckConstraint(
                condition=models.Q(influence__gte=1, influence__lte=5),
                name="stakeholder_influence_range",
                violation_error_message=_("Influence goes from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=models.Q(interest__gte=1, interest__lte=5),
                name="stakeholder_interest_range",
                violation_error_message=_("Interest goes from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=(models.Q(email="") & models.Q(phone="")) | ~models.Q(contact_basis=""),
                name="stakeholder_contact_has_basis",
                violation_error_message=_(
                    "Say on what basis you keep these contact details: consent or legitimate interest."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "stakeholders:stakeholder_detail",
            kwargs={"org_slug": self.organisation.slug, "stakeholder_pk": self.pk},
        )

    def clean(self) -> None:
        errors = {}
        modes = self.participation_modes
        if not isinstance(modes, list) or any(m not in ParticipationMode.values for m in modes):
            errors["participation_modes"] = _("Choose the ways they take part from the list.")
        if self.subcategory_id is not None and (
            self.subcategory.category != self.category
            or self.subcategory.organisation_id != self.organisation_id
        ):
            errors["subcategory"] = _("This sub-category belongs to another category.")
        if (self.email or self.phone) and not self.contact_basis:
            errors["contact_basis"] = _(
                "Say on what basis you keep these contact details: consent or legitimate interest."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_internal(self) -> bool:
        return category_is_internal(self.category)

    @property
    def level_gap(self) -> int:
        return self.target_level - self.current_level

    def get_participation_modes_display(self) -> list[str]:
        labels = dict(ParticipationMode.choices)
        return [str(labels[m]) for m in self.participation_modes if m in labels]


class Interaction(TimeStampedModel):
    """One contact with a stakeholder: a meeting, a call, an email…"""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("meeting")
        CALL = "call", _("call")
        EMAIL = "email", _("email")
        EVENT = "event", _("event")
        SURVEY = "survey", _("survey")
        OTHER = "other", _("other")

    stakeholder = models.ForeignKey(
        Stakeholder,
        verbose_name=_("stakeholder"),
        on_delete=models.CASCADE,
        related_name="interactions",
    )
    kind = models.CharField(_("kind of contact"), max_length=10, choices=Kind.choices)
    occurred_on = models.DateField(_("date"))
    people = models.CharField(
        _("who took part"),
        max_length=200,
        blank=True,
        help_text=_("The people on both sides: « Karim, Mme Leroy »."),
    )
    note = bounded_text_field(_("note"), blank=True, max_length=TEXT_LONG)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            models.Index(fields=["stakeholder", "-occurred_on"], name="interaction_stk_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["meeting", "call", "email", "event", "survey", "other"]
                ),
                name="interaction_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.occurred_on:%d/%m/%Y}"

    @property
    def organisation(self):
        return self.stakeholder.organisation
