"""How the stakeholders app's actions read in the activity log (see core/audit.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from faireavec.core.audit import AuditAction, choice_label, field_names, iso_date
from faireavec.stakeholders.models import Category, Interaction, Stakeholder

_category = choice_label(Category)
_interaction = {"kind": choice_label(Interaction.Kind), "date": iso_date}

AUDIT_ACTIONS = {
    "stakeholder.create": AuditAction(
        label=_("Stakeholder added"),
        sentence=_("%(actor)s added the stakeholder « %(target)s »"),
    ),
    "stakeholder.update": AuditAction(
        label=_("Stakeholder changed"),
        sentence=_("%(actor)s changed the stakeholder « %(target)s »: %(fields)s"),
        values={"fields": field_names(Stakeholder)},
    ),
    "stakeholder.delete": AuditAction(
        label=_("Stakeholder deleted"),
        sentence=_("%(actor)s deleted the stakeholder « %(target)s » (%(category)s)"),
        values={"category": _category},
    ),
    "stakeholder.review": AuditAction(
        label=_("Stakeholder checked"),
        sentence=_("%(actor)s checked the entry of « %(target)s »"),
    ),
    "stakeholder.interaction_create": AuditAction(
        label=_("Interaction recorded"),
        sentence=_("%(actor)s recorded an interaction with « %(target)s »: %(kind)s, %(date)s"),
        values=_interaction,
    ),
    "stakeholder.interaction_delete": AuditAction(
        label=_("Interaction deleted"),
        sentence=_("%(actor)s deleted an interaction with « %(target)s »: %(kind)s, %(date)s"),
        values=_interaction,
    ),
    "stakeholder.subcategory_create": AuditAction(
        label=_("Sub-category added"),
        sentence=_("%(actor)s added the sub-category « %(target)s » to %(category)s"),
        values={"category": _category},
    ),
    "stakeholder.subcategory_delete": AuditAction(
        label=_("Sub-category deleted"),
        sentence=_("%(actor)s deleted the sub-category « %(target)s » of %(category)s"),
        values={"category": _category},
    ),
    "stakeholder.import": AuditAction(
        label=_("Stakeholders imported"),
        sentence=ngettext_lazy(
            "%(actor)s imported %(count)s stakeholder from « %(file)s »",
            "%(actor)s imported %(count)s stakeholders from « %(file)s »",
            "count",
        ),
    ),
}
