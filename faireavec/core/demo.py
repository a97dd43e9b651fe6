"""The demo data framework behind `manage.py demo`.

`organisations.demo` builds the demo organisation and its people; then every
other FaireAvec app that has a `demo.py` with `populate(ctx)` adds its own data,
in the order of `settings.FAIREAVEC_APPS`. Each `populate` must be idempotent:
running the demo twice changes nothing (check for existing rows first).

`small=True` makes just a few rows of each kind; tests use it to get one real
object behind every URL (see core/tests/test_tenancy_routes.py).

core's own `populate` (below) adds a few audit log entries and a finished
background job with its file, so the activity log, the job page and its
download have something to show.
"""

import random
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.db import transaction

DEMO_PASSWORD = "demo-faireavec-2026"  # noqa: S105 -- printed on purpose, demo only


@dataclass
class DemoContext:
    organisation: object
    users: dict[str, object]  # "admin", "facilitator", "member", "participant", and more
    small: bool = False
    rng: random.Random = field(default_factory=lambda: random.Random(2026))


def demo_populate_apps(ctx: DemoContext) -> list[str]:
    """Let each app add its demo data; returns the apps that did."""
    populated = []
    for app in settings.FAIREAVEC_APPS:
        # organisations builds the context itself (see demo_build).
        if app == "faireavec.organisations" or find_spec(f"{app}.demo") is None:
            continue
        module = import_module(f"{app}.demo")
        with transaction.atomic():
            module.populate(ctx)
        populated.append(app)
    return populated


def demo_build(*, small: bool = False) -> DemoContext:
    from faireavec.organisations.demo import build_organisation

    with transaction.atomic():
        ctx = build_organisation(small=small)
    demo_populate_apps(ctx)
    return ctx


DEMO_JOB_LABEL = "Export du journal d'activité"


def populate(ctx: DemoContext) -> None:
    """core's demo data: a few audit log entries and one finished export job
    that left a file (the entries as CSV) in the private storage."""
    from faireavec.core.audit import audit_log
    from faireavec.core.jobs import job_save_export
    from faireavec.core.models import AuditEntry, BackgroundJob
    from faireavec.organisations.models import CharterVersion, Invitation

    organisation = ctx.organisation
    admin = ctx.users["admin"]
    if not AuditEntry.objects.filter(organisation=organisation).exists():
        charter = CharterVersion.objects.filter(organisation=organisation).first()
        if charter is not None:
            audit_log(
                actor=admin, organisation=organisation, action="charter.publish", target=charter
            )
        for invitation in Invitation.objects.filter(organisation=organisation).order_by("pk"):
            audit_log(
                actor=invitation.created_by,
                organisation=organisation,
                action="invitation.create",
                target=invitation,
                details={"role": invitation.role, "max_uses": invitation.max_uses},
            )
    if not BackgroundJob.objects.filter(organisation=organisation, label=DEMO_JOB_LABEL).exists():
        entries = AuditEntry.objects.filter(organisation=organisation).select_related("actor")
        rows = [
            (f"{e.created_at:%Y-%m-%d %H:%M}", str(e.actor or ""), e.action, e.target_repr)
            for e in entries
        ]
        job = BackgroundJob(
            organisation=organisation,
            requested_by=admin,
            label=DEMO_JOB_LABEL,
            status=BackgroundJob.Status.DONE,
            done=len(rows),
            total=len(rows),
            message=f"Le fichier est prêt : {len(rows)} lignes.",
        )
        job.full_clean()
        job.save()
        job_save_export(
            job_id=job.pk,
            filename="journal-activite",
            headers=["Date", "Personne", "Action", "Objet"],
            rows=rows,
            fmt="csv",
        )
