"""The account pages and emails allauth provides, in the platform's plain French: the
email addresses, the password pages, two-step sign-in and the emails that carry a
code, which say how long the code is valid (read from allauth's settings)."""

import html
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from faireavec.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-42"
ALLAUTH_WORDING = [
    "Adresses e-mail",
    "Rendre principale",
    "Renvoyer le message de vérification",
    "Définir un mot de passe",
    "Authentification à deux facteurs",
    "Veuillez vous réauthentifier",
    "Confirmer l'accès",
    "Le code expirera bientôt",
    "Vous recevez ce message",
]


def text(response) -> str:
    page = response.content.decode()
    main = page.split('id="contenu"')[1].split("</main>")[0]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main)))


def assert_plain(words: str) -> None:
    for stock in ALLAUTH_WORDING:
        assert stock not in words, f"allauth's own wording left: « {stock} »"


def signed_in(client, *, password: bool = True):
    """A person signed in through the sign-in form (without one: signed in directly)."""
    user = UserFactory(email="sam@example.org", password=PASSWORD if password else None)
    if not password:
        user.set_unusable_password()
        user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if password:
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": PASSWORD}
        )
        assert response.status_code == 302
    else:
        client.force_login(user)
    return user


def test_email_addresses_page_in_plain_words(client):
    """Each address says whether it is checked and which is the main one; the three
    actions are of three kinds (main, secondary, danger) and the page loads no script."""
    signed_in(client)
    response = client.get(reverse("account_email"))
    words = text(response)
    assert "Vos adresses e-mail" in words
    assert "sam@example.org — vérifiée, adresse principale" in words
    page = response.content.decode()
    assert '<button type="submit" name="action_primary" class="button">' in page
    assert 'name="action_send" class="button--secondary"' in page
    assert 'name="action_remove" class="button--danger"' in page
    assert "Ajouter une autre adresse" in words
    assert "<script" not in page
    assert_plain(words)


def test_adding_an_address_sends_a_code_that_says_how_long_it_is_valid(client, settings):
    """The checking email names the code's validity from the setting, in minutes."""
    settings.ACCOUNT_EMAIL_VERIFICATION_BY_CODE_TIMEOUT = 20 * 60
    signed_in(client)
    mail.outbox.clear()
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "sam.autre@example.org"}
    )
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.subject.endswith("Votre code pour vérifier votre adresse e-mail")
    assert "Le code est valable 20 minutes." in message.body
    assert_plain(message.body)
    words = text(client.get(response["Location"]))
    assert "Tapez le code que nous vous avons envoyé" in words
    assert "Le code est valable 20 minutes." in words
    assert "Nous avons envoyé un code à sam.autre@example.org pour vérifier l'adresse." in words
    assert_plain(words)


def test_signup_email_says_how_long_the_code_is_valid(client):
    """The sign-up email welcomes the person and says the code's validity (allauth's
    default of 15 minutes for an email check, as no setting changes it)."""
    client.post(reverse("account_signup"), {"email": "lina@example.org"})
    message = mail.outbox[-1]
    assert message.subject.endswith("Votre code pour finir de créer votre compte")
    assert "Bienvenue ! Pour finir de créer votre compte" in message.body
    assert "Le code est valable 15 minutes." in message.body
    assert_plain(message.body)


def test_password_reset_email_and_page_say_how_long_the_code_is_valid(client):
    """ACCOUNT_PASSWORD_RESET_BY_CODE_TIMEOUT is 10 minutes: the email and the page say so."""
    user = UserFactory(email="noe@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(reverse("account_reset_password"), {"email": "noe@example.org"})
    message = mail.outbox[-1]
    assert message.subject.endswith("Votre code pour choisir un nouveau mot de passe")
    assert "Le code est valable 10 minutes." in message.body
    assert_plain(message.body)
    words = text(client.get(response["Location"]))
    assert "Tapez le code pour choisir un nouveau mot de passe" in words
    assert "Le code est valable 10 minutes." in words


def test_change_password_page(client):
    """Someone with a password changes it, and is reminded that a code works too."""
    signed_in(client)
    words = text(client.get(reverse("account_change_password")))
    assert "Changer mon mot de passe" in words
    assert "sans mot de passe, avec un code" in words
    assert_plain(words)


def test_someone_who_signs_in_by_code_is_told_a_password_is_optional(client):
    """A person without a password who opens « change password » lands on « choose a
    password », which says it is not needed."""
    signed_in(client, password=False)
    response = client.get(reverse("account_change_password"), follow=True)
    words = text(response)
    assert "Choisir un mot de passe" in words
    assert "Un mot de passe n'est pas nécessaire" in words
    assert_plain(words)


def test_two_step_sign_in_pages(client):
    """Two-step sign-in: what it is, turning the app on (with the key for people without
    a camera), and the « check it is you » step before it when the sign-in is old."""
    signed_in(client)
    words = text(client.get(reverse("mfa_index")))
    assert "Connexion en deux étapes" in words
    assert "Activer l'application d'authentification" in words
    assert_plain(words)
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    words = text(client.get(response["Location"]))
    assert "Vérifier que c'est bien vous" in words
    assert_plain(words)
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == reverse("mfa_activate_totp")
    response = client.get(reverse("mfa_activate_totp"))
    words = text(response)
    assert "Ouvrez votre application d'authentification" in words
    assert "Pas d'appareil photo ?" in words
    assert "QR code à scanner avec votre application" in html.unescape(response.content.decode())
    assert_plain(words)


def test_check_it_is_you_page(client):
    """Before a safety change after an old sign-in, the page says why it asks again."""
    signed_in(client)
    words = text(client.get(reverse("account_reauthenticate")))
    assert "Vérifier que c'est bien vous" in words
    assert "touche à la sécurité de votre compte" in words
    assert_plain(words)
