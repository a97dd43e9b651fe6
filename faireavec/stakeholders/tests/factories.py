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


def import_file_store(organisation, headers: list[str], rows: list[dict[str, str]]) -> str:
    """A table kept in the private storage as an upload waiting for its import
    (what `stakeholder_import_upload` leaves); returns its path there."""
    import secrets

    import tablib
    from django.core.files.base import ContentFile

    from faireavec.core.storage import private_storage

    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        dataset.append([row.get(h, "") for h in headers])
    name = f"imports/{organisation.pk}/{secrets.token_urlsafe(16)}.csv"
    return private_storage().save(name, ContentFile(dataset.export("csv").encode()))
