import signal
import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from faireavec.core.scheduler import periodic_tasks, scheduler_tick


class Command(BaseCommand):
    help = (
        "Enqueue the periodic tasks (digests, escalation of overdue complaints, clean-ups) "
        "when they fall due; a task worker does the work. Run one beside the workers "
        "(`make serve` does); a second one on another machine enqueues nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Seconds between two looks at the clock."
        )
        parser.add_argument(
            "--once", action="store_true", help="Look once, enqueue what is due, and stop."
        )
        parser.add_argument(
            "--list", action="store_true", help="List the periodic tasks and their schedules."
        )

    def handle(self, *args, interval: float, once: bool, list: bool, **options):
        if list:
            for periodic in periodic_tasks():
                self.stdout.write(f"{periodic.cron:<15} {periodic.task}  {periodic.description}")
            return
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        # On start, the latest run missed within SCHEDULER_CATCH_UP is enqueued (the
        # periodic tasks are safe to run twice; a claim in a shared cache prevents it).
        last = timezone.now() - timedelta(seconds=settings.SCHEDULER_CATCH_UP)
        while True:
            now = timezone.now()
            for periodic, due in scheduler_tick(now=now, last=last):
                self.stdout.write(f"{now:%Y-%m-%d %H:%M:%S} {periodic.task} (due {due:%H:%M})")
            last = now
            if once or stopping:
                return
            time.sleep(interval)
            if stopping:
                return
