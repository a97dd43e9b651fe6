"""Error pages as people meet them: in French, in the shell, with a way on.

A visitor follows a dead link (404) and finds the way home; a participant opens
a back-office page (403) and is told whom to ask; someone sends a form after
their session cookie went away (CSRF failure) and is told what to do.
"""

import pytest
from playwright.sync_api import expect

from e2e.helpers import login_with_password
from faireavec.accounts.tests.factories import UserFactory
from faireavec.organisations.models import Role
from faireavec.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "motdepasse-solide-42"


def test_a_dead_link_then_a_closed_page_then_an_expired_form(new_page, check_a11y):
    org = OrganisationFactory(name="La Ruche", slug="la-ruche")
    lucas = UserFactory(email="lucas@example.org", display_name="Lucas", password=PASSWORD)
    lucas.emailaddress_set.create(email=lucas.email, verified=True, primary=True)
    MembershipFactory(organisation=org, user=lucas, role=Role.PARTICIPANT)

    visitor = new_page()
    response = visitor.goto("/la-ruche/idees/999999/")
    assert response.status == 404
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    expect(visitor).to_have_title("Page introuvable — La Ruche — FaireAvec")
    check_a11y(visitor)
    visitor.get_by_role("main").get_by_role("link", name="Accueil de La Ruche").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("La Ruche")
    check_a11y(visitor)

    page = new_page()
    login_with_password(page, "lucas@example.org", PASSWORD)
    response = page.goto("/la-ruche/gestion/journal/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    expect(page.get_by_role("main")).to_contain_text("une personne qui administre La Ruche")
    check_a11y(page)

    # The session cookie is gone (browser closed, cookies cleared): the form is refused.
    page.goto("/preferences/")
    check_a11y(page)
    page.context.clear_cookies()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Le formulaire n'a pas pu être envoyé"
    )
    check_a11y(page)
