"""Demo data: an open opinion map on the organisation's strategic plan, with a
few thousand generated votes that form three groups (a few dozen in small
mode), one statement awaiting moderation, the demo participant's own votes,
and its analysis computed.

The conversation is attached to the current phase of the strategic plan
initiative (`processes.demo.STRATEGIC_PLAN_SLUG`), which allows voting on an
opinion map. Idempotent: the conversation is found by title.
"""

from faireavec.contributions.models import FOLLOW_UP_ALPHABET, FOLLOW_UP_LENGTH
from faireavec.core.demo import DemoContext
from faireavec.opinions import analysis as maths
from faireavec.opinions.models import Conversation, OpinionParticipant, Statement, Vote
from faireavec.opinions.services import analysis_run
from faireavec.processes.demo import STRATEGIC_PLAN_SLUG
from faireavec.processes.models import Phase

TITLE = "Plan stratégique 2027 : où en sommes-nous ?"
QUESTION = (
    "Nous sommes 23 000 adhérents : trop pour nous réunir tous. Dites si vous êtes d'accord "
    "ou non avec ces phrases, une à la fois, et ajoutez les vôtres. La carte montrera ce qui "
    "nous rassemble et ce qui nous partage."
)
STATEMENTS = [
    "Les horaires d'ouverture devraient s'étendre au samedi.",  # agreed by everyone
    "Il faut ouvrir un deuxième lieu dans le quartier nord.",
    "La cotisation devrait dépendre des revenus de chacun.",
    "Les bénévoles devraient avoir une voix au conseil d'administration.",
    "Le numérique doit rester un choix : tout doit pouvoir se faire au guichet.",
    "Nous devrions travailler davantage avec les entreprises du territoire.",
    "Les subventions publiques nous rendent trop dépendants.",
    "L'épicerie solidaire devrait accepter tout le monde, sans condition de revenus.",
    "Il faut embaucher plutôt que compter sur les bénévoles.",
    "Les assemblées générales devraient se tenir en soirée.",
    "Nous devrions proposer plus d'activités pour les jeunes.",
    "Les décisions importantes devraient passer par un vote de tous les adhérents.",
    "Le jardin partagé mérite plus de place et de moyens.",
    "Il faut limiter la voiture autour du tiers-lieu.",
    "Les repas partagés du vendredi doivent rester gratuits.",
    "Nous devrions facturer les salles aux associations extérieures.",
    "La communication devrait se faire aussi sur papier, dans les boîtes aux lettres.",
    "Il faut former les salariés à l'accueil des personnes handicapées.",
    "Le conseil d'administration devrait compter autant de femmes que d'hommes.",
    "Nous devrions ouvrir un atelier de réparation de vélos.",
    "Les adhérents devraient pouvoir proposer un projet et obtenir un budget.",
    "Le café associatif devrait vendre des produits locaux, même plus chers.",
    "La priorité est d'aider les familles les plus pauvres.",
    "Il faut moins de réunions et plus d'actions concrètes.",
]
PENDING_STATEMENT = "Il faudrait une navette pour les personnes âgées du quartier."


def _code(ctx: DemoContext) -> str:
    while True:
        code = "".join(ctx.rng.choice(FOLLOW_UP_ALPHABET) for _ in range(FOLLOW_UP_LENGTH))
        if not OpinionParticipant.objects.filter(code=code).exists():
            return code


def _strategic_plan_phase(organisation) -> Phase | None:
    """The strategic plan's phase that takes votes on an opinion map today."""
    from faireavec.processes.selectors import phases_open_for

    return (
        phases_open_for(organisation=organisation, action="vote_opinion")
        .filter(initiative__slug=STRATEGIC_PLAN_SLUG)
        .first()
    )


def populate(ctx: DemoContext) -> None:
    organisation = ctx.organisation
    if Conversation.objects.filter(organisation=organisation, title=TITLE).exists():
        return
    admin = ctx.users["admin"]
    conversation = Conversation.objects.create(
        organisation=organisation,
        title=TITLE,
        question=QUESTION,
        status=Conversation.Status.OPEN,
        moderation=Conversation.Moderation.PRE,
        allow_statements=True,
        allow_anonymous=True,
        created_by=admin,
        phase=_strategic_plan_phase(organisation),
    )
    n_statements = 10 if ctx.small else len(STATEMENTS)
    statements = Statement.objects.bulk_create(
        [
            Statement(
                conversation=conversation,
                number=i + 1,
                text=text,
                origin=Statement.Origin.SEED,
                status=Statement.Status.ACCEPTED,
                moderated_by=admin,
            )
            for i, text in enumerate(STATEMENTS[:n_statements])
        ]
    )
    n_people = 36 if ctx.small else 420
    p, s, v, _groups = maths.planted_votes(
        n_participants=n_people,
        n_statements=n_statements,
        density=0.8 if ctx.small else 0.4,
        n_groups=3,
        seed=2027,
        consensus_statements=1,
        strength=0.85,
    )
    # The demo's own people take part with their accounts (the participant sees
    # their position on the map); the others are anonymous, with a code.
    named = [ctx.users[k] for k in ("participant", "member", "volunteer") if k in ctx.users]
    participants = OpinionParticipant.objects.bulk_create(
        [
            OpinionParticipant(
                conversation=conversation,
                number=i + 1,
                user=named[i] if i < len(named) else None,
                code=None if i < len(named) else _code(ctx),
            )
            for i in range(n_people)
        ]
    )
    Vote.objects.bulk_create(
        [
            Vote(
                conversation=conversation,
                statement=statements[int(b) - 1],
                voter=participants[int(a) - 1],
                value=int(c),
            )
            for a, b, c in zip(p, s, v, strict=True)
        ],
        batch_size=2000,
    )
    Statement.objects.create(
        conversation=conversation,
        number=n_statements + 1,
        text=PENDING_STATEMENT,
        origin=Statement.Origin.PARTICIPANT,
        status=Statement.Status.PENDING,
        author=participants[-1],
    )
    analysis_run(conversation_id=conversation.pk)
