from django.core.management.base import BaseCommand

from faireavec.core.tasks import purge_job_files


class Command(BaseCommand):
    help = (
        "Delete the files of background jobs (exports) older than JOB_FILES_KEEP_DAYS, "
        "and uploads waiting for an import for more than a day. Run it once a day "
        "(cron or systemd timer). Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the work to the task worker instead of doing it now.",
        )

    def handle(self, *args, enqueue: bool = False, **options):
        if enqueue:
            result = purge_job_files.enqueue()
            self.stdout.write(f"Clean-up queued (task {result.id}).")
            return
        removed = purge_job_files.call()
        self.stdout.write(
            self.style.SUCCESS(
                f"Expired job files deleted: {removed['job_files']}; "
                f"old uploads deleted: {removed['uploads']}."
            )
        )
