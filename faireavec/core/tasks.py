"""Background tasks of the core app (Django's tasks API, django-tasks backport)."""

from django.utils import timezone
from django_tasks import task

from faireavec.core.models import Notification
from faireavec.core.notifications import notification_email_send, notifications_send_digests


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """Email each notification not emailed yet, in its recipient's language."""
    sent = 0
    pending = Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True
    ).select_related("recipient", "organisation")
    for notification in pending:
        notification_email_send(notification)
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


@task()
def send_notification_digests() -> int:
    """The daily digest: one email per person who chose it (see notifications_send_digests)."""
    return notifications_send_digests()
