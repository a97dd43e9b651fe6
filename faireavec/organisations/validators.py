from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@cache
def reserved_slugs() -> frozenset[str]:
    """Every top-level URL segment the platform itself uses (derived from the URL
    configuration, so a new top-level page is reserved without anyone listing it)."""
    from django.urls import get_resolver

    segments = set()
    for pattern in get_resolver().url_patterns:
        route = str(pattern.pattern).lstrip("^")
        first = route.split("/", 1)[0]
        if first and not first.startswith("<"):
            segments.add(first)
    return frozenset(segments | {"static", "media", "api", "www"})


def validate_slug_not_reserved(value: str) -> None:
    if value.lower() in reserved_slugs():
        raise ValidationError(
            _("This address is reserved by the platform. Please choose another one."),
            code="reserved",
        )
