"""Assemblies, as people use them: in French, on a 320 px phone, without JavaScript.

Awa, a member of the users' college of « La Ruche » (a SCIC), votes online on the
coming assembly and notes her ballot trackers. Denise, of the bureau, finds a
member by number and records a postal vote. axe checks every page they see.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.helpers import login_with_password
from faireavec.accounts.tests.factories import UserFactory
from faireavec.governance.models import (
    Ballot,
    BoardQuestion,
    Body,
    Member,
    Poll,
    PollParticipation,
    VoteRecord,
)
from faireavec.governance.services import (
    board_question_ask,
    discussion_reply,
    discussion_start,
    election_create,
    poll_answer,
    poll_close,
    poll_create,
    seat_add,
)
from faireavec.governance.tests.factories import MemberFactory, convened_assembly, scic
from faireavec.organisations.models import Organisation, Role
from faireavec.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "motdepasse-solide-42"
PHONE_320 = {"width": 320, "height": 640}


def _person(org, email, name, role):
    user = UserFactory(email=email, display_name=name, password=PASSWORD)
    user.emailaddress_set.create(email=email, verified=True, primary=True)
    MembershipFactory(organisation=org, user=user, role=role)
    return user


@pytest.fixture
def world():
    org = OrganisationFactory(
        name="La Ruche", slug="la-ruche", legal_form=Organisation.LegalForm.SCIC
    )
    awa = _person(org, "awa@example.org", "Awa Diallo", Role.PARTICIPANT)
    denise = _person(org, "denise@example.org", "Denise Petit", Role.FACILITATOR)
    _o, colleges, _m = scic(organisation=org)
    MemberFactory(
        organisation=org, user=awa, college=colleges[0], number="S-0042", name="Awa Diallo"
    )
    MemberFactory(organisation=org, college=colleges[1], number="S-0077", name="Bernard Leroy")
    assembly, _c, _m = convened_assembly(organisation=org, resolutions=2)
    return {"org": org, "assembly": assembly, "awa": awa, "denise": denise}


def test_a_member_votes_on_a_320_px_phone_without_javascript(page, check_a11y, world):
    page.set_viewport_size(PHONE_320)
    assembly = world["assembly"]
    login_with_password(page, "awa@example.org", PASSWORD)
    page.goto("/la-ruche/assemblees/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Assemblées générales")
    check_a11y(page)
    page.get_by_role("link", name=assembly.title).click()
    expect(page.get_by_text("Vous avez 2 votes à donner.")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Voter", exact=True).click()
    expect(page.get_by_role("heading", level=2, name="Mon vote")).to_be_visible()
    check_a11y(page)
    # The page fits the phone: nothing wider than the screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
    first, second = assembly.resolutions.all()
    page.get_by_role("group", name=str(first)).get_by_label("pour").check()
    page.get_by_role("group", name=str(second)).get_by_label("abstention").check()
    page.get_by_role("button", name="Envoyer mon vote").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre vote est enregistré")
    check_a11y(page)
    trackers = page.locator("code.tracker").all_inner_texts()
    assert len(trackers) == 2 and all(re.fullmatch(r"[A-Z0-9]{12}", t) for t in trackers)
    assert set(Ballot.objects.values_list("tracker", flat=True)) == set(trackers)
    page.get_by_role("link", name="Retour à l'assemblée").click()
    expect(page.get_by_text("Vos votes sont enregistrés. Merci.")).to_be_visible()
    check_a11y(page)


def test_the_bureau_records_a_postal_vote(page, check_a11y, world):
    assembly = world["assembly"]
    login_with_password(page, "denise@example.org", PASSWORD)
    page.goto(f"/la-ruche/gestion/assemblees/{assembly.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(assembly.title)
    check_a11y(page)
    page.get_by_role("link", name="Bureau : présences et votes papier").click()
    check_a11y(page)
    page.get_by_label("Numéro de sociétaire").fill("S-0077")
    page.get_by_role("button", name="Trouver le sociétaire").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("Bernard Leroy"))).to_be_visible()
    check_a11y(page)
    first, second = assembly.resolutions.all()
    page.get_by_role("group", name="Comment ce vote a été donné").get_by_label(
        "par correspondance"
    ).check()
    page.get_by_role("group", name=str(first)).get_by_label("contre").check()
    page.get_by_role("group", name=str(second)).get_by_label("pour").check()
    page.get_by_role("button", name="Enregistrer le vote").click()
    expect(page.get_by_text("Le vote de S-0077 — Bernard Leroy est enregistré.")).to_be_visible()
    expect(page.get_by_text("Ce sociétaire a voté sur toutes les résolutions.")).to_be_visible()
    check_a11y(page)
    records = VoteRecord.objects.filter(voter__member__number="S-0077")
    assert records.count() == 2 and {r.channel for r in records} == {"postal"}
    assert all(r.recorded_by == world["denise"] for r in records)


def org_members(org):
    return Member.objects.filter(organisation=org).order_by("number")


def _poll(org, *, closed=False):
    now = timezone.now()
    poll = poll_create(
        actor=None,
        poll=Poll(
            organisation=org,
            title="Le nom du tiers-lieu" if not closed else "Les horaires d'hiver",
            method=Poll.Method.MAJORITY_JUDGMENT,
            audience=Poll.Audience.MEMBERS,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=10),
        ),
        options=["La Fabrique", "Le Grenier"] if not closed else ["Matin", "Soir"],
    )
    if closed:
        a, b = poll.options.all()
        poll_answer(poll=poll, user=UserFactory(), marks={a.pk: 4, b.pk: 2})
        poll_close(actor=None, poll=poll)
    return poll


def test_a_member_answers_a_consultation_on_a_320_px_phone(page, check_a11y, world):
    """Awa grades both names of the future place, sends, then reads the result of a
    closed consultation: its words and its table fit the phone."""
    page.set_viewport_size(PHONE_320)
    poll = _poll(world["org"])
    closed = _poll(world["org"], closed=True)
    login_with_password(page, "awa@example.org", PASSWORD)
    page.goto("/la-ruche/consultations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultations")
    check_a11y(page)
    page.get_by_role("link", name=poll.title).click()
    expect(page.get_by_role("heading", level=2, name="Ma réponse")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.get_by_text("Donnez une mention à cette option.").first).to_be_visible()
    check_a11y(page)
    page.get_by_role("group", name="La Fabrique").get_by_label("très bien").check()
    page.get_by_role("group", name="Le Grenier").get_by_label("passable").check()
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.get_by_text("Merci, votre réponse est enregistrée.")).to_be_visible()
    check_a11y(page)
    assert PollParticipation.objects.filter(poll=poll, user=world["awa"]).exists()
    page.goto(f"/la-ruche/consultations/{closed.pk}/")
    expect(page.get_by_text("Résultat : « Matin » arrive en tête.")).to_be_visible()
    expect(page.get_by_role("table")).to_be_visible()
    check_a11y(page)


def test_a_member_asks_the_board_a_question_on_a_320_px_phone(page, check_a11y, world):
    """Awa asks the board a question in the members' space; Denise, of the team, sees
    it waiting in the back office."""
    page.set_viewport_size(PHONE_320)
    login_with_password(page, "awa@example.org", PASSWORD)
    page.goto("/la-ruche/espace-societaires/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace sociétaires")
    check_a11y(page)
    page.get_by_role("link", name="Poser une question au conseil").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Poser une question au conseil")
    check_a11y(page)
    page.get_by_role("button", name="Envoyer ma question").click()
    check_a11y(page)
    page.get_by_label("Votre question").fill("Quand aura lieu la prochaine assemblée ?")
    page.get_by_role("button", name="Envoyer ma question").click()
    expect(page.get_by_text("Votre question est transmise au conseil.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Quand aura lieu la prochaine assemblée ?"
    )
    check_a11y(page)
    assert BoardQuestion.objects.filter(author=world["awa"]).count() == 1
    page.context.clear_cookies()
    login_with_password(page, "denise@example.org", PASSWORD)
    page.goto("/la-ruche/gestion/espace-societaires/")
    expect(
        page.get_by_role("heading", level=2, name="Questions en attente de réponse")
    ).to_be_visible()
    expect(page.get_by_text("Quand aura lieu la prochaine assemblée ?")).to_be_visible()
    check_a11y(page)


def test_the_board_runs_consultations_the_members_space_and_an_election(page, check_a11y, world):
    """Claire, an administrator, prepares a consultation (with a mistake first), reads
    a closed one's result, answers a member's question, opens a discussion's
    moderation, prepares an election of a seat and reads its result; axe checks
    every page."""
    org = world["org"]
    _person(org, "claire@example.org", "Claire Martin", Role.ADMIN)
    closed = _poll(org, closed=True)
    question = board_question_ask(
        author=world["awa"], organisation=org, title="Les comptes ?", body="Avant l'AG."
    )
    discussion = discussion_start(
        author=world["awa"], organisation=org, title="Covoiturage", body="Qui vient ?"
    )
    discussion_reply(author=world["awa"], discussion=discussion, body="Moi.")
    body = Body.objects.create(organisation=org, kind=Body.Kind.BOARD, name="Conseil")
    seat = seat_add(actor=None, body=body, label="Présidence", reserved_for="none", college=None)
    members = list(org_members(org)[:2])
    election = election_create(
        actor=None,
        body=body,
        seats=[seat],
        candidates=[(m, False) for m in members],
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=1),
        mandates_start_on=timezone.localdate(),
    )
    first = election.poll.options.first()
    poll_answer(poll=election.poll, user=world["awa"], marks={first.pk: 1})
    poll_close(actor=None, poll=election.poll)
    login_with_password(page, "claire@example.org", PASSWORD)

    page.goto("/la-ruche/gestion/consultations/")
    check_a11y(page)
    page.get_by_role("link", name="Poser une question").first.click()
    check_a11y(page)
    page.get_by_label("Question").fill("Quels horaires ?")
    page.get_by_role("button", name="Créer la consultation").click()
    expect(page).to_have_title(re.compile("^Erreur"))
    check_a11y(page)
    page.goto(f"/la-ruche/gestion/consultations/{closed.pk}/")
    expect(page.get_by_role("table")).to_be_visible()
    check_a11y(page)

    page.goto("/la-ruche/gestion/espace-societaires/")
    check_a11y(page)
    page.get_by_role("link", name="Les comptes ?").click()
    check_a11y(page)
    page.get_by_label("La réponse du conseil").fill("En ligne quinze jours avant.")
    page.get_by_role("button", name="Publier la réponse").click()
    expect(page.get_by_text("La réponse est publiée sous la question.")).to_be_visible()
    check_a11y(page)
    page.goto(question.get_absolute_url())
    expect(page.get_by_text("En ligne quinze jours avant.")).to_be_visible()
    check_a11y(page)
    page.goto(discussion.get_absolute_url())
    page.get_by_text("Masquer (modération)").first.click()
    check_a11y(page)

    page.goto(f"/la-ruche/gestion/instances/{body.pk}/")
    check_a11y(page)
    page.get_by_role("link", name="Élire des sièges").click()
    check_a11y(page)
    page.goto(election.get_absolute_url())
    expect(page.get_by_role("heading", level=2, name="Personnes élues")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Enregistrer les mandats des personnes élues").click()
    expect(page.get_by_text("1 mandat enregistré sur le siège.")).to_be_visible()
    check_a11y(page)


def test_a_member_starts_a_discussion_and_reads_a_reply(page, check_a11y, world):
    page.set_viewport_size(PHONE_320)
    login_with_password(page, "awa@example.org", PASSWORD)
    page.goto("/la-ruche/espace-societaires/")
    check_a11y(page)
    page.get_by_role("link", name="Lancer une discussion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lancer une discussion")
    check_a11y(page)
    page.get_by_label("Sujet").fill("Covoiturage pour l'assemblée")
    page.get_by_label("Message").fill("Qui part de la gare ?")
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_text("Votre discussion est ouverte.")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Votre réponse").fill("Je précise : vers 17 h.")
    page.get_by_role("button", name="Publier ma réponse").click()
    expect(page.get_by_text("Je précise : vers 17 h.")).to_be_visible()
    check_a11y(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
