"""Every read of the stakeholder register, scoped to one organisation."""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from faireavec.organisations.models import Organisation
from faireavec.stakeholders.models import (
    Category,
    Interaction,
    Level,
    Stakeholder,
    StakeholderSubcategory,
    StakeholderTag,
)


@dataclass(frozen=True)
class StakeholderFilters:
    """What a register, map or grid page is narrowed to (from GET parameters)."""

    category: str = ""
    level: int | None = None
    tag: int | None = None
    territory: str = ""
    q: str = ""
    to_review: bool = False

    @property
    def is_active(self) -> bool:
        return bool(
            self.category or self.level or self.tag or self.territory or self.q or self.to_review
        )


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the last day of the month if it has fewer days)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_cutoff(*, organisation: Organisation, today: date | None = None) -> date:
    """Stakeholders neither reviewed nor contacted since this date are to be reviewed."""
    return months_before(today or timezone.localdate(), organisation.stakeholder_review_months)


def _last_interaction_subquery() -> Subquery:
    return Subquery(
        Interaction.objects.filter(stakeholder=OuterRef("pk"))
        .order_by("-occurred_on")
        .values("occurred_on")[:1]
    )


def _apply_filters(
    stakeholders: QuerySet[Stakeholder], *, organisation: Organisation, filters: StakeholderFilters
) -> QuerySet[Stakeholder]:
    if filters.category:
        stakeholders = stakeholders.filter(category=filters.category)
    if filters.level:
        stakeholders = stakeholders.filter(current_level=filters.level)
    if filters.tag:
        stakeholders = stakeholders.filter(tags__pk=filters.tag)
    if filters.territory:
        stakeholders = stakeholders.filter(territory=filters.territory)
    if filters.q:
        stakeholders = stakeholders.filter(name__icontains=filters.q)
    if filters.to_review:
        stakeholders = stakeholders.filter(
            last_activity_on__lt=review_cutoff(organisation=organisation)
        )
    return stakeholders


def stakeholders_of_organisation(
    *, organisation: Organisation, filters: StakeholderFilters | None = None
) -> QuerySet[Stakeholder]:
    """The register: each stakeholder with `last_interaction_on` (None if never
    contacted) and `last_activity_on` (the later of its last review and its last
    contact), its sub-category and its tags, in a fixed number of queries."""
    stakeholders = (
        Stakeholder.objects.filter(organisation=organisation)
        .select_related("subcategory", "user")
        .prefetch_related(Prefetch("tags", queryset=StakeholderTag.objects.order_by("name")))
        .annotate(last_interaction_on=_last_interaction_subquery())
        .annotate(
            last_activity_on=Greatest("reviewed_on", Coalesce("last_interaction_on", "reviewed_on"))
        )
        .order_by("name", "pk")
    )
    return _apply_filters(
        stakeholders, organisation=organisation, filters=filters or StakeholderFilters()
    )


def stakeholders_to_review(*, organisation: Organisation) -> QuerySet[Stakeholder]:
    """Stakeholders neither reviewed nor contacted for longer than the
    organisation's period, the longest forgotten first."""
    return stakeholders_of_organisation(
        organisation=organisation, filters=StakeholderFilters(to_review=True)
    ).order_by("last_activity_on", "name", "pk")


def stakeholders_contact_to_review(
    *, organisation: Organisation, today: date | None = None
) -> QuerySet[Stakeholder]:
    """Stakeholders whose contact details passed their review date: check that
    keeping them is still justified, or delete them."""
    return (
        Stakeholder.objects.filter(
            organisation=organisation, contact_review_on__lt=today or timezone.localdate()
        )
        .exclude(email="", phone="")
        .order_by("contact_review_on", "name", "pk")
    )


def stakeholder_get(*, organisation: Organisation, pk: int) -> Stakeholder | None:
    return stakeholders_of_organisation(organisation=organisation).filter(pk=pk).first()


def interactions_of_stakeholder(*, stakeholder: Stakeholder) -> QuerySet[Interaction]:
    return Interaction.objects.filter(stakeholder=stakeholder).select_related("recorded_by")


def interaction_get(*, organisation: Organisation, pk: int) -> Interaction | None:
    return (
        Interaction.objects.filter(stakeholder__organisation=organisation, pk=pk)
        .select_related("stakeholder", "stakeholder__organisation")
        .first()
    )


def subcategories_of_organisation(
    *, organisation: Organisation
) -> QuerySet[StakeholderSubcategory]:
    return StakeholderSubcategory.objects.filter(organisation=organisation).order_by(
        "category", "name"
    )


def subcategory_get(*, organisation: Organisation, pk: int) -> StakeholderSubcategory | None:
    return subcategories_of_organisation(organisation=organisation).filter(pk=pk).first()


def tags_of_organisation(*, organisation: Organisation) -> QuerySet[StakeholderTag]:
    return StakeholderTag.objects.filter(organisation=organisation).order_by("name")


def territories_of_organisation(*, organisation: Organisation) -> list[str]:
    return list(
        Stakeholder.objects.filter(organisation=organisation)
        .exclude(territory="")
        .order_by("territory")
        .values_list("territory", flat=True)
        .distinct()
    )


def stakeholders_for_map_queryset(
    *, organisation: Organisation, filters: StakeholderFilters | None = None
) -> QuerySet[Stakeholder]:
    """The stakeholders a map or grid shows: no contact details, no notes;
    in the map's order (category, level, name). Give rows to `with_map_labels`."""
    stakeholders = (
        Stakeholder.objects.filter(organisation=organisation)
        .select_related("subcategory")
        .only(
            "pk",
            "organisation_id",
            "name",
            "kind",
            "category",
            "subcategory__name",
            "current_level",
            "target_level",
            "influence",
            "interest",
            "territory",
            "reviewed_on",
        )
        .annotate(last_interaction_on=_last_interaction_subquery())
        .annotate(
            last_activity_on=Greatest("reviewed_on", Coalesce("last_interaction_on", "reviewed_on"))
        )
        .order_by("category", "current_level", "name", "pk")
    )
    return _apply_filters(
        stakeholders, organisation=organisation, filters=filters or StakeholderFilters()
    )


def with_map_labels(stakeholders: Iterable[Stakeholder]) -> list[Stakeholder]:
    """The rows with their category's and levels' names (`category_label`,
    `current_label`, `target_label`), looked up once per choice, not per row."""
    categories = {value: str(label) for value, label in Category.choices}
    levels = {value: str(label) for value, label in Level.choices}
    rows = list(stakeholders)
    for stakeholder in rows:
        stakeholder.category_label = categories[stakeholder.category]
        stakeholder.current_label = levels[stakeholder.current_level]
        stakeholder.target_label = levels[stakeholder.target_level]
    return rows


def stakeholders_for_map(
    *, organisation: Organisation, filters: StakeholderFilters | None = None
) -> list[Stakeholder]:
    """Every stakeholder a map or grid shows, with its labels."""
    return with_map_labels(
        stakeholders_for_map_queryset(organisation=organisation, filters=filters)
    )


def map_counts(
    *, organisation: Organisation, filters: StakeholderFilters | None = None
) -> dict[tuple[str, int], int]:
    """How many stakeholders of each category are at each current level, counted
    by the database (one query, whatever the size of the register)."""
    rows = (
        stakeholders_for_map_queryset(organisation=organisation, filters=filters)
        .order_by()
        .values("category", "current_level")
        .annotate(count=Count("pk", distinct=True))
    )
    return {(row["category"], row["current_level"]): row["count"] for row in rows}


def stakeholder_counts(*, organisation: Organisation) -> dict[str, int]:
    return {
        "all": Stakeholder.objects.filter(organisation=organisation).count(),
        "to_review": stakeholders_to_review(organisation=organisation).count(),
    }


def onboarding_first_stakeholders(*, organisation: Organisation) -> bool:
    """First step of a new organisation: its stakeholder register has someone in it."""
    return Stakeholder.objects.filter(organisation=organisation).exists()
