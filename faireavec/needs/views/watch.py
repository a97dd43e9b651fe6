"""Back office: the watch log (veille) — studies, statistics, policy changes, experts'
work and field observations, with what they may change in the needs."""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from faireavec.core.exports import export_or_job
from faireavec.core.permissions import permission_required
from faireavec.needs.exports import WATCH_EXPORT
from faireavec.needs.forms import WatchEntryForm, WatchFilterForm
from faireavec.needs.models import WatchEntry
from faireavec.needs.selectors import watch_entries_of_organisation, watch_entry_get
from faireavec.needs.services import watch_entry_create, watch_entry_delete, watch_entry_update

PAGE_SIZE = 30


def _entry_or_404(request: HttpRequest, watchentry_pk: int) -> WatchEntry:
    entry = watch_entry_get(organisation=request.organisation, pk=watchentry_pk)
    if entry is None:
        raise Http404
    return entry


def _to_entry(request: HttpRequest, entry: WatchEntry) -> HttpResponse:
    return redirect(
        "needs:watch_detail", org_slug=request.organisation.slug, watchentry_pk=entry.pk
    )


@permission_required("needs.view_watchentry")
@require_GET
def watch_list(request: HttpRequest) -> HttpResponse:
    """The watch log, latest information first, with filters."""
    organisation = request.organisation
    filter_form = WatchFilterForm(request.GET or None, organisation=organisation)
    entries = watch_entries_of_organisation(organisation=organisation, **filter_form.filters())
    page_obj = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "needs/watchentry_list.html",
        {"filter_form": filter_form, "page_obj": page_obj, "entries": page_obj.object_list},
    )


@permission_required("needs.export_watchentry")
@require_POST
def watch_export(request: HttpRequest) -> HttpResponse:
    """The watch log, filtered like the page, as a table."""
    return export_or_job(request, spec=WATCH_EXPORT)


@permission_required("needs.view_watchentry")
@require_GET
def watch_detail(request: HttpRequest, watchentry_pk: int) -> HttpResponse:
    entry = _entry_or_404(request, watchentry_pk)
    return render(request, "needs/watchentry_detail.html", {"entry": entry})


@permission_required("needs.manage_watchentry")
@require_http_methods(["GET", "POST"])
def watch_create(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = WatchEntryForm(
        request.POST or None,
        request.FILES or None,
        instance=WatchEntry(organisation=organisation),
        organisation=organisation,
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = watch_entry_create(
                actor=request.user, organisation=organisation, data=form.service_data()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("« %(title)s » is added to the watch log.") % {"title": entry.title}
            )
            return _to_entry(request, entry)
    return render(request, "needs/watchentry_form.html", {"form": form, "entry": None})


@permission_required("needs.manage_watchentry")
@require_http_methods(["GET", "POST"])
def watch_edit(request: HttpRequest, watchentry_pk: int) -> HttpResponse:
    entry = _entry_or_404(request, watchentry_pk)
    # The form works on a copy, so a rejected change never shows elsewhere on the page.
    form = WatchEntryForm(
        request.POST or None,
        request.FILES or None,
        instance=copy.copy(entry),
        organisation=request.organisation,
    )
    if request.method == "POST" and form.is_valid():
        try:
            watch_entry_update(actor=request.user, entry=entry, data=form.service_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The watch entry is saved."))
            return _to_entry(request, entry)
    return render(request, "needs/watchentry_form.html", {"form": form, "entry": entry})


@permission_required("needs.manage_watchentry")
@require_http_methods(["GET", "POST"])
def watch_delete(request: HttpRequest, watchentry_pk: int) -> HttpResponse:
    entry = _entry_or_404(request, watchentry_pk)
    if request.method == "POST":
        watch_entry_delete(actor=request.user, entry=entry)
        messages.success(
            request, _("« %(title)s » is deleted from the watch log.") % {"title": entry.title}
        )
        return redirect("needs:watch_list", org_slug=request.organisation.slug)
    return render(request, "needs/watchentry_confirm_delete.html", {"entry": entry})


@permission_required("needs.view_watchentry")
@require_GET
def watch_document(request: HttpRequest, watchentry_pk: int) -> FileResponse:
    """The entry's document, from the private storage, to the people who may read the
    watch log only."""
    entry = _entry_or_404(request, watchentry_pk)
    if not entry.document:
        raise Http404
    try:
        handle = entry.document.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    filename = _("watch-document-%(pk)s%(suffix)s") % {
        "pk": entry.pk,
        "suffix": "." + entry.document.name.rsplit(".", 1)[-1]
        if "." in entry.document.name
        else "",
    }
    return FileResponse(handle, as_attachment=True, filename=filename)
