"""A participant's way back to what they said, and how they appear to others:
in French, on a phone, without JavaScript, axe on every page.

- Give an opinion anonymously, keep the code (in the first screen at 320 px),
  then find the contribution again from the organisation's home page.
- Comment for the first time: choose a display name, see under which name the
  comment goes out; the email never shows.
"""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from e2e.helpers import login_with_password
from faireavec.accounts.tests.factories import UserFactory
from faireavec.contributions.models import Contribution
from faireavec.contributions.services import contribution_set_public
from faireavec.contributions.tests.factories import make_contribution
from faireavec.organisations.models import Role
from faireavec.organisations.tests.factories import (
    CharterVersionFactory,
    MembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "motdepasse-solide-42"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def org():
    org = OrganisationFactory(name="La Ruche", slug="la-ruche")
    CharterVersionFactory(organisation=org, text="Nous écoutons et nous répondons.")
    return org


def test_code_kept_on_a_small_phone_and_looked_up_from_the_home_page(org, new_page, check_a11y):
    person = new_page()
    person.set_viewport_size({"width": 320, "height": 640})
    person.goto("/la-ruche/")
    check_a11y(person)
    person.get_by_role("link", name="Donner mon avis").first.click()

    # « Not now » on the charter leads back to the home page and its look-up.
    check_a11y(person)
    person.get_by_role("link", name="Pas maintenant").click()
    expect(person).to_have_url(re.compile("/la-ruche/$"))
    expect(person.get_by_role("heading", name="Suivre mon avis")).to_be_visible()

    person.get_by_role("link", name="Donner mon avis").first.click()
    person.get_by_role("button", name="J'ai lu, je continue").click()
    expect(person.get_by_label("En quelques mots")).to_be_visible()
    check_a11y(person)
    person.get_by_role("radio", name=re.compile("Une idée")).check()
    person.get_by_label("En quelques mots").fill("Un banc devant la porte")
    person.get_by_label("Racontez-nous").fill("On attend debout sous la pluie.")
    person.get_by_role("button", name="Envoyer mon message").click()

    # The confirmation: the code in the first screen, large, in two groups.
    expect(person.get_by_role("heading", level=1)).to_have_text(
        "Merci : nous avons bien reçu votre message"
    )
    check_a11y(person)
    code_box = person.locator(".follow-up-code")
    box = code_box.bounding_box()
    assert box["y"] + box["height"] <= 640, f"code at {box} is below the first screen"
    assert float(code_box.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 28
    shown = code_box.inner_text().strip()
    contribution = Contribution.objects.get()
    assert re.fullmatch(r"[A-Z0-9]{5} [A-Z0-9]{5}", shown)
    assert shown.replace(" ", "") == contribution.follow_up_code
    expect(person.get_by_text("Recevoir ce code par e-mail")).to_be_visible()

    # « Print »: a printable page, no JavaScript needed.
    person.get_by_role("link", name="Imprimer mon code").click()
    expect(person.locator(".follow-up-code")).to_have_text(shown)
    check_a11y(person)

    # Later, on another phone: the look-up on the home page, the code as written down.
    later = new_page()
    later.goto("/la-ruche/")
    lookup = later.locator("section.lookup")
    lookup.get_by_label("Votre code de suivi").fill(shown.lower())
    lookup.get_by_role("button", name="Voir mon avis").click()
    expect(later.get_by_role("heading", level=1)).to_have_text("Un banc devant la porte")
    check_a11y(later)

    # An empty look-up from the footer: one message, on the look-up page.
    later.locator("footer").get_by_role("button", name="Voir mon avis").click()
    expect(later.locator("#id_code_error li")).to_have_count(1)
    expect(later.locator("#id_code_error")).to_have_text(
        "Tapez le code de suivi que vous avez reçu."
    )
    check_a11y(later)


def test_first_comment_asks_a_display_name_and_says_who_others_see(org, new_page, check_a11y):
    facilitator = MembershipFactory(organisation=org, role=Role.FACILITATOR).user
    idea = contribution_set_public(
        actor=facilitator, contribution=make_contribution(org, title="Un jardin"), public=True
    )
    person = UserFactory(email="jeanne.martin@example.org", display_name="", password=PASSWORD)
    person.emailaddress_set.create(email=person.email, verified=True, primary=True)
    MembershipFactory(organisation=org, user=person, role=Role.PARTICIPANT)

    page = new_page()
    login_with_password(page, person.email, PASSWORD)
    page.goto(f"/la-ruche/idees/{idea.pk}/")
    check_a11y(page)
    page.get_by_label("Votre commentaire").fill("Bonne idée, je peux aider.")
    name = page.get_by_label("Sous quel nom publier ?")
    expect(name).to_be_visible()
    name.fill("Rayon de soleil")
    page.get_by_role("button", name="Publier mon commentaire").click()

    expect(page.locator(".comment").first).to_contain_text("Rayon de soleil")
    expect(
        page.get_by_text("Votre commentaire sera publié sous le nom : Rayon de soleil")
    ).to_be_visible()
    check_a11y(page)
    assert "jeanne" not in page.content().lower()

    visitor = new_page()
    visitor.goto(f"/la-ruche/idees/{idea.pk}/")
    expect(visitor.locator(".comment").first).to_contain_text("Rayon de soleil")
    assert "jeanne" not in visitor.content().lower()
    check_a11y(visitor)
