import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from faireavec.core.models import AuditEntry, Notification
from faireavec.needs.models import (
    DiagnosisSection,
    ExistingOffer,
    Need,
    NeedContribution,
    NeedSupport,
    TerritorialDiagnosis,
)
from faireavec.needs.services import (
    diagnosis_save,
    diagnosis_section_update,
    existing_offer_add,
    existing_offer_delete,
    existing_offer_update,
    need_create,
    need_create_from_contribution,
    need_delete,
    need_link_contribution,
    need_support,
    need_support_withdraw,
    need_unlink_contribution,
    need_update,
)
from faireavec.needs.tests.factories import (
    ContributionFactory,
    ExistingOfferFactory,
    NeedFactory,
)

pytestmark = pytest.mark.django_db

NEED_DATA = {
    "title": "Se faire aider pour les démarches en ligne",
    "description": "Personne n'aide le samedi.",
    "people_concerned": "Personnes âgées",
    "territory": "Wazemmes",
    "sources": ["contributions", "meeting"],
    "coverage": Need.Coverage.POORLY_COVERED,
    "gap": "Rien le samedi.",
    "priority": Need.Priority.URGENT,
    "status": Need.Status.OPEN,
    "is_public": True,
}


def test_need_create_stores_the_need_and_audits_it(org, people):
    """A facilitator's new need belongs to the organisation, with who created it, in the audit log."""
    need = need_create(actor=people["facilitator"], organisation=org, data=NEED_DATA)
    need.refresh_from_db()
    assert need.organisation == org
    assert need.created_by == people["facilitator"]
    assert need.sources == ["contributions", "meeting"]
    assert need.priority == Need.Priority.URGENT
    assert AuditEntry.objects.filter(
        organisation=org, action="need.create", target_id=str(need.pk)
    ).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sources": ["watch", "gossip"]}, "sources"),
        ({"sources": ["watch", "watch"]}, "sources"),
        ({"sources": "watch"}, "sources"),
        ({"title": ""}, "title"),
        ({"coverage": "half"}, "coverage"),
        ({"priority": 9}, "priority"),
    ],
)
def test_need_create_refuses_bad_input_without_writing(org, people, change, field):
    """Unknown or repeated sources, an empty title, an unknown coverage or
    priority: a ValidationError on that field and no row written."""
    with pytest.raises(ValidationError) as excinfo:
        need_create(actor=people["facilitator"], organisation=org, data={**NEED_DATA, **change})
    assert field in excinfo.value.message_dict
    assert not Need.objects.exists()
    assert not AuditEntry.objects.filter(action="need.create").exists()


def test_need_update_records_the_changed_fields(org, people):
    need = NeedFactory(organisation=org, coverage=Need.Coverage.NOT_COVERED)
    need_update(
        actor=people["facilitator"],
        need=need,
        data={"coverage": Need.Coverage.COVERED, "status": Need.Status.ADDRESSED},
    )
    need.refresh_from_db()
    assert need.coverage == Need.Coverage.COVERED
    assert need.status == Need.Status.ADDRESSED
    entry = AuditEntry.objects.get(action="need.update")
    assert entry.details == {"fields": ["coverage", "status"]}


def test_need_update_refuses_unknown_fields(org, people):
    """Only the need's own fields can be set through the service (no organisation swap)."""
    need = NeedFactory(organisation=org)
    with pytest.raises(ValueError, match="Unknown fields"):
        need_update(actor=people["facilitator"], need=need, data={"organisation": org})


def test_need_delete_removes_its_offers_supports_and_links(org, people):
    need = NeedFactory(organisation=org)
    ExistingOfferFactory(need=need)
    NeedSupport.objects.create(need=need, user=people["participant"])
    NeedContribution.objects.create(need=need, contribution=ContributionFactory(organisation=org))
    need_delete(actor=people["facilitator"], need=need)
    assert not Need.objects.exists()
    assert not ExistingOffer.objects.exists()
    assert not NeedSupport.objects.exists()
    assert not NeedContribution.objects.exists()
    assert AuditEntry.objects.filter(action="need.delete").exists()


def test_existing_offers_are_added_changed_and_deleted(org, people):
    need = NeedFactory(organisation=org)
    offer = existing_offer_add(
        actor=people["facilitator"],
        need=need,
        data={
            "provider_kind": ExistingOffer.ProviderKind.LOCAL_GOVERNMENT,
            "provider_name": "Mairie",
            "description": "Permanence le lundi.",
        },
    )
    assert list(need.offers.all()) == [offer]
    existing_offer_update(
        actor=people["facilitator"], offer=offer, data={"description": "Lundi et jeudi."}
    )
    offer.refresh_from_db()
    assert offer.description == "Lundi et jeudi."
    existing_offer_delete(actor=people["facilitator"], offer=offer)
    assert not ExistingOffer.objects.exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"need.offer_add", "need.offer_update", "need.offer_delete"} <= actions


def test_existing_offer_needs_a_known_provider_and_a_description(org, people):
    need = NeedFactory(organisation=org)
    with pytest.raises(ValidationError) as excinfo:
        existing_offer_add(
            actor=people["facilitator"],
            need=need,
            data={"provider_kind": "martians", "provider_name": "", "description": ""},
        )
    assert set(excinfo.value.message_dict) >= {"provider_kind", "description"}
    assert not ExistingOffer.objects.exists()


def test_support_is_one_per_person(org, people):
    """Supporting twice leaves one support; the second call says it was not created."""
    need = NeedFactory(organisation=org)
    _support, created = need_support(user=people["participant"], need=need)
    assert created
    _again, created_again = need_support(user=people["participant"], need=need)
    assert not created_again
    assert NeedSupport.objects.filter(need=need).count() == 1


def test_the_database_refuses_a_second_support_by_the_same_person(org, people):
    need = NeedFactory(organisation=org)
    NeedSupport.objects.create(need=need, user=people["member"])
    with pytest.raises(IntegrityError), transaction.atomic():
        NeedSupport.objects.create(need=need, user=people["member"])


def test_support_is_refused_to_people_outside_the_organisation(org, people):
    need = NeedFactory(organisation=org)
    with pytest.raises(ValidationError, match="Seules les personnes"):
        need_support(user=people["other_admin"], need=need)
    assert not NeedSupport.objects.exists()


def test_an_addressed_need_takes_no_more_supports(org, people):
    need = NeedFactory(organisation=org, status=Need.Status.ADDRESSED)
    with pytest.raises(ValidationError):
        need_support(user=people["participant"], need=need)
    assert not NeedSupport.objects.exists()


def test_withdrawing_a_support(org, people):
    need = NeedFactory(organisation=org)
    need_support(user=people["participant"], need=need)
    assert need_support_withdraw(user=people["participant"], need=need) is True
    assert need_support_withdraw(user=people["participant"], need=need) is False
    assert not NeedSupport.objects.exists()


def test_linking_a_contribution_adds_the_source_and_tells_its_author(org, people):
    """The link is made once, « contributions » joins the sources, and the author
    is notified that what they said helped identify a public need."""
    need = NeedFactory(organisation=org, sources=["meeting"], is_public=True)
    contribution = ContributionFactory(organisation=org, author=people["participant"])
    link = need_link_contribution(actor=people["facilitator"], need=need, contribution=contribution)
    again = need_link_contribution(
        actor=people["facilitator"], need=need, contribution=contribution
    )
    assert again == link
    assert NeedContribution.objects.count() == 1
    need.refresh_from_db()
    assert need.sources == ["meeting", "contributions"]
    notification = Notification.objects.get(recipient=people["participant"])
    assert need.title in notification.title
    assert notification.url == need.get_public_url()
    assert AuditEntry.objects.filter(action="need.link_contribution").count() == 1


def test_the_author_is_told_in_their_language(org, people):
    """An English-speaking author reads the news in English, whatever the facilitator's language."""
    author = people["participant"]
    author.language = "en"
    author.save(update_fields=["language"])
    need = NeedFactory(organisation=org, is_public=True, title="Garde d'enfants")
    contribution = ContributionFactory(organisation=org, author=author, title="Crèche")
    with translation.override("fr"):
        need_link_contribution(actor=people["facilitator"], need=need, contribution=contribution)
    notification = Notification.objects.get(recipient=author)
    assert notification.title == "What you said helped us identify a need: Garde d'enfants"
    assert notification.body == (
        "« Crèche » is now linked to the need « Garde d'enfants » in our register."
    )


def test_linking_to_a_need_kept_within_the_team_tells_nobody(org, people):
    need = NeedFactory(organisation=org, is_public=False)
    contribution = ContributionFactory(organisation=org, author=people["participant"])
    need_link_contribution(actor=people["facilitator"], need=need, contribution=contribution)
    assert not Notification.objects.exists()


def test_a_contribution_of_another_organisation_is_refused(org, other_org, people):
    need = NeedFactory(organisation=org)
    foreign = ContributionFactory(organisation=other_org)
    with pytest.raises(ValidationError, match="autre organisation"):
        need_link_contribution(actor=people["facilitator"], need=need, contribution=foreign)
    assert not NeedContribution.objects.exists()


def test_creating_a_need_from_a_contribution_links_them(org, people):
    contribution = ContributionFactory(organisation=org)
    data = {k: v for k, v in NEED_DATA.items() if k != "status"}
    data["sources"] = ["survey"]
    need = need_create_from_contribution(
        actor=people["facilitator"], contribution=contribution, data=data
    )
    assert need.organisation == org
    assert list(need.contributions.all()) == [contribution]
    assert need.sources == ["survey", "contributions"]


def test_creating_a_need_from_a_contribution_writes_nothing_on_bad_input(org, people):
    contribution = ContributionFactory(organisation=org)
    with pytest.raises(ValidationError):
        need_create_from_contribution(
            actor=people["facilitator"], contribution=contribution, data={"title": ""}
        )
    assert not Need.objects.exists()
    assert not NeedContribution.objects.exists()


def test_unlinking_a_contribution(org, people):
    need = NeedFactory(organisation=org)
    contribution = ContributionFactory(organisation=org)
    need_link_contribution(actor=people["facilitator"], need=need, contribution=contribution)
    assert need_unlink_contribution(
        actor=people["facilitator"], need=need, contribution=contribution
    )
    assert not need_unlink_contribution(
        actor=people["facilitator"], need=need, contribution=contribution
    )
    assert not NeedContribution.objects.exists()


def test_diagnosis_save_creates_the_nine_sections_once(org, people):
    diagnosis = diagnosis_save(
        actor=people["facilitator"], organisation=org, summary="Un quartier.", is_public=False
    )
    assert diagnosis.sections.count() == 9
    assert set(diagnosis.sections.values_list("kind", flat=True)) == set(
        DiagnosisSection.Kind.values
    )
    again = diagnosis_save(
        actor=people["admin"], organisation=org, summary="Un quartier vivant.", is_public=True
    )
    assert again.pk == diagnosis.pk
    assert TerritorialDiagnosis.objects.count() == 1
    assert DiagnosisSection.objects.count() == 9
    again.refresh_from_db()
    assert again.summary == "Un quartier vivant."
    assert again.is_public
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["diagnosis.create", "diagnosis.update"]


def test_a_diagnosis_section_keeps_its_sources_and_date(org, people):
    import datetime

    diagnosis = diagnosis_save(
        actor=people["facilitator"], organisation=org, summary="", is_public=False
    )
    section = diagnosis.sections.get(kind=DiagnosisSection.Kind.ACTORS)
    diagnosis_section_update(
        actor=people["facilitator"],
        section=section,
        text="La mairie, le centre social.",
        sources="Cartographie 2026",
        as_of=datetime.date(2026, 2, 1),
    )
    section.refresh_from_db()
    assert section.is_filled
    assert section.sources == "Cartographie 2026"
    assert section.as_of == datetime.date(2026, 2, 1)


def test_the_database_refuses_a_second_section_of_the_same_kind(org, people):
    diagnosis = diagnosis_save(
        actor=people["facilitator"], organisation=org, summary="", is_public=False
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        DiagnosisSection.objects.create(diagnosis=diagnosis, kind=DiagnosisSection.Kind.ACTORS)
