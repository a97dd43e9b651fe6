"""The page shell on a small phone, without JavaScript: the header's menus fold behind
« Menu » so the page's title is on the first screen, and the triage inbox folds its
filters and bulk actions so the contributions come first. axe checks every page.
"""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from e2e.helpers import login_with_password
from faireavec.accounts.tests.factories import UserFactory
from faireavec.contributions.tests.factories import make_contribution
from faireavec.organisations.models import Role
from faireavec.organisations.tests.factories import (
    CharterVersionFactory,
    MembershipFactory,
    OrganisationFactory,
    SiteFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "motdepasse-solide-42"
SMALLEST = {"width": 320, "height": 640}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def org():
    org = OrganisationFactory(name="La Ruche des Quatre Chemins", slug="la-ruche")
    CharterVersionFactory(organisation=org, text="Nous écoutons et nous répondons.")
    SiteFactory(organisation=org, name="Épicerie solidaire")
    return org


def _top(page, selector: str) -> float:
    return page.locator(selector).first.evaluate("el => el.getBoundingClientRect().top")


def test_the_header_menu_folds_on_a_phone_and_lies_flat_on_a_wide_screen(org, new_page, check_a11y):
    """At 320 px the menus hide behind « Menu » (a <details>, no script): the h1 starts
    in the top fifth of the screen; « Menu » unfolds them and their links work. On a wide
    screen the links show at once and there is no « Menu »."""
    person = new_page()
    person.set_viewport_size(SMALLEST)
    person.goto("/la-ruche/")
    check_a11y(person)
    menu = person.locator("details.site-menu")
    organisation_menu = person.get_by_role("navigation", name="Menu de l'organisation")
    expect(menu.locator("summary")).to_have_text("Menu")
    expect(organisation_menu).to_be_hidden()
    expect(person.get_by_role("link", name="Se connecter")).to_be_hidden()
    assert _top(person, "h1") < 200, "the header still pushes the h1 down"

    menu.locator("summary").click()
    expect(organisation_menu).to_be_visible()
    expect(person.get_by_role("navigation", name="Votre compte")).to_be_visible()
    check_a11y(person)
    organisation_menu.get_by_role("link", name="Nos lieux").click()
    expect(person.get_by_role("heading", level=1)).to_contain_text("lieux")
    check_a11y(person)

    wide = new_page()
    wide.set_viewport_size({"width": 1024, "height": 768})
    wide.goto("/la-ruche/")
    check_a11y(wide)
    expect(wide.locator("details.site-menu summary")).to_be_hidden()
    expect(wide.get_by_role("navigation", name="Menu de l'organisation")).to_be_visible()
    expect(wide.get_by_role("link", name="Se connecter")).to_be_visible()


def test_the_inbox_folds_its_filters_until_one_is_used(org, new_page, check_a11y):
    """At 320 px the inbox shows its first contribution on the first screen: « Filtrer »
    and the bulk actions are folded. A filter chosen keeps « Filtrer » open on the
    results, so the person sees what is filtered."""
    facilitator = UserFactory(email="karim@example.org", display_name="Karim", password=PASSWORD)
    facilitator.emailaddress_set.create(email=facilitator.email, verified=True, primary=True)
    MembershipFactory(organisation=org, user=facilitator, role=Role.FACILITATOR)
    make_contribution(org, title="Plus de bancs au jardin")
    make_contribution(org, kind="complaint", title="Porte bloquée")

    team = new_page()
    login_with_password(team, "karim@example.org", PASSWORD)
    team.set_viewport_size(SMALLEST)
    team.goto("/la-ruche/gestion/avis/")
    check_a11y(team)
    filters = team.locator("details.fold").filter(has=team.locator("summary", has_text="Filtrer"))
    expect(filters).not_to_have_attribute("open", "")
    expect(team.get_by_label("Rechercher (titre ou code)")).to_be_hidden()
    expect(team.locator("summary", has_text="Pour les contributions cochées")).to_be_visible()
    expect(team.get_by_label("Action")).to_be_hidden()
    first_row = team.locator(".contribution-list > li").first
    assert first_row.evaluate("el => el.getBoundingClientRect().top") < 640

    filters.locator("summary").click()
    team.get_by_label("Rechercher (titre ou code)").fill("Porte")
    team.get_by_role("button", name="Filtrer").click()
    expect(team.get_by_role("link", name="Porte bloquée", exact=True)).to_be_visible()
    expect(team.get_by_role("link", name="Plus de bancs au jardin")).to_have_count(0)
    expect(filters).to_have_attribute("open", "")
    expect(team.get_by_label("Rechercher (titre ou code)")).to_have_value("Porte")
    check_a11y(team)


def test_account_pages_in_plain_words_on_a_phone(new_page, check_a11y):
    """The email addresses, password and two-step sign-in pages pass the checks, in
    the platform's words (not allauth's)."""
    user = UserFactory(email="sam@example.org", display_name="Sam", password=PASSWORD)
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    person = new_page()
    login_with_password(person, "sam@example.org", PASSWORD)
    person.goto("/compte/email/")
    expect(person.get_by_role("heading", level=1)).to_have_text("Vos adresses e-mail")
    expect(
        person.get_by_role("radio", name="sam@example.org — vérifiée, adresse principale")
    ).to_be_checked()
    check_a11y(person)
    person.goto("/compte/password/change/")
    expect(person.get_by_role("heading", level=1)).to_have_text("Changer mon mot de passe")
    check_a11y(person)
    person.goto("/compte/2fa/")
    expect(person.get_by_role("heading", level=1)).to_have_text("Connexion en deux étapes")
    check_a11y(person)


def test_a_new_organisation_opens_its_idea_box_from_the_checklist(new_page, check_a11y):
    """The checklist's « Ouvrir votre boîte à idées » leads to the poster; saying the
    idea box is open there ticks the step (nothing else does, short of an opinion)."""
    org = OrganisationFactory(name="Le Jardin", slug="le-jardin")
    admin = UserFactory(email="ines@example.org", display_name="Inès", password=PASSWORD)
    admin.emailaddress_set.create(email=admin.email, verified=True, primary=True)
    MembershipFactory(organisation=org, user=admin, role=Role.ADMIN)
    page = new_page()
    login_with_password(page, "ines@example.org", PASSWORD)
    page.goto("/le-jardin/gestion/")
    checklist = page.get_by_role("region", name="Premiers pas")
    expect(checklist).to_contain_text("0 étape sur 5 faite")
    check_a11y(page)
    checklist.get_by_role("link", name="Ouvrir votre boîte à idées").click()
    expect(page.locator("svg")).to_have_count(1)
    check_a11y(page)
    page.get_by_role("button", name="Notre boîte à idées est ouverte").click()
    expect(page.get_by_role("status")).to_contain_text("Votre boîte à idées est ouverte")
    expect(page.get_by_role("region", name="Premiers pas")).to_contain_text("1 étape sur 5 faite")
    check_a11y(page)
