from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from faireavec.core.navigation import NavLink


class ProcessesConfig(AppConfig):
    name = "faireavec.processes"
    label = "processes"
    verbose_name = _("Initiatives")

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
