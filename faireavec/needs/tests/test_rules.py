"""Every permission of the needs app, for every role."""

import pytest

from faireavec.needs.models import Need, TerritorialDiagnosis
from faireavec.needs.tests.factories import NeedFactory
from faireavec.organisations.models import Organisation

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant", "member", "facilitator", "admin", "other_admin"]

# permission -> roles that have it on a public organisation
EXPECTED = {
    "needs.view_need": set(ROLES),
    "needs.support_need": {"participant", "member", "facilitator", "admin"},
    "needs.review_need": {"member", "facilitator", "admin"},
    "needs.export_need": {"member", "facilitator", "admin"},
    "needs.export_watchentry": {"member", "facilitator", "admin"},
    "needs.manage_need": {"facilitator", "admin"},
    "needs.change_diagnosis": {"facilitator", "admin"},
    # The diagnosis is not published in this test: only people of the organisation.
    "needs.view_diagnosis": {"participant", "member", "facilitator", "admin"},
}


def _user(people, role):
    from django.contrib.auth.models import AnonymousUser

    return people[role] or AnonymousUser()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_permissions_on_a_public_organisation(org, people, perm, role):
    assert _user(people, role).has_perm(perm, org) is (role in EXPECTED[perm])


@pytest.mark.parametrize("role", ROLES)
def test_a_private_organisation_shows_its_needs_to_its_people_only(org, people, role):
    org.visibility = Organisation.Visibility.PRIVATE
    org.save()
    expected = role in {"participant", "member", "facilitator", "admin"}
    assert _user(people, role).has_perm("needs.view_need", org) is expected


@pytest.mark.parametrize("role", ROLES)
def test_a_published_diagnosis_is_for_everyone(org, people, role):
    TerritorialDiagnosis.objects.create(organisation=org, is_public=True)
    assert _user(people, role).has_perm("needs.view_diagnosis", org) is True


@pytest.mark.parametrize("role", ROLES)
def test_a_published_diagnosis_of_a_private_organisation_stays_inside(org, people, role):
    org.visibility = Organisation.Visibility.PRIVATE
    org.save()
    TerritorialDiagnosis.objects.create(organisation=org, is_public=True)
    expected = role in {"participant", "member", "facilitator", "admin"}
    assert _user(people, role).has_perm("needs.view_diagnosis", org) is expected


@pytest.mark.parametrize("role", ROLES)
def test_nobody_supports_an_addressed_need(org, people, role):
    need = NeedFactory(organisation=org, status=Need.Status.ADDRESSED)
    assert _user(people, role).has_perm("needs.support_need", need) is False


@pytest.mark.parametrize("role", ROLES)
def test_an_open_need_is_supported_by_people_of_its_organisation(org, people, role):
    need = NeedFactory(organisation=org)
    expected = role in {"participant", "member", "facilitator", "admin"}
    assert _user(people, role).has_perm("needs.support_need", need) is expected
