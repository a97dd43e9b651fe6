import factory

from faireavec.core.models import BackgroundJob
from faireavec.organisations.tests.factories import OrganisationFactory


class BackgroundJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BackgroundJob

    organisation = factory.SubFactory(OrganisationFactory)
    label = factory.Sequence(lambda n: f"Import du registre n°{n}")
    total = 10
