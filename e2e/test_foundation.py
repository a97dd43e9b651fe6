"""The foundation, as people use it: in French, on a phone, without JavaScript.

Claire signs up without a password, creates her association, publishes its
charter and makes an invitation. Bob opens the invitation link, creates his
account, joins, accepts the charter, signs out and signs back in with a code
sent by email. axe checks every page they see.
"""

import re

import pytest
from playwright.sync_api import expect

from e2e.helpers import last_code_sent_to, login_with_password, open_menu
from faireavec.core.i18n import untranslated
from faireavec.core.models import AuditEntry
from faireavec.organisations.models import CharterAcceptance, Membership, Organisation, Role

pytestmark = pytest.mark.django_db(transaction=True)


def sign_up(page, check_a11y, *, email: str, name: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Créer un compte"))
    check_a11y(page)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Votre nom").fill(name)
    page.get_by_role("button", name="Créer mon compte").click()
    # Email verification by code.
    expect(page.get_by_label("Code")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Code").fill(last_code_sent_to(email))
    page.get_by_role("button", name="Confirmer").click()


def test_sign_up_create_invite_join_accept_and_login_by_code(new_page, check_a11y, outbox):
    claire = new_page()
    claire.goto("/")
    check_a11y(claire)
    claire.get_by_role("link", name="Créer un compte").first.click()
    sign_up(claire, check_a11y, email="claire@example.org", name="Claire")

    # Create the organisation; Claire lands in its back office as its administrator.
    claire.goto("/organisations/nouvelle/")
    check_a11y(claire)
    claire.get_by_label("Nom").fill("Les Jardins Partagés")
    claire.get_by_label("Adresse web").fill("jardins-partages")
    claire.get_by_label("Territoire").fill("Roubaix")
    claire.get_by_role("button", name="Créer l'organisation").click()
    expect(claire.get_by_role("heading", level=1)).to_contain_text("Les Jardins Partagés")
    check_a11y(claire)
    org = Organisation.objects.get(slug="jardins-partages")
    assert Membership.objects.get(organisation=org).role == Role.ADMIN

    # A taken address gets a clear message and creates nothing.
    claire.goto("/organisations/nouvelle/")
    claire.get_by_label("Nom").fill("Doublon")
    claire.get_by_label("Adresse web").fill("jardins-partages")
    claire.get_by_role("button", name="Créer l'organisation").click()
    expect(claire.get_by_role("alert")).to_contain_text("déjà prise")
    check_a11y(claire)
    assert Organisation.objects.filter(name="Doublon").count() == 0

    # Publish the charter.
    claire.goto("/jardins-partages/gestion/charte/")
    check_a11y(claire)
    claire.get_by_label("Texte de la charte").fill("Nous écoutons chaque personne.")
    claire.get_by_role("button", name="Publier une nouvelle version").click()
    expect(claire.get_by_role("status")).to_contain_text("version 1")

    # Make a one-person invitation and look at its poster.
    claire.goto("/jardins-partages/gestion/invitations/")
    check_a11y(claire)
    claire.get_by_label("Libellé").fill("Pour Bob")
    claire.get_by_role("button", name="Créer l'invitation").click()
    link = claire.get_by_role("textbox", name="Lien d'invitation").input_value()
    check_a11y(claire)
    claire.get_by_role("link", name="Affiche A4 à imprimer").click()
    expect(claire.locator("svg")).to_have_count(1)
    check_a11y(claire)

    # Bob opens the link, creates his account and comes back to join.
    bob = new_page()
    bob.goto(link)
    expect(bob.get_by_role("heading", level=1)).to_contain_text("Rejoindre Les Jardins Partagés")
    check_a11y(bob)
    bob.get_by_role("link", name="Créer un compte").last.click()
    sign_up(bob, check_a11y, email="bob@example.org", name="Bob")
    expect(bob).to_have_url(re.compile("/jardins-partages/rejoindre/"))
    bob.get_by_role("button", name="Rejoindre").click()
    expect(bob.get_by_role("status")).to_contain_text("Bienvenue")
    check_a11y(bob)
    assert (
        Membership.objects.get(organisation=org, user__email="bob@example.org").role
        == Role.PARTICIPANT
    )

    # The invitation was for one person: a second use is refused clearly.
    eve = new_page()
    eve.goto(link)
    expect(eve.get_by_role("alert")).to_contain_text("déjà été utilisée")
    check_a11y(eve)

    # Bob accepts the charter once, before his first contribution.
    bob.goto("/jardins-partages/charte/accepter/?next=/jardins-partages/")
    check_a11y(bob)
    bob.get_by_role("button", name="J'ai lu, je continue").click()
    expect(bob).to_have_url(re.compile("/jardins-partages/$"))
    assert CharterAcceptance.objects.filter(user__email="bob@example.org").count() == 1

    # Bob signs out, then signs in with a code sent by email (no password).
    open_menu(bob)  # folded on a phone
    bob.get_by_role("button", name="Se déconnecter").click()
    bob.goto("/compte/login/")
    check_a11y(bob)
    bob.get_by_role("link", name="Recevoir un code de connexion par e-mail").click()
    check_a11y(bob)
    bob.get_by_label("E-mail").fill("bob@example.org")
    bob.get_by_role("button", name="M'envoyer un code").click()
    check_a11y(bob)
    bob.get_by_label("Code").fill("WRONG1")
    bob.get_by_role("button", name="Se connecter").click()
    expect(bob.locator(".errorlist")).to_contain_text("Ce n'est pas le bon code.")
    check_a11y(bob)
    bob.get_by_label("Code").fill(last_code_sent_to("bob@example.org"))
    bob.get_by_role("button", name="Se connecter").click()
    bob.goto("/mon-espace/")
    expect(bob.get_by_role("link", name="Les Jardins Partagés", exact=True)).to_be_visible()
    check_a11y(bob)

    assert AuditEntry.objects.filter(organisation=org, action="invitation.accept").exists()


def test_larger_text_and_language_switch_without_javascript(page, check_a11y):
    """The header buttons work as plain forms and are remembered for the visitor."""
    page.goto("/accessibilite/")
    page.get_by_role("button", name="Texte plus grand").click()
    expect(page.locator("html")).to_have_class(re.compile("text-large"))
    check_a11y(page)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check_a11y(page)


def test_participant_pages_charter_sites_notifications_preferences(page, check_a11y):
    """A participant reads the charter and the sites, sees a notification, and
    changes their preferences — all in plain forms, each page checked by axe."""
    from faireavec.core.notifications import notify
    from faireavec.organisations.tests.factories import (
        CharterVersionFactory,
        MembershipFactory,
        OrganisationFactory,
        SiteFactory,
    )

    org = OrganisationFactory(name="La Ruche", slug="la-ruche")
    CharterVersionFactory(organisation=org, number=1, text="Nous écoutons chaque personne.")
    SiteFactory(
        organisation=org,
        name="Épicerie solidaire",
        address="3 place du Marché",
        accessibility="Entrée de plain-pied.",
    )
    lucas = MembershipFactory(organisation=org, role=Role.PARTICIPANT).user
    lucas.emailaddress_set.create(email=lucas.email, verified=True, primary=True)
    notify(
        recipients=[lucas],
        title=untranslated("Votre idée est à l'étude"),
        url="/la-ruche/",
        organisation=org,
    )

    login_with_password(page, lucas.email, "motdepasse-solide-42")
    page.goto("/la-ruche/")
    check_a11y(page)
    page.get_by_role("link", name="Lire notre charte").click()
    expect(page.get_by_text("Nous écoutons chaque personne.")).to_be_visible()
    check_a11y(page)
    open_menu(page)  # folded on a phone
    page.get_by_role("link", name="Nos lieux").first.click()
    expect(page.get_by_role("heading", name="Épicerie solidaire")).to_be_visible()
    check_a11y(page)

    open_menu(page)  # folded on a phone
    page.get_by_role("link", name="Notifications").click()
    expect(page.get_by_role("heading", name="Votre idée est à l'étude")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Tout marquer comme lu").click()
    expect(page.get_by_text("nouveau")).to_have_count(0)

    open_menu(page)
    page.get_by_role("link", name="Préférences").click()
    check_a11y(page)
    page.get_by_label("une fois par jour, en résumé").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("Vos préférences sont enregistrées")
    check_a11y(page)
    lucas.refresh_from_db()
    assert lucas.notification_frequency == "daily"
