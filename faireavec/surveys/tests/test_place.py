"""Dropping a question before or after another (the builder's mouse reordering)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from faireavec.organisations.tests.factories import OrganisationFactory
from faireavec.surveys.services import question_move, question_place, section_create
from faireavec.surveys.tests.factories import make_survey, question

pytestmark = pytest.mark.django_db


def _codes(section):
    return list(section.questions.order_by("position").values_list("code", flat=True))


def test_a_question_lands_before_or_after_the_one_it_is_dropped_on(org):
    survey = make_survey(org, publish=False)
    section = survey.sections.get()
    assert _codes(section) == ["venu", "note", "nps", "idee"]
    question_place(actor=None, question=question(survey, "idee"), target=question(survey, "nps"))
    assert _codes(section) == ["venu", "note", "idee", "nps"]
    question_place(
        actor=None, question=question(survey, "idee"), target=question(survey, "nps"), after=True
    )
    assert _codes(section) == ["venu", "note", "nps", "idee"]


def test_a_move_that_breaks_a_condition_is_refused_and_changes_nothing(org):
    survey = make_survey(org, publish=False)
    section = survey.sections.get()
    with pytest.raises(ValidationError):
        question_place(
            actor=None,
            question=question(survey, "venu"),
            target=question(survey, "nps"),
            after=True,
        )
    assert _codes(section) == ["venu", "note", "nps", "idee"]


def test_a_question_can_go_to_another_section(org):
    survey = make_survey(org, publish=False)
    first = survey.sections.get()
    second = section_create(actor=None, survey=survey, data={"title": "Suite"})
    idee = question(survey, "idee")
    question_move(actor=None, question=idee, direction="down")  # the last one crosses over
    assert _codes(second) == ["idee"]
    question_place(actor=None, question=question(survey, "nps"), target=idee)
    assert _codes(second) == ["nps", "idee"] and _codes(first) == ["venu", "note"]


def test_another_surveys_question_is_not_a_target(org):
    survey, other = make_survey(org, publish=False), make_survey(org, publish=False, title="B")
    with pytest.raises(ValidationError):
        question_place(actor=None, question=question(survey, "idee"), target=question(other, "nps"))


def test_the_move_form_takes_a_drop(org, people, client_for):
    survey = make_survey(org, publish=False)
    idee, nps = question(survey, "idee"), question(survey, "nps")
    url = reverse("surveys:question_move", kwargs={"org_slug": org.slug, "question_pk": idee.pk})
    client = client_for(people["facilitator"])
    response = client.post(url, {"direction": "before", "target": nps.pk})
    assert response.status_code == 302
    assert _codes(survey.sections.get()) == ["venu", "note", "idee", "nps"]
    # A target from another organisation is not found; a missing one neither.
    stranger = question(make_survey(OrganisationFactory(), publish=False), "nps")
    assert client.post(url, {"direction": "after", "target": stranger.pk}).status_code == 404
    assert client.post(url, {"direction": "after", "target": ""}).status_code == 404
    builder = client.get(
        reverse("surveys:survey_detail", kwargs={"org_slug": org.slug, "survey_pk": survey.pk})
    ).content.decode()
    assert "survey-reorder.js" in builder and f'data-move-url="{url}"' in builder
