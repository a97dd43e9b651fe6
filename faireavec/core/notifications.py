"""In-app and email notifications.

`notify()` is the one way to tell people something: it stores an in-app
notification for each recipient and, after the transaction commits, emails
those who want emails as they happen. Others get a daily digest
(`notifications_send_digests`, run daily by `manage.py send_digests`).
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from faireavec.core.models import Notification


def notify(
    *, recipients: Iterable, title: str, body: str = "", url: str = "", organisation=None
) -> list[Notification]:
    notifications = []
    for recipient in {r.pk: r for r in recipients}.values():
        notification = Notification(
            recipient=recipient, organisation=organisation, title=title[:200], body=body, url=url
        )
        notification.full_clean()
        notifications.append(notification)
    Notification.objects.bulk_create(notifications)
    immediate = [n.pk for n in notifications if n.recipient.notification_frequency == "immediate"]
    if immediate:
        from faireavec.core.tasks import send_notification_emails

        transaction.on_commit(lambda: send_notification_emails.enqueue(immediate))
    return notifications


def notifications_of_user(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("organisation")


def notifications_unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


@transaction.atomic
def notifications_mark_read(*, user, pks: Iterable[int] | None = None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pks is not None:
        unread = unread.filter(pk__in=list(pks))
    return unread.update(read_at=timezone.now())
