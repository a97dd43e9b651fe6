"""Demo data: a SCIC with five colleges and a few hundred members (a dozen in small
mode), a board with seats reserved for users, a users' committee (« conseil de la
vie sociale »), last year's assembly closed with its minutes published, and the
coming one convened and open for online votes.

For a non-SCIC organisation (the second demo organisation, an association): one
member, one vote, a few members, a board and an assembly in preparation.

Idempotent: assemblies and bodies are found by name, members by number.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from faireavec.core.demo import DemoContext
from faireavec.governance.models import (
    Assembly,
    BoardQuestion,
    Body,
    College,
    Discussion,
    Election,
    Member,
    Poll,
    Resolution,
    Seat,
    StatuteSettings,
    Voter,
)
from faireavec.governance.selectors import poll_results, statutes_of
from faireavec.governance.services import (
    assembly_close,
    assembly_convene,
    assembly_set_chair,
    ballots_cast,
    board_question_answer,
    board_question_ask,
    discussion_reply,
    discussion_start,
    election_create,
    election_fill,
    mandate_add,
    minutes_publish,
    poll_answer,
    poll_create,
    proxy_give,
)
from faireavec.organisations.models import Organisation

COLLEGES = [
    ("Usagers", Decimal("30"), "Les personnes qui utilisent nos services."),
    ("Salariés", Decimal("25"), "Les salariés de la coopérative."),
    ("Bénévoles", Decimal("15"), "Les bénévoles engagés."),
    ("Partenaires", Decimal("15"), "Associations et entreprises partenaires."),
    ("Collectivités", Decimal("15"), "Communes et intercommunalités."),
]
FIRST_NAMES = [
    "Awa",
    "Bernard",
    "Chloé",
    "Djamel",
    "Élise",
    "Fatou",
    "Gérard",
    "Hélène",
    "Ibrahim",
    "Jeanne",
    "Karim",
    "Léa",
    "Mamadou",
    "Nadia",
    "Olivier",
    "Paulette",
    "Rachid",
    "Sophie",
    "Thierry",
    "Yasmine",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Diallo",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Benali",
    "Fournier",
    "Girard",
    "Nguyen",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Traoré",
]
PAST_TITLE = "Assemblée générale ordinaire 2026"
COMING_TITLE = "Assemblée générale extraordinaire : nouveaux statuts"
RESOLUTIONS_PAST = [
    (
        "Approbation des comptes 2025",
        "L'assemblée approuve les comptes de l'exercice 2025.",
        "simple",
    ),
    ("Affectation du résultat", "Le résultat est affecté aux réserves impartageables.", "simple"),
    (
        "Élection au conseil d'administration",
        "L'assemblée élit les administrateurs proposés.",
        "simple",
    ),
]
RESOLUTIONS_COMING = [
    ("Modification des statuts", "Création d'un sixième collège des habitants.", "two_thirds"),
    ("Transfert du siège", "Le siège est transféré au 12 rue des Lilas.", "two_thirds"),
    ("Budget participatif", "Un budget de 20 000 € est confié au comité des usagers.", "simple"),
]


def populate(ctx: DemoContext) -> None:
    organisation = ctx.organisation
    if organisation.legal_form == Organisation.LegalForm.SCIC:
        _scic(ctx)
    else:
        _association(ctx)


def _member(organisation, number, name, college=None, user=None, joined=None) -> Member:
    member, _created = Member.objects.get_or_create(
        organisation=organisation,
        number=number,
        defaults={
            "name": name,
            "college": college,
            "user": user,
            "joined_on": joined or date(2020, 1, 1),
            "shares": 1,
        },
    )
    return member


def _people(ctx: DemoContext, colleges: list[College]) -> None:
    organisation = ctx.organisation
    roles = [
        ("admin", 1),
        ("facilitator", 1),
        ("member", 0),
        ("participant", 0),
        ("participant2", 0),
        ("volunteer", 2),
    ]
    for i, (role, college_index) in enumerate(roles, start=1):
        user = ctx.users.get(role)
        if user is None or Member.objects.filter(organisation=organisation, user=user).exists():
            continue
        college = colleges[college_index % len(colleges)] if colleges else None
        _member(organisation, f"S{i:05d}", user.get_full_name() or str(user), college, user)
    count = 12 if ctx.small else 300
    rng = ctx.rng
    existing = Member.objects.filter(organisation=organisation).count()
    for i in range(existing + 1, count + 1):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        college = colleges[(i * 7) % len(colleges)] if colleges else None
        _member(
            organisation,
            f"S{i + 100:05d}",
            name,
            college,
            None,
            date(2015, 1, 1) + timedelta(days=rng.randint(0, 3500)),
        )


def _scic(ctx: DemoContext) -> None:
    organisation = ctx.organisation
    admin = ctx.users["admin"]
    StatuteSettings.objects.get_or_create(
        organisation=organisation,
        defaults={
            "voting_mode": StatuteSettings.VotingMode.COLLEGES,
            "proxy_cap": 2,
            "statutes_note": "Articles 14 à 18 des statuts : collèges, quorum et majorités.",
        },
    )
    colleges = []
    for i, (name, weight, description) in enumerate(COLLEGES):
        college, _c = College.objects.get_or_create(
            organisation=organisation,
            name=name,
            defaults={"weight": weight, "description": description, "position": i},
        )
        colleges.append(college)
    _people(ctx, colleges)
    _bodies(ctx, colleges)
    _past_assembly(ctx)
    _coming_assembly(ctx)
    _polls(ctx)
    _member_space(ctx)
    _scic_elections(ctx)
    del admin


def _bodies(ctx: DemoContext, colleges) -> None:
    organisation = ctx.organisation
    admin = ctx.users["admin"]
    board, created = Body.objects.get_or_create(
        organisation=organisation,
        name="Conseil d'administration",
        defaults={
            "kind": Body.Kind.BOARD,
            "description": "Neuf sièges, dont deux réservés aux usagers.",
            "mandate_months": 36,
        },
    )
    if created:
        seats = [
            ("Présidence", Seat.Reserved.NONE, None),
            ("Siège usager 1", Seat.Reserved.USERS, None),
            ("Siège usager 2", Seat.Reserved.USERS, None),
            ("Siège des salariés", Seat.Reserved.COLLEGE, colleges[1]),
        ]
        for i, (label, reserved, college) in enumerate(seats):
            Seat.objects.create(
                body=board, label=label, reserved_for=reserved, college=college, position=i
            )
        members = list(Member.objects.filter(organisation=organisation).order_by("number"))
        users_college = [m for m in members if m.college_id == colleges[0].pk]
        staff = [m for m in members if m.college_id == colleges[1].pk]
        start = timezone.localdate() - timedelta(days=3 * 365 - 60)  # ends within two months
        plan = [
            (members[0], False),
            (users_college[0], True),
            (users_college[1], True),
            (staff[-1], False),
        ]
        for seat, (member, is_user) in zip(board.seats.all(), plan, strict=True):
            mandate_add(actor=admin, seat=seat, member=member, starts_on=start, is_user=is_user)
    cvs, created = Body.objects.get_or_create(
        organisation=organisation,
        name="Conseil de la vie sociale",
        defaults={
            "kind": Body.Kind.SOCIAL_LIFE_COUNCIL,
            "description": "Le comité des usagers : avis sur le fonctionnement des services.",
            "mandate_months": 24,
        },
    )
    if created:
        for i in range(3):
            Seat.objects.create(
                body=cvs,
                label=f"Représentant des usagers {i + 1}",
                reserved_for=Seat.Reserved.USERS,
                position=i,
            )
        Seat.objects.create(body=cvs, label="Représentant des familles", position=3)
        users_members = Member.objects.filter(
            organisation=organisation, college=colleges[0]
        ).order_by("number")
        for seat, member in zip(
            cvs.seats.filter(reserved_for=Seat.Reserved.USERS), users_members[2:5], strict=False
        ):
            mandate_add(
                actor=admin,
                seat=seat,
                member=member,
                starts_on=timezone.localdate() - timedelta(days=100),
                is_user=True,
            )


def _resolutions(assembly, items) -> None:
    for i, (title, text, majority) in enumerate(items, start=1):
        Resolution.objects.get_or_create(
            assembly=assembly,
            number=i,
            defaults={"title": title, "text": text, "majority": majority},
        )


def _past_assembly(ctx: DemoContext) -> None:
    organisation = ctx.organisation
    admin = ctx.users["admin"]
    if Assembly.objects.filter(organisation=organisation, title=PAST_TITLE).exists():
        return
    session = timezone.now() - timedelta(days=60)
    assembly = Assembly.objects.create(
        organisation=organisation,
        title=PAST_TITLE,
        kind=Assembly.Kind.ORDINARY,
        mode=Assembly.Mode.HYBRID,
        session_at=session,
        place="Salle des fêtes, 3 place du Marché",
        secretary="Jeanne Leroy",
        scrutineers="Karim Benali, Sophie Girard",
        description="Comptes 2025, affectation du résultat, élection au conseil.",
    )
    _resolutions(assembly, RESOLUTIONS_PAST)
    assembly = assembly_convene(actor=admin, assembly=assembly, now=session - timedelta(days=20))
    voters = list(assembly.voters.select_related("member").order_by("member__number"))
    admin_voter = next(v for v in voters if v.member.user_id == admin.pk)
    assembly_set_chair(actor=admin, assembly=assembly, voter=admin_voter)
    assembly.refresh_from_db()
    rng = ctx.rng
    resolutions = list(assembly.resolutions.all())
    holders = [v for v in voters if v.pk != admin_voter.pk]
    # Two proxies, then most members vote.
    if len(holders) > 4:
        proxy_give(actor=admin, assembly=assembly, giver=holders[-1], holder=holders[0])
        proxy_give(actor=admin, assembly=assembly, giver=holders[-2], holder=None, to_chair=True)
    for voter in voters:
        if voter.pk in {holders[-1].pk, holders[-2].pk} or rng.random() < 0.15:
            continue
        choices = {
            r.pk: rng.choices(["for", "against", "abstain"], weights=[7, 2, 1])[0]
            for r in resolutions
        }
        channel = "online" if rng.random() < 0.6 else "in_person"
        ballots_cast(
            assembly=assembly, voter=voter, choices=choices, channel=channel, recorded_by=admin
        )
    for represented, acted in ((holders[-1], holders[0]), (holders[-2], admin_voter)):
        ballots_cast(
            assembly=assembly,
            voter=represented,
            acted_by=acted,
            choices={r.pk: "for" for r in resolutions},
            channel="proxy",
        )
    assembly_close(actor=admin, assembly=assembly)
    minutes_publish(
        actor=admin,
        assembly=assembly,
        note="Les comptes ont été présentés par la trésorière. Questions sur le budget des ateliers.",
    )


def _coming_assembly(ctx: DemoContext) -> None:
    organisation = ctx.organisation
    admin = ctx.users["admin"]
    if Assembly.objects.filter(organisation=organisation, title=COMING_TITLE).exists():
        return
    assembly = Assembly.objects.create(
        organisation=organisation,
        title=COMING_TITLE,
        kind=Assembly.Kind.EXTRAORDINARY,
        mode=Assembly.Mode.HYBRID,
        session_at=timezone.now() + timedelta(days=21),
        place="Tiers-lieu, 12 rue des Lilas",
        description="Vote en ligne ouvert jusqu'à la clôture de la séance.",
    )
    _resolutions(assembly, RESOLUTIONS_COMING)
    assembly = assembly_convene(actor=admin, assembly=assembly)
    # A few early online votes (not the demo people: they can try voting).
    users = {u.pk for u in ctx.users.values() if u is not None}
    resolutions = list(assembly.resolutions.all())
    early = (
        Voter.objects.filter(assembly=assembly)
        .exclude(member__user_id__in=users)
        .order_by("member__number")
    )
    for voter in early[: 3 if ctx.small else 40]:
        ballots_cast(
            assembly=assembly,
            voter=voter,
            choices={r.pk: "for" for r in resolutions},
            channel="online",
        )


def _association(ctx: DemoContext) -> None:
    organisation = ctx.organisation
    admin = ctx.users["admin"]
    statutes_of(organisation=organisation)
    # One member, one vote: a single college holding every member.
    members_college, _created = College.objects.get_or_create(
        organisation=organisation, name="Adhérents", defaults={"weight": 100}
    )
    _people(ctx, [members_college])
    board, created = Body.objects.get_or_create(
        organisation=organisation,
        name="Bureau de l'association",
        defaults={"kind": Body.Kind.BOARD, "mandate_months": 24},
    )
    if created:
        Seat.objects.create(body=board, label="Présidence")
    if not Assembly.objects.filter(organisation=organisation).exists():
        assembly = Assembly.objects.create(
            organisation=organisation,
            title="Assemblée générale annuelle",
            kind=Assembly.Kind.ORDINARY,
            session_at=timezone.now() + timedelta(days=45),
            place="Local de l'épicerie",
        )
        _resolutions(assembly, RESOLUTIONS_PAST[:1])
    _polls(ctx)
    _member_space(ctx)
    _closed_election(ctx, board, list(board.seats.all()))
    del admin


POLL_CLOSED = (
    "Quel nom pour le tiers-lieu ?",
    "Le futur lieu ouvrira au printemps ; les sociétaires choisissent son nom.",
    ["La Fabrique", "Le Grenier", "L'Escale", "La Passerelle"],
)
POLL_OPEN = (
    "Quels ateliers proposer cet hiver ?",
    "Cochez tous les ateliers auxquels vous aimeriez participer.",
    ["Cuisine de saison", "Réparation de vélos", "Couture", "Informatique pour débuter"],
)
# Demo grades for the closed poll, one row per person (best 5 … 0 to reject).
POLL_GRADES = [
    [4, 3, 5, 2],
    [5, 2, 4, 1],
    [3, 4, 4, 0],
    [4, 1, 3, 3],
    [2, 4, 4, 2],
    [4, 3, 2, 1],
]


def _polls(ctx: DemoContext) -> None:
    """A closed consultation of the members (majority judgment) with its result, and
    an open one for every participant (approval)."""
    organisation = ctx.organisation
    admin = ctx.users["admin"]
    now = timezone.now()
    title, description, options = POLL_CLOSED
    if not Poll.objects.filter(organisation=organisation, title=title).exists():
        opens = now - timedelta(days=40)
        poll = poll_create(
            actor=admin,
            poll=Poll(
                organisation=organisation,
                title=title,
                description=description,
                method=Poll.Method.MAJORITY_JUDGMENT,
                audience=Poll.Audience.MEMBERS,
                opens_at=opens,
                closes_at=now - timedelta(days=10),
            ),
            options=options,
        )
        keys = [o.pk for o in poll.options.all()]
        people = [u for u in ctx.users.values() if u is not None]
        for user, grades in zip(people, POLL_GRADES, strict=False):
            poll_answer(
                poll=poll,
                user=user,
                marks=dict(zip(keys, grades, strict=True)),
                now=opens + timedelta(days=1),
            )
    title, description, options = POLL_OPEN
    if not Poll.objects.filter(organisation=organisation, title=title).exists():
        poll = poll_create(
            actor=admin,
            poll=Poll(
                organisation=organisation,
                title=title,
                description=description,
                method=Poll.Method.APPROVAL,
                audience=Poll.Audience.PARTICIPANTS,
                opens_at=now - timedelta(days=3),
                closes_at=now + timedelta(days=25),
            ),
            options=options,
        )
        first = poll.options.first()
        facilitator = ctx.users.get("facilitator")
        if facilitator is not None:
            poll_answer(poll=poll, user=facilitator, marks={first.pk: 1})


def _member_space(ctx: DemoContext) -> None:
    """A discussion with replies; questions to the board: one answered in public, one
    late (asked long ago, never answered), one just asked."""
    organisation = ctx.organisation
    admin = ctx.users["admin"]
    member = ctx.users.get("member") or admin
    volunteer = ctx.users.get("volunteer") or admin
    participant = ctx.users.get("participant") or member
    now = timezone.now()
    title = "Covoiturage pour venir à l'assemblée"
    if not Discussion.objects.filter(organisation=organisation, title=title).exists():
        discussion = discussion_start(
            author=member,
            organisation=organisation,
            title=title,
            body="Qui vient de loin ? Organisons-nous pour partager les trajets.",
        )
        discussion_reply(
            author=volunteer,
            discussion=discussion,
            body="Je pars de la gare à 17 h avec trois places.",
        )
        discussion_reply(
            author=participant, discussion=discussion, body="Merci, je prends une place !"
        )
    title = "Quand seront publiés les comptes de l'année ?"
    if not BoardQuestion.objects.filter(organisation=organisation, title=title).exists():
        question = board_question_ask(
            author=member,
            organisation=organisation,
            title=title,
            body="Je voudrais les lire avant l'assemblée.",
            now=now - timedelta(days=20),
        )
        board_question_answer(
            actor=admin,
            question=question,
            answer="Ils seront en ligne dans l'espace sociétaires quinze jours avant l'assemblée.",
            now=now - timedelta(days=15),
        )
    title = "Pourquoi le prix des paniers a-t-il augmenté ?"
    if not BoardQuestion.objects.filter(organisation=organisation, title=title).exists():
        board_question_ask(
            author=participant,
            organisation=organisation,
            title=title,
            body="Le panier est passé de 12 à 14 euros en septembre.",
            now=now - timedelta(days=60),
        )
    title = "Peut-on proposer une résolution à l'assemblée ?"
    if not BoardQuestion.objects.filter(organisation=organisation, title=title).exists():
        board_question_ask(author=volunteer, organisation=organisation, title=title, body="")


def _closed_election(ctx: DemoContext, body: Body, seats: list[Seat]) -> None:
    """An election closed a month ago whose winner's mandate fills the seat."""
    organisation = ctx.organisation
    if Election.objects.filter(body=body).exists() or not seats:
        return
    seat = next((s for s in seats if not s.mandates.exists()), None)
    if seat is None:
        return
    now = timezone.now()
    people = [u for u in ctx.users.values() if u is not None]
    members = list(
        Member.objects.filter(organisation=organisation, status=Member.Status.ACTIVE).filter(
            college=seat.college
        )
        if seat.college_id
        else Member.objects.filter(organisation=organisation, status=Member.Status.ACTIVE)
    )[:2]
    if len(members) < 2:
        return
    opens = now - timedelta(days=45)
    election = election_create(
        actor=ctx.users["admin"],
        body=body,
        seats=[seat],
        candidates=[(m, seat.reserved_for == Seat.Reserved.USERS) for m in members],
        opens_at=opens,
        closes_at=now - timedelta(days=30),
        mandates_start_on=timezone.localdate() - timedelta(days=29),
    )
    first, second = election.poll.options.all()
    for i, user in enumerate(people):
        poll_answer(
            poll=election.poll,
            user=user,
            marks={(second if i % 3 == 2 else first).pk: 1},
            now=opens + timedelta(days=1),
        )
    election_fill(
        actor=ctx.users["admin"], election=election, result=poll_results(poll=election.poll)
    )


def _scic_elections(ctx: DemoContext) -> None:
    """The board's two user seats, whose mandates end within two months, are up for
    election now; the family representative of the social life council was elected."""
    organisation = ctx.organisation
    board = Body.objects.get(organisation=organisation, name="Conseil d'administration")
    if not Election.objects.filter(body=board).exists():
        seats = list(board.seats.filter(reserved_for=Seat.Reserved.USERS))
        ends = max(
            (m.ends_on for s in seats for m in s.mandates.all()), default=timezone.localdate()
        )
        users_college = College.objects.get(organisation=organisation, name="Usagers")
        candidates = Member.objects.filter(
            organisation=organisation, college=users_college, status=Member.Status.ACTIVE
        ).order_by("number")[:3]
        now = timezone.now()
        election_create(
            actor=ctx.users["admin"],
            body=board,
            seats=seats,
            candidates=[(m, True) for m in candidates],
            opens_at=now - timedelta(days=2),
            closes_at=now + timedelta(days=20),
            mandates_start_on=ends,
        )
    cvs = Body.objects.get(organisation=organisation, name="Conseil de la vie sociale")
    _closed_election(ctx, cvs, list(cvs.seats.filter(reserved_for=Seat.Reserved.NONE)))
