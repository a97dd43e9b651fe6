from django.test import RequestFactory

from faireavec.contributions.ratelimit import (
    Limit,
    client_address,
    rate_limit_exceeded,
    rate_limit_hit,
)

LIMIT = Limit("test_limit", 2, 60)


def _request(ip: str, forwarded: str = ""):
    extra = {"REMOTE_ADDR": ip}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/", **extra)


def test_limit_counts_per_visitor():
    a, b = _request("10.0.0.1"), _request("10.0.0.2")
    assert not rate_limit_hit(LIMIT, a)
    assert not rate_limit_hit(LIMIT, a)
    assert rate_limit_exceeded(LIMIT, a)
    assert rate_limit_hit(LIMIT, a)
    assert not rate_limit_exceeded(LIMIT, b)


def test_forwarded_header_is_ignored_without_trusted_proxies(settings):
    """A visitor cannot dodge the limit by inventing X-Forwarded-For."""
    settings.FAIREAVEC_TRUSTED_PROXIES = 0
    assert client_address(_request("10.0.0.1", "1.2.3.4")) == "10.0.0.1"


def test_forwarded_header_behind_one_trusted_proxy(settings):
    settings.FAIREAVEC_TRUSTED_PROXIES = 1
    assert client_address(_request("10.0.0.9", "6.6.6.6, 1.2.3.4")) == "1.2.3.4"
