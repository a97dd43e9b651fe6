import factory

from faireavec.opinions.models import Conversation, OpinionParticipant, Statement
from faireavec.organisations.tests.factories import OrganisationFactory


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Carte des avis {n}")
    question = "Que pensez-vous de nos projets pour l'an prochain ?"
    status = Conversation.Status.OPEN


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    conversation = factory.SubFactory(ConversationFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Énoncé numéro {n}")
    origin = Statement.Origin.SEED
    status = Statement.Status.ACCEPTED


class OpinionParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpinionParticipant

    conversation = factory.SubFactory(ConversationFactory)
    number = factory.Sequence(lambda n: n + 1)
