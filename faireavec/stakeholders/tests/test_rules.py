"""Who may do what with the stakeholder register and its map."""

import pytest

MANAGE_PERMS = [
    "stakeholders.view_stakeholder",
    "stakeholders.add_stakeholder",
    "stakeholders.change_stakeholder",
    "stakeholders.delete_stakeholder",
    "stakeholders.import_stakeholder",
    "stakeholders.export_stakeholder",
    "stakeholders.add_interaction",
    "stakeholders.delete_interaction",
    "stakeholders.manage_stakeholdersubcategory",
]
MAP = "stakeholders.view_stakeholdermap"


def _has(people, role, perm, org) -> bool:
    user = people[role]
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    return user.has_perm(perm, org)


@pytest.mark.django_db
@pytest.mark.parametrize("perm", MANAGE_PERMS)
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("participant", False),
        ("member", False),
        ("facilitator", True),
        ("admin", True),
        ("other_admin", False),
    ],
)
def test_only_facilitators_and_admins_manage_the_register(people, org, role, allowed, perm):
    """Facilitators and admins manage the register; nobody else, whatever the map setting."""
    org.members_see_stakeholder_map = True
    org.save()
    assert _has(people, role, perm, org) is allowed


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "without_setting", "with_setting"),
    [
        ("anonymous", False, False),
        ("participant", False, False),
        ("member", False, True),
        ("facilitator", True, True),
        ("admin", True, True),
        ("other_admin", False, False),
    ],
)
def test_map_visibility_follows_the_organisation_setting(
    people, org, role, without_setting, with_setting
):
    """Members see the map only when the organisation allows it; participants and
    other organisations never."""
    assert _has(people, role, MAP, org) is without_setting
    org.members_see_stakeholder_map = True
    org.save()
    assert _has(people, role, MAP, org) is with_setting
