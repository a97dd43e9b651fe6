from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from faireavec.core.navigation import NavLink


class StakeholdersConfig(AppConfig):
    name = "faireavec.stakeholders"
    label = "stakeholders"
    verbose_name = _("Stakeholders")

    backoffice_links = [
        NavLink(
            _("Stakeholders"),
            "stakeholders:stakeholder_list",
            "stakeholders.view_stakeholder",
            _("Who is concerned, how involved they are, and when we last talked."),
        ),
        NavLink(
            _("Stakeholder map"),
            "stakeholders:stakeholder_map",
            "stakeholders.view_stakeholdermap",
            _("A map of our stakeholders to print and discuss."),
        ),
    ]
