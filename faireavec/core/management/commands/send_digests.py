from faireavec.core.management.tasks import TaskCommand
from faireavec.core.tasks import send_notification_digests


class Command(TaskCommand):
    help = (
        "Email the daily digest of notifications to each person who chose it. "
        "Run it once a day (cron or systemd timer). Safe to run twice."
    )
    task = send_notification_digests
    queued = "Daily digests queued"

    def done(self, result) -> str:
        return f"Daily digests sent: {result}."
