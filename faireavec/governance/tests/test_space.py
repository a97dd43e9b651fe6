"""Members' space: discussions and replies, questions to the board answered in
public, late questions in the back office, hiding by an administrator,
notifications in the reader's language, permissions per role and the pages."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from faireavec.core.models import Notification
from faireavec.governance.models import BoardQuestion, Discussion, DiscussionReply
from faireavec.governance.selectors import (
    board_questions_late,
    board_questions_waiting,
    discussions_of,
    statutes_of,
)
from faireavec.governance.services import (
    board_question_answer,
    board_question_ask,
    discussion_reply,
    discussion_start,
    member_space_moderate,
)
from faireavec.governance.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant", "member", "facilitator", "admin", "other_admin"]


@pytest.fixture
def registered(org, people):
    """The participant and the member are in the register; the others are not."""
    MemberFactory(organisation=org, user=people["participant"])
    MemberFactory(organisation=org, user=people["member"])
    return people


def _ask(org, author, **kw):
    return board_question_ask(author=author, organisation=org, title="Les comptes ?", body="", **kw)


class TestServices:
    def test_a_question_is_due_after_the_statutes_delay(self, org, registered):
        statutes = statutes_of(organisation=org)
        statutes.question_answer_days = 10
        statutes.save()
        now = timezone.now()
        question = _ask(org, registered["member"], now=now)
        assert question.due_at == now + timedelta(days=10)

    def test_late_questions_show_and_leave_once_answered(self, org, registered):
        now = timezone.now()
        late = _ask(org, registered["member"], now=now - timedelta(days=40))
        fresh = _ask(org, registered["participant"], now=now)
        assert list(board_questions_late(organisation=org)) == [late]
        assert list(board_questions_waiting(organisation=org)) == [fresh]
        board_question_answer(actor=registered["admin"], question=late, answer="Voici.")
        assert not board_questions_late(organisation=org).exists()

    def test_an_empty_answer_is_refused(self, org, registered):
        question = _ask(org, registered["member"])
        with pytest.raises(ValidationError):
            board_question_answer(actor=registered["admin"], question=question, answer="  ")
        question.refresh_from_db()
        assert not question.is_answered

    def test_the_database_refuses_an_answer_without_its_time(self, org, registered):
        from django.db import IntegrityError

        question = _ask(org, registered["member"])
        with pytest.raises(IntegrityError):
            BoardQuestion.objects.filter(pk=question.pk).update(answer="Sans date")

    def test_the_author_is_told_of_the_answer_in_their_language(self, org, registered):
        author = registered["member"]
        author.language = "en"
        author.save(update_fields=["language"])
        question = _ask(org, author)
        with translation.override("fr"):
            board_question_answer(actor=registered["admin"], question=question, answer="Oui.")
        assert Notification.objects.get(recipient=author).title == (
            "The board answered your question « Les comptes ? »"
        )

    def test_administrators_are_told_of_a_new_question(self, org, registered):
        _ask(org, registered["member"])
        assert Notification.objects.filter(recipient=registered["admin"]).count() == 1
        assert not Notification.objects.filter(recipient=registered["facilitator"]).exists()

    def test_the_starter_is_told_of_replies_but_not_of_their_own(self, org, registered):
        starter = registered["member"]
        starter.language = "en"
        starter.save(update_fields=["language"])
        discussion = discussion_start(
            author=starter, organisation=org, title="Covoiturage", body="Qui vient ?"
        )
        discussion_reply(author=starter, discussion=discussion, body="Moi d'abord.")
        assert not Notification.objects.exists()
        discussion_reply(author=registered["participant"], discussion=discussion, body="Moi.")
        assert Notification.objects.get(recipient=starter).title == (
            "A new reply in your discussion « Covoiturage »"
        )

    def test_hiding_needs_a_reason_and_keeps_the_text(self, org, registered):
        discussion = discussion_start(
            author=registered["member"], organisation=org, title="Hors sujet", body="Pub"
        )
        with pytest.raises(ValidationError):
            member_space_moderate(actor=registered["admin"], item=discussion, hide=True)
        member_space_moderate(
            actor=registered["admin"], item=discussion, hide=True, reason="Publicité"
        )
        discussion.refresh_from_db()
        assert discussion.is_hidden and discussion.body == "Pub"
        assert discussion not in discussions_of(organisation=org)
        with pytest.raises(ValidationError):
            discussion_reply(author=registered["participant"], discussion=discussion, body="Hé")
        member_space_moderate(actor=registered["admin"], item=discussion, hide=False)
        discussion.refresh_from_db()
        assert not discussion.is_hidden and discussion.hidden_reason == ""

    def test_empty_or_too_long_texts_are_refused(self, org, registered):
        with pytest.raises(ValidationError):
            discussion_start(author=registered["member"], organisation=org, title=" ", body="x")
        with pytest.raises(ValidationError):
            discussion_start(
                author=registered["member"], organisation=org, title="T", body="x" * 5001
            )
        assert not Discussion.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_permissions_per_role(org, registered, role):
    """Members of the register (here a participant and a member) read and write; the
    team reads; administrators answer and hide; another organisation, nothing."""
    user = registered[role] or AnonymousUser()
    assert user.has_perm("governance.view_member_space", org) is (
        role in {"participant", "member", "facilitator", "admin"}
    )
    assert user.has_perm("governance.write_member_space", org) is (
        role in {"participant", "member"}
    )
    assert user.has_perm("governance.view_member_space_admin", org) is (
        role in {"facilitator", "admin"}
    )
    assert user.has_perm("governance.answer_question", org) is (role == "admin")
    assert user.has_perm("governance.moderate_member_space", org) is (role == "admin")


def test_a_participant_outside_the_register_does_not_enter(org, people, client_for):
    client = client_for(people["participant"])
    assert (
        client.get(reverse("governance:member_space", kwargs={"org_slug": org.slug})).status_code
        == 403
    )


class TestPages:
    def test_a_member_asks_and_reads_the_public_answer(self, org, registered, client_for):
        client = client_for(registered["participant"])
        create = reverse("governance:question_create", kwargs={"org_slug": org.slug})
        assert client.get(create).status_code == 200
        response = client.post(create, {"title": "Les comptes ?", "body": ""})
        assert response.status_code == 302
        question = BoardQuestion.objects.get()
        admin = client_for(registered["admin"])
        answer_url = reverse(
            "governance:question_answer",
            kwargs={"org_slug": org.slug, "boardquestion_pk": question.pk},
        )
        assert admin.get(answer_url).status_code == 200
        assert admin.post(answer_url, {"answer": ""}).status_code == 200
        assert admin.post(answer_url, {"answer": "En mars."}).status_code == 302
        page = client_for(registered["member"]).get(question.get_absolute_url())
        assert "En mars." in page.content.decode()

    def test_a_member_replies_and_an_admin_hides_the_reply(self, org, registered, client_for):
        discussion = discussion_start(
            author=registered["member"], organisation=org, title="Covoiturage", body="Qui ?"
        )
        client = client_for(registered["participant"])
        assert client.post(discussion.get_absolute_url(), {"body": ""}).status_code == 200
        assert client.post(discussion.get_absolute_url(), {"body": "Moi."}).status_code == 302
        reply = DiscussionReply.objects.get()
        moderate = reverse(
            "governance:reply_moderate",
            kwargs={"org_slug": org.slug, "discussionreply_pk": reply.pk},
        )
        assert client.post(moderate, {"hide": "1", "reason": "Non"}).status_code == 403
        admin = client_for(registered["admin"])
        assert admin.post(moderate, {"hide": "1", "reason": "Hors charte"}).status_code == 302
        reply.refresh_from_db()
        assert reply.is_hidden
        page = client.get(discussion.get_absolute_url()).content.decode()
        assert "Hors charte" in page and "Moi." not in page

    def test_the_team_reads_but_does_not_write(self, org, registered, client_for):
        discussion = discussion_start(
            author=registered["member"], organisation=org, title="Covoiturage", body="Qui ?"
        )
        facilitator = client_for(registered["facilitator"])
        assert facilitator.get(discussion.get_absolute_url()).status_code == 200
        assert facilitator.post(discussion.get_absolute_url(), {"body": "x"}).status_code == 403
        assert not DiscussionReply.objects.exists()

    def test_the_back_office_lists_late_questions(self, org, registered, client_for):
        _ask(org, registered["member"], now=timezone.now() - timedelta(days=99))
        page = client_for(registered["facilitator"]).get(
            reverse("governance:member_space_admin", kwargs={"org_slug": org.slug})
        )
        assert page.status_code == 200
        assert "Les comptes ?" in page.content.decode()
