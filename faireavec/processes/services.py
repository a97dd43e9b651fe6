"""Every write on initiatives, their phases, their proposals and who follows them.

Views only parse input and call these; each change is audited in the same
transaction and followers are told through core notifications (their digest
choice respected by `notify`).
"""

from collections.abc import Collection
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faireavec.contributions.models import Kind
from faireavec.contributions.services import contribution_create
from faireavec.core.audit import audit_log
from faireavec.core.i18n import lazy_message
from faireavec.core.navigation import menu_changed
from faireavec.core.notifications import notify
from faireavec.organisations.models import Organisation
from faireavec.processes.models import (
    Action,
    Initiative,
    InitiativeFollow,
    InitiativeProposal,
    Phase,
    local_date,
)
from faireavec.processes.selectors import phase_allows, phase_current, proposal_figures_forget

INITIATIVE_FIELDS = (
    "title",
    "slug",
    "purpose",
    "question",
    "involvement_level",
    "decided_with_participants",
    "decided_by_organisation",
    "follow_up_promise",
    "follow_up_due_on",
    "follow_up_done_on",
    "audience",
    "what_happened",
)
INITIATIVE_RELATIONS = ("needs", "stakeholders", "invited")
PHASE_FIELDS = (
    "kind",
    "title",
    "description",
    "position",
    "starts_on",
    "ends_on",
    *(f"allows_{action}" for action in Action.values),
)

# The default path of an initiative: identify needs → co-design → experiment →
# evaluate → spread, with what each phase usually allows and its usual length in
# weeks. The facilitator changes any of it afterwards.
DEFAULT_PHASES = (
    (
        Phase.Kind.IDENTIFY_NEEDS,
        gettext_lazy("Identify needs"),
        6,
        {"propose", "comment", "support", "answer_survey", "register_meeting"},
    ),
    (
        Phase.Kind.CO_DESIGN,
        gettext_lazy("Co-design"),
        8,
        {"propose", "comment", "support", "register_meeting"},
    ),
    (Phase.Kind.EXPERIMENT, gettext_lazy("Experiment"), 12, {"comment", "register_meeting"}),
    (
        Phase.Kind.EVALUATE,
        gettext_lazy("Evaluate"),
        6,
        {"comment", "answer_survey", "register_meeting"},
    ),
    (Phase.Kind.SPREAD, gettext_lazy("Spread"), 8, set()),
)
DEFAULT_PHASE_DESCRIPTIONS = {
    Phase.Kind.IDENTIFY_NEEDS: gettext_lazy(
        "We listen: what is missing, what does not work, for whom."
    ),
    Phase.Kind.CO_DESIGN: gettext_lazy("We imagine solutions together and choose which to try."),
    Phase.Kind.EXPERIMENT: gettext_lazy("We try the chosen solution for real, on a small scale."),
    Phase.Kind.EVALUATE: gettext_lazy("We look together at what worked, and what did not."),
    Phase.Kind.SPREAD: gettext_lazy("We extend what worked, and we tell everyone what we did."),
}


def _only(data: dict[str, Any], allowed: Collection[str]) -> dict[str, Any]:
    unknown = set(data).difference(allowed)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    return data


def _check_same_organisation(organisation: Organisation, relations: dict[str, Any]) -> None:
    """Needs, stakeholders linked to an initiative belong to its organisation; people
    invited belong to it too (any role)."""
    from faireavec.organisations.models import Membership

    for name in ("needs", "stakeholders"):
        for obj in relations.get(name, ()):
            if obj.organisation_id != organisation.pk:
                raise ValidationError({name: _("Choose among your organisation's own.")})
    invited = list(relations.get("invited", ()))
    if invited:
        known = set(
            Membership.objects.filter(organisation=organisation, user__in=invited).values_list(
                "user_id", flat=True
            )
        )
        if any(user.pk not in known for user in invited):
            raise ValidationError({"invited": _("Choose among the people of your organisation.")})


def _set_relations(initiative: Initiative, relations: dict[str, Any]) -> list[str]:
    changed = []
    for name in INITIATIVE_RELATIONS:
        if name in relations:
            new = {obj.pk for obj in relations[name]}
            if new != set(getattr(initiative, name).values_list("pk", flat=True)):
                changed.append(name)
            getattr(initiative, name).set(relations[name])
    return changed


def default_phases(*, starts_on: date) -> list[dict[str, Any]]:
    """The default phases as data, one after the other from `starts_on`."""
    phases = []
    start = starts_on
    for position, (kind, title, weeks, allows) in enumerate(DEFAULT_PHASES, start=1):
        end = start + timedelta(weeks=weeks) - timedelta(days=1)
        phases.append(
            {
                "kind": kind,
                "title": str(title),
                "description": str(DEFAULT_PHASE_DESCRIPTIONS[kind]),
                "position": position,
                "starts_on": start,
                "ends_on": end,
                **{f"allows_{action}": action in allows for action in Action.values},
            }
        )
        start = end + timedelta(days=1)
    return phases


@transaction.atomic
def initiative_create(
    *,
    actor,
    organisation: Organisation,
    data: dict[str, Any],
    relations: dict[str, Any] | None = None,
    phases_from: date | None = None,
) -> Initiative:
    """Start an initiative (a draft). With `phases_from`, it gets the default phases
    (identify needs → co-design → experiment → evaluate → spread) from that day."""
    relations = _only(relations or {}, INITIATIVE_RELATIONS)
    initiative = Initiative(
        organisation=organisation, created_by=actor, **_only(data, INITIATIVE_FIELDS)
    )
    initiative.full_clean()
    _check_same_organisation(organisation, relations)
    try:
        with transaction.atomic():
            initiative.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"slug": _("Another initiative already has this short name.")}
        ) from exc
    _set_relations(initiative, relations)
    if phases_from is not None:
        for phase_data in default_phases(starts_on=phases_from):
            phase = Phase(initiative=initiative, **phase_data)
            phase.full_clean()
            phase.save()
    audit_log(actor=actor, organisation=organisation, action="initiative.create", target=initiative)
    return initiative


@transaction.atomic
def initiative_update(
    *,
    actor,
    initiative: Initiative,
    data: dict[str, Any],
    relations: dict[str, Any] | None = None,
) -> Initiative:
    relations = _only(relations or {}, INITIATIVE_RELATIONS)
    changed = []
    for field, value in _only(data, INITIATIVE_FIELDS).items():
        if getattr(initiative, field) != value:
            changed.append(field)
            setattr(initiative, field, value)
    initiative.full_clean()
    _check_same_organisation(initiative.organisation, relations)
    try:
        with transaction.atomic():
            initiative.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"slug": _("Another initiative already has this short name.")}
        ) from exc
    changed += _set_relations(initiative, relations)
    audit_log(
        actor=actor,
        organisation=initiative.organisation,
        action="initiative.update",
        target=initiative,
        details={"fields": sorted(changed)},
    )
    return initiative


@transaction.atomic
def initiative_set_status(*, actor, initiative: Initiative, status: str) -> Initiative:
    """Publish a draft, close a published initiative, or reopen a closed one.
    Publishing needs at least one phase; followers are told of a closing."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    allowed = {
        Initiative.Status.DRAFT: {Initiative.Status.PUBLISHED},
        Initiative.Status.PUBLISHED: {Initiative.Status.CLOSED, Initiative.Status.DRAFT},
        Initiative.Status.CLOSED: {Initiative.Status.PUBLISHED},
    }
    if status not in allowed[initiative.status]:
        raise ValidationError(_("This initiative cannot move to that status."))
    if status == Initiative.Status.PUBLISHED and not initiative.phases.exists():
        raise ValidationError(_("Add at least one phase before publishing the initiative."))
    previous = initiative.status
    initiative.status = status
    initiative.full_clean()
    initiative.save(update_fields=["status", "updated_at"])
    audit_log(
        actor=actor,
        organisation=initiative.organisation,
        action="initiative.status",
        target=initiative,
        details={"from": previous, "to": status},
    )
    menu_changed(organisation=initiative.organisation)  # « Démarches » joins or leaves the menu
    if status == Initiative.Status.CLOSED:
        initiative_notify_followers(
            initiative=initiative,
            title=lazy_message(
                gettext_lazy("« %(title)s » is over: read what came of it"),
                title=initiative.title,
            ),
            url=initiative.get_absolute_url(),
        )
    return initiative


@transaction.atomic
def initiative_delete(*, actor, initiative: Initiative) -> None:
    audit_log(
        actor=actor,
        organisation=initiative.organisation,
        action="initiative.delete",
        target=initiative,
        details={"title": initiative.title},
    )
    initiative.delete()
    menu_changed(organisation=initiative.organisation)


# Phases -------------------------------------------------------------------


@transaction.atomic
def phase_create(*, actor, initiative: Initiative, data: dict[str, Any]) -> Phase:
    data = dict(_only(data, PHASE_FIELDS))
    if not data.get("position"):
        last = initiative.phases.aggregate(last=Max("position"))["last"] or 0
        data["position"] = last + 1
    phase = Phase(initiative=initiative, **data)
    phase.full_clean()
    phase.save()
    audit_log(
        actor=actor,
        organisation=initiative.organisation,
        action="phase.create",
        target=phase,
        details={"initiative": initiative.title},
    )
    return phase


@transaction.atomic
def phase_update(*, actor, phase: Phase, data: dict[str, Any]) -> Phase:
    changed = []
    for field, value in _only(data, PHASE_FIELDS).items():
        if getattr(phase, field) != value:
            changed.append(field)
            setattr(phase, field, value)
    phase.full_clean()
    phase.save()
    audit_log(
        actor=actor,
        organisation=phase.initiative.organisation,
        action="phase.update",
        target=phase,
        details={"initiative": phase.initiative.title, "fields": sorted(changed)},
    )
    return phase


@transaction.atomic
def phase_delete(*, actor, phase: Phase) -> None:
    audit_log(
        actor=actor,
        organisation=phase.initiative.organisation,
        action="phase.delete",
        target=phase,
        details={"initiative": phase.initiative.title, "title": phase.title},
    )
    phase.delete()


# Followers ----------------------------------------------------------------


@transaction.atomic
def initiative_follow(*, user, initiative: Initiative) -> InitiativeFollow:
    """`user` follows the initiative (once: following twice changes nothing)."""
    follow, _created = InitiativeFollow.objects.get_or_create(initiative=initiative, user=user)
    return follow


@transaction.atomic
def initiative_unfollow(*, user, initiative: Initiative) -> None:
    InitiativeFollow.objects.filter(initiative=initiative, user=user).delete()


def initiative_notify_followers(
    *, initiative: Initiative, title, body="", url: str = "", exclude=()
) -> int:
    """Tell the initiative's followers `title` (lazy text, see `notify`), except the
    people in `exclude`. For the apps above too: a new meeting, a new survey in the
    initiative (`from faireavec.processes.services import initiative_notify_followers`).
    Returns how many people were told."""
    from faireavec.accounts.models import User

    excluded = {user.pk for user in exclude}
    recipients = [
        user
        for user in User.objects.filter(
            initiative_follows__initiative=initiative, is_active=True
        ).order_by("pk")
        if user.pk not in excluded
    ]
    if recipients:
        notify(
            recipients=recipients,
            title=title,
            body=body,
            url=url or initiative.get_absolute_url(),
            organisation=initiative.organisation,
        )
    return len(recipients)


# Proposals -----------------------------------------------------------------


@transaction.atomic
def proposal_create(
    *,
    initiative: Initiative,
    title: str,
    body: str,
    author=None,
    show_author_name: bool = False,
    when=None,
) -> InitiativeProposal:
    """A proposal (a contribution of kind « proposal ») in the phase running on the day
    of `when`, refused unless that phase allows proposing. It is public at once, for
    others to support and comment on while the phase allows it; moderation works
    afterwards, as for public ideas (reports, the moderation queue). Who may propose
    (the initiative's audience, an account or not) is the view's permission check."""
    phase = phase_current(initiative=initiative, when=when)
    if not phase_allows(phase=phase, action=Action.PROPOSE, when=when):
        raise ValidationError(_("Proposals are closed in this initiative at this stage."))
    contribution = contribution_create(
        organisation=initiative.organisation,
        kind=Kind.PROPOSAL,
        title=title,
        body=body,
        author=author,
        show_author_name=show_author_name,
        is_public=True,
    )
    link = InitiativeProposal(initiative=initiative, phase=phase, contribution=contribution)
    link.full_clean()
    link.save()
    proposal_figures_forget(initiative=initiative)
    return link


# Phase changes -------------------------------------------------------------


def phases_announce_started(*, when=None) -> int:
    """Tell the followers of each published initiative about each phase that has
    started and is still running, once (`started_notice_sent_at` is claimed by an
    update before anyone is told, so two runs at once tell nobody twice). A phase
    that ended before anyone was told is marked without a message: old news.
    Returns how many phases were announced."""
    day = local_date(when)
    now = timezone.now()
    Phase.objects.filter(started_notice_sent_at__isnull=True, ends_on__lt=day).update(
        started_notice_sent_at=now
    )
    due = (
        Phase.objects.filter(
            started_notice_sent_at__isnull=True,
            starts_on__lte=day,
            ends_on__gte=day,
            initiative__status=Initiative.Status.PUBLISHED,
        )
        .select_related("initiative__organisation")
        .order_by("initiative_id", "position", "pk")
    )
    announced = 0
    for phase in due:
        with transaction.atomic():
            claimed = Phase.objects.filter(pk=phase.pk, started_notice_sent_at__isnull=True).update(
                started_notice_sent_at=now
            )
            if not claimed:
                continue
            initiative = phase.initiative
            initiative_notify_followers(
                initiative=initiative,
                title=lazy_message(
                    gettext_lazy("« %(initiative)s »: the phase « %(phase)s » has started"),
                    initiative=initiative.title,
                    phase=phase.title,
                ),
                body=lazy_message(
                    gettext_lazy("It runs until %(end)s. Read what you can do in it."),
                    end=phase.ends_on,
                ),
                url=initiative.get_absolute_url(),
            )
            announced += 1
    return announced
