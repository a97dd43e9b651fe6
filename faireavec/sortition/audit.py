"""How the sortition app's actions read in the activity log (see core/audit.py)."""

from django.utils.translation import gettext_lazy as _

from faireavec.core.audit import AuditAction

AUDIT_ACTIONS = {
    "sortition.pool_create": AuditAction(
        label=_("Pool of volunteers created"),
        sentence=_("%(actor)s created the pool of volunteers « %(target)s »"),
    ),
    "sortition.category_create": AuditAction(
        label=_("Draw category added"),
        sentence=_("%(actor)s added the category « %(target)s » to a pool"),
    ),
    "sortition.quotas_set": AuditAction(
        label=_("Quotas changed"), sentence=_("%(actor)s changed the quotas of « %(target)s »")
    ),
    "sortition.volunteer_add": AuditAction(
        label=_("Volunteer added"),
        sentence=_("%(actor)s added a volunteer to the pool « %(pool)s »"),
    ),
    "sortition.draw_request": AuditAction(
        label=_("Draw requested"),
        sentence=_("%(actor)s asked for a draw in « %(target)s » with the seed « %(seed)s »"),
    ),
    "sortition.replacement": AuditAction(
        label=_("Panel member replaced"),
        sentence=_("%(actor)s replaced a panel member of « %(pool)s »: %(reason)s"),
    ),
}
