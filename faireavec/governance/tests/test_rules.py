"""Permissions per role: anonymous, participant, member, facilitator, admin, and an
administrator of another organisation; being in the member register is what
lets a person see and vote in assemblies, whatever their role."""

import pytest

from faireavec.governance.services import assembly_close
from faireavec.governance.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

BACKOFFICE = {
    # permission: roles that have it
    "governance.view_member": {"facilitator", "admin"},
    "governance.manage_member": {"admin"},
    "governance.manage_college": {"admin"},
    "governance.change_statutes": {"admin"},
    "governance.view_body": {"facilitator", "admin"},
    "governance.manage_body": {"admin"},
    "governance.view_assembly": {"facilitator", "admin"},
    "governance.manage_assembly": {"admin"},
    "governance.record_vote": {"facilitator", "admin"},
    "governance.view_poll_admin": {"facilitator", "admin"},
    "governance.manage_poll": {"admin"},
    "governance.view_member_space_admin": {"facilitator", "admin"},
    "governance.answer_question": {"admin"},
    "governance.moderate_member_space": {"admin"},
}
ROLES = ["anonymous", "participant", "member", "facilitator", "admin", "other_admin"]


@pytest.mark.parametrize("perm", sorted(BACKOFFICE))
@pytest.mark.parametrize("role", ROLES)
def test_backoffice_permissions(people, org, role, perm):
    user = people[role]
    allowed = role in BACKOFFICE[perm]
    from django.contrib.auth.models import AnonymousUser

    assert (user or AnonymousUser()).has_perm(perm, org) is allowed


def test_only_people_on_the_list_of_voters_vote(people, org):
    # The participant joins the register before the convocation; the member does not.
    from faireavec.governance.tests.factories import scic

    scic(organisation=org)
    from faireavec.governance.models import College

    MemberFactory(
        organisation=org,
        user=people["participant"],
        college=College.objects.filter(organisation=org).first(),
    )
    from faireavec.governance.services import assembly_convene
    from faireavec.governance.tests.factories import AssemblyFactory, ResolutionFactory

    assembly = AssemblyFactory(organisation=org)
    ResolutionFactory(assembly=assembly)
    assembly = assembly_convene(actor=None, assembly=assembly)
    from django.contrib.auth.models import AnonymousUser

    expected = {"participant": True}
    for role in ROLES:
        user = people[role] or AnonymousUser()
        assert user.has_perm("governance.vote_assembly", assembly) is expected.get(role, False), (
            role
        )
        sees = role in {"participant", "facilitator", "admin"}
        assert user.has_perm("governance.view_assemblies", org) is sees, role
    assembly_close(actor=None, assembly=assembly)
    assembly.refresh_from_db()
    assert not people["participant"].has_perm("governance.vote_assembly", assembly)
    # Minutes: for members of the register and the team, once published.
    assert not people["participant"].has_perm("governance.view_minutes", assembly)
    from faireavec.governance.services import minutes_publish

    minutes_publish(actor=None, assembly=assembly)
    assembly.refresh_from_db()
    assert people["participant"].has_perm("governance.view_minutes", assembly)
    assert people["facilitator"].has_perm("governance.view_minutes", assembly)
    assert not people["member"].has_perm("governance.view_minutes", assembly)
    assert not people["other_admin"].has_perm("governance.view_minutes", assembly)
