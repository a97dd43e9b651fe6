import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from faireavec.core.forms import add_service_errors, posted_data
from faireavec.core.navigation import organisation_onboarding
from faireavec.core.pdf import POSTER_PDF_STYLESHEET, pdf_response, render_pdf
from faireavec.core.permissions import permission_required
from faireavec.core.qr import qr_svg
from faireavec.core.submissions import AlreadySubmitted, submission_replay, submit_once
from faireavec.organisations.forms import (
    CharterForm,
    InvitationForm,
    MembershipRoleForm,
    OrganisationSettingsForm,
    SiteForm,
)
from faireavec.organisations.models import Role, Site
from faireavec.organisations.selectors import (
    charter_current,
    charter_versions,
    invitation_get,
    invitations_of_organisation,
    membership_get_in_organisation,
    memberships_of_organisation,
    organisation_counts,
    site_get,
    sites_of_organisation,
)
from faireavec.organisations.services import (
    charter_publish,
    invitation_create,
    invitation_revoke,
    membership_remove,
    membership_set_role,
    organisation_update,
    site_create,
    site_delete,
    site_update,
)


@permission_required("organisations.view_backoffice")
def backoffice_home(request: HttpRequest) -> HttpResponse:
    """The back office's home; administrators find the first steps there until all are
    done (then on their own page, linked from the menu)."""
    onboarding = None
    if request.user.has_perm("organisations.change_organisation", request.organisation):
        onboarding = organisation_onboarding(user=request.user, organisation=request.organisation)
    return render(
        request,
        "organisations/backoffice_home.html",
        {
            "counts": organisation_counts(organisation=request.organisation),
            "onboarding": onboarding,
        },
    )


@permission_required("organisations.change_organisation")
@require_GET
def onboarding(request: HttpRequest) -> HttpResponse:
    """The first steps of the organisation, reachable once they are all done too."""
    return render(
        request,
        "organisations/onboarding.html",
        {
            "onboarding": organisation_onboarding(
                user=request.user, organisation=request.organisation
            )
        },
    )


@permission_required("organisations.change_organisation")
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    # The form edits a copy so that a rejected change never leaks into the page header.
    form = OrganisationSettingsForm(
        posted_data(request),
        request.FILES if request.method == "POST" else None,
        instance=copy.copy(organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisation_update(
                actor=request.user,
                organisation=organisation,
                data={name: form.cleaned_data[name] for name in form.changed_data},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The settings are saved."))
            return redirect("organisations:organisation_edit", org_slug=organisation.slug)
    return render(request, "organisations/organisation_edit.html", {"form": form})


@permission_required("organisations.manage_members")
def member_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "organisations/member_list.html",
        {
            "memberships": memberships_of_organisation(organisation=request.organisation),
            "roles": Role.choices,
        },
    )


@permission_required("organisations.manage_members")
@require_POST
def member_update(request: HttpRequest, membership_pk: int) -> HttpResponse:
    """Change a member's role, or remove them (button `remove`)."""
    organisation = request.organisation
    membership = membership_get_in_organisation(organisation=organisation, pk=membership_pk)
    if membership is None:
        raise Http404
    try:
        if "remove" in request.POST:
            membership_remove(actor=request.user, membership=membership)
            messages.success(
                request, _("%(name)s is no longer a member.") % {"name": membership.user}
            )
        else:
            form = MembershipRoleForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose a role from the list."))
            membership_set_role(
                actor=request.user, membership=membership, role=form.cleaned_data["role"]
            )
            messages.success(
                request, _("The role of %(name)s is changed.") % {"name": membership.user}
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("organisations:member_list", org_slug=organisation.slug)
    if membership.user_id == request.user.pk:
        # An administrator who left, or gave up the role, can no longer see the member list.
        if "remove" in request.POST:
            return redirect("dashboard")
        if form.cleaned_data["role"] != Role.ADMIN:
            return redirect(organisation.get_absolute_url())
    return redirect("organisations:member_list", org_slug=organisation.slug)


def _invitation_roles(request: HttpRequest) -> list[str]:
    if request.membership.role == Role.ADMIN:
        return Role.values
    return [Role.PARTICIPANT]


def _invitation_url(invitation) -> str:
    return reverse(
        "organisations:invitation_detail",
        kwargs={"org_slug": invitation.organisation.slug, "invitation_pk": invitation.pk},
    )


@permission_required("organisations.add_invitation")
@require_http_methods(["GET", "POST"])
def invitation_list(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = InvitationForm(posted_data(request), allowed_roles=_invitation_roles(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation = submit_once(
                request,
                lambda: invitation_create(
                    actor=request.user,
                    organisation=organisation,
                    role=form.cleaned_data["role"],
                    expires_at=form.expires_at,
                    max_uses=form.cleaned_data["max_uses"],
                    label=form.cleaned_data["label"],
                ),
                result_url=_invitation_url,
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The invitation is ready. Share its link or print its poster.")
            )
            return redirect(
                "organisations:invitation_detail",
                org_slug=organisation.slug,
                invitation_pk=invitation.pk,
            )
    return render(
        request,
        "organisations/invitation_list.html",
        {
            "form": form,
            "invitations": invitations_of_organisation(organisation=organisation).filter(
                role__in=_invitation_roles(request)
            ),
        },
    )


def _invitation_or_404(request: HttpRequest, invitation_pk: int):
    """The invitation, if this person could have created it: a facilitator, who may
    only invite participants, cannot pass on (or withdraw) an administrator's
    invitation to join as a member or an administrator."""
    invitation = invitation_get(organisation=request.organisation, pk=invitation_pk)
    if invitation is None or invitation.role not in _invitation_roles(request):
        raise Http404
    return invitation


def _poster_context(request: HttpRequest, invitation) -> dict:
    url = request.build_absolute_uri(invitation.get_absolute_url())
    return {
        "invitation": invitation,
        "join_url": url,
        "code_url": request.build_absolute_uri(reverse("invitation_code")),
        "qr_svg": qr_svg(url, title=_("QR code of the invitation link")),
    }


@permission_required("organisations.add_invitation")
def invitation_detail(request: HttpRequest, invitation_pk: int) -> HttpResponse:
    invitation = _invitation_or_404(request, invitation_pk)
    return render(
        request, "organisations/invitation_detail.html", _poster_context(request, invitation)
    )


@permission_required("organisations.add_invitation")
def invitation_poster(request: HttpRequest, invitation_pk: int) -> HttpResponse:
    """A printable A4 poster with the invitation's QR code and its short code."""
    invitation = _invitation_or_404(request, invitation_pk)
    return render(
        request, "organisations/invitation_poster.html", _poster_context(request, invitation)
    )


@permission_required("organisations.add_invitation")
@require_GET
def invitation_poster_pdf(request: HttpRequest, invitation_pk: int) -> HttpResponse:
    """The poster as an A4 PDF to print; `?gros-caracteres=1` for large print."""
    invitation = _invitation_or_404(request, invitation_pk)
    large_print = request.GET.get("gros-caracteres") == "1"
    context = {**_poster_context(request, invitation), "organisation": request.organisation}
    content = render_pdf(
        template_name="organisations/invitation_poster_pdf.html",
        context=context,
        stylesheets=[POSTER_PDF_STYLESHEET],
        large_print=large_print,
    )
    name = _("poster-%(organisation)s") % {"organisation": request.organisation.slug}
    if large_print:
        name += _("-large-print")
    return pdf_response(content=content, filename=f"{name}.pdf")


@permission_required("organisations.add_invitation")
@require_POST
def invitation_revoke_view(request: HttpRequest, invitation_pk: int) -> HttpResponse:
    invitation = _invitation_or_404(request, invitation_pk)
    invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, _("The invitation is withdrawn: its link no longer works."))
    return redirect("organisations:invitation_list", org_slug=request.organisation.slug)


@permission_required("organisations.manage_sites")
@require_http_methods(["GET", "POST"])
def site_manage(request: HttpRequest) -> HttpResponse:
    """The list of sites and services, with a form to add one."""
    organisation = request.organisation
    if replay := submission_replay(request):
        return replay
    form = SiteForm(posted_data(request), instance=Site(organisation=organisation))
    if request.method == "POST" and form.is_valid():
        try:
            submit_once(
                request,
                lambda: site_create(
                    actor=request.user, organisation=organisation, **form.cleaned_data
                ),
                result_url=lambda site: reverse(
                    "organisations:site_manage", kwargs={"org_slug": organisation.slug}
                ),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The site « %(name)s » is added.") % {"name": form.cleaned_data["name"]},
            )
            return redirect("organisations:site_manage", org_slug=organisation.slug)
    return render(
        request,
        "organisations/site_manage.html",
        {"form": form, "sites": sites_of_organisation(organisation=organisation)},
    )


@permission_required("organisations.manage_sites")
@require_http_methods(["GET", "POST"])
def site_edit(request: HttpRequest, site_pk: int) -> HttpResponse:
    organisation = request.organisation
    site = site_get(organisation=organisation, pk=site_pk)
    if site is None:
        raise Http404
    if request.method == "POST" and "delete" in request.POST:
        site_delete(actor=request.user, site=site)
        messages.success(request, _("The site « %(name)s » is deleted.") % {"name": site.name})
        return redirect("organisations:site_manage", org_slug=organisation.slug)
    # The form edits a copy, so that a rejected name never shows as the page's title.
    form = SiteForm(posted_data(request), instance=copy.copy(site))
    if request.method == "POST" and form.is_valid():
        try:
            site_update(actor=request.user, site=copy.copy(site), **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The site is saved."))
            return redirect("organisations:site_manage", org_slug=organisation.slug)
    return render(request, "organisations/site_edit.html", {"form": form, "site": site})


@permission_required("organisations.change_charter")
@require_http_methods(["GET", "POST"])
def charter_edit(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    current = charter_current(organisation=organisation)
    if replay := submission_replay(request):
        return replay
    form = CharterForm(posted_data(request), initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        if current and form.cleaned_data["text"].strip() == current.text:
            messages.info(request, _("The text did not change: no new version was published."))
            return redirect("organisations:charter_edit", org_slug=organisation.slug)
        try:
            version = submit_once(
                request,
                lambda: charter_publish(
                    actor=request.user, organisation=organisation, text=form.cleaned_data["text"]
                ),
                result_url=lambda version: reverse(
                    "organisations:charter_edit", kwargs={"org_slug": organisation.slug}
                ),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Version %(n)s of the charter is published.") % {"n": version.number}
            )
            return redirect("organisations:charter_edit", org_slug=organisation.slug)
    return render(
        request,
        "organisations/charter_edit.html",
        {"form": form, "versions": charter_versions(organisation=organisation)},
    )
