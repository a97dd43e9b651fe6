from datetime import timedelta

import factory
from django.utils import timezone

from faireavec.accounts.tests.factories import UserFactory
from faireavec.organisations.models import (
    CharterVersion,
    Invitation,
    Membership,
    Organisation,
    Role,
    Site,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Association {n}")
    slug = factory.Sequence(lambda n: f"asso-{n}")
    legal_form = Organisation.LegalForm.ASSOCIATION
    territory = "Lille"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.PARTICIPANT


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Site {n}")


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PARTICIPANT
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


class CharterVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CharterVersion

    organisation = factory.SubFactory(OrganisationFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Nous vous écoutons et nous vous répondons."
