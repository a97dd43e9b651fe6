"""Background tasks of the stakeholder register (Django's tasks API, django-tasks backport).

The import's confirmation runs here: `stakeholder_import_confirm` starts a job
whose task gets the path of the uploaded file in the private storage (never
its rows), and the view sends the person to the job's page.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from faireavec.core.jobs import job_fail, job_finish, job_progress, job_save_file
from faireavec.organisations.models import Organisation
from faireavec.stakeholders.imports import ImportPreview
from faireavec.stakeholders.services import ImportChanged, import_file_delete, stakeholder_import

IMPORT_PROGRESS_EVERY = 50
CHANGED_LINES_SHOWN = 5


def import_changed_message(preview: ImportPreview, confirmed_lines: list[int]) -> str:
    """Why an import was stopped: the rows confirmed that have problems now, a few of them."""
    parts = [
        _(
            "The register changed since the preview, so nothing was written. "
            "Choose the file again to check its rows, then confirm."
        )
    ]
    parts.extend(preview.file_problems)
    confirmed = set(confirmed_lines)
    now_invalid = [row for row in preview.invalid_rows if row.line in confirmed]
    for row in now_invalid[:CHANGED_LINES_SHOWN]:
        parts.append(
            _("Line %(line)s: %(problems)s")
            % {"line": row.line, "problems": " ".join(row.problems)}
        )
    hidden = len(now_invalid) - CHANGED_LINES_SHOWN
    if hidden > 0:
        parts.append(
            ngettext("And %(count)s other line.", "And %(count)s other lines.", hidden)
            % {"count": hidden}
        )
    return " ".join(parts)


@task()
def stakeholder_import_task(
    *,
    job_id: int,
    organisation_id: int,
    actor_id: int,
    path: str,
    confirmed_lines: list[int],
    filename: str = "",
) -> int:
    """Write the confirmed rows of an import (all or none) and report on the job;
    the file is deleted from the private storage afterwards, whatever happened.

    Returns how many stakeholders were added (0 when the import was stopped).
    """
    organisation = Organisation.objects.get(pk=organisation_id)
    actor = get_user_model().objects.filter(pk=actor_id).first()
    language = getattr(actor, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        checking = _("Checking the rows of the file…")
        job_progress(job_id=job_id, done=0, message=checking)
        try:
            created = stakeholder_import(
                actor=actor,
                organisation=organisation,
                path=path,
                confirmed_lines=confirmed_lines,
                filename=filename,
                progress=lambda done, of: job_progress(
                    job_id=job_id, done=done, total=of, message=checking
                ),
                progress_every=IMPORT_PROGRESS_EVERY,
            )
        except ImportChanged as exc:
            job_fail(job_id=job_id, message=import_changed_message(exc.preview, confirmed_lines))
            return 0
        except Exception:
            job_fail(
                job_id=job_id,
                message=_(
                    "The import stopped on an unexpected error, so nothing was written. "
                    "Try again; if it happens again, tell the platform's team."
                ),
            )
            raise
        finally:
            import_file_delete(path=path)
        job_finish(
            job_id=job_id,
            message=ngettext(
                "%(count)s stakeholder is added to the register.",
                "%(count)s stakeholders are added to the register.",
                len(created),
            )
            % {"count": len(created)},
            result_url=reverse(
                "stakeholders:stakeholder_list", kwargs={"org_slug": organisation.slug}
            ),
        )
    return len(created)


@task()
def stakeholder_map_pdf_task(
    *, job_id: int, organisation_id: int, user_id: int, query: str, large_print: bool
) -> str:
    """Make the map's PDF (a big register: a few seconds) and keep it on the job,
    for the person who asked and the organisation's administrators."""
    from faireavec.stakeholders.documents import map_pdf, map_pdf_filename

    organisation = Organisation.objects.get(pk=organisation_id)
    user = get_user_model().objects.filter(pk=user_id).first()
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        job_progress(job_id=job_id, done=0, total=1)
        try:
            content = map_pdf(organisation=organisation, query=query, large_print=large_print)
        except Exception:
            job_fail(
                job_id=job_id,
                message=_(
                    "The PDF could not be made. Try again; if it happens again, "
                    "tell the platform's team."
                ),
            )
            raise
        filename = map_pdf_filename(organisation=organisation, large_print=large_print)
        stored = job_save_file(job_id=job_id, filename=filename, content=content)
        job_finish(job_id=job_id, message=_("The PDF of the map is ready."))
    return stored
