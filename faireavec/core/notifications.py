"""In-app and email notifications.

`notify()` is the one way to tell people something: it stores an in-app
notification for each recipient and, after the transaction commits, emails
those who want emails as they happen. Others get a daily digest
(`notifications_send_digests`, run daily by `manage.py send_digests`).
"""

import logging
from collections.abc import Iterable
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise

from faireavec.core.models import Notification

logger = logging.getLogger(__name__)

IMMEDIATE = "immediate"
DAILY = "daily"


def notify(
    *,
    recipients: Iterable,
    title: Promise,
    body: Promise | str = "",
    url: str = "",
    organisation=None,
) -> list[Notification]:
    """Tell each recipient (once, even if listed twice) `title`, with an optional
    `body` and a link `url` (a path such as `/la-ruche/avis/3/` is fine).

    `title` and `body` are lazy text, written for each person in their own
    language: `lazy_message(gettext_lazy("… %(name)s …"), name=…)` (see
    `faireavec.core.i18n`; `ngettext_lazy` for counts, dates as date objects),
    or `untranslated(text)` for what a person typed. A plain string is refused:
    it was translated already, in the language of whoever caused the message.

    Call it inside the service's transaction: people who chose immediate emails
    get theirs from a task enqueued after the commit; the others wait for the
    daily digest.
    """
    _require_lazy(title, "title")
    _require_lazy(body, "body")
    notifications = []
    for recipient in {r.pk: r for r in recipients}.values():
        with translation.override(_email_language(recipient)):
            title_text, body_text = str(title), str(body)
        notification = Notification(
            recipient=recipient,
            organisation=organisation,
            title=title_text[:200],
            body=body_text,
            url=url,
        )
        notification.full_clean()
        notifications.append(notification)
    Notification.objects.bulk_create(notifications)
    immediate = [n.pk for n in notifications if n.recipient.notification_frequency == IMMEDIATE]
    if immediate:
        from faireavec.core.tasks import send_notification_emails

        transaction.on_commit(lambda: send_notification_emails.enqueue(immediate))
    return notifications


def _require_lazy(text, name: str) -> None:
    if isinstance(text, str) and text:
        raise TypeError(
            f"notify({name}=...) takes lazy text (faireavec.core.i18n.lazy_message or "
            "untranslated), not a string translated in the sender's language."
        )


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


def notification_link(url: str) -> str:
    """The link of a notification as an email needs it: absolute.

    Relative links (`/la-ruche/…`) are joined to `settings.SITE_URL` when it is set.
    """
    site_url = getattr(settings, "SITE_URL", "")
    if url.startswith("/") and site_url:
        return urljoin(site_url, url)
    return url


def _email_language(recipient) -> str:
    return recipient.language or settings.LANGUAGE_CODE


def notification_email_send(notification: Notification) -> None:
    """Email one notification to its recipient, in their language."""
    recipient = notification.recipient
    with translation.override(_email_language(recipient)):
        context = {
            "notification": notification,
            "recipient": recipient,
            "link": notification_link(notification.url),
        }
        send_mail(
            subject=render_to_string("core/email/notification_subject.txt", context).strip(),
            message=render_to_string("core/email/notification_body.txt", context),
            from_email=None,
            recipient_list=[recipient.email],
        )


def _digest_send(*, recipient_id: int) -> int:
    """Send one person's digest; returns how many notifications it listed.

    The person's pending notifications are locked while the email goes out and
    marked emailed in the same transaction: two runs at once cannot send the
    same notification twice, and a failed send leaves them pending for the next run.
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
        with translation.override(_email_language(recipient)):
            context = {
                "recipient": recipient,
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
            emailed_at=timezone.now()
        )
        return len(pending)


def notifications_send_digests() -> int:
    """Send each person who chose the daily digest one email listing the
    notifications not emailed yet, then mark them emailed. Returns the number of
    emails sent. Running it twice sends nothing the second time."""
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
    sent = 0
    for recipient_id in list(recipient_ids):
        try:
            if _digest_send(recipient_id=recipient_id):
                sent += 1
        except Exception:  # one unreachable address must not stop everyone's digest
            logger.exception("Daily digest to person %s failed", recipient_id)
    return sent
