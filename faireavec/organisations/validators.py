from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Words kept back although no top-level route uses them today: the back-office
# prefix (an organisation called « gestion » would read /gestion/gestion/), an API
# the design plans, and the web server's usual prefixes.
ALWAYS_RESERVED = frozenset({"gestion", "api", "www", "static", "media"})


def _first_segment(url: str) -> str:
    return url.strip("/").split("/", 1)[0]


@cache
def reserved_slugs() -> frozenset[str]:
    """Every top-level URL segment the platform itself uses (derived from the URL
    configuration and the static/media settings, so a new top-level page is reserved
    without anyone listing it), plus `ALWAYS_RESERVED`."""
    from django.urls import get_resolver

    segments = set()
    for pattern in get_resolver().url_patterns:
        first = _first_segment(str(pattern.pattern).lstrip("^"))
        if first and not first.startswith("<"):
            segments.add(first)
    for url in (settings.STATIC_URL, settings.MEDIA_URL):
        if url and "://" not in url:
            segments.add(_first_segment(url))
    segments.discard("")
    return frozenset(segment.lower() for segment in segments) | ALWAYS_RESERVED


def validate_slug_not_reserved(value: str) -> None:
    if value.lower() in reserved_slugs():
        raise ValidationError(
            _("This address is reserved by the platform. Please choose another one."),
            code="reserved",
        )
