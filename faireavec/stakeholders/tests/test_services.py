"""Writes on the register: validation, tags, audit, and the all-or-nothing import."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from faireavec.accounts.tests.factories import UserFactory
from faireavec.core.models import AuditEntry
from faireavec.organisations.models import Role
from faireavec.organisations.tests.factories import MembershipFactory
from faireavec.stakeholders.models import (
    Category,
    Interaction,
    Stakeholder,
    StakeholderSubcategory,
    StakeholderTag,
)
from faireavec.stakeholders.services import (
    ImportChanged,
    interaction_create,
    interaction_delete,
    stakeholder_create,
    stakeholder_delete,
    stakeholder_import,
    stakeholder_mark_reviewed,
    stakeholder_update,
    subcategory_create,
    tag_names_parse,
)
from faireavec.stakeholders.tests.factories import (
    InteractionFactory,
    StakeholderFactory,
    StakeholderSubcategoryFactory,
    StakeholderTagFactory,
    import_file_store,
)


@pytest.fixture
def actor(org):
    return MembershipFactory(organisation=org, role=Role.FACILITATOR).user


def test_tag_names_parse():
    assert tag_names_parse(" ville, Quartier ;jeunesse, ville ,, ") == [
        "ville",
        "Quartier",
        "jeunesse",
    ]


@pytest.mark.django_db
def test_create_sets_review_dates_tags_and_audit(org, actor):
    """A new stakeholder counts as reviewed today; its contact details get a
    review date after the organisation's period; existing tags are reused."""
    StakeholderTagFactory(organisation=org, name="Jeunesse")
    s = stakeholder_create(
        actor=actor,
        organisation=org,
        data={
            "name": "Mme Roux",
            "category": Category.BENEFICIARIES,
            "email": "roux@example.org",
            "contact_basis": "consent",
        },
        tag_names=["jeunesse", "quartier"],
    )
    assert s.reviewed_on == timezone.localdate()
    assert s.contact_review_on > timezone.localdate() + timedelta(days=300)
    assert sorted(t.name for t in s.tags.all()) == ["Jeunesse", "quartier"]
    assert StakeholderTag.objects.filter(organisation=org).count() == 2
    entry = AuditEntry.objects.get(action="stakeholder.create")
    assert entry.actor == actor and entry.organisation == org


@pytest.mark.django_db
def test_contact_details_need_a_basis(org, actor):
    data = {"name": "M. Petit", "category": Category.EMPLOYEES, "phone": "0600000000"}
    with pytest.raises(ValidationError) as exc:
        stakeholder_create(actor=actor, organisation=org, data=data)
    assert "contact_basis" in exc.value.message_dict
    assert not Stakeholder.objects.exists()


@pytest.mark.django_db
def test_clearing_contact_details_clears_their_basis(org, actor):
    s = StakeholderFactory(organisation=org, email="a@example.org", contact_basis="consent")
    stakeholder_update(actor=actor, stakeholder=s, data={"email": ""})
    s.refresh_from_db()
    assert (s.contact_basis, s.contact_review_on) == ("", None)


@pytest.mark.django_db
def test_subcategory_must_match_category_and_organisation(org, other_org, actor):
    mine = StakeholderSubcategoryFactory(organisation=org, category=Category.FUNDERS)
    theirs = StakeholderSubcategoryFactory(organisation=other_org, category=Category.EMPLOYEES)
    for subcategory in (mine, theirs):
        data = {"name": "X", "category": Category.EMPLOYEES, "subcategory": subcategory}
        with pytest.raises(ValidationError) as exc:
            stakeholder_create(actor=actor, organisation=org, data=data)
        assert "subcategory" in exc.value.message_dict


@pytest.mark.django_db
def test_linked_account_must_be_in_the_organisation(org, actor):
    data = {"name": "X", "category": Category.EMPLOYEES, "user": UserFactory()}
    with pytest.raises(ValidationError):
        stakeholder_create(actor=actor, organisation=org, data=data)
    s = stakeholder_create(actor=actor, organisation=org, data={**data, "user": actor})
    assert s.pk


@pytest.mark.django_db
def test_levels_and_scales_are_bounded(org, actor):
    for field, value in (("influence", 6), ("interest", 0), ("current_level", 9)):
        data = {"name": f"X {field}", "category": Category.EMPLOYEES, field: value}
        with pytest.raises(ValidationError):
            stakeholder_create(actor=actor, organisation=org, data=data)
    assert not Stakeholder.objects.exists()


@pytest.mark.django_db
def test_update_audits_changed_fields(org, actor):
    s = StakeholderFactory(organisation=org, current_level=1)
    stakeholder_update(
        actor=actor, stakeholder=s, data={"current_level": 3}, tag_names=["nouvelle"]
    )
    entry = AuditEntry.objects.get(action="stakeholder.update")
    assert entry.details["fields"] == ["current_level", "tags"]


@pytest.mark.django_db
def test_interactions_review_and_delete_are_audited(org, actor):
    s = StakeholderFactory(organisation=org, reviewed_on=date(2020, 1, 1))
    interaction = interaction_create(
        actor=actor, stakeholder=s, kind="call", occurred_on=timezone.localdate(), note=" ok "
    )
    assert interaction.note == "ok" and interaction.recorded_by == actor
    with pytest.raises(ValidationError):
        interaction_create(
            actor=actor,
            stakeholder=s,
            kind="call",
            occurred_on=timezone.localdate() + timedelta(days=2),
        )
    with pytest.raises(ValidationError):
        interaction_create(
            actor=actor, stakeholder=s, kind="telepathy", occurred_on=timezone.localdate()
        )
    interaction_delete(actor=actor, interaction=interaction)
    stakeholder_mark_reviewed(actor=actor, stakeholder=s)
    s.refresh_from_db()
    assert s.reviewed_on == timezone.localdate()
    stakeholder_delete(actor=actor, stakeholder=s)
    actions = set(AuditEntry.objects.filter(organisation=org).values_list("action", flat=True))
    assert actions == {
        "stakeholder.interaction_create",
        "stakeholder.interaction_delete",
        "stakeholder.review",
        "stakeholder.delete",
    }
    assert not Interaction.objects.exists()


@pytest.mark.django_db
def test_subcategory_create_refuses_duplicates(org, actor):
    subcategory_create(actor=actor, organisation=org, category="funders", name="Fondations")
    with pytest.raises(ValidationError):
        subcategory_create(actor=actor, organisation=org, category="funders", name=" Fondations ")
    assert StakeholderSubcategory.objects.count() == 1


def _rows():
    return (
        ["Nom", "Catégorie", "Sous-catégorie", "Étiquettes", "Courriel", "Base de conservation"],
        [
            {
                "Nom": "Mme Roux",
                "Catégorie": "bénéficiaires",
                "Sous-catégorie": "Habitants",
                "Étiquettes": "quartier, jeunesse",
                "Courriel": "Roux@Example.org",
                "Base de conservation": "consentement",
            },
            {"Nom": "", "Catégorie": "bénéficiaires"},
            {"Nom": "M. Petit", "Catégorie": "salariés", "Étiquettes": "Quartier"},
        ],
    )


@pytest.mark.django_db
def test_import_writes_the_confirmed_valid_rows(org, actor):
    headers, rows = _rows()
    created = stakeholder_import(
        actor=actor,
        organisation=org,
        path=import_file_store(org, headers, rows),
        confirmed_lines=[2, 4],
    )
    assert [s.name for s in created] == ["Mme Roux", "M. Petit"]
    roux = Stakeholder.objects.get(name="Mme Roux")
    assert roux.email == "roux@example.org"
    assert roux.subcategory.name == "Habitants" and roux.subcategory.category == "beneficiaries"
    assert sorted(t.name for t in roux.tags.all()) == ["jeunesse", "quartier"]
    assert [t.name for t in Stakeholder.objects.get(name="M. Petit").tags.all()] == ["quartier"]
    assert AuditEntry.objects.get(action="stakeholder.import").details["count"] == 2


@pytest.mark.django_db
def test_import_reports_progress_every_few_rows(org, actor):
    """`progress(done, total)` is called while the rows are checked (not for the last one:
    the job's end says it)."""
    headers = ["Nom", "Catégorie"]
    rows = [{"Nom": f"Personne {n}", "Catégorie": "bénéficiaires"} for n in range(7)]
    calls = []
    stakeholder_import(
        actor=actor,
        organisation=org,
        path=import_file_store(org, headers, rows),
        confirmed_lines=list(range(2, 9)),
        progress=lambda done, total: calls.append((done, total)),
        progress_every=3,
    )
    assert calls == [(3, 7), (6, 7)]
    assert Stakeholder.objects.filter(organisation=org).count() == 7


@pytest.mark.django_db
def test_import_writes_nothing_when_the_rows_changed(org, actor):
    """If the valid rows are not the confirmed ones, nothing is written."""
    headers, rows = _rows()
    StakeholderFactory(organisation=org, name="M. Petit")
    with pytest.raises(ImportChanged) as exc:
        stakeholder_import(
            actor=actor,
            organisation=org,
            path=import_file_store(org, headers, rows),
            confirmed_lines=[2, 4],
        )
    assert exc.value.preview.valid_lines == [2]
    assert Stakeholder.objects.filter(organisation=org).count() == 1
    assert not StakeholderTag.objects.exists()


@pytest.mark.django_db
def test_import_is_all_or_nothing_when_a_write_fails(org, actor, monkeypatch):
    """A failure while writing the tags leaves no stakeholder behind."""
    headers, rows = _rows()
    through = Stakeholder.tags.through

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(through.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        stakeholder_import(
            actor=actor,
            organisation=org,
            path=import_file_store(org, headers, rows),
            confirmed_lines=[2, 4],
        )
    assert not Stakeholder.objects.exists()
    assert not StakeholderSubcategory.objects.exists()
    assert not AuditEntry.objects.filter(action="stakeholder.import").exists()


@pytest.mark.django_db
def test_interaction_factory_belongs_to_its_stakeholder_organisation(org):
    interaction = InteractionFactory(stakeholder=StakeholderFactory(organisation=org))
    assert interaction.organisation == org


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_imports_at_once_cannot_both_add_the_same_names(org, actor):
    """The import locks the organisation before checking the rows: an import
    that waits behind another one sees its rows and writes nothing instead of
    adding duplicates."""
    import threading

    from django.db import connection, transaction

    from faireavec.organisations.models import Organisation

    headers, rows = ["Nom", "Catégorie"], [{"Nom": "Mme Roux", "Catégorie": "bénéficiaires"}]
    outcome = {}
    path = import_file_store(org, headers, rows)

    def second_import():
        try:
            stakeholder_import(actor=actor, organisation=org, path=path, confirmed_lines=[2])
            outcome["result"] = "written"
        except ImportChanged as exc:
            outcome["result"] = exc.preview.rows[0].problems
        finally:
            connection.close()

    with transaction.atomic():
        # The first import holds the lock and writes the same row.
        Organisation.objects.select_for_update().get(pk=org.pk)
        thread = threading.Thread(target=second_import)
        thread.start()
        thread.join(timeout=1)
        assert thread.is_alive(), "the second import must wait for the lock"
        StakeholderFactory(organisation=org, name="Mme Roux")
    thread.join(timeout=10)
    assert outcome["result"] == ["Déjà dans le registre avec le même nom : Mme Roux."]
    assert Stakeholder.objects.filter(organisation=org, name="Mme Roux").count() == 1
