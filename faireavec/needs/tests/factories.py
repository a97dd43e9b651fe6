import factory

from faireavec.contributions.models import Contribution
from faireavec.needs.models import (
    DiagnosisSection,
    ExistingOffer,
    Need,
    NeedSupport,
    TerritorialDiagnosis,
)
from faireavec.organisations.tests.factories import OrganisationFactory


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Besoin {n}")
    description = "Des habitants n'ont pas accès à ce service."
    people_concerned = "Habitants du quartier"
    territory = "Lille"
    sources = factory.LazyFunction(lambda: ["meeting"])
    coverage = Need.Coverage.NOT_COVERED
    priority = Need.Priority.MEDIUM


class ExistingOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExistingOffer

    need = factory.SubFactory(NeedFactory)
    provider_kind = ExistingOffer.ProviderKind.ASSOCIATION
    provider_name = "Centre social"
    description = "Un atelier par semaine."


class NeedSupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedSupport

    need = factory.SubFactory(NeedFactory)


class TerritorialDiagnosisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TerritorialDiagnosis

    organisation = factory.SubFactory(OrganisationFactory)
    summary = "Un quartier populaire."


class DiagnosisSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiagnosisSection

    diagnosis = factory.SubFactory(TerritorialDiagnosisFactory)
    kind = DiagnosisSection.Kind.ACTORS
    text = "La mairie, le centre social."


class ContributionFactory(factory.django.DjangoModelFactory):
    """A plain idea received online (the contributions app's own rules apply)."""

    class Meta:
        model = Contribution

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Idée {n}")
    body = "Il faudrait un atelier de réparation de vélos."
