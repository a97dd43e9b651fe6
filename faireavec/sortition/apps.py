from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from faireavec.core.navigation import NavInclude, NavLink


class SortitionConfig(AppConfig):
    name = "faireavec.sortition"
    label = "sortition"
    verbose_name = _("Sortition")

    backoffice_links = [
        NavLink(
            _("Draws by lot"),
            "sortition:pool_list",
            "sortition.view_pool",
            description=_(
                "Panels drawn by lot that reflect your members or users, with quotas, "
                "the fairest chances and a draw anyone can check."
            ),
        ),
    ]
    initiative_includes = [
        NavInclude("sortition/includes/initiative_panels.html", "sortition.register_volunteer")
    ]
