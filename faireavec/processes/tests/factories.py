from datetime import date

import factory

from faireavec.organisations.tests.factories import OrganisationFactory
from faireavec.processes.models import Initiative, Phase


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Démarche {n}")
    slug = factory.Sequence(lambda n: f"demarche-{n}")
    purpose = "Mieux répondre aux besoins des habitants."
    question = "Que faut-il changer ?"
    decided_with_participants = "Les horaires."
    decided_by_organisation = "Le budget."
    follow_up_promise = "Un compte rendu publié ici."
    status = Initiative.Status.PUBLISHED


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    initiative = factory.SubFactory(InitiativeFactory)
    title = factory.Sequence(lambda n: f"Phase {n}")
    position = factory.Sequence(lambda n: n + 1)
    starts_on = date(2026, 3, 1)
    ends_on = date(2026, 3, 31)
