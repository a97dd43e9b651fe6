from datetime import date

import factory
from django.utils import timezone

from faireavec.organisations.tests.factories import OrganisationFactory
from faireavec.stakeholders.models import (
    Category,
    Interaction,
    Stakeholder,
    StakeholderSubcategory,
    StakeholderTag,
)


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stakeholder
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Partie prenante {n}")
    category = Category.BENEFICIARIES
    reviewed_on = factory.LazyFunction(timezone.localdate)


class StakeholderTagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StakeholderTag

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"étiquette {n}")


class StakeholderSubcategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StakeholderSubcategory

    organisation = factory.SubFactory(OrganisationFactory)
    category = Category.PUBLIC_AUTHORITIES
    name = factory.Sequence(lambda n: f"Collectivité {n}")


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    stakeholder = factory.SubFactory(StakeholderFactory)
    kind = Interaction.Kind.MEETING
    occurred_on = factory.LazyFunction(lambda: date.today())
    note = "Rencontre au café."
