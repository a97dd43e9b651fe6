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


def test_a_visitor_finds_the_map_on_the_initiatives_page_and_votes(page, check_a11y, world):
    """The conversation belongs to the initiative's current phase: its page lists it,
    and voting works there too, without JavaScript on a phone."""
    from datetime import timedelta

    from django.utils import timezone

    from faireavec.opinions.services import conversation_update
    from faireavec.processes.tests.factories import InitiativeFactory, PhaseFactory

    today = timezone.localdate()
    phase = PhaseFactory(
        initiative=InitiativeFactory(organisation=world["org"], title="Plan stratégique"),
        title="Consultation",
        allows_vote_opinion=True,
        starts_on=today - timedelta(days=3),
        ends_on=today + timedelta(days=10),
    )
    conversation = conversation_update(conversation=world["conversation"], actor=None, phase=phase)
    page.goto(phase.initiative.get_absolute_url())
    check_a11y(page)
    block = page.get_by_role("region", name="Cartes des opinions")
    block.get_by_role("link", name="Notre plan 2027").click()
    expect(page.get_by_text("Fait partie de la démarche")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="D'accord", exact=True).click()
    expect(page.get_by_text("est enregistré")).to_be_visible()
    check_a11y(page)
    assert Vote.objects.filter(voter__number=17, voter__conversation=conversation).count() == 1


def test_a_facilitator_imports_a_polis_conversation_and_exports_it(
    page, check_a11y, world, tmp_path
):
    """The files are checked first: the preview lists each row left out and why,
    nothing is written; confirming imports it as a draft with its map."""
    login_with_password(page, "karim@example.org", PASSWORD)
    page.goto("/la-ruche/gestion/cartes-des-opinions/")
    check_a11y(page)
    page.get_by_role("link", name="Importer une conversation Pol.is").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer une conversation Pol.is")
    check_a11y(page)
    comments = tmp_path / "comments.csv"
    comments.write_text(
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        + "".join(f"1400000000,x,{i},0,0,0,1,Idée numéro {i}\n" for i in range(6))
        + "1400000000,x,6,0,0,0,1,\n",
        encoding="utf-8",
    )
    lines = ["timestamp,datetime,comment-id,voter-id,vote"]
    for voter in range(30):
        for comment in range(6):
            lines.append(f"1400000100,x,{comment},{voter},{1 if (voter + comment) % 2 else -1}")
    lines.append("1400000200,x,42,3,1")
    votes = tmp_path / "votes.csv"
    votes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page.get_by_label("Fichier comments.csv").set_input_files(str(comments))
    page.get_by_label("Fichier votes.csv").set_input_files(str(votes))
    page.get_by_role("button", name="Vérifier les fichiers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier l\u2019import")
    problems = page.get_by_role(
        "region", name="Lignes avec des problèmes (elles ne seront pas importées)"
    )
    expect(problems).to_contain_text("Le comment-body est vide.")
    expect(problems).to_contain_text("Le commentaire 42 ne fait pas partie des phrases importées.")
    check_a11y(page)
    assert not OpinionParticipant.objects.filter(imported=True).exists()
    page.get_by_role("button", name="Importer la conversation et ses 180 votes").click()
    expect(page.locator("#job-progress")).to_contain_text("terminé")
    check_a11y(page)
    page.get_by_role("link", name="Voir le résultat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("comments")
    expect(page.get_by_text("180 votes de 30 personnes")).to_be_visible()
    check_a11y(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Exporter").click()
    assert download.value.suggested_filename.endswith(".zip")
