"""Every permission of the surveys app, for every role, and the audiences."""

import pytest
from django.contrib.auth.models import AnonymousUser

from faireavec.organisations.models import Organisation
from faireavec.surveys.models import Survey
from faireavec.surveys.tests.factories import make_survey

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant", "member", "facilitator", "admin", "other_admin"]
INSIDE = {"participant", "member", "facilitator", "admin"}
MEMBERS = {"member", "facilitator", "admin"}
STAFF = {"facilitator", "admin"}

EXPECTED = {
    "surveys.view_survey": set(ROLES),
    "surveys.view_results": MEMBERS,
    "surveys.manage_survey": STAFF,
    "surveys.enter_response": STAFF,
    "surveys.export_response": STAFF,
    "surveys.convert_answer": STAFF,
}


def _user(people, role):
    return people[role] or AnonymousUser()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_permissions_on_a_public_organisation(org, people, perm, role):
    assert _user(people, role).has_perm(perm, org) is (role in EXPECTED[perm])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("audience", "allowed"),
    [
        (Survey.Audience.PUBLIC, set(ROLES)),
        (Survey.Audience.PARTICIPANTS, INSIDE),
        (Survey.Audience.MEMBERS, MEMBERS),
    ],
)
def test_who_may_answer_follows_the_audience(org, people, role, audience, allowed):
    survey = make_survey(org, audience=audience)
    assert _user(people, role).has_perm("surveys.answer_survey", survey) is (role in allowed)


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_or_archived_survey_takes_no_answers(org, people, role):
    draft = make_survey(org, publish=False)
    assert _user(people, role).has_perm("surveys.answer_survey", draft) is False


@pytest.mark.parametrize("role", ROLES)
def test_a_private_organisations_public_survey_is_for_its_people(org, people, role):
    org.visibility = Organisation.Visibility.PRIVATE
    org.save()
    survey = make_survey(org)
    assert _user(people, role).has_perm("surveys.answer_survey", survey) is (role in INSIDE)
    assert _user(people, role).has_perm("surveys.view_survey", org) is (role in INSIDE)
