"""Every permission of initiatives, for every role, before, during and after each
phase, with the clock frozen (django.utils.timezone.now patched: rules read it)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from faireavec.organisations.models import Organisation
from faireavec.processes.models import Audience, Initiative, Phase
from faireavec.processes.services import default_phases
from faireavec.processes.tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant", "member", "facilitator", "admin", "other_admin"]
IN_ORG = {"participant", "member", "facilitator", "admin"}
TEAM = {"facilitator", "admin"}
START = date(2026, 1, 5)
# The actions a participant does directly, their permission, and who may do it when
# the running phase allows it (public initiative of a public organisation).
TAKING_PART = {
    "propose": ("processes.propose_in_initiative", set(ROLES)),
    "comment": ("processes.comment_proposal", set(ROLES) - {"anonymous"}),
    "support": ("processes.support_proposal", set(ROLES) - {"anonymous"}),
}


def _user(people, role):
    return people[role] or AnonymousUser()


def _freeze(monkeypatch, day: date) -> None:
    noon = datetime.combine(day, time(12), tzinfo=ZoneInfo("Europe/Paris"))
    monkeypatch.setattr(timezone, "now", lambda: noon)


@pytest.fixture
def initiative(org):
    """Public, with the five default phases from START, one after the other."""
    initiative = InitiativeFactory(organisation=org, audience=Audience.PUBLIC)
    for data in default_phases(starts_on=START):
        Phase.objects.create(initiative=initiative, **data)
    return initiative


def _moments():
    """(phase position, "before" / "during" / "after", the day) for every default phase."""
    moments = []
    for data in default_phases(starts_on=START):
        for label, day in (
            ("before", data["starts_on"] - timedelta(days=1)),
            ("during", data["starts_on"]),
            ("during", data["ends_on"]),
            ("after", data["ends_on"] + timedelta(days=1)),
        ):
            moments.append((data["position"], label, day))
    return moments


MOMENTS = _moments()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(TAKING_PART))
@pytest.mark.parametrize(
    ("position", "moment", "day"), MOMENTS, ids=[f"phase{p}-{m}-{d}" for p, m, d in MOMENTS]
)
def test_taking_part_follows_the_phase_running_that_day(
    monkeypatch, people, initiative, role, action, position, moment, day
):
    """On the initiative (the phase running that day) and on the phase itself."""
    _freeze(monkeypatch, day)
    perm, roles = TAKING_PART[action]
    phases = {p.position: p for p in initiative.phases.all()}
    phase = phases[position]
    running = next((p for p in phases.values() if p.starts_on <= day <= p.ends_on), None)
    user = _user(people, role)
    fresh = Initiative.objects.get(pk=initiative.pk)  # no phase cached from another day
    expected_now = role in roles and running is not None and running.allows(action)
    assert user.has_perm(perm, fresh) is expected_now
    expected_in_phase = role in roles and moment == "during" and phase.allows(action)
    assert user.has_perm(perm, phase) is expected_in_phase


@pytest.mark.parametrize("role", ROLES)
def test_outside_every_phase_nobody_takes_part(monkeypatch, people, initiative, role):
    _freeze(monkeypatch, START + timedelta(days=400))
    for perm, _roles in TAKING_PART.values():
        assert _user(people, role).has_perm(perm, initiative) is False


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", [Initiative.Status.DRAFT, Initiative.Status.CLOSED])
def test_a_draft_or_closed_initiative_takes_no_part_even_during_a_phase(
    monkeypatch, people, initiative, role, status
):
    _freeze(monkeypatch, START)
    initiative.status = status
    initiative.save()
    for perm, _roles in TAKING_PART.values():
        assert _user(people, role).has_perm(perm, initiative) is False


# permission -> roles having it on the organisation (the lists and the back office)
ON_ORGANISATION = {
    "processes.view_initiative": set(ROLES),
    "processes.review_initiative": {"member", "facilitator", "admin"},
    "processes.manage_initiative": TEAM,
    "processes.answer_proposal": TEAM,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", sorted(ON_ORGANISATION))
def test_permissions_on_the_organisation(org, people, perm, role):
    assert _user(people, role).has_perm(perm, org) is (role in ON_ORGANISATION[perm])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("audience", "status", "readers"),
    [
        (Audience.PUBLIC, Initiative.Status.PUBLISHED, set(ROLES)),
        (Audience.PUBLIC, Initiative.Status.CLOSED, set(ROLES)),
        (Audience.PUBLIC, Initiative.Status.DRAFT, TEAM),
        (Audience.MEMBERS, Initiative.Status.PUBLISHED, IN_ORG),
        (Audience.INVITED, Initiative.Status.PUBLISHED, TEAM | {"participant"}),
    ],
)
def test_who_reads_an_initiative(org, people, role, audience, status, readers):
    """The invited audience: the participant is invited, the member is not."""
    initiative = InitiativeFactory(organisation=org, audience=audience, status=status)
    initiative.invited.add(people["participant"])
    assert _user(people, role).has_perm("processes.view_initiative", initiative) is (
        role in readers
    )
    assert _user(people, role).has_perm("processes.follow_initiative", initiative) is (
        role in readers and role != "anonymous"
    )


@pytest.mark.parametrize("role", ROLES)
def test_a_private_organisations_public_initiative_stays_inside(
    monkeypatch, org, people, initiative, role
):
    """Also: proposing without an account needs a public organisation."""
    _freeze(monkeypatch, START)
    org.visibility = Organisation.Visibility.PRIVATE
    org.save()
    initiative = Initiative.objects.select_related("organisation").get(pk=initiative.pk)
    user = _user(people, role)
    assert user.has_perm("processes.view_initiative", initiative) is (role in IN_ORG)
    assert user.has_perm("processes.propose_in_initiative", initiative) is (role in IN_ORG)


@pytest.mark.parametrize("role", ROLES)
def test_in_a_members_initiative_only_people_of_the_organisation_propose(
    monkeypatch, org, people, initiative, role
):
    _freeze(monkeypatch, START)
    initiative.audience = Audience.MEMBERS
    initiative.save()
    assert _user(people, role).has_perm("processes.propose_in_initiative", initiative) is (
        role in IN_ORG
    )


def _proposal_in(initiative):
    """A public proposal of the initiative, written straight to the database (whatever
    the day: the gate, not the proposing, is under test)."""
    from faireavec.contributions.models import Contribution, Kind
    from faireavec.processes.models import InitiativeProposal

    contribution = Contribution.objects.create(
        organisation=initiative.organisation,
        kind=Kind.PROPOSAL,
        title="Un composteur",
        body="Dans la cour.",
        is_public=True,
    )
    InitiativeProposal.objects.create(initiative=initiative, contribution=contribution)
    return contribution


GATED = {"support": "support", "comment": "comment"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(GATED))
@pytest.mark.parametrize(
    ("position", "moment", "day"), MOMENTS, ids=[f"phase{p}-{m}-{d}" for p, m, d in MOMENTS]
)
def test_contributions_asks_the_phase_before_a_support_or_a_comment_on_a_proposal(
    monkeypatch, people, initiative, role, action, position, moment, day
):
    """The gate contributions asks (its services and its idea page) says what the
    initiative's rules say, for every role before, during and after each phase."""
    from faireavec.contributions.hooks import contribution_open_for

    _freeze(monkeypatch, day)
    contribution = _proposal_in(initiative)
    running = next((p for p in initiative.phases.all() if p.starts_on <= day <= p.ends_on), None)
    expected = role != "anonymous" and running is not None and running.allows(action)
    user = _user(people, role)
    assert contribution_open_for(user=user, contribution=contribution, action=action) is expected
    assert contribution_open_for(user=user, contribution=contribution, action="view") is True


@pytest.mark.parametrize("role", ROLES)
def test_a_proposal_of_a_members_initiative_is_read_by_people_of_the_organisation(
    monkeypatch, people, initiative, role
):
    from faireavec.contributions.hooks import contribution_open_for

    _freeze(monkeypatch, START)
    initiative.audience = Audience.MEMBERS
    initiative.save()
    contribution = _proposal_in(initiative)
    user = _user(people, role)
    assert contribution_open_for(user=user, contribution=contribution, action="view") is (
        role in IN_ORG
    )
    assert contribution_open_for(user=user, contribution=contribution, action="support") is (
        role in IN_ORG
    )


def test_an_idea_outside_any_initiative_is_not_gated(org, people):
    from faireavec.contributions.hooks import contribution_open_for
    from faireavec.contributions.models import Contribution

    idea = Contribution.objects.create(organisation=org, title="Idée", body="…", is_public=True)
    for action in ("view", "support", "comment"):
        assert contribution_open_for(user=people["member"], contribution=idea, action=action)
    with pytest.raises(ValueError):
        contribution_open_for(user=people["member"], contribution=idea, action="vote")
