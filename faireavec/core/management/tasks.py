"""`TaskCommand`: a management command that runs one task now, or hands it to
the task worker with `--enqueue`.

Periodic work (the daily digest, the clean-up of job files…) is a task
(`django_tasks.task`); cron or a systemd timer runs its command, and the
scheduler (`manage.py scheduler`) enqueues the same task. A command only names
its task and says what it did:

    class Command(TaskCommand):
        help = "…"
        task = send_notification_digests
        queued = "Daily digests queued"

        def done(self, result) -> str:
            return f"Daily digests sent: {result}."
"""

from typing import Any

from django.core.management.base import BaseCommand


class TaskCommand(BaseCommand):
    """Run `task` now (and print `done(result)`), or queue it with `--enqueue`."""

    task: Any = None  # a django_tasks Task
    queued: str = "Task queued"  # printed with the task's id after --enqueue

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the work to the task worker instead of doing it now.",
        )

    def done(self, result) -> str:
        """What the command prints once the task has run here."""
        return f"Done: {result}."

    def handle(self, *args, enqueue: bool = False, **options) -> None:
        if enqueue:
            queued = self.task.enqueue()
            self.stdout.write(f"{self.queued} (task {queued.id}).")
            return
        result = self.task.call()
        self.stdout.write(self.style.SUCCESS(self.done(result)))
