"""The audit log: append-only, and scoped to one organisation."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from faireavec.core.audit import (
    audit_action_label,
    audit_actions_for_organisation,
    audit_actors_for_organisation,
    audit_entries_for_organisation,
    audit_log,
)
from faireavec.core.models import AuditEntry
from faireavec.organisations.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def test_audit_log_records_who_what_and_on_which_object(org, people):
    """An entry holds the actor, the action, the object (type, id, text) and the details."""
    entry = audit_log(
        actor=people["admin"],
        organisation=org,
        action="organisation.update",
        target=org,
        details={"fields": ["name"]},
    )
    entry.refresh_from_db()
    assert entry.actor == people["admin"]
    assert entry.organisation == org
    assert entry.action == "organisation.update"
    assert entry.target_type == ContentType.objects.get_for_model(Organisation)
    assert entry.target_id == str(org.pk)
    assert entry.target_repr == str(org)
    assert entry.details == {"fields": ["name"]}
    assert entry.created_at is not None


def test_audit_log_without_signed_in_actor_or_target(org):
    """An anonymous actor is stored as nobody; an entry may have no object."""
    entry = audit_log(actor=AnonymousUser(), organisation=org, action="invitation.accept")
    assert entry.actor is None
    assert entry.target_type is None
    assert entry.target_id == ""


def test_saved_entry_cannot_be_changed_through_the_model(org, people):
    entry = audit_log(actor=people["admin"], organisation=org, action="site.create")
    entry.action = "site.delete"
    with pytest.raises(TypeError, match="append-only"):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).action == "site.create"


def test_saved_entry_cannot_be_deleted_through_the_model(org, people):
    entry = audit_log(actor=people["admin"], organisation=org, action="site.create")
    with pytest.raises(TypeError, match="append-only"):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_entries_cannot_be_updated_or_deleted_through_a_queryset(org, people):
    audit_log(actor=people["admin"], organisation=org, action="site.create")
    entries = AuditEntry.objects.filter(organisation=org)
    with pytest.raises(TypeError, match="append-only"):
        entries.update(action="forged")
    with pytest.raises(TypeError, match="append-only"):
        entries.delete()
    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.all().delete()
    assert list(entries.values_list("action", flat=True)) == ["site.create"]


def test_entries_are_scoped_to_their_organisation(org, other_org, people):
    """One organisation's selectors never return another organisation's entries."""
    mine = audit_log(actor=people["admin"], organisation=org, action="site.create")
    audit_log(actor=people["other_admin"], organisation=other_org, action="charter.publish")

    assert list(audit_entries_for_organisation(organisation=org)) == [mine]
    assert audit_actions_for_organisation(organisation=org) == ["site.create"]
    assert list(audit_actors_for_organisation(organisation=org)) == [people["admin"]]
    assert audit_entries_for_organisation(organisation=org, action="charter.publish").count() == 0


def test_entries_come_newest_first_and_filter_by_action_and_person(org, people):
    first = audit_log(actor=people["admin"], organisation=org, action="site.create")
    second = audit_log(actor=people["facilitator"], organisation=org, action="invitation.create")
    third = audit_log(actor=people["admin"], organisation=org, action="site.update")

    assert list(audit_entries_for_organisation(organisation=org)) == [third, second, first]
    by_admin = audit_entries_for_organisation(organisation=org, actor=people["admin"])
    assert list(by_admin) == [third, first]
    assert list(audit_entries_for_organisation(organisation=org, action="invitation.create")) == [
        second
    ]
    assert list(
        audit_entries_for_organisation(
            organisation=org, action="site.create", actor=people["admin"]
        )
    ) == [first]


def test_people_who_left_still_appear_as_actors(org, people):
    """The person filter lists everyone in the log, even after they left the organisation."""
    audit_log(actor=people["member"], organisation=org, action="site.create")
    Membership.objects.filter(organisation=org, user=people["member"]).delete()
    assert people["member"] in audit_actors_for_organisation(organisation=org)


def test_action_label_comes_from_the_app_or_is_the_code():
    assert audit_action_label("core.export") != "core.export"
    assert audit_action_label("unknown.action") == "unknown.action"
