"""Background tasks of the core app (Django's tasks API, django-tasks backport):
notification emails, sent at once or in the daily digest, retried with
growing waits when the mail server refuses them.

`notifications` enqueues these tasks; they call `emails`, which enqueues nothing
(no import cycle).
"""

import logging

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

from faireavec.core.emails import (
    DAILY,
    digest_failure_record,
    digest_send,
    email_retry_delay,
    notification_emails_give_up,
    notification_emails_send,
)
from faireavec.core.jobs import job_files_purge
from faireavec.core.storage import (
    IMPORTS_FOLDER,
    IMPORTS_KEPT_SECONDS,
    private_files_delete_older_than,
)

logger = logging.getLogger(__name__)


def _enqueue_retry(retry_task: Task, attempt: int, *args) -> bool:
    """Enqueue try number `attempt + 1` after the back-off wait; False when
    `attempt` was the last try. A backend that cannot wait (the immediate one,
    for development) runs the next try at once."""
    delay = email_retry_delay(attempt)
    if delay is None:
        return False
    if retry_task.get_backend().supports_defer:
        retry_task = retry_task.using(run_after=timezone.now() + delay)
    retry_task.enqueue(*args, attempt=attempt + 1)
    return True


@task()
def send_notification_emails(notification_ids: list[int], attempt: int = 1) -> int:
    """Email each notification not emailed yet, in its recipient's language.

    Those that fail are tried again later (`NOTIFICATION_EMAIL_RETRY_DELAYS`);
    after the last try they are shown as undelivered in the back office.
    Returns how many were sent.
    """
    sent, failed = notification_emails_send(notification_ids=notification_ids, attempt=attempt)
    if failed and not _enqueue_retry(send_notification_emails, attempt, failed):
        notification_emails_give_up(notification_ids=failed)
    return sent


@task()
def send_digest(recipient_id: int, attempt: int = 1) -> int:
    """One person's daily digest (see `emails.digest_send`), retried like the
    immediate emails when it fails. Returns how many notifications it listed."""
    try:
        return digest_send(recipient_id=recipient_id)
    except Exception as error:  # one unreachable address must not stop everyone's digest
        logger.warning("Daily digest to person %s failed (try %s)", recipient_id, attempt)
        retried = _enqueue_retry(send_digest, attempt, recipient_id)
        digest_failure_record(recipient_id=recipient_id, error=error, give_up=not retried)
        return 0


def notifications_send_digests() -> int:
    """Send each person who chose the daily digest one email listing the
    notifications not emailed yet, then mark them emailed. Returns the number of
    emails sent. Running it twice sends nothing the second time; a failed
    digest is retried later and does not stop the others."""
    recipient_ids = (
        get_user_model()
        .objects.filter(
            is_active=True,
            notification_frequency=DAILY,
            notifications__emailed_at__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    return sum(1 for pk in list(recipient_ids) if send_digest.call(pk))


@task()
def send_notification_digests() -> int:
    """The daily digest: one email per person who chose it (see notifications_send_digests)."""
    return notifications_send_digests()


@task()
def purge_job_files() -> dict[str, int]:
    """The daily clean-up: expired job files, and uploads nobody confirmed within a day."""
    return {
        "job_files": job_files_purge(),
        "uploads": private_files_delete_older_than(
            folder=IMPORTS_FOLDER, seconds=IMPORTS_KEPT_SECONDS
        ),
    }
