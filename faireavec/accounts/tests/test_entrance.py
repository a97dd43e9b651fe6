"""Signing in by code, in plain words: how long a code is valid (page and email),
a wrong, used-up or expired code says what to do, « send me a new code » works
without JavaScript, and the password is not « required » for people without one."""

import html
import re

import pytest
from django.urls import reverse

from faireavec.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CONFIRM = "/compte/login/code/confirm/"


def text(response) -> str:
    page = response.content.decode()
    main = page.split('id="contenu"')[1].split("</main>")[0]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main)))


@pytest.fixture
def asked(client, mailoutbox):
    """A person asked for a sign-in code."""
    from allauth.account.models import EmailAddress

    user = UserFactory(email="camille@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(reverse("account_request_login_code"), {"email": "camille@example.org"})
    assert response["Location"] == CONFIRM
    return client


def test_login_page_offers_the_code_first_and_does_not_require_a_password(client):
    page = client.get(reverse("account_login"))
    content = text(page)
    assert "Sans mot de passe" in content and "Le code est valable 10 minutes." in content
    password = re.search(r'<label for="id_password">(.*?)</label>', page.content.decode(), re.S)
    assert "obligatoire" not in password.group(1)
    assert "Votre mot de passe (si vous en avez choisi un)" in password.group(1)


def test_empty_password_says_what_to_do(client):
    UserFactory(email="camille@example.org")
    response = client.post(reverse("account_login"), {"login": "camille@example.org"})
    assert response.status_code == 200
    assert "Tapez votre mot de passe. Pas de mot de passe ?" in text(response)


def test_code_email_and_page_say_how_long_the_code_is_valid(asked, mailoutbox):
    assert "Le code est valable 10 minutes." in mailoutbox[0].body
    content = text(asked.get(CONFIRM))
    assert "Le code est valable 10 minutes." in content
    assert "expirera bientôt" not in content


def test_wrong_code_gets_a_clear_message_and_a_new_code_can_be_sent(asked, mailoutbox):
    wrong = asked.post(CONFIRM, {"code": "ABCD-EFGH"})
    assert "Ce n'est pas le bon code." in text(wrong)
    assert 'name="action" value="resend"' in wrong.content.decode()
    assert asked.post(CONFIRM, {"action": "resend"}).status_code == 302
    assert len(mailoutbox) == 2
    new_code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mailoutbox[1].body, re.M).group(1)
    assert asked.post(CONFIRM, {"code": new_code})["Location"] == reverse("dashboard")


def test_too_many_wrong_codes_lead_to_asking_a_new_one(asked):
    for _ in range(2):
        asked.post(CONFIRM, {"code": "ABCD-EFGH"})
    response = asked.post(CONFIRM, {"code": "ABCD-EFGH"}, follow=True)
    assert response.request["PATH_INFO"] == reverse("account_request_login_code")
    assert "Trop de codes faux" in text(response)


def test_an_expired_code_says_so(asked, monkeypatch):
    import time

    from allauth.account.internal.flows import code_verification

    later = time.time() + 11 * 60
    monkeypatch.setattr(code_verification.time, "time", lambda: later)
    response = asked.get(CONFIRM, follow=True)
    assert response.request["PATH_INFO"] == reverse("account_request_login_code")
    assert "Ce code a expiré : un code est valable 10 minutes." in text(response)
