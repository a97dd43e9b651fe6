from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from faireavec.core.navigation import NavLink, OnboardingStep

SELECTORS = "faireavec.organisations.selectors."


class OrganisationsConfig(AppConfig):
    name = "faireavec.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    public_links = [
        # With a permission, so that a private organisation's invitation page does
        # not offer its visitors links that are 404 for them.
        NavLink(
            _("Our charter"),
            "organisations:charter",
            "organisations.view_organisation",
            description=_("How we treat the people we work with."),
            shown_if=SELECTORS + "onboarding_charter_published",
        ),
        NavLink(
            _("Our sites"),
            "organisations:site_list",
            "organisations.view_organisation",
            description=_("Addresses, opening hours and accessibility."),
            shown_if=SELECTORS + "onboarding_site_added",
        ),
    ]
    # The first steps of a new organisation, on the back-office home until all are done.
    onboarding_steps = [
        OnboardingStep(
            _("Publish your charter"),
            "organisations:charter_edit",
            SELECTORS + "onboarding_charter_published",
            description=_(
                "How you treat the people you work with; they read it before giving their opinion."
            ),
            permission="organisations.change_charter",
            weight=10,
        ),
        OnboardingStep(
            _("Add a site or a service"),
            "organisations:site_manage",
            SELECTORS + "onboarding_site_added",
            description=_("Where people find you: address, opening hours, accessibility."),
            permission="organisations.manage_sites",
            weight=20,
        ),
        OnboardingStep(
            _("Invite people"),
            "organisations:invitation_list",
            SELECTORS + "onboarding_people_invited",
            description=_(
                "Your team, your volunteers and the people you serve join with a link or a poster."
            ),
            permission="organisations.add_invitation",
            weight=30,
        ),
    ]
    backoffice_links = [
        NavLink(_("Home"), "organisations:backoffice_home", "organisations.view_backoffice"),
        NavLink(
            _("Getting started"),
            "organisations:onboarding",
            "organisations.change_organisation",
            description=_("The first steps of a new organisation, and how far you are."),
            weight=90,
        ),
        NavLink(_("Members"), "organisations:member_list", "organisations.manage_members"),
        NavLink(_("Invitations"), "organisations:invitation_list", "organisations.add_invitation"),
        NavLink(_("Sites and services"), "organisations:site_manage", "organisations.manage_sites"),
        NavLink(_("Charter"), "organisations:charter_edit", "organisations.change_charter"),
        NavLink(
            _("Settings"), "organisations:organisation_edit", "organisations.change_organisation"
        ),
    ]
