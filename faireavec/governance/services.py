"""Every write of the governance app: statutes, colleges, the register, bodies,
assemblies, proxies, ballots, the close and the tally."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from faireavec.accounts.models import User
from faireavec.core.audit import audit_log
from faireavec.core.i18n import lazy_message, untranslated
from faireavec.core.navigation import menu_changed
from faireavec.core.notifications import notify
from faireavec.governance.chain import ballots_seal, chain_append
from faireavec.governance.models import (
    Assembly,
    AssemblyCollege,
    Ballot,
    BoardQuestion,
    Body,
    Candidate,
    Choice,
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
from faireavec.governance.polls import GRADE_COUNT
from faireavec.governance.selectors import (
    quorum_live,
    resolution_tally,
    statutes_of,
)
from faireavec.governance.tally import number_words
from faireavec.organisations.models import Organisation, Role

SCIC_MIN_COLLEGES = 3
SCIC_MIN_WEIGHT = Decimal("10")
SCIC_MAX_WEIGHT = Decimal("50")


# Statutes and colleges ------------------------------------------------------


@transaction.atomic
def statutes_update(*, actor, organisation: Organisation, data: dict) -> StatuteSettings:
    statutes = statutes_of(organisation=organisation)
    changed = []
    for name, value in data.items():
        if getattr(statutes, name) != value:
            setattr(statutes, name, value)
            changed.append(name)
    statutes.full_clean()
    statutes.save()
    if changed:
        audit_log(
            actor=actor,
            organisation=organisation,
            action="governance.statutes_update",
            target=statutes,
            details={"fields": changed},
        )
    return statutes


def colleges_problems(
    *, organisation: Organisation, weights: list[tuple[str, Decimal]]
) -> list[str]:
    """What is wrong with this set of (name, weight) for the organisation's legal form
    and voting mode; empty when it can be used."""
    problems = []
    total = sum((w for _n, w in weights), Decimal(0))
    if organisation.legal_form == Organisation.LegalForm.SCIC:
        if len(weights) < SCIC_MIN_COLLEGES:
            problems.append(
                _("A SCIC has at least three colleges (%(count)s given).") % {"count": len(weights)}
            )
        for name, weight in weights:
            if weight < SCIC_MIN_WEIGHT or weight > SCIC_MAX_WEIGHT:
                problems.append(
                    _(
                        "In a SCIC each college weighs between 10 %% and 50 %%: « %(name)s » weighs %(weight)s %%."
                    )
                    % {"name": name, "weight": number_words(weight)}
                )
    if weights and total != Decimal(100):
        problems.append(
            _("The weights must add up to 100 %%; they add up to %(total)s %%.")
            % {"total": number_words(total)}
        )
    return problems


@transaction.atomic
def colleges_save(*, actor, organisation: Organisation, rows: list[dict]) -> list[College]:
    """Save the whole set of colleges at once (a weight alone cannot be checked).

    `rows`: dicts with `college` (an existing College or None for a new one),
    `name`, `weight`, `description`, `position`, `delete`. Raises ValidationError
    naming every problem; nothing is written then.
    """
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    statutes = statutes_of(organisation=organisation)
    kept = [r for r in rows if not r.get("delete")]
    names = [r["name"].strip().lower() for r in kept]
    if len(set(names)) != len(names):
        raise ValidationError(_("Two colleges have the same name."))
    if statutes.uses_colleges or organisation.legal_form == Organisation.LegalForm.SCIC:
        problems = colleges_problems(
            organisation=organisation, weights=[(r["name"], r["weight"]) for r in kept]
        )
        if problems:
            raise ValidationError(problems)
    for row in rows:
        college = row.get("college")
        if row.get("delete") and college is not None:
            if college.members.exists():
                raise ValidationError(
                    _("The college « %(name)s » still has members: move them first.")
                    % {"name": college.name}
                )
            college.delete()
    # Free the names first, so that two colleges can swap theirs.
    saved = []
    for i, row in enumerate(kept):
        college = row.get("college") or College(organisation=organisation)
        college.name = row["name"].strip()
        college.weight = row["weight"]
        college.description = row.get("description", "")
        college.position = row.get("position", i)
        college.full_clean(validate_constraints=False)
        saved.append(college)
    for college in saved:
        if college.pk:
            College.objects.filter(pk=college.pk).update(name=f"__{college.pk}")
    for college in saved:
        college.save()
    audit_log(
        actor=actor,
        organisation=organisation,
        action="governance.colleges_save",
        details={"colleges": ", ".join(f"{c.name} {number_words(c.weight)} %" for c in saved)},
    )
    return saved


# The member register --------------------------------------------------------


def _member_check(member: Member) -> None:
    if member.college_id and member.college.organisation_id != member.organisation_id:
        raise ValidationError({"college": _("Choose a college of this organisation.")})
    if member.status != Member.Status.ACTIVE and member.left_on is None:
        member.left_on = timezone.localdate()
    if member.status == Member.Status.ACTIVE:
        member.left_on = None


@transaction.atomic
def member_save(*, actor, member: Member, is_new: bool) -> Member:
    _member_check(member)
    member.full_clean()
    member.save()
    audit_log(
        actor=actor,
        organisation=member.organisation,
        action="governance.member_create" if is_new else "governance.member_update",
        target=member,
        details={"status": member.status},
    )
    return member


# Bodies, seats and mandates -------------------------------------------------


@transaction.atomic
def body_save(*, actor, body: Body, is_new: bool) -> Body:
    body.full_clean()
    body.save()
    audit_log(
        actor=actor,
        organisation=body.organisation,
        action="governance.body_create" if is_new else "governance.body_update",
        target=body,
    )
    return body


@transaction.atomic
def seat_add(*, actor, body: Body, label: str, reserved_for: str, college: College | None) -> Seat:
    if college is not None and college.organisation_id != body.organisation_id:
        raise ValidationError({"college": _("Choose a college of this organisation.")})
    if reserved_for != Seat.Reserved.COLLEGE:
        college = None
    elif college is None:
        raise ValidationError({"college": _("Choose the college this seat is reserved for.")})
    seat = Seat(
        body=body,
        label=label,
        reserved_for=reserved_for,
        college=college,
        position=body.seats.count(),
    )
    seat.full_clean()
    seat.save()
    audit_log(
        actor=actor, organisation=body.organisation, action="governance.seat_add", target=seat
    )
    return seat


@transaction.atomic
def mandate_add(
    *, actor, seat: Seat, member: Member, starts_on, ends_on=None, is_user: bool = False
) -> Mandate:
    """Put a member on a seat. The seat's reservation is checked, and a seat has one
    mandate at a time (the seat is locked so two cannot overlap)."""
    organisation = seat.body.organisation
    Seat.objects.select_for_update().filter(pk=seat.pk).first()
    if member.organisation_id != organisation.pk:
        raise ValidationError({"member": _("Choose a member of this organisation.")})
    if not member.is_active:
        raise ValidationError({"member": _("Only an active member can hold a seat.")})
    if seat.reserved_for == Seat.Reserved.COLLEGE and member.college_id != seat.college_id:
        raise ValidationError(
            {
                "member": _("This seat is reserved for the college « %(name)s ».")
                % {"name": seat.college}
            }
        )
    if seat.reserved_for == Seat.Reserved.USERS and not is_user:
        raise ValidationError({"is_user": _("This seat is reserved for users of the services.")})
    if ends_on is None:
        months = seat.body.mandate_months
        year, month = divmod(starts_on.month - 1 + months, 12)
        ends_on = starts_on.replace(
            year=starts_on.year + year, month=month + 1, day=min(starts_on.day, 28)
        )
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The mandate must end after it starts.")})
    if seat.mandates.filter(starts_on__lt=ends_on, ends_on__gt=starts_on).exists():
        raise ValidationError({"starts_on": _("This seat already has a mandate over these dates.")})
    mandate = Mandate(
        seat=seat, member=member, starts_on=starts_on, ends_on=ends_on, is_user=is_user
    )
    mandate.full_clean()
    mandate.save()
    audit_log(
        actor=actor,
        organisation=organisation,
        action="governance.mandate_add",
        target=mandate,
        details={"ends_on": ends_on.isoformat()},
    )
    return mandate


# Assemblies -----------------------------------------------------------------


class AssemblyLocked(ValidationError):
    """The assembly is convened or closed: its agenda and rules are fixed."""


def _require_draft(assembly: Assembly) -> None:
    if assembly.status != Assembly.Status.DRAFT:
        raise AssemblyLocked(_("The assembly is convened: its agenda can no longer change."))


@transaction.atomic
def assembly_save(*, actor, assembly: Assembly, is_new: bool) -> Assembly:
    if not is_new:
        current = Assembly.objects.select_for_update().get(pk=assembly.pk)
        _require_draft(current)
    assembly.full_clean()
    assembly.save()
    audit_log(
        actor=actor,
        organisation=assembly.organisation,
        action="governance.assembly_create" if is_new else "governance.assembly_update",
        target=assembly,
    )
    return assembly


@transaction.atomic
def resolution_save(*, actor, resolution: Resolution, is_new: bool) -> Resolution:
    assembly = Assembly.objects.select_for_update().get(pk=resolution.assembly_id)
    _require_draft(assembly)
    if is_new:
        last = assembly.resolutions.order_by("-number").first()
        resolution.number = (last.number + 1) if last else 1
    resolution.full_clean()
    resolution.save()
    audit_log(
        actor=actor,
        organisation=assembly.organisation,
        action="governance.resolution_create" if is_new else "governance.resolution_update",
        target=resolution,
        details={"assembly": assembly.title},
    )
    return resolution


@transaction.atomic
def resolution_delete(*, actor, resolution: Resolution) -> None:
    assembly = Assembly.objects.select_for_update().get(pk=resolution.assembly_id)
    _require_draft(assembly)
    audit_log(
        actor=actor,
        organisation=assembly.organisation,
        action="governance.resolution_delete",
        details={"title": resolution.title, "assembly": assembly.title},
    )
    resolution.delete()


def notice_days_required(*, assembly: Assembly, statutes: StatuteSettings) -> int:
    return (
        statutes.notice_days_first
        if assembly.convocation_number == 1
        else statutes.notice_days_second
    )


def quorum_required(*, assembly: Assembly, statutes: StatuteSettings) -> Decimal:
    first = assembly.convocation_number == 1
    if assembly.kind == Assembly.Kind.EXTRAORDINARY:
        return (
            statutes.quorum_extraordinary_first if first else statutes.quorum_extraordinary_second
        )
    return statutes.quorum_ordinary_first if first else statutes.quorum_ordinary_second


@transaction.atomic
def assembly_convene(*, actor, assembly: Assembly, now=None) -> Assembly:
    """Send the convocation: check the notice period, the colleges and the register,
    fix the rules and weights, draw up the list of voters from the active members,
    open online voting, and start the assembly's chain.

    Raises ValidationError with every reason it cannot be convened."""
    now = now or timezone.now()
    assembly = Assembly.objects.select_for_update().get(pk=assembly.pk)
    _require_draft(assembly)
    organisation = assembly.organisation
    statutes = statutes_of(organisation=organisation)
    problems = []
    days = notice_days_required(assembly=assembly, statutes=statutes)
    if assembly.session_at - now < timedelta(days=days):
        problems.append(
            ngettext(
                "The statutes require %(days)s day of notice: convene on %(latest)s at the latest, "
                "or move the session.",
                "The statutes require %(days)s days of notice: convene on %(latest)s at the latest, "
                "or move the session.",
                days,
            )
            % {
                "days": days,
                "latest": timezone.localtime(assembly.session_at - timedelta(days=days)).strftime(
                    "%d/%m/%Y %H:%M"
                ),
            }
        )
    if not assembly.resolutions.exists():
        problems.append(_("Put at least one resolution on the agenda."))
    members = Member.objects.filter(organisation=organisation, status=Member.Status.ACTIVE)
    if not members.exists():
        problems.append(_("The register has no active member."))
    colleges = list(College.objects.filter(organisation=organisation))
    if statutes.uses_colleges:
        problems += colleges_problems(
            organisation=organisation, weights=[(c.name, c.weight) for c in colleges]
        )
        if not colleges:
            problems.append(_("Votes are weighted by colleges, but there is no college yet."))
        without = members.filter(college__isnull=True).count()
        if without:
            problems.append(
                ngettext(
                    "%(count)s active member has no college: give them one first.",
                    "%(count)s active members have no college: give them one first.",
                    without,
                )
                % {"count": without}
            )
    if problems:
        raise ValidationError(problems)
    assembly.status = Assembly.Status.CONVENED
    assembly.convened_at = now
    assembly.quorum_percent = quorum_required(assembly=assembly, statutes=statutes)
    assembly.uses_colleges = statutes.uses_colleges
    assembly.empty_college = statutes.empty_college
    assembly.abstentions_count = statutes.abstentions_count
    assembly.tie_rule = statutes.tie_rule
    assembly.proxy_cap = statutes.proxy_cap
    assembly.full_clean()
    assembly.save()
    snapshot = {}
    if statutes.uses_colleges:
        for college in colleges:
            snapshot[college.pk] = AssemblyCollege.objects.create(
                assembly=assembly,
                college=college,
                name=college.name,
                weight=college.weight,
                position=college.position,
            )
    voters = [
        Voter(assembly=assembly, member_id=m_pk, college=snapshot.get(c_pk))
        for m_pk, c_pk in members.values_list("pk", "college_id").iterator(chunk_size=5000)
    ]
    Voter.objects.bulk_create(voters, batch_size=2000)
    per_college = {str(c.name): c.voters.count() for c in snapshot.values()}
    chain_append(
        assembly=assembly,
        kind="convened",
        payload={
            "title": assembly.title,
            "kind": assembly.kind,
            "session_at": assembly.session_at.isoformat(),
            "convocation": assembly.convocation_number,
            "voters": len(voters),
            "voters_per_college": per_college,
            "weights": {str(c.name): str(c.weight) for c in snapshot.values()},
            "quorum_percent": str(assembly.quorum_percent),
            "rules": {
                "uses_colleges": assembly.uses_colleges,
                "empty_college": assembly.empty_college,
                "abstentions_count": assembly.abstentions_count,
                "tie_rule": assembly.tie_rule,
                "proxy_cap": assembly.proxy_cap,
            },
            "resolutions": [
                {
                    "number": r.number,
                    "title": r.title,
                    "majority": r.majority,
                    "base": r.base,
                    "text_sha256": hashlib.sha256(r.text.encode()).hexdigest(),
                }
                for r in assembly.resolutions.all()
            ],
        },
    )
    audit_log(
        actor=actor,
        organisation=organisation,
        action="governance.assembly_convene",
        target=assembly,
        details={"voters": len(voters)},
    )
    recipients = [m.user for m in members.filter(user__isnull=False).select_related("user")]
    if recipients:
        notify(
            recipients=recipients,
            title=lazy_message(
                gettext_lazy("You are convened to the assembly « %(title)s »"), title=assembly.title
            ),
            body=lazy_message(
                gettext_lazy("Session on %(date)s. You can vote online from now until the close."),
                date=timezone.localdate(assembly.session_at),
            ),
            url=assembly_member_url(assembly),
            organisation=organisation,
        )
    # « General assemblies » shows in the members' menu from the first convocation.
    menu_changed(organisation=organisation)
    return assembly


def assembly_member_url(assembly: Assembly) -> str:
    return assembly.get_public_url()


@transaction.atomic
def assembly_set_chair(*, actor, assembly: Assembly, voter: Voter | None) -> Assembly:
    assembly = Assembly.objects.select_for_update().get(pk=assembly.pk)
    if assembly.is_closed:
        raise ValidationError(_("The assembly is closed."))
    if voter is not None and voter.assembly_id != assembly.pk:
        raise ValidationError(_("Choose a voter of this assembly."))
    assembly.chair = voter
    assembly.save(update_fields=["chair", "updated_at"])
    audit_log(
        actor=actor,
        organisation=assembly.organisation,
        action="governance.assembly_chair",
        target=assembly,
        details={"chair": str(voter.member) if voter else ""},
    )
    return assembly


# Proxies and attendance -----------------------------------------------------


@transaction.atomic
def proxy_give(
    *, actor, assembly: Assembly, giver: Voter, holder: Voter | None, to_chair: bool = False
) -> Proxy:
    """Record a proxy: `giver` is represented by `holder`, or by the chair.

    The holder's row is locked while their proxies are counted, so two proxies
    given at once cannot take them past the statutes' cap."""
    assembly = Assembly.objects.select_for_update().get(pk=assembly.pk)
    if not assembly.is_open_for_votes:
        raise ValidationError(_("Proxies are given between the convocation and the close."))
    if giver.assembly_id != assembly.pk or (
        holder is not None and holder.assembly_id != assembly.pk
    ):
        raise ValidationError(_("Both members must be voters of this assembly."))
    if to_chair:
        holder = None
    elif holder is None:
        raise ValidationError(
            {"holder": _("Choose the member who will represent you, or the chair.")}
        )
    if holder is not None:
        holder = Voter.objects.select_for_update().get(pk=holder.pk)
        if holder.pk == giver.pk:
            raise ValidationError({"holder": _("A member cannot hold their own proxy.")})
        if Proxy.objects.filter(giver=holder).exists():
            raise ValidationError(
                {"holder": _("This member is represented themselves and cannot hold a proxy.")}
            )
        held = Proxy.objects.filter(holder=holder).count()
        if held >= assembly.proxy_cap:
            raise ValidationError(
                {
                    "holder": ngettext(
                        "This member already holds %(count)s proxy, the most the statutes allow.",
                        "This member already holds %(count)s proxies, the most the statutes allow.",
                        held,
                    )
                    % {"count": held}
                }
            )
    giver = Voter.objects.select_for_update().get(pk=giver.pk)
    if Proxy.objects.filter(holder=giver).exists():
        raise ValidationError(_("This member holds proxies and cannot give theirs."))
    if VoteRecord.objects.filter(voter=giver).exists():
        raise ValidationError(_("This member has already voted: a proxy can no longer be given."))
    try:
        with transaction.atomic():
            proxy = Proxy.objects.create(
                assembly=assembly,
                giver=giver,
                holder=holder,
                to_chair=to_chair,
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError as exc:
        raise ValidationError(_("This member has already given a proxy.")) from exc
    Voter.objects.filter(pk=giver.pk).update(attendance=Voter.Attendance.REPRESENTED)
    chain_append(
        assembly=assembly,
        kind="proxy",
        payload={
            "giver": giver.member.number,
            "holder": holder.member.number if holder else None,
            "to_chair": to_chair,
        },
    )
    audit_log(
        actor=actor,
        organisation=assembly.organisation,
        action="governance.proxy_give",
        target=assembly,
        details={
            "giver": str(giver.member),
            "holder": str(holder.member) if holder else _("the chair"),
        },
    )
    return proxy


@transaction.atomic
def attendance_set(*, actor, voter: Voter, attendance: str) -> Voter:
    """The bureau marks a voter present, postal or absent (not once represented)."""
    assembly = Assembly.objects.select_for_update().get(pk=voter.assembly_id)
    if not assembly.is_open_for_votes:
        raise ValidationError(_("Attendance is taken while the assembly is open."))
    if attendance not in {
        Voter.Attendance.PRESENT,
        Voter.Attendance.POSTAL,
        Voter.Attendance.ABSENT,
        Voter.Attendance.REMOTE,
    }:
        raise ValidationError(_("Choose present, remote, postal vote or absent."))
    voter = Voter.objects.select_for_update().select_related("member").get(pk=voter.pk)
    if Proxy.objects.filter(giver=voter).exists():
        raise ValidationError(_("This member is represented by a proxy."))
    if voter.attendance == attendance:
        return voter
    voter.attendance = attendance
    voter.save(update_fields=["attendance"])
    chain_append(
        assembly=assembly,
        kind="attendance",
        payload={"member": voter.member.number, "attendance": attendance},
    )
    audit_log(
        actor=actor,
        organisation=assembly.organisation,
        action="governance.attendance_set",
        target=assembly,
        details={"member": str(voter.member), "attendance": attendance},
    )
    return voter


# Ballots --------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    resolution_number: int
    resolution_title: str
    tracker: str


class AlreadyVoted(ValidationError):
    pass


def ballots_cast(
    *,
    assembly: Assembly,
    voter: Voter,
    choices: dict[int, str],
    channel: str,
    acted_by: Voter | None = None,
    recorded_by=None,
) -> list[Receipt]:
    """Cast `voter`'s ballots on some resolutions: {resolution pk: choice}.

    For each resolution, a line in the register of votes (who voted, who acted,
    who recorded) and a ballot with no link to the voter, in one transaction:
    if the voter has already voted on any of them (even at this very moment from
    another connection: the unique constraint decides), nothing is written and
    AlreadyVoted names the resolutions. The database refuses both once the
    assembly is closed (triggers), whatever the code does.
    """
    if not assembly.is_open_for_votes:
        raise ValidationError(_("Voting is closed for this assembly."))
    if voter.assembly_id != assembly.pk:
        raise ValidationError(_("This member is not a voter of this assembly."))
    if not choices:
        raise ValidationError(_("Choose for, against or abstain on at least one resolution."))
    if any(c not in Choice.values for c in choices.values()):
        raise ValidationError(_("Choose for, against or abstain."))
    resolutions = {r.pk: r for r in assembly.resolutions.filter(pk__in=list(choices))}
    if len(resolutions) != len(choices):
        raise ValidationError(_("A resolution is not on this assembly's agenda."))
    now = timezone.now()
    records = [
        VoteRecord(
            resolution_id=pk,
            voter_id=voter.pk,
            acted_by_id=(acted_by or voter).pk,
            recorded_by=recorded_by if getattr(recorded_by, "is_authenticated", False) else None,
            channel=channel,
            created_at=now,
        )
        for pk in choices
    ]
    # Shuffled by tracker so the ballots' order of insertion is not the records' order.
    ballots = sorted(
        (
            Ballot(resolution_id=pk, college_id=voter.college_id, choice=choice)
            for pk, choice in choices.items()
        ),
        key=lambda b: b.tracker,
    )
    try:
        with transaction.atomic():
            VoteRecord.objects.bulk_create(records)
            Ballot.objects.bulk_create(ballots)
            attendance = {
                VoteRecord.Channel.ONLINE: Voter.Attendance.REMOTE,
                VoteRecord.Channel.POSTAL: Voter.Attendance.POSTAL,
                VoteRecord.Channel.IN_PERSON: Voter.Attendance.PRESENT,
            }.get(channel)
            if attendance:
                Voter.objects.filter(pk=voter.pk, attendance=Voter.Attendance.ABSENT).update(
                    attendance=attendance
                )
    except IntegrityError as exc:
        done = sorted(
            resolutions[pk].number
            for pk in VoteRecord.objects.filter(
                voter=voter, resolution_id__in=list(choices)
            ).values_list("resolution_id", flat=True)
        )
        if done:
            raise AlreadyVoted(
                ngettext(
                    "A vote was already recorded for this member on resolution %(numbers)s.",
                    "A vote was already recorded for this member on resolutions %(numbers)s.",
                    len(done),
                )
                % {"numbers": ", ".join(str(n) for n in done)}
            ) from exc
        raise ValidationError(_("Voting is closed for this assembly.")) from exc
    by_pk = {b.resolution_id: b for b in ballots}
    return [
        Receipt(resolutions[pk].number, resolutions[pk].title, by_pk[pk].tracker)
        for pk in sorted(choices, key=lambda pk: resolutions[pk].number)
    ]


def voter_may_act_for(*, holder: Voter, represented: Voter) -> bool:
    """`holder` may vote for `represented`: themselves, a proxy they hold, or a proxy
    to the chair when they are the chair."""
    if holder.pk == represented.pk:
        return not Proxy.objects.filter(giver=holder).exists()
    proxy = Proxy.objects.filter(giver=represented).select_related("assembly").first()
    if proxy is None:
        return False
    if proxy.holder_id == holder.pk:
        return True
    return proxy.to_chair and proxy.assembly.chair_id == holder.pk


# Close and tally ------------------------------------------------------------


@transaction.atomic
def assembly_close(*, actor, assembly: Assembly) -> Assembly:
    """Close the vote: nothing can be added after (the triggers see the status),
    the ballots of each resolution are sealed in the chain, then counted.

    The assembly row is locked FOR UPDATE: on PostgreSQL every ballot's trigger
    takes a KEY SHARE lock on it, so the close waits for ballots being written and
    ballots wait for the close, then are refused."""
    assembly = Assembly.objects.select_for_update().get(pk=assembly.pk)
    if assembly.status != Assembly.Status.CONVENED:
        raise ValidationError(_("Only a convened assembly can be closed."))
    assembly.status = Assembly.Status.CLOSED
    assembly.closed_at = timezone.now()
    assembly.save(update_fields=["status", "closed_at", "updated_at"])
    quorum = quorum_live(assembly=assembly)
    chain_append(
        assembly=assembly,
        kind="closed",
        payload={
            "closed_at": assembly.closed_at.isoformat(),
            "attendance": quorum.by_attendance,
            "seal": ballots_seal(assembly=assembly),
        },
    )
    results = {}
    for resolution in assembly.resolutions.all():
        tally = resolution_tally(resolution=resolution, quorum=quorum)
        resolution.outcome = tally.result.outcome
        resolution.tally = tally.as_json()
        resolution.save(update_fields=["outcome", "tally"])
        results[str(resolution.number)] = {
            "outcome": resolution.outcome,
            "counts": resolution.tally["colleges"],
        }
    chain_append(
        assembly=assembly,
        kind="tally",
        payload={
            "quorum_met": quorum.met,
            "present": quorum.counted,
            "voters": quorum.total,
            "results": results,
        },
    )
    audit_log(
        actor=actor,
        organisation=assembly.organisation,
        action="governance.assembly_close",
        target=assembly,
        details={"quorum_met": quorum.met},
    )
    return assembly


@transaction.atomic
def minutes_publish(*, actor, assembly: Assembly, note: str = "") -> Assembly:
    assembly = Assembly.objects.select_for_update().get(pk=assembly.pk)
    if not assembly.is_closed:
        raise ValidationError(_("The minutes are published after the close."))
    assembly.minutes_note = note
    assembly.minutes_published_at = assembly.minutes_published_at or timezone.now()
    assembly.full_clean()
    assembly.save(update_fields=["minutes_note", "minutes_published_at", "updated_at"])
    chain_append(
        assembly=assembly,
        kind="minutes",
        payload={"published_at": assembly.minutes_published_at.isoformat()},
    )
    audit_log(
        actor=actor,
        organisation=assembly.organisation,
        action="governance.minutes_publish",
        target=assembly,
    )
    recipients = [
        v.member.user
        for v in assembly.voters.filter(member__user__isnull=False).select_related("member__user")
    ]
    if recipients:
        notify(
            recipients=recipients,
            title=lazy_message(
                gettext_lazy("The minutes of the assembly « %(title)s » are published"),
                title=assembly.title,
            ),
            url=assembly_member_url(assembly),
            organisation=assembly.organisation,
        )
    return assembly


def parse_weight(text: str) -> Decimal:
    try:
        return Decimal(str(text).replace(",", ".").replace("%", "").strip())
    except InvalidOperation as exc:
        raise ValidationError(_("Write the weight as a number, such as 12.5.")) from exc


@transaction.atomic
def paper_vote_record(
    *, actor, assembly: Assembly, voter: Voter, choices: dict[int, str], channel: str
) -> list[Receipt]:
    """The bureau records a vote given in person or by post (the record keeps who
    recorded it; the activity log names the member and the channel, never the choices)."""
    if channel not in {VoteRecord.Channel.IN_PERSON, VoteRecord.Channel.POSTAL}:
        raise ValidationError(_("Choose in person or postal."))
    receipts = ballots_cast(
        assembly=assembly, voter=voter, choices=choices, channel=channel, recorded_by=actor
    )
    audit_log(
        actor=actor,
        organisation=assembly.organisation,
        action="governance.paper_vote",
        target=assembly,
        details={"member": str(voter.member), "channel": str(VoteRecord.Channel(channel).label)},
    )
    return receipts


# Consultations --------------------------------------------------------------

POLL_MIN_OPTIONS = 2
POLL_MAX_OPTIONS = 20


class AlreadyAnswered(ValidationError):
    pass


@transaction.atomic
def poll_create(*, actor, poll: Poll, options: list[str]) -> Poll:
    """A consultation and its options (two to twenty, each once)."""
    labels = [o.strip() for o in options if o.strip()]
    if len(labels) < POLL_MIN_OPTIONS:
        raise ValidationError({"options": _("Give at least two options, one per line.")})
    if len(labels) > POLL_MAX_OPTIONS:
        raise ValidationError(
            {"options": _("Give at most %(n)s options.") % {"n": POLL_MAX_OPTIONS}}
        )
    if len({label.casefold() for label in labels}) != len(labels):
        raise ValidationError({"options": _("Each option may be given only once.")})
    if any(len(label) > 200 for label in labels):
        raise ValidationError({"options": _("An option has at most 200 characters.")})
    if poll.opens_at and poll.closes_at and poll.closes_at <= poll.opens_at:
        raise ValidationError({"closes_at": _("The closing date must come after the opening.")})
    if getattr(actor, "is_authenticated", False):
        poll.created_by = actor
    poll.full_clean()
    poll.save()
    PollOption.objects.bulk_create(
        PollOption(poll=poll, label=label, position=i) for i, label in enumerate(labels)
    )
    # « Consultations » shows in the menu once one has opened (within the menu's cache time).
    menu_changed(organisation=poll.organisation)
    audit_log(
        actor=actor,
        organisation=poll.organisation,
        action="governance.poll_create",
        target=poll,
        details={"count": len(labels)},
    )
    return poll


@transaction.atomic
def poll_close(*, actor, poll: Poll, now=None) -> Poll:
    """Close an open consultation now (its results show at once)."""
    now = now or timezone.now()
    if poll.is_closed(now):
        raise ValidationError(_("This consultation is closed already."))
    if not poll.is_open(now):
        raise ValidationError(_("This consultation is not open yet."))
    Poll.objects.filter(pk=poll.pk).update(closes_at=now)
    poll.closes_at = now
    audit_log(
        actor=actor, organisation=poll.organisation, action="governance.poll_close", target=poll
    )
    return poll


def _poll_marks_check(*, poll: Poll, options: list[PollOption], marks: dict[int, int]) -> None:
    keys = {o.pk for o in options}
    if not set(marks) <= keys:
        raise ValidationError(_("An option is not part of this consultation."))
    if poll.method == Poll.Method.MAJORITY_JUDGMENT:
        if set(marks) != keys:
            raise ValidationError(_("Give a grade to every option."))
        if any(not (0 <= v < GRADE_COUNT) for v in marks.values()):
            raise ValidationError(_("Choose one of the grades offered."))
        return
    if any(v != 1 for v in marks.values()):
        raise ValidationError(_("Choose among the options offered."))
    if poll.method == Poll.Method.SINGLE and len(marks) != 1:
        raise ValidationError(_("Choose one option."))
    if poll.max_choices and len(marks) > poll.max_choices:
        raise ValidationError(
            ngettext(
                "Approve at most %(n)s option.", "Approve at most %(n)s options.", poll.max_choices
            )
            % {"n": poll.max_choices}
        )
    if not marks:
        raise ValidationError(_("Tick at least one option."))


def poll_answer(*, poll: Poll, user, marks: dict[int, int], now=None) -> PollBallot:
    """Record a person's answer: {option pk: grade} for majority judgment (every
    option), {option pk: 1} for the options approved or the one chosen.

    Who answered and what was answered are written apart, in one transaction: if
    the person has answered already (even at this very moment from another
    connection: the unique constraint decides), nothing is written and
    AlreadyAnswered says so."""
    now = now or timezone.now()
    if not poll.is_open(now):
        raise ValidationError(
            _("This consultation is closed.")
            if poll.is_closed(now)
            else _("This consultation is not open yet.")
        )
    options = list(poll.options.all())
    _poll_marks_check(poll=poll, options=options, marks=marks)
    try:
        with transaction.atomic():
            PollParticipation.objects.create(poll=poll, user=user, created_at=now)
            ballot = PollBallot.objects.create(poll=poll)
            PollMark.objects.bulk_create(
                PollMark(ballot=ballot, option_id=pk, value=value)
                for pk, value in sorted(marks.items())
            )
    except IntegrityError as exc:
        raise AlreadyAnswered(_("Your answer to this consultation is recorded already.")) from exc
    return ballot


# Members' space -------------------------------------------------------------


def _clean_text(text: str) -> str:
    return (text or "").strip()


@transaction.atomic
def discussion_start(*, author, organisation: Organisation, title: str, body: str) -> Discussion:
    """A member opens a discussion in the members' space."""
    discussion = Discussion(
        organisation=organisation, author=author, title=_clean_text(title), body=_clean_text(body)
    )
    discussion.full_clean()
    discussion.save()
    return discussion


@transaction.atomic
def discussion_reply(*, author, discussion: Discussion, body: str) -> DiscussionReply:
    """A member replies; the discussion's author is told (not of their own replies)."""
    if discussion.is_hidden:
        raise ValidationError(_("This discussion is hidden: it takes no more replies."))
    reply = DiscussionReply(discussion=discussion, author=author, body=_clean_text(body))
    reply.full_clean()
    reply.save()
    starter = discussion.author
    if starter is not None and starter.pk != getattr(author, "pk", None):
        notify(
            recipients=[starter],
            title=lazy_message(
                gettext_lazy("A new reply in your discussion « %(title)s »"),
                title=discussion.title,
            ),
            url=discussion.get_absolute_url(),
            organisation=discussion.organisation,
        )
    return reply


def organisation_admins(*, organisation: Organisation):
    return User.objects.filter(
        memberships__organisation=organisation, memberships__role=Role.ADMIN, is_active=True
    )


@transaction.atomic
def board_question_ask(
    *, author, organisation: Organisation, title: str, body: str, now=None
) -> BoardQuestion:
    """A member asks the board; the answer is expected within the statutes' delay,
    and the administrators are told."""
    now = now or timezone.now()
    days = statutes_of(organisation=organisation).question_answer_days
    question = BoardQuestion(
        organisation=organisation,
        author=author,
        title=_clean_text(title),
        body=_clean_text(body),
        due_at=now + timedelta(days=days),
    )
    question.full_clean()
    question.save()
    notify(
        recipients=organisation_admins(organisation=organisation),
        title=lazy_message(
            gettext_lazy("A member asks the board: « %(title)s »"), title=question.title
        ),
        body=lazy_message(gettext_lazy("Answer expected by %(date)s."), date=question.due_at),
        url=reverse(
            "governance:question_answer",
            kwargs={"org_slug": organisation.slug, "boardquestion_pk": question.pk},
        ),
        organisation=organisation,
    )
    return question


@transaction.atomic
def board_question_answer(
    *, actor, question: BoardQuestion, answer: str, now=None
) -> BoardQuestion:
    """The board answers in public (an answer can be corrected; the time is the first
    answer's); the person who asked is told."""
    answer = _clean_text(answer)
    if not answer:
        raise ValidationError({"answer": _("Write the board's answer.")})
    first = not question.is_answered
    question.answer = answer
    question.answered_by = actor
    if first:
        question.answered_at = now or timezone.now()
    question.full_clean()
    question.save()
    audit_log(
        actor=actor,
        organisation=question.organisation,
        action="governance.question_answer",
        target=question,
    )
    if first and question.author is not None:
        notify(
            recipients=[question.author],
            title=lazy_message(
                gettext_lazy("The board answered your question « %(title)s »"),
                title=question.title,
            ),
            url=question.get_absolute_url(),
            organisation=question.organisation,
        )
    return question


@transaction.atomic
def member_space_moderate(
    *, actor, item: Discussion | DiscussionReply | BoardQuestion, hide: bool, reason: str = ""
):
    """An administrator hides (with a reason, shown in its place) or shows again a
    discussion, a reply or a question."""
    reason = _clean_text(reason)
    if hide and not reason:
        raise ValidationError({"reason": _("Say why it is hidden: the author will read it.")})
    item.is_hidden = hide
    item.hidden_reason = reason[:300] if hide else ""
    item.full_clean()
    item.save()
    organisation = (
        item.discussion.organisation if isinstance(item, DiscussionReply) else item.organisation
    )
    audit_log(
        actor=actor,
        organisation=organisation,
        action="governance.member_space_hide" if hide else "governance.member_space_show",
        target=item,
    )
    if hide and item.author is not None:
        notify(
            recipients=[item.author],
            title=gettext_lazy("A message of yours in the members' space was hidden"),
            body=untranslated(item.hidden_reason),
            url=(item.discussion if isinstance(item, DiscussionReply) else item).get_absolute_url(),
            organisation=organisation,
        )
    return item


# Elections of seats ---------------------------------------------------------------


@transaction.atomic
def election_create(
    *,
    actor,
    body: Body,
    seats: list[Seat],
    candidates: list[tuple[Member, bool]],
    opens_at,
    closes_at,
    mandates_start_on,
) -> Election:
    """An election of `seats` of `body` among `candidates` ((member, is a user)):
    a consultation of the members, by single choice for one seat, by approval of as
    many candidates as there are seats otherwise. Every candidate must be able to
    hold every seat (same reservation for all of them)."""
    organisation = body.organisation
    if not seats:
        raise ValidationError({"seats": _("Choose the seats to fill.")})
    if any(seat.body_id != body.pk for seat in seats):
        raise ValidationError({"seats": _("Choose seats of this body.")})
    if len({(seat.reserved_for, seat.college_id) for seat in seats}) > 1:
        raise ValidationError({"seats": _("Elect together only seats with the same reservation.")})
    if not candidates:
        raise ValidationError({"candidates": _("Give at least one candidate.")})
    if len({m.pk for m, _u in candidates}) != len(candidates):
        raise ValidationError({"candidates": _("A candidate is given twice.")})
    seat = seats[0]
    for member, is_user in candidates:
        if member.organisation_id != organisation.pk or not member.is_active:
            raise ValidationError(
                {"candidates": _("%(name)s is not an active member.") % {"name": member.name}}
            )
        if seat.reserved_for == Seat.Reserved.COLLEGE and member.college_id != seat.college_id:
            raise ValidationError(
                {
                    "candidates": _("%(name)s is not in the college « %(college)s ».")
                    % {"name": member.name, "college": seat.college}
                }
            )
        if seat.reserved_for == Seat.Reserved.USERS and not is_user:
            raise ValidationError(
                {
                    "candidates": _(
                        "These seats are reserved for users of the services: %(name)s is not one."
                    )
                    % {"name": member.name}
                }
            )
    title = ngettext(
        "Election: %(body)s (%(n)s seat)", "Election: %(body)s (%(n)s seats)", len(seats)
    ) % {"body": body.name, "n": len(seats)}
    poll = poll_create(
        actor=actor,
        poll=Poll(
            organisation=organisation,
            title=title[:200],
            description=", ".join(s.label for s in seats)[:2000],
            method=Poll.Method.SINGLE if len(seats) == 1 else Poll.Method.APPROVAL,
            audience=Poll.Audience.MEMBERS,
            opens_at=opens_at,
            closes_at=closes_at,
            max_choices=len(seats) if len(seats) > 1 else None,
        ),
        options=[f"{m.name} ({m.number})" for m, _u in candidates],
    )
    election = Election(
        organisation=organisation, body=body, poll=poll, mandates_start_on=mandates_start_on
    )
    election.full_clean()
    election.save()
    election.seats.set(seats)
    options = list(poll.options.all())
    Candidate.objects.bulk_create(
        Candidate(election=election, member=m, option=o, is_user=u)
        for (m, u), o in zip(candidates, options, strict=True)
    )
    audit_log(
        actor=actor,
        organisation=organisation,
        action="governance.election_create",
        target=election,
        details={"count": len(seats)},
    )
    return election


def election_winners(*, election: Election, result) -> tuple[list[Candidate], bool]:
    """The candidates elected, best first, and whether a tie for the last seat
    leaves the result to the body to settle (then none is elected automatically)."""
    seats = election.seats.count()
    by_option = {c.option_id: c for c in election.candidates.select_related("member")}
    ranked = [r for r in result.options if r.votes > 0 or result.method == "judgment"]
    winners = ranked[:seats]
    tie = len(ranked) > seats and winners and ranked[seats].votes == winners[-1].votes
    return [by_option[r.key] for r in winners], bool(tie)


@transaction.atomic
def election_fill(*, actor, election: Election, result) -> list[Mandate]:
    """Once the vote is closed: a mandate for each elected candidate on the seats, in
    order, from the election's start date for the body's length of mandate."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    if not election.poll.is_closed():
        raise ValidationError(_("The vote is still open."))
    if election.filled_at is not None:
        raise ValidationError(_("The mandates of this election are recorded already."))
    winners, tie = election_winners(election=election, result=result)
    if tie:
        raise ValidationError(
            _("A tie for the last seat: the body settles it, then records the mandate by hand.")
        )
    if not winners:
        raise ValidationError(_("Nobody was elected."))
    seats = list(election.seats.order_by("position", "pk"))
    mandates = [
        mandate_add(
            actor=actor,
            seat=seat,
            member=candidate.member,
            starts_on=election.mandates_start_on,
            is_user=candidate.is_user,
        )
        for seat, candidate in zip(seats, winners, strict=False)
    ]
    election.filled_at = timezone.now()
    election.save(update_fields=["filled_at", "updated_at"])
    audit_log(
        actor=actor,
        organisation=election.organisation,
        action="governance.election_fill",
        target=election,
        details={"count": len(mandates)},
    )
    return mandates
