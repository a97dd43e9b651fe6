"""How the sortition app's actions read in the activity log (see core/audit.py)."""

from django.utils.translation import gettext_lazy as _

from faireavec.core.audit import AuditAction, count

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
    "sortition.volunteer_import": AuditAction(
        label=_("Volunteers imported"),
        sentence=_("%(actor)s imported %(count)s volunteers into « %(target)s »"),
        values={"count": count},
    ),
    "sortition.volunteers_from_members": AuditAction(
        label=_("Members added as volunteers"),
        sentence=_("%(actor)s added %(count)s members of the register to « %(target)s »"),
        values={"count": count},
    ),
    "sortition.seats_filled": AuditAction(
        label=_("Seats filled by a draw"),
        sentence=_("%(actor)s gave %(count)s seats of « %(body)s » to the panel of « %(target)s »"),
        values={"count": count},
    ),
}
