"""Permissions of the organisations app, for every role (see conftest `people`)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from faireavec.organisations.models import Organisation

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant", "member", "facilitator", "admin", "other_admin"]

# For each permission, the roles that have it on a public organisation.
EXPECTED = {
    "organisations.view_organisation": set(ROLES),
    "organisations.view_backoffice": {"member", "facilitator", "admin"},
    "organisations.change_organisation": {"admin"},
    "organisations.manage_members": {"admin"},
    "organisations.add_invitation": {"facilitator", "admin"},
    "organisations.manage_sites": {"admin"},
    "organisations.change_charter": {"admin"},
    "core.view_auditentry": {"admin"},
    "core.view_backgroundjob": {"facilitator", "admin"},
}


def as_user(people, role):
    return people[role] or AnonymousUser()


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_permission_by_role(org, people, perm, role):
    """Each role has exactly the permissions the table gives it on its organisation."""
    assert as_user(people, role).has_perm(perm, org) is (role in EXPECTED[perm])


@pytest.mark.parametrize("role", ROLES)
def test_private_organisation_is_seen_by_its_people_only(org, people, role):
    """A private organisation is visible to its people (participants included), no one else."""
    org.visibility = Organisation.Visibility.PRIVATE
    org.save()
    expected = role in {"participant", "member", "facilitator", "admin"}
    assert as_user(people, role).has_perm("organisations.view_organisation", org) is expected


def test_permission_on_an_object_of_the_organisation(org, people):
    """Predicates accept any object with an `organisation` (a site, an invitation…)."""
    from faireavec.organisations.tests.factories import SiteFactory

    site = SiteFactory(organisation=org)
    assert people["admin"].has_perm("organisations.manage_sites", site)
    assert not people["other_admin"].has_perm("organisations.manage_sites", site)


def test_no_object_no_permission(people):
    """Without an organisation to check against, no organisation permission is given."""
    assert not people["admin"].has_perm("organisations.manage_members", None)
