"""How the needs app's actions read in the activity log (see core/audit.py)."""

from django.utils.translation import gettext_lazy as _

from faireavec.core.audit import AuditAction, choice_label, field_names
from faireavec.needs.models import DiagnosisSection, Need, WatchEntry

AUDIT_ACTIONS = {
    "need.create": AuditAction(
        label=_("Need added"), sentence=_("%(actor)s added the need « %(target)s »")
    ),
    "need.update": AuditAction(
        label=_("Need changed"),
        sentence=_("%(actor)s changed the need « %(target)s »: %(fields)s"),
        values={"fields": field_names(Need)},
    ),
    "need.delete": AuditAction(
        label=_("Need deleted"), sentence=_("%(actor)s deleted the need « %(title)s »")
    ),
    "need.offer_add": AuditAction(
        label=_("Existing offer added"),
        sentence=_("%(actor)s added an existing offer: « %(target)s »"),
    ),
    "need.offer_update": AuditAction(
        label=_("Existing offer changed"),
        sentence=_("%(actor)s changed the existing offer « %(target)s »"),
    ),
    "need.offer_delete": AuditAction(
        label=_("Existing offer deleted"),
        sentence=_("%(actor)s deleted the existing offer « %(target)s »"),
    ),
    "need.link_contribution": AuditAction(
        label=_("Contribution linked to a need"),
        sentence=_("%(actor)s linked contribution no. %(contribution)s to the need « %(target)s »"),
    ),
    "need.unlink_contribution": AuditAction(
        label=_("Contribution unlinked from a need"),
        sentence=_(
            "%(actor)s unlinked contribution no. %(contribution)s from the need « %(target)s »"
        ),
    ),
    "diagnosis.create": AuditAction(
        label=_("Diagnosis started"),
        sentence=_("%(actor)s started the territorial diagnosis (public: %(is_public)s)"),
    ),
    "diagnosis.update": AuditAction(
        label=_("Diagnosis changed"),
        sentence=_("%(actor)s changed the territorial diagnosis (public: %(is_public)s)"),
    ),
    "diagnosis.section_update": AuditAction(
        label=_("Diagnosis section written"),
        sentence=_("%(actor)s wrote the diagnosis section « %(kind)s »"),
        values={"kind": choice_label(DiagnosisSection.Kind)},
    ),
    "watch.create": AuditAction(
        label=_("Watch log entry added"),
        sentence=_("%(actor)s added « %(target)s » to the watch log"),
    ),
    "watch.update": AuditAction(
        label=_("Watch log entry changed"),
        sentence=_("%(actor)s changed the watch log entry « %(target)s »: %(fields)s"),
        values={"fields": field_names(WatchEntry)},
    ),
    "watch.delete": AuditAction(
        label=_("Watch log entry deleted"),
        sentence=_("%(actor)s deleted the watch log entry « %(title)s »"),
    ),
}
