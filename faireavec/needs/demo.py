"""Demo data: a dozen needs of the tiers-lieu's district, their existing offers,
supports, links to the demo contributions, a filled territorial diagnosis and a
watch log.

Idempotent: needs and watch entries are found by title, the diagnosis by
organisation. In small mode (tests), a few needs only, but one of every model
behind a URL.
"""

from datetime import date

from django.core.files.base import ContentFile

from faireavec.contributions.models import Contribution
from faireavec.core.demo import DemoContext
from faireavec.needs.models import (
    DiagnosisSection,
    ExistingOffer,
    Need,
    NeedContribution,
    NeedSupport,
    Source,
    TerritorialDiagnosis,
    WatchEntry,
)

C = Need.Coverage
P = Need.Priority
K = ExistingOffer.ProviderKind

# title, description, people concerned, sources, coverage, gap, priority, status,
# offers [(kind, name, description)], supporters, keywords to find revealing contributions
NEEDS = [
    (
        "Se faire aider pour les démarches en ligne",
        "Beaucoup de personnes n'arrivent pas à faire seules leurs démarches sur internet : CAF, "
        "impôts, retraite, prise de rendez-vous médicaux.",
        "Personnes âgées, personnes qui lisent mal le français, familles sans ordinateur.",
        [Source.CONTRIBUTIONS, Source.MEETING, Source.DIAGNOSIS],
        C.POORLY_COVERED,
        "La maison France Services est loin et saturée ; personne n'aide le samedi ni en "
        "dehors des heures de bureau.",
        P.URGENT,
        Need.Status.OPEN,
        [
            (
                K.LOCAL_GOVERNMENT,
                "France Services de la mairie de quartier",
                "Deux conseillers, sur rendez-vous, du lundi au vendredi.",
            ),
            (
                K.ASSOCIATION,
                "Centre social Arc-en-ciel",
                "Un atelier numérique le mardi matin, 8 places.",
            ),
        ],
        ["participant", "participant2", "member"],
        ["papiers", "numérique", "internet", "démarche"],
    ),
    (
        "Manger sain avec un petit budget",
        "Des familles nous disent qu'elles n'arrivent plus à acheter des fruits et légumes frais.",
        "Familles monoparentales, étudiants, personnes au RSA.",
        [Source.CONTRIBUTIONS, Source.SURVEY],
        C.POORLY_COVERED,
        "Les colis alimentaires contiennent peu de produits frais ; l'épicerie solidaire n'ouvre "
        "que deux après-midi.",
        P.HIGH,
        Need.Status.OPEN,
        [
            (
                K.ASSOCIATION,
                "Restos du cœur",
                "Distribution hebdomadaire, sur inscription, l'hiver surtout.",
            ),
            (
                K.COMPANY,
                "Supermarché de la place",
                "Invendus donnés à deux associations, sans fruits et légumes.",
            ),
        ],
        ["participant", "participant2"],
        ["légume", "cuisiner", "manger", "alimentaire"],
    ),
    (
        "Garder les enfants pendant les ateliers",
        "Des parents ne peuvent pas venir aux ateliers ni aux réunions faute de garde.",
        "Parents de jeunes enfants, surtout les mères seules.",
        [Source.MEETING, Source.CONTRIBUTIONS],
        C.NOT_COVERED,
        "Aucune garde ponctuelle dans le quartier le soir ni le samedi.",
        P.HIGH,
        Need.Status.OPEN,
        [(K.HOUSEHOLDS, "Voisins et familles", "Entraide informelle, selon les disponibilités.")],
        ["participant2"],
        ["enfant", "garde"],
    ),
    (
        "Réparer plutôt que jeter",
        "Les habitants veulent faire réparer leurs appareils et leurs vélos sans se ruiner.",
        "Tous les habitants du quartier.",
        [Source.WATCH, Source.CONTRIBUTIONS],
        C.POORLY_COVERED,
        "Le repair café n'a lieu qu'une fois par mois et ne traite pas les vélos.",
        P.MEDIUM,
        Need.Status.OPEN,
        [
            (K.ASSOCIATION, "Repair café de Wazemmes", "Un samedi par mois, petits appareils."),
            (K.COMPANY, "Réparateurs du marché", "Réparation payante de téléphones."),
        ],
        ["participant", "member"],
        ["répar", "vélo", "outil"],
    ),
    (
        "Rompre l'isolement des personnes âgées",
        "Des personnes âgées vivent seules et sortent peu, surtout l'hiver.",
        "Personnes de plus de 70 ans vivant seules.",
        [Source.DIAGNOSIS, Source.WATCH],
        C.POORLY_COVERED,
        "Les visites de bénévoles ne touchent qu'une vingtaine de personnes.",
        P.HIGH,
        Need.Status.OPEN,
        [
            (
                K.LOCAL_GOVERNMENT,
                "CCAS de Lille",
                "Plan canicule et grand froid, appels réguliers.",
            ),
            (K.ASSOCIATION, "Petits Frères des Pauvres", "Visites à domicile par des bénévoles."),
        ],
        ["member"],
        ["isol", "âgées", "seule", "bancs"],
    ),
    (
        "Un lieu calme pour faire les devoirs",
        "Des collégiens n'ont pas d'endroit calme chez eux pour travailler.",
        "Collégiens et lycéens de familles logées à l'étroit.",
        [Source.SURVEY],
        C.POORLY_COVERED,
        "La médiathèque ferme à 18 h et l'aide aux devoirs est complète.",
        P.MEDIUM,
        Need.Status.OPEN,
        [
            (
                K.LOCAL_GOVERNMENT,
                "Médiathèque Jean-Lévy",
                "Salle de travail jusqu'à 18 h en semaine.",
            )
        ],
        ["participant2"],
        ["devoir", "calme", "étud"],
    ),
    (
        "Se déplacer quand on est en fauteuil",
        "Les trottoirs étroits et les marches empêchent certaines personnes de venir jusqu'à nous.",
        "Personnes en fauteuil, parents avec poussette, personnes âgées.",
        [Source.CONTRIBUTIONS],
        C.NOT_COVERED,
        "Personne ne recense les obstacles ; la ville traite les signalements un par un.",
        P.MEDIUM,
        Need.Status.OPEN,
        [],
        ["participant"],
        ["fauteuil", "accessib", "rampe"],
    ),
    (
        "Apprendre le français à l'oral",
        "Des habitants arrivés récemment veulent pratiquer le français de tous les jours.",
        "Personnes arrivées en France depuis moins de cinq ans.",
        [Source.MEETING],
        C.POORLY_COVERED,
        "Les cours existants ont une longue liste d'attente et peu de créneaux le soir.",
        P.MEDIUM,
        Need.Status.OPEN,
        [
            (
                K.ASSOCIATION,
                "Cours de français du centre social",
                "Deux groupes, le matin, liste d'attente de six mois.",
            )
        ],
        [],
        ["français", "langue", "lire"],
    ),
    (
        "Des horaires d'ouverture le samedi",
        "Les personnes qui travaillent en semaine ne peuvent pas venir au café ni à l'atelier.",
        "Salariés, intérimaires, parents qui travaillent.",
        [Source.CONTRIBUTIONS, Source.SURVEY],
        C.COVERED,
        "Couvert depuis l'ouverture du samedi matin, à évaluer dans six mois.",
        P.LOW,
        Need.Status.ADDRESSED,
        [(K.ASSOCIATION, "La Fabrique du Coin", "Ouverture le samedi de 9 h à 13 h depuis mars.")],
        ["participant", "participant2"],
        ["horaires", "dimanche", "ouvert"],
    ),
    (
        "Se chauffer sans se ruiner",
        "Des ménages ont froid chez eux et n'osent plus allumer le chauffage.",
        "Locataires de logements mal isolés, ménages modestes.",
        [Source.WATCH, Source.DIAGNOSIS],
        C.POORLY_COVERED,
        "Les aides existent mais sont mal connues et difficiles à demander.",
        P.HIGH,
        Need.Status.OPEN,
        [
            (
                K.LOCAL_GOVERNMENT,
                "Maison de l'habitat durable",
                "Conseils gratuits sur rendez-vous.",
            ),
            (K.COMPANY, "Fournisseur d'énergie", "Chèque énergie et échéancier de paiement."),
        ],
        ["member"],
        ["chauffage", "froid", "énergie"],
    ),
    (
        "Trouver un emploi près de chez soi",
        "Des habitants cherchent un emploi mais ne connaissent pas les entreprises du quartier.",
        "Demandeurs d'emploi, jeunes de 18 à 25 ans.",
        [Source.DIAGNOSIS],
        C.POORLY_COVERED,
        "Peu de liens entre les entreprises du quartier et ses habitants.",
        P.MEDIUM,
        Need.Status.OPEN,
        [
            (
                K.LOCAL_GOVERNMENT,
                "France Travail",
                "Accompagnement individuel, agence centre-ville.",
            ),
            (K.ASSOCIATION, "Mission locale", "Accompagnement des 16-25 ans."),
        ],
        [],
        ["emploi", "travail"],
    ),
    (
        "Des espaces verts à cultiver",
        "Des habitants voudraient jardiner mais n'ont ni jardin ni balcon.",
        "Habitants des immeubles du quartier.",
        [Source.CONTRIBUTIONS, Source.MEETING],
        C.NOT_COVERED,
        "Les jardins familiaux ont plusieurs années d'attente.",
        P.LOW,
        Need.Status.OPEN,
        [
            (
                K.LOCAL_GOVERNMENT,
                "Jardins familiaux de la ville",
                "Parcelles attribuées sur liste d'attente.",
            )
        ],
        ["participant"],
        ["jardin", "vert", "plante"],
    ),
]

SECTIONS = {
    DiagnosisSection.Kind.ECONOMIC_RESOURCES: (
        "Quartier populaire et commerçant : le marché de Wazemmes fait vivre une centaine "
        "d'étals. Taux de pauvreté de 38 %, deux fois la moyenne de la métropole. Beaucoup de "
        "petits commerces, peu d'emplois qualifiés.",
        "INSEE, recensement 2021 ; observatoire de la Ville de Lille.",
        date(2025, 11, 15),
    ),
    DiagnosisSection.Kind.TECHNICAL_RESOURCES: (
        "Un atelier partagé équipé (bois, couture, petite électronique), une cuisine aux normes "
        "au café, un camion aménagé pour la permanence mobile. Fibre optique dans tout le quartier.",
        "Inventaire de la Fabrique, janvier 2026.",
        date(2026, 1, 10),
    ),
    DiagnosisSection.Kind.HUMAN_RESOURCES: (
        "Six salariés, une quarantaine de bénévoles réguliers, des habitants aux savoir-faire "
        "nombreux (couture, mécanique, cuisine du monde). Beaucoup de langues parlées.",
        "Registre des bénévoles ; pow-wow « Vos talents » d'octobre.",
        date(2025, 10, 20),
    ),
    DiagnosisSection.Kind.NATURAL_RESOURCES: (
        "Peu d'espaces verts : le parc Jean-Baptiste Lebas est à 15 minutes à pied. Deux friches "
        "pourraient accueillir un jardin partagé.",
        "Plan local d'urbanisme ; repérage avec les habitants.",
        date(2025, 9, 5),
    ),
    DiagnosisSection.Kind.ACTORS: (
        "Mairie de quartier et CCAS, centre social Arc-en-ciel, médiathèque, deux collèges, "
        "Restos du cœur, repair café, commerçants du marché, bailleur social Lille Habitat.",
        "Cartographie des parties prenantes de la Fabrique.",
        date(2026, 2, 1),
    ),
    DiagnosisSection.Kind.CULTURAL_SPECIFICS: (
        "Quartier très mélangé, forte vie associative, fête du marché chaque printemps. Les "
        "habitants se retrouvent au marché le dimanche matin.",
        "Entretiens avec les habitants ; agenda culturel de la ville.",
        date(2025, 12, 1),
    ),
    DiagnosisSection.Kind.HERITAGE_SPECIFICS: (
        "Halles de Wazemmes (fin XIXe siècle), anciennes filatures transformées en logements et "
        "en lieux culturels, maisons de courées.",
        "Service du patrimoine de la Ville de Lille.",
        date(2025, 6, 30),
    ),
    DiagnosisSection.Kind.GEOGRAPHIC_SPECIFICS: (
        "Quartier dense au sud du centre-ville, bien desservi par le métro (deux stations) mais "
        "coupé du reste de la ville par de grands boulevards.",
        "Transpole ; carte de la métropole.",
        date(2025, 6, 30),
    ),
    DiagnosisSection.Kind.ENVIRONMENTAL_SPECIFICS: (
        "Îlots de chaleur l'été, logements anciens mal isolés, bruit des boulevards. Qualité de "
        "l'air moyenne.",
        "Atmo Hauts-de-France ; diagnostic énergie du bailleur.",
        date(2025, 8, 20),
    ),
}

SUMMARY = (
    "Wazemmes est un quartier populaire, jeune et très mélangé du sud de Lille, vivant autour de "
    "son marché. Les ressources humaines y sont riches ; les revenus, les espaces verts et "
    "l'accès aux services publics y manquent."
)


def _revealing_contributions(organisation, keywords: list[str]) -> list[Contribution]:
    found = []
    for contribution in Contribution.objects.filter(organisation=organisation).order_by("pk"):
        text = f"{contribution.title} {contribution.body}".lower()
        if any(word in text for word in keywords):
            found.append(contribution)
    return found[:3]


W = WatchEntry
# title, kind, source, observed on, summary, link, direction, aspect, effect,
# diagnosis section, public, needs concerned (titles)
WATCH = [
    (
        "Dématérialisation des demandes de RSA et d'aides au logement",
        W.Kind.POLICY_CHANGE,
        "Caisse d'allocations familiales du Nord",
        date(2026, 9, 15),
        "À partir de janvier, les demandes et les déclarations trimestrielles se font "
        "uniquement en ligne. Les accueils physiques de la CAF passent sur rendez-vous.",
        "https://www.caf.fr/",
        W.Direction.UP,
        W.Aspect.QUANTITY,
        "Plus de personnes viendront demander de l'aide pour leurs démarches, surtout en "
        "janvier et après chaque trimestre.",
        DiagnosisSection.Kind.ACTORS,
        True,
        ["Se faire aider pour les démarches en ligne"],
    ),
    (
        "Part des plus de 75 ans vivant seuls dans le quartier",
        W.Kind.STATISTIC,
        "INSEE, recensement de la population",
        date(2026, 6, 30),
        "42 % des habitants de plus de 75 ans vivent seuls, contre 38 % il y a cinq ans.",
        "https://www.insee.fr/",
        W.Direction.UP,
        W.Aspect.QUANTITY,
        "Davantage de personnes âgées isolées, à contacter avant l'hiver.",
        DiagnosisSection.Kind.HUMAN_RESOURCES,
        True,
        ["Rompre l'isolement des personnes âgées"],
    ),
    (
        "Les familles viennent moins aux distributions, mais demandent des produits frais",
        W.Kind.FIELD_OBSERVATION,
        "Équipe de l'accueil",
        date(2026, 10, 5),
        "Depuis la rentrée, les bénévoles notent moins de monde aux distributions du jeudi, "
        "et beaucoup de questions sur les fruits, les légumes et la cuisine.",
        "",
        W.Direction.UP,
        W.Aspect.QUALITY,
        "Le besoin change de forme : moins de colis, plus de produits frais et d'ateliers.",
        "",
        False,
        ["Manger sain avec un petit budget", "Garder les enfants pendant les ateliers"],
    ),
    (
        "Étude régionale sur la précarité énergétique",
        W.Kind.STUDY,
        "Observatoire régional de l'énergie",
        date(2026, 3, 1),
        "Un ménage sur cinq du quartier consacre plus de 10 % de ses revenus à l'énergie.",
        "",
        W.Direction.UP,
        W.Aspect.BOTH,
        "",
        DiagnosisSection.Kind.ECONOMIC_RESOURCES,
        True,
        ["Se chauffer sans se ruiner"],
    ),
]


def _populate_watch(ctx: DemoContext) -> None:
    """The watch log; in small mode one entry (the route walk needs one)."""
    organisation = ctx.organisation
    for (
        title,
        kind,
        source,
        observed_on,
        summary,
        link,
        direction,
        aspect,
        effect,
        section,
        is_public,
        need_titles,
    ) in WATCH[:1] if ctx.small else WATCH:
        entry, created = WatchEntry.objects.get_or_create(
            organisation=organisation,
            title=title,
            defaults={
                "kind": kind,
                "source": source,
                "observed_on": observed_on,
                "summary": summary,
                "link": link,
                "direction": direction,
                "aspect": aspect,
                "effect": effect,
                "diagnosis_section": section,
                "is_public": is_public,
                "recorded_by": ctx.users["facilitator"],
            },
        )
        if created:
            entry.needs.set(Need.objects.filter(organisation=organisation, title__in=need_titles))
    # One entry carries a document, so that its download route has something to serve.
    first = WatchEntry.objects.filter(organisation=organisation).order_by("pk").first()
    if first is not None and not first.document:
        first.document.save(
            "note.txt",
            ContentFile(f"Note de veille — {first.title}\n\n{first.summary}\n".encode()),
        )


def populate(ctx: DemoContext) -> None:
    organisation = ctx.organisation
    facilitator = ctx.users["facilitator"]
    needs = NEEDS[:3] if ctx.small else NEEDS
    for (
        title,
        description,
        people,
        sources,
        coverage,
        gap,
        priority,
        status,
        offers,
        supporters,
        keywords,
    ) in needs:
        need, created = Need.objects.get_or_create(
            organisation=organisation,
            title=title,
            defaults={
                "description": description,
                "people_concerned": people,
                "territory": organisation.territory,
                "sources": [str(s) for s in sources],
                "coverage": coverage,
                "gap": gap,
                "priority": priority,
                "status": status,
                "created_by": facilitator,
            },
        )
        if not created:
            continue
        ExistingOffer.objects.bulk_create(
            ExistingOffer(need=need, provider_kind=kind, provider_name=name, description=text)
            for kind, name, text in offers
        )
        NeedSupport.objects.bulk_create(
            NeedSupport(need=need, user=ctx.users[key]) for key in supporters
        )
        NeedContribution.objects.bulk_create(
            NeedContribution(need=need, contribution=contribution, linked_by=facilitator)
            for contribution in _revealing_contributions(organisation, keywords)
        )
    # The route walk needs at least one existing offer even in small mode.
    first = Need.objects.filter(organisation=organisation).order_by("pk").first()
    if (
        first is not None
        and not ExistingOffer.objects.filter(need__organisation=organisation).exists()
    ):
        ExistingOffer.objects.create(
            need=first,
            provider_kind=ExistingOffer.ProviderKind.ASSOCIATION,
            provider_name="Centre social Arc-en-ciel",
            description="Un atelier par semaine.",
        )
    # Link at least one contribution, if the contributions demo made some.
    contribution = Contribution.objects.filter(organisation=organisation).order_by("pk").first()
    if (
        first is not None
        and contribution is not None
        and not NeedContribution.objects.filter(need__organisation=organisation).exists()
    ):
        NeedContribution.objects.create(
            need=first, contribution=contribution, linked_by=facilitator
        )

    diagnosis, _created = TerritorialDiagnosis.objects.get_or_create(
        organisation=organisation, defaults={"summary": SUMMARY, "is_public": True}
    )
    existing = set(diagnosis.sections.values_list("kind", flat=True))
    DiagnosisSection.objects.bulk_create(
        DiagnosisSection(diagnosis=diagnosis, kind=kind, text=text, sources=sources, as_of=as_of)
        for kind, (text, sources, as_of) in SECTIONS.items()
        if kind not in existing
    )
    _populate_watch(ctx)
