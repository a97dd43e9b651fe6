"""The demo: `manage.py demo` builds the demo organisation, a SCIC-type
tiers-lieu with people in every role, then lets every app add its data
(`demo_build`). See core/demo.py for the rules each app's `populate` follows.
"""

from datetime import timedelta
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from faireavec.accounts.models import User
from faireavec.core.audit import audit_log
from faireavec.core.demo import DEMO_PASSWORD, DemoContext
from faireavec.core.models import AuditEntry
from faireavec.organisations.models import (
    CharterVersion,
    Invitation,
    Membership,
    Organisation,
    Role,
    Site,
)

DEMO_SLUG = "la-fabrique-du-coin"

PEOPLE = [
    ("admin", "admin@demo.faireavec.fr", "Claire Dubois", Role.ADMIN),
    ("facilitator", "animation@demo.faireavec.fr", "Karim Benali", Role.FACILITATOR),
    ("member", "societaire@demo.faireavec.fr", "Jeanne Moreau", Role.MEMBER),
    ("participant", "usager@demo.faireavec.fr", "Lucas Martin", Role.PARTICIPANT),
    ("participant2", "usagere@demo.faireavec.fr", "Aïcha Traoré", Role.PARTICIPANT),
    ("volunteer", "benevole@demo.faireavec.fr", "Paul Girard", Role.FACILITATOR),
]

SITES = [
    (
        "La Fabrique — atelier et café",
        "12 rue des Tanneurs\n59000 Lille",
        "Du mardi au samedi, de 9 h à 18 h",
        "Entrée de plain-pied, toilettes accessibles, boucle magnétique à l'accueil.",
    ),
    (
        "Épicerie solidaire",
        "3 place du Marché\n59000 Lille",
        "Mercredi et vendredi, de 14 h à 19 h",
        "Une marche de 10 cm à l'entrée ; une rampe amovible est disponible sur demande.",
    ),
    (
        "Permanence mobile",
        "Dans les quartiers, selon le planning affiché",
        "Jeudi matin",
        "Le camion n'est pas accessible en fauteuil : l'équipe vient à votre rencontre dehors.",
    ),
]

CHARTER = """Notre charte de relation avec les personnes

1. Nous vous écoutons. Tout ce que vous nous dites est lu par une personne de l'équipe.
2. Nous vous répondons. Chaque idée ou réclamation reçoit une réponse, même quand c'est non, avec la raison.
3. Nous vous disons ce que nous en faisons. Vous pouvez suivre ce que devient votre avis.
4. Nous respectons votre vie privée. Vous pouvez donner votre avis sans donner votre nom.
5. Nous parlons simplement. Si quelque chose n'est pas clair, dites-le nous : nous l'écrirons autrement.
6. Nous décidons avec vous. Quand une décision vous concerne, nous disons à l'avance quelle part vous en prendrez.
7. Nous nous parlons avec respect, vous comme nous."""


_FIRST_ORGANISATION = {
    "name": "La Fabrique du Coin",
    "legal_form": Organisation.LegalForm.SCIC,
    "territory": "Lille, quartier de Wazemmes",
    "description": (
        "Tiers-lieu coopératif (SCIC) : un atelier partagé, un café associatif et une "
        "épicerie solidaire, gérés avec les habitants, les salariés, les bénévoles et la ville."
    ),
    "visibility": Organisation.Visibility.PUBLIC,
}


# The second, smaller organisation: people trying several organisations at once,
# and the tenancy tests (core/tests/test_tenancy_routes.py), use it. Its people
# hold the same roles (every app's demo may use any of them), with their own logins.
SECOND_SLUG = "epicerie-solidaire"
SECOND_ORGANISATION = {
    "name": "L'Épicerie solidaire",
    "legal_form": Organisation.LegalForm.ASSOCIATION,
    "territory": "Roubaix, quartier de l'Épeule",
    "description": (
        "Épicerie solidaire associative : des produits à petit prix, un atelier cuisine et "
        "un coin café, avec les personnes qui y font leurs courses."
    ),
    "visibility": Organisation.Visibility.PUBLIC,
}
SECOND_PEOPLE = [
    ("admin", "admin@epicerie.demo.faireavec.fr", "Sophie Lambert", Role.ADMIN),
    ("facilitator", "animation@epicerie.demo.faireavec.fr", "Yanis Haddad", Role.FACILITATOR),
    ("member", "adherent@epicerie.demo.faireavec.fr", "Marie Lefèvre", Role.MEMBER),
    ("participant", "client@epicerie.demo.faireavec.fr", "Omar Diallo", Role.PARTICIPANT),
    ("participant2", "cliente@epicerie.demo.faireavec.fr", "Julie Roux", Role.PARTICIPANT),
    ("volunteer", "benevole@epicerie.demo.faireavec.fr", "Henri Petit", Role.FACILITATOR),
]
SECOND_SITES = [
    (
        "L'Épicerie — boutique",
        "27 rue de l'Épeule\n59100 Roubaix",
        "Mardi, jeudi et samedi, de 10 h à 18 h",
        "Entrée de plain-pied, allées larges, caisse basse.",
    ),
]


def build_organisation(*, small: bool = False) -> DemoContext:
    """Create the demo organisation and its people, or find them if they exist."""
    return _build(
        slug=DEMO_SLUG,
        fields=_FIRST_ORGANISATION,
        people=PEOPLE,
        sites=SITES[: 1 if small else None],
        small=small,
    )


def build_second_organisation() -> DemoContext:
    """« L'Épicerie solidaire », smaller (a few rows of each kind)."""
    return _build(
        slug=SECOND_SLUG,
        fields=SECOND_ORGANISATION,
        people=SECOND_PEOPLE,
        sites=SECOND_SITES,
        small=True,
    )


def _build(*, slug: str, fields: dict, people: list, sites: list, small: bool) -> DemoContext:
    organisation, _ = Organisation.objects.get_or_create(slug=slug, defaults=fields)
    users = {}
    for key, email, name, role in people:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, display_name=name)
            user.emailaddress_set.create(email=email, verified=True, primary=True)
        Membership.objects.get_or_create(
            organisation=organisation, user=user, defaults={"role": role}
        )
        users[key] = user
    for name, address, hours, access in sites:
        Site.objects.get_or_create(
            organisation=organisation,
            name=name,
            defaults={"address": address, "opening_hours": hours, "accessibility": access},
        )
    if not CharterVersion.objects.filter(organisation=organisation).exists():
        CharterVersion.objects.create(
            organisation=organisation, number=1, text=CHARTER, published_by=users["admin"]
        )
    if not Invitation.objects.filter(organisation=organisation).exists():
        now = timezone.now()
        Invitation.objects.create(
            organisation=organisation,
            role=Role.PARTICIPANT,
            label="Affiche du hall d'accueil",
            created_by=users["facilitator"],
            expires_at=now + timedelta(days=180),
        )
        Invitation.objects.create(
            organisation=organisation,
            role=Role.MEMBER,
            label="Nouveau sociétaire : M. Petit",
            created_by=users["admin"],
            expires_at=now + timedelta(days=14),
            max_uses=1,
        )
    _log_demo_actions(organisation=organisation, admin=users["admin"])
    return DemoContext(organisation=organisation, users=users, small=small)


def _log_demo_actions(*, organisation: Organisation, admin: User) -> None:
    """A few activity log entries for what the demo did (charter, invitations)."""
    if AuditEntry.objects.filter(organisation=organisation).exists():
        return
    charter = CharterVersion.objects.filter(organisation=organisation).first()
    if charter is not None:
        audit_log(
            actor=admin,
            organisation=organisation,
            action="charter.publish",
            target=charter,
            details={"version": charter.number},
        )
    for invitation in Invitation.objects.filter(organisation=organisation).order_by("pk"):
        audit_log(
            actor=invitation.created_by,
            organisation=organisation,
            action="invitation.create",
            target=invitation,
            details={"role": invitation.role, "max_uses": invitation.max_uses},
        )


def demo_populate_apps(ctx: DemoContext) -> list[str]:
    """Let each app add its demo data, in the order of FAIREAVEC_APPS; returns
    the apps that did."""
    populated = []
    for app in settings.FAIREAVEC_APPS:
        # organisations builds the context itself (build_organisation).
        if app == "faireavec.organisations" or find_spec(f"{app}.demo") is None:
            continue
        module = import_module(f"{app}.demo")
        with transaction.atomic():
            module.populate(ctx)
        populated.append(app)
    return populated


def demo_build_all(*, small: bool = False) -> list[DemoContext]:
    """Build (or complete) both demo organisations and every app's data: « La
    Fabrique du Coin » (full unless `small`), then « L'Épicerie solidaire »
    (always small)."""
    contexts = []
    for build in (lambda: build_organisation(small=small), build_second_organisation):
        with transaction.atomic():
            ctx = build()
        demo_populate_apps(ctx)
        contexts.append(ctx)
    return contexts


def demo_build(*, small: bool = False) -> DemoContext:
    """Build (or complete) the demo; returns the main organisation's context."""
    return demo_build_all(small=small)[0]
