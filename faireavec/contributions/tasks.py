"""Background tasks of the contributions app."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from faireavec.contributions.exports import (
    inbox_export_filename,
    inbox_export_headers,
    inbox_export_rows,
)
from faireavec.contributions.forms import InboxFilterForm
from faireavec.contributions.selectors import contributions_inbox
from faireavec.contributions.services import contributions_escalate_overdue
from faireavec.core.jobs import job_fail, job_finish, job_get, job_progress, job_save_export
from faireavec.organisations.models import Organisation

EXPORT_PROGRESS_EVERY = 2500  # rows between two progress reports


@task()
def escalate_overdue(organisation_ids: list[int] | None = None) -> int:
    """Escalate overdue complaints of every organisation (or those given); returns how many."""
    organisations = Organisation.objects.all()
    if organisation_ids is not None:
        organisations = organisations.filter(pk__in=organisation_ids)
    return sum(
        len(contributions_escalate_overdue(organisation=organisation))
        for organisation in organisations.iterator()
    )


@task()
def export_inbox(
    *, job_id: int, organisation_id: int, query: dict[str, list[str]], fmt: str, user_id: int | None
) -> int:
    """The inbox export too large for a request: the same filters (`query`, as the
    inbox's address gives them), the same columns, saved as the job's file.

    Written in the language of the person who asked; returns the number of rows.
    On any error the job is marked failed with a message, and the error is raised
    again for the task backend to record.
    """
    organisation = Organisation.objects.get(pk=organisation_id)
    if job_get(organisation=organisation, pk=job_id) is None:
        raise ValueError(f"Job {job_id} is not a job of organisation {organisation_id}.")
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
        try:
            return _export_inbox(job_id=job_id, organisation=organisation, query=query, fmt=fmt)
        except Exception:
            job_fail(
                job_id=job_id,
                message=_(
                    "The export could not be made. Try again later, or narrow it down "
                    "with the filters."
                ),
            )
            raise


def _export_inbox(*, job_id: int, organisation: Organisation, query: dict, fmt: str) -> int:
    data = QueryDict(mutable=True)
    for key, values in query.items():
        data.setlist(key, values)
    form = InboxFilterForm(data or None, organisation=organisation)
    contributions = contributions_inbox(organisation=organisation, filters=form.filters())
    total = contributions.count()
    job_progress(job_id=job_id, done=0, total=total)
    read = 0

    def rows():
        nonlocal read
        for row in inbox_export_rows(contributions):
            yield row
            read += 1
            if read % EXPORT_PROGRESS_EVERY == 0:
                # Contributions that arrived since the count must not take `done` above `total`.
                job_progress(
                    job_id=job_id,
                    done=min(read, total),
                    message=_("%(done)s of %(total)s contributions read.")
                    % {"done": read, "total": total},
                )
        job_progress(job_id=job_id, done=min(read, total), message=_("Writing the file…"))

    job_save_export(
        job_id=job_id,
        filename=inbox_export_filename(),
        headers=inbox_export_headers(),
        rows=rows(),
        fmt=fmt,
    )
    job_finish(
        job_id=job_id,
        message=ngettext(
            "The file is ready: %(n)s contribution.",
            "The file is ready: %(n)s contributions.",
            read,
        )
        % {"n": read},
    )
    return read
