"""The menu's `shown_if` answers: asked together once per organisation, kept in
the cache, forgotten by the services that set a module up."""

import pytest
from django.apps import apps

from faireavec.core.navigation import NavLink, menu_changed, organisation_links, shown_answers
from faireavec.needs.services import need_create
from faireavec.organisations.models import Role
from faireavec.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_the_answers_are_asked_once_then_read_from_the_cache(org, django_assert_num_queries):
    first = shown_answers(organisation=org)
    assert first and all(isinstance(v, bool) for v in first.values())
    with django_assert_num_queries(0):
        assert shown_answers(organisation=org) == first


def test_a_public_menu_asks_no_shown_if_once_cached(org, people, monkeypatch):
    participant = people["participant"]
    organisation_links(user=participant, organisation=org, side="public")
    asked = []
    monkeypatch.setattr(
        "faireavec.core.navigation.import_string",
        lambda path: lambda *, organisation: asked.append(path) or False,
    )
    organisation_links(user=participant, organisation=org, side="public")
    assert asked == []


def test_each_organisation_has_its_own_answers(org, other_org, people):
    need_create(
        actor=people["admin"],
        organisation=org,
        data={"title": "Repas", "description": "Le midi.", "is_public": True},
    )
    path = "faireavec.needs.selectors.has_public_needs"
    assert shown_answers(organisation=org)[path] is True
    assert shown_answers(organisation=other_org)[path] is False


def test_publishing_a_need_shows_it_at_once_and_after_the_commit(
    org, people, django_capture_on_commit_callbacks
):
    participant = MembershipFactory(organisation=org, role=Role.PARTICIPANT).user

    def labels():
        return [
            link.label
            for link in organisation_links(user=participant, organisation=org, side="public")
        ]

    assert "Besoins" not in labels()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        need_create(
            actor=people["admin"],
            organisation=org,
            data={"title": "Repas", "description": "Le midi.", "is_public": True},
        )
    assert "Besoins" in labels()
    assert len(callbacks) == 1  # forgotten again on commit (another request may have cached)


def test_a_check_added_later_is_asked_without_waiting(org, monkeypatch):
    shown_answers(organisation=org)  # cached without it
    config = apps.get_app_config("core")
    extra = NavLink(
        "Essai", "core:audit_log", shown_if="faireavec.core.tests.test_menu_cache.always"
    )
    monkeypatch.setattr(
        config, "public_links", (*getattr(config, "public_links", ()), extra), raising=False
    )
    assert shown_answers(organisation=org)["faireavec.core.tests.test_menu_cache.always"] is True


def test_menu_changed_forgets(org, monkeypatch):
    shown_answers(organisation=org)
    asked = []
    monkeypatch.setattr(
        "faireavec.core.navigation.import_string",
        lambda path: lambda *, organisation: asked.append(path) or False,
    )
    shown_answers(organisation=org)
    assert asked == []
    menu_changed(organisation=org)
    shown_answers(organisation=org)
    assert asked, "asked again"


def always(*, organisation) -> bool:
    return True
