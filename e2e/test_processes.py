"""Initiatives as people use them: in French, on a phone, without JavaScript.

Martine proposes in the strategic plan from her phone, comments on another
proposal with a stance and follows the initiative; anyone reads the closing
report of a finished initiative, as a page and as a PDF; Karim, facilitator, sees
the proposals waiting for a decision in the back office. axe and the 320 px checks
run on every page they see.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.helpers import login_with_password
from faireavec.accounts.tests.factories import UserFactory
from faireavec.contributions.models import Comment, Contribution, Status
from faireavec.contributions.services import contribution_change_status
from faireavec.organisations.models import Role
from faireavec.organisations.tests.factories import MembershipFactory, OrganisationFactory
from faireavec.processes.models import Initiative, InitiativeFollow
from faireavec.processes.services import initiative_set_status, proposal_create
from faireavec.processes.tests.factories import InitiativeFactory, PhaseFactory

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
    martine = _person(org, "martine@example.org", "Martine Dupuis", Role.PARTICIPANT)
    karim = _person(org, "karim@example.org", "Karim Benali", Role.FACILITATOR)
    today = timezone.localdate()
    plan = InitiativeFactory(
        organisation=org,
        title="Plan stratégique 2027-2030",
        question="Quelles priorités pour notre coopérative d'ici 2030 ?",
    )
    PhaseFactory(
        initiative=plan,
        title="Consultation",
        starts_on=today - timedelta(days=5),
        ends_on=today + timedelta(days=20),
        allows_propose=True,
        allows_support=True,
        allows_comment=True,
    )
    other = proposal_create(
        initiative=plan,
        title="Un café réparation chaque mois",
        body="Un samedi par mois, on répare au lieu de jeter.",
        author=karim,
    ).contribution
    return {"org": org, "martine": martine, "karim": karim, "plan": plan, "other": other}


def test_a_participant_proposes_comments_and_follows_on_a_phone(page, check_a11y, world):
    plan = world["plan"]
    login_with_password(page, "martine@example.org", PASSWORD)
    page.goto(f"/la-ruche/demarches/{plan.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan stratégique 2027-2030")
    check_a11y(page)

    page.get_by_role("link", name="Faire une proposition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Faire une proposition")
    check_a11y(page)
    page.get_by_role("button", name="Envoyer ma proposition").click()
    expect(page).to_have_title(re.compile(r"^Erreur : Faire une proposition"))
    check_a11y(page)
    page.get_by_label("Votre proposition en quelques mots").fill("Une épicerie ouverte le soir")
    page.get_by_label("Expliquez votre proposition").fill(
        "Deux soirs par semaine jusqu'à 20 h, pour venir après le travail."
    )
    page.get_by_role("button", name="Envoyer ma proposition").click()
    check_a11y(page)  # the follow-up code's page
    proposal = Contribution.objects.get(title="Une épicerie ouverte le soir")
    assert proposal.author == world["martine"] and proposal.is_public
    assert proposal.initiative_link.initiative == plan

    page.goto(f"/la-ruche/demarches/{plan.pk}/")
    check_a11y(page)
    page.get_by_role("link", name="Un café réparation chaque mois").click()
    expect(page.get_by_text("Une proposition faite dans la démarche")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Pour", exact=True).check()
    page.get_by_label("Votre commentaire").fill("Oui, j'ai un grille-pain à réparer !")
    page.get_by_role("button", name="Publier mon commentaire").click()
    expect(page.get_by_text("Pour : 1 · Contre : 0 · Neutre : 0")).to_be_visible()
    check_a11y(page)
    assert Comment.objects.get().stance == "for"
    page.get_by_role("button", name="Je soutiens cette proposition").click()
    check_a11y(page)

    page.get_by_role("link", name="Voir la démarche et ses autres propositions").click()
    check_a11y(page)
    page.get_by_role("button", name="Suivre cette démarche").click()
    expect(page.get_by_role("button", name="Ne plus suivre")).to_be_visible()
    check_a11y(page)
    assert InitiativeFollow.objects.filter(user=world["martine"], initiative=plan).exists()


def test_anyone_reads_the_closing_report_as_a_page_and_a_pdf(page, check_a11y, world):
    plan, karim = world["plan"], world["karim"]
    contribution_change_status(
        actor=karim,
        contribution=world["other"],
        to_status=Status.ACCEPTED,
        message="Retenu : le premier aura lieu en mars.",
    )
    Initiative.objects.filter(pk=plan.pk).update(
        what_happened="Le plan a été voté en assemblée générale."
    )
    initiative_set_status(actor=karim, initiative=plan, status=Initiative.Status.CLOSED)
    page.goto(f"/la-ruche/demarches/{plan.pk}/")
    expect(page.get_by_text("Cette démarche est terminée.")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Lire le bilan de la démarche").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bilan — Plan stratégique 2027-2030")
    expect(page.get_by_text("Retenu : le premier aura lieu en mars.")).to_be_visible()
    expect(page.get_by_text("Le plan a été voté en assemblée générale.")).to_be_visible()
    check_a11y(page)
    href = page.get_by_role("link", name="Télécharger ce bilan en PDF").get_attribute("href")
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_the_team_sees_the_proposals_waiting_for_a_decision(page, check_a11y, world):
    plan = world["plan"]
    login_with_password(page, "karim@example.org", PASSWORD)
    page.goto(f"/la-ruche/gestion/demarches/{plan.pk}/")
    expect(page.get_by_text("1 proposition attend une décision")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Un café réparation chaque mois").click()
    check_a11y(page)
