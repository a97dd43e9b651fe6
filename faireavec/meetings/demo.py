"""Demo data: an open forum with a filled board, a monthly pow-wow series (the
last one held, with its attendance and minutes), and assembly workshops in the
strategic plan's consultation phase, one of them full with a waiting list and a
seat offered.

The open forum comes first so that it is the organisation's first meeting.
Idempotent: nothing is made when the pow-wow series exists already.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from faireavec.core.demo import DemoContext
from faireavec.meetings import services
from faireavec.meetings.models import Kind, MeetingSeries
from faireavec.organisations.models import Site
from faireavec.processes.models import Initiative
from faireavec.processes.selectors import phase_current

SERIES_TITLE = "Pow-wow du mois"
STRATEGIC_PLAN_SLUG = "plan-strategique-2027-2030"
TOPICS = [
    ("Un jardin partagé derrière le local", "Samia"),
    ("Ouvrir l'épicerie le samedi", "Jean-Marc"),
    ("Aider les aînés avec les démarches en ligne", "Samia"),
    ("Une navette pour les habitants des hameaux", "Lucie"),
    ("Réparer plutôt que jeter : un atelier vélo", "Océane"),
]
GUESTS = [
    ("Fatou Diallo", "fatou.diallo@exemple.org", ""),
    ("Gérard Martin", "", "06 12 34 56 78"),
    ("Inès Roux", "ines.roux@exemple.org", ""),
    ("Paul Lefèvre", "paul.lefevre@exemple.org", ""),
    ("Yasmina Haddad", "", "07 98 76 54 32"),
    ("Marc Petit", "marc.petit@exemple.org", ""),
]


def _at(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(
        hours=hour, minutes=minute
    )


def _guest(meeting, n: int, actor=None):
    name, email, phone = GUESTS[n % len(GUESTS)]
    return services.registration_create(
        meeting=meeting,
        name=name,
        email=email,
        phone=phone,
        consent_text="J'accepte que l'organisation garde mon nom et mon contact pour cette réunion.",
        actor=actor,
    )


def _open_forum(ctx: DemoContext, *, site, today) -> None:
    facilitator = ctx.users["facilitator"]
    day = today + timedelta(days=21)
    forum = services.meeting_create(
        organisation=ctx.organisation,
        actor=facilitator,
        kind=Kind.OPEN_FORUM,
        title="Forum ouvert : notre quartier dans dix ans",
        description="Vous apportez les sujets. Chacun propose un sujet qu'il veut animer, "
        "chacun rejoint les sessions qui l'intéressent.",
        starts_at=_at(day, 9),
        ends_at=_at(day, 13),
        site=site,
        place="" if site else "Salle polyvalente",
        offers_step_free=True,
        offers_childcare=True,
        capacity=60,
        board_freezes_at=_at(day, 9, 45),
    )
    rooms = [
        services.room_add(actor=facilitator, meeting=forum, name=name, seats=seats)
        for name, seats in (("Grande salle", 30), ("Salle du jardin", 12), ("Bureau 2", 2))
    ]
    slots = [
        services.slot_add(
            actor=facilitator, meeting=forum, starts_at=_at(day, h, 0), ends_at=_at(day, h + 1)
        )
        for h in (10, 11)
    ]
    topics = []
    for title, host in TOPICS[: 3 if ctx.small else len(TOPICS)]:
        topics.append(services.topic_propose(meeting=forum, title=title, host_name=host))
    supporters = [u for u in ctx.users.values()]
    for index, topic in enumerate(topics):
        for user in supporters[: max(1, len(supporters) - index)]:
            services.topic_support(topic=topic, user=user)
    # Samia hosts two topics at 10:00 and the third room is too small: the board warns.
    services.topic_place(actor=facilitator, topic=topics[0], room=rooms[0], slot=slots[0])
    services.topic_place(actor=facilitator, topic=topics[1], room=rooms[2], slot=slots[1])
    services.topic_place(actor=facilitator, topic=topics[2], room=rooms[1], slot=slots[0])
    services.topic_notes_set(
        actor=facilitator,
        topic=topics[0],
        notes="Douze personnes. Un terrain possible derrière le local ; la mairie à contacter.",
    )
    services.meeting_contribution_record(
        actor=facilitator,
        meeting=forum,
        topic=topics[0],
        kind="idea",
        title="Un jardin partagé",
        body="Demander à la mairie le terrain derrière le local pour un jardin partagé.",
    )
    for n in range(2 if ctx.small else 5):
        _guest(forum, n)


def _pow_wows(ctx: DemoContext, *, site, today) -> None:
    facilitator = ctx.users["facilitator"]
    # The series starts three months ago: the earlier ones are held, the others to come.
    first = today.replace(day=1) - timedelta(days=80)
    first = first.replace(day=1)
    first += timedelta(days=(1 - first.weekday()) % 7)  # the first Tuesday
    series = services.series_create(
        organisation=ctx.organisation,
        actor=facilitator,
        frequency=MeetingSeries.Frequency.MONTHLY,
        count=5 if ctx.small else 9,
        kind=Kind.POW_WOW,
        title=SERIES_TITLE,
        description="Une fois par mois, une agora ouverte à toutes et tous : ce qui va, ce qui "
        "ne va pas, ce que l'on pourrait faire ensemble. Café offert.",
        starts_at=_at(first, 18),
        ends_at=_at(first, 20),
        site=site,
        place="" if site else "Local de l'association",
        online_url="https://visio.exemple.org/pow-wow",
        offers_step_free=True,
        offers_hearing_loop=True,
        capacity=25,
    )
    meetings = list(series.meetings.order_by("starts_at"))
    now = timezone.now()
    held = [m for m in meetings if m.ends_at <= now]
    if held:
        last = held[-1]
        people = [
            services.registration_create(meeting=last, user=ctx.users[key], actor=facilitator)
            for key in ("member", "participant")
            if key in ctx.users
        ]
        people.append(_guest(last, 0, actor=facilitator))
        services.attendance_record(
            actor=facilitator, meeting=last, attended_ids={p.pk for p in people[:2]}
        )
        services.minutes_set(
            actor=facilitator,
            meeting=last,
            minutes="Quinze personnes présentes.\n\nSujets : l'attente à l'accueil le lundi, "
            "les horaires de l'épicerie, l'idée d'un jardin partagé.\n\nSuites : l'accueil "
            "ouvrira à 8 h 30 le lundi à partir du mois prochain.",
            published=True,
        )
    upcoming = [m for m in meetings if m.ends_at > now]
    if upcoming:
        next_one = upcoming[0]
        if "participant2" in ctx.users:
            services.registration_create(meeting=next_one, user=ctx.users["participant2"])
        for n in range(1, 3):
            _guest(next_one, n)


def _workshops(ctx: DemoContext, *, site, today) -> None:
    facilitator = ctx.users["facilitator"]
    plan = Initiative.objects.filter(
        organisation=ctx.organisation, slug=STRATEGIC_PLAN_SLUG
    ).first()
    phase = phase_current(initiative=plan) if plan else None
    for index, (title, capacity) in enumerate(
        (("Atelier d'assemblée : nos priorités", 3), ("Atelier d'assemblée : nos lieux", 15))
    ):
        day = today + timedelta(days=10 + 7 * index)
        workshop = services.meeting_create(
            organisation=ctx.organisation,
            actor=facilitator,
            kind=Kind.ASSEMBLY_WORKSHOP,
            title=title,
            description="Pendant l'assemblée générale, en petits groupes, nous travaillons "
            "le plan stratégique 2027-2030.",
            starts_at=_at(day, 14),
            ends_at=_at(day, 16),
            site=site,
            place="" if site else "Salle polyvalente",
            offers_sign_language=index == 0,
            offers_transport_help=True,
            capacity=capacity,
            phase=phase,
        )
        if index == 0:
            # Full, with a waiting list; one person cancelled, so the first waiting
            # person is offered the seat.
            registrations = [_guest(workshop, n) for n in range(6)]
            services.registration_cancel(registration=registrations[1])


def populate(ctx: DemoContext) -> None:
    organisation = ctx.organisation
    if MeetingSeries.objects.filter(organisation=organisation, title=SERIES_TITLE).exists():
        return
    today = timezone.localdate()
    site = Site.objects.filter(organisation=organisation).order_by("pk").first()
    _open_forum(ctx, site=site, today=today)
    _pow_wows(ctx, site=site, today=today)
    _workshops(ctx, site=site, today=today)
