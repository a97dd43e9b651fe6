import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django_tasks_db.models import DBTaskResult

from faireavec.opinions.models import Conversation, Statement, Vote
from faireavec.opinions.selectors import analysis_positions, next_statement, vote_arrays
from faireavec.opinions.services import (
    analysis_run,
    analysis_schedule,
    participant_join,
    statement_add,
    statement_moderate,
    statement_propose,
    vote_cast,
)
from faireavec.opinions.tests.factories import ConversationFactory, StatementFactory

pytestmark = pytest.mark.django_db


def _conversation_with_votes(org, n_people=30, n_statements=8):
    """Two camps: the first half agrees with odd statements, the other with even ones."""
    conversation = ConversationFactory(organisation=org)
    statements = [
        StatementFactory(conversation=conversation, number=i + 1) for i in range(n_statements)
    ]
    for person in range(n_people):
        participant = participant_join(conversation=conversation)
        for i, statement in enumerate(statements):
            camp = person < n_people // 2
            value = 1 if (i % 2 == 0) == camp else -1
            vote_cast(participant=participant, statement=statement, value=value)
    return conversation, statements


def test_one_vote_per_person_and_statement_changing_ones_mind_updates_it(org):
    statement = StatementFactory(conversation=ConversationFactory(organisation=org))
    participant = participant_join(conversation=statement.conversation)
    _first, created = vote_cast(participant=participant, statement=statement, value=1)
    assert created
    _vote, created = vote_cast(participant=participant, statement=statement, value=-1)
    assert not created
    assert Vote.objects.get().value == -1
    with pytest.raises(IntegrityError):
        Vote.objects.create(
            conversation=statement.conversation, statement=statement, voter=participant, value=0
        )


def test_the_database_refuses_a_vote_other_than_agree_disagree_pass(org):
    statement = StatementFactory(conversation=ConversationFactory(organisation=org))
    participant = participant_join(conversation=statement.conversation)
    with pytest.raises(ValidationError):
        vote_cast(participant=participant, statement=statement, value=2)
    with pytest.raises(IntegrityError):
        Vote.objects.create(
            conversation=statement.conversation, statement=statement, voter=participant, value=5
        )


def test_no_vote_on_a_closed_conversation_or_an_unpublished_statement(org):
    conversation = ConversationFactory(organisation=org)
    pending = StatementFactory(conversation=conversation, status=Statement.Status.PENDING)
    participant = participant_join(conversation=conversation)
    with pytest.raises(ValidationError):
        vote_cast(participant=participant, statement=pending, value=1)
    published = StatementFactory(conversation=conversation)
    Conversation.objects.filter(pk=conversation.pk).update(status=Conversation.Status.CLOSED)
    published.conversation.refresh_from_db()
    with pytest.raises(ValidationError):
        vote_cast(participant=participant, statement=published, value=1)
    assert not Vote.objects.exists()


def test_anonymous_participants_get_a_follow_up_code_unless_the_conversation_refuses_them(
    org, people
):
    conversation = ConversationFactory(organisation=org)
    anonymous = participant_join(conversation=conversation)
    assert len(anonymous.code) == 10 and anonymous.user is None
    known = participant_join(conversation=conversation, user=people["member"])
    assert known.code is None
    assert participant_join(conversation=conversation, user=people["member"]) == known
    assert [anonymous.number, known.number] == [1, 2]
    closed_to_visitors = ConversationFactory(organisation=org, allow_anonymous=False)
    with pytest.raises(ValidationError):
        participant_join(conversation=closed_to_visitors)


def test_proposed_statements_wait_for_moderation_or_show_at_once(org, people):
    pre = ConversationFactory(organisation=org, moderation=Conversation.Moderation.PRE)
    post = ConversationFactory(organisation=org, moderation=Conversation.Moderation.POST)
    s1 = statement_propose(
        conversation=pre, participant=participant_join(conversation=pre), text="  Plus   de bancs  "
    )
    s2 = statement_propose(
        conversation=post, participant=participant_join(conversation=post), text="Plus de bancs"
    )
    assert (s1.status, s1.text) == (Statement.Status.PENDING, "Plus de bancs")
    assert s2.status == Statement.Status.ACCEPTED
    with pytest.raises(ValidationError):
        statement_propose(conversation=post, participant=s2.author, text="plus de bancs")
    statement_moderate(statement=s1, actor=people["facilitator"], accept=True)
    s1.refresh_from_db()
    assert s1.status == Statement.Status.ACCEPTED and s1.moderated_by == people["facilitator"]
    no_statements = ConversationFactory(organisation=org, allow_statements=False)
    with pytest.raises(ValidationError):
        statement_propose(
            conversation=no_statements,
            participant=participant_join(conversation=no_statements),
            text="x",
        )


def test_seed_statements_are_numbered_in_order(org, people):
    conversation = ConversationFactory(organisation=org)
    a = statement_add(conversation=conversation, actor=people["admin"], text="Un")
    b = statement_add(conversation=conversation, actor=people["admin"], text="Deux")
    assert (a.number, b.number) == (1, 2)
    with pytest.raises(ValidationError):
        statement_add(conversation=conversation, actor=people["admin"], text="   ")


def test_each_person_gets_every_statement_once(org):
    conversation = ConversationFactory(organisation=org)
    statements = {StatementFactory(conversation=conversation).pk for _ in range(4)}
    participant = participant_join(conversation=conversation)
    seen = set()
    while (
        statement := next_statement(conversation=conversation, participant=participant)
    ) is not None:
        seen.add(statement.pk)
        vote_cast(participant=participant, statement=statement, value=0)
    assert seen == statements


def test_the_analysis_is_debounced_and_queued_in_the_database(org):
    conversation = ConversationFactory(organisation=org)
    before = DBTaskResult.objects.count()
    assert analysis_schedule(conversation_id=conversation.pk) is True
    assert analysis_schedule(conversation_id=conversation.pk) is False
    assert DBTaskResult.objects.count() == before + 1
    conversation.refresh_from_db()
    assert conversation.analysis_due_at is not None
    analysis_run(conversation_id=conversation.pk)
    assert analysis_schedule(conversation_id=conversation.pk) is True


def test_votes_schedule_the_analysis_once_committed(org, django_capture_on_commit_callbacks):
    statement = StatementFactory(conversation=ConversationFactory(organisation=org))
    participant = participant_join(conversation=statement.conversation)
    before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        vote_cast(participant=participant, statement=statement, value=1)
    with django_capture_on_commit_callbacks(execute=True):
        vote_cast(participant=participant, statement=statement, value=-1)
    assert DBTaskResult.objects.count() == before + 1


def test_the_stored_analysis_finds_the_two_camps_and_is_the_same_each_time(org):
    conversation, _statements = _conversation_with_votes(org)
    first = analysis_run(conversation_id=conversation.pk)
    assert first.n_votes == 30 * 8 and first.n_groups == 2
    summary, positions = first.summary, bytes(first.positions)
    second = analysis_run(conversation_id=conversation.pk)
    assert second.pk == first.pk
    assert second.summary == summary and bytes(second.positions) == positions
    pos = analysis_positions(second)
    camp_of = {p.pk: p.number <= 15 for p in conversation.voters.all()}
    labels = {
        int(pid): int(label) for pid, label in zip(pos.participant_ids, pos.labels, strict=True)
    }
    assert len({labels[pid] for pid, camp in camp_of.items() if camp}) == 1
    assert {labels[pid] for pid, camp in camp_of.items() if camp} != {
        labels[pid] for pid, camp in camp_of.items() if not camp
    }


def test_rejected_statements_leave_the_analysis(org, people):
    conversation, statements = _conversation_with_votes(org, n_people=10, n_statements=4)
    statement_moderate(statement=statements[0], actor=people["admin"], accept=False)
    p, s, v = vote_arrays(conversation_id=conversation.pk)
    assert len(p) == 30 and statements[0].pk not in set(s.tolist())
    assert set(np.unique(v).tolist()) <= {-1, 0, 1}


def test_the_analysis_waits_for_the_debounce_then_the_task_stores_it(org, settings):
    """Votes gather for OPINIONS_ANALYSIS_DEBOUNCE seconds: the queued task runs
    no earlier, and when it runs it stores the map from every vote so far."""
    from datetime import timedelta

    from django.utils import timezone

    from faireavec.opinions.models import Analysis
    from faireavec.opinions.tasks import conversation_analyse

    settings.OPINIONS_ANALYSIS_DEBOUNCE = 30
    conversation, _statements = _conversation_with_votes(org, n_people=12, n_statements=6)
    Conversation.objects.filter(pk=conversation.pk).update(analysis_due_at=None)
    before = timezone.now()
    assert analysis_schedule(conversation_id=conversation.pk) is True
    queued = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert queued.run_after >= before + timedelta(seconds=29)
    assert not DBTaskResult.objects.ready().filter(pk=queued.pk).exists()
    assert conversation_analyse.call(conversation_id=conversation.pk) == 12 * 6
    assert Analysis.objects.get(conversation=conversation).n_votes == 12 * 6
    conversation.refresh_from_db()
    assert conversation.analysis_due_at is None


def test_votes_cast_while_the_analysis_runs_schedule_the_next_run(org):
    """The waiting mark is cleared when a run starts: a vote arriving during the
    run queues another, so no vote is left out of the map for long."""
    conversation, _statements = _conversation_with_votes(org, n_people=6, n_statements=4)
    Conversation.objects.filter(pk=conversation.pk).update(analysis_due_at=timezone_now())
    assert analysis_schedule(conversation_id=conversation.pk) is False  # one is waiting
    analysis_run(conversation_id=conversation.pk)
    assert analysis_schedule(conversation_id=conversation.pk) is True


def test_a_lost_task_is_replaced_after_a_while(org):
    """A task that never ran (a worker stopped) does not block the map forever."""
    from faireavec.opinions.services import ANALYSIS_STALE

    conversation = ConversationFactory(organisation=org)
    Conversation.objects.filter(pk=conversation.pk).update(
        analysis_due_at=timezone_now() - ANALYSIS_STALE * 2
    )
    assert analysis_schedule(conversation_id=conversation.pk) is True


def test_the_stored_map_does_not_depend_on_the_order_votes_arrived(org):
    """Same votes cast in another order (other participants' ids, other times):
    the stored summary and positions are identical once ids are read as numbers."""
    first, _ = _conversation_with_votes(org, n_people=16, n_statements=6)
    a = analysis_run(conversation_id=first.pk)
    second = ConversationFactory(organisation=org)
    statements = [StatementFactory(conversation=second, number=i + 1) for i in range(6)]
    people = [participant_join(conversation=second) for _ in range(16)]
    for i in reversed(range(6)):
        for person in reversed(range(16)):
            camp = person < 8
            vote_cast(
                participant=people[person],
                statement=statements[i],
                value=1 if (i % 2 == 0) == camp else -1,
            )
    b = analysis_run(conversation_id=second.pk)
    assert a.n_groups == b.n_groups == 2
    pa, pb = analysis_positions(a), analysis_positions(b)
    assert np.array_equal(pa.coords, pb.coords) and np.array_equal(pa.labels, pb.labels)
    assert [g["size"] for g in a.summary["groups"]] == [g["size"] for g in b.summary["groups"]]
    assert a.summary["silhouettes"] == b.summary["silhouettes"]


def timezone_now():
    from django.utils import timezone

    return timezone.now()


def test_the_vote_arrays_are_the_votes_of_published_statements(org, people):
    """The fast read (one aggregated value on PostgreSQL, the cursor elsewhere)
    gives exactly the votes the ORM sees, passes and disagreements included."""
    conversation, statements = _conversation_with_votes(org, n_people=7, n_statements=5)
    participant = conversation.voters.first()
    vote_cast(participant=participant, statement=statements[1], value=0)
    statement_moderate(statement=statements[4], actor=people["admin"], accept=False)
    p, s, v = vote_arrays(conversation_id=conversation.pk)
    expected = set(
        Vote.objects.filter(
            conversation=conversation, statement__status=Statement.Status.ACCEPTED
        ).values_list("voter_id", "statement_id", "value")
    )
    assert set(zip(p.tolist(), s.tolist(), v.tolist(), strict=True)) == expected
    assert len(p) == len(expected) == 7 * 4
    empty = ConversationFactory(organisation=org)
    assert all(len(x) == 0 for x in vote_arrays(conversation_id=empty.pk))
