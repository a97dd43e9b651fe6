"""The answering pages and the builder, through the test client."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from faireavec.surveys.models import Answer, Response, ResponseDraft, Survey, SurveyToken
from faireavec.surveys.services import tokens_generate
from faireavec.surveys.tests.factories import make_survey, question

pytestmark = pytest.mark.django_db


def _u(name, org, **kwargs):
    return reverse(f"surveys:{name}", kwargs={"org_slug": org.slug, **kwargs})


def _answer_url(survey, step=None):
    url = _u("survey_answer", survey.organisation, survey_pk=survey.pk)
    return url if step is None else f"{url}?etape={step}"


def test_easy_mode_asks_one_question_per_screen_and_skips_by_condition(org, client_for):
    """« Non » to the first question skips the satisfaction question; the
    response is stored once « Envoyer » is pressed on the last screen."""
    survey = make_survey(org)
    client = client_for(None)
    page = client.get(_answer_url(survey))
    assert page.status_code == 200
    assert "Êtes-vous venu ?" in page.content.decode()
    assert "Question 1 sur 3" in page.content.decode()
    venu = question(survey, "venu")
    response = client.post(_answer_url(survey), {"step": 0, f"q{venu.pk}": "no", "action": "next"})
    assert response.status_code == 302 and response["Location"].endswith("etape=1")
    page = client.get(response["Location"])
    assert "Nous recommanderiez-vous ?" in page.content.decode()  # « satisfait » skipped
    nps = question(survey, "nps")
    client.post(_answer_url(survey), {"step": 1, f"q{nps.pk}": "9", "action": "next"})
    assert Response.objects.count() == 0  # not sent yet
    idee = question(survey, "idee")
    done = client.post(
        _answer_url(survey), {"step": 2, f"q{idee.pk}": "Des bancs", "action": "send"}
    )
    assert done.status_code == 302 and done["Location"] == _u(
        "survey_thanks", org, survey_pk=survey.pk
    )
    response = Response.objects.get()
    assert set(response.answers.values_list("question__code", flat=True)) == {"venu", "nps", "idee"}
    assert not ResponseDraft.objects.exists()
    thanks = client.get(done["Location"]).content.decode()
    assert "Ce qui se passe ensuite" in thanks


def test_a_required_question_left_empty_shows_the_error(org, client_for):
    survey = make_survey(org)
    client = client_for(None)
    page = client.post(_answer_url(survey), {"step": 0, "action": "next"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Erreur" in body and "Cette question demande une réponse." in body


def test_all_on_one_page_applies_conditions_when_sent(org, client_for):
    """The satisfaction question, required only after « Oui », does not block
    someone who answered « Non »; its condition is written above it."""
    survey = make_survey(org, display=Survey.Display.ALL)
    client = client_for(None)
    page = client.get(_answer_url(survey)).content.decode()
    assert "Seulement si" in page
    venu, note = question(survey, "venu"), question(survey, "note")
    done = client.post(
        _answer_url(survey), {f"q{venu.pk}": "no", f"q{note.pk}": "5", "action": "send"}
    )
    assert done.status_code == 302
    assert not Answer.objects.filter(question=note).exists()  # not asked: not kept
    refused = client_for(None).post(_answer_url(survey), {f"q{venu.pk}": "yes", "action": "send"})
    assert (
        refused.status_code == 200
        and "Cette question demande une réponse." in refused.content.decode()
    )


def test_save_and_resume_with_a_code(org, client_for):
    survey = make_survey(org, limit=Survey.Limit.TOKEN)
    tokens_generate(actor=None, survey=survey, count=1)
    token = SurveyToken.objects.get()
    first = client_for(None)
    start = _u("survey_start", org, survey_pk=survey.pk)
    assert first.get(_answer_url(survey)).status_code == 302  # the code first
    first.post(start, {"code": token.code_display.lower()})
    venu = question(survey, "venu")
    saved = first.post(_answer_url(survey), {"step": 0, f"q{venu.pk}": "yes", "action": "save"})
    assert saved["Location"] == _u("survey_saved", org, survey_pk=survey.pk)
    # Another device, the same code: the answer is there.
    second = client_for(None)
    second.post(start, {"code": token.code})
    page = second.get(start).content.decode()
    assert "Reprendre où je me suis arrêté" in page or "Continuer" in page
    resumed = second.get(_answer_url(survey, 0)).content.decode()
    assert 'value="yes"' in resumed and "checked" in resumed


def test_a_used_code_is_refused_on_the_first_page(org, client_for):
    survey = make_survey(org, limit=Survey.Limit.TOKEN)
    tokens_generate(actor=None, survey=survey, count=1)
    token = SurveyToken.objects.get()
    token.used_at = timezone.now()
    token.save()
    page = client_for(None).post(_u("survey_start", org, survey_pk=survey.pk), {"code": token.code})
    assert "déjà été utilisé" in page.content.decode()


@pytest.mark.parametrize(
    ("opens", "closes", "says"), [(1, 5, "pas encore ouverte"), (-5, -1, "est close")]
)
def test_a_closed_or_not_yet_open_survey_says_so_and_keeps_nothing(
    org, client_for, opens, closes, says
):
    now = timezone.now()
    survey = make_survey(
        org, opens_at=now + timedelta(days=opens), closes_at=now + timedelta(days=closes)
    )
    client = client_for(None)
    venu = question(survey, "venu")
    page = client.post(_answer_url(survey), {"step": 0, f"q{venu.pk}": "no", "action": "send"})
    assert page.status_code == 200 and says in page.content.decode()
    assert not Response.objects.exists() and not ResponseDraft.objects.exists()


def test_a_member_only_survey_is_refused_to_a_participant(org, people, client_for):
    survey = make_survey(org, audience=Survey.Audience.MEMBERS)
    assert client_for(people["participant"]).get(_answer_url(survey)).status_code == 403
    assert client_for(people["member"]).get(_answer_url(survey)).status_code == 200


def test_the_builder_adds_a_question_and_moves_it(org, people, client_for):
    survey = make_survey(org, publish=False)
    client = client_for(people["facilitator"])
    section = survey.sections.get()
    created = client.post(
        _u("question_create", org, section_pk=section.pk),
        {"label": "Votre quartier ?", "kind": "single", "options_text": "Nord\nSud", "code": ""},
    )
    assert created.status_code == 302
    new = section.questions.get(label="Votre quartier ?")
    assert [c["label"] for c in new.choices] == ["Nord", "Sud"]
    client.post(_u("question_move", org, question_pk=new.pk), {"direction": "up"})
    new.refresh_from_db()
    assert new.position < question(survey, "idee").position
    page = client.get(_u("survey_detail", org, survey_pk=survey.pk))
    assert page.status_code == 200 and "Votre quartier ?" in page.content.decode()


def test_a_condition_refused_is_explained_on_the_form(org, people, client_for):
    survey = make_survey(org, publish=False)
    idee, venu = question(survey, "idee"), question(survey, "venu")
    page = client_for(people["facilitator"]).post(
        _u("question_condition", org, question_pk=idee.pk),
        {"combine": "all", "question_1": venu.pk, "op_1": "equals", "value_1": "Peut-être"},
    )
    assert page.status_code == 200
    assert "Erreur" in page.content.decode()
    idee.refresh_from_db()
    assert idee.condition == {}


def test_a_condition_typed_with_the_option_label_is_saved(org, people, client_for):
    survey = make_survey(org, publish=False)
    idee, venu = question(survey, "idee"), question(survey, "venu")
    client_for(people["facilitator"]).post(
        _u("question_condition", org, question_pk=idee.pk),
        {"combine": "all", "question_1": venu.pk, "op_1": "equals", "value_1": "oui"},
    )
    idee.refresh_from_db()
    assert idee.condition["rules"] == [{"question": venu.pk, "op": "equals", "value": "yes"}]


def test_a_new_survey_from_the_template(org, people, client_for):
    client = client_for(people["facilitator"])
    done = client.post(_u("survey_create", org), {"start": "satisfaction", "title": ""})
    assert done.status_code == 302
    survey = Survey.objects.get(organisation=org)
    assert survey.title == "Satisfaction des usagers"
