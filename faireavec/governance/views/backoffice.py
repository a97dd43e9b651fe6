"""Back office: the member register and its import, colleges, statutes, bodies."""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from faireavec.core.forms import add_service_errors, posted_data, posted_files
from faireavec.core.permissions import permission_required
from faireavec.core.submissions import AlreadySubmitted, submit_once
from faireavec.governance.forms import (
    BodyForm,
    CollegeFormSet,
    ImportUploadForm,
    MandateForm,
    MemberFilterForm,
    MemberForm,
    SeatForm,
    StatutesForm,
)
from faireavec.governance.imports import (
    COLUMNS,
    ImportChanged,
    ImportNotFound,
    member_import_cancel,
    member_import_confirm,
    member_import_upload,
)
from faireavec.governance.models import Body, College, Member
from faireavec.governance.selectors import (
    bodies_of,
    body_get,
    colleges_of,
    elections_of_body,
    mandates_due,
    member_get,
    members_of,
    register_counts,
    seats_of,
    statutes_of,
)
from faireavec.governance.services import (
    body_save,
    colleges_problems,
    colleges_save,
    mandate_add,
    member_save,
    seat_add,
    statutes_update,
)

PAGE_SIZE = 50


# The register ---------------------------------------------------------------


@permission_required("governance.view_member")
def member_list(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    filters = MemberFilterForm(request.GET or None)
    query, status = "", ""
    if filters.is_bound and filters.is_valid():
        query, status = filters.cleaned_data["q"], filters.cleaned_data["status"]
    page_obj = Paginator(
        members_of(organisation=organisation, query=query, status=status), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    colleges = list(colleges_of(organisation=organisation))
    statutes = statutes_of(organisation=organisation)
    return render(
        request,
        "governance/member_list.html",
        {
            "filter_form": filters,
            "page_obj": page_obj,
            "members": page_obj.object_list,
            "counts": register_counts(organisation=organisation),
            "colleges": colleges,
            "statutes": statutes,
            "college_problems": colleges_problems(
                organisation=organisation, weights=[(c.name, c.weight) for c in colleges]
            )
            if (statutes.uses_colleges or colleges)
            else [],
            "can_manage": request.user.has_perm("governance.manage_member", organisation),
        },
    )


def _member_url(member: Member) -> str:
    return reverse("governance:member_list", kwargs={"org_slug": member.organisation.slug})


@permission_required("governance.manage_member")
@require_http_methods(["GET", "POST"])
def member_create(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = MemberForm(
        posted_data(request), instance=Member(organisation=organisation), organisation=organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = submit_once(
                request,
                lambda: member_save(actor=request.user, member=form.instance, is_new=True),
                result_url=_member_url,
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(member)s is added to the register.") % {"member": member}
            )
            return redirect(_member_url(member))
    return render(request, "governance/member_form.html", {"form": form, "member": None})


@permission_required("governance.manage_member")
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, member_pk: int) -> HttpResponse:
    organisation = request.organisation
    member = member_get(organisation=organisation, pk=member_pk)
    if member is None:
        raise Http404
    form = MemberForm(posted_data(request), instance=copy.copy(member), organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            member_save(actor=request.user, member=form.instance, is_new=False)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(member)s is saved.") % {"member": form.instance})
            return redirect(_member_url(member))
    return render(request, "governance/member_form.html", {"form": form, "member": member})


@permission_required("governance.manage_member")
@require_http_methods(["GET", "POST"])
def member_import(request: HttpRequest) -> HttpResponse:
    """Import the register in two steps, without JavaScript: check (nothing written),
    then confirm (every valid row written at once, or none if the register changed)."""
    organisation = request.organisation
    slug = organisation.slug
    if request.method == "POST" and ("confirm" in request.POST or "cancel" in request.POST):
        token = request.POST.get("token", "")
        if "cancel" in request.POST:
            member_import_cancel(actor=request.user, organisation=organisation, token=token)
            messages.info(request, _("The import is cancelled: nothing was written."))
            return redirect("governance:member_import", org_slug=slug)
        try:
            created = member_import_confirm(
                actor=request.user, organisation=organisation, token=token
            )
        except ImportNotFound:
            messages.error(
                request, _("This preview is no longer available: choose the file again.")
            )
            return redirect("governance:member_import", org_slug=slug)
        except ImportChanged:
            messages.error(
                request,
                _(
                    "The register changed since the check: nothing was written. Choose the file again."
                ),
            )
            return redirect("governance:member_import", org_slug=slug)
        messages.success(
            request,
            ngettext(
                "%(count)s member is added to the register.",
                "%(count)s members are added to the register.",
                len(created),
            )
            % {"count": len(created)},
        )
        return redirect("governance:member_list", org_slug=slug)
    form = ImportUploadForm(posted_data(request), posted_files(request))
    if request.method == "POST" and form.is_valid():
        try:
            upload = member_import_upload(
                actor=request.user, organisation=organisation, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return render(
                request,
                "governance/member_import_preview.html",
                {"preview": upload.preview, "token": upload.token, "filename": upload.filename},
            )
    return render(
        request,
        "governance/member_import.html",
        {
            "form": form,
            "columns": [names[0].capitalize() for names in COLUMNS.values()],
            "colleges": College.objects.filter(organisation=organisation),
        },
    )


# Colleges and statutes ------------------------------------------------------


@permission_required("governance.manage_college")
@require_http_methods(["GET", "POST"])
def college_edit(request: HttpRequest) -> HttpResponse:
    """Every college on one form: weights are checked together (SCIC: at least three,
    each 10 to 50 %, summing to 100 %)."""
    organisation = request.organisation
    colleges = list(College.objects.filter(organisation=organisation))
    by_pk = {c.pk: c for c in colleges}
    initial = [
        {"college_id": c.pk, "name": c.name, "weight": c.weight, "description": c.description}
        for c in colleges
    ]
    formset = CollegeFormSet(posted_data(request), initial=initial, prefix="colleges")
    if request.method == "POST" and formset.is_valid():
        rows = []
        for i, form in enumerate(formset):
            data = form.cleaned_data
            college = by_pk.get(data.get("college_id"))
            if data.get("college_id") and college is None:
                continue  # another organisation's id, or a college removed meanwhile
            if not data.get("name"):
                continue
            rows.append(
                {
                    "college": college,
                    "name": data["name"],
                    "weight": data["weight"],
                    "description": data.get("description", ""),
                    "position": i,
                    "delete": data.get("delete", False),
                }
            )
        try:
            colleges_save(actor=request.user, organisation=organisation, rows=rows)
        except ValidationError as exc:
            # The set's problems go to the formset, so the page's error summary lists them.
            formset._non_form_errors = formset.error_class(
                exc.messages, error_class="nonform", renderer=formset.renderer
            )
        else:
            messages.success(request, _("The colleges are saved."))
            return redirect("governance:college_edit", org_slug=organisation.slug)
    return render(
        request,
        "governance/college_form.html",
        {
            "formset": formset,
            "statutes": statutes_of(organisation=organisation),
            "is_scic": organisation.legal_form == organisation.LegalForm.SCIC,
        },
    )


@permission_required("governance.change_statutes")
@require_http_methods(["GET", "POST"])
def statutes_edit(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    statutes = statutes_of(organisation=organisation)
    form = StatutesForm(posted_data(request), instance=copy.copy(statutes))
    if request.method == "POST" and form.is_valid():
        try:
            statutes_update(
                actor=request.user,
                organisation=organisation,
                data={name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The statute settings are saved."))
            return redirect("governance:statutes_edit", org_slug=organisation.slug)
    return render(request, "governance/statutes_form.html", {"form": form})


# Bodies ---------------------------------------------------------------------


@permission_required("governance.view_body")
def body_list(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    return render(
        request,
        "governance/body_list.html",
        {
            "bodies": bodies_of(organisation=organisation),
            "due": mandates_due(organisation=organisation),
            "today": timezone.localdate(),
            "can_manage": request.user.has_perm("governance.manage_body", organisation),
        },
    )


def _body_url(body: Body) -> str:
    return reverse(
        "governance:body_detail", kwargs={"org_slug": body.organisation.slug, "body_pk": body.pk}
    )


@permission_required("governance.manage_body")
@require_http_methods(["GET", "POST"])
def body_create(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = BodyForm(posted_data(request), instance=Body(organisation=organisation))
    if request.method == "POST" and form.is_valid():
        try:
            body = submit_once(
                request,
                lambda: body_save(actor=request.user, body=form.instance, is_new=True),
                result_url=_body_url,
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The body « %(name)s » is added: now add its seats.") % {"name": body.name},
            )
            return redirect(_body_url(body))
    return render(request, "governance/body_form.html", {"form": form})


@permission_required("governance.view_body")
@require_http_methods(["GET", "POST"])
def body_detail(request: HttpRequest, body_pk: int) -> HttpResponse:
    """A body's seats and their current mandates; administrators add seats and mandates."""
    organisation = request.organisation
    body = body_get(organisation=organisation, pk=body_pk)
    if body is None:
        raise Http404
    can_manage = request.user.has_perm("governance.manage_body", organisation)
    seat_form = SeatForm(organisation=organisation, prefix="seat")
    mandate_form = MandateForm(body=body, prefix="mandate")
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if "add_seat" in request.POST:
            seat_form = SeatForm(request.POST, organisation=organisation, prefix="seat")
            if seat_form.is_valid():
                try:
                    seat_add(actor=request.user, body=body, **seat_form.cleaned_data)
                except ValidationError as exc:
                    add_service_errors(seat_form, exc)
                else:
                    messages.success(request, _("The seat is added."))
                    return redirect(_body_url(body))
        else:
            mandate_form = MandateForm(request.POST, body=body, prefix="mandate")
            if mandate_form.is_valid():
                data = mandate_form.cleaned_data
                member = Member.objects.filter(
                    organisation=organisation, number=data["member_number"].strip()
                ).first()
                if member is None:
                    mandate_form.add_error("member_number", _("No member has this number."))
                else:
                    try:
                        mandate_add(
                            actor=request.user,
                            seat=data["seat"],
                            member=member,
                            starts_on=data["starts_on"],
                            ends_on=data["ends_on"],
                            is_user=data["is_user"],
                        )
                    except ValidationError as exc:
                        add_service_errors(mandate_form, exc, fields={"member": "member_number"})
                    else:
                        messages.success(request, _("The mandate is recorded."))
                        return redirect(_body_url(body))
    return render(
        request,
        "governance/body_detail.html",
        {
            "body": body,
            "seats": seats_of(body=body),
            "seat_form": seat_form if can_manage else None,
            "mandate_form": mandate_form if can_manage and body.seats.exists() else None,
            "elections": elections_of_body(body=body),
            "can_manage": can_manage,
        },
    )
