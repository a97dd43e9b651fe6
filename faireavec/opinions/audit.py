"""How the opinions app's actions read in the activity log (see core/audit.py)."""

from django.utils.translation import gettext_lazy as _

from faireavec.core.audit import AuditAction, field_names
from faireavec.opinions.models import Conversation

AUDIT_ACTIONS = {
    "opinions.conversation_create": AuditAction(
        label=_("Opinion map created"),
        sentence=_("%(actor)s created the opinion map « %(target)s »"),
    ),
    "opinions.conversation_update": AuditAction(
        label=_("Opinion map changed"),
        sentence=_("%(actor)s changed the opinion map « %(target)s »: %(fields)s"),
        values={"fields": field_names(Conversation)},
    ),
    "opinions.statement_add": AuditAction(
        label=_("Statement added to an opinion map"),
        sentence=_("%(actor)s added the statement « %(target)s » to « %(conversation)s »"),
    ),
    "opinions.statement_accept": AuditAction(
        label=_("Statement published"),
        sentence=_("%(actor)s published the statement « %(target)s » in « %(conversation)s »"),
    ),
    "opinions.statement_reject": AuditAction(
        label=_("Statement rejected"),
        sentence=_("%(actor)s rejected the statement « %(target)s » in « %(conversation)s »"),
    ),
    "opinions.conversation_export": AuditAction(
        label=_("Opinion map exported"),
        sentence=_("%(actor)s exported « %(target)s » in the Pol.is layout (%(file)s)"),
    ),
    "opinions.conversation_import": AuditAction(
        label=_("Opinion map imported"),
        sentence=_(
            "%(actor)s imported the Pol.is conversation « %(target)s »: %(statements)s "
            "statements, %(participants)s participants, %(votes)s votes"
        ),
    ),
}
