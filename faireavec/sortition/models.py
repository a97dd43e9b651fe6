"""Pools of volunteers, their features, quotas, draws and replacements.

A pool belongs to an organisation (and may be one way of taking part in a
phase of an initiative). The organisation chooses categories (gender, age,
territory, college…) and their values, each value with a minimum and a maximum
of people on the panel. A draw computes a fair lottery over panels
(`algorithms.py`), keeps the file anyone can re-run it from, and the panel
drawn; replacements keep the quotas and say why.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faireavec.core.models import (
    TEXT_MEDIUM,
    TEXT_SHORT,
    OrganisationOwnedModel,
    TimeStampedModel,
    bounded_text_field,
)


class Pool(OrganisationOwnedModel):
    title = models.CharField(_("title"), max_length=200)
    description = bounded_text_field(_("what the panel is for"), max_length=TEXT_MEDIUM, blank=True)
    panel_size = models.PositiveIntegerField(_("panel size"))
    registration_open = models.BooleanField(_("registration open"), default=True)
    phase = models.ForeignKey(
        "processes.Phase",
        verbose_name=_("phase of an initiative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.ForeignKey(
        "governance.Body",
        verbose_name=_("body whose seats are drawn"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("pool of volunteers")
        verbose_name_plural = _("pools of volunteers")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(panel_size__gte=1), name="sortition_pool_size_positive"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Category(models.Model):
    pool = models.ForeignKey(
        Pool, verbose_name=_("pool"), on_delete=models.CASCADE, related_name="categories"
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["pool", "name"], name="sortition_category_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Value(models.Model):
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="values"
    )
    label = models.CharField(_("value"), max_length=100)
    position = models.PositiveIntegerField(_("position"), default=0)
    min_quota = models.PositiveIntegerField(_("minimum on the panel"), default=0)
    max_quota = models.PositiveIntegerField(_("maximum on the panel"), null=True, blank=True)

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["category", "label"], name="sortition_value_unique"),
            models.CheckConstraint(
                condition=Q(max_quota__isnull=True) | Q(max_quota__gte=F("min_quota")),
                name="sortition_value_min_le_max",
                violation_error_message=_("The minimum cannot be above the maximum."),
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Volunteer(TimeStampedModel):
    class Source(models.TextChoices):
        FORM = "form", pgettext_lazy("volunteer source", "public form")
        ASSISTED = "assisted", pgettext_lazy("volunteer source", "assisted entry")
        IMPORT = "import", pgettext_lazy("volunteer source", "import")
        MEMBER = "member", pgettext_lazy("volunteer source", "member register")

    pool = models.ForeignKey(
        Pool, verbose_name=_("pool"), on_delete=models.CASCADE, related_name="volunteers"
    )
    name = models.CharField(_("name"), max_length=200)
    contact = models.CharField(_("email or phone"), max_length=200)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    # Empty: taken from the member register or a file without their own consent yet
    # (« à confirmer »); only volunteers who consented are drawn.
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_text = bounded_text_field(_("consent given to"), max_length=TEXT_MEDIUM, blank=True)
    member = models.ForeignKey(
        "governance.Member",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "contact"], name="sortition_volunteer_unique_contact"
            ),
            models.UniqueConstraint(
                fields=["pool", "member"],
                condition=Q(member__isnull=False),
                name="sortition_volunteer_member_once",
            ),
            models.CheckConstraint(
                condition=Q(consent_at__isnull=True) | ~Q(consent_text=""),
                name="sortition_volunteer_consent_has_text",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def consent_pending(self) -> bool:
        return self.consent_at is None


class Feature(models.Model):
    """A volunteer's value in one category (one per category)."""

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.CASCADE, related_name="features"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="+"
    )
    value = models.ForeignKey(
        Value, verbose_name=_("value"), on_delete=models.CASCADE, related_name="features"
    )

    class Meta:
        verbose_name = _("feature")
        verbose_name_plural = _("features")
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "category"], name="sortition_feature_one_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.value}"


class Draw(TimeStampedModel):
    class Algorithm(models.TextChoices):
        LEXIMIN = "leximin", pgettext_lazy("draw algorithm", "leximin (the fairest)")
        MAXIMIN = "maximin", pgettext_lazy("draw algorithm", "maximin")

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("draw status", "being computed")
        DONE = "done", pgettext_lazy("draw status", "drawn")
        FAILED = "failed", pgettext_lazy("draw status", "failed")

    pool = models.ForeignKey(
        Pool, verbose_name=_("pool"), on_delete=models.CASCADE, related_name="draws"
    )
    algorithm = models.CharField(
        _("algorithm"), max_length=20, choices=Algorithm.choices, default=Algorithm.LEXIMIN
    )
    seed = models.CharField(_("seed"), max_length=200)
    seed_source = bounded_text_field(_("where the seed comes from"), max_length=TEXT_SHORT)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    message = bounded_text_field(_("message"), max_length=TEXT_MEDIUM, blank=True)
    document = models.JSONField(_("draw file"), null=True, blank=True)
    comparison = models.JSONField(_("comparison of methods"), null=True, blank=True)
    job = models.ForeignKey(
        "core.BackgroundJob",
        verbose_name=_("job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("draw")
        verbose_name_plural = _("draws")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.pool} — {self.seed}"


class PanelMember(TimeStampedModel):
    """Someone on the panel of a draw: drawn, or arrived as a replacement."""

    draw = models.ForeignKey(
        Draw, verbose_name=_("draw"), on_delete=models.CASCADE, related_name="members"
    )
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.CASCADE, related_name="+"
    )
    probability = models.FloatField(_("selection probability"))
    active = models.BooleanField(_("on the panel"), default=True)

    class Meta:
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        ordering = ["volunteer__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "volunteer"], name="sortition_member_once")
        ]

    def __str__(self) -> str:
        return str(self.volunteer)


class Replacement(TimeStampedModel):
    draw = models.ForeignKey(
        Draw, verbose_name=_("draw"), on_delete=models.CASCADE, related_name="replacements"
    )
    number = models.PositiveIntegerField(_("number"))
    leaving = models.ForeignKey(
        Volunteer, verbose_name=_("leaving"), on_delete=models.CASCADE, related_name="+"
    )
    arriving = models.ForeignKey(
        Volunteer, verbose_name=_("arriving"), on_delete=models.CASCADE, related_name="+"
    )
    reason = bounded_text_field(_("reason"), max_length=TEXT_SHORT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("replacement")
        verbose_name_plural = _("replacements")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "number"], name="sortition_replacement_number"),
            models.UniqueConstraint(fields=["draw", "leaving"], name="sortition_replacement_once"),
        ]

    def __str__(self) -> str:
        return f"{self.leaving} → {self.arriving}"
