from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from faireavec.core.navigation import NavLink


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
        ),
        NavLink(
            _("Our sites"),
            "organisations:site_list",
            "organisations.view_organisation",
            description=_("Addresses, opening hours and accessibility."),
        ),
    ]
    backoffice_links = [
        NavLink(_("Home"), "organisations:backoffice_home", "organisations.view_backoffice"),
        NavLink(_("Members"), "organisations:member_list", "organisations.manage_members"),
        NavLink(_("Invitations"), "organisations:invitation_list", "organisations.add_invitation"),
        NavLink(_("Sites and services"), "organisations:site_manage", "organisations.manage_sites"),
        NavLink(_("Charter"), "organisations:charter_edit", "organisations.change_charter"),
        NavLink(
            _("Settings"), "organisations:organisation_edit", "organisations.change_organisation"
        ),
    ]
