from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from faireavec.core.navigation import NavLink


class GovernanceConfig(AppConfig):
    name = "faireavec.governance"
    label = "governance"
    verbose_name = _("Governance")

    public_links = [
        NavLink(
            _("General assemblies"),
            "governance:assembly_list_public",
            "governance.view_assemblies",
            description=_("Convocations, online voting, proxies and minutes of our assemblies."),
            shown_if="faireavec.governance.selectors.has_assemblies",
        ),
        NavLink(
            _("Consultations"),
            "governance:poll_list_public",
            "governance.view_polls",
            description=_("Questions put to you between two assemblies, and their results."),
            shown_if="faireavec.governance.selectors.has_polls",
        ),
        NavLink(
            _("Members' space"),
            "governance:member_space",
            "governance.view_member_space",
            description=_("Discuss with the other members and ask the board your questions."),
        ),
    ]
    backoffice_links = [
        NavLink(
            _("Members and colleges"),
            "governance:member_list",
            "governance.view_member",
            description=_("The member register, voting colleges and what the statutes say."),
        ),
        NavLink(
            _("General assemblies"),
            "governance:assembly_list",
            "governance.view_assembly",
            description=_("Agenda, convocation, attendance, proxies, votes, tally and minutes."),
        ),
        NavLink(
            _("Board and committees"),
            "governance:body_list",
            "governance.view_body",
            description=_("Bodies, their seats and mandates, and the renewals coming."),
        ),
        NavLink(
            _("Consultations"),
            "governance:poll_list",
            "governance.view_poll_admin",
            description=_("Polls of the members or participants: majority judgment, approval."),
        ),
        NavLink(
            _("Members' space"),
            "governance:member_space_admin",
            "governance.view_member_space_admin",
            description=_("Members' questions to answer (the late ones first) and moderation."),
        ),
    ]
