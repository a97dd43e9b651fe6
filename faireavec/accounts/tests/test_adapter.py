"""Account emails (allauth) speak in the platform's name and link to the
address the site is served at, whatever host the request came by."""

import pytest
from django.core import mail
from django.urls import reverse

from faireavec.accounts.adapter import email_site
from faireavec.accounts.tests.factories import UserFactory
from faireavec.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_sign_in_code_email_greets_with_the_platforms_name(client, settings):
    settings.SITE_URL = "https://faireavec.example"
    user = UserFactory(email="claire@example.org")
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    client.post(
        reverse("account_request_login_code"),
        {"email": "claire@example.org"},
        HTTP_HOST="127.0.0.1:8100",
    )
    body = mail.outbox[-1].body
    assert "Bonjour, c'est FaireAvec." in body
    assert "https://faireavec.example/" in body
    assert "127.0.0.1:8100" not in body, "never the host the request came by"


def test_an_email_asked_from_an_organisations_page_speaks_in_its_name(rf, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    request = rf.get("/")
    request.organisation = OrganisationFactory.build(name="La Ruche")
    site = email_site(request)
    assert (site.name, site.domain, site.url) == (
        "La Ruche",
        "127.0.0.1:8000",
        "http://127.0.0.1:8000/",
    )
    assert email_site(None).name == "FaireAvec"
