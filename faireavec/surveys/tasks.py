"""Background tasks of the surveys app: a large survey's export."""

import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from faireavec.core.audit import audit_log
from faireavec.core.exports import export_filename
from faireavec.core.jobs import job_fail, job_files_keep_days, job_finish, job_progress
from faireavec.core.models import BackgroundJob
from faireavec.surveys.exports import raw_table, results_table, write_csv, write_xlsx
from faireavec.surveys.models import Survey


def _keep_file(*, job: BackgroundJob, filename: str, fileobj) -> None:
    """Keep a file written on disk as the job's private file, without reading it
    into memory (`core.jobs.job_save_file` takes bytes; a survey of 200,000
    responses makes a file larger than we want in memory). Same keeping rules."""
    previous = job.result_file.name
    job.result_file.save(filename, File(fileobj), save=False)
    now = timezone.now()
    BackgroundJob.objects.filter(pk=job.pk).update(
        result_file=job.result_file.name,
        file_expires_at=now + timedelta(days=job_files_keep_days()),
        file_removed_at=None,
        updated_at=now,
    )
    if previous and previous != job.result_file.name:
        job.result_file.storage.delete(previous)


def survey_export_file(*, survey: Survey, what: str, fmt: str, fileobj, on_progress=None) -> int:
    """Write the export `what` ("responses" or "results") in `fmt` to `fileobj`;
    returns the number of rows."""
    if what == "results":
        headers, rows = results_table(survey=survey)
    else:
        headers, rows = raw_table(survey=survey, on_progress=on_progress)
    if fmt == "csv":
        return write_csv(fileobj, headers=headers, rows=rows)
    if fmt == "xlsx":
        return write_xlsx(fileobj, headers=headers, rows=rows, title=survey.title)
    raise ValueError(f"Format {fmt} is made in the request only.")


@task()
def survey_export_task(*, job_id: int, survey_id: int, what: str, fmt: str) -> int:
    """The export of a survey too large for a request, written to disk as it is
    read, kept as the job's file. Returns the number of rows."""
    job = BackgroundJob.objects.select_related("organisation", "requested_by").get(pk=job_id)
    survey = Survey.objects.get(pk=survey_id, organisation=job.organisation)
    user = job.requested_by
    with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
        try:
            total = survey.responses.count()
            job_progress(job_id=job_id, done=0, total=total)

            def progress(read: int) -> None:
                job_progress(
                    job_id=job_id,
                    done=min(read, total),
                    message=_("%(done)s of %(total)s responses read.")
                    % {"done": read, "total": total},
                )

            with tempfile.TemporaryFile() as fileobj:
                count = survey_export_file(
                    survey=survey, what=what, fmt=fmt, fileobj=fileobj, on_progress=progress
                )
                fileobj.seek(0)
                name = f"{survey.title}-{what}-{timezone.localdate().isoformat()}"
                _keep_file(job=job, filename=export_filename(name, fmt), fileobj=fileobj)
            with transaction.atomic():
                audit_log(
                    actor=user,
                    organisation=job.organisation,
                    action="survey.export",
                    target=survey,
                    details={"what": what, "format": fmt, "rows": count},
                )
                job_finish(
                    job_id=job_id,
                    message=ngettext(
                        "The file is ready: %(n)s row.", "The file is ready: %(n)s rows.", count
                    )
                    % {"n": count},
                )
            return count
        except Exception:
            job_fail(job_id=job_id, message=_("The export could not be made. Try again later."))
            raise
