"""Demo data: « Satisfaction des usagers » in two waves a year apart, with a
few hundred responses each (a few in small mode), some entered from paper by
the facilitator, satisfaction rising from the first wave to the second.

Idempotent: the first wave is found by its title and wave number.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from faireavec.contributions.models import Channel
from faireavec.core.demo import DemoContext
from faireavec.surveys.models import Answer, Kind, Response, Survey
from faireavec.surveys.selectors import survey_structure
from faireavec.surveys.services import (
    survey_build,
    survey_new_wave,
    survey_set_status,
    tokens_generate,
)
from faireavec.surveys.tallies import answers_store
from faireavec.surveys.templates_fr import SATISFACTION

TITLE = SATISFACTION["survey"]["title"]
IDEAS = [
    "Ouvrir le samedi matin.",
    "Plus de places dans l'atelier numérique.",
    "Un coin pour les enfants pendant l'attente.",
    "Afficher les horaires en gros caractères.",
    "Des fruits et légumes plus souvent à l'épicerie.",
    "Prévenir par SMS quand l'atelier est annulé.",
    "Un café le matin, pour discuter.",
    "Des ateliers cuisine avec les produits de l'épicerie.",
]
COMPLAINTS = [
    "On attend trop longtemps à l'accueil.",
    "Les informations changent sans qu'on soit prévenu.",
    "Personne ne m'a rappelé après ma demande.",
]


def _weighted(rng, values, weights):
    return rng.choices(values, weights=weights, k=1)[0]


def _responses(ctx: DemoContext, survey: Survey, *, count: int, mood: float, start) -> None:
    """`count` responses spread over a month from `start`; `mood` shifts the
    scales up (0: the first wave, 1: better)."""
    rng = ctx.rng
    sections = survey_structure(survey=survey)
    questions = {q.code: q for s in sections for q in s.questions.all()}
    facilitator = ctx.users["facilitator"]
    responses, answers_of = [], []
    for n in range(count):
        paper = n % 6 == 0
        response = Response(
            survey=survey,
            channel=Channel.PAPER if paper else Channel.ONLINE,
            recorded_by=facilitator if paper else None,
            submitted_at=start + timedelta(hours=rng.randint(0, 24 * 30)),
        )
        responses.append(response)
        rows = []
        site = _weighted(rng, ["accueil", "epicerie", "atelier", "other"], [5, 4, 3, 1])
        rows.append(
            Answer(
                question=questions["site"],
                choice=site,
                text="Le jardin partagé" if site == "other" else "",
            )
        )
        rows.append(
            Answer(
                question=questions["frequence"],
                choice=rng.choice(["moins_6_mois", "6_mois_2_ans", "plus_2_ans"]),
            )
        )
        if rng.random() < 0.9:
            rows.append(
                Answer(
                    question=questions["age"],
                    choice=_weighted(rng, ["moins_25", "25_59", "60_plus"], [2, 5, 3]),
                )
            )
        satisfaction = _weighted(
            rng, [1, 2, 3, 4, 5], [2, 4 - 2 * mood, 6 - 2 * mood, 8 + 2 * mood, 5 + 4 * mood]
        )
        rows.append(
            Answer(question=questions["satisfaction_globale"], number=Decimal(satisfaction))
        )
        for item in questions["accueil"].items:
            rows.append(
                Answer(
                    question=questions["accueil"],
                    item=item["value"],
                    number=Decimal(min(5, max(1, satisfaction + rng.choice([-1, 0, 0, 1])))),
                )
            )
        nps = min(10, max(0, satisfaction * 2 + rng.choice([-2, -1, 0, 0, 1]) + round(mood)))
        rows.append(Answer(question=questions["recommandation"], number=Decimal(nps)))
        if satisfaction <= 2:
            rows.append(Answer(question=questions["insatisfaction"], text=rng.choice(COMPLAINTS)))
        if rng.random() < 0.4:
            rows.append(Answer(question=questions["ameliorer"], text=rng.choice(IDEAS)))
        if rng.random() < 0.7:
            rows.append(
                Answer(
                    question=questions["participer"], choice=_weighted(rng, ["yes", "no"], [1, 3])
                )
            )
        answers_of.append(rows)
    Response.objects.bulk_create(responses)
    every = []
    for response, rows in zip(responses, answers_of, strict=True):
        for row in rows:
            row.response = response
        every.extend(rows)
    answers_store(every)


def populate(ctx: DemoContext) -> None:
    organisation = ctx.organisation
    admin = ctx.users["admin"]
    if Survey.objects.filter(organisation=organisation, title=TITLE, wave_number=1).exists():
        return
    now = timezone.now()
    spec = {
        **SATISFACTION,
        "survey": {
            **SATISFACTION["survey"],
            "wave_label": str((now - timedelta(days=365)).year),
            "opens_at": now - timedelta(days=400),
            "closes_at": now - timedelta(days=360),
        },
    }
    first = survey_build(actor=admin, organisation=organisation, spec=spec)
    survey_set_status(actor=admin, survey=first, status=Survey.Status.PUBLISHED)
    count = 6 if ctx.small else 320
    _responses(ctx, first, count=count, mood=0.0, start=now - timedelta(days=398))
    survey_set_status(actor=admin, survey=first, status=Survey.Status.ARCHIVED)

    second = survey_new_wave(
        actor=admin,
        survey=first,
        wave_label=str(now.year),
        opens_at=now - timedelta(days=35),
        closes_at=now + timedelta(days=20),
    )
    survey_set_status(actor=admin, survey=second, status=Survey.Status.PUBLISHED)
    _responses(ctx, second, count=6 if ctx.small else 280, mood=1.0, start=now - timedelta(days=34))

    # A short survey by single-use codes, for the letters and the code page.
    codes = survey_build(
        actor=admin,
        organisation=organisation,
        spec={
            "survey": {
                "title": "Le repas partagé de juin",
                "description": "Trois questions sur le repas partagé. Votre code est sur la lettre.",
                "limit": Survey.Limit.TOKEN,
                "display": Survey.Display.ALL,
            },
            "sections": [
                {
                    "title": "Le repas",
                    "questions": [
                        {
                            "code": "venu",
                            "kind": Kind.YES_NO,
                            "label": "Êtes-vous venu·e au repas ?",
                            "required": True,
                        },
                        {
                            "code": "note",
                            "kind": Kind.SATISFACTION,
                            "label": "Avez-vous aimé le repas ?",
                            "condition": {
                                "combine": "all",
                                "rules": [{"question": "venu", "op": "equals", "value": "yes"}],
                            },
                        },
                        {
                            "code": "idee",
                            "kind": Kind.LONG_TEXT,
                            "label": "Une idée pour le prochain ?",
                        },
                    ],
                }
            ],
        },
    )
    survey_set_status(actor=admin, survey=codes, status=Survey.Status.PUBLISHED)
    tokens_generate(actor=admin, survey=codes, count=5 if ctx.small else 40)
