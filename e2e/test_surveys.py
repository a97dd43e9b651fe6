"""Surveys as people use them: in French, on a phone, without JavaScript.

Lucas answers « Satisfaction des usagers » one question per screen, from the
public link; Karim, facilitator, types in a questionnaire that came back on
paper, with the keyboard, then reads the results and splits them by place.
axe and the 320 px checks run on every page they see.
"""

import pytest
from playwright.sync_api import expect

from e2e.helpers import login_with_password
from faireavec.accounts.tests.factories import UserFactory
from faireavec.organisations.models import Role
from faireavec.organisations.tests.factories import MembershipFactory, OrganisationFactory
from faireavec.surveys.models import Answer, Response, Survey
from faireavec.surveys.services import survey_from_template, survey_set_status

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "motdepasse-solide-42"


def _person(org, email, name, role):
    user = UserFactory(email=email, display_name=name, password=PASSWORD)
    user.emailaddress_set.create(email=email, verified=True, primary=True)
    MembershipFactory(organisation=org, user=user, role=role)
    return user


@pytest.fixture
def world():
    org = OrganisationFactory(name="La Ruche", slug="la-ruche")
    karim = _person(org, "karim@example.org", "Karim Benali", Role.FACILITATOR)
    survey = survey_from_template(actor=karim, organisation=org, template="satisfaction")
    survey = survey_set_status(actor=karim, survey=survey, status=Survey.Status.PUBLISHED)
    return {"org": org, "karim": karim, "survey": survey}


def _next(page, check_a11y):
    """« Suivant », then the checks on the screen it leads to."""
    page.get_by_role("button", name="Suivant").click()
    check_a11y(page)


def test_a_person_answers_in_easy_mode_on_a_phone(page, check_a11y, world):
    survey = world["survey"]
    page.goto(f"/la-ruche/enquetes/{survey.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Satisfaction des usagers")
    expect(
        page.get_by_role("listitem").filter(has_text="Vos réponses sont anonymes")
    ).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Commencer").click()
    check_a11y(page)

    # First screen: the place. Sent empty, the required question says so.
    expect(page.get_by_text("Question 1 sur")).to_be_visible()
    _next(page, check_a11y)
    expect(page.get_by_role("alert")).to_contain_text("Cette question demande une réponse.")
    check_a11y(page)
    page.get_by_label("L'épicerie solidaire").check()
    _next(page, check_a11y)
    page.get_by_label("Plus de 2 ans").check()
    _next(page, check_a11y)
    page.get_by_label("60 ans ou plus").check()
    _next(page, check_a11y)

    # Satisfaction with words and faces; « très mécontent·e » opens the follow-up question.
    expect(
        page.get_by_role(
            "group", name="Dans l'ensemble, êtes-vous satisfait·e de nos services ? (obligatoire)"
        )
    ).to_be_visible()
    check_a11y(page)
    page.get_by_label("très mécontent·e").check()
    _next(page, check_a11y)
    page.get_by_role(
        "group", name="Que pensez-vous de ces affirmations ? — On m'écoute"
    ).get_by_label("plutôt d'accord").check()
    _next(page, check_a11y)
    page.get_by_label("3", exact=True).check()
    _next(page, check_a11y)
    expect(page.get_by_label("Qu'est-ce qui ne vous a pas plu ?")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Qu'est-ce qui ne vous a pas plu ?").fill("L'attente à l'accueil.")
    _next(page, check_a11y)

    # Save and come back later, in the same browser.
    page.get_by_role("button", name="Enregistrer et continuer plus tard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos réponses sont gardées")
    check_a11y(page)
    page.get_by_role("link", name="Retour à l'enquête").click()
    check_a11y(page)
    page.get_by_role("link", name="Reprendre où je me suis arrêté·e").click()
    check_a11y(page)
    page.get_by_label("Que pourrions-nous améliorer ?").fill("Ouvrir le samedi.")
    _next(page, check_a11y)
    page.get_by_label("Oui").check()
    page.get_by_role("button", name="Envoyer mes réponses").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Merci, vos réponses sont enregistrées"
    )
    expect(page.get_by_role("heading", name="Ce qui se passe ensuite")).to_be_visible()
    check_a11y(page)
    response = Response.objects.get(survey=survey)
    assert response.respondent is None and response.channel == "online"
    assert Answer.objects.filter(response=response, question__code="insatisfaction").exists()


def test_a_facilitator_enters_a_paper_questionnaire_and_reads_the_results(page, check_a11y, world):
    survey = world["survey"]
    login_with_password(page, "karim@example.org", PASSWORD)
    page.goto(f"/la-ruche/gestion/enquetes/{survey.pk}/")
    check_a11y(page)
    page.get_by_role("link", name="Saisir un questionnaire papier ou téléphone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Saisir un questionnaire papier ou téléphone"
    )
    check_a11y(page)

    # With the keyboard: the channel, then the answers, Enter sends.
    page.get_by_label("sur papier").focus()
    page.keyboard.press("Space")
    page.get_by_label("Les ateliers").focus()
    page.keyboard.press("Space")
    page.get_by_label("Content·e", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_label("Que pourrions-nous améliorer ?").fill("Plus d'ateliers le soir.")
    page.get_by_label("Que pourrions-nous améliorer ?").press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Questionnaire enregistré (1 en tout)")).to_be_visible()
    check_a11y(page)
    response = Response.objects.get(survey=survey)
    assert response.channel == "paper" and response.recorded_by == world["karim"]

    # The results: the chart and its table, the CSAT, then split by place.
    page.goto(f"/la-ruche/gestion/enquetes/{survey.pk}/resultats/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Résultats de")
    expect(page.get_by_text("de personnes satisfaites ou très satisfaites (CSAT)")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Selon la réponse à").select_option(label="Dans quel lieu êtes-vous venu·e ?")
    page.get_by_role("button", name="Afficher").click()
    expect(
        page.get_by_role("heading", name="Croisé par « Dans quel lieu êtes-vous venu·e ? »")
    ).to_be_visible()
    expect(page.get_by_text("moins de 5").first).to_be_visible()  # one person: masked
    check_a11y(page)
    page.get_by_role("link", name="Lire 1 réponse écrite").click()
    expect(page.get_by_text("Plus d'ateliers le soir.")).to_be_visible()
    check_a11y(page)


def test_a_facilitator_drags_a_question_with_the_mouse(new_page, check_a11y, world):
    """With JavaScript, a question dropped on another lands before it; the « Monter » /
    « Descendre » buttons stay for the keyboard."""
    from faireavec.surveys.models import Kind
    from faireavec.surveys.tests.factories import make_survey

    survey = make_survey(
        world["org"],
        publish=False,
        title="Ateliers",
        questions=[
            {"code": "quartier", "kind": Kind.SHORT_TEXT, "label": "Votre quartier ?"},
            {"code": "age", "kind": Kind.NUMBER, "label": "Votre âge ?"},
            {"code": "idee", "kind": Kind.LONG_TEXT, "label": "Une idée d'atelier ?"},
        ],
    )
    page = new_page(javascript=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    login_with_password(page, "karim@example.org", PASSWORD)
    page.goto(f"/la-ruche/gestion/enquetes/{survey.pk}/")
    check_a11y(page)
    idee = page.locator(".survey-builder-questions > li", has_text="Une idée d'atelier ?")
    quartier = page.locator(".survey-builder-questions > li", has_text="Votre quartier ?")
    expect(idee).to_have_attribute("draggable", "true")
    with page.expect_navigation():
        idee.drag_to(quartier, target_position={"x": 20, "y": 5})
    labels = page.locator(".survey-builder-questions > li strong").all_inner_texts()
    assert labels == ["Une idée d'atelier ?", "Votre quartier ?", "Votre âge ?"]
    check_a11y(page)
