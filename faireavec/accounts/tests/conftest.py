import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _french():
    """Tests run in French, the platform's language, whatever an earlier test activated."""
    with translation.override("fr"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """allauth's rate limits (codes, sign-ups) count in the cache: each test starts afresh."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
