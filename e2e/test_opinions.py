"""Opinion maps as people use them: in French, on a phone, without JavaScript.

Nadia, who has no account, opens the tiers-lieu's opinion map, votes on each
statement with the keyboard-reachable buttons, proposes one of her own, and
comes back to her votes on another phone with her follow-up code; then she
reads the map and its text version. Karim, facilitator, publishes her
statement and reads the report. axe checks every page they see.
"""

import pytest
from playwright.sync_api import expect

from e2e.helpers import login_with_password
from faireavec.accounts.tests.factories import UserFactory
from faireavec.opinions.models import OpinionParticipant, Statement, Vote
from faireavec.opinions.services import analysis_run, participant_join, vote_cast
from faireavec.opinions.tests.factories import ConversationFactory, StatementFactory
from faireavec.organisations.models import Role
from faireavec.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "motdepasse-solide-42"


@pytest.fixture
def world():
    org = OrganisationFactory(name="La Ruche", slug="la-ruche")
    karim = UserFactory(email="karim@example.org", display_name="Karim Benali", password=PASSWORD)
    karim.emailaddress_set.create(email="karim@example.org", verified=True, primary=True)
    MembershipFactory(organisation=org, user=karim, role=Role.FACILITATOR)
    conversation = ConversationFactory(
        organisation=org, title="Notre plan 2027", question="Où en sommes-nous ?"
    )
    statements = [
        StatementFactory(conversation=conversation, number=i + 1, text=text)
        for i, text in enumerate(
            [
                "Ouvrir le samedi",
                "Un deuxième lieu au nord",
                "Une cotisation selon les revenus",
                "Plus d'activités pour les jeunes",
                "Des repas partagés gratuits",
                "Un atelier de réparation",
                "Moins de réunions",
                "Des produits locaux au café",
            ]
        )
    ]
    # Others have voted already, in two camps, and the map is computed.
    for person in range(16):
        other = participant_join(conversation=conversation)
        for i, statement in enumerate(statements):
            vote_cast(participant=other, statement=statement, value=1 if (i + person) % 2 else -1)
    analysis_run(conversation_id=conversation.pk)
    return {"org": org, "conversation": conversation, "statements": statements}


def test_a_visitor_votes_without_javascript_on_a_phone_and_comes_back_with_her_code(
    page, new_page, check_a11y, world
):
    conversation = world["conversation"]
    page.goto(f"/la-ruche/cartes-des-opinions/{conversation.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Notre plan 2027")
    check_a11y(page)
    # Eight statements, one at a time; the buttons are reached with the keyboard.
    for answer in ["D'accord", "Pas d'accord", "Je passe / je ne sais pas"] * 2 + ["D'accord"] * 2:
        group = page.get_by_role("main").get_by_role("group")
        expect(group).to_contain_text("Phrase nº")
        button = page.get_by_role("button", name=answer, exact=True)
        button.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text("est enregistré")).to_be_visible()
        check_a11y(page)
    expect(page.get_by_text("Vous avez répondu à toutes les phrases.")).to_be_visible()
    participant = OpinionParticipant.objects.get(conversation=conversation, number=17)
    assert sorted(Vote.objects.filter(voter=participant).values_list("value", flat=True)) == [
        -1,
        -1,
        0,
        0,
        1,
        1,
        1,
        1,
    ]
    code = participant.code_display
    expect(page.get_by_text(code)).to_be_visible()

    # She proposes a statement: it waits for a facilitator.
    page.get_by_role("link", name="Proposer une phrase").click()
    check_a11y(page)
    page.get_by_label("Phrase").fill("Une navette pour les personnes âgées")
    page.get_by_role("button", name="Envoyer ma phrase").click()
    expect(page.get_by_text("quand un animateur l'aura lue")).to_be_visible()
    assert Statement.objects.get(text__startswith="Une navette").status == Statement.Status.PENDING

    # Another phone: her code brings her votes back.
    phone = new_page()
    phone.goto(f"/la-ruche/cartes-des-opinions/{conversation.pk}/")
    resume = phone.get_by_role("region", name="Vous avez déjà voté sur un autre appareil ?")
    resume.get_by_label("Votre code de suivi").fill(code.lower())
    resume.get_by_role("button", name="Continuer avec mon code").click()
    expect(phone.get_by_text("Bon retour : voici vos votes.")).to_be_visible()
    check_a11y(phone)

    # The map, once recomputed, shows where she stands, and says it in words.
    analysis_run(conversation_id=conversation.pk)
    phone.get_by_role("link", name="Voir la carte des opinions et ce qu'elle dit").click()
    expect(phone.get_by_role("img", name="Carte des opinions")).to_be_visible()
    expect(phone.get_by_role("heading", name="Ce que dit la carte, en mots")).to_be_visible()
    expect(phone.get_by_text("Vous êtes dans le groupe")).to_be_visible()
    check_a11y(phone)


def test_a_facilitator_moderates_and_reads_the_report(page, check_a11y, world):
    conversation = world["conversation"]
    StatementFactory(
        conversation=conversation,
        number=9,
        text="Un atelier vélo",
        status=Statement.Status.PENDING,
        origin=Statement.Origin.PARTICIPANT,
    )
    login_with_password(page, "karim@example.org", PASSWORD)
    page.goto(f"/la-ruche/gestion/cartes-des-opinions/{conversation.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Notre plan 2027")
    check_a11y(page)
    page.get_by_role("listitem").filter(has_text="Un atelier vélo").get_by_role(
        "button", name="Publier"
    ).click()
    expect(page.get_by_text("La phrase nº 9 est publiée.")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Rapport de l'animateur").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapport : Notre plan 2027")
    expect(page.get_by_role("heading", name="Groupe A", exact=False).first).to_be_visible()
    check_a11y(page)
