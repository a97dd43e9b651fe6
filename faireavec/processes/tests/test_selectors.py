"""phase_allows — the cross-app contract — and the reads of initiatives."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser

from faireavec.processes.models import Action, Audience, Initiative
from faireavec.processes.selectors import (
    initiative_allows,
    initiative_get,
    initiatives_follow_up_overdue,
    initiatives_visible,
    phase_allows,
    phase_current,
    phases_open_for,
)
from faireavec.processes.tests.factories import InitiativeFactory, PhaseFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def phase(org):
    """March 2026, allowing proposals and comments only."""
    return PhaseFactory(
        initiative=InitiativeFactory(organisation=org), allows_propose=True, allows_comment=True
    )


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (date(2026, 2, 28), False),  # the day before
        (date(2026, 3, 1), True),  # first day, included
        (date(2026, 3, 15), True),
        (date(2026, 3, 31), True),  # last day, included
        (date(2026, 4, 1), False),  # the day after
    ],
)
def test_phase_allows_a_declared_action_within_its_dates_only(phase, when, expected):
    assert phase_allows(phase=phase, action="propose", when=when) is expected


def test_a_datetime_is_read_in_the_site_time_zone(phase):
    """23:30 UTC on 31 March is already 1 April in Paris: the phase is over."""
    late = datetime(2026, 3, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert phase_allows(phase=phase, action="propose", when=late) is False
    assert phase_allows(phase=phase, action="propose", when=late.astimezone(PARIS)) is False
    evening = datetime(2026, 3, 31, 21, 0, tzinfo=ZoneInfo("UTC"))  # 23:00 in Paris
    assert phase_allows(phase=phase, action="propose", when=evening) is True


@pytest.mark.parametrize("action", [a for a in Action.values if a not in {"propose", "comment"}])
def test_an_undeclared_action_is_refused_even_during_the_phase(phase, action):
    assert phase_allows(phase=phase, action=action, when=date(2026, 3, 15)) is False


@pytest.mark.parametrize("status", [Initiative.Status.DRAFT, Initiative.Status.CLOSED])
def test_a_draft_or_closed_initiative_allows_nothing(phase, status):
    phase.initiative.status = status
    phase.initiative.save()
    assert phase_allows(phase=phase, action="propose", when=date(2026, 3, 15)) is False


def test_an_unknown_action_is_a_programming_error(phase):
    with pytest.raises(ValueError, match="vote_twice"):
        phase_allows(phase=phase, action="vote_twice", when=date(2026, 3, 15))


def test_no_phase_allows_nothing():
    assert phase_allows(phase=None, action="propose") is False


def test_the_current_phase_is_the_one_whose_dates_include_the_day(org):
    initiative = InitiativeFactory(organisation=org)
    first = PhaseFactory(
        initiative=initiative, starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 31)
    )
    second = PhaseFactory(
        initiative=initiative,
        starts_on=date(2026, 2, 1),
        ends_on=date(2026, 2, 28),
        allows_support=True,
    )
    assert phase_current(initiative=initiative, when=date(2026, 1, 10)) == first
    initiative = initiative_get(organisation=org, pk=initiative.pk)
    assert phase_current(initiative=initiative, when=date(2026, 2, 10)) == second
    assert initiative_allows(initiative=initiative, action="support", when=date(2026, 2, 10))
    assert not initiative_allows(initiative=initiative, action="support", when=date(2026, 1, 10))
    assert phase_current(initiative=initiative, when=date(2026, 3, 1)) is None


def test_phases_open_for_an_action_are_those_running_today(org, other_org):
    running = PhaseFactory(
        initiative=InitiativeFactory(organisation=org), allows_register_meeting=True
    )
    PhaseFactory(initiative=InitiativeFactory(organisation=org))  # does not allow it
    PhaseFactory(initiative=InitiativeFactory(organisation=other_org), allows_register_meeting=True)
    found = phases_open_for(organisation=org, action="register_meeting", when=date(2026, 3, 2))
    assert list(found) == [running]
    assert not phases_open_for(organisation=org, action="register_meeting", when=date(2026, 5, 1))


def test_another_organisations_initiative_is_not_found(org, other_org):
    initiative = InitiativeFactory(organisation=other_org)
    assert initiative_get(organisation=org, pk=initiative.pk) is None


def test_each_audience_sees_its_initiatives(org, people):
    public = InitiativeFactory(organisation=org, audience=Audience.PUBLIC)
    members = InitiativeFactory(organisation=org, audience=Audience.MEMBERS)
    invited = InitiativeFactory(organisation=org, audience=Audience.INVITED)
    invited.invited.add(people["member"])
    InitiativeFactory(organisation=org, status=Initiative.Status.DRAFT)

    def seen(user):
        return set(initiatives_visible(organisation=org, user=user or AnonymousUser()))

    assert seen(None) == {public}
    assert seen(people["other_admin"]) == {public}
    assert seen(people["participant"]) == {public, members}
    assert seen(people["member"]) == {public, members, invited}
    assert seen(people["facilitator"]) == {public, members, invited}


def test_overdue_follow_up_promises(org):
    late = InitiativeFactory(organisation=org, follow_up_due_on=date(2026, 3, 1))
    InitiativeFactory(
        organisation=org, follow_up_due_on=date(2026, 3, 1), follow_up_done_on=date(2026, 3, 2)
    )
    InitiativeFactory(organisation=org, follow_up_due_on=date(2026, 4, 1))
    InitiativeFactory(
        organisation=org, follow_up_due_on=date(2026, 3, 1), status=Initiative.Status.DRAFT
    )
    assert list(initiatives_follow_up_overdue(organisation=org, when=date(2026, 3, 15))) == [late]
    assert late.follow_up_overdue(when=date(2026, 3, 15))
    assert not late.follow_up_overdue(when=date(2026, 3, 1))
