"""Demo register of La Fabrique du Coin: about 60 stakeholders in every
category, with contacts over the last two years (some forgotten for more than
a year, so the « to review » list has people in it)."""

from datetime import timedelta

from django.utils import timezone

from faireavec.core.demo import DemoContext
from faireavec.stakeholders.models import (
    Category,
    ContactBasis,
    Interaction,
    ParticipationMode,
    Stakeholder,
    StakeholderSubcategory,
    StakeholderTag,
)

P, ORG = Stakeholder.Kind.PERSON, Stakeholder.Kind.ORGANISATION

# name, kind, category, sub-category, current level, target level, influence, interest
STAKEHOLDERS = [
    ("Équipe de l'atelier", ORG, Category.EMPLOYEES, "", 4, 5, 4, 5),
    ("Sofia Lambert, coordinatrice", P, Category.EMPLOYEES, "", 5, 5, 4, 5),
    ("Yanis Cherif, cuisinier du café", P, Category.EMPLOYEES, "", 3, 4, 2, 4),
    ("Équipe de l'épicerie solidaire", ORG, Category.EMPLOYEES, "", 3, 4, 3, 5),
    ("Marc Delattre, comptable à mi-temps", P, Category.EMPLOYEES, "", 2, 3, 3, 3),
    ("Conseil d'administration", ORG, Category.BOARD, "", 5, 5, 5, 5),
    ("Claire Dubois, présidente", P, Category.BOARD, "", 5, 5, 5, 5),
    ("Hervé Masson, trésorier", P, Category.BOARD, "", 5, 5, 5, 4),
    ("Nadia Belkacem, collège des usagers", P, Category.BOARD, "", 4, 5, 3, 5),
    ("Paul Girard, bénévole référent", P, Category.VOLUNTEERS, "", 4, 4, 2, 5),
    ("Bénévoles du café", ORG, Category.VOLUNTEERS, "", 3, 4, 2, 4),
    ("Bénévoles de la permanence mobile", ORG, Category.VOLUNTEERS, "", 2, 4, 2, 4),
    ("Réparateurs bénévoles du Repair Café", ORG, Category.VOLUNTEERS, "", 3, 3, 2, 4),
    ("Lucas Martin", P, Category.BENEFICIARIES, "Habitants de Wazemmes", 2, 4, 1, 5),
    ("Aïcha Traoré", P, Category.BENEFICIARIES, "Habitants de Wazemmes", 2, 3, 1, 4),
    ("Familles de l'épicerie solidaire", ORG, Category.BENEFICIARIES, "", 1, 3, 2, 5),
    ("Jeunes du service civique", ORG, Category.BENEFICIARIES, "", 2, 3, 1, 3),
    ("Usagers de l'atelier vélo", ORG, Category.BENEFICIARIES, "", 2, 4, 1, 4),
    ("Résidents du foyer Les Tilleuls", ORG, Category.BENEFICIARIES, "", 1, 2, 1, 4),
    ("Comité d'usagers", ORG, Category.BENEFICIARIES, "", 3, 4, 3, 5),
    ("Conseil citoyen de Wazemmes", ORG, Category.CIVIL_SOCIETY, "", 2, 3, 3, 4),
    ("Association des parents d'élèves Jean-Macé", ORG, Category.CIVIL_SOCIETY, "", 1, 2, 2, 3),
    ("Collectif Zéro Déchet Lille", ORG, Category.CIVIL_SOCIETY, "", 2, 3, 2, 4),
    ("Maison de quartier", ORG, Category.CIVIL_SOCIETY, "", 3, 3, 3, 3),
    ("Secours populaire, antenne de Lille", ORG, Category.CIVIL_SOCIETY, "", 2, 2, 3, 3),
    ("Club de football de Wazemmes", ORG, Category.CIVIL_SOCIETY, "", 1, 1, 1, 2),
    ("Ville de Lille", ORG, Category.PUBLIC_AUTHORITIES, "Collectivités", 2, 3, 5, 3),
    (
        "Métropole européenne de Lille",
        ORG,
        Category.PUBLIC_AUTHORITIES,
        "Collectivités",
        1,
        2,
        5,
        2,
    ),
    ("Département du Nord", ORG, Category.PUBLIC_AUTHORITIES, "Collectivités", 1, 2, 4, 2),
    ("Région Hauts-de-France", ORG, Category.PUBLIC_AUTHORITIES, "Collectivités", 1, 1, 4, 1),
    ("Centre communal d'action sociale", ORG, Category.PUBLIC_AUTHORITIES, "", 2, 3, 4, 4),
    ("Caisse d'allocations familiales", ORG, Category.PUBLIC_AUTHORITIES, "", 1, 2, 4, 2),
    ("France Travail, agence de Wazemmes", ORG, Category.PUBLIC_AUTHORITIES, "", 1, 2, 3, 2),
    ("Coopérative Les Jardins du Nord", ORG, Category.PRIVATE_ESS, "", 3, 4, 2, 4),
    ("SCOP Atelier Bois", ORG, Category.PRIVATE_ESS, "", 2, 3, 2, 3),
    ("Recyclerie La Trouvaille", ORG, Category.PRIVATE_ESS, "", 3, 3, 2, 4),
    ("Mutuelle Entre-Nous", ORG, Category.PRIVATE_ESS, "", 1, 2, 3, 2),
    ("Entreprise d'insertion Tremplin", ORG, Category.PRIVATE_ESS, "", 2, 4, 2, 4),
    (
        "Boulangerie Au Bon Grain",
        ORG,
        Category.PRIVATE_OTHER,
        "Commerçants du quartier",
        1,
        2,
        1,
        2,
    ),
    ("Supermarché du marché", ORG, Category.PRIVATE_OTHER, "Commerçants du quartier", 1, 2, 2, 2),
    ("Bailleur social Lille Habitat", ORG, Category.PRIVATE_OTHER, "", 1, 3, 4, 2),
    ("Fondation d'entreprise Lumière", ORG, Category.PRIVATE_OTHER, "", 1, 1, 3, 1),
    ("Cabinet d'architectes Plein Air", ORG, Category.PRIVATE_OTHER, "", 1, 1, 1, 2),
    ("Université de Lille, laboratoire CLERSÉ", ORG, Category.RESEARCH, "", 2, 3, 2, 3),
    ("Léa Fontaine, doctorante", P, Category.RESEARCH, "", 2, 3, 1, 4),
    ("IUT de Roubaix, carrières sociales", ORG, Category.RESEARCH, "", 1, 2, 1, 3),
    ("Chaire ESS de l'IAE", ORG, Category.RESEARCH, "", 1, 2, 2, 2),
    ("Fondation de France", ORG, Category.FUNDERS, "", 1, 2, 4, 2),
    ("France Active Nord", ORG, Category.FUNDERS, "", 2, 2, 4, 3),
    ("Crédit Coopératif", ORG, Category.FUNDERS, "", 1, 1, 3, 2),
    ("Fonds social européen", ORG, Category.FUNDERS, "", 1, 1, 4, 1),
    ("Donateurs particuliers", ORG, Category.FUNDERS, "", 1, 2, 2, 3),
    ("Chambre régionale de l'ESS", ORG, Category.NETWORKS, "Réseaux ESS", 2, 3, 3, 3),
    (
        "Réseau des tiers-lieux des Hauts-de-France",
        ORG,
        Category.NETWORKS,
        "Réseaux ESS",
        3,
        4,
        3,
        4,
    ),
    ("Réseau des épiceries solidaires", ORG, Category.NETWORKS, "Réseaux ESS", 2, 3, 2, 4),
    ("Pôle territorial de coopération économique", ORG, Category.NETWORKS, "", 2, 4, 3, 4),
    ("Repair Café France", ORG, Category.NETWORKS, "", 1, 2, 1, 3),
    ("Réseau des Fabriques voisines", ORG, Category.NETWORKS, "", 2, 3, 2, 3),
    ("Centre social Belfort", ORG, Category.NETWORKS, "", 3, 4, 2, 4),
    ("Collectif des AMAP du Nord", ORG, Category.NETWORKS, "", 1, 2, 1, 3),
]

TERRITORIES = ["Wazemmes", "Lille-Centre", "Métropole lilloise", "Hauts-de-France"]
TAGS = ["alimentation", "jeunesse", "réemploi", "logement", "financement", "recherche"]
MODES = list(ParticipationMode.values)
NOTES = [
    "Rencontré lors de la fête de quartier.",
    "Très attentifs aux retours des habitants.",
    "À inviter au prochain pow-wow.",
    "Souhaite être tenu au courant du projet de cuisine partagée.",
    "",
]
INTERACTION_NOTES = [
    "Point sur le partenariat et les prochaines étapes.",
    "Présentation du bilan annuel.",
    "Échange sur les besoins du quartier.",
    "Invitation à l'assemblée générale.",
    "Réponse au questionnaire de satisfaction.",
    "Relance pour le comité d'usagers.",
]


def populate(ctx: DemoContext) -> None:
    organisation = ctx.organisation
    if Stakeholder.objects.filter(organisation=organisation).exists():
        return
    rng = ctx.rng
    today = timezone.localdate()
    rows = STAKEHOLDERS[:4] + STAKEHOLDERS[26:27] if ctx.small else STAKEHOLDERS
    subcategories = {}
    tags = {
        name: StakeholderTag.objects.create(organisation=organisation, name=name) for name in TAGS
    }
    facilitators = [ctx.users["facilitator"], ctx.users["admin"], ctx.users["volunteer"]]
    for index, (name, kind, category, sub, current, target, influence, interest) in enumerate(rows):
        subcategory = None
        if sub:
            if sub not in subcategories:
                subcategories[sub] = StakeholderSubcategory.objects.create(
                    organisation=organisation, category=category, name=sub
                )
            subcategory = subcategories[sub]
        # One in five was last reviewed (and last contacted) more than a year ago.
        forgotten = index % 5 == 3
        reviewed_on = today - timedelta(
            days=rng.randint(400, 700) if forgotten else rng.randint(0, 300)
        )
        with_contact = kind == P or index % 3 == 0
        slug = name.lower().split(",")[0].replace(" ", ".").replace("'", "")[:30]
        stakeholder = Stakeholder.objects.create(
            organisation=organisation,
            kind=kind,
            name=name,
            category=category,
            subcategory=subcategory,
            territory=rng.choice(TERRITORIES),
            notes=rng.choice(NOTES),
            email=f"{slug}@exemple.fr" if with_contact else "",
            contact_basis=(ContactBasis.CONSENT if kind == P else ContactBasis.LEGITIMATE_INTEREST)
            if with_contact
            else "",
            contact_review_on=today + timedelta(days=rng.randint(30, 365))
            if with_contact
            else None,
            current_level=current,
            target_level=target,
            participation_modes=sorted(set(rng.sample(MODES, rng.randint(0, 2)))),
            influence=influence,
            interest=interest,
            reviewed_on=reviewed_on,
            user=ctx.users["participant"] if name == "Lucas Martin" else None,
        )
        stakeholder.tags.set(rng.sample(list(tags.values()), rng.randint(0, 2)))
        # Contacts spread over two years; the forgotten ones have none in the last year.
        newest = 400 if forgotten else 0
        for _ in range(1 if ctx.small else rng.randint(0 if forgotten else 1, 6)):
            Interaction.objects.create(
                stakeholder=stakeholder,
                kind=rng.choice(Interaction.Kind.values),
                occurred_on=today - timedelta(days=rng.randint(newest, 730)),
                people=rng.choice(["Karim", "Claire", "Paul", "Karim et Claire"]),
                note=rng.choice(INTERACTION_NOTES),
                recorded_by=rng.choice(facilitators),
            )
