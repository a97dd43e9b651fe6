"""Every read of the governance app, scoped to the organisation."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from faireavec.governance.models import (
    Assembly,
    AssemblyLogEntry,
    Ballot,
    BoardQuestion,
    Body,
    College,
    Discussion,
    DiscussionReply,
    Election,
    Mandate,
    Member,
    Poll,
    PollBallot,
    PollMark,
    PollOption,
    PollParticipation,
    Proxy,
    Resolution,
    Seat,
    StatuteSettings,
    Voter,
    VoteRecord,
)
from faireavec.governance.polls import GRADE_COUNT, PollResult, results_compute
from faireavec.governance.tally import (
    CollegeCount,
    TallyResult,
    TallyRules,
    tally_compute,
    tally_explain,
)
from faireavec.organisations.models import Organisation
from faireavec.organisations.predicates import is_facilitator


def statutes_of(*, organisation: Organisation) -> StatuteSettings:
    """The organisation's statute settings (created with the defaults on first use:
    one member, one vote unless it is a SCIC)."""
    statutes = StatuteSettings.objects.filter(organisation=organisation).first()
    if statutes is None:
        mode = (
            StatuteSettings.VotingMode.COLLEGES
            if organisation.legal_form == Organisation.LegalForm.SCIC
            else StatuteSettings.VotingMode.ONE_MEMBER_ONE_VOTE
        )
        statutes, _created = StatuteSettings.objects.get_or_create(
            organisation=organisation, defaults={"voting_mode": mode}
        )
    return statutes


def colleges_of(*, organisation: Organisation) -> QuerySet[College]:
    return College.objects.filter(organisation=organisation).annotate(
        member_count=Count("members", filter=Q(members__status=Member.Status.ACTIVE))
    )


def members_of(
    *, organisation: Organisation, query: str = "", status: str = "", college: College | None = None
) -> QuerySet[Member]:
    members = Member.objects.filter(organisation=organisation).select_related("college", "user")
    if query:
        members = members.filter(
            Q(number__icontains=query) | Q(name__icontains=query) | Q(email__icontains=query)
        )
    if status:
        members = members.filter(status=status)
    if college is not None:
        members = members.filter(college=college)
    return members


def member_get(*, organisation: Organisation, pk: int) -> Member | None:
    return (
        Member.objects.filter(organisation=organisation, pk=pk)
        .select_related("college", "user")
        .first()
    )


def member_of_user(*, organisation: Organisation, user) -> Member | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.filter(organisation=organisation, user=user).first()


def member_numbers(*, organisation: Organisation) -> set[str]:
    return set(Member.objects.filter(organisation=organisation).values_list("number", flat=True))


def register_counts(*, organisation: Organisation) -> dict:
    rows = Member.objects.filter(organisation=organisation).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


# Bodies ---------------------------------------------------------------------


def bodies_of(*, organisation: Organisation) -> QuerySet[Body]:
    return Body.objects.filter(organisation=organisation).annotate(seat_count=Count("seats"))


def body_get(*, organisation: Organisation, pk: int) -> Body | None:
    return Body.objects.filter(organisation=organisation, pk=pk).first()


def seats_of(*, body: Body, today=None) -> list[Seat]:
    """The body's seats, each with its current mandate (`current`) or None."""
    today = today or timezone.localdate()
    seats = list(body.seats.select_related("college"))
    current = {
        m.seat_id: m
        for m in Mandate.objects.filter(
            seat__body=body, starts_on__lte=today, ends_on__gt=today
        ).select_related("member")
    }
    for seat in seats:
        seat.current = current.get(seat.pk)
    return seats


def seat_get(*, organisation: Organisation, pk: int) -> Seat | None:
    return (
        Seat.objects.filter(body__organisation=organisation, pk=pk)
        .select_related("body", "college")
        .first()
    )


def mandates_due(*, organisation: Organisation, today=None) -> QuerySet[Mandate]:
    """Mandates ending within the statutes' notice (or already ended without a successor)."""
    today = today or timezone.localdate()
    days = statutes_of(organisation=organisation).mandate_notice_days
    later = Mandate.objects.filter(seat=OuterRef("seat"), starts_on__gte=OuterRef("ends_on"))
    return (
        Mandate.objects.filter(
            seat__body__organisation=organisation, ends_on__lte=today + timedelta(days=days)
        )
        .filter(ends_on__gt=today - timedelta(days=365))
        .exclude(Exists(later))
        .select_related("seat__body", "member")
        .order_by("ends_on")
    )


# Assemblies -----------------------------------------------------------------


def assemblies_of(*, organisation: Organisation) -> QuerySet[Assembly]:
    return Assembly.objects.filter(organisation=organisation).annotate(
        resolution_count=Count("resolutions", distinct=True)
    )


def assemblies_for_members(*, organisation: Organisation) -> QuerySet[Assembly]:
    """What members see: convened and closed assemblies (not those in preparation)."""
    return Assembly.objects.filter(organisation=organisation).exclude(status=Assembly.Status.DRAFT)


def assembly_get(*, organisation: Organisation, pk: int) -> Assembly | None:
    return (
        Assembly.objects.filter(organisation=organisation, pk=pk)
        .select_related("organisation")
        .first()
    )


def resolution_get(*, organisation: Organisation, pk: int) -> Resolution | None:
    return (
        Resolution.objects.filter(assembly__organisation=organisation, pk=pk)
        .select_related("assembly__organisation")
        .first()
    )


def voter_of_user(*, assembly: Assembly, user) -> Voter | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Voter.objects.filter(assembly=assembly, member__user=user)
        .select_related("member", "college")
        .first()
    )


def voter_by_number(*, assembly: Assembly, number: str) -> Voter | None:
    return (
        Voter.objects.filter(assembly=assembly, member__number=number.strip())
        .select_related("member", "college")
        .first()
    )


def voters_of(*, assembly: Assembly, query: str = "") -> QuerySet[Voter]:
    voters = Voter.objects.filter(assembly=assembly).select_related("member", "college")
    if query:
        voters = voters.filter(
            Q(member__number__icontains=query) | Q(member__name__icontains=query)
        )
    return voters


@dataclass
class Ballots:
    """The people a voter may vote for: themselves and those they represent, each with
    the resolutions still open to them."""

    voter: Voter
    for_self: bool
    represented: list[Voter]
    voted: dict[int, set[int]]  # voter pk -> resolution pks already voted


def voting_rights(*, assembly: Assembly, voter: Voter) -> Ballots:
    own_proxy = Proxy.objects.filter(giver=voter).exists()
    represented_q = Q(proxy_given__holder=voter)
    if assembly.chair_id == voter.pk:
        represented_q |= Q(proxy_given__to_chair=True, proxy_given__assembly=assembly)
    represented = list(
        Voter.objects.filter(assembly=assembly)
        .filter(represented_q)
        .select_related("member", "college")
    )
    people = [voter.pk] + [v.pk for v in represented]
    voted: dict[int, set[int]] = {pk: set() for pk in people}
    for voter_id, resolution_id in VoteRecord.objects.filter(voter_id__in=people).values_list(
        "voter_id", "resolution_id"
    ):
        voted[voter_id].add(resolution_id)
    return Ballots(voter=voter, for_self=not own_proxy, represented=represented, voted=voted)


def proxies_of(*, assembly: Assembly) -> QuerySet[Proxy]:
    return Proxy.objects.filter(assembly=assembly).select_related("giver__member", "holder__member")


def proxy_holders(*, assembly: Assembly, exclude: Voter | None = None) -> QuerySet[Voter]:
    """Voters who can still accept a proxy (not represented, under the cap)."""
    voters = (
        Voter.objects.filter(assembly=assembly, proxy_given__isnull=True)
        .annotate(held=Count("proxies_held"))
        .filter(held__lt=assembly.proxy_cap)
        .select_related("member")
    )
    if exclude is not None:
        voters = voters.exclude(pk=exclude.pk)
    return voters


@dataclass
class Quorum:
    total: int
    counted: int
    required_percent: Decimal
    by_attendance: dict[str, int]

    @property
    def percent(self) -> Fraction:
        return Fraction(self.counted * 100, self.total) if self.total else Fraction(0)

    @property
    def needed(self) -> int:
        """Members to count for the quorum (present, represented, remote or postal)."""
        from math import ceil

        return ceil(Fraction(self.required_percent) * self.total / 100)

    @property
    def met(self) -> bool:
        return self.total > 0 and self.counted >= self.needed and self.counted > 0


def quorum_live(*, assembly: Assembly) -> Quorum:
    """The quorum now: members present, represented, voting remotely or by post,
    over the voters on the list (one query)."""
    rows = assembly.voters.values("attendance").annotate(n=Count("pk"))
    by = {row["attendance"]: row["n"] for row in rows}
    total = sum(by.values())
    counted = total - by.get(Voter.Attendance.ABSENT, 0)
    required = assembly.quorum_percent if assembly.quorum_percent is not None else Decimal(0)
    return Quorum(total=total, counted=counted, required_percent=required, by_attendance=by)


@dataclass
class ResolutionTally:
    resolution: Resolution
    result: TallyResult
    abstentions: int
    votes: int

    def explanation(self) -> list[str]:
        return tally_explain(self.result)

    def as_json(self) -> dict:
        return {
            "colleges": [
                {
                    "key": r.count.key,
                    "name": r.count.name,
                    "weight": str(r.count.weight.numerator / r.count.weight.denominator)
                    if r.count.weight.denominator != 1
                    else str(r.count.weight.numerator),
                    "weight_fraction": f"{r.count.weight.numerator}/{r.count.weight.denominator}",
                    "eligible": r.count.eligible,
                    "for": r.count.votes_for,
                    "against": r.count.votes_against,
                    "abstain": r.count.abstentions,
                }
                for r in self.result.colleges
            ],
            "rules": {
                "majority": self.result.rules.majority,
                "base": self.result.rules.base,
                "empty_college": self.result.rules.empty_college,
                "abstentions_count": self.result.rules.abstentions_count,
                "tie_rule": self.result.rules.tie_rule,
                "quorum_met": self.result.rules.quorum_met,
            },
            "total_for": f"{self.result.total_for.numerator}/{self.result.total_for.denominator}",
        }


def tally_rules(*, resolution: Resolution, quorum_met: bool) -> TallyRules:
    assembly = resolution.assembly
    return TallyRules(
        majority=resolution.majority,
        base=resolution.base,
        empty_college=assembly.empty_college,
        abstentions_count=assembly.abstentions_count,
        tie_rule=assembly.tie_rule,
        quorum_met=quorum_met,
    )


def assembly_counts(*, assembly: Assembly) -> tuple[dict, dict]:
    """({(resolution, college): {choice: n}}, {college: eligible}) in two grouped queries."""
    counts: dict = {}
    for row in (
        Ballot.objects.filter(resolution__assembly=assembly)
        .values("resolution_id", "college_id", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts.setdefault((row["resolution_id"], row["college_id"]), {})[row["choice"]] = row["n"]
    eligible = {
        row["college_id"]: row["n"]
        for row in assembly.voters.values("college_id").annotate(n=Count("pk")).order_by()
    }
    return counts, eligible


def resolution_tally(
    *, resolution: Resolution, quorum: Quorum | None = None, counts: tuple[dict, dict] | None = None
) -> ResolutionTally:
    assembly = resolution.assembly
    quorum = quorum or quorum_live(assembly=assembly)
    ballot_counts, eligible = counts or assembly_counts(assembly=assembly)
    colleges = []
    snapshot = list(assembly.colleges.all()) if assembly.uses_colleges else [None]
    for college in snapshot:
        key = college.pk if college else None
        c = ballot_counts.get((resolution.pk, key), {})
        colleges.append(
            CollegeCount(
                key=key,
                name=college.name if college else "",
                weight=Fraction(college.weight) if college else Fraction(100),
                eligible=eligible.get(key, 0),
                votes_for=c.get("for", 0),
                votes_against=c.get("against", 0),
                abstentions=c.get("abstain", 0),
            )
        )
    result = tally_compute(
        colleges=colleges, rules=tally_rules(resolution=resolution, quorum_met=quorum.met)
    )
    votes = sum(c.votes_for + c.votes_against + c.abstentions for c in colleges)
    return ResolutionTally(
        resolution=resolution,
        result=result,
        abstentions=sum(c.abstentions for c in colleges),
        votes=votes,
    )


def assembly_tallies(*, assembly: Assembly) -> list[ResolutionTally]:
    """Every resolution's tally (three grouped queries whatever the number of ballots)."""
    quorum = quorum_live(assembly=assembly)
    counts = assembly_counts(assembly=assembly)
    return [
        resolution_tally(resolution=r, quorum=quorum, counts=counts)
        for r in assembly.resolutions.select_related("assembly")
    ]


def ballots_published(*, assembly: Assembly, tracker: str = "") -> QuerySet[Ballot]:
    """The list of ballots, published after the close (tracker, resolution, choice)."""
    ballots = Ballot.objects.filter(resolution__assembly=assembly).select_related(
        "resolution", "college"
    )
    if tracker:
        ballots = ballots.filter(tracker=tracker.strip().upper().replace(" ", ""))
    return ballots.order_by("resolution__number", "tracker")


def vote_counts(*, assembly: Assembly) -> dict[int, int]:
    """Votes recorded so far per resolution (the register, not the ballots)."""
    return dict(
        VoteRecord.objects.filter(resolution__assembly=assembly)
        .values_list("resolution_id")
        .annotate(n=Count("pk"))
        .values_list("resolution_id", "n")
    )


def assembly_log(*, assembly: Assembly) -> QuerySet[AssemblyLogEntry]:
    return AssemblyLogEntry.objects.filter(assembly=assembly).order_by("seq")


def has_assemblies(*, organisation: Organisation) -> bool:
    return assemblies_for_members(organisation=organisation).exists()


# Consultations --------------------------------------------------------------


def polls_of(*, organisation: Organisation) -> QuerySet[Poll]:
    return (
        Poll.objects.filter(organisation=organisation)
        .annotate(answer_count=Count("participations", distinct=True))
        .order_by("-closes_at", "pk")
    )


def polls_for_person(*, organisation: Organisation, user, now=None) -> QuerySet[Poll]:
    """The consultations a person may read: opened already, for everyone taking part,
    or for the members when they are in the register (or in the team)."""
    now = now or timezone.now()
    polls = Poll.objects.filter(organisation=organisation, opens_at__lte=now)
    sees_members = is_facilitator(user, organisation) or (
        getattr(user, "is_authenticated", False)
        and Member.objects.filter(
            organisation=organisation, user=user, status=Member.Status.ACTIVE
        ).exists()
    )
    if not sees_members:
        polls = polls.filter(audience=Poll.Audience.PARTICIPANTS)
    answered = (
        PollParticipation.objects.filter(poll=OuterRef("pk"), user=user)
        if getattr(user, "is_authenticated", False)
        else PollParticipation.objects.none()
    )
    return polls.annotate(answered=Exists(answered)).order_by("-closes_at", "pk")


def poll_get(*, organisation: Organisation, pk: int) -> Poll | None:
    return Poll.objects.filter(organisation=organisation, pk=pk).first()


def poll_options(*, poll: Poll) -> list[PollOption]:
    return list(poll.options.all())


def poll_answered(*, poll: Poll, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return PollParticipation.objects.filter(poll=poll, user=user).exists()


def poll_answer_count(*, poll: Poll) -> int:
    return PollParticipation.objects.filter(poll=poll).count()


def poll_results(*, poll: Poll) -> PollResult:
    """The ranked result and its explanation: two queries whatever the number of ballots."""
    options = poll_options(poll=poll)
    judgment = poll.method == Poll.Method.MAJORITY_JUDGMENT
    counts: dict[int, list[int]] = {o.pk: [0] * (GRADE_COUNT if judgment else 2) for o in options}
    rows = (
        PollMark.objects.filter(option__poll=poll)
        .values_list("option_id", "value")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for option_id, value, n in rows:
        if judgment:
            counts[option_id][value] += n
        else:
            counts[option_id][1 if value else 0] += n
    voters = PollBallot.objects.filter(poll=poll).count()
    return results_compute(
        method=poll.method,
        options=[(o.pk, o.label) for o in options],
        counts=counts,
        voters=voters,
    )


def has_polls(*, organisation: Organisation) -> bool:
    return Poll.objects.filter(organisation=organisation, opens_at__lte=timezone.now()).exists()


# Members' space -------------------------------------------------------------


def discussions_of(*, organisation: Organisation, include_hidden: bool = False):
    discussions = Discussion.objects.filter(organisation=organisation)
    if not include_hidden:
        discussions = discussions.filter(is_hidden=False)
    return (
        discussions.select_related("author")
        .annotate(reply_count=Count("replies", filter=Q(replies__is_hidden=False)))
        .order_by("-created_at", "-pk")
    )


def discussion_get(*, organisation: Organisation, pk: int) -> Discussion | None:
    return (
        Discussion.objects.filter(organisation=organisation, pk=pk).select_related("author").first()
    )


def discussion_replies(*, discussion: Discussion) -> QuerySet[DiscussionReply]:
    return discussion.replies.select_related("author").order_by("created_at", "pk")


def reply_get(*, organisation: Organisation, pk: int) -> DiscussionReply | None:
    return (
        DiscussionReply.objects.filter(discussion__organisation=organisation, pk=pk)
        .select_related("discussion")
        .first()
    )


def board_questions_of(*, organisation: Organisation, include_hidden: bool = False):
    questions = BoardQuestion.objects.filter(organisation=organisation)
    if not include_hidden:
        questions = questions.filter(is_hidden=False)
    return questions.select_related("author", "answered_by").order_by("-created_at", "-pk")


def board_question_get(*, organisation: Organisation, pk: int) -> BoardQuestion | None:
    return (
        BoardQuestion.objects.filter(organisation=organisation, pk=pk)
        .select_related("author", "answered_by")
        .first()
    )


def board_questions_late(*, organisation: Organisation, now=None) -> QuerySet[BoardQuestion]:
    """Questions still unanswered past the date the statutes give the board."""
    now = now or timezone.now()
    return (
        board_questions_of(organisation=organisation)
        .filter(answered_at__isnull=True, due_at__lt=now)
        .order_by("due_at", "pk")
    )


def board_questions_waiting(*, organisation: Organisation, now=None) -> QuerySet[BoardQuestion]:
    """Unanswered questions not late yet, the soonest due first."""
    now = now or timezone.now()
    return (
        board_questions_of(organisation=organisation)
        .filter(answered_at__isnull=True, due_at__gte=now)
        .order_by("due_at", "pk")
    )


# Elections ------------------------------------------------------------------


def elections_of_body(*, body: Body) -> QuerySet[Election]:
    return Election.objects.filter(body=body).select_related("poll").order_by("-pk")


def election_get(*, organisation: Organisation, pk: int) -> Election | None:
    return (
        Election.objects.filter(organisation=organisation, pk=pk)
        .select_related("poll", "body")
        .first()
    )
