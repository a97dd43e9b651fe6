"""Who account emails (allauth) speak for, and the address they link to."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings


@dataclass(frozen=True)
class EmailSite:
    """What allauth's email templates call `current_site`: without
    django.contrib.sites it would be the request's host (« c'est 127.0.0.1:8100 »)."""

    name: str
    domain: str
    url: str


def email_site(request=None) -> EmailSite:
    """The organisation of the page the email was asked from, else the platform;
    the address is the one the site is served at (SITE_URL)."""
    organisation = getattr(request, "organisation", None)
    site_url = settings.SITE_URL.rstrip("/")
    return EmailSite(
        name=organisation.name if organisation is not None else settings.PLATFORM_NAME,
        domain=urlsplit(site_url).netloc,
        url=site_url + "/",
    )
