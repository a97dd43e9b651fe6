"""Every read of initiatives and their phases, scoped to one organisation: another
organisation's initiative is "not found".

`phase_allows` is the cross-app contract: the apps above (surveys, meetings,
sortition, opinions) call it in their predicates when their object is attached to a
phase, so that a phase that does not allow registering for a meeting, or that is
over, closes the registration everywhere alike.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from faireavec.contributions.models import Comment, Contribution, Stance, Status
from faireavec.contributions.selectors import IDEA_KINDS
from faireavec.organisations.models import Organisation, Role
from faireavec.organisations.selectors import membership_get
from faireavec.processes.models import (
    Action,
    Audience,
    Initiative,
    InitiativeFollow,
    Phase,
    local_date,
)


def phase_allows(*, phase: Phase | None, action: str, when=None) -> bool:
    """Whether `action` (one of `Action`: "propose", "comment", "support",
    "answer_survey", "register_meeting", "vote_opinion", "join_panel") may be done in
    `phase` on the day of `when` (a datetime or a date; None is now).

    True only if the phase declares the action, its initiative is published (not a
    draft, not closed) and the day falls within the phase's dates (both included).
    No phase (an object attached to none) allows nothing here: the caller decides
    what its unattached objects allow. An unknown action is a programming error
    (ValueError), never a silent "no".
    """
    if action not in Action.values:
        raise ValueError(f"Unknown phase action: {action!r}")
    if phase is None:
        return False
    if phase.initiative.status != Initiative.Status.PUBLISHED:
        return False
    return phase.allows(action) and phase.is_current(when)


def initiatives_of_organisation(*, organisation: Organisation, status: str = "") -> QuerySet:
    """The back office's list: every initiative, drafts included, newest first."""
    initiatives = Initiative.objects.filter(organisation=organisation)
    if status:
        initiatives = initiatives.filter(status=status)
    return initiatives.select_related("organisation").prefetch_related(_phases_prefetch())


def _phases_prefetch() -> Prefetch:
    return Prefetch("phases", queryset=Phase.objects.order_by("position", "starts_on", "pk"))


def initiatives_visible(*, organisation: Organisation, user) -> QuerySet:
    """The initiatives `user` may read on the public pages: published or closed ones of
    their audience (everyone; people of the organisation; the people invited). The
    team (facilitators, administrators) sees every audience."""
    initiatives = Initiative.objects.filter(
        organisation=organisation,
        status__in=[Initiative.Status.PUBLISHED, Initiative.Status.CLOSED],
    )
    membership = (
        membership_get(user=user, organisation=organisation) if user.is_authenticated else None
    )
    role = membership.role if membership else None
    if role not in {Role.ADMIN, Role.FACILITATOR}:
        audience = Q(audience=Audience.PUBLIC)
        if role is not None:
            audience |= Q(audience=Audience.MEMBERS)
        if user.is_authenticated:
            audience |= Q(audience=Audience.INVITED, invited=user)
        initiatives = initiatives.filter(audience)
    return (
        initiatives.select_related("organisation")
        .prefetch_related(_phases_prefetch())
        .order_by("status", "-created_at", "-pk")
        .distinct()
    )


def initiative_get(*, organisation: Organisation, pk: int) -> Initiative | None:
    return (
        Initiative.objects.filter(organisation=organisation, pk=pk)
        .select_related("organisation")
        .first()
    )


def initiative_get_by_slug(*, organisation: Organisation, slug: str) -> Initiative | None:
    return (
        Initiative.objects.filter(organisation=organisation, slug=slug)
        .select_related("organisation")
        .first()
    )


def phase_get(*, organisation: Organisation, pk: int) -> Phase | None:
    return (
        Phase.objects.filter(initiative__organisation=organisation, pk=pk)
        .select_related("initiative__organisation")
        .first()
    )


def phases_of_initiative(*, initiative: Initiative) -> list[Phase]:
    """The phases in their order, each knowing its initiative (no query per phase)."""
    phases = sorted(initiative.phases.all(), key=lambda p: (p.position, p.starts_on, p.pk))
    for phase in phases:
        phase.initiative = initiative
    return phases


def phase_current(*, initiative: Initiative, when=None) -> Phase | None:
    """The phase running on the day of `when` (the first in order, if phases overlap).
    Reads the initiative's phases once per object (prefetched or not)."""
    phases = getattr(initiative, "_phases_in_order", None)
    if phases is None:
        phases = phases_of_initiative(initiative=initiative)
        initiative._phases_in_order = phases
    return next((phase for phase in phases if phase.is_current(when)), None)


def initiative_allows(*, initiative: Initiative, action: str, when=None) -> bool:
    """`phase_allows` for the phase running on the day of `when`, if any."""
    return phase_allows(
        phase=phase_current(initiative=initiative, when=when), action=action, when=when
    )


def phases_open_for(*, organisation: Organisation, action: str, when=None) -> QuerySet:
    """Phases of published initiatives of the organisation that allow `action` today:
    for the apps above, to offer a choice of phase when attaching an object."""
    if action not in Action.values:
        raise ValueError(f"Unknown phase action: {action!r}")
    day = local_date(when)
    return (
        Phase.objects.filter(
            initiative__organisation=organisation,
            initiative__status=Initiative.Status.PUBLISHED,
            starts_on__lte=day,
            ends_on__gte=day,
            **{f"allows_{action}": True},
        )
        .select_related("initiative__organisation")
        .order_by("initiative__title", "position")
    )


def phases_of_organisation(*, organisation: Organisation) -> QuerySet:
    """Every phase of the organisation's initiatives (for a « phase » choice in the
    forms of the apps above), grouped by initiative."""
    return (
        Phase.objects.filter(initiative__organisation=organisation)
        .select_related("initiative__organisation")
        .order_by("initiative__title", "position", "pk")
    )


def has_public_initiatives(*, organisation: Organisation) -> bool:
    return Initiative.objects.filter(
        organisation=organisation,
        status__in=[Initiative.Status.PUBLISHED, Initiative.Status.CLOSED],
    ).exists()


def initiatives_follow_up_overdue(*, organisation: Organisation, when=None) -> QuerySet:
    """Initiatives whose promised follow-up date has passed with no follow-up recorded,
    the oldest promise first (shown at the top of the back office)."""
    return Initiative.objects.filter(
        organisation=organisation,
        follow_up_due_on__lt=local_date(when),
        follow_up_done_on__isnull=True,
        status__in=[Initiative.Status.PUBLISHED, Initiative.Status.CLOSED],
    ).order_by("follow_up_due_on", "pk")


# Proposals -----------------------------------------------------------------


def initiative_proposals(*, initiative: Initiative) -> QuerySet:
    """The initiative's proposals others can read (public, not hidden), as
    contributions, most supported first. Comment and stance counts come from
    `stance_counts` for the page shown."""
    return (
        Contribution.objects.filter(
            organisation_id=initiative.organisation_id,
            initiative_link__initiative=initiative,
            # The condition of contributions' partial index of public ideas and
            # proposals, in its order: a page is read from it, without sorting them all.
            kind__in=IDEA_KINDS,
            is_public=True,
            is_hidden=False,
        )
        .select_related("author", "organisation")
        .order_by("-support_count", "-created_at", "-pk")
    )


def initiative_proposals_answered(*, initiative: Initiative) -> QuerySet:
    """What became of the proposals: those with an answer, most supported first."""
    return initiative_proposals(initiative=initiative).filter(answered_at__isnull=False)


def initiative_proposals_to_answer(*, initiative: Initiative) -> QuerySet:
    """For the team: every proposal (hidden ones included) still waiting for a decision,
    most supported first."""
    return (
        Contribution.objects.filter(
            organisation_id=initiative.organisation_id,
            initiative_link__initiative=initiative,
            status__in=[Status.RECEIVED, Status.UNDER_STUDY],
        )
        .select_related("organisation")
        .order_by("-support_count", "created_at", "pk")
    )


@dataclass(frozen=True)
class ProposalFigures:
    proposals: int
    answered: int
    supports: int
    comments_for: int
    comments_against: int
    comments_neutral: int

    @property
    def comments(self) -> int:
        return self.comments_for + self.comments_against + self.comments_neutral


FIGURES_CACHE_SECONDS = 300


def proposal_figures_cached(*, initiative: Initiative) -> ProposalFigures:
    """`proposal_figures`, computed at most every few minutes per initiative (they change
    slowly and read every proposal); a new proposal refreshes them at once."""
    return cache.get_or_set(
        _figures_key(initiative.pk),
        lambda: proposal_figures(initiative=initiative),
        FIGURES_CACHE_SECONDS,
    )


def _figures_key(initiative_pk: int) -> str:
    return f"processes:figures:{initiative_pk}"


def proposal_figures_forget(*, initiative: Initiative) -> None:
    cache.delete(_figures_key(initiative.pk))


def proposal_figures(*, initiative: Initiative) -> ProposalFigures:
    """What was said in the initiative, in figures (two queries, whatever the volume):
    proposals shown, how many got an answer, supports, visible comments by stance."""
    proposals = initiative_proposals(initiative=initiative).order_by()
    totals = proposals.aggregate(
        proposals=Count("pk"),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        supports=Sum("support_count"),
    )
    stances = dict(
        Comment.objects.filter(contribution__in=proposals.values("pk"), is_hidden=False)
        .values("stance")
        .annotate(n=Count("pk"))
        .values_list("stance", "n")
    )
    return ProposalFigures(
        proposals=totals["proposals"],
        answered=totals["answered"],
        supports=totals["supports"] or 0,
        comments_for=stances.get(Stance.FOR, 0),
        comments_against=stances.get(Stance.AGAINST, 0),
        comments_neutral=stances.get(Stance.NEUTRAL, 0),
    )


# Followers -----------------------------------------------------------------


def follow_exists(*, initiative: Initiative, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return InitiativeFollow.objects.filter(initiative=initiative, user=user).exists()


def follower_count(*, initiative: Initiative) -> int:
    return InitiativeFollow.objects.filter(initiative=initiative).count()
