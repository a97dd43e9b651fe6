"""How the contributions app's actions read in the activity log (see core/audit.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from faireavec.contributions.models import Channel, Status
from faireavec.core.audit import AuditAction, choice_label, count

_status = choice_label(Status)

AUDIT_ACTIONS = {
    "contributions.idea_box_open": AuditAction(
        label=_("Idea box opened"),
        sentence=_("%(actor)s opened the idea box (poster printed or address shared)"),
    ),
    "contributions.assisted_entry": AuditAction(
        label=_("Contribution written down for someone"),
        sentence=_("%(actor)s wrote down « %(target)s » for someone (%(channel)s)"),
        values={"channel": choice_label(Channel)},
    ),
    "contributions.status": AuditAction(
        label=_("Status changed"),
        sentence=_("%(actor)s moved « %(target)s » from « %(from)s » to « %(to)s »"),
        values={"from": _status, "to": _status},
    ),
    "contributions.reopen": AuditAction(
        label=_("Contribution reopened"),
        sentence=_("%(actor)s reopened « %(target)s »: « %(from)s » again « %(to)s »"),
        values={"from": _status, "to": _status},
    ),
    "contributions.answer": AuditAction(
        label=_("Answer edited"),
        sentence=_("%(actor)s edited the answer to « %(target)s »"),
    ),
    "contributions.publish": AuditAction(
        label=_("Idea made public"),
        sentence=_("%(actor)s made the idea « %(target)s » public"),
    ),
    "contributions.unpublish": AuditAction(
        label=_("Idea no longer public"),
        sentence=_("%(actor)s took the idea « %(target)s » off the public list"),
    ),
    "contributions.hide": AuditAction(
        label=_("Contribution hidden"),
        sentence=_("%(actor)s hid « %(target)s »: %(reason)s"),
    ),
    "contributions.restore": AuditAction(
        label=_("Contribution shown again"),
        sentence=_("%(actor)s showed « %(target)s » again: %(reason)s"),
    ),
    "contributions.comment_hide": AuditAction(
        label=_("Comment hidden"),
        sentence=_("%(actor)s hid the comment « %(target)s »: %(reason)s"),
    ),
    "contributions.comment_restore": AuditAction(
        label=_("Comment shown again"),
        sentence=_("%(actor)s showed the comment « %(target)s » again: %(reason)s"),
    ),
    "contributions.escalate": AuditAction(
        label=_("Overdue complaints escalated"),
        sentence=ngettext_lazy(
            "%(actor)s told the administrators about %(contributions)s overdue complaint",
            "%(actor)s told the administrators about %(contributions)s overdue complaints",
            "contributions",
        ),
        values={"contributions": count},
    ),
}
