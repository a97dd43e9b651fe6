"""Background jobs with progress a person can watch.

A service starts a job with `job_start`: it creates the job and enqueues its
task (with `job_id=` the job's id) once the transaction commits, so a worker
never looks for a job that is not written yet, and a rolled-back request
leaves no task behind. The view then redirects to the job's page
(`core:job_detail`). The task reports with `job_progress` and ends with
`job_finish` or `job_fail`.
The page updates itself with HTMX while the job runs, and has an « Actualiser »
link for people without JavaScript.

A task that makes a file (a PDF, a table: `faireavec.core.exports.export_or_job`
starts its own job for a large export) keeps it on its job with `job_save_file`;
once the job is done, its page offers the file to download (`core:job_download`).

Who sees a job (its page, its file, « Mes exports »): the person who asked for
it, and the organisation's administrators (`jobs_visible_to`); to anyone else
it is not found. Its address carries a random id (`BackgroundJob.uuid`).

Files are kept `settings.JOB_FILES_KEEP_DAYS` days (7 by default); then
`job_files_purge` (command `manage.py purge_job_files`, run daily) deletes them
and the job's page says so.
"""

from datetime import datetime, timedelta
from typing import IO, Any
from uuid import UUID

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from faireavec.core.models import BackgroundJob


def _job_create(*, organisation, requested_by, label: str, total: int) -> BackgroundJob:
    job = BackgroundJob(
        organisation=organisation, requested_by=requested_by, label=label, total=total
    )
    job.full_clean()
    job.save()
    return job


@transaction.atomic
def job_start(
    *, organisation, requested_by, label: str, task, total: int = 0, **task_kwargs: Any
) -> BackgroundJob:
    """Create a job and enqueue `task(job_id=job.pk, **task_kwargs)` on commit.

    `task_kwargs` must be JSON data (ids, strings, lists): the task may run in
    another process. This is the one way to start a job.
    """
    job = _job_create(
        organisation=organisation, requested_by=requested_by, label=label, total=total
    )
    kwargs = {"job_id": job.pk, **task_kwargs}
    transaction.on_commit(lambda: task.enqueue(**kwargs))
    return job


def job_progress(*, job_id: int, done: int, total: int | None = None, message: str = "") -> None:
    """Report progress; each call is its own small write, committed at once, so
    the job's page (another request, another connection) sees it move.

    Progress written inside a transaction would stay invisible until the end,
    so this refuses to run inside one (RuntimeError, as a durable atomic block
    does): a task checks or prepares its work outside any transaction, reporting
    as it goes, then writes in one short transaction (see
    `faireavec.stakeholders.services.stakeholder_import`).
    The database refuses `done` above a known `total` (IntegrityError).
    """
    fields = {"done": done, "status": BackgroundJob.Status.RUNNING, "updated_at": timezone.now()}
    if total is not None:
        fields["total"] = total
    if message:
        fields["message"] = message
    with transaction.atomic(durable=True):
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


def job_save_file(*, job_id: int, filename: str, content: bytes | IO[bytes]) -> str:
    """Keep `content` (a PDF, a table…) as the job's private file named `filename`;
    returns its stored name. A file saved earlier on the job is replaced.

    `content` is bytes, or a binary file open for reading (a temporary file a
    large export was written to), copied in chunks without reading it whole."""
    job = BackgroundJob.objects.get(pk=job_id)
    previous = job.result_file.name
    stored = ContentFile(content) if isinstance(content, bytes) else File(content)
    job.result_file.save(filename, stored, save=False)
    now = timezone.now()
    BackgroundJob.objects.filter(pk=job_id).update(
        result_file=job.result_file.name,
        file_expires_at=now + timedelta(days=job_files_keep_days()),
        file_removed_at=None,
        updated_at=now,
    )
    if previous and previous != job.result_file.name:
        job.result_file.storage.delete(previous)
    return job.result_file.name


def job_get(*, organisation, pk: int) -> BackgroundJob | None:
    """A job of this organisation, or None (another organisation's job is not found)."""
    return (
        BackgroundJob.objects.filter(organisation=organisation, pk=pk)
        .select_related("requested_by")
        .first()
    )


def job_files_keep_days() -> int:
    return int(getattr(settings, "JOB_FILES_KEEP_DAYS", 7))


def jobs_visible_to(*, organisation, user):
    """The organisation's jobs this person may see, newest first: all of them for
    an administrator, only those they asked for otherwise."""
    jobs = BackgroundJob.objects.filter(organisation=organisation).select_related("requested_by")
    if user.has_perm("core.view_every_backgroundjob", organisation):
        return jobs
    return jobs.filter(requested_by=user) if user.is_authenticated else jobs.none()


def job_for(*, organisation, user, uuid: UUID) -> BackgroundJob | None:
    """A job this person may see, by its public id, or None (not found)."""
    return jobs_visible_to(organisation=organisation, user=user).filter(uuid=uuid).first()


def job_files_purge(*, now: datetime | None = None) -> int:
    """Delete the files of jobs whose keeping time is over; their pages then say
    the file was removed. Returns how many files were deleted."""
    now = now or timezone.now()
    removed = 0
    expired = BackgroundJob.objects.filter(file_expires_at__lte=now).exclude(result_file="")
    for job in expired.only("pk", "result_file").iterator():
        job.result_file.storage.delete(job.result_file.name)
        BackgroundJob.objects.filter(pk=job.pk).update(
            result_file="", file_removed_at=now, updated_at=now
        )
        removed += 1
    return removed
