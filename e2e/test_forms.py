"""Forms as people meet them, on a phone, without JavaScript (and one twin
check with JavaScript): an invalid form comes back titled « Erreur : », with
an error summary that has the focus and links to each field, and everything
typed still there."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from e2e.conftest import PHONE
from faireavec.contributions.models import Contribution
from faireavec.organisations.tests.factories import OrganisationFactory, SiteFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def org():
    org = OrganisationFactory(name="La Ruche", slug="la-ruche", allow_anonymous_contributions=True)
    SiteFactory(organisation=org, name="Épicerie solidaire")
    return org


def _send_incomplete(person, check) -> None:
    person.goto("/la-ruche/avis/")
    check(person)
    person.get_by_label("En quelques mots").fill("Des bancs devant l'épicerie")
    person.get_by_label("De quel lieu ou service s'agit-il ?").select_option(
        label="Épicerie solidaire"
    )
    person.get_by_role("button", name="Envoyer mon message").click()


def test_an_invalid_form_has_error_title_focused_summary_and_keeps_values(
    new_page, check_a11y, org
):
    person = new_page()
    _send_incomplete(person, check_a11y)
    check_a11y(person)

    expect(person).to_have_title(re.compile(r"^Erreur : "))
    summary = person.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("tabindex", "-1")
    # Without JavaScript the summary has the focus (autofocus), so a screen reader starts there.
    expect(summary).to_be_focused()
    # It is the first thing of the main content, before the heading.
    first_in_main = person.locator("main > *").first
    expect(first_in_main).to_have_id("error-summary")

    # Each message links to its field; the radio group to its first button.
    expect(summary.get_by_role("link", name=re.compile("Racontez-nous"))).to_have_attribute(
        "href", "#id_body"
    )
    expect(
        summary.get_by_role("link", name=re.compile("Que voulez-vous nous dire"))
    ).to_have_attribute("href", "#id_kind_0")
    body = person.get_by_label("Racontez-nous")
    expect(body).to_have_attribute("aria-invalid", "true")
    expect(body).to_have_attribute("aria-describedby", re.compile("id_body_error"))
    expect(person.locator("#id_body_error")).to_contain_text("obligatoire")

    # Nothing typed is lost; the photo (a file) is said to be chosen again.
    expect(person.get_by_label("En quelques mots")).to_have_value("Des bancs devant l'épicerie")
    expect(person.get_by_label("De quel lieu ou service s'agit-il ?")).to_have_value(
        str(org.sites.get().pk)
    )
    expect(person.locator(".field__again")).to_contain_text("choisissez-le à nouveau")

    # Following a link of the summary goes to the field.
    summary.get_by_role("link", name=re.compile("Racontez-nous")).click()
    expect(person).to_have_url(re.compile("#id_body$"))
    check_a11y(person)
    assert not Contribution.objects.exists()


def test_with_javascript_the_summary_is_focused_too(browser, live_server, page_checks, org):
    """The twin check: with JavaScript on, the small script also gives the focus."""
    context = browser.new_context(locale="fr-FR", viewport=PHONE, base_url=live_server.url)
    person = context.new_page()
    page_checks.watch(person)
    try:
        _send_incomplete(person, page_checks.check)
        page_checks.check(person)
        expect(person).to_have_title(re.compile(r"^Erreur : "))
        expect(person.locator("#error-summary")).to_be_focused()
    finally:
        context.close()


def _fill_idea(person) -> None:
    person.get_by_role("radio", name=re.compile("Une idée")).check()
    person.get_by_label("En quelques mots").fill("Des bancs devant l'épicerie")
    person.get_by_label("Racontez-nous").fill("Les personnes âgées attendent debout.")


def test_back_then_send_again_records_one_opinion(new_page, check_a11y, org):
    """Back brings the form again with a fresh one-time token: sent again, the
    same content is recognised and the person is shown what was recorded."""
    person = new_page()
    person.goto("/la-ruche/avis/")
    check_a11y(person)
    token = person.locator('input[name="form_token"]').input_value()
    _fill_idea(person)
    person.get_by_role("button", name="Envoyer mon message").click()
    expect(person.get_by_role("heading", name="Votre code de suivi")).to_be_visible()
    check_a11y(person)

    person.go_back()
    expect(person.get_by_role("heading", level=1)).to_have_text("Donner mon avis")
    check_a11y(person)
    assert person.locator('input[name="form_token"]').input_value() != token
    _fill_idea(person)
    person.get_by_role("button", name="Envoyer mon message").click()
    expect(person.get_by_role("main")).to_contain_text("déjà été envoyé")
    check_a11y(person)
    assert Contribution.objects.count() == 1
