from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from faireavec.core.navigation import NavInclude, NavLink


class SurveysConfig(AppConfig):
    name = "faireavec.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    public_links = [
        NavLink(
            _("Surveys"),
            "surveys:survey_list_public",
            "surveys.view_survey",
            description=_("Questionnaires open now: a few minutes to tell us what you think."),
            shown_if="faireavec.surveys.selectors.has_open_surveys",
        ),
    ]
    initiative_includes = [
        NavInclude("surveys/includes/initiative_surveys.html", "surveys.view_survey"),
    ]
    backoffice_links = [
        NavLink(
            _("Surveys"),
            "surveys:survey_list",
            "surveys.view_results",
            description=_(
                "Satisfaction and other questionnaires: online, on paper or by phone, "
                "with results and their trend."
            ),
        ),
    ]
