"""Demo contributions: a year of ideas, complaints and testimonies at La Fabrique
du Coin, in every status, with answers, supports, comments, a report and some
overdue complaints (the needs demo links needs to them).

Rows are written in bulk with their real dates (a year back), so the statuses,
deadlines and history agree with each other as if the services had run.
"""

from datetime import timedelta

from django.utils import timezone

from faireavec.contributions.models import (
    ANSWER_STATUSES,
    Channel,
    Comment,
    Contribution,
    HistoryEntry,
    Kind,
    Report,
    Severity,
    Status,
    Support,
    new_follow_up_code,
)
from faireavec.core.demo import DemoContext
from faireavec.organisations.models import Site

IDEAS = [
    (
        "Plus de bancs dans le jardin",
        "Les personnes âgées n'ont pas où s'asseoir en attendant l'épicerie.",
    ),
    ("Ouvrir le café le dimanche matin", "Le dimanche, il n'y a rien d'ouvert dans le quartier."),
    (
        "Un atelier de réparation de vélos",
        "Beaucoup de jeunes ont un vélo cassé et ne savent pas le réparer.",
    ),
    ("Des menus en gros caractères", "Je n'arrive pas à lire le tableau du café."),
    ("Un coin pour les enfants", "Quand je viens avec mes enfants, ils s'ennuient."),
    ("Une permanence administrative", "Aide pour remplir les papiers de la CAF et de la mairie."),
    (
        "Des cours de cuisine avec les produits de l'épicerie",
        "Pour apprendre à cuisiner les légumes qu'on ne connaît pas.",
    ),
    ("Un panneau avec les horaires à l'extérieur", "On ne sait jamais quand c'est ouvert."),
    ("Un troc de vêtements", "Échanger les vêtements trop petits des enfants."),
    ("Prêter des outils", "Une perceuse ou une échelle, on n'en a besoin qu'une fois par an."),
]
COMPLAINTS = [
    (
        "Attente trop longue à l'épicerie",
        "J'ai attendu plus d'une heure dehors sous la pluie mercredi.",
    ),
    (
        "Rampe d'accès absente",
        "La rampe n'était pas là et je n'ai pas pu entrer avec mon fauteuil.",
    ),
    ("Produits périmés en rayon", "J'ai acheté des yaourts dont la date était passée."),
    (
        "Accueil désagréable au téléphone",
        "On m'a raccroché au nez quand j'ai appelé pour un rendez-vous.",
    ),
    ("Toilettes fermées", "Les toilettes du café étaient fermées toute la journée."),
    ("Permanence annulée sans prévenir", "Le camion n'est pas venu jeudi et personne n'a prévenu."),
    ("Bruit le soir", "Les ateliers du soir font beaucoup de bruit pour les voisins."),
    ("Prix affichés différents en caisse", "Le prix en caisse n'était pas celui de l'étiquette."),
]
TESTIMONIES = [
    (
        "Merci pour l'atelier couture",
        "Grâce à l'atelier, j'ai refait les rideaux de toute la maison.",
    ),
    ("Je me sens moins seule", "Le café m'a permis de rencontrer des voisines."),
    ("Une équipe patiente", "On m'a expliqué trois fois, sans jamais s'énerver."),
    (
        "Mon premier travail",
        "Le bénévolat à l'épicerie m'a donné confiance pour chercher un emploi.",
    ),
    (
        "Dommage pour les horaires",
        "J'aime beaucoup venir, mais je travaille aux heures d'ouverture.",
    ),
]
ANSWERS = {
    Status.ACCEPTED: "Bonne idée : nous allons la mettre en place. Nous vous tiendrons au courant.",
    Status.DECLINED: "Nous ne pouvons pas le faire cette année : le budget ne le permet pas. Nous en reparlerons à l'assemblée de juin.",
    Status.ANSWERED: "Nous avons vérifié et nous nous excusons. Voici ce que nous changeons.",
}
OUTCOMES = [
    "C'est fait depuis le mois dernier. Merci de l'avoir proposé !",
    "Installé avec l'aide des bénévoles du samedi.",
    "Mis en place à l'essai pour trois mois.",
]
COMMENTS = [
    "Très bonne idée, je suis pour !",
    "Je pourrais aider le samedi si besoin.",
    "Attention au coût, mais ça vaut le coup.",
]

IDEA_PATHS = [
    [],
    [Status.UNDER_STUDY],
    [Status.UNDER_STUDY, Status.ACCEPTED],
    [Status.UNDER_STUDY, Status.ACCEPTED, Status.DONE],
    [Status.ACCEPTED, Status.DONE],
    [Status.UNDER_STUDY, Status.DECLINED],
]
COMPLAINT_PATHS = [
    [],
    [Status.ACKNOWLEDGED],
    [Status.ACKNOWLEDGED, Status.INVESTIGATING],
    [Status.ACKNOWLEDGED, Status.ANSWERED],
    [Status.ACKNOWLEDGED, Status.INVESTIGATING, Status.ANSWERED, Status.CLOSED],
    [Status.ANSWERED, Status.CLOSED],
]
TESTIMONY_PATHS = [[], [Status.ANSWERED], [Status.ANSWERED, Status.CLOSED]]
PATHS = {Kind.IDEA: IDEA_PATHS, Kind.COMPLAINT: COMPLAINT_PATHS, Kind.TESTIMONY: TESTIMONY_PATHS}
TEXTS = {Kind.IDEA: IDEAS, Kind.COMPLAINT: COMPLAINTS, Kind.TESTIMONY: TESTIMONIES}


def _plan(ctx: DemoContext) -> list[dict]:
    """What to create: kind, age in days, status path, and whether an overdue complaint."""
    rng = ctx.rng
    plans = []
    if ctx.small:
        plans += [
            {"kind": Kind.IDEA, "age": 60, "path": IDEA_PATHS[3], "public": True},
            {"kind": Kind.IDEA, "age": 20, "path": IDEA_PATHS[1], "public": True},
            {"kind": Kind.IDEA, "age": 40, "path": IDEA_PATHS[5], "public": False},
            {"kind": Kind.COMPLAINT, "age": 50, "path": [], "public": False},
            {"kind": Kind.COMPLAINT, "age": 45, "path": [Status.ACKNOWLEDGED], "public": False},
            {"kind": Kind.COMPLAINT, "age": 30, "path": COMPLAINT_PATHS[4], "public": False},
            {"kind": Kind.TESTIMONY, "age": 10, "path": TESTIMONY_PATHS[1], "public": False},
            {"kind": Kind.COMPLAINT, "age": 2, "path": [], "public": False},
        ]
        return plans
    for _ in range(320):
        kind = rng.choices([Kind.IDEA, Kind.COMPLAINT, Kind.TESTIMONY], weights=[50, 30, 20])[0]
        age = rng.randint(0, 365)
        paths = PATHS[kind]
        # Older contributions went further; recent ones are often still open.
        reach = len(paths) if age > 45 else max(2, len(paths) // 2)
        path = paths[rng.randrange(reach)] if age > 3 else []
        if kind == Kind.COMPLAINT and age > 40 and len(path) < 3 and rng.random() < 0.85:
            # Old open complaints are answered late: keep the overdue ones on purpose below.
            path = COMPLAINT_PATHS[rng.choice([3, 4, 5])]
        plans.append(
            {
                "kind": kind,
                "age": age,
                "path": path,
                "public": kind == Kind.IDEA and rng.random() < 0.5,
            }
        )
    # Overdue complaints: still open well past their deadline.
    for i in range(16):
        plans.append(
            {
                "kind": Kind.COMPLAINT,
                "age": 35 + 6 * i,
                "path": [[], [Status.ACKNOWLEDGED], [Status.ACKNOWLEDGED, Status.INVESTIGATING]][
                    i % 3
                ],
                "public": False,
            }
        )
    return plans


def populate(ctx: DemoContext) -> None:
    organisation = ctx.organisation
    if Contribution.objects.filter(organisation=organisation).exists():
        return
    rng = ctx.rng
    now = timezone.now()
    users = ctx.users
    sites = list(Site.objects.filter(organisation=organisation).order_by("pk"))
    authors = [users["participant"], users["participant2"], users["member"]]
    facilitator = users["facilitator"]
    contributions, histories = [], []
    for plan in _plan(ctx):
        kind = plan["kind"]
        title, body = rng.choice(TEXTS[kind])
        created = now - timedelta(days=plan["age"], hours=rng.randint(0, 20))
        c = Contribution(
            organisation=organisation,
            kind=kind,
            title=title,
            body=body,
            site=rng.choice([*sites, None]) if sites else None,
            follow_up_code=new_follow_up_code(),
            is_public=plan["public"],
        )
        who = rng.random()
        if who < 0.3:
            c.author = rng.choice(authors)
            c.show_author_name = rng.random() < 0.4
        elif who < 0.45:
            c.channel = rng.choice([Channel.PAPER, Channel.PHONE, Channel.IN_PERSON])
            c.recorded_by = facilitator
            if rng.random() < 0.5:
                c.contact_name = rng.choice(["Mme Lefebvre", "M. Diallo", "Mme Nguyen"])
                c.contact_details = "06 12 34 56 78"
                c.contact_consent = True
        if kind == Kind.COMPLAINT:
            c.severity = rng.choice(Severity.values)
            c.acknowledge_due = created + timedelta(days=organisation.complaint_acknowledge_days)
            c.answer_due = created + timedelta(days=organisation.complaint_answer_days)
        steps = [
            (
                created,
                HistoryEntry.Event.CREATED,
                "",
                Status.RECEIVED,
                "",  # as contribution_create: the platform's words, read in the reader's language
            )
        ]
        when, previous = created, Status.RECEIVED
        for status in plan["path"]:
            # Complaints in the overdue list stay late; others move on in days.
            when = min(when + timedelta(days=rng.randint(1, 12), hours=rng.randint(1, 8)), now)
            message = ANSWERS.get(status, "")
            if status == Status.DONE:
                message = rng.choice(OUTCOMES)
                c.outcome = message
            elif status in ANSWERS:
                c.answer = message
            elif status == Status.ACKNOWLEDGED:
                message = (
                    "Nous avons bien noté votre réclamation et nous regardons ce qui s'est passé."
                )
            steps.append((when, HistoryEntry.Event.STATUS, previous, status, message))
            if c.first_response_at is None:
                c.first_response_at = when
                c.first_response_seconds = int((when - created).total_seconds())
            if status in ANSWER_STATUSES and c.answered_at is None:
                c.answered_at = when
            previous = status
        c.status = previous
        c.status_changed_at = when if plan["path"] else None
        c.full_clean(exclude=["follow_up_code"])
        contributions.append((c, created, steps))
    Contribution.objects.bulk_create([c for c, _, _ in contributions])
    for c, created, steps in contributions:
        c.created_at = created
        for when, event, from_status, to_status, message in steps:
            histories.append(
                HistoryEntry(
                    contribution=c,
                    event=event,
                    from_status=from_status,
                    to_status=to_status,
                    message=message,
                    actor=facilitator if event != HistoryEntry.Event.CREATED else c.author,
                    created_at=when,
                )
            )
    Contribution.objects.bulk_update([c for c, _, _ in contributions], ["created_at"])
    created_entries = HistoryEntry.objects.bulk_create(histories)
    for entry, original in zip(created_entries, histories, strict=True):
        entry.created_at = original.created_at
    HistoryEntry.objects.bulk_update(created_entries, ["created_at"])

    public = [c for c, _, _ in contributions if c.is_public]
    supporters = [users[k] for k in ("participant", "participant2", "member", "volunteer", "admin")]
    supports, comments = [], []
    for c in public:
        chosen = rng.sample(supporters, rng.randint(0, len(supporters)))
        supports += [Support(contribution=c, user=u) for u in chosen]
        c.support_count = len(chosen)
    Support.objects.bulk_create(supports)
    Contribution.objects.bulk_update(public, ["support_count"])
    for c in public[: 3 if ctx.small else 40]:
        for text in rng.sample(COMMENTS, 2 if ctx.small else rng.randint(1, 3)):
            comments.append(Comment(contribution=c, author=rng.choice(supporters), body=text))
    Comment.objects.bulk_create(comments)
    if comments:
        Report.objects.create(
            contribution=comments[0].contribution,
            comment=comments[0],
            reporter=users["participant2"],
            reason="Ce commentaire n'a pas sa place ici.",
        )
