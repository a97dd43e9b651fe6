from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from faireavec.core.navigation import NavInclude, NavLink
from faireavec.core.scheduler import Periodic


class ProcessesConfig(AppConfig):
    name = "faireavec.processes"
    label = "processes"
    verbose_name = _("Initiatives")

    # Proposals are contributions: contributions asks this gate before a support or a
    # comment, and shows the include on the proposal's page (contributions/hooks.py).
    contribution_gates = ["faireavec.processes.gates.proposal_gate"]
    contribution_includes = [NavInclude("processes/includes/contribution_initiative.html")]
    contribution_list_exclusions = ["faireavec.processes.gates.proposals_hidden_from"]
    periodic_tasks = [
        Periodic(
            "faireavec.processes.tasks.announce_phase_starts",
            "0 7 * * *",
            "followers told of the phases that started, at 7:00",
        )
    ]

    public_links = [
        NavLink(
            _("Initiatives"),
            "processes:initiative_list_public",
            "processes.view_initiative",
            description=_(
                "The projects we run with you: what you decide with us, the phases, and how "
                "to take part."
            ),
            shown_if="faireavec.processes.selectors.has_public_initiatives",
        ),
    ]
    backoffice_links = [
        NavLink(
            _("Initiatives"),
            "processes:initiative_list",
            "processes.review_initiative",
            description=_(
                "Involve people in a project at a declared level: phases, proposals, follow-up."
            ),
        ),
    ]
