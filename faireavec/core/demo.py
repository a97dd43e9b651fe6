"""What every app's demo data shares: the context and the password.

`manage.py demo` (organisations/demo.py, `demo_build`) builds the demo
organisation and its people, then calls `populate(ctx)` of every FaireAvec app
that has a `demo.py`, in the order of `settings.FAIREAVEC_APPS` — core first.
Each `populate` must be idempotent: running the demo twice changes nothing
(check for existing rows first). The orchestration lives in `organisations`
because it builds organisations; core imports no app above it.

`small=True` makes just a few rows of each kind; tests use it to get one real
object behind every URL (see core/tests/test_tenancy_routes.py).

core's own `populate` (below) adds a finished background job with its file (the
activity log as CSV), so the job page and its download have something to show.
"""

import random
from dataclasses import dataclass, field

DEMO_PASSWORD = "demo-faireavec-2026"  # noqa: S105 -- printed on purpose, demo only


@dataclass
class DemoContext:
    organisation: object
    users: dict[str, object]  # "admin", "facilitator", "member", "participant", and more
    small: bool = False
    rng: random.Random = field(default_factory=lambda: random.Random(2026))


DEMO_JOB_LABEL = "Export du journal d'activité"


def populate(ctx: DemoContext) -> None:
    """core's demo data: one finished export job that left a file (the activity
    log entries the organisations' demo wrote, as the activity log's export
    makes it) in the private storage."""
    from django.utils import translation

    from faireavec.core.exports import AUDIT_EXPORT, export_content, export_filename
    from faireavec.core.jobs import job_save_file
    from faireavec.core.models import AuditEntry, BackgroundJob

    organisation = ctx.organisation
    admin = ctx.users["admin"]
    if BackgroundJob.objects.filter(organisation=organisation, label=DEMO_JOB_LABEL).exists():
        return
    entries = list(AuditEntry.objects.filter(organisation=organisation).select_related("actor"))
    job = BackgroundJob(
        organisation=organisation,
        requested_by=admin,
        label=DEMO_JOB_LABEL,
        status=BackgroundJob.Status.DONE,
        done=len(entries),
        total=len(entries),
        message=f"Le fichier est prêt : {len(entries)} lignes.",
    )
    job.full_clean()
    job.save()
    with translation.override("fr"):
        content = export_content(
            headers=AUDIT_EXPORT.headers,
            rows=(AUDIT_EXPORT.row(entry) for entry in entries),
            fmt="csv",
        )
    job_save_file(
        job_id=job.pk, filename=export_filename("journal-activite", "csv"), content=content
    )
