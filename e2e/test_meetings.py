"""Meetings, as people use them: in French, on a phone, without JavaScript.

Aïcha, who has no account, registers for a full workshop on a 320 px phone: she
lands on the waiting list, then takes the seat that frees, from the link of her
registration. Samia proposes a topic for the open forum and supports another;
Karim, facilitator, places the topics on the board with plain forms and sees the
conflicts. axe checks every page they see.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.helpers import login_with_password
from faireavec.accounts.tests.factories import UserFactory
from faireavec.meetings import services
from faireavec.meetings.models import ForumTopic, Kind, MeetingRegistration
from faireavec.meetings.tests.factories import MeetingFactory, guest
from faireavec.organisations.models import Role
from faireavec.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "motdepasse-solide-42"
Status = MeetingRegistration.Status


@pytest.fixture
def world():
    org = OrganisationFactory(name="La Ruche", slug="la-ruche")
    karim = UserFactory(email="karim@example.org", display_name="Karim Benali", password=PASSWORD)
    karim.emailaddress_set.create(email="karim@example.org", verified=True, primary=True)
    MembershipFactory(organisation=org, user=karim, role=Role.FACILITATOR)
    return {"org": org, "karim": karim}


def test_registering_without_an_account_on_a_small_phone(new_page, check_a11y, world):
    workshop = MeetingFactory(
        organisation=world["org"],
        title="Atelier : nos priorités",
        capacity=1,
        offers_step_free=True,
        online_url="https://visio.exemple.org/atelier",
    )
    first = guest(workshop, 1)
    page = new_page()
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/la-ruche/reunions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Réunions")
    check_a11y(page)
    page.get_by_role("link", name="Atelier : nos priorités").click()
    expect(page.get_by_text("accès de plain-pied")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Rejoindre la liste d'attente").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("S'inscrire")
    check_a11y(page)
    # Without a contact nor the consent: refused, in French, nothing written.
    page.get_by_label("Votre nom").fill("Aïcha Benali")
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_text("Cochez cette case").first).to_be_visible()
    check_a11y(page)
    assert not MeetingRegistration.objects.filter(name="Aïcha Benali").exists()
    page.get_by_label("Ou votre numéro de téléphone").fill("06 11 22 33 44")
    page.get_by_label("J'accepte que l'organisation").check()
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre inscription")
    expect(page.get_by_text("Vous êtes sur la liste d'attente").first).to_be_visible()
    check_a11y(page)
    aicha = MeetingRegistration.objects.get(name="Aïcha Benali")
    assert aicha.status == Status.WAITING
    # The first person cancels: the seat is offered to Aïcha, who takes it.
    services.registration_cancel(registration=first)
    page.reload()
    page.get_by_role("button", name="Je prends la place").click()
    expect(page.get_by_text("La place est à vous").first).to_be_visible()
    check_a11y(page)
    aicha.refresh_from_db()
    assert aicha.status == Status.CONFIRMED


def test_the_open_forum_board_without_javascript(new_page, check_a11y, world):
    start = timezone.now() + timedelta(days=3)
    forum = MeetingFactory(
        organisation=world["org"],
        kind=Kind.OPEN_FORUM,
        title="Forum ouvert du quartier",
        starts_at=start,
        ends_at=start + timedelta(hours=4),
    )
    karim = world["karim"]
    small = services.room_add(actor=karim, meeting=forum, name="Bureau", seats=1)
    services.room_add(actor=karim, meeting=forum, name="Grande salle", seats=30)
    services.slot_add(
        actor=karim,
        meeting=forum,
        starts_at=start + timedelta(hours=1),
        ends_at=start + timedelta(hours=2),
    )
    services.topic_propose(meeting=forum, title="Un atelier vélo", host_name="Océane")

    samia = new_page()
    samia.goto(f"/la-ruche/reunions/{forum.pk}/forum/")
    expect(samia.get_by_role("heading", level=1)).to_contain_text("Forum ouvert")
    check_a11y(samia)
    samia.get_by_label("Sujet").fill("Un jardin partagé")
    samia.get_by_label("Qui l'anime").fill("Samia")
    samia.get_by_role("button", name="Proposer ce sujet").click()
    expect(samia.get_by_text("Votre sujet est sur la liste").first).to_be_visible()
    check_a11y(samia)
    samia.get_by_role("button", name="Soutenir « Un atelier vélo »").click()
    expect(samia.get_by_text("Votre soutien est compté").first).to_be_visible()
    samia.get_by_role("button", name="Soutenir « Un jardin partagé »").click()
    check_a11y(samia)

    page = new_page()
    login_with_password(page, "karim@example.org", PASSWORD)
    page.goto(f"/la-ruche/gestion/reunions/{forum.pk}/forum/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tableau")
    check_a11y(page)
    garden = ForumTopic.objects.get(title="Un jardin partagé")
    bike = ForumTopic.objects.get(title="Un atelier vélo")
    for topic in (garden, bike):
        form = page.locator(f"form[action$='/sujets/{topic.pk}/placer/']")
        choice = "Bureau" if topic == garden else "Grande salle"
        option = form.locator("option", has_text=choice).first.get_attribute("value")
        form.get_by_label("Salle et horaire").select_option(option)
        form.get_by_role("button").click()
        expect(page.get_by_text("est placé").first).to_be_visible()
        check_a11y(page)
    # Two supports (Samia + none) in a room of one seat: the board does not warn;
    # a second supporter makes the room too small.
    services.topic_support(topic=garden, session_key="another-browser")
    page.reload()
    expect(page.get_by_role("region", name="À regarder")).to_contain_text("salle plus grande")
    expect(page.get_by_role("table", name="Tableau du forum ouvert")).to_contain_text(
        "Un jardin partagé"
    )
    check_a11y(page)
    garden.refresh_from_db()
    assert garden.room == small


def test_a_facilitator_runs_a_meeting_from_the_back_office(new_page, check_a11y, world):
    """Karim creates a meeting, reads its registrations, records attendance, writes
    down what was said and publishes the minutes: every page checked."""
    karim = world["karim"]
    start = timezone.now() - timedelta(hours=1)
    held = MeetingFactory(
        organisation=world["org"],
        title="Pow-wow de novembre",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=2,
    )
    present = guest(held, 1)
    guest(held, 2)
    guest(held, 3)  # waiting
    page = new_page()
    login_with_password(page, "karim@example.org", PASSWORD)
    page.goto("/la-ruche/gestion/reunions/nouvelle/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle réunion")
    check_a11y(page)
    page.get_by_role("button", name="Créer la réunion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle réunion")
    check_a11y(page)  # the errors, in French
    page.goto("/la-ruche/gestion/reunions/serie/nouvelle/")
    check_a11y(page)
    page.goto("/la-ruche/gestion/reunions/")
    check_a11y(page)
    page.get_by_role("link", name="Pow-wow de novembre").click()
    expect(page.get_by_role("table", name="Inscriptions")).to_contain_text("sur liste d'attente")
    check_a11y(page)
    page.get_by_role("checkbox", name=present.name).check()
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_text("Présences enregistrées").first).to_be_visible()
    check_a11y(page)
    present.refresh_from_db()
    assert present.status == Status.ATTENDED
    page.get_by_role("link", name="Recueillir une contribution").click()
    check_a11y(page)
    page.get_by_role("radio", name="Idée").check()
    page.get_by_label("En quelques mots").fill("Un banc")
    page.get_by_label("Ce que la personne a dit").fill("Un banc devant l'entrée, pour attendre.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("code de suivi").first).to_be_visible()
    check_a11y(page)
    page.get_by_label("Compte rendu", exact=True).fill("Nous avons parlé de l'accueil.")
    page.get_by_label("Le publier").check()
    page.get_by_role("button", name="Enregistrer le compte rendu").click()
    expect(page.get_by_text("Le compte rendu est publié").first).to_be_visible()
    page.goto(f"/la-ruche/gestion/reunions/{held.pk}/annuler/")
    check_a11y(page)
    assert karim.pk
