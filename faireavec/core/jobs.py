"""Background jobs with progress a person can watch.

A view creates a job with `job_create`, enqueues its task with the job's id,
and redirects to the job's page (`core:job_detail`). The task reports with
`job_progress` and ends with `job_finish` or `job_fail`.
"""

from django.db import transaction
from django.db.models import F

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
    """Report progress; each call is its own small write so the page sees it at once."""
    fields = {"done": done, "status": BackgroundJob.Status.RUNNING}
    if total is not None:
        fields["total"] = total
    if message:
        fields["message"] = message
    BackgroundJob.objects.filter(pk=job_id).update(**fields)


def job_finish(*, job_id: int, message: str = "", result_url: str = "") -> None:
    BackgroundJob.objects.filter(pk=job_id).update(
        status=BackgroundJob.Status.DONE, done=F("total"), message=message, result_url=result_url
    )


def job_fail(*, job_id: int, message: str) -> None:
    BackgroundJob.objects.filter(pk=job_id).update(
        status=BackgroundJob.Status.FAILED, message=message
    )
