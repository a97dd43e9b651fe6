"""Background tasks of the core app (Django's tasks API, django-tasks backport)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from faireavec.core.models import Notification


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """Email each notification not emailed yet, in its recipient's language."""
    sent = 0
    pending = Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True
    ).select_related("recipient", "organisation")
    for notification in pending:
        recipient = notification.recipient
        with translation.override(recipient.language or settings.LANGUAGE_CODE):
            context = {"notification": notification, "recipient": recipient}
            send_mail(
                subject=render_to_string("core/email/notification_subject.txt", context).strip(),
                message=render_to_string("core/email/notification_body.txt", context),
                from_email=None,
                recipient_list=[recipient.email],
            )
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
