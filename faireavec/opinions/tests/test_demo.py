import pytest

from faireavec.opinions.models import Analysis, Conversation, Statement, Vote
from faireavec.organisations.demo import demo_build

pytestmark = pytest.mark.django_db


def test_the_small_demo_has_a_conversation_with_groups_and_is_idempotent():
    ctx = demo_build(small=True)
    conversation = Conversation.objects.get(organisation=ctx.organisation)
    assert Statement.objects.filter(
        conversation=conversation, status=Statement.Status.PENDING
    ).exists()
    # Attached to the strategic plan's current phase, which takes votes today.
    assert conversation.phase.initiative.slug == "plan-strategique-2027-2030"
    assert conversation.opening_state() == "open"
    analysis = Analysis.objects.get(conversation=conversation)
    assert analysis.n_groups >= 2
    votes = Vote.objects.count()
    assert votes > 100
    demo_build(small=True)
    assert Vote.objects.count() == votes
