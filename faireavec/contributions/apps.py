from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from faireavec.core.navigation import NavInclude, NavLink, OnboardingStep
from faireavec.core.scheduler import Periodic


class ContributionsConfig(AppConfig):
    name = "faireavec.contributions"
    label = "contributions"
    verbose_name = _("Contributions")

    periodic_tasks = [
        Periodic(
            "faireavec.contributions.tasks.escalate_overdue",
            "0 8 * * *",
            "complaints past their deadline escalated, at 8:00",
        )
    ]

    public_links = [
        NavLink(
            _("Give my opinion"),
            "contributions:contribution_create",
            description=_("An idea, a complaint or a testimony: we read everything and answer."),
        ),
        NavLink(
            _("My contributions"),
            "contributions:contribution_mine",
            "contributions.support_contribution",
            description=_("What you told us, and what became of it."),
        ),
        NavLink(
            _("You said, we did"),
            "contributions:said_done",
            "contributions.view_public_contributions",
            description=_("What became of what people told us."),
            shown_if="faireavec.contributions.selectors.has_answered_public",
        ),
        NavLink(
            _("Ideas to support"),
            "contributions:idea_list",
            "contributions.view_public_contributions",
            description=_("Support the ideas you like and say what you think."),
            shown_if="faireavec.contributions.selectors.has_public_ideas",
        ),
    ]
    # The follow-up code look-up: on the home page and at the foot of every public page.
    home_includes = [
        NavInclude("contributions/_followup_lookup_home.html", "contributions.follow_contribution")
    ]
    footer_includes = [
        NavInclude(
            "contributions/_followup_lookup_footer.html", "contributions.follow_contribution"
        )
    ]
    personal_links = [
        NavLink(
            _("My contributions"),
            "contributions:contribution_mine",
            "contributions.support_contribution",
        ),
    ]
    onboarding_steps = [
        OnboardingStep(
            _("Open your idea box"),
            "contributions:contribution_poster",
            "faireavec.contributions.selectors.onboarding_idea_box_open",
            description=_(
                "Print the poster with its QR code or share the address of « Give my "
                "opinion », then say your idea box is open (or wait for a first "
                "opinion given online)."
            ),
            permission="contributions.manage_contribution",
            weight=50,
        ),
    ]
    backoffice_links = [
        NavLink(_("Contributions"), "contributions:inbox", "contributions.manage_contribution"),
        NavLink(
            _("Overdue complaints"),
            "contributions:overdue_list",
            "contributions.manage_contribution",
        ),
        NavLink(
            _("Moderation"), "contributions:moderation_list", "contributions.moderate_contribution"
        ),
    ]
