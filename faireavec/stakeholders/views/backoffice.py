"""Back-office pages of the stakeholder register, its map and its grid."""

import copy
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from faireavec.core.exports import export_or_job
from faireavec.core.forms import add_service_errors, posted_data, posted_files
from faireavec.core.pdf import pdf_response
from faireavec.core.permissions import permission_required, require_perm
from faireavec.core.submissions import AlreadySubmitted, submit_once
from faireavec.stakeholders.documents import MAP_PDF_IN_REQUEST, map_pdf, map_pdf_filename
from faireavec.stakeholders.exports import STAKEHOLDERS_EXPORT
from faireavec.stakeholders.forms import (
    ImportUploadForm,
    InteractionForm,
    StakeholderFilterForm,
    StakeholderForm,
    SubcategoryForm,
)
from faireavec.stakeholders.imports import COLUMNS
from faireavec.stakeholders.maps import (
    MAP_MARKS_LIMIT,
    MapLayout,
    grid_layout,
    map_layout,
    map_layout_grouped,
)
from faireavec.stakeholders.models import Category, Stakeholder
from faireavec.stakeholders.selectors import (
    interaction_get,
    interactions_of_stakeholder,
    map_counts,
    review_cutoff,
    stakeholder_counts,
    stakeholder_get,
    stakeholders_contact_to_review,
    stakeholders_for_map,
    stakeholders_for_map_queryset,
    stakeholders_of_organisation,
    stakeholders_to_review,
    subcategories_of_organisation,
    subcategory_get,
    with_map_labels,
)
from faireavec.stakeholders.services import (
    ImportNotFound,
    interaction_create,
    interaction_delete,
    stakeholder_create,
    stakeholder_delete,
    stakeholder_import_cancel,
    stakeholder_import_confirm,
    stakeholder_import_upload,
    stakeholder_map_pdf_start,
    stakeholder_mark_reviewed,
    stakeholder_update,
    subcategory_create,
    subcategory_delete,
    tag_names_parse,
)

PAGE_SIZE = 50


def _stakeholder_or_404(request: HttpRequest, stakeholder_pk: int) -> Stakeholder:
    stakeholder = stakeholder_get(organisation=request.organisation, pk=stakeholder_pk)
    if stakeholder is None:
        raise Http404
    return stakeholder


def _filter_query(request: HttpRequest) -> str:
    """The current filters as a query string, without the page number."""
    query = request.GET.copy()
    for key in ("page", "format"):
        query.pop(key, None)
    return query.urlencode()


@permission_required("stakeholders.view_stakeholder")
def stakeholder_list(request: HttpRequest) -> HttpResponse:
    """The register, filtered by the URL's parameters, with each one's last contact."""
    organisation = request.organisation
    filter_form = StakeholderFilterForm(request.GET, organisation=organisation)
    filters = filter_form.filters()
    stakeholders = stakeholders_of_organisation(organisation=organisation, filters=filters)
    page = Paginator(stakeholders, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "stakeholders/stakeholder_list.html",
        {
            "page_obj": page,
            "filter_form": filter_form,
            "filters": filters,
            "filter_query": _filter_query(request),
            "cutoff": review_cutoff(organisation=organisation),
            "counts": stakeholder_counts(organisation=organisation),
        },
    )


@permission_required("stakeholders.view_stakeholder")
def stakeholder_review_list(request: HttpRequest) -> HttpResponse:
    """Stakeholders neither reviewed nor contacted for longer than the organisation's period."""
    organisation = request.organisation
    stakeholders = stakeholders_to_review(organisation=organisation)
    page = Paginator(stakeholders, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "stakeholders/stakeholder_review_list.html",
        {
            "page_obj": page,
            "cutoff": review_cutoff(organisation=organisation),
            "contacts_to_review": stakeholders_contact_to_review(organisation=organisation)[:100],
        },
    )


def _stakeholder_form_page(
    request: HttpRequest, stakeholder: Stakeholder, template: str
) -> HttpResponse:
    """The form of a new entry (`stakeholder` unsaved) or of an existing one. The
    form edits a copy, so that a rejected name never shows as the page's title."""
    form = StakeholderForm(
        posted_data(request), instance=copy.copy(stakeholder), organisation=request.organisation
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "tags_text"}
        tag_names = tag_names_parse(form.cleaned_data["tags_text"])
        if stakeholder.pk is None:
            save = partial(
                stakeholder_create,
                organisation=request.organisation,
                data=data,
                tag_names=tag_names,
            )
        else:
            save = partial(
                stakeholder_update,
                stakeholder=copy.copy(stakeholder),
                data=data,
                tag_names=tag_names,
            )
        try:
            saved = submit_once(
                request,
                lambda: save(actor=request.user),
                result_url=lambda saved: saved.get_absolute_url(),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("« %(name)s » is saved in the register.") % {"name": saved})
            return redirect(saved.get_absolute_url())
    return render(request, template, {"form": form, "stakeholder": stakeholder})


@permission_required("stakeholders.add_stakeholder")
@require_http_methods(["GET", "POST"])
def stakeholder_create_view(request: HttpRequest) -> HttpResponse:
    stakeholder = Stakeholder(organisation=request.organisation)
    return _stakeholder_form_page(request, stakeholder, "stakeholders/stakeholder_create.html")


@permission_required("stakeholders.change_stakeholder")
@require_http_methods(["GET", "POST"])
def stakeholder_edit(request: HttpRequest, stakeholder_pk: int) -> HttpResponse:
    stakeholder = _stakeholder_or_404(request, stakeholder_pk)
    return _stakeholder_form_page(request, stakeholder, "stakeholders/stakeholder_edit.html")


@permission_required("stakeholders.view_stakeholder")
@require_http_methods(["GET", "POST"])
def stakeholder_detail(request: HttpRequest, stakeholder_pk: int) -> HttpResponse:
    """A stakeholder's entry, its contacts, and the form to log a new contact."""
    stakeholder = _stakeholder_or_404(request, stakeholder_pk)
    form = InteractionForm(posted_data(request))
    if request.method == "POST":
        require_perm(request, "stakeholders.add_interaction")
        if form.is_valid():
            try:
                submit_once(
                    request,
                    lambda: interaction_create(
                        actor=request.user, stakeholder=stakeholder, **form.cleaned_data
                    ),
                    result_url=lambda interaction: stakeholder.get_absolute_url(),
                )
            except AlreadySubmitted as done:
                return done.response(request)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The contact is logged."))
                return redirect(stakeholder.get_absolute_url())
    return render(
        request,
        "stakeholders/stakeholder_detail.html",
        {
            "stakeholder": stakeholder,
            "interactions": interactions_of_stakeholder(stakeholder=stakeholder),
            "form": form,
            "cutoff": review_cutoff(organisation=request.organisation),
        },
    )


@permission_required("stakeholders.change_stakeholder")
@require_POST
def stakeholder_review(request: HttpRequest, stakeholder_pk: int) -> HttpResponse:
    stakeholder = _stakeholder_or_404(request, stakeholder_pk)
    stakeholder_mark_reviewed(actor=request.user, stakeholder=stakeholder)
    messages.success(
        request, _("« %(name)s » is marked as reviewed today.") % {"name": stakeholder}
    )
    if request.POST.get("next") == "review_list":
        return redirect("stakeholders:stakeholder_review_list", org_slug=request.organisation.slug)
    return redirect(stakeholder.get_absolute_url())


@permission_required("stakeholders.delete_stakeholder")
@require_http_methods(["GET", "POST"])
def stakeholder_delete_view(request: HttpRequest, stakeholder_pk: int) -> HttpResponse:
    stakeholder = _stakeholder_or_404(request, stakeholder_pk)
    if request.method == "POST":
        stakeholder_delete(actor=request.user, stakeholder=stakeholder)
        messages.success(
            request, _("« %(name)s » is removed from the register.") % {"name": stakeholder}
        )
        return redirect("stakeholders:stakeholder_list", org_slug=request.organisation.slug)
    return render(request, "stakeholders/stakeholder_delete.html", {"stakeholder": stakeholder})


@permission_required("stakeholders.delete_interaction")
@require_POST
def interaction_delete_view(request: HttpRequest, interaction_pk: int) -> HttpResponse:
    interaction = interaction_get(organisation=request.organisation, pk=interaction_pk)
    if interaction is None:
        raise Http404
    interaction_delete(actor=request.user, interaction=interaction)
    messages.success(request, _("The contact is deleted."))
    return redirect(interaction.stakeholder.get_absolute_url())


def _map_context(request: HttpRequest) -> dict:
    organisation = request.organisation
    filter_form = StakeholderFilterForm(request.GET, organisation=organisation)
    filters = filter_form.filters()
    return {
        "filter_form": filter_form,
        "filters": filters,
        "filter_query": _filter_query(request),
        "can_open": request.user.has_perm("stakeholders.view_stakeholder", organisation),
        # Detail pages are `<register>/<pk>/`: one reverse() instead of one per point.
        "detail_prefix": reverse(
            "stakeholders:stakeholder_list", kwargs={"org_slug": organisation.slug}
        ),
    }


def _sector_link_base(request: HttpRequest) -> str:
    """The map's address with its filters but another category: each sector of
    the drawing links to the map of its category alone."""
    query = request.GET.copy()
    for key in ("page", "format", "category"):
        query.pop(key, None)
    return request.path + "?" + (query.urlencode() + "&" if query else "") + "category="


def map_drawing(*, organisation, filters) -> MapLayout:
    """The map's drawing: each stakeholder, or, for a big register, one mark per
    category and level (counted by the database, so 5,000 rows are not read)."""
    counts = map_counts(organisation=organisation, filters=filters)
    if sum(counts.values()) > MAP_MARKS_LIMIT:
        return map_layout_grouped(counts)
    return map_layout(stakeholders_for_map(organisation=organisation, filters=filters))


@permission_required("stakeholders.view_stakeholdermap")
def stakeholder_map(request: HttpRequest) -> HttpResponse:
    """The map: first the stakeholders as a table (a page at a time), then the
    drawing — internal stakeholders in the centre, external ones around, one
    sector per category; no contact details."""
    context = _map_context(request)
    organisation = request.organisation
    context["layout"] = map_drawing(organisation=organisation, filters=context["filters"])
    rows = stakeholders_for_map_queryset(organisation=organisation, filters=context["filters"])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_map_labels(page.object_list)
    context["page_obj"] = page
    context["pdf_in_request"] = page.paginator.count <= MAP_PDF_IN_REQUEST
    context["marks_limit"] = MAP_MARKS_LIMIT
    context["sector_link_base"] = _sector_link_base(request)
    return render(request, "stakeholders/stakeholder_map.html", context)


@permission_required("stakeholders.view_stakeholdermap")
@require_http_methods(["GET", "POST"])
def stakeholder_map_pdf(request: HttpRequest) -> HttpResponse:
    """The map as an A4 PDF, with the page's filters; `gros-caracteres=1` for
    large print. A long one is made by a background job (started by POST)."""
    organisation = request.organisation
    query = _filter_query(request)
    large_print = (
        request.POST.get("variante")
        if request.method == "POST"
        else request.GET.get("gros-caracteres")
    ) in ("1", "gros-caracteres")
    for key in ("gros-caracteres", "variante"):
        query = "&".join(part for part in query.split("&") if not part.startswith(key + "="))
    filters = StakeholderFilterForm(request.GET, organisation=organisation).filters()
    count = sum(map_counts(organisation=organisation, filters=filters).values())
    if count <= MAP_PDF_IN_REQUEST:
        content = map_pdf(organisation=organisation, query=query, large_print=large_print)
        filename = map_pdf_filename(organisation=organisation, large_print=large_print)
        return pdf_response(content=content, filename=filename)
    if request.method != "POST":  # a GET never starts a job: the map page offers the button
        map_url = reverse("stakeholders:stakeholder_map", kwargs={"org_slug": organisation.slug})
        return redirect(f"{map_url}?{query}" if query else map_url)
    job = stakeholder_map_pdf_start(
        actor=request.user, organisation=organisation, query=query, large_print=large_print
    )
    return redirect(job.get_absolute_url())


@permission_required("stakeholders.view_stakeholdermap")
def stakeholder_grid(request: HttpRequest) -> HttpResponse:
    """The power/interest grid: how many stakeholders in each cell, and who."""
    context = _map_context(request)
    context["stakeholders"] = stakeholders_for_map(
        organisation=request.organisation, filters=context["filters"]
    )
    context["grid"] = grid_layout(context["stakeholders"])
    return render(request, "stakeholders/stakeholder_grid.html", context)


@permission_required("stakeholders.export_stakeholder")
@require_POST
def stakeholder_export(request: HttpRequest) -> HttpResponse:
    """The register, filtered like the page it was asked from, as a table."""
    return export_or_job(request, spec=STAKEHOLDERS_EXPORT)


@permission_required("stakeholders.import_stakeholder")
@require_http_methods(["GET", "POST"])
def stakeholder_import_view(request: HttpRequest) -> HttpResponse:
    """Import a register in two steps, without JavaScript.

    1. The file is read and every row checked; the page lists each row's
       problems; nothing is written (`stakeholder_import_upload`).
    2. The person confirms: a background job writes all the valid rows, or
       none if the register changed meanwhile; the person watches it on the
       job's page (`stakeholder_import_confirm`).
    """
    organisation = request.organisation
    slug = organisation.slug
    if request.method == "POST" and ("confirm" in request.POST or "cancel" in request.POST):
        token = request.POST.get("token", "")
        if "cancel" in request.POST:
            stakeholder_import_cancel(actor=request.user, organisation=organisation, token=token)
            messages.info(request, _("The import is cancelled: nothing was written."))
            return redirect("stakeholders:stakeholder_import", org_slug=slug)
        try:
            job = stakeholder_import_confirm(
                actor=request.user, organisation=organisation, token=token
            )
        except ImportNotFound:
            messages.error(
                request, _("This preview is no longer available: choose the file again.")
            )
            return redirect("stakeholders:stakeholder_import", org_slug=slug)
        return redirect(job.get_absolute_url())

    form = ImportUploadForm(posted_data(request), posted_files(request))
    if request.method == "POST" and form.is_valid():
        try:
            upload = stakeholder_import_upload(
                actor=request.user, organisation=organisation, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return render(
                request,
                "stakeholders/stakeholder_import_preview.html",
                {"preview": upload.preview, "token": upload.token, "filename": upload.filename},
            )
    return render(
        request,
        "stakeholders/stakeholder_import.html",
        {
            "form": form,
            "columns": [c for c in COLUMNS if c.imported],
            "categories": Category.choices,
        },
    )


@permission_required("stakeholders.manage_stakeholdersubcategory")
@require_http_methods(["GET", "POST"])
def subcategory_list(request: HttpRequest) -> HttpResponse:
    """The organisation's own sub-categories, with a form to add one."""
    organisation = request.organisation
    form = SubcategoryForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            subcategory = submit_once(
                request,
                lambda: subcategory_create(
                    actor=request.user,
                    organisation=organisation,
                    category=form.cleaned_data["category"],
                    name=form.cleaned_data["name"],
                ),
                result_url=lambda sub: reverse(
                    "stakeholders:subcategory_list", kwargs={"org_slug": organisation.slug}
                ),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The sub-category « %(name)s » is added.") % {"name": subcategory}
            )
            return redirect("stakeholders:subcategory_list", org_slug=organisation.slug)
    return render(
        request,
        "stakeholders/subcategory_list.html",
        {"form": form, "subcategories": subcategories_of_organisation(organisation=organisation)},
    )


@permission_required("stakeholders.manage_stakeholdersubcategory")
@require_POST
def subcategory_delete_view(request: HttpRequest, stakeholdersubcategory_pk: int) -> HttpResponse:
    subcategory = subcategory_get(organisation=request.organisation, pk=stakeholdersubcategory_pk)
    if subcategory is None:
        raise Http404
    subcategory_delete(actor=request.user, subcategory=subcategory)
    messages.success(
        request, _("The sub-category « %(name)s » is deleted.") % {"name": subcategory}
    )
    return redirect("stakeholders:subcategory_list", org_slug=request.organisation.slug)
