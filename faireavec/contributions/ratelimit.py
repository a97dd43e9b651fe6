"""Simple per-visitor rate limits kept in the cache (Redis in production).

The visitor's address is only used hashed, as a cache key that expires: it is
never written to the database.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    seconds: int


# A whole hall may share one address (the association's wifi): limits are generous.
CONTRIBUTION_POST = Limit("contribution_post", 20, 600)
PUBLIC_POST = Limit("public_post", 60, 600)
FOLLOW_UP_MISS = Limit("follow_up_miss", 10, 900)
# « Receive this code by email »: a few per visitor, and a few per contribution.
FOLLOW_UP_EMAIL = Limit("follow_up_email", 10, 3600)
FOLLOW_UP_EMAIL_PER_CODE = 3


def client_address(request: HttpRequest) -> str:
    """The visitor's address. Behind N trusted reverse proxies (setting
    `FAIREAVEC_TRUSTED_PROXIES`, default 0), it is the N-th address from the end
    of X-Forwarded-For; otherwise REMOTE_ADDR (a forged header is then ignored)."""
    proxies = getattr(settings, "FAIREAVEC_TRUSTED_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def visitor_key(request: HttpRequest) -> str:
    address = client_address(request)
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]


def _cache_key(limit: Limit, request: HttpRequest) -> str:
    return f"faireavec:rl:{limit.name}:{visitor_key(request)}"


def rate_limit_hit(limit: Limit, request: HttpRequest) -> bool:
    """Count one more attempt; True when the visitor is over the limit."""
    key = _cache_key(limit, request)
    cache.add(key, 0, timeout=limit.seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=limit.seconds)
        count = 1
    return count > limit.count


def rate_limit_exceeded(limit: Limit, request: HttpRequest) -> bool:
    """True when the visitor is already over the limit (without counting)."""
    return (cache.get(_cache_key(limit, request)) or 0) >= limit.count
