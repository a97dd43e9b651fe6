"""Middleware: the person's language and text size, and two-factor setup for superusers."""

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.urls import reverse

from faireavec.accounts.tests.factories import UserFactory
from faireavec.organisations.models import Role
from faireavec.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


class TestPreferencesMiddleware:
    def test_signed_in_persons_language_wins_over_the_browsers(self, client_for):
        """A person who chose English gets English pages, even if the browser asks for French."""
        client = client_for(UserFactory(language="en"))
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
        assert '<html lang="en"' in response.content.decode()
        assert response["Content-Language"] == "en"

    def test_french_by_default(self, client_for):
        """A person with French (the default) gets French pages even if the browser asks English."""
        client = client_for(UserFactory(language="fr"))
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
        assert '<html lang="fr"' in response.content.decode()

    def test_visitor_follows_the_language_cookie(self, client):
        """A visitor's language comes from the cookie the header button set."""
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        assert '<html lang="en"' in client.get("/").content.decode()

    def test_language_applies_on_organisation_pages(self, org, client_for):
        """The person's language also applies inside an organisation's pages."""
        user = UserFactory(language="en")
        MembershipFactory(organisation=org, user=user, role=Role.ADMIN)
        response = client_for(user).get("/la-ruche/gestion/")
        assert response.status_code == 200
        assert '<html lang="en"' in response.content.decode()

    def test_larger_text_from_the_account(self, client_for):
        """A person who chose larger text gets it on every page."""
        response = client_for(UserFactory(large_text=True)).get("/")
        assert 'class="text-large"' in response.content.decode()
        assert response.wsgi_request.preferences.large_text

    def test_larger_text_from_the_session(self, client):
        """A visitor's larger text comes from their session."""
        session = client.session
        session["faireavec_large_text"] = True
        session.save()
        response = client.get("/")
        assert 'class="text-large"' in response.content.decode()

    def test_default_text_size(self, client):
        """By default the text is normal size."""
        response = client.get("/")
        assert 'class="text-large"' not in response.content.decode()
        assert response.wsgi_request.preferences.large_text is False


class TestSuperuserMFAMiddleware:
    @pytest.fixture
    def superuser(self, db):
        return UserFactory(is_superuser=True, is_staff=True)

    @pytest.mark.parametrize("path", ["/", "/admin/", "/mon-espace/", "/la-ruche/"])
    def test_superuser_without_totp_must_set_it_up(self, org, client_for, superuser, path):
        """A superuser without two-factor authentication is sent to set it up first."""
        response = client_for(superuser).get(path)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")

    def test_superuser_reaches_account_pages(self, client_for, superuser):
        """The account pages (/compte/…) stay open, so the superuser can set up TOTP or sign out."""
        client = client_for(superuser)
        response = client.get(reverse("mfa_activate_totp"))
        assert response.status_code in (200, 302)
        if response.status_code == 302:  # allauth may ask to confirm the password first
            assert response["Location"].startswith("/compte/")
        assert client.get(reverse("account_email")).status_code == 200
        assert client.post(reverse("account_logout")).status_code == 302

    def test_superuser_with_totp_goes_on(self, client_for, superuser):
        """Once TOTP is set up, the superuser is not redirected."""
        Authenticator.objects.create(
            user=superuser, type=Authenticator.Type.TOTP, data={"secret": "x"}
        )
        assert client_for(superuser).get("/mon-espace/").status_code == 200

    def test_recovery_codes_alone_are_not_enough(self, client_for, superuser):
        """Recovery codes without TOTP do not count as two-factor authentication."""
        Authenticator.objects.create(
            user=superuser, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"}
        )
        assert client_for(superuser).get("/mon-espace/").status_code == 302

    def test_normal_user_is_not_redirected(self, client_for):
        """An ordinary person is never asked for two-factor authentication."""
        assert client_for(UserFactory()).get("/mon-espace/").status_code == 200

    def test_visitor_is_not_redirected(self, client):
        """A visitor browses freely."""
        assert client.get("/").status_code == 200
