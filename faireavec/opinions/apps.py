from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from faireavec.core.navigation import NavInclude, NavLink


class OpinionsConfig(AppConfig):
    name = "faireavec.opinions"
    label = "opinions"
    verbose_name = _("Opinion map")

    public_links = [
        NavLink(
            _("Opinion maps"),
            "opinions:conversation_list_public",
            "opinions.view_conversation",
            description=_(
                "Vote on short statements, one at a time, and see where people agree and differ."
            ),
            shown_if="faireavec.opinions.selectors.has_public_conversations",
        ),
    ]
    initiative_includes = [
        NavInclude("opinions/includes/initiative_conversations.html", "opinions.view_conversation"),
    ]
    backoffice_links = [
        NavLink(
            _("Opinion maps"),
            "opinions:conversation_list",
            "opinions.review_conversation",
            description=_(
                "Conversations of statements voted on by many people: opinion groups, "
                "what represents each, and what almost everyone shares."
            ),
        ),
    ]
