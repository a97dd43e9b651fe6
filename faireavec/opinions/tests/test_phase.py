"""A conversation attached to a phase of an initiative takes votes and statements
only while the phase allows voting on an opinion map, and shows on the
initiative's page."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from faireavec.opinions.models import Vote
from faireavec.opinions.services import (
    conversation_update,
    participant_join,
    statement_propose,
    vote_cast,
)
from faireavec.opinions.tests.factories import ConversationFactory, StatementFactory
from faireavec.processes.tests.factories import InitiativeFactory, PhaseFactory

pytestmark = pytest.mark.django_db


def _phase(org, *, allows=True, days=(-2, 5)):
    today = timezone.localdate()
    return PhaseFactory(
        initiative=InitiativeFactory(organisation=org),
        allows_vote_opinion=allows,
        starts_on=today + timedelta(days=days[0]),
        ends_on=today + timedelta(days=days[1]),
    )


def test_an_open_phase_that_allows_voting_takes_votes_and_statements(org):
    statement = StatementFactory(conversation=ConversationFactory(organisation=org))
    conversation = conversation_update(
        conversation=statement.conversation, actor=None, phase=_phase(org)
    )
    assert conversation.opening_state() == "open"
    participant = participant_join(conversation=conversation)
    statement.refresh_from_db()
    vote_cast(participant=participant, statement=statement, value=1)
    statement_propose(conversation=conversation, participant=participant, text="Plus de bancs")
    assert Vote.objects.count() == 1


@pytest.mark.parametrize(("allows", "days"), [(False, (-2, 5)), (True, (-9, -3)), (True, (2, 9))])
def test_outside_its_phase_a_conversation_takes_no_vote_nor_statement(org, people, allows, days):
    statement = StatementFactory(conversation=ConversationFactory(organisation=org))
    conversation = conversation_update(
        conversation=statement.conversation,
        actor=None,
        phase=_phase(org, allows=allows, days=days),
    )
    assert conversation.opening_state() == "phase_closed"
    assert not people["participant"].has_perm("opinions.take_part_conversation", conversation)
    participant = participant_join(conversation=conversation)
    statement.refresh_from_db()
    with pytest.raises(ValidationError, match="phase"):
        vote_cast(participant=participant, statement=statement, value=1)
    with pytest.raises(ValidationError, match="phase"):
        statement_propose(conversation=conversation, participant=participant, text="Plus de bancs")
    assert Vote.objects.count() == 0


def test_a_phase_of_another_organisation_is_refused(org, other_org):
    conversation = ConversationFactory(organisation=org)
    with pytest.raises(ValidationError):
        conversation_update(conversation=conversation, actor=None, phase=_phase(other_org))


def test_the_conversation_shows_on_the_initiatives_page_and_says_when_closed(org, client_for):
    phase = _phase(org)
    conversation = ConversationFactory(organisation=org, title="Carte des horaires")
    conversation_update(conversation=conversation, actor=None, phase=phase)
    url = reverse(
        "processes:initiative_detail",
        kwargs={"org_slug": org.slug, "initiative_pk": phase.initiative.pk},
    )
    page = client_for(None).get(url).content.decode()
    assert "Carte des horaires" in page and "vous pouvez voter" in page
    phase.allows_vote_opinion = False
    phase.save()
    page = client_for(None).get(url).content.decode()
    assert "Carte des horaires" in page and "résultats seulement" in page
    detail = client_for(None).get(conversation.get_absolute_url()).content.decode()
    assert "ne prend pas de votes aujourd" in detail
    assert 'name="value"' not in detail


def test_the_edit_form_offers_only_the_organisations_phases(org, other_org, people, client_for):
    own, foreign = _phase(org), _phase(other_org)
    conversation = ConversationFactory(organisation=org)
    url = reverse(
        "opinions:conversation_edit",
        kwargs={"org_slug": org.slug, "conversation_pk": conversation.pk},
    )
    page = client_for(people["facilitator"]).get(url).content.decode()
    assert f'value="{own.pk}"' in page and f'value="{foreign.pk}"' not in page
