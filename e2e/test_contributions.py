"""Listening and follow-up, as people use it: in French, on a phone, without JavaScript.

An anonymous person gives an idea from the organisation's page (accepting the
charter once), keeps the follow-up code, and later follows the idea with it
from another browser. A facilitator answers from the inbox; the person sees the
answer, and it shows on « Vous avez dit, nous avons fait ». axe checks every page.
"""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from e2e.helpers import login_with_password
from faireavec.accounts.tests.factories import UserFactory
from faireavec.contributions.models import Contribution, HistoryEntry, Status
from faireavec.organisations.models import Role
from faireavec.organisations.tests.factories import (
    CharterVersionFactory,
    MembershipFactory,
    OrganisationFactory,
    SiteFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "motdepasse-solide-42"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The live server shares this process's cache: start each test with no counters."""
    cache.clear()


@pytest.fixture
def setting():
    org = OrganisationFactory(name="La Ruche", slug="la-ruche")
    SiteFactory(organisation=org, name="Épicerie solidaire")
    CharterVersionFactory(organisation=org, text="Nous écoutons et nous répondons.")
    facilitator = UserFactory(email="karim@example.org", display_name="Karim")
    facilitator.emailaddress_set.create(email=facilitator.email, verified=True, primary=True)
    MembershipFactory(organisation=org, user=facilitator, role=Role.FACILITATOR)
    return org


def test_anonymous_idea_followed_with_its_code_and_answered(new_page, check_a11y, setting):
    # The person opens « Donner mon avis » from the organisation's page.
    person = new_page()
    person.goto("/la-ruche/")
    check_a11y(person)
    person.get_by_role("link", name="Donner mon avis").first.click()

    # The charter, once, before a first contribution.
    expect(person.get_by_role("heading", level=1)).to_contain_text("charte")
    check_a11y(person)
    person.get_by_role("button", name="J'ai lu, je continue").click()

    # The form: a missing text gets a clear message tied to the field.
    expect(person.get_by_role("heading", level=1)).to_have_text("Donner mon avis")
    check_a11y(person)
    person.get_by_role("radio", name=re.compile("Une idée")).check()
    person.get_by_label("En quelques mots").fill("Des bancs devant l'épicerie")
    person.get_by_role("button", name="Envoyer mon message").click()
    expect(person.get_by_role("alert")).to_contain_text("Racontez-nous")
    check_a11y(person)
    assert not Contribution.objects.exists()

    person.get_by_role("radio", name=re.compile("Une idée")).check()
    person.get_by_label("Racontez-nous").fill("Les personnes âgées attendent debout.")
    person.get_by_label("De quel lieu ou service s'agit-il ?").select_option(
        label="Épicerie solidaire"
    )
    person.get_by_role("button", name="Envoyer mon message").click()

    # The follow-up code, to keep.
    expect(person.get_by_role("heading", name="Votre code de suivi")).to_be_visible()
    check_a11y(person)
    code = person.locator(".follow-up-code").inner_text().replace(" ", "")
    contribution = Contribution.objects.get()
    assert code == contribution.follow_up_code
    assert contribution.author is None and contribution.site.name == "Épicerie solidaire"

    # Later, from another phone: a wrong code, then the right one.
    later = new_page()
    later.goto("/la-ruche/avis/suivi/")
    check_a11y(later)
    later.get_by_label("Votre code de suivi").fill("AAAAAAAAAA")
    later.get_by_role("button", name="Voir mon avis").click()
    expect(later.get_by_role("alert")).to_contain_text("Nous n'avons rien trouvé")
    check_a11y(later)
    later.get_by_label("Votre code de suivi").fill(code.lower())
    later.get_by_role("button", name="Voir mon avis").click()
    expect(later.get_by_role("heading", level=1)).to_have_text("Des bancs devant l'épicerie")
    expect(later.locator(".status")).to_have_text("Reçue")
    check_a11y(later)
    follow_up_url = later.url

    # The facilitator answers from the inbox, with the plain form (no JavaScript).
    team = new_page()
    login_with_password(team, "karim@example.org", PASSWORD)
    team.goto("/la-ruche/gestion/avis/")
    expect(team.get_by_role("heading", level=1)).to_have_text("Contributions")
    check_a11y(team)
    row = team.locator(f"#contribution-{contribution.pk}")
    row.locator("summary").click()  # a <details>: opens without JavaScript
    row.get_by_label("Nouvel état").select_option(label="Refusée")
    row.get_by_role("button", name="Changer l'état").click()
    # Declining without a reason is refused and nothing changes: the contribution's
    # page comes back with the error summary, the message beside its field, and the
    # chosen status kept.
    expect(team).to_have_title(re.compile("^Erreur : "))
    summary = team.get_by_role("alert")
    expect(summary).to_contain_text("Dites pourquoi l'idée est refusée")
    summary.get_by_role("link").first.click()
    expect(team.get_by_label("Nouvel état")).to_have_value("declined")
    check_a11y(team)
    contribution.refresh_from_db()
    assert contribution.status == Status.RECEIVED

    team.get_by_role("link", name="Retour aux contributions").click()
    check_a11y(team)
    row = team.locator(f"#contribution-{contribution.pk}")
    row.locator("summary").click()
    row.get_by_label("Nouvel état").select_option(label="Acceptée")
    row.get_by_label("Message à la personne").fill("Oui : deux bancs arrivent en mars.")
    row.get_by_role("button", name="Changer l'état").click()
    expect(team.locator(".messages")).to_contain_text("« acceptée »")
    expect(team).to_have_url(re.compile("/la-ruche/gestion/avis/"))
    check_a11y(team)

    # The manage page: the history shows who did it.
    team.get_by_role("link", name="Des bancs devant l'épicerie", exact=True).click()
    expect(team.get_by_role("heading", level=1)).to_have_text("Des bancs devant l'épicerie")
    check_a11y(team)
    team.get_by_label("Ce qui a été fait").fill("Les bancs sont installés.")
    team.get_by_role("button", name="Enregistrer la réponse").click()
    expect(team.locator(".messages")).to_contain_text("La réponse est enregistrée")
    check_a11y(team)
    entry = contribution.history.get(event=HistoryEntry.Event.STATUS)
    assert entry.actor.email == "karim@example.org"

    # The person sees the answer with the code.
    later.goto(follow_up_url)
    expect(later.locator(".status")).to_have_text("Acceptée")
    expect(later.get_by_role("main")).to_contain_text("Oui : deux bancs arrivent en mars.")
    expect(later.get_by_role("main")).to_contain_text("Les bancs sont installés.")
    check_a11y(later)

    # And anyone sees it on « Vous avez dit, nous avons fait », without a name.
    later.goto("/la-ruche/")
    later.get_by_role("link", name="Vous avez dit, nous avons fait").first.click()
    expect(later.get_by_role("heading", level=1)).to_have_text("Vous avez dit, nous avons fait")
    expect(later.get_by_role("main")).to_contain_text("Des bancs devant l'épicerie")
    expect(later.get_by_role("main")).to_contain_text("Oui : deux bancs arrivent en mars.")
    check_a11y(later)


def test_public_idea_supported_once_and_reported(new_page, check_a11y, setting):
    """A participant supports a public idea (once), a visitor reports it, the team hides it."""
    org = setting
    from faireavec.contributions.services import contribution_create, contribution_set_public

    facilitator = org.memberships.get(role=Role.FACILITATOR).user
    idea = contribution_create(
        organisation=org, kind="idea", title="Un troc de vêtements", body="Pour les enfants."
    )
    contribution_set_public(actor=facilitator, contribution=idea, public=True)
    participant = UserFactory(email="lucas@example.org")
    participant.emailaddress_set.create(email=participant.email, verified=True, primary=True)
    MembershipFactory(organisation=org, user=participant, role=Role.PARTICIPANT)

    lucas = new_page()
    login_with_password(lucas, "lucas@example.org", PASSWORD)
    lucas.goto("/la-ruche/idees/")
    check_a11y(lucas)
    lucas.get_by_role("link", name="Un troc de vêtements").click()
    check_a11y(lucas)
    lucas.get_by_role("button", name="Je soutiens cette idée").click()
    expect(lucas.get_by_role("status")).to_contain_text("Merci pour votre soutien")
    expect(lucas.get_by_role("heading", name="1 soutien")).to_be_visible()
    check_a11y(lucas)
    lucas.get_by_label("Votre commentaire").fill("Je peux apporter des habits.")
    lucas.get_by_role("button", name="Publier mon commentaire").click()
    expect(lucas.get_by_role("main")).to_contain_text("Je peux apporter des habits.")
    check_a11y(lucas)

    visitor = new_page()
    visitor.goto(f"/la-ruche/idees/{idea.pk}/")
    check_a11y(visitor)
    visitor.get_by_role("link", name="Signaler cette idée à l'équipe").click()
    check_a11y(visitor)
    visitor.get_by_role("button", name="Envoyer le signalement").click()
    expect(visitor.get_by_role("status")).to_contain_text("Merci")
    assert idea.reports.count() == 1

    team = new_page()
    login_with_password(team, "karim@example.org", PASSWORD)
    team.goto("/la-ruche/gestion/avis/moderation/")
    check_a11y(team)
    team.get_by_role("link", name="Un troc de vêtements", exact=True).click()
    team.get_by_label("Raison (gardée dans l'historique)").first.fill("Vérifié : rien à redire.")
    team.get_by_role("button", name="Le masquer").click()
    expect(team.locator(".messages")).to_contain_text("masquée")
    check_a11y(team)
    visitor.goto(f"/la-ruche/idees/{idea.pk}/")
    expect(visitor.get_by_role("heading", level=1)).not_to_have_text("Un troc de vêtements")


def test_assisted_complaint_overdue_escalation_and_poster(new_page, check_a11y, setting, outbox):
    """A facilitator writes down a phone complaint (with consent to keep the number), finds
    it among overdue complaints later, tells the administrators, and prints the poster."""
    from datetime import timedelta

    from django.utils import timezone

    from faireavec.core.models import Notification

    org = setting
    admin = UserFactory(email="claire@example.org", display_name="Claire")
    MembershipFactory(organisation=org, user=admin, role=Role.ADMIN)

    team = new_page()
    login_with_password(team, "karim@example.org", PASSWORD)
    team.goto("/la-ruche/gestion/avis/")
    check_a11y(team)
    team.get_by_role("link", name="Noter un avis pour quelqu'un").click()
    expect(team.get_by_role("heading", level=1)).to_have_text("Noter un avis pour quelqu'un")
    check_a11y(team)
    team.get_by_role("radio", name="Par téléphone").check()
    team.get_by_role("radio", name="Réclamation").check()
    team.get_by_label("En quelques mots").fill("Rampe absente jeudi")
    team.get_by_label("Ce que la personne a dit").fill("Mme Diallo n'a pas pu entrer en fauteuil.")
    team.get_by_label("Nom de la personne").fill("Mme Diallo")
    team.get_by_label("Comment joindre la personne").fill("06 12 34 56 78")
    team.get_by_role("button", name="Enregistrer").click()
    # Contact details without consent: refused, nothing written.
    expect(team.get_by_role("alert")).to_contain_text("Sans l'accord de la personne")
    check_a11y(team)
    assert not Contribution.objects.exists()
    team.get_by_role("radio", name="Par téléphone").check()
    team.get_by_role("radio", name="Réclamation").check()
    team.get_by_label(re.compile("La personne est d'accord")).check()
    team.get_by_role("button", name="Enregistrer").click()
    complaint = Contribution.objects.get()
    expect(team.locator(".messages")).to_contain_text(complaint.follow_up_code)
    check_a11y(team)
    assert complaint.channel == "phone" and complaint.contact_consent
    assert complaint.recorded_by.email == "karim@example.org"

    # Six weeks later it is still not answered: overdue.
    Contribution.objects.filter(pk=complaint.pk).update(
        created_at=timezone.now() - timedelta(days=42),
        acknowledge_due=timezone.now() - timedelta(days=35),
        answer_due=timezone.now() - timedelta(days=12),
    )
    team.goto("/la-ruche/gestion/avis/en-retard/")
    expect(team.get_by_role("link", name="Rampe absente jeudi", exact=True)).to_be_visible()
    check_a11y(team)
    team.get_by_role("button", name="Prévenir la direction maintenant").click()
    expect(team.locator(".messages")).to_contain_text("1 réclamation(s)")
    check_a11y(team)
    assert Notification.objects.filter(recipient=admin).count() == 1
    team.get_by_role("button", name="Prévenir la direction maintenant").click()
    expect(team.locator(".messages")).to_contain_text("rien à signaler")
    check_a11y(team)
    assert Notification.objects.filter(recipient=admin).count() == 1

    # The inbox filtered on overdue complaints shows it too.
    team.goto("/la-ruche/gestion/avis/")
    check_a11y(team)
    team.locator("summary", has_text="Filtrer").click()  # folded on a phone
    team.get_by_label("Seulement les réclamations en retard").check()
    team.get_by_role("button", name="Filtrer").click()
    expect(team.get_by_role("link", name="Rampe absente jeudi", exact=True)).to_be_visible()
    check_a11y(team)

    # The poster of « Donner mon avis », to print.
    team.get_by_role("link", name="Affiche « Donner mon avis »").click()
    expect(team.locator("svg")).to_have_count(1)
    check_a11y(team)


def test_signed_in_participant_finds_their_contributions(new_page, check_a11y, setting):
    org = setting
    participant = UserFactory(email="lucas@example.org", display_name="Lucas")
    participant.emailaddress_set.create(email=participant.email, verified=True, primary=True)
    MembershipFactory(organisation=org, user=participant, role=Role.PARTICIPANT)
    lucas = new_page()
    login_with_password(lucas, "lucas@example.org", PASSWORD)
    lucas.goto("/la-ruche/avis/")
    check_a11y(lucas)
    lucas.get_by_role("button", name="J'ai lu, je continue").click()
    expect(lucas.get_by_label("En quelques mots")).to_be_visible()
    check_a11y(lucas)
    lucas.get_by_role("radio", name=re.compile("Un témoignage")).check()
    lucas.get_by_label("En quelques mots").fill("Merci pour l'accueil")
    lucas.get_by_label("Racontez-nous").fill("L'équipe a été très patiente.")
    lucas.get_by_label(re.compile("Afficher mon nom")).check()
    lucas.get_by_role("button", name="Envoyer mon message").click()
    expect(lucas.locator(".status")).to_have_text("Reçue")
    check_a11y(lucas)
    lucas.goto("/la-ruche/")
    check_a11y(lucas)
    lucas.get_by_role("link", name="Mes contributions").first.click()
    expect(lucas.get_by_role("link", name="Merci pour l'accueil")).to_be_visible()
    check_a11y(lucas)
    c = Contribution.objects.get()
    assert c.author == participant and c.show_author_name


def test_with_javascript_htmx_swaps_keep_the_focus_and_are_announced(new_page, check_a11y, setting):
    """With JavaScript on, supporting an idea and changing a status from the
    inbox swap only a part of the page: the focus goes to the new part (the
    button pressed is gone) and the polite live region says what happened."""
    org = setting
    from faireavec.contributions.services import contribution_create, contribution_set_public

    facilitator = org.memberships.get(role=Role.FACILITATOR).user
    idea = contribution_create(
        organisation=org, kind="idea", title="Un troc de vêtements", body="Pour les enfants."
    )
    contribution_set_public(actor=facilitator, contribution=idea, public=True)
    participant = UserFactory(email="lucas@example.org")
    participant.emailaddress_set.create(email=participant.email, verified=True, primary=True)
    MembershipFactory(organisation=org, user=participant, role=Role.PARTICIPANT)

    lucas = new_page(javascript=True)
    login_with_password(lucas, "lucas@example.org", PASSWORD)
    lucas.goto(f"/la-ruche/idees/{idea.pk}/")
    check_a11y(lucas)
    url_before = lucas.url
    lucas.get_by_role("button", name="Je soutiens cette idée").focus()
    lucas.keyboard.press("Enter")
    expect(lucas.get_by_role("heading", name="1 soutien")).to_be_visible()
    expect(lucas.locator("#support")).to_be_focused()
    expect(lucas.locator("#htmx-live")).to_have_text(re.compile("Merci pour votre soutien"))
    assert lucas.url == url_before, "a partial swap, not a new page"
    check_a11y(lucas)
    # Withdrawn: the new outcome is announced, the focus again in the new block.
    lucas.get_by_role("button", name="Retirer mon soutien").click()
    expect(lucas.locator("#htmx-live")).to_have_text(re.compile("retiré"))
    expect(lucas.locator("#support")).to_be_focused()

    karim = new_page(javascript=True)
    login_with_password(karim, "karim@example.org", PASSWORD)
    karim.goto("/la-ruche/gestion/avis/")
    check_a11y(karim)
    row = karim.locator(f"#contribution-{idea.pk}")
    row.locator("summary").click()
    row.get_by_label("Nouvel état").select_option(label="À l'étude")
    row.get_by_role("button", name="Changer l'état").click()
    expect(row.get_by_text("Enregistré.")).to_be_visible()
    expect(karim.locator(f"#contribution-{idea.pk}")).to_be_focused()
    expect(karim.locator("#htmx-live")).to_have_text("Enregistré.")
    idea.refresh_from_db()
    assert idea.status == Status.UNDER_STUDY
    # The inbox filter: the focus stays on its button (not replaced), the count is announced.
    karim.locator("summary", has_text="Filtrer").click()  # folded on a phone
    karim.get_by_role("button", name="Filtrer").click()
    expect(karim.locator("#htmx-live")).to_have_text(re.compile(r"^1 contribution$"))
    expect(karim.get_by_role("button", name="Filtrer")).to_be_focused()
    check_a11y(karim)
