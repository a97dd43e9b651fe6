"""The invitation poster and its short code, and the stakeholder map on a phone.

Karim, facilitator of « La Ruche », opens an invitation and its poster; Lucie,
who has no account, reads the code on the poster, types it in small letters on
« J'ai un code d'invitation » from the home page and reaches the invitation.
Then Karim reads the stakeholder map on his 360 px phone: the table first, the
drawing after it, with sector numbers he can read and sectors big enough to tap.
axe checks every page.
"""

import re

import pytest
from playwright.sync_api import expect

from e2e.helpers import login_with_password
from faireavec.accounts.tests.factories import UserFactory
from faireavec.organisations.models import Role
from faireavec.organisations.tests.factories import (
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
)
from faireavec.stakeholders.models import Category
from faireavec.stakeholders.tests.factories import StakeholderFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "motdepasse-solide-42"


@pytest.fixture
def world():
    org = OrganisationFactory(name="La Ruche", slug="la-ruche")
    karim = UserFactory(email="karim@example.org", display_name="Karim Benali", password=PASSWORD)
    karim.emailaddress_set.create(email="karim@example.org", verified=True, primary=True)
    MembershipFactory(organisation=org, user=karim, role=Role.FACILITATOR)
    invitation = InvitationFactory(organisation=org, label="Affiche du hall", max_uses=None)
    for i, category in enumerate(Category):
        StakeholderFactory(
            organisation=org,
            name=f"Partenaire {i}",
            category=category,
            current_level=1 + i % 5,
            target_level=1 + (i + 1) % 5,
        )
    return {"org": org, "invitation": invitation}


def test_the_poster_code_typed_in_small_letters_leads_to_the_invitation(
    page, new_page, check_a11y, world
):
    invitation = world["invitation"]
    login_with_password(page, "karim@example.org", PASSWORD)
    page.goto(f"/la-ruche/gestion/invitations/{invitation.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Affiche du hall")
    expect(page.get_by_text(invitation.code_display)).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Affiche A4 à imprimer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rejoindre La Ruche")
    expect(page.locator(".poster__code-value")).to_have_text(invitation.code_display)
    expect(page.get_by_role("img", name="QR code du lien d'invitation")).to_be_visible()
    expect(page.get_by_role("link", name="Affiche en gros caractères, en PDF (A4)")).to_be_visible()
    check_a11y(page)

    lucie = new_page()
    lucie.goto("/")
    check_a11y(lucie)
    lucie.get_by_role("link", name="J'ai un code d'invitation").click()
    expect(lucie.get_by_role("heading", level=1)).to_have_text("J'ai un code d'invitation")
    check_a11y(lucie)
    # A 0 typed for an O: the reason, on the field, and nothing lost.
    lucie.get_by_label("Code d'invitation").fill("ABCDE-0FGHJ")
    lucie.get_by_role("button", name="Continuer").click()
    expect(lucie).to_have_title("Erreur : J'ai un code d'invitation — FaireAvec", timeout=5000)
    expect(lucie.get_by_text("ni 0, ni O, ni 1, ni I, ni L : regardez")).to_have_count(2)
    expect(lucie.get_by_label("Code d'invitation")).to_have_value("ABCDE-0FGHJ")
    check_a11y(lucie)
    lucie.get_by_label("Code d'invitation").fill(invitation.code_display.lower())
    lucie.get_by_role("button", name="Continuer").click()
    expect(lucie.get_by_role("heading", level=1)).to_have_text("Rejoindre La Ruche")
    expect(lucie.get_by_text("vous invite à rejoindre")).to_be_visible()
    check_a11y(lucie)


def test_the_stakeholder_map_reads_on_a_360_px_phone(page, check_a11y, world):
    login_with_password(page, "karim@example.org", PASSWORD)
    page.goto("/la-ruche/gestion/parties-prenantes/carte/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Carte des parties prenantes")
    check_a11y(page)
    table = page.get_by_role("heading", name="La carte sous forme de tableau")
    drawing = page.locator("svg.stakeholder-map__svg")
    # The table is the first view; the drawing comes after it.
    assert table.bounding_box()["y"] < drawing.bounding_box()["y"]
    svg = drawing.bounding_box()
    assert svg["width"] <= 360
    numbers = page.locator(".map-numbers text")
    expect(numbers).to_have_count(len(Category))
    for i in range(numbers.count()):
        box = numbers.nth(i).bounding_box()
        assert box["height"] >= 12, box  # the glyphs' box: the font is at least 12 px
        # Nothing drawn outside the drawing's box (it would be clipped).
        assert svg["x"] <= box["x"] and box["x"] + box["width"] <= svg["x"] + svg["width"]
        assert svg["y"] <= box["y"] and box["y"] + box["height"] <= svg["y"] + svg["height"]
    # Every mark has a name; every target in the drawing is at least 24 px.
    marks = page.locator("svg.stakeholder-map__svg g.map-point")
    expect(marks).to_have_count(len(Category))
    for i in range(marks.count()):
        assert marks.nth(i).get_attribute("aria-label").startswith("Partenaire ")
    sectors = page.locator("svg.stakeholder-map__svg a.map-sector")
    expect(sectors).to_have_count(len(Category))
    for i in range(sectors.count()):
        box = sectors.nth(i).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box
    # A sector leads to the map of its category alone.
    page.get_by_role(
        "link", name=re.compile(r"^Secteur 10 : financeurs, 1 partie prenante — n")
    ).click()
    expect(page.locator(".filter-summary")).to_contain_text("financeurs")
    expect(page.get_by_role("row")).to_have_count(2)
    check_a11y(page)
