"""Demo data: two initiatives at different phases.

- « Plan stratégique 2027-2030 » (slug `plan-strategique-2027-2030`, `STRATEGIC_PLAN_SLUG`):
  co-constructed, in its consultation phase today, which allows proposals, comments,
  supports, a survey, registering for the assembly workshops, an opinion map and a
  panel drawn by lot. The surveys and meetings demos (which run after this one)
  attach their items to its current phase, found by that slug.
- « Un atelier numérique le samedi » (`atelier-numerique-samedi`): concerted, with the
  five default phases started twenty weeks ago, so it is experimenting today.

The strategic plan has proposals (contributions of kind « proposal ») with supports,
comments for, against and neutral, and answers — one done, one declined, one accepted,
the others waiting — and followers, who get the phase notices.

Dates are relative to the day the demo is built. Idempotent: an initiative is found by
its slug and its phases, proposals and followers are made only with it.
"""

from datetime import timedelta

from django.utils import timezone

from faireavec.contributions.models import Stance, Status
from faireavec.contributions.services import (
    comment_create,
    contribution_change_status,
    contribution_support,
)
from faireavec.core.demo import DemoContext
from faireavec.needs.models import Need
from faireavec.processes.models import Audience, Initiative, InvolvementLevel, Phase
from faireavec.processes.services import default_phases, initiative_follow, proposal_create
from faireavec.stakeholders.models import Stakeholder

STRATEGIC_PLAN_SLUG = "plan-strategique-2027-2030"
STRATEGIC_PLAN_TITLE = "Plan stratégique 2027-2030"
SATURDAY_SLUG = "atelier-numerique-samedi"

ALL_ACTIONS = {
    "allows_propose": True,
    "allows_comment": True,
    "allows_support": True,
    "allows_answer_survey": True,
    "allows_register_meeting": True,
    "allows_vote_opinion": True,
    "allows_join_panel": True,
}


def _strategic_plan_phases(today):
    return [
        {
            "kind": Phase.Kind.IDENTIFY_NEEDS,
            "title": "Diagnostic partagé",
            "description": "Nous avons rassemblé ce que vous nous dites depuis deux ans : avis, "
            "réclamations, pow-wows, et le diagnostic du quartier.",
            "position": 1,
            "starts_on": today - timedelta(days=90),
            "ends_on": today - timedelta(days=31),
            "allows_comment": True,
            "allows_answer_survey": True,
        },
        {
            "kind": Phase.Kind.CO_DESIGN,
            "title": "Consultation et ateliers",
            "description": "En ligne, proposez et soutenez des orientations ; un questionnaire "
            "pour tous les sociétaires ; des ateliers pendant l'assemblée générale ; un "
            "panel de sociétaires tiré au sort pour en faire la synthèse.",
            "position": 2,
            "starts_on": today - timedelta(days=30),
            "ends_on": today + timedelta(days=45),
            **ALL_ACTIONS,
        },
        {
            "kind": Phase.Kind.OTHER,
            "title": "Synthèse et vote en assemblée générale",
            "description": "Le panel présente la synthèse ; l'assemblée générale vote le plan.",
            "position": 3,
            "starts_on": today + timedelta(days=46),
            "ends_on": today + timedelta(days=90),
            "allows_comment": True,
            "allows_register_meeting": True,
        },
    ]


# (title, body, who proposes, who supports, comments (who, stance, text), answer)
# answer: (status, what was decided, what was done) or None (waiting for a decision).
STRATEGIC_PLAN_PROPOSALS = [
    (
        "Une épicerie solidaire ouverte le soir",
        "Beaucoup d'entre nous travaillent en journée : une ouverture deux soirs par semaine "
        "jusqu'à 20 h permettrait de venir après le travail.",
        "participant",
        ["member", "participant2", "volunteer", "admin"],
        [
            ("member", Stance.FOR, "Oui, je ne peux jamais venir avant 18 h."),
            ("volunteer", Stance.NEUTRAL, "Il faudra trouver des bénévoles pour le soir."),
        ],
        (
            Status.ACCEPTED,
            "Retenu pour le plan : ouverture le mardi et le jeudi jusqu'à 20 h dès janvier.",
            "",
        ),
    ),
    (
        "Un café réparation chaque mois",
        "Un samedi par mois, des bénévoles aident à réparer vélos, petits appareils et "
        "vêtements, au lieu de jeter.",
        "participant2",
        ["participant", "member"],
        [
            ("participant", Stance.FOR, "Excellente idée, j'ai un grille-pain à réparer !"),
            ("member", Stance.AGAINST, "Le local est déjà trop petit le samedi."),
        ],
        (
            Status.DONE,
            "Retenu et lancé pendant la consultation, à titre d'essai.",
            "Le premier café réparation a eu lieu le mois dernier : 23 objets réparés.",
        ),
    ),
    (
        "Un minibus pour les courses des personnes âgées",
        "Un minibus de la coopérative ferait la tournée des résidences une fois par semaine.",
        "member",
        ["participant"],
        [
            ("participant2", Stance.AGAINST, "Le coût d'un véhicule me paraît trop élevé."),
            ("volunteer", Stance.FOR, "Je peux conduire le mercredi."),
        ],
        (
            Status.DECLINED,
            "Le budget ne permet pas l'achat d'un véhicule ; nous proposons à la place un "
            "partenariat avec le transport à la demande de la commune.",
            "",
        ),
    ),
    (
        "Des permanences dans les quartiers",
        "Tenir une permanence mensuelle dans chaque quartier, au centre social ou à la "
        "médiathèque, pour celles et ceux qui ne se déplacent pas.",
        "volunteer",
        ["member", "participant"],
        [("member", Stance.NEUTRAL, "Dans quels quartiers en premier ?")],
        None,
    ),
]
STRATEGIC_PLAN_FOLLOWERS = ["participant", "participant2", "member"]


def _strategic_plan_proposals(ctx: DemoContext, plan: Initiative) -> None:
    users = ctx.users
    facilitator = users["facilitator"]
    proposals = STRATEGIC_PLAN_PROPOSALS[:2] if ctx.small else STRATEGIC_PLAN_PROPOSALS
    for title, body, author, supporters, comments, answer in proposals:
        contribution = proposal_create(
            initiative=plan, title=title, body=body, author=users[author]
        ).contribution
        for supporter in supporters:
            contribution_support(user=users[supporter], contribution=contribution)
        for who, stance, text in comments:
            comment_create(author=users[who], contribution=contribution, body=text, stance=stance)
        if answer is not None:
            status, decided, done = answer
            if status == Status.DONE:
                contribution = contribution_change_status(
                    actor=facilitator,
                    contribution=contribution,
                    to_status=Status.ACCEPTED,
                    message=decided,
                )
                contribution_change_status(
                    actor=facilitator, contribution=contribution, to_status=status, message=done
                )
            else:
                contribution_change_status(
                    actor=facilitator, contribution=contribution, to_status=status, message=decided
                )
    for name in STRATEGIC_PLAN_FOLLOWERS:
        initiative_follow(user=users[name], initiative=plan)


def _initiative(ctx: DemoContext, *, slug: str, data: dict, phases: list[dict], status: str):
    organisation = ctx.organisation
    initiative, created = Initiative.objects.get_or_create(
        organisation=organisation,
        slug=slug,
        defaults={**data, "status": status, "created_by": ctx.users["facilitator"]},
    )
    if created:
        for phase_data in phases:
            phase = Phase(initiative=initiative, **phase_data)
            phase.full_clean()
            phase.save()
    return initiative, created


def populate(ctx: DemoContext) -> None:
    organisation = ctx.organisation
    today = timezone.localdate()
    plan, created = _initiative(
        ctx,
        slug=STRATEGIC_PLAN_SLUG,
        status=Initiative.Status.PUBLISHED,
        data={
            "title": STRATEGIC_PLAN_TITLE,
            "purpose": "Notre plan stratégique arrive à son terme. Le prochain fixera ce que "
            "nous faisons pendant quatre ans : nos services, nos lieux, nos priorités. Nous "
            "voulons l'écrire avec celles et ceux qui vivent la coopérative.",
            "question": "Quelles priorités pour notre coopérative d'ici 2030 ?",
            "involvement_level": InvolvementLevel.CO_CONSTRUCT,
            "decided_with_participants": "Les priorités du plan et leur ordre, et les trois "
            "nouveaux services à lancer en premier.",
            "decided_by_organisation": "Le budget, qui reste voté par le conseil "
            "d'administration dans le cadre fixé par l'assemblée générale, et ce qui relève "
            "de la loi ou de la sécurité.",
            "follow_up_promise": "Chaque proposition reçoit une réponse écrite. Le plan voté "
            "est publié ici avec, pour chaque priorité, ce qui vient de vos propositions.",
            "follow_up_due_on": today + timedelta(days=120),
            "audience": Audience.PUBLIC,
        },
        phases=_strategic_plan_phases(today),
    )
    saturday, saturday_created = _initiative(
        ctx,
        slug=SATURDAY_SLUG,
        status=Initiative.Status.PUBLISHED,
        data={
            "title": "Un atelier numérique le samedi",
            "purpose": "Beaucoup d'entre vous ne peuvent pas venir en semaine pour se faire "
            "aider dans leurs démarches en ligne. Nous voulons essayer un atelier le samedi.",
            "question": "Comment organiser un atelier numérique le samedi qui vous serve "
            "vraiment ?",
            "involvement_level": InvolvementLevel.CONCERT,
            "decided_with_participants": "Les horaires, le déroulé de l'atelier et ce que "
            "l'on y apprend en premier.",
            "decided_by_organisation": "Le lieu et le nombre de bénévoles mobilisés.",
            "follow_up_promise": "Un bilan de l'essai, publié ici, et la décision de "
            "continuer ou non, expliquée.",
            # Promised before the experiment ended and not given yet: overdue in the
            # back office, on purpose.
            "follow_up_due_on": today - timedelta(days=7),
            "audience": Audience.MEMBERS,
        },
        phases=default_phases(starts_on=today - timedelta(weeks=20)),
    )
    if saturday_created:
        need = Need.objects.filter(organisation=organisation).order_by("-priority", "pk").first()
        if need is not None:
            saturday.needs.add(need)
    if created:
        _strategic_plan_proposals(ctx, plan)
        stakeholders = Stakeholder.objects.filter(organisation=organisation).order_by("pk")[:3]
        plan.stakeholders.add(*stakeholders)
        plan.needs.add(*Need.objects.filter(organisation=organisation).order_by("pk")[:2])
