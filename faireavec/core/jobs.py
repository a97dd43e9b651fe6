"""Background jobs with progress a person can watch.

A view creates a job with `job_create`, enqueues its task with the job's id,
and redirects to the job's page (`core:job_detail`, argument `backgroundjob_pk`).
The task reports with `job_progress` and ends with `job_finish` or `job_fail`.
The page updates itself with HTMX while the job runs, and has an « Actualiser »
link for people without JavaScript.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from faireavec.core.models import BackgroundJob


@transaction.atomic
def job_create(*, organisation, requested_by, label: str, total: int = 0) -> BackgroundJob:
    job = BackgroundJob(
        organisation=organisation, requested_by=requested_by, label=label, total=total
    )
    job.full_clean()
    job.save()
    return job


def job_progress(*, job_id: int, done: int, total: int | None = None, message: str = "") -> None:
    """Report progress; each call is its own small write so the page sees it at once.

    The database refuses `done` above a known `total` (IntegrityError).
    """
    fields = {"done": done, "status": BackgroundJob.Status.RUNNING, "updated_at": timezone.now()}
    if total is not None:
        fields["total"] = total
    if message:
        fields["message"] = message
    BackgroundJob.objects.filter(pk=job_id).update(**fields)


def job_finish(*, job_id: int, message: str = "", result_url: str = "") -> None:
    """Mark the job done: all its steps count as done; `result_url` is where to see the result."""
    BackgroundJob.objects.filter(pk=job_id).update(
        status=BackgroundJob.Status.DONE,
        done=F("total"),
        message=message,
        result_url=result_url,
        updated_at=timezone.now(),
    )


def job_fail(*, job_id: int, message: str) -> None:
    """Mark the job failed with a message the person can act on; progress stays as it was."""
    BackgroundJob.objects.filter(pk=job_id).update(
        status=BackgroundJob.Status.FAILED, message=message, updated_at=timezone.now()
    )


def job_get(*, organisation, pk: int) -> BackgroundJob | None:
    """A job of this organisation, or None (another organisation's job is not found)."""
    return (
        BackgroundJob.objects.filter(organisation=organisation, pk=pk)
        .select_related("requested_by")
        .first()
    )
