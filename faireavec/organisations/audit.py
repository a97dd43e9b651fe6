"""How the organisations app's actions read in the activity log (see core/audit.py)."""

from django.utils.translation import gettext_lazy as _

from faireavec.core.audit import AuditAction, choice_label, field_names
from faireavec.organisations.models import Organisation, Role

_role = choice_label(Role)

AUDIT_ACTIONS = {
    "organisation.create": AuditAction(
        label=_("Organisation created"),
        sentence=_("%(actor)s created the organisation « %(target)s »"),
    ),
    "organisation.update": AuditAction(
        label=_("Organisation changed"),
        sentence=_("%(actor)s changed the organisation's details: %(fields)s"),
        values={"fields": field_names(Organisation)},
    ),
    "membership.role": AuditAction(
        label=_("Role changed"),
        sentence=_("%(actor)s changed the role of %(person)s from « %(from)s » to « %(to)s »"),
        values={"from": _role, "to": _role},
    ),
    "membership.remove": AuditAction(
        label=_("Person removed"),
        sentence=_("%(actor)s removed %(user)s (%(role)s) from the organisation"),
        values={"role": _role},
    ),
    "invitation.create": AuditAction(
        label=_("Invitation created"),
        sentence=_("%(actor)s created the invitation « %(target)s », as %(role)s"),
        values={"role": _role},
    ),
    "invitation.revoke": AuditAction(
        label=_("Invitation withdrawn"),
        sentence=_("%(actor)s withdrew the invitation « %(target)s »"),
    ),
    "invitation.accept": AuditAction(
        label=_("Invitation accepted"),
        sentence=_("%(actor)s joined the organisation with an invitation, as %(role)s"),
        values={"role": _role},
    ),
    "site.create": AuditAction(
        label=_("Site added"), sentence=_("%(actor)s added the site « %(target)s »")
    ),
    "site.update": AuditAction(
        label=_("Site changed"), sentence=_("%(actor)s changed the site « %(target)s »")
    ),
    "site.delete": AuditAction(
        label=_("Site deleted"), sentence=_("%(actor)s deleted the site « %(target)s »")
    ),
    "charter.publish": AuditAction(
        label=_("Charter published"),
        sentence=_("%(actor)s published the charter, version %(version)s"),
    ),
}
