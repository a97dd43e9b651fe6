import pytest

from faireavec.needs.models import DiagnosisSection, Need, NeedContribution, NeedSupport
from faireavec.needs.selectors import (
    contribution_get_for_linking,
    diagnosis_get,
    diagnosis_grouped,
    diagnosis_section_get,
    existing_offer_get,
    need_get,
    needs_of_contribution,
    needs_of_organisation,
    needs_public,
)
from faireavec.needs.services import diagnosis_save
from faireavec.needs.tests.factories import (
    ContributionFactory,
    ExistingOfferFactory,
    NeedFactory,
)

pytestmark = pytest.mark.django_db


def test_the_register_is_scoped_and_sorted_most_urgent_first(org, other_org):
    low = NeedFactory(organisation=org, title="B", priority=Need.Priority.LOW)
    urgent = NeedFactory(organisation=org, title="C", priority=Need.Priority.URGENT)
    medium = NeedFactory(organisation=org, title="A", priority=Need.Priority.MEDIUM)
    NeedFactory(organisation=other_org, priority=Need.Priority.URGENT)
    assert list(needs_of_organisation(organisation=org)) == [urgent, medium, low]


def test_the_register_filters(org):
    covered = NeedFactory(
        organisation=org, coverage=Need.Coverage.COVERED, sources=["survey", "watch"]
    )
    addressed = NeedFactory(organisation=org, status=Need.Status.ADDRESSED, sources=["meeting"])
    urgent = NeedFactory(organisation=org, priority=Need.Priority.URGENT, sources=["diagnosis"])
    assert list(needs_of_organisation(organisation=org, coverage="covered")) == [covered]
    assert list(needs_of_organisation(organisation=org, status="addressed")) == [addressed]
    assert list(needs_of_organisation(organisation=org, priority=4)) == [urgent]
    assert list(needs_of_organisation(organisation=org, source="watch")) == [covered]
    assert list(needs_of_organisation(organisation=org, source="contributions")) == []


def test_counts_of_supports_and_contributions(org, people):
    need = NeedFactory(organisation=org)
    for role in ("participant", "member", "admin"):
        NeedSupport.objects.create(need=need, user=people[role])
    for _ in range(2):
        NeedContribution.objects.create(
            need=need, contribution=ContributionFactory(organisation=org)
        )
    ExistingOfferFactory(need=need)
    found = needs_of_organisation(organisation=org).get()
    assert found.support_count == 3
    assert found.contribution_count == 2


def test_the_register_does_not_query_per_need(org, django_assert_num_queries):
    """Listing needs with their offers and counts takes the same number of queries
    for 2 needs as for 20."""
    for _ in range(20):
        ExistingOfferFactory(need=NeedFactory(organisation=org))
    with django_assert_num_queries(2):
        rows = [
            (n.support_count, len(n.offers.all())) for n in needs_of_organisation(organisation=org)
        ]
    assert len(rows) == 20


def test_public_needs_leave_out_those_kept_within_the_team(org, people):
    shown = NeedFactory(organisation=org, is_public=True)
    NeedFactory(organisation=org, is_public=False)
    NeedSupport.objects.create(need=shown, user=people["participant"])
    found = list(needs_public(organisation=org, user=people["participant"]))
    assert found == [shown]
    assert found[0].supported_by_me is True
    assert needs_public(organisation=org, user=people["member"]).get().supported_by_me is False


def test_public_needs_list_open_needs_first(org):
    addressed = NeedFactory(organisation=org, status=Need.Status.ADDRESSED, priority=4)
    open_need = NeedFactory(organisation=org, status=Need.Status.OPEN, priority=1)
    assert list(needs_public(organisation=org)) == [open_need, addressed]


def test_lookups_by_pk_are_scoped_to_the_organisation(org, other_org):
    """Another organisation's need, offer, section or contribution is not found."""
    foreign_offer = ExistingOfferFactory(need=NeedFactory(organisation=other_org))
    foreign_contribution = ContributionFactory(organisation=other_org)
    diagnosis = diagnosis_save(actor=None, organisation=other_org, summary="", is_public=True)
    foreign_section = diagnosis.sections.first()
    assert need_get(organisation=org, pk=foreign_offer.need.pk) is None
    assert existing_offer_get(organisation=org, pk=foreign_offer.pk) is None
    assert diagnosis_section_get(organisation=org, pk=foreign_section.pk) is None
    assert contribution_get_for_linking(organisation=org, pk=foreign_contribution.pk) is None
    assert diagnosis_get(organisation=org) is None
    assert need_get(organisation=other_org, pk=foreign_offer.need.pk) == foreign_offer.need
    assert existing_offer_get(organisation=other_org, pk=foreign_offer.pk) == foreign_offer
    assert diagnosis_section_get(organisation=other_org, pk=foreign_section.pk) == foreign_section


def test_needs_of_a_contribution(org):
    contribution = ContributionFactory(organisation=org)
    linked = NeedFactory(organisation=org)
    NeedFactory(organisation=org)
    NeedContribution.objects.create(need=linked, contribution=contribution)
    assert list(needs_of_contribution(contribution=contribution)) == [linked]


def test_the_diagnosis_is_grouped_as_the_practice_describes_it(org):
    diagnosis_save(actor=None, organisation=org, summary="", is_public=False)
    groups = diagnosis_grouped(diagnosis=diagnosis_get(organisation=org))
    K = DiagnosisSection.Kind
    assert [[s.kind for s in sections] for _label, sections in groups] == [
        [K.ECONOMIC_RESOURCES, K.TECHNICAL_RESOURCES, K.HUMAN_RESOURCES, K.NATURAL_RESOURCES],
        [K.ACTORS],
        [
            K.CULTURAL_SPECIFICS,
            K.HERITAGE_SPECIFICS,
            K.GEOGRAPHIC_SPECIFICS,
            K.ENVIRONMENTAL_SPECIFICS,
        ],
    ]


def test_needs_for_linking_list_open_needs_first(org, other_org):
    from faireavec.needs.selectors import needs_for_linking

    addressed = NeedFactory(organisation=org, title="A", status=Need.Status.ADDRESSED)
    open_need = NeedFactory(organisation=org, title="B", status=Need.Status.OPEN)
    NeedFactory(organisation=other_org)
    assert list(needs_for_linking(organisation=org)) == [open_need, addressed]
