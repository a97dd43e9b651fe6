"""Permissions for every role: anonymous, participant, member, facilitator,
admin, and an administrator of another organisation."""

import pytest
from django.contrib.auth.models import AnonymousUser

from faireavec.contributions.tests.factories import make_contribution
from faireavec.organisations.models import Organisation

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant", "member", "facilitator", "admin", "other_admin"]

EXPECTED_PUBLIC_ORG = {
    # permission: roles that have it on a public organisation
    "contributions.add_contribution": set(ROLES),
    "contributions.follow_contribution": set(ROLES),
    "contributions.view_public_contributions": set(ROLES),
    "contributions.report_contribution": set(ROLES),
    "contributions.support_contribution": set(ROLES) - {"anonymous"},
    "contributions.add_comment": set(ROLES) - {"anonymous"},
    "contributions.manage_contribution": {"facilitator", "admin"},
    "contributions.add_assisted_contribution": {"facilitator", "admin"},
    "contributions.moderate_contribution": {"facilitator", "admin"},
    "contributions.export_contribution": {"facilitator", "admin"},
}


def _user(people, role):
    return people[role] or AnonymousUser()


@pytest.mark.parametrize("perm", sorted(EXPECTED_PUBLIC_ORG))
@pytest.mark.parametrize("role", ROLES)
def test_permissions_on_a_public_organisation(org, people, perm, role):
    assert _user(people, role).has_perm(perm, org) is (role in EXPECTED_PUBLIC_ORG[perm])


# What outsiders of a private organisation may do when it accepts anonymous contributions.
OPEN_TO_OUTSIDERS = {"contributions.add_contribution", "contributions.follow_contribution"}


@pytest.mark.parametrize("allow_anonymous", [True, False])
@pytest.mark.parametrize("perm", sorted(EXPECTED_PUBLIC_ORG))
@pytest.mark.parametrize("role", ROLES)
def test_permissions_on_a_private_organisation(org, people, perm, role, allow_anonymous):
    """In a private organisation, outsiders (anonymous, other organisations) have none,
    except giving and following an opinion where it accepts anonymous contributions."""
    org.visibility = Organisation.Visibility.PRIVATE
    org.allow_anonymous_contributions = allow_anonymous
    org.save()
    expected = EXPECTED_PUBLIC_ORG[perm] - {"anonymous", "other_admin"}
    if allow_anonymous and perm in OPEN_TO_OUTSIDERS:
        expected = EXPECTED_PUBLIC_ORG[perm]
    assert _user(people, role).has_perm(perm, org) is (role in expected)


@pytest.mark.parametrize("role", ROLES)
def test_view_contribution_is_for_its_author_and_facilitators(org, people, role):
    c = make_contribution(org, author=people["participant"])
    expected = role in {"participant", "facilitator", "admin"}
    assert _user(people, role).has_perm("contributions.view_contribution", c) is expected
