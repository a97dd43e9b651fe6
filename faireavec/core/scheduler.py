"""Periodic work without cron lines.

Each app lists what must run regularly as `periodic_tasks` on its AppConfig:
`Periodic(task="faireavec.app.tasks.some_task", cron="15 3 * * *")`, the task
being a django-tasks `Task` that takes no argument, and the schedule a crontab
expression read in `TIME_ZONE`. `manage.py scheduler` runs beside the task
workers: when a run falls due it enqueues the task, and a worker does the work.

Several schedulers (one per machine, or one left running during a deployment)
enqueue each run once: a run is claimed in the shared cache before it is
enqueued (`cache.add` is atomic in Redis). When the scheduler was stopped, only
the latest missed run of each task is enqueued on restart, within
`SCHEDULER_CATCH_UP`: a scheduler down for a week does not send seven digests.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from croniter import croniter
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

CLAIM_PREFIX = "faireavec:periodic"


@dataclass(frozen=True)
class Periodic:
    task: str  # dotted path of a django-tasks Task taking no argument
    cron: str  # crontab expression ("0 7 * * *": every day at 7:00), in TIME_ZONE
    description: str = ""


def periodic_tasks() -> list[Periodic]:
    """Every periodic task the apps declare, in the order of FAIREAVEC_APPS."""
    declared = []
    for app_name in settings.FAIREAVEC_APPS:
        config = apps.get_app_config(app_name.rsplit(".", 1)[-1])
        declared.extend(getattr(config, "periodic_tasks", ()))
    return declared


def latest_run(periodic: Periodic, *, after: datetime, until: datetime) -> datetime | None:
    """The last time `periodic` was due in (after, until], or None."""
    local_until = timezone.localtime(until)
    previous = croniter(periodic.cron, local_until).get_prev(datetime)
    if croniter.match(periodic.cron, local_until):
        previous = local_until.replace(second=0, microsecond=0)
    return previous if previous > after else None


def scheduler_tick(*, now: datetime, last: datetime) -> list[tuple[Periodic, datetime]]:
    """Enqueue each task that fell due since `last` and that no other scheduler has
    claimed; returns what this call enqueued."""
    catch_up = timedelta(seconds=settings.SCHEDULER_CATCH_UP)
    after = max(last, now - catch_up)
    enqueued = []
    for periodic in periodic_tasks():
        due = latest_run(periodic, after=after, until=now)
        if due is None:
            continue
        claim = f"{CLAIM_PREFIX}:{periodic.task}:{due.isoformat()}"
        if not cache.add(claim, now.isoformat(), timeout=int(catch_up.total_seconds()) + 3600):
            continue  # another scheduler enqueued this run
        result = import_string(periodic.task).enqueue()
        logger.info("Periodic task %s due at %s enqueued (%s).", periodic.task, due, result.id)
        enqueued.append((periodic, due))
    return enqueued
