"""Factories of the governance app, and `scic_with_assembly`, a convened assembly
of a SCIC with three colleges ready for votes."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from faireavec.governance.models import Assembly, College, Member, Resolution, StatuteSettings
from faireavec.organisations.models import Organisation
from faireavec.organisations.tests.factories import OrganisationFactory


class CollegeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = College

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Collège {n}")
    weight = Decimal("20")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    organisation = factory.SubFactory(OrganisationFactory)
    number = factory.Sequence(lambda n: f"S{n:05d}")
    name = factory.Sequence(lambda n: f"Sociétaire {n}")
    shares = 1


class AssemblyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assembly

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Assemblée générale {n}")
    session_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


class ResolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resolution

    assembly = factory.SubFactory(AssemblyFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Résolution {n}")
    text = "L'assemblée approuve les comptes."


def scic(*, organisation=None, weights=("40", "35", "25"), members_per_college=(3, 3, 3)):
    """A SCIC with colleges of these weights and members in each."""
    organisation = organisation or OrganisationFactory(legal_form=Organisation.LegalForm.SCIC)
    if organisation.legal_form != Organisation.LegalForm.SCIC:
        Organisation.objects.filter(pk=organisation.pk).update(
            legal_form=Organisation.LegalForm.SCIC
        )
        organisation.legal_form = Organisation.LegalForm.SCIC
    StatuteSettings.objects.get_or_create(
        organisation=organisation, defaults={"voting_mode": StatuteSettings.VotingMode.COLLEGES}
    )
    colleges = []
    members = []
    for i, (weight, n) in enumerate(zip(weights, members_per_college, strict=True)):
        college = College.objects.filter(organisation=organisation, name=f"Collège {i + 1}").first()
        if college is not None:
            colleges.append(college)
            continue
        college = CollegeFactory(
            organisation=organisation, weight=Decimal(weight), name=f"Collège {i + 1}", position=i
        )
        colleges.append(college)
        members += [MemberFactory(organisation=organisation, college=college) for _ in range(n)]
    return organisation, colleges, members


def convened_assembly(*, organisation=None, resolutions=2, actor=None, **kwargs):
    """A SCIC's assembly convened (votes open), with its resolutions."""
    from faireavec.governance.services import assembly_convene

    organisation, colleges, members = scic(organisation=organisation, **kwargs)
    assembly = AssemblyFactory(organisation=organisation)
    for i in range(resolutions):
        ResolutionFactory(assembly=assembly, number=i + 1)
    assembly = assembly_convene(actor=actor, assembly=assembly)
    return assembly, colleges, members
