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


def build_organisation(*, small: bool = False) -> DemoContext:
    """Create the demo organisation and its people, or find them if they exist."""
    organisation, _ = Organisation.objects.get_or_create(
        slug=DEMO_SLUG,
        defaults={
            "name": "La Fabrique du Coin",
            "legal_form": Organisation.LegalForm.SCIC,
            "territory": "Lille, quartier de Wazemmes",
            "description": (
                "Tiers-lieu coopératif (SCIC) : un atelier partagé, un café associatif et une "
                "épicerie solidaire, gérés avec les habitants, les salariés, les bénévoles et la ville."
            ),
            "visibility": Organisation.Visibility.PUBLIC,
        },
    )
    users = {}
    for key, email, name, role in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, display_name=name)
            user.emailaddress_set.create(email=email, verified=True, primary=True)
        Membership.objects.get_or_create(
            organisation=organisation, user=user, defaults={"role": role}
        )
        users[key] = user
    for name, address, hours, access in SITES[: 1 if small else None]:
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
        audit_log(actor=admin, organisation=organisation, action="charter.publish", target=charter)
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


def demo_build(*, small: bool = False) -> DemoContext:
    """Build (or complete) the demo organisation and every app's data."""
    with transaction.atomic():
        ctx = build_organisation(small=small)
    demo_populate_apps(ctx)
    return ctx
