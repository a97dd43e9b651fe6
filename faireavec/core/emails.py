"""Notification emails: writing and sending them, and keeping track of failures.

The lowest of the three notification modules: `notifications` (what people are
told) enqueues `tasks` (when emails go, and their retries), which call this
module (how one email is written and sent). Nothing here enqueues anything.

Every email is written in its recipient's language and greets them in the name
of the organisation the news comes from, or of the platform.
"""

import logging
from datetime import timedelta
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from faireavec.core.models import Notification

logger = logging.getLogger(__name__)

# A person's choice (accounts.User.notification_frequency): each email at once,
# or one daily digest.
IMMEDIATE = "immediate"
DAILY = "daily"


def notification_link(url: str) -> str:
    """The link of a notification as an email needs it: absolute.

    Relative links (`/la-ruche/…`) are joined to `settings.SITE_URL` when it is set.
    """
    site_url = getattr(settings, "SITE_URL", "")
    if url.startswith("/") and site_url:
        return urljoin(site_url, url)
    return url


def email_language(recipient) -> str:
    return recipient.language or settings.LANGUAGE_CODE


def email_retry_delay(attempt: int) -> timedelta | None:
    """How long to wait after failed try number `attempt` (1 for the first)
    before the next one, or None when it was the last try.

    `NOTIFICATION_EMAIL_RETRY_DELAYS` (seconds) lists the waits: growing, so
    that a mail server down for an hour is waited out without hammering it.
    """
    delays = settings.NOTIFICATION_EMAIL_RETRY_DELAYS
    if attempt > len(delays):
        return None
    return timedelta(seconds=delays[attempt - 1])


def _sender_name(organisations) -> str:
    """Who the email speaks for: the one organisation it is about, else the platform."""
    names = {o.name for o in organisations if o is not None}
    return names.pop() if len(names) == 1 else settings.PLATFORM_NAME


def notification_email_send(notification: Notification) -> None:
    """Email one notification to its recipient, in their language (raises if it fails)."""
    recipient = notification.recipient
    with translation.override(email_language(recipient)):
        context = {
            "notification": notification,
            "recipient": recipient,
            "sender_name": _sender_name([notification.organisation]),
            "platform_name": settings.PLATFORM_NAME,
            "preferences_link": notification_link(reverse("preferences")),
            "link": notification_link(notification.url),
        }
        send_mail(
            subject=render_to_string("core/email/notification_subject.txt", context).strip(),
            message=render_to_string("core/email/notification_body.txt", context),
            from_email=None,
            recipient_list=[recipient.email],
        )


def _error_text(error: Exception) -> str:
    return (f"{type(error).__name__}: {error}")[:255]


def notification_emails_send(*, notification_ids: list[int], attempt: int) -> tuple[int, list[int]]:
    """Email each of these notifications not emailed yet; returns how many went
    out and the ids of those that failed this time (each one is tried: one bad
    address does not stop the others). Each failure is counted and its error kept."""
    sent, failed = 0, []
    pending = Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True
    ).select_related("recipient", "organisation")
    for notification in pending:
        try:
            notification_email_send(notification)
        except Exception as error:  # any mail error: retried later, never lost
            logger.warning("Email of notification %s failed (try %s)", notification.pk, attempt)
            Notification.objects.filter(pk=notification.pk).update(
                email_attempts=attempt, email_error=_error_text(error)
            )
            failed.append(notification.pk)
        else:
            Notification.objects.filter(pk=notification.pk).update(
                emailed_at=timezone.now(), email_attempts=attempt, email_failed_at=None
            )
            sent += 1
    return sent, failed


def notification_emails_give_up(*, notification_ids: list[int]) -> int:
    """After the last try: the notifications are shown as undelivered in the back office."""
    return Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).update(
        email_failed_at=timezone.now()
    )


def digest_send(*, recipient_id: int) -> int:
    """Send one person's digest; returns how many notifications it listed.

    The person's pending notifications are locked while the email goes out and
    marked emailed in the same transaction: two runs at once cannot send the
    same notification twice, and a failed send (which raises) leaves them pending.
    """
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(of=("self",))
            .filter(recipient_id=recipient_id, emailed_at__isnull=True)
            .select_related("recipient", "organisation")
            .order_by("created_at", "pk")
        )
        if not pending:
            return 0
        recipient = pending[0].recipient
        with translation.override(email_language(recipient)):
            context = {
                "recipient": recipient,
                "sender_name": _sender_name(n.organisation for n in pending),
                "platform_name": settings.PLATFORM_NAME,
                "preferences_link": notification_link(reverse("preferences")),
                "items": [(n, notification_link(n.url)) for n in pending],
                "count": len(pending),
            }
            send_mail(
                subject=render_to_string("core/email/digest_subject.txt", context).strip(),
                message=render_to_string("core/email/digest_body.txt", context),
                from_email=None,
                recipient_list=[recipient.email],
            )
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
            emailed_at=timezone.now(), email_failed_at=None
        )
        return len(pending)


def digest_failure_record(*, recipient_id: int, error: Exception, give_up: bool) -> None:
    """Count a failed digest on the notifications it held; after the last try
    they are shown as undelivered (and the next daily digest tries them again)."""
    pending = Notification.objects.filter(recipient_id=recipient_id, emailed_at__isnull=True)
    changes = {"email_attempts": F("email_attempts") + 1, "email_error": _error_text(error)}
    if give_up:
        changes["email_failed_at"] = timezone.now()
    pending.update(**changes)
