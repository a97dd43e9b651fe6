"""Back-office pages of the core app: the audit log, a background job's progress
and the file it made."""

import mimetypes
from pathlib import PurePath
from uuid import UUID

from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from faireavec.core.audit import (
    audit_entries_for_organisation,
    audit_sentence,
)
from faireavec.core.exports import AUDIT_EXPORT, EXPORT_FORMATS, export_or_job
from faireavec.core.forms import AuditFilterForm
from faireavec.core.jobs import job_files_keep_days, job_for, jobs_visible_to
from faireavec.core.permissions import permission_required

AUDIT_PAGE_SIZE = 50


@permission_required("core.view_auditentry")
def audit_log_list(request: HttpRequest) -> HttpResponse:
    """The organisation's audit log, newest first, filtered by action and person."""
    organisation = request.organisation
    form = AuditFilterForm(request.GET or None, organisation=organisation)
    filters = form.filters()
    entries = audit_entries_for_organisation(organisation=organisation, **filters)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for entry in page.object_list:
        entry.sentence = audit_sentence(entry)
    return render(
        request,
        "core/auditentry_list.html",
        {
            "form": form,
            "page_obj": page,
            "is_filtered": any(filters.values()),
        },
    )


@permission_required("core.view_auditentry")
@require_POST
def audit_log_export(request: HttpRequest) -> HttpResponse:
    """The audit log, with the page's filters, as a table."""
    return export_or_job(request, spec=AUDIT_EXPORT)


JOBS_PAGE_SIZE = 25


@permission_required("core.view_backgroundjob")
def job_list(request: HttpRequest) -> HttpResponse:
    """« Mes exports »: the jobs this person may see (their own; every one for an
    administrator), newest first, with their files while they are kept."""
    jobs = jobs_visible_to(organisation=request.organisation, user=request.user)
    page = Paginator(jobs, JOBS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/backgroundjob_list.html",
        {
            "page_obj": page,
            "sees_every_job": request.user.has_perm(
                "core.view_every_backgroundjob", request.organisation
            ),
            "keep_days": job_files_keep_days(),
        },
    )


def _job_or_404(request: HttpRequest, backgroundjob_uuid: UUID):
    job = job_for(organisation=request.organisation, user=request.user, uuid=backgroundjob_uuid)
    if job is None:
        raise Http404
    return job


@permission_required("core.view_backgroundjob")
def job_detail(request: HttpRequest, backgroundjob_uuid: UUID) -> HttpResponse:
    """A background job's progress, for the person who asked for it and the
    organisation's administrators. HTMX polls it and gets only the progress part."""
    job = _job_or_404(request, backgroundjob_uuid)
    context = {"job": job, "state": job_state(job), "keep_days": job_files_keep_days()}
    if request.htmx:
        if request.GET.get("seen") == context["state"]:
            # Nothing changed: no swap, so screen readers hear nothing new.
            response = HttpResponse(status=204)
        else:
            response = render(request, "core/backgroundjob_detail.html#progress", context)
    else:
        response = render(request, "core/backgroundjob_detail.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@permission_required("core.view_backgroundjob")
@require_GET
def job_download(request: HttpRequest, backgroundjob_uuid: UUID) -> HttpResponse:
    """The file a finished job made, as an attachment, from the private storage.

    Only for the person who asked for it and the organisation's administrators;
    another person's job, a job still running, or a file expired or removed is
    not found (the job's page says why).
    """
    job = _job_or_404(request, backgroundjob_uuid)
    if not job.file_available:
        raise Http404
    try:
        handle = job.result_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = PurePath(job.result_file.name).name
    fmt = PurePath(name).suffix.lstrip(".").lower()
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=EXPORT_FORMATS.get(fmt)
        or mimetypes.guess_type(name)[0]
        or "application/octet-stream",
    )
    # People's data: no shared cache keeps a copy.
    patch_cache_control(response, private=True, no_store=True)
    return response


def job_state(job) -> str:
    """A short token that changes whenever what the page shows of the job changes."""
    return f"{job.status}-{job.done}-{job.total}-{job.updated_at.timestamp():.6f}"
