"""Who may see and register for a meeting, per role, and before, during and after
the phase it belongs to."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from conftest import ROLES
from faireavec.meetings.models import Kind
from faireavec.meetings.tests.factories import MeetingFactory
from faireavec.processes.tests.factories import PhaseFactory

pytestmark = pytest.mark.django_db


def _user(people, role):
    return people[role] or AnonymousUser()


INSIDE = {"participant", "member", "facilitator", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_view_and_register_per_role(org, people, role):
    user = _user(people, role)
    public = MeetingFactory(organisation=org)
    members_only = MeetingFactory(organisation=org, is_public=False)
    assert user.has_perm("meetings.view_meeting", public)
    assert user.has_perm("meetings.register_meeting", public)
    assert user.has_perm("meetings.view_meeting", members_only) == (role in INSIDE)
    assert user.has_perm("meetings.register_meeting", members_only) == (role in INSIDE)
    assert user.has_perm("meetings.manage_meeting", org) == (role in {"facilitator", "admin"})


@pytest.mark.parametrize("role", ROLES)
def test_private_organisation_meetings_are_for_its_people(org, people, role):
    org.visibility = org.Visibility.PRIVATE
    org.save()
    user = _user(people, role)
    meeting = MeetingFactory(organisation=org)
    assert user.has_perm("meetings.view_meeting", meeting) == (role in INSIDE)
    assert user.has_perm("meetings.register_meeting", meeting) == (role in INSIDE)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("offset", "allowed"), [(-10, False), (0, True), (10, False)], ids=["after", "during", "before"]
)
def test_registration_follows_the_phase(org, people, role, offset, allowed):
    """A phase that allows registering: only while it runs (before it starts and after
    it ends, nobody registers, the team included)."""
    today = timezone.localdate()
    phase = PhaseFactory(
        initiative__organisation=org,
        starts_on=today + timedelta(days=offset - 2),
        ends_on=today + timedelta(days=offset + 2),
        allows_register_meeting=True,
    )
    meeting = MeetingFactory(organisation=org, phase=phase)
    user = _user(people, role)
    assert user.has_perm("meetings.register_meeting", meeting) == allowed


@pytest.mark.parametrize("role", ROLES)
def test_open_forum_topics_until_the_board_freezes(org, people, role):
    user = _user(people, role)
    forum = MeetingFactory(
        organisation=org,
        kind=Kind.OPEN_FORUM,
        board_freezes_at=timezone.now() + timedelta(hours=1),
    )
    assert user.has_perm("meetings.propose_topic", forum)
    assert user.has_perm("meetings.support_topic", forum)
    forum.board_freezes_at = timezone.now() - timedelta(minutes=1)
    assert not user.has_perm("meetings.propose_topic", forum)
    workshop = MeetingFactory(organisation=org)
    assert not user.has_perm("meetings.propose_topic", workshop)
