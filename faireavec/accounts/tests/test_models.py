"""The person (custom user): email login, case-insensitive unique email, display name."""

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from faireavec.accounts.models import User
from faireavec.accounts.tests.factories import UserFactory
from faireavec.organisations.tests.utils import fr

pytestmark = pytest.mark.django_db


def test_email_is_the_login():
    """A person has no username: the email address identifies them."""
    assert User.USERNAME_FIELD == "email"
    assert not hasattr(User, "username") or User.username is None


def test_create_user_normalises_the_email():
    """Emails are stored in lowercase, whatever the case typed."""
    user = User.objects.create_user(email="Claire.Dubois@Example.ORG", password="x-Solide-42")
    assert user.email == "claire.dubois@example.org"
    assert not user.is_staff and not user.is_superuser


def test_create_user_without_password():
    """A person may have no password (they sign in with a code by email)."""
    user = User.objects.create_user(email="sans@example.org")
    assert not user.has_usable_password()


def test_email_required():
    """An account needs an email address."""
    with pytest.raises(ValueError):
        User.objects.create_user(email="", password="x")


def test_invalid_email_refused():
    """A malformed email address is refused and nothing is written."""
    with pytest.raises(ValidationError):
        User.objects.create_user(email="pas-une-adresse", password="x")
    assert not User.objects.exists()


def test_create_superuser():
    """A superuser is staff and superuser."""
    user = User.objects.create_superuser(email="root@example.org", password="x-Solide-42")
    assert user.is_staff and user.is_superuser


def test_email_unique_whatever_the_case():
    """Two people cannot share an email address, even written in another case."""
    UserFactory(email="claire@example.org")
    with pytest.raises(ValidationError) as exc:
        User.objects.create_user(email="CLAIRE@example.org")
    assert "email" in exc.value.error_dict or "__all__" in exc.value.error_dict
    # The database itself refuses it, even when code forgets to lowercase.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="Claire@Example.org")


def test_case_duplicate_has_a_readable_message():
    """The case-insensitive duplicate is reported in words, not with a constraint name."""
    UserFactory(email="claire@example.org")
    with pytest.raises(ValidationError) as exc:
        User(email="Claire@example.org", password="x").full_clean()
    messages = exc.value.messages
    assert fr("A person with this email address already exists.") in messages
    assert not any("user_email_ci_unique" in m for m in messages)


def test_sign_in_ignores_the_email_case(rf):
    """Signing in with « Claire@Example.org » finds « claire@example.org »."""
    user = UserFactory(email="claire@example.org")
    found = authenticate(
        rf.get("/"), username="Claire@Example.ORG", password="motdepasse-solide-42"
    )
    assert found == user


def test_display_name():
    """A person is shown by their display name, else a neutral label: never their
    email nor its start (it is shown on public pages). The team sees both."""
    assert str(UserFactory(display_name="Claire", email="c.d@example.org")) == "Claire"
    nameless = UserFactory(display_name="", email="camille.d@example.org")
    assert str(nameless) == "Une personne participante"
    assert nameless.get_full_name() == nameless.get_short_name() == "Une personne participante"
    assert "camille" not in str(nameless)
    assert nameless.backoffice_label == "Une personne participante (camille.d@example.org)"
