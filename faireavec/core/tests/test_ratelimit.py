import pytest
from django.core.cache import cache
from django.test import RequestFactory

from faireavec.core.ratelimit import Limit, client_address, client_key, rate_limit_hit

LIMIT = Limit("test_limit", 2, 60)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _request(ip: str, forwarded: str = ""):
    extra = {"REMOTE_ADDR": ip}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/", **extra)


def test_limit_counts_per_visitor():
    a, b = _request("10.0.0.1"), _request("10.0.0.2")
    assert not rate_limit_hit(LIMIT, a)
    assert not rate_limit_hit(LIMIT, a)
    assert rate_limit_hit(LIMIT, a)
    assert not rate_limit_hit(LIMIT, b)


def test_counters_live_in_the_shared_cache():
    """The count is django-ratelimit's cache entry: another process reading the
    same cache (Redis in production) sees it; clearing the cache resets it."""
    a = _request("10.0.0.1")
    rate_limit_hit(LIMIT, a)
    rate_limit_hit(LIMIT, a)
    assert rate_limit_hit(LIMIT, a)
    cache.clear()
    assert not rate_limit_hit(LIMIT, a)


def test_the_address_is_not_stored_in_clear():
    key = client_key("g", _request("10.0.0.1"))
    assert "10.0.0.1" not in key and len(key) == 32


def test_forwarded_header_is_ignored_without_trusted_proxies(settings):
    """A visitor cannot dodge the limit by inventing X-Forwarded-For."""
    settings.FAIREAVEC_TRUSTED_PROXIES = 0
    assert client_address(_request("10.0.0.1", "1.2.3.4")) == "10.0.0.1"


def test_forwarded_header_behind_one_trusted_proxy(settings):
    settings.FAIREAVEC_TRUSTED_PROXIES = 1
    assert client_address(_request("10.0.0.9", "6.6.6.6, 1.2.3.4")) == "1.2.3.4"


def test_visitors_behind_one_proxy_are_counted_apart(settings):
    settings.FAIREAVEC_TRUSTED_PROXIES = 1
    a, b = _request("10.0.0.9", "1.1.1.1"), _request("10.0.0.9", "2.2.2.2")
    for _ in range(2):
        rate_limit_hit(LIMIT, a)
    assert rate_limit_hit(LIMIT, a)
    assert not rate_limit_hit(LIMIT, b)


def test_a_limit_on_a_key_is_shared_by_every_visitor_and_counts_what_went_through():
    """Three emails of one code, whoever asks: `rate_limit_reached` only looks,
    `rate_limit_count` counts; another key has its own count."""
    from faireavec.core.ratelimit import rate_limit_count, rate_limit_reached

    a, b = _request("10.0.0.1"), _request("10.0.0.2")
    assert not rate_limit_reached(LIMIT, a, key="code:1")
    assert not rate_limit_reached(LIMIT, a, key="code:1")  # looking counts nothing
    rate_limit_count(LIMIT, a, key="code:1")
    rate_limit_count(LIMIT, b, key="code:1")
    assert rate_limit_reached(LIMIT, a, key="code:1")
    assert rate_limit_reached(LIMIT, b, key="code:1")
    assert not rate_limit_reached(LIMIT, a, key="code:2")
    assert not rate_limit_hit(LIMIT, a), "the visitor's own count is apart"
