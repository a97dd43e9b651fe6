"""Small HTTP helpers every app shares."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, default: str = "") -> str:
    """The `next` page asked for (posted first, else in the query string), if it
    is a page of this site; otherwise `default`. Never an outside address, so a
    link cannot send people elsewhere after they sign in or submit a form."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default
