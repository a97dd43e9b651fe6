"""Background tasks of initiatives."""

from django_tasks import task

from faireavec.processes.services import phases_announce_started


@task()
def announce_phase_starts() -> int:
    """Daily: followers hear of the phases that started (once each)."""
    return phases_announce_started()
