"""Tenancy: resolves the organisation from `/<org_slug>/…` for every view.

Every organisation-scoped URL is included under `<slug:org_slug>/` (see
config/urls.py). Before the view runs, this middleware takes `org_slug` out of
the view's arguments and sets `request.organisation` and `request.membership`.

- Back office (`/<org_slug>/gestion/…`): anonymous visitors go to the login
  page; people who are not members of this organisation get a 404.
- Public side of a private organisation: non-members get a 404, unless the view
  is marked with `@open_to_non_members` (joining through an invitation, say).

So another organisation's pages are "not found", never "forbidden".

It lives in `organisations`, not in `core`: it reads organisations and
memberships, and core (the ground floor) imports no app above it. Core's own
organisation-scoped views only read `request.organisation`.
"""

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from faireavec.organisations.selectors import membership_get, organisation_get_by_slug

BACKOFFICE_SEGMENT = "gestion/"


def open_to_non_members(view: Callable) -> Callable:
    """Let people who are not members reach this public view of a private organisation."""
    view.open_to_non_members = True
    return view


def is_backoffice_route(route: str) -> bool:
    return route.startswith("<slug:org_slug>/" + BACKOFFICE_SEGMENT)


class TenantMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.organisation = None
        request.membership = None
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        slug = view_kwargs.pop("org_slug", None)
        if slug is None:
            return None
        organisation = organisation_get_by_slug(slug=slug)
        if organisation is None:
            raise Http404
        membership = membership_get(user=request.user, organisation=organisation)
        if is_backoffice_route(request.resolver_match.route):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if membership is None:
                raise Http404
        elif (
            organisation.is_private
            and membership is None
            and not getattr(view_func, "open_to_non_members", False)
        ):
            raise Http404
        request.organisation = organisation
        request.membership = membership
        return None
