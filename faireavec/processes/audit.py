"""How the processes app's actions read in the activity log (see core/audit.py)."""

from django.utils.translation import gettext_lazy as _

from faireavec.core.audit import AuditAction, choice_label, field_names
from faireavec.processes.models import Initiative, Phase

AUDIT_ACTIONS = {
    "initiative.create": AuditAction(
        label=_("Initiative started"), sentence=_("%(actor)s started the initiative « %(target)s »")
    ),
    "initiative.update": AuditAction(
        label=_("Initiative changed"),
        sentence=_("%(actor)s changed the initiative « %(target)s »: %(fields)s"),
        values={"fields": field_names(Initiative)},
    ),
    "initiative.status": AuditAction(
        label=_("Initiative published or closed"),
        sentence=_("%(actor)s moved the initiative « %(target)s » from %(from)s to %(to)s"),
        values={"from": choice_label(Initiative.Status), "to": choice_label(Initiative.Status)},
    ),
    "initiative.delete": AuditAction(
        label=_("Initiative deleted"), sentence=_("%(actor)s deleted the initiative « %(title)s »")
    ),
    "phase.create": AuditAction(
        label=_("Phase added"),
        sentence=_("%(actor)s added the phase « %(target)s » to « %(initiative)s »"),
    ),
    "phase.update": AuditAction(
        label=_("Phase changed"),
        sentence=_("%(actor)s changed the phase « %(target)s » of « %(initiative)s »: %(fields)s"),
        values={"fields": field_names(Phase)},
    ),
    "phase.delete": AuditAction(
        label=_("Phase deleted"),
        sentence=_("%(actor)s deleted the phase « %(title)s » of « %(initiative)s »"),
    ),
}
