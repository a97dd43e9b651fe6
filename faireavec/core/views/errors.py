"""Error pages in the shell, in plain French, each with a way on.

404, 403 and the CSRF failure are rendered with the request (the header, the
person's language and preferences); the 500 page is Django's default handler
rendering `500.html` with no request and no database: that template only uses
what needs neither (see templates/500.html).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def _back_url(request: HttpRequest) -> str:
    """The page the person came from, if it is on this site (else nothing)."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""


def _error_page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    context = {"back_url": _back_url(request)}
    organisation = getattr(request, "organisation", None)
    if organisation is not None and organisation.is_private and request.membership is None:
        # A private organisation's page answered 404 to an outsider: the error
        # page must not show whose page it was (no name, no menu, no home link).
        context.update(organisation=None, membership=None, public_links=None)
    return render(request, template, context, status=status)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(request, "404.html", 404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(request, "403.html", 403)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(request, "400.html", 400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the form could not be accepted (expired page, cookies off)."""
    return _error_page(request, "403_csrf.html", 403)
