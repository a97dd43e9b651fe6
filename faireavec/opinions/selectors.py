"""Reads of the opinions app, each scoped to the organisation."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import Count, Q, QuerySet

from faireavec.opinions.models import Analysis, Conversation, OpinionParticipant, Statement, Vote
from faireavec.organisations.models import Organisation


def conversations_of_organisation(*, organisation: Organisation) -> QuerySet[Conversation]:
    return (
        Conversation.objects.filter(organisation=organisation)
        .select_related("organisation")
        .annotate(
            n_statements=Count(
                "statements", filter=Q(statements__status=Statement.Status.ACCEPTED), distinct=True
            ),
            n_pending=Count(
                "statements", filter=Q(statements__status=Statement.Status.PENDING), distinct=True
            ),
        )
    )


def conversations_public(*, organisation: Organisation) -> QuerySet[Conversation]:
    """Open and closed conversations (drafts stay in the back office)."""
    return conversations_of_organisation(organisation=organisation).exclude(
        status=Conversation.Status.DRAFT
    )


def has_public_conversations(*, organisation: Organisation) -> bool:
    return conversations_public(organisation=organisation).exists()


def phases_for_conversations(*, organisation: Organisation):
    """The phases of the organisation's initiatives a conversation may be attached to."""
    from faireavec.processes.selectors import phases_of_organisation

    return phases_of_organisation(organisation=organisation)


def conversations_of_initiative(*, initiative, user) -> list[Conversation]:
    """The open or closed conversations attached to a phase of `initiative` that
    `user` may read (the block on the initiative's page)."""
    conversations = (
        Conversation.objects.filter(
            organisation_id=initiative.organisation_id, phase__initiative=initiative
        )
        .exclude(status=Conversation.Status.DRAFT)
        .select_related("organisation", "phase", "phase__initiative")
        .order_by("phase__position", "pk")
    )
    return [c for c in conversations if user.has_perm("opinions.view_conversation", c)]


def conversation_get(*, organisation: Organisation, pk: int) -> Conversation | None:
    return (
        Conversation.objects.filter(organisation=organisation, pk=pk)
        .select_related("organisation", "phase__initiative__organisation")
        .first()
    )


def statement_get(*, conversation: Conversation, pk: int) -> Statement | None:
    return (
        Statement.objects.filter(conversation=conversation, pk=pk)
        .select_related("conversation")
        .first()
    )


def statements_published(*, conversation: Conversation) -> QuerySet[Statement]:
    return Statement.objects.filter(conversation=conversation, status=Statement.Status.ACCEPTED)


def statements_for_moderation(*, conversation: Conversation) -> QuerySet[Statement]:
    return (
        Statement.objects.filter(conversation=conversation)
        .select_related("author")
        .annotate(n_votes=Count("votes"))
    )


def participant_get(
    *, conversation: Conversation, user=None, code: str = ""
) -> OpinionParticipant | None:
    """The person's participation in this conversation: by account, else by code."""
    if user is not None and user.is_authenticated:
        found = OpinionParticipant.objects.filter(conversation=conversation, user=user).first()
        if found:
            return found
    if code:
        return OpinionParticipant.objects.filter(
            conversation=conversation, code=code, user__isnull=True
        ).first()
    return None


def _shuffle_key(participant_number: int, statement_pk: int) -> bytes:
    return hashlib.blake2b(f"{participant_number}:{statement_pk}".encode(), digest_size=8).digest()


def next_statement(
    *, conversation: Conversation, participant: OpinionParticipant | None
) -> Statement | None:
    """The next published statement this person has not voted on.

    Each person meets the statements in their own order (a hash of their
    number and the statement), so the last statements do not get fewer votes;
    the order is stable, so reloading the page shows the same statement.
    """
    todo = statements_published(conversation=conversation)
    if participant is not None:
        todo = todo.exclude(votes__voter=participant)
    ids = list(todo.values_list("pk", flat=True))
    if not ids:
        return None
    number = participant.number if participant is not None else 0
    chosen = min(ids, key=lambda pk: _shuffle_key(number, pk))
    return Statement.objects.get(pk=chosen)


@dataclass(frozen=True)
class Progress:
    voted: int
    total: int


def participant_progress(
    *, conversation: Conversation, participant: OpinionParticipant | None
) -> Progress:
    total = statements_published(conversation=conversation).count()
    voted = 0
    if participant is not None:
        voted = Vote.objects.filter(
            voter=participant, statement__status=Statement.Status.ACCEPTED
        ).count()
    return Progress(voted=voted, total=total)


def votes_of_participant(*, participant: OpinionParticipant) -> QuerySet[Vote]:
    return (
        Vote.objects.filter(voter=participant, statement__status=Statement.Status.ACCEPTED)
        .select_related("statement")
        .order_by("statement__number")
    )


def analysis_get(*, conversation: Conversation) -> Analysis | None:
    return Analysis.objects.filter(conversation=conversation).first()


def vote_arrays(*, conversation_id: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(participant pks, statement pks, values) of the votes on published statements.

    On PostgreSQL the votes come as one binary value read straight into numpy
    (`_aggregated_votes`: no Python object per vote); elsewhere through the cursor.
    """
    published = np.array(
        sorted(
            Statement.objects.filter(
                conversation_id=conversation_id, status=Statement.Status.ACCEPTED
            ).values_list("pk", flat=True)
        ),
        dtype=np.int64,
    )
    table = Vote._meta.db_table
    if connection.vendor == "postgresql":
        p, s, v = _aggregated_votes(table, conversation_id)
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT voter_id, statement_id, value FROM {table} WHERE conversation_id = %s",  # noqa: S608
                [conversation_id],
            )
            rows = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 3)
        p, s, v = rows[:, 0], rows[:, 1], rows[:, 2]
    keep = np.isin(s, published)
    if not keep.all():
        p, s, v = p[keep], s[keep], v[keep]
    return p, s, v


# One vote as PostgreSQL's binary send functions write it: big-endian int8,
# int8, int2 (18 bytes, no separator).
_VOTE_ROW = np.dtype([("voter", ">i8"), ("statement", ">i8"), ("value", ">i2")])


def _aggregated_votes(
    table: str, conversation_id: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every vote of the conversation in one bytea value built by the server,
    read straight into numpy: one value to fetch instead of a message per row
    (a binary COPY sends one per vote, and reading 690,000 of them costs the
    web process about 0.4 s of CPU; this, about 0.05 s). The order does not
    matter: `analysis.vote_matrix` sorts."""
    sql = (
        "SELECT string_agg(int8send(voter_id::int8) || int8send(statement_id::int8) "  # noqa: S608
        f"|| int2send(value::int2), ''::bytea) FROM {table} WHERE conversation_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [conversation_id])
        data = cursor.fetchone()[0]
    rows = np.frombuffer(bytes(data or b""), dtype=_VOTE_ROW)
    return (
        rows["voter"].astype(np.int64),
        rows["statement"].astype(np.int64),
        rows["value"].astype(np.int64),
    )


@dataclass(frozen=True)
class Positions:
    participant_ids: np.ndarray
    coords: np.ndarray
    labels: np.ndarray


def analysis_positions(analysis: Analysis) -> Positions:
    """Every participant's position and group from the stored analysis."""
    data = np.load(io.BytesIO(bytes(analysis.positions)), allow_pickle=False)
    return Positions(participant_ids=data["ids"], coords=data["coords"], labels=data["labels"])


def participant_position(
    analysis: Analysis, participant: OpinionParticipant | None
) -> tuple[float, float, int] | None:
    """(x, y, group) of this person on the map, or None if they are not on it yet."""
    if participant is None:
        return None
    pos = analysis_positions(analysis)
    i = int(np.searchsorted(pos.participant_ids, participant.pk))
    if i >= len(pos.participant_ids) or pos.participant_ids[i] != participant.pk:
        return None
    return float(pos.coords[i, 0]), float(pos.coords[i, 1]), int(pos.labels[i])
