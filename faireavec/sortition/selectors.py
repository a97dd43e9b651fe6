"""Reads of the sortition app, each scoped to the organisation."""

from django.db.models import Count, Prefetch, QuerySet

from faireavec.sortition.models import Category, Draw, PanelMember, Pool, Value, Volunteer


def pools_of(*, organisation) -> QuerySet[Pool]:
    return (
        Pool.objects.filter(organisation=organisation)
        .annotate(volunteer_count=Count("volunteers", distinct=True))
        .select_related("phase", "body")
    )


def pool_get(*, organisation, pk: int) -> Pool | None:
    return (
        Pool.objects.filter(organisation=organisation, pk=pk)
        .select_related("phase", "body")
        .first()
    )


def pool_categories(*, pool: Pool) -> list[Category]:
    return list(
        Category.objects.filter(pool=pool).prefetch_related(
            Prefetch(
                "values",
                queryset=Value.objects.annotate(volunteer_count=Count("features")),
            )
        )
    )


def pool_volunteers(*, pool: Pool) -> QuerySet[Volunteer]:
    return Volunteer.objects.filter(pool=pool).prefetch_related("features__value")


def volunteer_get(*, organisation, pk: int) -> Volunteer | None:
    return (
        Volunteer.objects.filter(pool__organisation=organisation, pk=pk)
        .select_related("pool")
        .first()
    )


def draw_get(*, organisation, pk: int) -> Draw | None:
    return (
        Draw.objects.filter(pool__organisation=organisation, pk=pk)
        .select_related("pool__body", "requested_by", "job")
        .first()
    )


def draws_of(*, pool: Pool) -> QuerySet[Draw]:
    return Draw.objects.filter(pool=pool).select_related("requested_by")


def draw_members(*, draw: Draw) -> QuerySet[PanelMember]:
    return PanelMember.objects.filter(draw=draw).select_related("volunteer")


def pools_of_phases(*, phases) -> QuerySet[Pool]:
    """Pools attached to these phases (for the initiative page)."""
    return Pool.objects.filter(phase__in=phases).select_related("phase", "body")


def volunteer_of_user(*, pool: Pool, user) -> Volunteer | None:
    """The person's own entry in the pool (by their account), if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Volunteer.objects.filter(pool=pool, user=user).first()


def panel_of_pool(*, pool: Pool) -> tuple[Draw | None, list[PanelMember]]:
    """The latest panel drawn in the pool and its members today."""
    draw = Draw.objects.filter(pool=pool, status=Draw.Status.DONE).order_by("-created_at").first()
    if draw is None:
        return None, []
    return draw, list(
        PanelMember.objects.filter(draw=draw, active=True).select_related("volunteer")
    )
