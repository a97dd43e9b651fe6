"""The shared form pattern: « Erreur : » in the title, one error summary at
the top of the page linking to each field, each field's message tied to its
input, nothing typed lost; and `add_service_errors`."""

import re

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from faireavec.core.forms import add_service_errors, posted_data

pytestmark = pytest.mark.django_db


class _Form(forms.Form):
    title = forms.CharField(required=False)
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


def _assisted(org) -> str:
    return reverse("contributions:contribution_assisted", kwargs={"org_slug": org.slug})


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def _summary(html: str) -> str:
    match = re.search(r'<div class="form-errors" id="error-summary".*?</ul>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


def test_an_invalid_form_titles_the_page_error_and_summarises_first(org, people, client_for):
    """The title starts with « Erreur : »; the summary is the first thing of
    <main> (before the heading), focusable and focused on load, and links to
    each field — radio buttons to their first button."""
    response = client_for(people["facilitator"]).post(
        _assisted(org), {"title": "Gardé", "body": "", "channel": ""}
    )
    html = response.text
    assert response.status_code == 400
    assert _title(html).startswith("Erreur : ")
    summary = _summary(html)
    assert 'tabindex="-1"' in summary and "autofocus" in summary
    assert html.index('id="error-summary"') < html.index("<h1")
    assert html.index('<main id="contenu"') < html.index('id="error-summary"')
    assert 'href="#id_channel_0"' in summary  # a radio group: its first button
    assert 'href="#id_kind_0"' in summary
    assert 'href="#id_body"' in summary
    assert "js/error-summary.js" in html


def test_each_field_shows_its_message_tied_to_the_input(org, people, client_for):
    html = client_for(people["facilitator"]).post(_assisted(org), {"title": "Gardé"}).text
    body = re.search(r"<textarea[^>]*name=\"body\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in body
    assert 'aria-describedby="id_body_error"' in body
    assert 'id="id_body_error"' in html
    # What was typed is still there.
    assert re.search(r'<input[^>]*name="title"[^>]*value="Gardé"', html)


def test_a_valid_page_has_no_error_title_nor_summary(org, people, client_for):
    html = client_for(people["facilitator"]).get(_assisted(org)).text
    assert not _title(html).startswith("Erreur")
    assert 'id="error-summary"' not in html
    assert "error-summary.js" not in html


def test_a_chosen_file_is_said_to_be_lost(org, people, client_for):
    """A file input cannot be filled again by the server: the field says so."""
    from faireavec.organisations.tests.factories import SiteFactory

    SiteFactory(organisation=org)
    org.allow_anonymous_contributions = True
    org.save()
    url = reverse("contributions:contribution_create", kwargs={"org_slug": org.slug})
    html = client_for(None).post(url, {"title": "x"}).text
    assert "choisi un fichier, choisissez-le à nouveau" in html


def test_allauth_pages_get_the_same_pattern(client_for):
    response = client_for(None).post(reverse("account_login"), {"login": "", "password": ""})
    html = response.text
    assert _title(html).startswith("Erreur : ")
    assert 'href="#id_login"' in _summary(html)


def test_a_service_error_naming_a_field_goes_beside_it():
    form = _Form({"title": "x", "kind": "a"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"title": "Trop court.", "unknown": "Ailleurs."}))
    assert form.errors["title"] == ["Trop court."]
    assert form.non_field_errors() == ["Ailleurs."]


def test_a_service_error_can_be_mapped_to_the_forms_field_name():
    form = _Form({"title": "x", "kind": "a"})
    form.is_valid()
    add_service_errors(form, ValidationError({"name": "Pris."}), fields={"name": "title"})
    assert form.errors["title"] == ["Pris."]


def test_a_plain_service_error_goes_to_the_top():
    form = _Form({"title": "x", "kind": "a"})
    form.is_valid()
    add_service_errors(form, ValidationError(["Un.", "Deux."]))
    assert form.non_field_errors() == ["Un.", "Deux."]


def test_a_dict_error_with_add_error_none_would_fail():
    """Why add_service_errors exists: Django refuses a field it does not know."""
    form = _Form({"title": "x", "kind": "a"})
    form.is_valid()
    with pytest.raises(ValueError):
        form.add_error(None, ValidationError({"unknown": "Ailleurs."}))


def test_posted_data_is_none_for_a_get_and_the_post_even_empty():
    factory = RequestFactory()
    assert posted_data(factory.get("/")) is None
    assert posted_data(factory.post("/", {})) is not None
