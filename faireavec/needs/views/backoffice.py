"""Back office: the needs register, existing offers, links from contributions,
the export, and the territorial diagnosis."""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from faireavec.core.exports import export_or_job
from faireavec.core.forms import add_service_errors, posted_data
from faireavec.core.http import safe_next_url
from faireavec.core.permissions import permission_required
from faireavec.core.submissions import AlreadySubmitted, submit_once
from faireavec.needs.exports import NEEDS_EXPORT
from faireavec.needs.forms import (
    DiagnosisForm,
    DiagnosisSectionForm,
    ExistingOfferForm,
    LinkToNeedForm,
    NeedFilterForm,
    NeedForm,
    NeedFromContributionForm,
)
from faireavec.needs.models import Need, Source
from faireavec.needs.selectors import (
    contribution_get_for_linking,
    diagnosis_get,
    diagnosis_grouped,
    diagnosis_section_get,
    existing_offer_get,
    need_contribution_links,
    need_get,
    needs_of_contribution,
    needs_of_organisation,
    watch_entries_of_need,
    watch_entries_of_organisation,
)
from faireavec.needs.services import (
    diagnosis_save,
    diagnosis_section_update,
    existing_offer_add,
    existing_offer_delete,
    existing_offer_update,
    need_create,
    need_create_from_contribution,
    need_delete,
    need_link_contribution,
    need_unlink_contribution,
    need_update,
)

PAGE_SIZE = 30


def _need_or_404(request: HttpRequest, need_pk: int) -> Need:
    need = need_get(organisation=request.organisation, pk=need_pk)
    if need is None:
        raise Http404
    return need


def _to_need(request: HttpRequest, need: Need) -> HttpResponse:
    return redirect(_need_url(need))


def _need_url(need: Need) -> str:
    return reverse(
        "needs:need_detail", kwargs={"org_slug": need.organisation.slug, "need_pk": need.pk}
    )


# The register -------------------------------------------------------------


@permission_required("needs.review_need")
def need_list(request: HttpRequest) -> HttpResponse:
    """The needs register, most urgent first, with filters and the export."""
    organisation = request.organisation
    filter_form = NeedFilterForm(request.GET or None)
    needs = needs_of_organisation(organisation=organisation, **filter_form.filters())
    page_obj = Paginator(needs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "needs/need_list.html",
        {
            "filter_form": filter_form,
            "page_obj": page_obj,
            "needs": page_obj.object_list,
        },
    )


@permission_required("needs.export_need")
@require_POST
def need_export(request: HttpRequest) -> HttpResponse:
    """The register, filtered like the page, as a table."""
    return export_or_job(request, spec=NEEDS_EXPORT)


@permission_required("needs.manage_need")
@require_http_methods(["GET", "POST"])
def need_create_view(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = NeedForm(posted_data(request), instance=Need(organisation=organisation))
    if request.method == "POST" and form.is_valid():
        try:
            need = submit_once(
                request,
                lambda: need_create(
                    actor=request.user, organisation=organisation, data=form.service_data()
                ),
                result_url=_need_url,
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The need « %(title)s » is added. You can now list the existing offers.")
                % {"title": need.title},
            )
            return _to_need(request, need)
    return render(request, "needs/need_form.html", {"form": form, "need": None})


@permission_required("needs.review_need")
def need_detail(request: HttpRequest, need_pk: int) -> HttpResponse:
    """A need in full: existing offers, gap, supports and, for facilitators,
    the contributions that reveal it."""
    need = _need_or_404(request, need_pk)
    can_manage = request.user.has_perm("needs.manage_need", request.organisation)
    return render(
        request,
        "needs/need_detail.html",
        {
            "need": need,
            "offer_form": ExistingOfferForm() if can_manage else None,
            "links": need_contribution_links(need=need) if can_manage else [],
            "watch_entries": watch_entries_of_need(need=need),
        },
    )


@permission_required("needs.manage_need")
@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, need_pk: int) -> HttpResponse:
    need = _need_or_404(request, need_pk)
    # The form edits a copy, so a rejected change never shows up elsewhere on the page.
    form = NeedForm(posted_data(request), instance=copy.copy(need))
    if request.method == "POST" and form.is_valid():
        try:
            need_update(actor=request.user, need=need, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The need is saved."))
            return _to_need(request, need)
    return render(request, "needs/need_form.html", {"form": form, "need": need})


@permission_required("needs.manage_need")
@require_http_methods(["GET", "POST"])
def need_delete_view(request: HttpRequest, need_pk: int) -> HttpResponse:
    need = _need_or_404(request, need_pk)
    if request.method == "POST":
        need_delete(actor=request.user, need=need)
        messages.success(request, _("The need « %(title)s » is deleted.") % {"title": need.title})
        return redirect("needs:need_list", org_slug=request.organisation.slug)
    return render(request, "needs/need_confirm_delete.html", {"need": need})


# Existing offers ---------------------------------------------------------


@permission_required("needs.manage_need")
@require_http_methods(["GET", "POST"])
def offer_add(request: HttpRequest, need_pk: int) -> HttpResponse:
    """Add an existing offer to a need (the form is also on the need's page)."""
    need = _need_or_404(request, need_pk)
    form = ExistingOfferForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            submit_once(
                request,
                lambda: existing_offer_add(actor=request.user, need=need, data=form.service_data()),
                result_url=lambda offer: _need_url(need),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The existing offer is added."))
            return _to_need(request, need)
    return render(request, "needs/existingoffer_form.html", {"form": form, "need": need})


@permission_required("needs.manage_need")
@require_http_methods(["GET", "POST"])
def offer_edit(request: HttpRequest, existingoffer_pk: int) -> HttpResponse:
    offer = existing_offer_get(organisation=request.organisation, pk=existingoffer_pk)
    if offer is None:
        raise Http404
    need = offer.need
    if request.method == "POST" and "delete" in request.POST:
        existing_offer_delete(actor=request.user, offer=offer)
        messages.success(request, _("The existing offer is deleted."))
        return _to_need(request, need)
    form = ExistingOfferForm(posted_data(request), instance=copy.copy(offer))
    if request.method == "POST" and form.is_valid():
        try:
            existing_offer_update(actor=request.user, offer=offer, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The existing offer is saved."))
            return _to_need(request, need)
    return render(
        request, "needs/existingoffer_form.html", {"form": form, "need": need, "offer": offer}
    )


# Links with contributions ------------------------------------------------


@permission_required("needs.manage_need")
@require_POST
def need_unlink_view(request: HttpRequest, need_pk: int) -> HttpResponse:
    """Remove the link between a need and one of its contributions."""
    need = _need_or_404(request, need_pk)
    try:
        contribution_pk = int(request.POST.get("contribution", ""))
    except ValueError:
        contribution_pk = 0
    contribution = contribution_get_for_linking(
        organisation=request.organisation, pk=contribution_pk
    )
    if contribution is None:
        messages.error(request, _("This contribution was not found."))
    elif need_unlink_contribution(actor=request.user, need=need, contribution=contribution):
        messages.success(
            request,
            _("« %(contribution)s » is no longer linked to this need.")
            % {"contribution": contribution.title},
        )
    next_url = safe_next_url(request)
    return redirect(next_url) if next_url else _to_need(request, need)


def _link_to_existing_need(request, contribution, form, here: str) -> HttpResponse | None:
    """Link to the chosen need; the redirect, or None (errors on the form)."""
    need = form.cleaned_data["need"]
    try:
        need_link_contribution(actor=request.user, need=need, contribution=contribution)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(
        request, _("The contribution is linked to the need « %(title)s ».") % {"title": need.title}
    )
    return redirect(here)


def _link_to_new_need(request, contribution, form, here: str) -> HttpResponse | None:
    """Create a need from the contribution (once); the redirect, or None."""
    try:
        need = submit_once(
            request,
            lambda: need_create_from_contribution(
                actor=request.user, contribution=contribution, data=form.service_data()
            ),
            result_url=lambda need: here,
        )
    except AlreadySubmitted as done:
        return done.response(request)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(
        request,
        _("The need « %(title)s » is created and linked to the contribution.")
        % {"title": need.title},
    )
    return redirect(here)


@permission_required("needs.manage_need")
@require_http_methods(["GET", "POST"])
def contribution_link(request: HttpRequest, contribution_pk: int) -> HttpResponse:
    """From the inbox: link a contribution to the needs it reveals, either an
    existing need (`action=link`) or a new one created from it (`action=create`)."""
    organisation = request.organisation
    contribution = contribution_get_for_linking(organisation=organisation, pk=contribution_pk)
    if contribution is None:
        raise Http404
    action = request.POST.get("action", "")
    link_form = LinkToNeedForm(
        request.POST if action == "link" else None, organisation=organisation
    )
    create_form = NeedFromContributionForm(
        request.POST if action == "create" else None,
        instance=Need(organisation=organisation),
        initial={
            "title": contribution.title[:200],
            "description": contribution.body,
            "sources": [Source.CONTRIBUTIONS],
        },
        prefix="new",
    )
    back = safe_next_url(request)
    here = request.get_full_path()
    if request.method == "POST":
        done = None
        if action == "link" and link_form.is_valid():
            done = _link_to_existing_need(request, contribution, link_form, here)
        elif action == "create" and create_form.is_valid():
            done = _link_to_new_need(request, contribution, create_form, here)
        elif action not in {"link", "create"}:
            messages.error(request, _("Choose whether to link an existing need or create one."))
        if done is not None:
            return done
    return render(
        request,
        "needs/contribution_link.html",
        {
            "contribution": contribution,
            "linked_needs": needs_of_contribution(contribution=contribution),
            "link_form": link_form,
            "create_form": create_form,
            "next": back,
            "here": here,
        },
    )


# Territorial diagnosis ---------------------------------------------------


@permission_required("needs.change_diagnosis")
@require_http_methods(["GET", "POST"])
def diagnosis_manage(request: HttpRequest) -> HttpResponse:
    """The diagnosis's summary and visibility, and its sections to fill in.
    Saving the first time creates the nine sections."""
    organisation = request.organisation
    diagnosis = diagnosis_get(organisation=organisation)
    initial = {"summary": diagnosis.summary, "is_public": diagnosis.is_public} if diagnosis else {}
    form = DiagnosisForm(posted_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            diagnosis_save(
                actor=request.user,
                organisation=organisation,
                summary=form.cleaned_data["summary"],
                is_public=form.cleaned_data["is_public"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The territorial diagnosis is saved."))
            return redirect("needs:diagnosis_manage", org_slug=organisation.slug)
    return render(
        request,
        "needs/diagnosis_manage.html",
        {
            "form": form,
            "diagnosis": diagnosis,
            "groups": diagnosis_grouped(diagnosis=diagnosis) if diagnosis else [],
            "watch_entries": watch_entries_of_organisation(organisation=organisation)[:10],
        },
    )


@permission_required("needs.change_diagnosis")
@require_http_methods(["GET", "POST"])
def diagnosis_section_edit(request: HttpRequest, diagnosissection_pk: int) -> HttpResponse:
    section = diagnosis_section_get(organisation=request.organisation, pk=diagnosissection_pk)
    if section is None:
        raise Http404
    form = DiagnosisSectionForm(posted_data(request), instance=copy.copy(section))
    if request.method == "POST" and form.is_valid():
        try:
            diagnosis_section_update(
                actor=request.user,
                section=section,
                text=form.cleaned_data["text"],
                sources=form.cleaned_data["sources"],
                as_of=form.cleaned_data["as_of"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The section « %(section)s » is saved.")
                % {"section": section.get_kind_display()},
            )
            return redirect("needs:diagnosis_manage", org_slug=request.organisation.slug)
    return render(request, "needs/diagnosissection_form.html", {"form": form, "section": section})
