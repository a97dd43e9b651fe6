"""Permissions per role: anonymous, participant, member, facilitator, admin, other org's admin."""

import pytest

from faireavec.sortition.tests.factories import make_pool

pytestmark = pytest.mark.django_db

EXPECTED = {
    # role: register, view, manage, draw, export
    "anonymous": (True, False, False, False, False),
    "participant": (True, False, False, False, False),
    "member": (True, True, False, False, False),
    "facilitator": (True, True, True, True, True),
    "admin": (True, True, True, True, True),
    "other_admin": (True, False, False, False, False),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_permissions_per_role_in_a_public_organisation(org, people, role):
    """Anyone registers in an open pool of a public organisation; the team runs draws."""
    from django.contrib.auth.models import AnonymousUser

    user = people[role] or AnonymousUser()
    pool = make_pool(organisation=org, actor=people["facilitator"])
    perms = ("register_volunteer", "view_pool", "manage_pool", "draw_pool", "export_draw")
    got = tuple(
        user.has_perm(f"sortition.{p}", pool if p == "register_volunteer" else org) for p in perms
    )
    assert got == EXPECTED[role]


def test_nobody_registers_in_a_closed_pool(org, people):
    """A closed pool takes no volunteer, whoever asks."""
    pool = make_pool(organisation=org, actor=people["facilitator"])
    pool.registration_open = False
    assert not people["admin"].has_perm("sortition.register_volunteer", pool)
    assert not people["participant"].has_perm("sortition.register_volunteer", pool)


def test_pool_of_a_phase_takes_volunteers_only_while_the_phase_allows_it(org, people):
    """Attached to a phase that does not allow joining a panel, registration is refused."""
    from datetime import timedelta

    from django.utils import timezone

    from faireavec.processes.models import Initiative, Phase

    today = timezone.localdate()
    initiative = Initiative.objects.create(
        organisation=org, slug="plan", title="Plan", status=Initiative.Status.PUBLISHED
    )
    phase = Phase.objects.create(
        initiative=initiative,
        title="Consultation",
        position=1,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=10),
        allows_join_panel=False,
    )
    pool = make_pool(organisation=org, actor=people["facilitator"])
    pool.phase = phase
    assert not people["participant"].has_perm("sortition.register_volunteer", pool)
    phase.allows_join_panel = True
    assert people["participant"].has_perm("sortition.register_volunteer", pool)
