from django.core.management.base import BaseCommand

from faireavec.core.tasks import send_notification_digests


class Command(BaseCommand):
    help = (
        "Email the daily digest of notifications to each person who chose it. "
        "Run it once a day (cron or systemd timer). Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the work to the task worker instead of doing it now.",
        )

    def handle(self, *args, enqueue: bool = False, **options):
        if enqueue:
            result = send_notification_digests.enqueue()
            self.stdout.write(f"Daily digests queued (task {result.id}).")
            return
        sent = send_notification_digests.call()
        self.stdout.write(self.style.SUCCESS(f"Daily digests sent: {sent}."))
