"""Every read of contributions, scoped to one organisation."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from faireavec.contributions.models import (
    ANSWER_STATUSES,
    FINAL_STATUSES,
    FOLLOW_UP_ALPHABET,
    FOLLOW_UP_LENGTH,
    Channel,
    Comment,
    Contribution,
    HistoryEntry,
    Kind,
    Report,
    Stance,
    Status,
    Support,
)
from faireavec.core.models import AuditEntry
from faireavec.organisations.models import Organisation, Role

# Recorded when the team opens its idea box (the first step of a new organisation).
IDEA_BOX_OPEN_ACTION = "contributions.idea_box_open"

IDEA_KINDS = (Kind.IDEA, Kind.PROPOSAL)


def contributions_of_organisation(*, organisation: Organisation) -> QuerySet[Contribution]:
    # Not joined to the organisation: the caller has it, and the join misleads
    # SQLite's planner away from the (organisation, date) index.
    return Contribution.objects.filter(organisation=organisation).select_related("site", "author")


def contribution_get(*, organisation: Organisation, pk: int) -> Contribution | None:
    return contributions_of_organisation(organisation=organisation).filter(pk=pk).first()


def normalise_follow_up_code(code: str) -> str:
    """Upper-case, without spaces or dashes: what people type from a paper slip."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def follow_up_code_is_well_formed(code: str) -> bool:
    return len(code) == FOLLOW_UP_LENGTH and all(ch in FOLLOW_UP_ALPHABET for ch in code)


def contribution_get_by_code(*, organisation: Organisation, code: str) -> Contribution | None:
    code = normalise_follow_up_code(code)
    if not follow_up_code_is_well_formed(code):
        return None
    return (
        contributions_of_organisation(organisation=organisation).filter(follow_up_code=code).first()
    )


def contribution_public_history(*, contribution: Contribution) -> QuerySet[HistoryEntry]:
    return HistoryEntry.objects.filter(contribution=contribution, is_public=True).order_by(
        "created_at", "pk"
    )


def contribution_full_history(*, contribution: Contribution) -> QuerySet[HistoryEntry]:
    return HistoryEntry.objects.filter(contribution=contribution).select_related("actor")


def contributions_of_author(*, user, organisation: Organisation | None = None) -> QuerySet:
    qs = Contribution.objects.filter(author=user).select_related("organisation", "site")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.order_by("-created_at", "-pk")


def overdue_condition(*, now: datetime) -> Q:
    """A complaint is overdue when it is not acknowledged in time, or not answered in time."""
    not_acknowledged = Q(status=Status.RECEIVED, acknowledge_due__lt=now)
    not_answered = Q(answer_due__lt=now) & ~Q(status__in=[Status.ANSWERED, Status.CLOSED])
    return Q(kind=Kind.COMPLAINT) & (not_acknowledged | not_answered)


def contributions_overdue(*, organisation: Organisation, now: datetime | None = None) -> QuerySet:
    now = now or timezone.now()
    return (
        contributions_of_organisation(organisation=organisation)
        .filter(overdue_condition(now=now))
        .order_by("answer_due", "pk")
    )


def contributions_to_escalate(*, organisation: Organisation, now: datetime | None = None):
    return contributions_overdue(organisation=organisation, now=now).filter(
        escalated_at__isnull=True
    )


@dataclass(frozen=True)
class InboxFilters:
    kind: str = ""
    status: str = ""
    site: int | None = None
    older_than_days: int | None = None
    overdue: bool = False
    hidden: bool = False
    q: str = ""


def contributions_inbox(
    *, organisation: Organisation, filters: InboxFilters, now: datetime | None = None
) -> QuerySet[Contribution]:
    """The facilitators' triage list: oldest open complaints first would hide new
    ideas, so it is newest first, with filters."""
    now = now or timezone.now()
    qs = contributions_of_organisation(organisation=organisation)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status == "open":
        qs = qs.exclude(status__in=list(FINAL_STATUSES))
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.site:
        qs = qs.filter(site_id=filters.site)
    if filters.older_than_days:
        qs = qs.filter(created_at__lt=now - timedelta(days=filters.older_than_days))
    if filters.overdue:
        qs = qs.filter(overdue_condition(now=now))
    if filters.hidden:
        qs = qs.filter(Q(is_hidden=True) | Q(comments__is_hidden=True)).distinct()
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(follow_up_code=filters.q.upper()))
    return qs.order_by("-created_at", "-pk")


def contributions_answered_public(
    *,
    organisation: Organisation,
    kind: str = "",
    site: int | None = None,
    year: int | None = None,
) -> QuerySet[Contribution]:
    """What « vous avez dit, nous avons fait » lists: answered, not hidden, newest answer first.

    Never selects the author unless they chose to be named (the template checks
    `show_author_name`)."""
    qs = (
        Contribution.objects.filter(
            organisation=organisation, answered_at__isnull=False, is_hidden=False
        )
        .select_related("site", "author")
        .order_by("-answered_at", "-pk")
    )
    if kind:
        qs = qs.filter(kind=kind)
    if site:
        qs = qs.filter(site_id=site)
    if year:
        qs = qs.filter(answered_at__year=year)
    return qs


@dataclass(frozen=True)
class ListeningFigures:
    received: int
    answered: int
    answered_share: int | None  # percent
    median_days_to_first_answer: float | None
    complaints_due: int
    complaints_on_time: int
    complaints_on_time_share: int | None  # percent


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def listening_figures(
    *, organisation: Organisation, now: datetime | None = None
) -> ListeningFigures:
    """The figures that show the organisation listens, computed in the database
    with two queries whatever the number of contributions."""
    now = now or timezone.now()
    base = Contribution.objects.filter(organisation=organisation)
    complaints_due = Q(kind=Kind.COMPLAINT) & (Q(answered_at__isnull=False) | Q(answer_due__lt=now))
    counts = base.aggregate(
        received=Count("pk"),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        responded=Count("pk", filter=Q(first_response_at__isnull=False)),
        complaints_due=Count("pk", filter=complaints_due),
        complaints_on_time=Count(
            "pk", filter=Q(kind=Kind.COMPLAINT, answered_at__lte=F("answer_due"))
        ),
    )
    median = None
    responded = counts["responded"]
    if responded:
        # The middle of the delays, read from the (organisation, delay) index with
        # an offset: one row, or two to average, never the whole column.
        delays = (
            base.filter(first_response_seconds__isnull=False)
            .order_by("first_response_seconds")
            .values_list("first_response_seconds", flat=True)
        )
        middle = responded // 2
        if responded % 2:
            values = list(delays[middle : middle + 1])
        else:
            values = list(delays[middle - 1 : middle + 1])
        median = round(sum(values) / len(values) / 86400, 1)
    return ListeningFigures(
        received=counts["received"],
        answered=counts["answered"],
        answered_share=_percent(counts["answered"], counts["received"]),
        median_days_to_first_answer=median,
        complaints_due=counts["complaints_due"],
        complaints_on_time=counts["complaints_on_time"],
        complaints_on_time_share=_percent(counts["complaints_on_time"], counts["complaints_due"]),
    )


def answered_kinds(*, organisation: Organisation) -> list[str]:
    """The kinds « vous avez dit, nous avons fait » lists at least one of, in the
    order of `Kind` (one indexed existence check per kind, whatever the volume)."""
    listed = Contribution.objects.filter(
        organisation=organisation, answered_at__isnull=False, is_hidden=False
    )
    return [kind for kind in Kind.values if listed.filter(kind=kind).exists()]


def answered_years(*, organisation: Organisation) -> list[int]:
    """Years with listed answers, newest first (from the first and last: two index reads).

    Two ordered one-row reads, not MIN and MAX in one query: SQLite reads one
    aggregate from the index's end but scans every row for both."""
    listed = Contribution.objects.filter(
        organisation=organisation, answered_at__isnull=False, is_hidden=False
    ).values_list("answered_at", flat=True)
    newest = listed.order_by("-answered_at", "-pk").first()
    if newest is None:
        return []
    oldest = listed.order_by("answered_at", "pk").first()
    first = timezone.localtime(oldest).year
    last = timezone.localtime(newest).year
    return list(range(last, first - 1, -1))


def public_ideas(*, organisation: Organisation) -> QuerySet[Contribution]:
    """Public visible ideas, most supported first. Comment counts come from
    `comment_counts` for the page shown, not from a join over every idea."""
    return (
        Contribution.objects.filter(
            organisation=organisation, kind__in=IDEA_KINDS, is_public=True, is_hidden=False
        )
        .select_related("site", "author")
        .order_by("-support_count", "-created_at", "-pk")
    )


# Menus: a page with nothing to show yet stays out of the participants' menu.


def has_public_ideas(*, organisation: Organisation) -> bool:
    """At least one idea is on the public ideas page."""
    return public_ideas(organisation=organisation).exists()


def has_answered_public(*, organisation: Organisation) -> bool:
    """« Vous avez dit, nous avons fait » has at least one answered contribution."""
    return contributions_answered_public(organisation=organisation).exists()


def comment_counts(*, contributions) -> dict[int, int]:
    """Visible comments per contribution, for one page of contributions (one query)."""
    rows = (
        Comment.objects.filter(contribution__in=[c.pk for c in contributions], is_hidden=False)
        .values("contribution")
        .annotate(n=Count("pk"))
        .values_list("contribution", "n")
    )
    return dict(rows)


def stance_counts(*, contributions) -> dict[int, dict[str, int]]:
    """Visible comments per contribution and stance ("for", "against", "neutral"), for
    one page of contributions (one query): `{pk: {"for": 3, "against": 1, "neutral": 0}}`."""
    counts = {c.pk: dict.fromkeys(Stance.values, 0) for c in contributions}
    rows = (
        Comment.objects.filter(contribution__in=list(counts), is_hidden=False)
        .values("contribution", "stance")
        .annotate(n=Count("pk"))
        .values_list("contribution", "stance", "n")
    )
    for pk, stance, n in rows:
        counts[pk][stance] = n
    return counts


def idea_visible_comments(*, contribution: Contribution) -> QuerySet[Comment]:
    return Comment.objects.filter(contribution=contribution, is_hidden=False).select_related(
        "author"
    )


def idea_all_comments(*, contribution: Contribution) -> QuerySet[Comment]:
    return Comment.objects.filter(contribution=contribution).select_related("author")


def comment_get(*, organisation: Organisation, pk: int) -> Comment | None:
    return (
        Comment.objects.filter(contribution__organisation=organisation, pk=pk)
        .select_related("contribution", "author")
        .first()
    )


def support_exists(*, contribution: Contribution, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Support.objects.filter(contribution=contribution, user=user).exists()


def open_report_count(*, contribution: Contribution, comment: Comment | None = None) -> int:
    """Distinct people (or visitors' sessions) who reported the target, not yet reviewed."""
    return Report.objects.filter(
        contribution=contribution, comment=comment, reviewed_at__isnull=True
    ).count()


def moderation_queue(*, organisation: Organisation) -> dict[str, QuerySet]:
    """What facilitators have to review: contributions and comments with at least one
    report not yet reviewed, the one waiting longest first.

    A report on a comment is not a report on its contribution. Each row carries
    `open_reports` (how many reports wait) and `first_reported_at` (the oldest of them).
    Filtering on `reports__…__isnull=True` through the join would also keep rows with
    no report at all (the outer join gives NULLs), hence the explicit subqueries.
    """
    open_on_contribution = Report.objects.filter(
        contribution=OuterRef("pk"), comment__isnull=True, reviewed_at__isnull=True
    )
    open_on_comment = Report.objects.filter(comment=OuterRef("pk"), reviewed_at__isnull=True)
    contributions = (
        Contribution.objects.filter(organisation=organisation)
        .filter(Exists(open_on_contribution))
        .annotate(
            open_reports=_subquery_count(open_on_contribution),
            first_reported_at=Subquery(
                open_on_contribution.order_by("created_at").values("created_at")[:1]
            ),
        )
        .select_related("site")
        .order_by("first_reported_at", "pk")
    )
    comments = (
        Comment.objects.filter(contribution__organisation=organisation)
        .filter(Exists(open_on_comment))
        .annotate(
            open_reports=_subquery_count(open_on_comment),
            first_reported_at=Subquery(
                open_on_comment.order_by("created_at").values("created_at")[:1]
            ),
        )
        .select_related("contribution", "author")
        .order_by("first_reported_at", "pk")
    )
    return {"contributions": contributions, "comments": comments}


def _subquery_count(reports: QuerySet) -> Subquery:
    """COUNT of a correlated report subquery, as an annotation. `Func` rather than
    `Count`: an aggregate would add a GROUP BY and a row per group."""
    return Subquery(
        reports.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"),
        output_field=IntegerField(),
    )


def organisation_admins(*, organisation: Organisation):
    from faireavec.accounts.models import User

    return User.objects.filter(
        memberships__organisation=organisation, memberships__role=Role.ADMIN, is_active=True
    )


def is_answer_status(status: str) -> bool:
    return status in ANSWER_STATUSES


def idea_box_opened(*, organisation: Organisation) -> bool:
    """The team said it opened its idea box (`idea_box_open`)."""
    return AuditEntry.objects.filter(
        organisation=organisation, action=IDEA_BOX_OPEN_ACTION
    ).exists()


def onboarding_idea_box_open(*, organisation: Organisation) -> bool:
    """First step of a new organisation: the team opened its idea box (said on the
    poster page that it shares the address: `idea_box_open`), or someone already gave
    an opinion online by themselves. An opinion the team wrote down for someone does
    not open it."""
    return idea_box_opened(organisation=organisation) or (
        Contribution.objects.filter(
            organisation=organisation, channel=Channel.ONLINE, recorded_by__isnull=True
        ).exists()
    )
