"""Factories for the meetings tests."""

from datetime import timedelta

import factory
from django.utils import timezone

from faireavec.meetings.models import Kind, Meeting, MeetingRegistration
from faireavec.organisations.tests.factories import OrganisationFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    organisation = factory.SubFactory(OrganisationFactory)
    kind = Kind.WORKSHOP
    title = factory.Sequence(lambda n: f"Atelier {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + timedelta(hours=2))
    place = "Salle des fêtes, 1 place de la Mairie, 69001 Lyon"
    capacity = None


def guest(meeting, n: int, **kwargs) -> MeetingRegistration:
    """A registration without an account, through the service."""
    from faireavec.meetings.services import registration_create

    return registration_create(
        meeting=meeting,
        name=f"Personne {n}",
        email=f"personne{n}@exemple.org",
        consent_text="ok",
        **kwargs,
    )
