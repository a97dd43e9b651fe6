"""The scheduler enqueues each periodic task when it falls due, once, even with two
schedulers, and catches up only the latest missed run."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django_tasks import default_task_backend

from faireavec.core import scheduler
from faireavec.core.scheduler import Periodic, latest_run, periodic_tasks, scheduler_tick

PARIS = ZoneInfo("Europe/Paris")
DIGEST = Periodic("faireavec.core.tasks.send_notification_digests", "0 7 * * *")


@pytest.fixture(autouse=True)
def dummy_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    cache.clear()
    yield
    default_task_backend.clear()
    cache.clear()


@pytest.fixture
def only_digest(monkeypatch):
    monkeypatch.setattr(scheduler, "periodic_tasks", lambda: [DIGEST])


def at(hour, minute=0, day=3):
    return datetime(2026, 12, day, hour, minute, tzinfo=PARIS)


def test_every_app_declares_real_tasks_with_valid_schedules():
    declared = periodic_tasks()
    assert {p.task for p in declared} >= {
        "faireavec.core.tasks.send_notification_digests",
        "faireavec.core.tasks.purge_job_files",
        "faireavec.contributions.tasks.escalate_overdue",
    }
    from croniter import croniter
    from django.utils.module_loading import import_string

    for periodic in declared:
        assert croniter.is_valid(periodic.cron), periodic
        assert hasattr(import_string(periodic.task), "enqueue"), periodic


def test_latest_run_in_the_window():
    assert latest_run(DIGEST, after=at(6, 59), until=at(7, 0)) == at(7, 0)
    assert latest_run(DIGEST, after=at(6, 59), until=at(7, 1)) == at(7, 0)
    assert latest_run(DIGEST, after=at(7, 0), until=at(7, 1)) is None
    assert latest_run(DIGEST, after=at(7, 1), until=at(12, 0)) is None


def test_a_due_task_is_enqueued_once(only_digest):
    assert scheduler_tick(now=at(6, 59), last=at(6, 58)) == []
    enqueued = scheduler_tick(now=at(7, 0), last=at(6, 59))
    assert [p.task for p, _ in enqueued] == [DIGEST.task]
    assert scheduler_tick(now=at(7, 1), last=at(7, 0)) == []
    assert len(default_task_backend.results) == 1
    assert default_task_backend.results[0].task.name == "send_notification_digests"


def test_two_schedulers_enqueue_the_same_run_once(only_digest):
    # Both looked at the clock around 7:00 (same shared cache: Redis in production).
    first = scheduler_tick(now=at(7, 0), last=at(6, 59))
    second = scheduler_tick(now=at(7, 1), last=at(6, 58))
    assert len(first) == 1 and second == []
    assert len(default_task_backend.results) == 1


def test_after_a_stop_only_the_latest_missed_run_within_the_catch_up(only_digest, settings):
    settings.SCHEDULER_CATCH_UP = 3600
    # Stopped for three days: the runs of the 1st and 2nd are not sent now, and
    # 7:00 today is more than an hour ago at 9:00.
    assert scheduler_tick(now=at(9, 0), last=at(6, 0, day=1)) == []
    # Back at 7:30: today's run is caught up.
    assert len(scheduler_tick(now=at(7, 30), last=at(6, 0, day=1))) == 1


def test_the_command_lists_and_runs_once(only_digest, monkeypatch, capsys):
    call_command("scheduler", "--list")
    assert DIGEST.task in capsys.readouterr().out
    # Started at 7:10: the 7:00 run is within the catch-up and is enqueued.
    monkeypatch.setattr("django.utils.timezone.now", lambda: at(7, 10))
    call_command("scheduler", "--once")
    assert DIGEST.task in capsys.readouterr().out
    assert len(default_task_backend.results) == 1
    call_command("scheduler", "--once")  # already claimed
    assert len(default_task_backend.results) == 1
