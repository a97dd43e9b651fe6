"""Responses are stored whole or not at all; codes answer once; waves copy the
questions; a question with answers keeps its kind and cannot be deleted."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from faireavec.contributions.models import Channel
from faireavec.surveys.models import (
    Answer,
    Kind,
    Participation,
    Question,
    Response,
    Survey,
    SurveyToken,
    normalise_token_code,
)
from faireavec.surveys.selectors import survey_waves
from faireavec.surveys.services import (
    ResponseRefused,
    question_delete,
    question_set_hidden,
    question_update,
    response_submit,
    survey_from_template,
    survey_new_wave,
    tokens_generate,
)
from faireavec.surveys.tests.factories import make_survey, question

pytestmark = pytest.mark.django_db


def _answers(survey, **by_code):
    return {question(survey, code).pk: value for code, value in by_code.items()}


def test_a_response_is_stored_with_all_its_answers(org):
    survey = make_survey(org)
    response = response_submit(
        survey=survey, answers=_answers(survey, venu="yes", note=4, nps=9, idee="Plus de bancs")
    )
    assert response.answers.count() == 4
    assert Answer.objects.get(response=response, question__code="nps").number == 9


def test_a_bad_answer_stores_nothing(org):
    """An answer the database refuses (a text too long) leaves no response behind."""
    survey = make_survey(org)
    with pytest.raises(ValidationError):
        response_submit(survey=survey, answers=_answers(survey, venu="yes", idee="x" * 6000))
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0


@pytest.mark.parametrize(("opens", "closes"), [(1, 5), (-5, -1)], ids=["not yet open", "closed"])
def test_a_survey_out_of_its_dates_stores_nothing(org, opens, closes):
    now = timezone.now()
    survey = make_survey(
        org, opens_at=now + timedelta(days=opens), closes_at=now + timedelta(days=closes)
    )
    with pytest.raises(ResponseRefused):
        response_submit(survey=survey, answers=_answers(survey, venu="no"))
    assert Response.objects.count() == 0


def test_a_draft_survey_takes_no_answers_even_from_paper(org, people):
    survey = make_survey(org, publish=False)
    with pytest.raises(ResponseRefused):
        response_submit(
            survey=survey,
            answers=_answers(survey, venu="no"),
            channel=Channel.PAPER,
            recorded_by=people["facilitator"],
        )


def test_paper_answers_on_a_closed_survey_are_taken_with_their_channel(org, people):
    now = timezone.now()
    survey = make_survey(org, opens_at=now - timedelta(days=9), closes_at=now - timedelta(days=1))
    response = response_submit(
        survey=survey,
        answers=_answers(survey, venu="no"),
        channel=Channel.PAPER,
        recorded_by=people["facilitator"],
    )
    assert response.channel == Channel.PAPER
    assert response.recorded_by == people["facilitator"]


def test_a_code_answers_once(org):
    survey = make_survey(org, limit=Survey.Limit.TOKEN)
    tokens_generate(actor=None, survey=survey, count=2)
    token = SurveyToken.objects.filter(survey=survey).first()
    response_submit(survey=survey, answers=_answers(survey, venu="no"), token=token)
    with pytest.raises(ResponseRefused):
        response_submit(survey=survey, answers=_answers(survey, venu="no"), token=token)
    assert Response.objects.filter(survey=survey).count() == 1


def test_a_code_of_another_survey_does_not_open_this_one(org):
    survey = make_survey(org, limit=Survey.Limit.TOKEN)
    other = make_survey(org, limit=Survey.Limit.TOKEN, title="Autre")
    tokens_generate(actor=None, survey=other, count=1)
    with pytest.raises(ResponseRefused):
        response_submit(
            survey=survey, answers=_answers(survey, venu="no"), token=other.tokens.first()
        )


def test_codes_are_short_unambiguous_and_read_in_any_case(org):
    survey = make_survey(org, limit=Survey.Limit.TOKEN)
    tokens_generate(actor=None, survey=survey, count=200)
    codes = list(SurveyToken.objects.values_list("code", flat=True))
    assert len(set(codes)) == 200
    assert all(len(c) == 8 and not set(c) & set("01OIL") for c in codes)
    token = SurveyToken.objects.first()
    typed = token.code_display.lower().replace("-", " - ")
    assert normalise_token_code(typed) == token.code


def test_an_anonymous_survey_keeps_no_name_on_its_codes(org):
    survey = make_survey(org, limit=Survey.Limit.TOKEN)
    tokens_generate(actor=None, survey=survey, count=0, labels=["Mme Martin"])
    assert SurveyToken.objects.filter(survey=survey).count() == 1
    assert not SurveyToken.objects.exclude(label="").exists()


def test_one_response_per_account_and_anonymous_stays_anonymous(org, people):
    survey = make_survey(org, limit=Survey.Limit.ACCOUNT)
    user = people["participant"]
    response = response_submit(survey=survey, answers=_answers(survey, venu="no"), user=user)
    assert response.respondent is None  # anonymous: the response does not name the person
    assert Participation.objects.filter(survey=survey, user=user).exists()
    with pytest.raises(ResponseRefused):
        response_submit(survey=survey, answers=_answers(survey, venu="no"), user=user)


def test_an_identified_survey_keeps_the_respondent(org, people):
    survey = make_survey(org, limit=Survey.Limit.ACCOUNT, identity=Survey.Identity.IDENTIFIED)
    response = response_submit(
        survey=survey, answers=_answers(survey, venu="no"), user=people["member"]
    )
    assert response.respondent == people["member"]


def test_an_identified_survey_needs_accounts_or_codes(org):
    with pytest.raises(ValidationError):
        make_survey(org, identity=Survey.Identity.IDENTIFIED, limit=Survey.Limit.NONE)


def test_a_question_with_answers_keeps_its_kind_and_cannot_be_deleted(org):
    survey = make_survey(org)
    response_submit(survey=survey, answers=_answers(survey, venu="yes", note=5, idee="Bien"))
    idee = question(survey, "idee")
    with pytest.raises(ValidationError):
        question_update(actor=None, question=idee, data={"kind": Kind.SHORT_TEXT})
    with pytest.raises(ValidationError):
        question_delete(actor=None, question=idee)
    # The database refuses it too (the answers' foreign key restricts it).
    from django.db.models import RestrictedError

    with pytest.raises(RestrictedError):
        Question.objects.filter(pk=idee.pk).delete()
    question_set_hidden(actor=None, question=idee, hidden=True)
    idee.refresh_from_db()
    assert idee.is_hidden and idee.kind == Kind.LONG_TEXT
    assert Answer.objects.filter(question=idee).count() == 1


def test_options_with_answers_must_stay(org):
    survey = make_survey(
        org,
        questions=[
            {
                "code": "lieu",
                "kind": Kind.SINGLE,
                "label": "Lieu",
                "choices": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
            }
        ],
    )
    response_submit(survey=survey, answers=_answers(survey, lieu="a"))
    lieu = question(survey, "lieu")
    with pytest.raises(ValidationError):
        question_update(
            actor=None,
            question=lieu,
            data={"choices": [{"value": "b", "label": "B"}, {"value": "c", "label": "C"}]},
        )
    question_update(
        actor=None,
        question=lieu,
        data={
            "choices": [
                {"value": "a", "label": "A"},
                {"value": "b", "label": "B"},
                {"value": "c", "label": "C"},
            ]
        },
    )


def test_a_new_wave_copies_the_questions_with_their_codes_and_conditions(org):
    survey = make_survey(org)
    response_submit(survey=survey, answers=_answers(survey, venu="no"))
    wave = survey_new_wave(actor=None, survey=survey, wave_label="2027")
    assert wave.status == Survey.Status.DRAFT
    assert wave.previous_wave == survey and wave.wave_number == 2
    codes = list(Question.objects.filter(section__survey=wave).values_list("code", flat=True))
    assert codes == ["venu", "note", "nps", "idee"]
    note = question(wave, "note")
    assert note.condition["rules"][0]["question"] == question(wave, "venu").pk
    assert wave.responses.count() == 0
    assert [s.pk for s in survey_waves(survey=wave)] == [survey.pk, wave.pk]
    assert [s.pk for s in survey_waves(survey=survey)] == [survey.pk, wave.pk]


def test_the_satisfaction_template_is_a_valid_survey(org, people):
    survey = survey_from_template(
        actor=people["facilitator"], organisation=org, template="satisfaction"
    )
    kinds = set(Question.objects.filter(section__survey=survey).values_list("kind", flat=True))
    assert {Kind.SATISFACTION, Kind.NPS, Kind.MATRIX, Kind.SINGLE, Kind.YES_NO} <= kinds
    assert survey.title == "Satisfaction des usagers"
