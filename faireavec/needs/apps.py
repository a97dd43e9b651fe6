from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from faireavec.core.navigation import NavLink


class NeedsConfig(AppConfig):
    name = "faireavec.needs"
    label = "needs"
    verbose_name = _("Needs")

    public_links = [
        NavLink(
            _("Needs"),
            "needs:need_list_public",
            "needs.view_need",
            description=_(
                "The needs we have identified on our territory. Support those that matter to you."
            ),
            shown_if="faireavec.needs.selectors.has_public_needs",
        ),
        NavLink(
            _("Our territory"),
            "needs:diagnosis_public",
            "needs.view_diagnosis",
            description=_("Our territorial diagnosis: resources, actors and specifics."),
            shown_if="faireavec.needs.selectors.has_diagnosis",
        ),
    ]
    backoffice_links = [
        NavLink(
            _("Needs register"),
            "needs:need_list",
            "needs.review_need",
            description=_("Needs, how the existing offer covers them, and their priority."),
        ),
        NavLink(
            _("Territorial diagnosis"),
            "needs:diagnosis_manage",
            "needs.change_diagnosis",
            description=_("Resources, actors and specifics of your territory, with their sources."),
        ),
        NavLink(
            _("Watch log"),
            "needs:watch_list",
            "needs.view_watchentry",
            description=_(
                "Studies, figures, policy changes and what you see in the field: "
                "what may change the needs tomorrow."
            ),
        ),
    ]
