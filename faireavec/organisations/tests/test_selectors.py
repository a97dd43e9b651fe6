"""Selectors: every read is scoped to its organisation."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from faireavec.accounts.tests.factories import UserFactory
from faireavec.organisations.models import CharterAcceptance, Organisation, Role
from faireavec.organisations.selectors import (
    SESSION_CHARTERS,
    charter_current,
    charter_to_accept,
    charter_versions,
    invitation_get,
    invitation_get_by_token,
    membership_get,
    membership_get_in_organisation,
    memberships_of_organisation,
    memberships_of_user,
    organisation_counts,
    organisation_get_by_slug,
    organisations_public,
    site_get,
    sites_of_organisation,
)
from faireavec.organisations.services import charter_accept, charter_publish
from faireavec.organisations.tests.factories import (
    CharterVersionFactory,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    SiteFactory,
)

pytestmark = pytest.mark.django_db


def fake_request(user=None, session=None):
    return SimpleNamespace(user=user or AnonymousUser(), session={} if session is None else session)


def test_organisation_get_by_slug(org):
    """An organisation is found by its slug; an unknown slug gives None."""
    assert organisation_get_by_slug(slug="la-ruche") == org
    assert organisation_get_by_slug(slug="inconnue") is None


def test_organisations_public_leaves_out_private_ones(org):
    """The platform home lists public organisations only, by name."""
    OrganisationFactory(name="Secrète", visibility=Organisation.Visibility.PRIVATE)
    zebre = OrganisationFactory(name="Zèbre")
    assert list(organisations_public()) == [org, zebre]


class TestMembershipGet:
    def test_anonymous_has_none(self, org):
        """An anonymous visitor has no membership."""
        assert membership_get(user=AnonymousUser(), organisation=org) is None

    def test_member_and_non_member(self, org, other_org, people):
        """A member gets their membership; the same person in another organisation, None."""
        admin = people["admin"]
        assert membership_get(user=admin, organisation=org).role == Role.ADMIN
        assert membership_get(user=admin, organisation=other_org) is None

    def test_remembered_for_the_request(self, org, people, django_assert_num_queries):
        """Asking twice on the same user object costs one query."""
        user = people["member"]
        with django_assert_num_queries(1):
            membership_get(user=user, organisation=org)
            membership_get(user=user, organisation=org)


def test_memberships_of_user_lists_every_organisation(org, other_org):
    """A person in several organisations sees them all, by organisation name."""
    user = UserFactory()
    MembershipFactory(user=user, organisation=other_org, role=Role.MEMBER)
    MembershipFactory(user=user, organisation=org, role=Role.PARTICIPANT)
    assert [m.organisation for m in memberships_of_user(user=user)] == [other_org, org]


def test_memberships_of_organisation_scoped_and_ordered(org, other_org, people):
    """An organisation's members, administrators first; other organisations' left out."""
    memberships = list(memberships_of_organisation(organisation=org))
    assert [m.role for m in memberships] == ["admin", "facilitator", "member", "participant"]
    assert all(m.organisation_id == org.pk for m in memberships)


def test_membership_get_in_organisation_is_scoped(org, other_org, people):
    """A membership of another organisation is not found through this one."""
    theirs = people["other_admin"].memberships.get()
    ours = people["member"].memberships.get()
    assert membership_get_in_organisation(organisation=org, pk=ours.pk) == ours
    assert membership_get_in_organisation(organisation=org, pk=theirs.pk) is None


def test_invitation_lookups_are_scoped(org, other_org):
    """An invitation is found by pk or token only in its own organisation."""
    ours = InvitationFactory(organisation=org)
    theirs = InvitationFactory(organisation=other_org)
    assert invitation_get(organisation=org, pk=ours.pk) == ours
    assert invitation_get(organisation=org, pk=theirs.pk) is None
    assert invitation_get_by_token(organisation=org, token=ours.token) == ours
    assert invitation_get_by_token(organisation=org, token=theirs.token) is None


def test_site_lookups_are_scoped(org, other_org):
    """Sites are listed by name for their organisation only."""
    b = SiteFactory(organisation=org, name="B")
    a = SiteFactory(organisation=org, name="A")
    theirs = SiteFactory(organisation=other_org, name="C")
    assert list(sites_of_organisation(organisation=org)) == [a, b]
    assert site_get(organisation=org, pk=a.pk) == a
    assert site_get(organisation=org, pk=theirs.pk) is None


def test_organisation_counts(org, people):
    """The back-office home counts members (all roles) and sites."""
    SiteFactory(organisation=org)
    assert organisation_counts(organisation=org) == {"members": 4, "sites": 1}


class TestCharter:
    def test_current_is_the_latest_version(self, org, other_org):
        """The current charter is the highest version of this organisation."""
        assert charter_current(organisation=org) is None
        CharterVersionFactory(organisation=org, number=1)
        latest = CharterVersionFactory(organisation=org, number=2)
        CharterVersionFactory(organisation=other_org, number=3)
        assert charter_current(organisation=org) == latest

    def test_versions_count_their_acceptances(self, org, people):
        """Each version carries how many people accepted it."""
        v1 = CharterVersionFactory(organisation=org, number=1)
        CharterAcceptance.objects.create(version=v1, user=people["member"])
        CharterAcceptance.objects.create(version=v1, user=people["participant"])
        CharterVersionFactory(organisation=org, number=2)
        assert [(v.number, v.acceptance_count) for v in charter_versions(organisation=org)] == [
            (2, 0),
            (1, 2),
        ]

    def test_nothing_to_accept_without_a_charter(self, org, people):
        """With no charter published there is nothing to accept."""
        assert charter_to_accept(request=fake_request(people["member"]), organisation=org) is None

    def test_signed_in_person_accepts_once(self, org, people):
        """A signed-in person is asked until they accept the current version."""
        version = charter_publish(actor=people["admin"], organisation=org, text="Charte")
        request = fake_request(people["participant"])
        assert charter_to_accept(request=request, organisation=org) == version
        charter_accept(request=request, version=version)
        assert charter_to_accept(request=request, organisation=org) is None

    def test_new_version_asks_again(self, org, people):
        """Publishing a new version asks people who accepted the old one again."""
        v1 = charter_publish(actor=people["admin"], organisation=org, text="Charte 1")
        request = fake_request(people["participant"])
        charter_accept(request=request, version=v1)
        v2 = charter_publish(actor=people["admin"], organisation=org, text="Charte 2")
        assert charter_to_accept(request=request, organisation=org) == v2

    def test_anonymous_acceptance_lives_in_the_session(self, org, people):
        """A visitor's acceptance is kept in their session, not in the database."""
        version = charter_publish(actor=people["admin"], organisation=org, text="Charte")
        request = fake_request()
        assert charter_to_accept(request=request, organisation=org) == version
        charter_accept(request=request, version=version)
        assert request.session[SESSION_CHARTERS] == [version.pk]
        assert charter_to_accept(request=request, organisation=org) is None
        assert not CharterAcceptance.objects.exists()
        # Another visitor (another session) is still asked.
        assert charter_to_accept(request=fake_request(), organisation=org) == version

    def test_acceptance_of_another_organisation_does_not_count(self, org, other_org, people):
        """Accepting one organisation's charter says nothing about another's."""
        ours = charter_publish(actor=people["admin"], organisation=org, text="A")
        theirs = charter_publish(actor=people["other_admin"], organisation=other_org, text="B")
        request = fake_request(people["other_admin"])
        charter_accept(request=request, version=theirs)
        assert charter_to_accept(request=request, organisation=org) == ours
