from faireavec.core.management.tasks import TaskCommand
from faireavec.core.tasks import purge_job_files


class Command(TaskCommand):
    help = (
        "Delete the files of background jobs (exports) older than JOB_FILES_KEEP_DAYS, "
        "and uploads waiting for an import for more than a day. Run it once a day "
        "(cron or systemd timer). Safe to run twice."
    )
    task = purge_job_files
    queued = "Clean-up queued"

    def done(self, result) -> str:
        return (
            f"Expired job files deleted: {result['job_files']}; "
            f"old uploads deleted: {result['uploads']}."
        )
