"""Writes of the opinions app: conversations, statements, participants, votes,
and the analysis (run in a background task, debounced, stored)."""

from __future__ import annotations

import io
import time
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from faireavec.contributions.models import new_follow_up_code
from faireavec.core.audit import audit_log
from faireavec.core.navigation import menu_changed
from faireavec.opinions import analysis as maths
from faireavec.opinions.models import (
    Analysis,
    Conversation,
    OpinionParticipant,
    Statement,
    Vote,
)
from faireavec.opinions.selectors import vote_arrays

CONVERSATION_FIELDS = (
    "title",
    "question",
    "status",
    "allow_statements",
    "moderation",
    "allow_anonymous",
    "phase",
)


def analysis_debounce() -> timedelta:
    """How long votes gather before the analysis runs (setting OPINIONS_ANALYSIS_DEBOUNCE, seconds)."""
    return timedelta(seconds=getattr(settings, "OPINIONS_ANALYSIS_DEBOUNCE", 10))


# A task that has not run this long after it was due is taken as lost (a
# worker stopped mid-way): the next vote schedules another.
ANALYSIS_STALE = timedelta(minutes=10)


@transaction.atomic
def conversation_create(*, organisation, actor, **fields) -> Conversation:
    conversation = Conversation(organisation=organisation, created_by=actor)
    for name in CONVERSATION_FIELDS:
        if name in fields:
            setattr(conversation, name, fields[name])
    _check_phase(conversation)
    conversation.full_clean()
    conversation.save()
    audit_log(
        actor=actor,
        organisation=organisation,
        action="opinions.conversation_create",
        target=conversation,
    )
    if conversation.status != Conversation.Status.DRAFT:
        menu_changed(organisation=organisation)  # « Opinion maps » may now show
    return conversation


@transaction.atomic
def conversation_update(*, conversation: Conversation, actor, **fields) -> Conversation:
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    changed = []
    for name in CONVERSATION_FIELDS:
        if name in fields and getattr(conversation, name) != fields[name]:
            setattr(conversation, name, fields[name])
            changed.append(name)
    _check_phase(conversation)
    conversation.full_clean()
    conversation.save()
    if changed:
        audit_log(
            actor=actor,
            organisation=conversation.organisation,
            action="opinions.conversation_update",
            target=conversation,
            details={"fields": changed},
        )
    if "status" in changed:
        menu_changed(organisation=conversation.organisation)
    return conversation


def _check_phase(conversation: Conversation) -> None:
    """A conversation is attached only to a phase of its own organisation's initiatives."""
    if (
        conversation.phase_id is not None
        and conversation.phase.initiative.organisation_id != conversation.organisation_id
    ):
        raise ValidationError({"phase": _("Choose a phase from the list.")})


def _refuse_unless_taking_part(conversation: Conversation, field: str | None = None) -> None:
    """Votes and statements only while the conversation is open and its phase allows it."""
    state = conversation.opening_state()
    if state == "open":
        return
    if state == "phase_closed":
        message = _(
            "This opinion map belongs to a phase of an initiative that does not take votes "
            "today: come back while the phase is running."
        )
    else:
        message = _("This conversation is closed: votes are no longer taken.")
    raise ValidationError({field: message} if field else message)


def _clean_text(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"text": _("Write the statement.")})
    return text


def _next_number(model, conversation: Conversation) -> int:
    # Called with the conversation row locked: numbers never collide.
    return (
        model.objects.filter(conversation=conversation).aggregate(m=Max("number"))["m"] or 0
    ) + 1


def _lock(conversation: Conversation) -> Conversation:
    return (
        Conversation.objects.select_for_update()
        .select_related("organisation")
        .get(pk=conversation.pk)
    )


@transaction.atomic
def statement_add(*, conversation: Conversation, actor, text: str) -> Statement:
    """A seed statement written by the organisation: published at once."""
    conversation = _lock(conversation)
    text = _clean_text(text)
    if Statement.objects.filter(conversation=conversation, text__iexact=text).exists():
        raise ValidationError({"text": _("This statement is already in the conversation.")})
    statement = Statement(
        conversation=conversation,
        number=_next_number(Statement, conversation),
        text=text,
        origin=Statement.Origin.SEED,
        status=Statement.Status.ACCEPTED,
        moderated_by=actor,
    )
    statement.full_clean()
    statement.save()
    audit_log(
        actor=actor,
        organisation=conversation.organisation,
        action="opinions.statement_add",
        target=statement,
        details={"conversation": conversation.title},
    )
    return statement


@transaction.atomic
def statement_propose(
    *, conversation: Conversation, participant: OpinionParticipant, text: str
) -> Statement:
    """A participant's statement: awaiting moderation, or published at once
    when the conversation moderates after publication."""
    conversation = _lock(conversation)
    _refuse_unless_taking_part(conversation, "text")
    if not conversation.allow_statements:
        raise ValidationError({"text": _("This conversation does not take new statements.")})
    text = _clean_text(text)
    if Statement.objects.filter(conversation=conversation, text__iexact=text).exists():
        raise ValidationError({"text": _("This statement is already in the conversation.")})
    status = (
        Statement.Status.ACCEPTED
        if conversation.moderation == Conversation.Moderation.POST
        else Statement.Status.PENDING
    )
    statement = Statement(
        conversation=conversation,
        number=_next_number(Statement, conversation),
        text=text,
        origin=Statement.Origin.PARTICIPANT,
        status=status,
        author=participant,
    )
    statement.full_clean()
    statement.save()
    return statement


@transaction.atomic
def statement_moderate(*, statement: Statement, actor, accept: bool) -> Statement:
    """Publish or reject a statement (either way, whatever it was before)."""
    statement = (
        Statement.objects.select_for_update()
        .select_related("conversation__organisation")
        .get(pk=statement.pk)
    )
    new = Statement.Status.ACCEPTED if accept else Statement.Status.REJECTED
    if statement.status == new:
        return statement
    statement.status = new
    statement.moderated_by = actor
    statement.full_clean()
    statement.save()
    audit_log(
        actor=actor,
        organisation=statement.conversation.organisation,
        action="opinions.statement_accept" if accept else "opinions.statement_reject",
        target=statement,
        details={"conversation": statement.conversation.title},
    )
    conversation_id = statement.conversation_id
    transaction.on_commit(lambda: analysis_schedule(conversation_id=conversation_id))
    return statement


@transaction.atomic
def participant_join(*, conversation: Conversation, user=None) -> OpinionParticipant:
    """The person's participation: found by account, or created (with a
    follow-up code when anonymous)."""
    conversation = _lock(conversation)
    if user is not None and user.is_authenticated:
        found = OpinionParticipant.objects.filter(conversation=conversation, user=user).first()
        if found:
            return found
        participant = OpinionParticipant(
            conversation=conversation,
            user=user,
            number=_next_number(OpinionParticipant, conversation),
        )
    else:
        if not conversation.allow_anonymous:
            raise ValidationError(_("Log in to take part in this conversation."))
        code = new_follow_up_code()
        while OpinionParticipant.objects.filter(code=code).exists():
            code = new_follow_up_code()
        participant = OpinionParticipant(
            conversation=conversation,
            code=code,
            number=_next_number(OpinionParticipant, conversation),
        )
    participant.full_clean()
    participant.save()
    return participant


def vote_cast(
    *, participant: OpinionParticipant, statement: Statement, value: int
) -> tuple[Vote, bool]:
    """Record (or change) the person's vote on a statement; (vote, created).

    The database allows one vote per person and statement: two requests at
    once give one row, the second changing it. The analysis is scheduled once
    the vote is committed.
    """
    if value not in (Vote.Value.AGREE, Vote.Value.DISAGREE, Vote.Value.PASS):
        raise ValidationError({"value": _("Choose agree, disagree or pass.")})
    if statement.conversation_id != participant.conversation_id:
        raise ValidationError(_("This statement belongs to another conversation."))
    conversation = statement.conversation
    _refuse_unless_taking_part(conversation)
    if statement.status != Statement.Status.ACCEPTED:
        raise ValidationError(_("This statement is not published."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                vote = Vote.objects.create(
                    conversation_id=statement.conversation_id,
                    statement=statement,
                    voter=participant,
                    value=value,
                )
                created = True
        except IntegrityError:
            vote = Vote.objects.select_for_update().get(statement=statement, voter=participant)
            created = False
            if vote.value != value:
                vote.value = value
                vote.save(update_fields=["value", "updated_at"])
        conversation_id = statement.conversation_id
        transaction.on_commit(lambda: analysis_schedule(conversation_id=conversation_id))
    return vote, created


def analysis_schedule(*, conversation_id: int) -> bool:
    """Enqueue the analysis unless one is already waiting (debounce).

    `analysis_due_at` marks a waiting task: the votes of the next
    `analysis_debounce()` join it. A task lost for `ANALYSIS_STALE` is
    replaced. Returns True when a task was enqueued.
    """
    from faireavec.opinions.tasks import conversation_analyse

    now = timezone.now()
    due = now + analysis_debounce()
    claimed = Conversation.objects.filter(
        Q(analysis_due_at__isnull=True) | Q(analysis_due_at__lt=now - ANALYSIS_STALE),
        pk=conversation_id,
    ).update(analysis_due_at=due)
    if not claimed:
        return False
    task = conversation_analyse
    if task.get_backend().supports_defer and analysis_debounce():
        task = task.using(run_after=due)
    task.enqueue(conversation_id=conversation_id)
    return True


def analysis_run(*, conversation_id: int) -> Analysis:
    """Read the votes, run the analysis and store it (replacing the previous one).

    The waiting mark is cleared first, so votes cast while it runs schedule
    the next run.
    """
    Conversation.objects.filter(pk=conversation_id).update(analysis_due_at=None)
    started = time.perf_counter()
    p, s, v = vote_arrays(conversation_id=conversation_id)
    statement_ids = np.array(
        sorted(
            Statement.objects.filter(
                conversation_id=conversation_id, status=Statement.Status.ACCEPTED
            ).values_list("pk", flat=True)
        ),
        dtype=np.int64,
    )
    result = maths.analyse(maths.vote_matrix(p, s, v, all_statement_ids=statement_ids))
    return analysis_store(conversation_id=conversation_id, result=result, started=started)


def analysis_store(*, conversation_id: int, result: maths.Analysis, started: float) -> Analysis:
    buffer = io.BytesIO()
    np.savez(
        buffer,
        ids=result.participant_ids.astype(np.int64),
        coords=result.coords.astype(np.float32),
        labels=result.labels.astype(np.int8),
    )
    summary = result.to_summary()
    duration = int((time.perf_counter() - started) * 1000)
    with transaction.atomic():
        analysis, _created = Analysis.objects.update_or_create(
            conversation_id=conversation_id,
            defaults={
                "computed_at": timezone.now(),
                "n_votes": result.n_votes,
                "n_participants": len(result.participant_ids),
                "n_groups": result.k,
                "duration_ms": duration,
                "summary": summary,
                "positions": buffer.getvalue(),
            },
        )
    return analysis


def analysis_request(*, conversation: Conversation, actor):
    """A facilitator asks for the map now: a background job with its page."""
    from django.utils.translation import gettext as _

    from faireavec.core.jobs import job_start
    from faireavec.opinions.tasks import conversation_analyse_job

    return job_start(
        organisation=conversation.organisation,
        requested_by=actor,
        label=_("Opinion map « %(title)s »") % {"title": conversation.title},
        total=1,
        task=conversation_analyse_job,
        conversation_id=conversation.pk,
    )
