import pytest
from django.test import Client
from django.urls import reverse

from faireavec.opinions.models import Conversation, OpinionParticipant, Statement, Vote
from faireavec.opinions.services import analysis_run, participant_join, vote_cast
from faireavec.opinions.tests.factories import ConversationFactory, StatementFactory

pytestmark = pytest.mark.django_db


def _url(name, conversation, **kwargs):
    return reverse(
        f"opinions:{name}",
        kwargs={
            "org_slug": conversation.organisation.slug,
            "conversation_pk": conversation.pk,
            **kwargs,
        },
    )


def _with_map(org, n=20):
    conversation = ConversationFactory(organisation=org)
    statements = [StatementFactory(conversation=conversation, number=i + 1) for i in range(8)]
    for person in range(n):
        participant = participant_join(conversation=conversation)
        for i, statement in enumerate(statements):
            vote_cast(
                participant=participant,
                statement=statement,
                value=1 if (i % 2 == 0) == (person % 2 == 0) else -1,
            )
    analysis_run(conversation_id=conversation.pk)
    return conversation, statements


def test_an_anonymous_visitor_votes_one_statement_at_a_time_and_comes_back_with_the_code(org):
    conversation = ConversationFactory(organisation=org)
    first, second = (
        StatementFactory(conversation=conversation),
        StatementFactory(conversation=conversation),
    )
    visitor = Client()
    page = visitor.get(_url("conversation_detail", conversation))
    assert page.status_code == 200
    shown = page.context["statement"]
    assert shown in (first, second)
    response = visitor.post(
        _url("conversation_vote", conversation), {"statement": shown.pk, "value": "1"}
    )
    assert response.status_code == 302
    participant = OpinionParticipant.objects.get()
    assert participant.code and participant.user is None
    assert Vote.objects.get().value == 1
    page = visitor.get(_url("conversation_detail", conversation))
    assert page.context["statement"] != shown
    assert participant.code_display in page.content.decode()
    # Another device: the code brings the votes back.
    phone = Client()
    phone.post(_url("conversation_code", conversation), {"code": participant.code_display.lower()})
    assert (
        phone.get(_url("conversation_detail", conversation)).context["participant"] == participant
    )
    wrong = Client().post(
        _url("conversation_code", conversation), {"code": "AAAAAAAAAA"}, follow=True
    )
    assert "n'est pas" in wrong.content.decode() or wrong.context["participant"] is None


def test_a_bad_vote_gets_a_message_not_a_500(org, client_for, people):
    conversation = ConversationFactory(organisation=org)
    statement = StatementFactory(conversation=conversation)
    client = client_for(people["participant"])
    assert (
        client.post(
            _url("conversation_vote", conversation), {"statement": statement.pk, "value": "7"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            _url("conversation_vote", conversation), {"statement": 999999, "value": "1"}
        ).status_code
        == 404
    )
    assert not Vote.objects.exists()


def test_a_conversation_for_members_sends_visitors_to_login(org):
    conversation = ConversationFactory(organisation=org, allow_anonymous=False)
    statement = StatementFactory(conversation=conversation)
    page = Client().get(_url("conversation_detail", conversation))
    assert page.context["needs_login"] and page.context["statement"] is None
    assert (
        Client()
        .post(_url("conversation_vote", conversation), {"statement": statement.pk, "value": "1"})
        .status_code
        == 403
    )


def test_a_draft_is_not_found_by_the_public(org, client_for, people):
    draft = ConversationFactory(organisation=org, status=Conversation.Status.DRAFT)
    assert Client().get(_url("conversation_detail", draft)).status_code == 404
    assert client_for(people["member"]).get(_url("conversation_detail", draft)).status_code == 200


def test_proposing_a_statement(org, client_for, people):
    conversation = ConversationFactory(organisation=org)
    client = client_for(people["participant"])
    assert client.get(_url("conversation_propose", conversation)).status_code == 200
    response = client.post(
        _url("conversation_propose", conversation), {"text": "Un jardin sur le toit"}
    )
    assert response.status_code == 302
    assert Statement.objects.get().status == Statement.Status.PENDING
    too_long = client.post(_url("conversation_propose", conversation), {"text": "x" * 400})
    assert too_long.status_code == 200 and too_long.context["form"].errors


def test_the_results_show_the_map_with_the_persons_own_position_and_the_text(
    org, client_for, people
):
    conversation, statements = _with_map(org)
    member = people["member"]
    mine = participant_join(conversation=conversation, user=member)
    for s in statements:
        vote_cast(participant=mine, statement=s, value=1)
    analysis_run(conversation_id=conversation.pk)
    page = client_for(member).get(_url("conversation_results", conversation))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "<table" in html
    assert page.context["layout"].own is not None
    assert "Groupe A" in html


def test_the_back_office_lists_creates_moderates_and_reports(org, client_for, people):
    conversation, _statements = _with_map(org)
    pending = StatementFactory(
        conversation=conversation,
        status=Statement.Status.PENDING,
        origin=Statement.Origin.PARTICIPANT,
    )
    facilitator = client_for(people["facilitator"])
    assert (
        facilitator.get(
            reverse("opinions:conversation_list", kwargs={"org_slug": org.slug})
        ).status_code
        == 200
    )
    response = facilitator.post(
        reverse("opinions:conversation_create", kwargs={"org_slug": org.slug}),
        {
            "title": "Nouvelle carte",
            "question": "Quoi ?",
            "status": "draft",
            "moderation": "pre",
            "allow_statements": "on",
            "allow_anonymous": "on",
        },
    )
    assert (
        response.status_code == 302 and Conversation.objects.filter(title="Nouvelle carte").exists()
    )
    assert facilitator.get(_url("conversation_manage", conversation)).status_code == 200
    facilitator.post(
        _url("statement_moderate", conversation, statement_pk=pending.pk), {"decision": "accept"}
    )
    pending.refresh_from_db()
    assert pending.status == Statement.Status.ACCEPTED
    report = facilitator.get(_url("conversation_report", conversation))
    assert report.status_code == 200 and "<svg" in report.content.decode()
    pdf = facilitator.get(_url("conversation_report_pdf", conversation))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_participants_do_not_reach_the_back_office(org, client_for, people):
    conversation = ConversationFactory(organisation=org)
    client = client_for(people["participant"])
    assert client.get(_url("conversation_manage", conversation)).status_code in (403, 404)
    member = client_for(people["member"])
    assert member.get(_url("conversation_manage", conversation)).status_code == 200
    assert member.post(_url("conversation_recompute", conversation)).status_code == 403


def test_another_organisations_conversation_is_not_found(org, other_org, client_for, people):
    theirs = ConversationFactory(organisation=other_org)
    url = reverse(
        "opinions:conversation_manage", kwargs={"org_slug": org.slug, "conversation_pk": theirs.pk}
    )
    assert client_for(people["admin"]).get(url).status_code == 404
    url = reverse(
        "opinions:conversation_detail", kwargs={"org_slug": org.slug, "conversation_pk": theirs.pk}
    )
    assert client_for(people["admin"]).get(url).status_code == 404


def test_opening_a_conversation_shows_it_in_the_menu_at_once(org, people):
    """The menu's answers are cached; opening the first conversation forgets them."""
    from faireavec.core.navigation import shown_answers
    from faireavec.opinions.services import conversation_update

    conversation = ConversationFactory(organisation=org, status=Conversation.Status.DRAFT)
    path = "faireavec.opinions.selectors.has_public_conversations"
    assert shown_answers(organisation=org)[path] is False
    conversation_update(
        conversation=conversation, actor=people["admin"], status=Conversation.Status.OPEN
    )
    assert shown_answers(organisation=org)[path] is True
