"""A survey attached to a phase of an initiative takes answers only while the
phase allows answering a survey, and shows on the initiative's page."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from faireavec.contributions.models import Channel
from faireavec.processes.tests.factories import InitiativeFactory, PhaseFactory
from faireavec.surveys.models import Response
from faireavec.surveys.services import ResponseRefused, response_submit, survey_update
from faireavec.surveys.tests.factories import make_survey, question

pytestmark = pytest.mark.django_db


def _phase(org, *, allows=True, days=(-2, 5)):
    today = timezone.localdate()
    return PhaseFactory(
        initiative=InitiativeFactory(organisation=org),
        allows_answer_survey=allows,
        starts_on=today + timedelta(days=days[0]),
        ends_on=today + timedelta(days=days[1]),
    )


def test_an_open_phase_that_allows_surveys_takes_answers(org):
    survey = make_survey(org)
    survey = survey_update(actor=None, survey=survey, data={"phase": _phase(org)})
    assert survey.opening_state() == "open"
    response_submit(survey=survey, answers={question(survey, "venu").pk: "no"})


@pytest.mark.parametrize(("allows", "days"), [(False, (-2, 5)), (True, (-9, -3)), (True, (2, 9))])
def test_outside_its_phase_a_survey_stores_nothing_online(org, people, allows, days):
    survey = make_survey(org)
    survey = survey_update(
        actor=None, survey=survey, data={"phase": _phase(org, allows=allows, days=days)}
    )
    assert survey.opening_state() == "phase_closed"
    with pytest.raises(ResponseRefused):
        response_submit(survey=survey, answers={question(survey, "venu").pk: "no"})
    # Paper that comes back late is still typed in.
    response_submit(
        survey=survey,
        answers={question(survey, "venu").pk: "no"},
        channel=Channel.PAPER,
        recorded_by=people["facilitator"],
    )
    assert Response.objects.count() == 1


def test_a_phase_of_another_organisation_is_refused(org, other_org):
    survey = make_survey(org)
    with pytest.raises(ValidationError):
        survey_update(actor=None, survey=survey, data={"phase": _phase(other_org)})


def test_the_survey_shows_on_the_initiatives_page_and_says_when_closed(org, client_for):
    phase = _phase(org)
    survey = make_survey(org, title="Avis sur les horaires")
    survey_update(actor=None, survey=survey, data={"phase": phase})
    initiative = phase.initiative
    url = reverse(
        "processes:initiative_detail",
        kwargs={"org_slug": org.slug, "initiative_pk": initiative.pk},
    )
    page = client_for(None).get(url)
    assert page.status_code == 200 and "Avis sur les horaires" in page.content.decode()
    phase.allows_answer_survey = False
    phase.save()
    start = client_for(None).get(survey.get_public_url()).content.decode()
    assert "pendant la phase" in start
