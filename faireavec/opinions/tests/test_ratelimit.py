"""Voting and proposing statements are rate-limited per visitor's address, with
a clear message and nothing lost."""

import pytest
from django.urls import reverse

from faireavec.core.ratelimit import Limit
from faireavec.opinions.models import Statement, Vote
from faireavec.opinions.tests.factories import ConversationFactory, StatementFactory
from faireavec.opinions.views import public

pytestmark = pytest.mark.django_db


def _url(name, conversation):
    return reverse(
        f"opinions:{name}",
        kwargs={"org_slug": conversation.organisation.slug, "conversation_pk": conversation.pk},
    )


def test_votes_over_the_limit_are_refused_with_a_message(org, client_for, people, monkeypatch):
    monkeypatch.setattr(public, "VOTE_POST", Limit("opinion_vote_test", 2, 600))
    conversation = ConversationFactory(organisation=org)
    statements = [StatementFactory(conversation=conversation) for _ in range(3)]
    client = client_for(people["participant"])
    for statement in statements:
        response = client.post(
            _url("conversation_vote", conversation),
            {"statement": statement.pk, "value": "1"},
            follow=True,
        )
    assert Vote.objects.count() == 2
    page = response.content.decode()
    assert "Beaucoup de votes" in page and "vos votes précédents sont gardés" in page


def test_statements_over_the_limit_keep_the_text_and_say_to_wait(
    org, client_for, people, monkeypatch
):
    monkeypatch.setattr(public, "STATEMENT_POST", Limit("opinion_statement_test", 1, 600))
    conversation = ConversationFactory(organisation=org)
    client = client_for(people["participant"])
    url = _url("conversation_propose", conversation)
    assert client.post(url, {"text": "Un jardin sur le toit"}).status_code == 302
    refused = client.post(url, {"text": "Des bancs dans la cour"})
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Des bancs dans la cour" in page and "Veuillez patienter" in page
    assert Statement.objects.count() == 1
