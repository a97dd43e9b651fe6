"""Account pages: preferences, the header's quick buttons, and
signing up and in with allauth (by code, without a password)."""

import html
import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from faireavec.accounts.models import User
from faireavec.accounts.services import SESSION_LARGE_TEXT
from faireavec.accounts.tests.factories import UserFactory
from faireavec.organisations.models import Membership
from faireavec.organisations.tests.factories import InvitationFactory
from faireavec.organisations.tests.utils import fr

pytestmark = pytest.mark.django_db

CODE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.M)


def text(response) -> str:
    return html.unescape(response.content.decode())


def code_from_last_mail() -> str:
    return CODE.search(mail.outbox[-1].body).group(1)


def verified_user(**kwargs) -> User:
    user = UserFactory(**kwargs)
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    return user


class TestPreferencesPage:
    def test_visitor_sees_how_to_use_the_header_buttons(self, client):
        """Visitors get an explanation, not the form (their choices live in the header)."""
        response = client.get(reverse("preferences"))
        assert response.status_code == 200
        assert response.context["form"] is None

    def test_signed_in_person_saves_preferences(self, client_for):
        """Language, larger text, easy read and notifications are saved on the person."""
        user = UserFactory(display_name="Claire")
        response = client_for(user).post(
            reverse("preferences"),
            {
                "display_name": "Claire D.",
                "language": "en",
                "large_text": "on",
                "easy_read": "on",
                "notification_frequency": "daily",
            },
        )
        assert response.status_code == 302
        user.refresh_from_db()
        assert (user.display_name, user.language, user.large_text, user.easy_read) == (
            "Claire D.",
            "en",
            True,
            True,
        )
        assert user.notification_frequency == "daily"
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    def test_bad_values_are_form_errors(self, client_for):
        """Unknown choices get form errors; nothing is saved."""
        user = UserFactory(display_name="Claire")
        response = client_for(user).post(
            reverse("preferences"),
            {"display_name": "x" * 300, "language": "de", "notification_frequency": "hourly"},
        )
        assert response.status_code == 200
        assert set(response.context["form"].errors) == {
            "display_name",
            "language",
            "notification_frequency",
        }
        user.refresh_from_db()
        assert (user.display_name, user.language) == ("Claire", "fr")

    def test_empty_post_shows_errors(self, client_for):
        """An empty form posted is answered with its errors, not saved nor ignored."""
        response = client_for(UserFactory()).post(reverse("preferences"), {})
        assert response.status_code == 200
        assert response.context["form"].errors

    def test_page_links_to_security_settings(self, client_for):
        """The page links to password, email addresses and two-factor authentication."""
        content = text(client_for(UserFactory()).get(reverse("preferences")))
        for name in ("account_change_password", "account_email", "mfa_index"):
            assert reverse(name) in content


class TestQuickButtons:
    def quick(self, client, **data):
        return client.post(reverse("preferences"), {"quick": "1", **data})

    def test_visitor_language_in_a_cookie(self, client):
        """A visitor's language choice goes in the language cookie, and back to the page."""
        response = self.quick(client, language="en", next="/accessibilite/")
        assert response.status_code == 302
        assert response["Location"] == "/accessibilite/"
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
        page = client.get("/accessibilite/")
        assert '<html lang="en"' in page.content.decode()

    def test_visitor_larger_text_in_the_session(self, client):
        """A visitor's larger text is kept in their session and applied to the pages."""
        self.quick(client, large_text="1", next="/")
        assert client.session[SESSION_LARGE_TEXT] is True
        assert 'class="text-large"' in client.get("/").content.decode()
        self.quick(client, large_text="0", next="/")
        assert client.session[SESSION_LARGE_TEXT] is False
        assert 'class="text-large"' not in client.get("/").content.decode()

    def test_signed_in_choices_saved_on_the_person(self, client_for):
        """A signed-in person's header choices are saved on their account."""
        user = UserFactory()
        client = client_for(user)
        self.quick(client, language="en", next="/")
        self.quick(client, large_text="1", next="/")
        user.refresh_from_db()
        assert (user.language, user.large_text) == ("en", True)

    @pytest.mark.parametrize(
        "next_url",
        ["https://evil.example/", "//evil.example/x", "http://testserver.evil.example/", ""],
    )
    def test_next_to_another_site_is_not_followed(self, client, next_url):
        """A `next` to another host is ignored: back to the home page."""
        response = self.quick(client, language="en", next=next_url)
        assert response.status_code == 302
        assert response["Location"] == "/"

    @pytest.mark.parametrize("data", [{"language": "de"}, {"large_text": "maybe"}])
    def test_bad_value_changes_nothing(self, client_for, data):
        """An unknown value is ignored (no 500, nothing saved, no cookie)."""
        user = UserFactory()
        response = self.quick(client_for(user), next="/", **data)
        assert response.status_code == 302
        assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
        user.refresh_from_db()
        assert (user.language, user.large_text) == ("fr", False)

    def test_get_is_not_a_change(self, client):
        """The quick buttons change nothing through a GET."""
        response = client.get(reverse("preferences"), {"quick": "1", "language": "en"})
        assert response.status_code == 200
        assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


class TestLoginByCode:
    def request_code(self, client, email, next_url=""):
        url = reverse("account_request_login_code")
        if next_url:
            url += f"?next={next_url}"
        return client.post(
            url, {"email": email, "next": next_url} if next_url else {"email": email}
        )

    def test_code_by_email_signs_in(self, client):
        """A person asks for a code, reads it in their email, types it, and is signed in."""
        user = verified_user(email="claire@example.org")
        response = self.request_code(client, "Claire@Example.org", next_url="/mon-espace/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_confirm_login_code"))
        assert mail.outbox[-1].to == ["claire@example.org"]
        response = client.post(response["Location"], {"code": code_from_last_mail()})
        assert response.status_code == 302
        assert response["Location"] == "/mon-espace/"
        assert client.get(reverse("dashboard")).context["user"] == user

    def test_wrong_code_is_an_error_message(self, client):
        """A wrong code gets an error on the form (not a 500) and signs no one in."""
        verified_user(email="claire@example.org")
        self.request_code(client, "claire@example.org")
        response = client.post(reverse("account_confirm_login_code"), {"code": "AAAA-AAAA"})
        assert response.status_code == 200
        assert response.context["form"].errors["code"]
        assert "_auth_user_id" not in client.session

    def test_without_next_lands_on_my_space(self, client):
        """Signing in without a `next` lands on « My space »."""
        verified_user(email="claire@example.org")
        self.request_code(client, "claire@example.org")
        response = client.post(
            reverse("account_confirm_login_code"), {"code": code_from_last_mail()}
        )
        assert response["Location"] == reverse("dashboard")

    def test_back_to_the_invitation_after_signing_in(self, org, client):
        """From an invitation, a visitor signs in and comes back to it to join."""
        invitation = InvitationFactory(organisation=org)
        user = verified_user()
        response = self.request_code(client, user.email, next_url=invitation.get_absolute_url())
        response = client.post(response["Location"], {"code": code_from_last_mail()})
        assert response["Location"] == invitation.get_absolute_url()
        client.post(invitation.get_absolute_url())
        assert Membership.objects.filter(organisation=org, user=user).exists()


class TestSignup:
    def signup(self, client, next_url="", **data):
        url = reverse("account_signup") + (f"?next={next_url}" if next_url else "")
        response = client.post(url, {"email": "nino@example.org", "next": next_url, **data})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_email_verification_sent"))
        assert client.get(response["Location"]).status_code == 200
        return response["Location"]

    def test_signup_says_the_password_is_optional(self, client):
        """Participants are told in plain words that they need no password."""
        with translation.override("fr"):
            response = client.get(reverse("account_signup"))
        assert "Mot de passe (facultatif)" in response.content.decode()
        assert "un code que nous vous envoyons par e-mail" in response.content.decode()

    def test_signup_without_password_then_code(self, client):
        """Signing up needs only an email (and optionally a name); the email is then
        confirmed with a code, which signs the person in."""
        confirm = self.signup(
            client, next_url="/mon-espace/", email="Nino@Example.org", display_name="Nino"
        )
        user = User.objects.get()
        assert (user.email, user.display_name) == ("nino@example.org", "Nino")
        assert not user.has_usable_password()
        response = client.post(confirm, {"code": code_from_last_mail()})
        assert response.status_code == 302
        assert response["Location"] == "/mon-espace/"
        assert user.emailaddress_set.get().verified
        assert client.session["_auth_user_id"] == str(user.pk)

    def test_signup_without_next_lands_on_my_space(self, client):
        """After confirming their email, a new person lands on « My space »."""
        confirm = self.signup(client)
        response = client.post(confirm, {"code": code_from_last_mail()})
        assert response["Location"] == reverse("dashboard")

    def test_wrong_verification_code(self, client):
        """A wrong verification code is an error message; the email stays unverified."""
        confirm = self.signup(client)
        response = client.post(confirm, {"code": "AAAA-AAAA"})
        assert response.status_code == 200
        assert response.context["form"].errors
        assert not User.objects.get().emailaddress_set.get().verified

    def test_email_already_used_whatever_the_case(self, client):
        """Signing up with an address already taken (in another case) creates no account."""
        verified_user(email="claire@example.org")
        response = client.post(reverse("account_signup"), {"email": "CLAIRE@example.org"})
        assert User.objects.count() == 1
        assert response.status_code in (200, 302)

    def test_signup_comes_back_to_the_invitation(self, org, client):
        """Signing up from an invitation comes back to it once the email is confirmed."""
        target = InvitationFactory(organisation=org).get_absolute_url()
        confirm = self.signup(client, next_url=target)
        response = client.post(confirm, {"code": code_from_last_mail()})
        assert response["Location"] == target

    def test_signup_form_asks_a_name_and_an_optional_password(self, client):
        """The sign-up form asks for the email, an optional name and an optional password."""
        form = client.get(reverse("account_signup")).context["form"]
        assert form.fields["email"].required
        assert not form.fields["display_name"].required
        assert not form.fields["password1"].required
        assert fr("Your display name") == str(form.fields["display_name"].label)


def test_preferences_explain_falc(people, client_for):
    """The easy-read preference says what FALC means, in plain words."""
    page = client_for(people["participant"]).get(reverse("preferences")).content.decode()
    assert "FALC veut dire « facile à lire et à comprendre »" in page
