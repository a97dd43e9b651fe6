"""Every create form of the platform, sent twice with its one-time token
(Back then « Envoyer » again, a double click), creates one row; the second
POST is sent to what the first created, with a message."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from faireavec.contributions.models import Comment, Contribution
from faireavec.contributions.services import contribution_set_public
from faireavec.contributions.tests.factories import make_contribution
from faireavec.core.submissions import FORM_TOKEN_FIELD
from faireavec.needs.models import ExistingOffer, Need
from faireavec.needs.tests.factories import NeedFactory
from faireavec.organisations.models import CharterVersion, Invitation, Organisation, Site
from faireavec.stakeholders.models import Interaction, Stakeholder, StakeholderSubcategory
from faireavec.stakeholders.tests.factories import StakeholderFactory

pytestmark = pytest.mark.django_db


def _u(name: str, org, **kwargs) -> str:
    return reverse(name, kwargs={"org_slug": org.slug, **kwargs})


def _idea(org, people):
    idea = make_contribution(org)
    return contribution_set_public(actor=people["facilitator"], contribution=idea, public=True)


# name: (role, url(org, people) -> (url, rows queryset(org)), data)
CASES = {
    "contribution": (
        None,
        lambda org, people: _u("contributions:contribution_create", org),
        lambda org: Contribution.objects.filter(organisation=org, title="Des bancs"),
        {"kind": "idea", "title": "Des bancs", "body": "Dans le jardin."},
    ),
    "assisted entry": (
        "facilitator",
        lambda org, people: _u("contributions:contribution_assisted", org),
        lambda org: Contribution.objects.filter(organisation=org, title="Au téléphone"),
        {"channel": "phone", "kind": "idea", "title": "Au téléphone", "body": "Appel."},
    ),
    "comment": (
        "participant",
        lambda org, people: _u(
            "contributions:idea_detail", org, contribution_pk=_idea(org, people).pk
        ),
        lambda org: Comment.objects.filter(body="Bonne idée !"),
        {"body": "Bonne idée !", "display_name": "Phil"},
    ),
    "need": (
        "facilitator",
        lambda org, people: _u("needs:need_create", org),
        lambda org: Need.objects.filter(organisation=org, title="Réparer les vélos"),
        {
            "title": "Réparer les vélos",
            "description": "Pas de réparateur abordable.",
            "sources": ["contributions"],
            "coverage": "poorly_covered",
            "priority": "3",
            "status": "open",
        },
    ),
    "existing offer": (
        "facilitator",
        lambda org, people: _u("needs:offer_add", org, need_pk=NeedFactory(organisation=org).pk),
        lambda org: ExistingOffer.objects.filter(provider_name="Mairie"),
        {"provider_kind": "local_government", "provider_name": "Mairie", "description": "Lundi"},
    ),
    "need from a contribution": (
        "facilitator",
        lambda org, people: _u(
            "needs:contribution_link", org, contribution_pk=make_contribution(org).pk
        ),
        lambda org: Need.objects.filter(organisation=org, title="Un besoin"),
        {
            "action": "create",
            "new-title": "Un besoin",
            "new-description": "Vu dans un avis.",
            "new-sources": ["contributions"],
            "new-coverage": "poorly_covered",
            "new-priority": "3",
            "new-status": "open",
        },
    ),
    "stakeholder": (
        "facilitator",
        lambda org, people: _u("stakeholders:stakeholder_create", org),
        lambda org: Stakeholder.objects.filter(organisation=org, name="Fondation de France"),
        {
            "kind": "organisation",
            "name": "Fondation de France",
            "category": "funders",
            "current_level": "1",
            "target_level": "3",
            "influence": "4",
            "interest": "2",
        },
    ),
    "interaction": (
        "facilitator",
        lambda org, people: _u(
            "stakeholders:stakeholder_detail",
            org,
            stakeholder_pk=StakeholderFactory(organisation=org).pk,
        ),
        lambda org: Interaction.objects.filter(people="Karim"),
        {"kind": "call", "occurred_on": timezone.localdate().isoformat(), "people": "Karim"},
    ),
    "sub-category": (
        "facilitator",
        lambda org, people: _u("stakeholders:subcategory_list", org),
        lambda org: StakeholderSubcategory.objects.filter(organisation=org, name="Fondations"),
        {"category": "funders", "name": "Fondations"},
    ),
    "invitation": (
        "admin",
        lambda org, people: _u("organisations:invitation_list", org),
        lambda org: Invitation.objects.filter(organisation=org, label="Affiche du hall"),
        {"label": "Affiche du hall", "role": "participant", "valid_days": 30, "max_uses": ""},
    ),
    "site": (
        "admin",
        lambda org, people: _u("organisations:site_manage", org),
        lambda org: Site.objects.filter(organisation=org, name="Jardin partagé"),
        {"name": "Jardin partagé"},
    ),
    "charter version": (
        "admin",
        lambda org, people: _u("organisations:charter_edit", org),
        lambda org: CharterVersion.objects.filter(organisation=org, text="Nous écoutons."),
        {"text": "Nous écoutons."},
    ),
    "organisation": (
        "participant",
        lambda org, people: reverse("organisation_create"),
        lambda org: Organisation.objects.filter(slug="la-fabrique"),
        {
            "name": "La Fabrique",
            "slug": "la-fabrique",
            "legal_form": "scic",
            "territory": "Lille",
            "description": "Un tiers-lieu.",
            "visibility": "public",
        },
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_create_form_sent_twice_creates_once(org, people, client_for, case):
    role, make_url, rows, data = CASES[case]
    org.allow_anonymous_contributions = True
    org.save()
    client = client_for(people[role] if role else None)
    url = make_url(org, people)
    form_page = client.get(url)
    if case == "comment":  # the idea's page shows the form, which posts elsewhere
        url = url.rstrip("/") + "/commenter/"
    assert f'name="{FORM_TOKEN_FIELD}"' in form_page.text, "the form carries no token"
    token = {FORM_TOKEN_FIELD: "a-token-sent-twice-0123456789"}
    first = client.post(url, {**data, **token})
    assert first.status_code == 302, re.findall(r"<main.*?</main>", first.text, re.S)
    assert rows(org).count() == 1
    second = client.post(url, {**data, **token})
    assert rows(org).count() == 1
    assert second.status_code == 302
    if case != "contribution":  # the first goes to the confirmation, the second to the code's page
        assert second["Location"] == first["Location"]
    landing = client.get(second["Location"])
    assert "déjà été envoyé" in landing.text


@pytest.mark.parametrize("case", CASES)
def test_back_then_send_again_with_a_fresh_token_creates_once(org, people, client_for, case):
    """Back in Chromium fetches the form again, with a new token: the same
    person sending the same content to the same page is still a replay."""
    role, make_url, rows, data = CASES[case]
    org.allow_anonymous_contributions = True
    org.save()
    client = client_for(people[role] if role else None)
    url = make_url(org, people)
    client.get(url)
    if case == "comment":
        url = url.rstrip("/") + "/commenter/"
    first = client.post(url, {**data, FORM_TOKEN_FIELD: "first-token-0123456789abcd"})
    assert first.status_code == 302 and rows(org).count() == 1
    client.get(url if case != "comment" else make_url(org, people))  # Back: the form again
    second = client.post(url, {**data, FORM_TOKEN_FIELD: "second-token-0123456789abc"})
    assert rows(org).count() == 1
    assert second.status_code == 302
    assert "déjà été envoyé" in client.get(second["Location"]).text
