"""The last seats under concurrency, on PostgreSQL with two real connections."""

import threading

import pytest
from django.db import connection

from faireavec.meetings import services
from faireavec.meetings.models import MeetingRegistration
from faireavec.meetings.tests.factories import MeetingFactory
from faireavec.organisations.tests.factories import OrganisationFactory

Status = MeetingRegistration.Status


def _race(*calls) -> tuple[list, list]:
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(call())
        except Exception as exc:  # reported by the assertions below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


def _register(meeting, n):
    return lambda: services.registration_create(
        meeting=meeting, name=f"P{n}", email=f"p{n}@exemple.org", consent_text="ok"
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_for_the_last_seat_get_one_seat_and_one_waiting_place():
    meeting = MeetingFactory(organisation=OrganisationFactory(), capacity=1)
    results, errors = _race(_register(meeting, 1), _register(meeting, 2))
    assert errors == []
    assert sorted(r.status for r in results) == [Status.CONFIRMED, Status.WAITING]
    assert meeting.registrations.filter(status=Status.CONFIRMED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_cancellation_and_a_new_registration_at_once_never_exceed_capacity():
    """One person cancels while another registers: the freed seat is offered to the
    person waiting or taken by the newcomer, never both."""
    meeting = MeetingFactory(organisation=OrganisationFactory(), capacity=1)
    first = _register(meeting, 1)()
    _register(meeting, 2)()  # waiting
    _results, errors = _race(
        lambda: services.registration_cancel(registration=first), _register(meeting, 3)
    )
    assert errors == []
    seated = meeting.registrations.filter(
        status__in=[Status.CONFIRMED, Status.OFFERED, Status.ATTENDED]
    ).count()
    assert seated == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_accepting_and_expiring_an_offer_at_once_leave_one_seat():
    from datetime import timedelta

    meeting = MeetingFactory(organisation=OrganisationFactory(), capacity=1)
    first = _register(meeting, 1)()
    second = _register(meeting, 2)()
    _register(meeting, 3)()
    services.registration_cancel(registration=first)
    second.refresh_from_db()
    assert second.status == Status.OFFERED
    late = second.offer_expires_at + timedelta(seconds=1)
    _race(
        lambda: services.offer_accept(registration=second, when=late),
        lambda: services.offers_expire(when=late),
    )
    seated = meeting.registrations.filter(status__in=[Status.CONFIRMED, Status.OFFERED]).count()
    assert seated == 1
