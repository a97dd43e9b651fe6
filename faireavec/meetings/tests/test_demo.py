"""The demo builds every kind of meeting object, twice without change."""

import pytest

from faireavec.meetings.models import ForumTopic, Meeting, MeetingRegistration, MeetingSeries
from faireavec.meetings.selectors import forum_board
from faireavec.organisations.demo import demo_build

pytestmark = pytest.mark.django_db
Status = MeetingRegistration.Status


def test_demo_has_a_series_a_filled_forum_workshops_and_a_waiting_list():
    ctx = demo_build(small=True)
    organisation = ctx.organisation
    series = MeetingSeries.objects.get(organisation=organisation)
    assert series.meetings.count() >= 2
    forum = Meeting.objects.filter(organisation=organisation).order_by("pk").first()
    assert forum.is_open_forum
    board = forum_board(meeting=forum)
    assert board.cells and board.warnings
    workshop = Meeting.objects.get(
        organisation=organisation, title="Atelier d'assemblée : nos priorités"
    )
    assert workshop.phase is not None
    statuses = set(workshop.registrations.values_list("status", flat=True))
    assert {Status.CONFIRMED, Status.WAITING, Status.OFFERED} <= statuses
    assert Meeting.objects.filter(organisation=organisation, minutes_published=True).exists()
    count = Meeting.objects.count(), ForumTopic.objects.count()
    demo_build(small=True)
    assert (Meeting.objects.count(), ForumTopic.objects.count()) == count
