from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from faireavec.core.http import safe_next_url
from faireavec.organisations.selectors import (
    charter_current,
    charter_to_accept,
    invitation_get_by_token,
    sites_of_organisation,
)
from faireavec.organisations.services import AlreadyMember, charter_accept, invitation_accept
from faireavec.organisations.tenancy import open_to_non_members


def organisation_home(request: HttpRequest) -> HttpResponse:
    """An organisation's public home: who it is, its charter, and the modules' entry points."""
    organisation = request.organisation
    return render(
        request,
        "organisations/organisation_home.html",
        {"charter": charter_current(organisation=organisation)},
    )


def charter(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    return render(
        request,
        "organisations/charter.html",
        {
            "charter": charter_current(organisation=organisation),
            "to_accept": charter_to_accept(request=request, organisation=organisation),
        },
    )


def _is_outsider(request: HttpRequest) -> bool:
    """No role in this private organisation (let in by `open_to_non_members`)."""
    return request.organisation.is_private and request.membership is None


@open_to_non_members
@require_http_methods(["GET", "POST"])
def charter_accept_page(request: HttpRequest) -> HttpResponse:
    """Asked once before a person's first contribution: read and accept the charter,
    then go on to `next`.

    Where a private organisation accepts anonymous contributions, people who are
    not in it may give their opinion, so they must reach this page too; « Not
    now » then cannot lead to the home page (closed to them): the page offers the
    follow-up look-up instead."""
    organisation = request.organisation
    outsider = _is_outsider(request)
    if outsider and not organisation.allow_anonymous_contributions:
        raise Http404
    next_url = safe_next_url(request, organisation.get_absolute_url())
    version = charter_current(organisation=organisation)
    if version is None or charter_to_accept(request=request, organisation=organisation) is None:
        return redirect(next_url)
    if request.method == "POST":
        if request.POST.get("accept") == str(version.number):
            charter_accept(request=request, version=version)
            return redirect(next_url)
        messages.warning(
            request, _("The charter changed while you were reading. Please read this version.")
        )
    return render(
        request,
        "organisations/charter_accept.html",
        {"charter": version, "next": next_url, "home_is_open": not outsider},
    )


def site_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "organisations/site_list.html",
        {"sites": sites_of_organisation(organisation=request.organisation)},
    )


@open_to_non_members
@require_http_methods(["GET", "POST"])
def invitation_join(request: HttpRequest, invitation_token: str) -> HttpResponse:
    """Join an organisation through an invitation link (or its QR code).

    Visitors see who invites them and are asked to sign in or create an account first.
    """
    organisation = request.organisation
    invitation = invitation_get_by_token(organisation=organisation, token=invitation_token)
    if invitation is None:
        raise Http404
    if request.membership is not None:
        # Already in: say so whatever the state of the invitation, and do not use it.
        if request.method == "POST":
            messages.info(
                request, _("You are already a member of %(name)s.") % {"name": organisation.name}
            )
            return redirect(organisation.get_absolute_url())
        return render(
            request,
            "organisations/invitation_join.html",
            {"invitation": invitation, "problem": None, "already_member": True},
        )
    problem = None
    if invitation.revoked_at is not None:
        problem = _("This invitation was withdrawn. Ask the organisation for a new one.")
    elif invitation.is_expired:
        problem = _("This invitation has expired. Ask the organisation for a new one.")
    elif invitation.is_used_up:
        problem = _("This invitation has already been used. Ask the organisation for a new one.")
    if request.method == "POST" and request.user.is_authenticated and problem is None:
        try:
            invitation_accept(user=request.user, invitation=invitation)
        except AlreadyMember:
            messages.info(
                request, _("You are already a member of %(name)s.") % {"name": organisation.name}
            )
            return redirect(organisation.get_absolute_url())
        except ValidationError as exc:
            problem = exc.messages[0]
        else:
            messages.success(request, _("Welcome to %(name)s!") % {"name": organisation.name})
            return redirect(organisation.get_absolute_url())
    status = 410 if problem else 200
    return render(
        request,
        "organisations/invitation_join.html",
        {"invitation": invitation, "problem": problem, "already_member": False},
        status=status,
    )
