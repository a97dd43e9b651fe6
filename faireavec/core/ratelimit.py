"""Per-visitor rate limits, on django-ratelimit, kept in the cache.

Every app limits its public forms with `rate_limit_hit(limit, request)`, which
counts one attempt: one mechanism, one key. The key
is the visitor's address as the platform sees it behind its trusted proxies
(`client_address`), hashed with the secret key: the address itself is never
stored, and the cache entry expires with its window.

The counters live in the default cache. With several web processes (production)
that cache must be shared — Redis (`REDIS_URL`) — or each process counts on its
own and the limits multiply. The development default (local memory) is fine for
one process. django-ratelimit's own system check flags local memory as an
error, which would stop `runserver`; it is therefore not in INSTALLED_APPS, and
the README says production needs Redis.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage


@dataclass(frozen=True)
class Limit:
    """At most `count` attempts per `seconds`, per visitor, in the group `name`."""

    name: str
    count: int
    seconds: int

    @property
    def rate(self) -> str:
        return f"{self.count}/{self.seconds}s"


def client_address(request: HttpRequest) -> str:
    """The visitor's address. Behind N trusted reverse proxies (setting
    `FAIREAVEC_TRUSTED_PROXIES`, from the `TRUSTED_PROXIES` environment variable,
    default 0), it is the N-th address from the end of X-Forwarded-For — the one
    the nearest trusted proxy saw; otherwise REMOTE_ADDR, and a forged header is
    ignored."""
    proxies = getattr(settings, "FAIREAVEC_TRUSTED_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def client_key(group: str, request: HttpRequest) -> str:
    """django-ratelimit key function: the hashed client address."""
    address = client_address(request)
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]


def _key_of(key: str):
    """django-ratelimit key function for a limit on something other than the
    visitor (a follow-up code…): `key`, hashed with the secret key like an address."""
    hashed = hashlib.sha256(f"{settings.SECRET_KEY}:key:{key}".encode()).hexdigest()[:32]
    return lambda group, request: hashed


def _count(limit: Limit, request: HttpRequest, *, increment: bool, key: str | None = None) -> int:
    usage = get_usage(
        request,
        group=limit.name,
        key=client_key if key is None else _key_of(key),
        rate=limit.rate,
        increment=increment,
    )
    if usage is None:  # RATELIMIT_ENABLE = False
        return 0
    if usage["limit"] == 0:  # the cache did not answer: django-ratelimit fails closed
        return limit.count + 1
    return usage["count"]


def rate_limit_hit(limit: Limit, request: HttpRequest, *, key: str | None = None) -> bool:
    """Count one more attempt; True when the visitor (or `key`: a code, an
    object, instead of the visitor) is now over the limit."""
    return _count(limit, request, increment=True, key=key) > limit.count


def rate_limit_reached(limit: Limit, request: HttpRequest, *, key: str | None = None) -> bool:
    """Whether the limit is used up already, without counting: for a limit on
    what succeeded (three emails of one code), checked first and counted after
    with `rate_limit_count`."""
    return _count(limit, request, increment=False, key=key) >= limit.count


def rate_limit_count(limit: Limit, request: HttpRequest, *, key: str | None = None) -> None:
    """Count one use that went through (see `rate_limit_reached`)."""
    _count(limit, request, increment=True, key=key)
