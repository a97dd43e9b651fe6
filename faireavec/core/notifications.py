"""In-app and email notifications.

`notify()` is the one way to tell people something: it stores an in-app
notification for each recipient and, after the transaction commits, emails
those who want emails as they happen (`tasks.send_notification_emails`, retried
when the mail server fails). Others get a daily digest
(`tasks.notifications_send_digests`, run daily by `manage.py send_digests`).
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise

from faireavec.core.emails import IMMEDIATE, email_language
from faireavec.core.models import Notification
from faireavec.core.tasks import send_notification_emails


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
        with translation.override(email_language(recipient)):
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


def notifications_undelivered(*, organisation) -> QuerySet[Notification]:
    """The organisation's notifications whose email failed at every try and
    has not gone out since, newest failure first, with their recipient."""
    return (
        Notification.objects.filter(
            organisation=organisation, email_failed_at__isnull=False, emailed_at__isnull=True
        )
        .select_related("recipient")
        .order_by("-email_failed_at", "-pk")
    )
