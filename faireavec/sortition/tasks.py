"""Background tasks of the sortition app: computing a draw, with progress on its job, and
writing a large import of volunteers."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from faireavec.core.jobs import job_fail, job_finish, job_progress
from faireavec.core.storage import private_storage
from faireavec.sortition.models import Draw, Pool


@task()
def draw_task(*, job_id: int, draw_id: int) -> str:
    from faireavec.sortition.services import draw_compute

    draw = Draw.objects.select_related("pool__organisation").get(pk=draw_id)
    job_progress(job_id=job_id, done=1, total=100, message=_("Computing the fairest lottery…"))

    def progress(_stage: str, fraction: float) -> None:
        job_progress(job_id=job_id, done=min(95, 1 + int(90 * fraction)), total=100)

    draw = draw_compute(draw=draw, progress=progress)
    url = reverse(
        "sortition:draw_detail",
        kwargs={"org_slug": draw.pool.organisation.slug, "draw_pk": draw.pk},
    )
    if draw.status == Draw.Status.DONE:
        job_finish(job_id=job_id, message=_("The panel is drawn."), result_url=url)
    else:
        job_fail(
            job_id=job_id, message=_("No panel could be drawn: %(why)s") % {"why": draw.message}
        )
    return str(draw.pk)


@task()
def volunteer_import_task(
    *, job_id: int, pool_id: int, actor_id: int, path: str, consent_given: bool = False
) -> int:
    """Write the confirmed rows of a large import (all or none) and report on the job;
    the rows' file is deleted from the private storage afterwards, whatever happened."""
    from faireavec.sortition.imports import ImportChanged, volunteer_import_confirm

    pool = Pool.objects.select_related("organisation").get(pk=pool_id)
    actor = get_user_model().objects.filter(pk=actor_id).first()
    language = getattr(actor, "language", "") or settings.LANGUAGE_CODE
    storage = private_storage()
    with translation.override(language):
        job_progress(job_id=job_id, done=0, message=_("Checking the rows of the file…"))
        try:
            with storage.open(path, "rb") as handle:
                signed = handle.read().decode()
            created = volunteer_import_confirm(
                pool=pool, actor=actor, signed=signed, consent_given=consent_given
            )
        except ImportChanged:
            job_fail(
                job_id=job_id,
                message=_(
                    "The pool changed since the preview, so nothing was written. "
                    "Choose the file again to check its rows, then confirm."
                ),
            )
            return 0
        except ValidationError as exc:
            job_fail(job_id=job_id, message=" ".join(exc.messages))
            return 0
        finally:
            storage.delete(path)
        job_finish(
            job_id=job_id,
            message=ngettext(
                "%(count)s volunteer imported.", "%(count)s volunteers imported.", len(created)
            )
            % {"count": len(created)},
            result_url=reverse(
                "sortition:pool_detail",
                kwargs={"org_slug": pool.organisation.slug, "pool_pk": pool.pk},
            ),
        )
    return len(created)
