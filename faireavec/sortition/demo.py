"""Demo data: the strategic plan's panel — 30 members drawn from 400 volunteers, with quotas
on college, age, territory and gender, and one replacement.

The volunteers are first the member register's active members (taken from the register,
their « Collège » their college; governance's demo has 300), who confirmed their consent —
except the demo « member » account's, still « to be confirmed » so its consent page has
something to show — then people who volunteered through the public form or on paper.

Idempotent: the pool is found by title. Small mode (tests): 40 volunteers, a panel of 6,
still one of every model behind a URL (pool, draw, volunteers, a replacement).
"""

from django.utils import timezone

from faireavec.core.demo import DemoContext
from faireavec.governance.models import Member
from faireavec.sortition import services
from faireavec.sortition.forms import CONSENT_TEXT
from faireavec.sortition.models import Draw, Feature, Pool, Value, Volunteer

POOL_TITLE = "Panel de sociétaires pour le plan stratégique"
SEED = "Loto du 28 novembre 2026 : 4 11 19 32 45 — 7"

FIRST = [
    "Aïcha",
    "Bernard",
    "Chloé",
    "Damien",
    "Élodie",
    "Farid",
    "Gisèle",
    "Hugo",
    "Inès",
    "Jules",
    "Karima",
    "Louis",
    "Maëlle",
    "Nassim",
    "Odile",
    "Pierre",
    "Rania",
    "Sacha",
    "Thérèse",
    "Yanis",
]
LAST = [
    "Martin",
    "Bernard",
    "Diallo",
    "Petit",
    "Nguyen",
    "Moreau",
    "Haddad",
    "Laurent",
    "Lefèvre",
    "Traoré",
    "Roux",
    "Fontaine",
    "Mercier",
    "Benali",
    "Girard",
    "Da Silva",
]

CATEGORIES = [
    ("Collège", [("Usagers", 0.55), ("Salariés", 0.2), ("Bénévoles", 0.15), ("Partenaires", 0.1)]),
    ("Âge", [("Moins de 30 ans", 0.2), ("30 à 59 ans", 0.5), ("60 ans et plus", 0.3)]),
    ("Quartier", [("Centre", 0.4), ("Les Hauts", 0.35), ("Communes voisines", 0.25)]),
    ("Genre", [("Femme", 0.52), ("Homme", 0.46), ("Autre ou ne se prononce pas", 0.02)]),
]


def populate(ctx: DemoContext) -> None:
    organisation = ctx.organisation
    if Pool.objects.filter(organisation=organisation, title=POOL_TITLE).exists():
        return
    facilitator = ctx.users["facilitator"]
    rng = ctx.rng
    size, pool_size = (6, 40) if ctx.small else (30, 400)
    phase = None
    try:
        from faireavec.processes.models import Phase

        phase = (
            Phase.objects.filter(initiative__organisation=organisation, allows_join_panel=True)
            .order_by("initiative__created_at", "position")
            .first()
        )
    except ImportError:  # pragma: no cover
        phase = None
    pool = services.pool_create(
        organisation=organisation,
        actor=facilitator,
        title=POOL_TITLE,
        panel_size=size,
        description="Trente sociétaires tirés au sort parmi les volontaires feront la synthèse "
        "de la consultation et la présenteront à l'assemblée générale.",
        phase=phase,
    )
    values: dict[str, list[tuple[Value, float]]] = {}
    for name, options in CATEGORIES:
        category = services.category_create(
            pool=pool, actor=facilitator, name=name, values=[label for label, _ in options]
        )
        by_label = {v.label: v for v in category.values.all()}
        values[name] = [(by_label[label], share) for label, share in options]
    # the pool over-represents older people and the centre, as volunteer pools do
    skew = {"60 ans et plus": 1.5, "Moins de 30 ans": 0.6, "Centre": 1.3}
    now = timezone.now()
    members = list(
        Member.objects.filter(organisation=organisation, status=Member.Status.ACTIVE)
        .select_related("college")
        .order_by("number")[:pool_size]
    )
    pending_user = ctx.users.get("member")
    volunteers = []
    chosen_features = []
    for i in range(pool_size):
        member = members[i] if i < len(members) else None
        if member is not None:
            pending = pending_user is not None and member.user_id == pending_user.pk
            volunteer = Volunteer(
                pool=pool,
                name=member.name,
                contact=member.email or f"sociétaire n° {member.number}",
                source=Volunteer.Source.MEMBER,
                member=member,
                user=member.user,
                consent_at=None if pending else now,
                consent_text="" if pending else str(CONSENT_TEXT),
            )
        else:
            volunteer = Volunteer(
                pool=pool,
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)} ({i + 1})",
                contact=f"volontaire{i + 1}@exemple.org",
                source=Volunteer.Source.FORM if i % 4 else Volunteer.Source.ASSISTED,
                consent_at=now,
                consent_text=str(CONSENT_TEXT),
            )
        volunteers.append(volunteer)
        features = [
            rng.choices([v for v, _ in opts], [s * skew.get(v.label, 1.0) for v, s in opts])[0]
            for opts in values.values()
        ]
        college = member.college.name if member is not None and member.college else None
        by_label = {v.label: v for v, _share in values["Collège"]}
        if college in by_label:  # the register says which college they are in
            features[0] = by_label[college]
        chosen_features.append(features)
    Volunteer.objects.bulk_create(volunteers)
    saved = list(Volunteer.objects.filter(pool=pool).order_by("pk"))
    Feature.objects.bulk_create(
        [
            Feature(volunteer=volunteer, category_id=value.category_id, value=value)
            for volunteer, features in zip(saved, chosen_features, strict=True)
            for value in features
        ]
    )
    # quotas in proportion to the membership (the shares above), one more or less allowed
    figures = {v.pk: share * 1000 for opts in values.values() for v, share in opts}
    services.quotas_set(
        pool=pool,
        actor=facilitator,
        quotas={
            pk: (lo, hi)
            for pk, (lo, hi) in services.quotas_proposed(pool=pool, figures=figures).items()
        },
    )
    draw = Draw(
        pool=pool,
        seed=SEED,
        seed_source="Annoncé au conseil d'administration du 20 novembre 2026 : les numéros du "
        "Loto du samedi 28 novembre, dans l'ordre du tirage.",
        requested_by=facilitator,
    )
    draw.full_clean()
    draw.save()
    draw = services.draw_compute(draw=draw)
    if draw.status == Draw.Status.DONE:
        leaving = draw.members.order_by("volunteer__name").first().volunteer
        services.replacement_record(
            draw=draw,
            actor=facilitator,
            leaving=leaving,
            reason="A déménagé et ne peut plus venir aux séances.",
        )
