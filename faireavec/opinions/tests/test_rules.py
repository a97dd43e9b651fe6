"""Every permission of the opinions app, for every role."""

import pytest
from django.contrib.auth.models import AnonymousUser

from faireavec.opinions.models import Conversation
from faireavec.opinions.tests.factories import ConversationFactory
from faireavec.organisations.models import Organisation

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant", "member", "facilitator", "admin", "other_admin"]
PEOPLE = {"participant", "member", "facilitator", "admin"}

# permission -> roles that have it on a public organisation
EXPECTED = {
    "opinions.view_conversation": set(ROLES),
    # On the organisation (before a conversation is chosen) visitors may take part.
    "opinions.take_part_conversation": set(ROLES),
    "opinions.review_conversation": {"member", "facilitator", "admin"},
    "opinions.export_conversation": {"member", "facilitator", "admin"},
    "opinions.manage_conversation": {"facilitator", "admin"},
}


def _user(people, role):
    return people[role] or AnonymousUser()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_permissions_on_a_public_organisation(org, people, perm, role):
    assert _user(people, role).has_perm(perm, org) is (role in EXPECTED[perm])


@pytest.mark.parametrize("role", ROLES)
def test_an_open_conversation_takes_visitors_only_when_it_allows_them(org, people, role):
    open_to_all = ConversationFactory(organisation=org, allow_anonymous=True)
    members_only = ConversationFactory(organisation=org, allow_anonymous=False)
    user = _user(people, role)
    assert user.has_perm("opinions.take_part_conversation", open_to_all) is True
    assert user.has_perm("opinions.take_part_conversation", members_only) is (role in PEOPLE)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", [Conversation.Status.DRAFT, Conversation.Status.CLOSED])
def test_nobody_votes_in_a_draft_or_closed_conversation(org, people, role, status):
    conversation = ConversationFactory(organisation=org, status=status)
    assert _user(people, role).has_perm("opinions.take_part_conversation", conversation) is False


@pytest.mark.parametrize("role", ROLES)
def test_a_private_organisation_keeps_its_maps_to_its_people(org, people, role):
    org.visibility = Organisation.Visibility.PRIVATE
    org.save()
    conversation = ConversationFactory(organisation=org, allow_anonymous=True)
    user = _user(people, role)
    assert user.has_perm("opinions.view_conversation", org) is (role in PEOPLE)
    assert user.has_perm("opinions.take_part_conversation", conversation) is (role in PEOPLE)
