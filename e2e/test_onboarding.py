"""A new organisation's first steps, as its administrator meets them: in French, on a
phone, without JavaScript.

Inès creates « Le Jardin du Lac » through the pages and lands on its back office, where
a checklist says what to do first and how far she is. She publishes the charter from
the checklist and sees the progress move. axe checks every page she sees.
"""

import pytest
from playwright.sync_api import expect

from e2e.helpers import login_with_password, open_menu
from faireavec.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "motdepasse-solide-42"


def test_a_new_organisation_follows_its_checklist(page, check_a11y):
    user = UserFactory(email="ines@example.org", display_name="Inès", password=PASSWORD)
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    login_with_password(page, "ines@example.org", PASSWORD)

    page.goto("/organisations/nouvelle/")
    check_a11y(page)
    page.get_by_label("Nom").fill("Le Jardin du Lac")
    page.get_by_label("Adresse web").fill("jardin-du-lac")
    page.get_by_role("button", name="Créer l'organisation").click()

    # The back-office home opens on the checklist: nothing done yet, said in words.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Le Jardin du Lac")
    checklist = page.get_by_role("region", name="Premiers pas")
    expect(checklist).to_contain_text("0 étape sur 5 faite")
    expect(checklist.locator("progress")).to_have_attribute("value", "0")
    expect(checklist.get_by_role("listitem")).to_have_count(5)
    expect(checklist.get_by_role("listitem").first).to_contain_text("à faire")
    check_a11y(page)

    # An empty page says what the module is for and offers the first action.
    page.goto("/jardin-du-lac/gestion/lieux/")
    expect(page.get_by_text("Aucun lieu ni service pour l'instant.")).to_be_visible()
    check_a11y(page)

    # From the checklist, she publishes the charter.
    page.goto("/jardin-du-lac/gestion/")
    page.get_by_role("region", name="Premiers pas").get_by_role(
        "link", name="Publier votre charte"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("harte")
    check_a11y(page)
    page.get_by_label("Texte de la charte").fill("Nous écoutons chaque personne.")
    page.get_by_role("button", name="Publier une nouvelle version").click()
    expect(page.get_by_role("status")).to_contain_text("version 1")

    page.goto("/jardin-du-lac/gestion/")
    checklist = page.get_by_role("region", name="Premiers pas")
    expect(checklist).to_contain_text("1 étape sur 5 faite")
    expect(checklist.locator("progress")).to_have_attribute("value", "1")
    expect(checklist.get_by_role("listitem").first).to_contain_text("faite")
    check_a11y(page)

    # The participants' menu leaves out what is not set up: no needs page yet.
    page.goto("/jardin-du-lac/")
    open_menu(page)  # folded on a phone
    menu = page.get_by_role("navigation", name="Menu de l'organisation")
    expect(menu.get_by_role("link", name="Notre charte")).to_be_visible()
    expect(menu.get_by_role("link", name="Besoins")).to_have_count(0)
    check_a11y(page)
