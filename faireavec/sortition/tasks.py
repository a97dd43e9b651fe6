"""Background task of the sortition app: computing a draw, with progress on its job."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from faireavec.core.jobs import job_fail, job_finish, job_progress
from faireavec.sortition.models import Draw


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
