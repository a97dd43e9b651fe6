from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from faireavec.core.navigation import NavLink, OnboardingStep


class StakeholdersConfig(AppConfig):
    name = "faireavec.stakeholders"
    label = "stakeholders"
    verbose_name = _("Stakeholders")

    onboarding_steps = [
        OnboardingStep(
            _("Record your first stakeholders"),
            "stakeholders:stakeholder_list",
            "faireavec.stakeholders.selectors.onboarding_first_stakeholders",
            description=_(
                "The people and bodies around you: users, volunteers, partners, funders. "
                "Add them one by one or import a table."
            ),
            permission="stakeholders.add_stakeholder",
            weight=40,
        ),
    ]
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
