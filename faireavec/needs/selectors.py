"""Every read of the needs register, the territorial diagnosis and the watch log, scoped to
one organisation: another organisation's object is "not found"."""

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from faireavec.contributions.models import Contribution
from faireavec.needs.models import (
    DiagnosisSection,
    ExistingOffer,
    Need,
    NeedContribution,
    NeedSupport,
    TerritorialDiagnosis,
    WatchEntry,
)
from faireavec.organisations.models import Organisation


def _with_counts(needs: QuerySet[Need], *, user=None) -> QuerySet[Need]:
    """Needs with `support_count`, `contribution_count`, their offers and,
    for a signed-in `user`, `supported_by_me`."""
    needs = needs.annotate(
        support_count=Count("supports", distinct=True),
        contribution_count=Count("contribution_links", distinct=True),
    ).prefetch_related(
        Prefetch("offers", queryset=ExistingOffer.objects.order_by("provider_kind", "pk"))
    )
    if user is not None and user.is_authenticated:
        needs = needs.annotate(
            supported_by_me=Exists(NeedSupport.objects.filter(need=OuterRef("pk"), user=user))
        )
    return needs


def needs_of_organisation(
    *,
    organisation: Organisation,
    coverage: str = "",
    priority: int | None = None,
    status: str = "",
    source: str = "",
) -> QuerySet[Need]:
    """The organisation's register, most urgent first, optionally filtered."""
    needs = Need.objects.filter(organisation=organisation)
    if coverage:
        needs = needs.filter(coverage=coverage)
    if priority:
        needs = needs.filter(priority=priority)
    if status:
        needs = needs.filter(status=status)
    if source:
        # `sources` is a short JSON list of known words: a quoted match is exact
        # and works on SQLite and PostgreSQL alike.
        needs = needs.filter(sources__icontains=f'"{source}"')
    return _with_counts(needs).select_related("organisation").order_by("-priority", "title", "pk")


def needs_public(*, organisation: Organisation, user=None) -> QuerySet[Need]:
    """The needs shown on the public pages: those marked public, open ones first."""
    needs = Need.objects.filter(organisation=organisation, is_public=True)
    return (
        _with_counts(needs, user=user)
        .select_related("organisation")
        .order_by("-status", "-priority", "title", "pk")
    )


def need_get(*, organisation: Organisation, pk: int, user=None) -> Need | None:
    return (
        _with_counts(Need.objects.filter(organisation=organisation, pk=pk), user=user)
        .select_related("organisation", "created_by")
        .first()
    )


def needs_for_linking(*, organisation: Organisation) -> QuerySet[Need]:
    """The needs a contribution can be linked to (open ones first), for a choice list."""
    return Need.objects.filter(organisation=organisation).order_by(
        "-status", "title", "pk"
    )  # "open" sorts after "addressed"


def need_contribution_links(*, need: Need) -> QuerySet[NeedContribution]:
    return (
        NeedContribution.objects.filter(need=need)
        .select_related("contribution", "linked_by")
        .order_by("-linked_at", "-pk")
    )


def contribution_get_for_linking(*, organisation: Organisation, pk: int) -> Contribution | None:
    """A contribution of this organisation, to link to a need."""
    return (
        Contribution.objects.filter(organisation=organisation, pk=pk)
        .select_related("organisation", "site")
        .first()
    )


def needs_of_contribution(*, contribution: Contribution) -> QuerySet[Need]:
    """The needs this contribution is linked to (same organisation only)."""
    return Need.objects.filter(
        organisation_id=contribution.organisation_id, contribution_links__contribution=contribution
    ).order_by("title", "pk")


def existing_offer_get(*, organisation: Organisation, pk: int) -> ExistingOffer | None:
    return (
        ExistingOffer.objects.filter(need__organisation=organisation, pk=pk)
        .select_related("need", "need__organisation")
        .first()
    )


def need_supported_by(*, need: Need, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return NeedSupport.objects.filter(need=need, user=user).exists()


def diagnosis_get(*, organisation: Organisation) -> TerritorialDiagnosis | None:
    """The organisation's territorial diagnosis with its sections, or None."""
    return (
        TerritorialDiagnosis.objects.filter(organisation=organisation)
        .select_related("organisation")
        .prefetch_related(Prefetch("sections", queryset=DiagnosisSection.objects.order_by("pk")))
        .first()
    )


def diagnosis_section_get(*, organisation: Organisation, pk: int) -> DiagnosisSection | None:
    return (
        DiagnosisSection.objects.filter(diagnosis__organisation=organisation, pk=pk)
        .select_related("diagnosis", "diagnosis__organisation")
        .first()
    )


def diagnosis_grouped(*, diagnosis: TerritorialDiagnosis) -> list[tuple[str, list]]:
    """The sections grouped as the practice describes them: resources, actors,
    specifics; each group lists its sections in a fixed order."""
    by_kind = {s.kind: s for s in diagnosis.sections.all()}
    return [
        (label, [by_kind[kind] for kind in kinds if kind in by_kind])
        for label, kinds in DiagnosisSection.GROUPS
    ]


def diagnosis_is_published(*, organisation: Organisation) -> bool:
    return TerritorialDiagnosis.objects.filter(organisation=organisation, is_public=True).exists()


# Watch log ------------------------------------------------------------------


def watch_entries_of_organisation(
    *,
    organisation: Organisation,
    kind: str = "",
    direction: str = "",
    aspect: str = "",
    diagnosis_section: str = "",
    need: Need | None = None,
    public_only: bool = False,
) -> QuerySet[WatchEntry]:
    """The organisation's watch log, latest information first, optionally filtered."""
    entries = WatchEntry.objects.filter(organisation=organisation)
    if kind:
        entries = entries.filter(kind=kind)
    if direction:
        entries = entries.filter(direction=direction)
    if aspect:
        entries = entries.filter(aspect=aspect)
    if diagnosis_section:
        entries = entries.filter(diagnosis_section=diagnosis_section)
    if need is not None:
        entries = entries.filter(needs=need)
    if public_only:
        entries = entries.filter(is_public=True)
    needs = Need.objects.order_by("title")
    if public_only:
        needs = needs.filter(is_public=True)
    return (
        entries.select_related("organisation")
        .prefetch_related(Prefetch("needs", queryset=needs))
        .order_by("-observed_on", "-pk")
    )


def watch_entry_get(*, organisation: Organisation, pk: int) -> WatchEntry | None:
    return watch_entries_of_organisation(organisation=organisation).filter(pk=pk).first()


def watch_entries_of_need(*, need: Need, public_only: bool = False) -> QuerySet[WatchEntry]:
    """What the watch log expects for this need, latest first."""
    return watch_entries_of_organisation(
        organisation=need.organisation, need=need, public_only=public_only
    )


# Menus: a module not set up yet stays out of the participants' menu.


def has_public_needs(*, organisation: Organisation) -> bool:
    """There is at least one need shown on the public pages."""
    return Need.objects.filter(organisation=organisation, is_public=True).exists()


def has_diagnosis(*, organisation: Organisation) -> bool:
    """The territorial diagnosis was started (its page is not empty)."""
    return TerritorialDiagnosis.objects.filter(organisation=organisation).exists()
