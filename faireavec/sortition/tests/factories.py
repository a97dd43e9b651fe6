"""Factories and a ready-made pool for the sortition tests."""

from django.utils import timezone

from faireavec.sortition import services
from faireavec.sortition.models import Feature, Pool, Volunteer


def make_pool(*, organisation, actor, size: int = 4, volunteers: int = 12) -> Pool:
    """A pool with two categories (gender, age) and `volunteers` people spread over them."""
    pool = services.pool_create(
        organisation=organisation, actor=actor, title="Panel test", panel_size=size
    )
    gender = services.category_create(pool=pool, actor=actor, name="Genre", values=["F", "H"])
    age = services.category_create(pool=pool, actor=actor, name="Âge", values=["Jeune", "Aîné"])
    g_values, a_values = list(gender.values.all()), list(age.values.all())
    for i in range(volunteers):
        volunteer = Volunteer.objects.create(
            pool=pool,
            name=f"Personne {i:02d}",
            contact=f"p{i}@exemple.org",
            source=Volunteer.Source.FORM,
            consent_at=timezone.now(),
            consent_text="ok",
        )
        Feature.objects.create(volunteer=volunteer, category=gender, value=g_values[i % 2])
        Feature.objects.create(volunteer=volunteer, category=age, value=a_values[(i // 3) % 2])
    half = size // 2
    services.quotas_set(
        pool=pool,
        actor=actor,
        quotas={v.pk: (half, half) for v in g_values} | {v.pk: (1, None) for v in a_values},
    )
    return pool
