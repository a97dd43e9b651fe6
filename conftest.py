"""Fixtures shared by every app's tests.

`org` is an organisation; `people` gives one signed-in-ready user per role in
it, plus an administrator of another organisation (`other_admin`). Use
`client_for(user)` for a test client logged in as that person.
"""

import pytest
from django.test import Client

from faireavec.accounts.tests.factories import UserFactory
from faireavec.organisations.models import Role
from faireavec.organisations.tests.factories import MembershipFactory, OrganisationFactory

ROLES = ["anonymous", "participant", "member", "facilitator", "admin", "other_admin"]


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` (locking, concurrency) run only on PostgreSQL."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL=postgres://…)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _french():
    """Tests run in French, the platform's language, whatever an earlier test activated."""
    from django.utils import translation

    with translation.override("fr"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and cached figures live in the cache: each test starts afresh."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _files_in_tmp(tmp_path_factory):
    """Uploaded and generated files (logos, photos, exports) go to a temporary
    folder for the whole run, never to var/media or var/private."""
    from django.conf import settings

    root = tmp_path_factory.mktemp("files")
    settings.MEDIA_ROOT = str(root / "media")
    settings.PRIVATE_STORAGE_ROOT = str(root / "private")


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Hashing passwords slowly is the point in production, and a waste in tests."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org(db):
    return OrganisationFactory(name="La Ruche", slug="la-ruche")


@pytest.fixture
def other_org(db):
    return OrganisationFactory(name="L'Autre Asso", slug="l-autre-asso")


@pytest.fixture
def people(org, other_org) -> dict:
    """One person per role in `org`, an admin of `other_org`, and None for anonymous."""
    result = {"anonymous": None}
    for role in (Role.PARTICIPANT, Role.MEMBER, Role.FACILITATOR, Role.ADMIN):
        result[str(role)] = MembershipFactory(organisation=org, role=role, user=UserFactory()).user
    result["other_admin"] = MembershipFactory(organisation=other_org, role=Role.ADMIN).user
    return result


@pytest.fixture
def client_for():
    def make(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make
