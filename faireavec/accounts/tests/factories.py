import factory

from faireavec.accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    display_name = factory.Faker("first_name", locale="fr_FR")
    password = factory.django.Password("motdepasse-solide-42")
