"""Periodic tasks of the meetings app (declared on the AppConfig)."""

from django_tasks import task

from faireavec.meetings.services import contacts_forget, offers_expire, reminders_send


@task()
def expire_offers() -> int:
    """Seats offered from the waiting list and not answered in time go to the next person."""
    return offers_expire()


@task()
def send_reminders() -> int:
    """Remind people registered for tomorrow's meetings."""
    return reminders_send()


@task()
def forget_contacts() -> int:
    """Delete the contact details given without an account, a month after the meeting."""
    return contacts_forget()
