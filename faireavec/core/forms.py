"""Forms of the core app. Form rendering is shared by every app: one field
template, so labels, help texts and errors look and read the same everywhere
(Django ties errors and help texts to the input with aria-describedby)."""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from faireavec.core.audit import (
    audit_action_label,
    audit_actions_for_organisation,
    audit_actors_for_organisation,
)


class AccessibleFormRenderer(TemplatesSetting):
    field_template_name = "includes/field.html"


class AuditFilterForm(forms.Form):
    """Filters of the audit log page (a GET form: the filters stay in the address)."""

    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.ModelChoiceField(
        label=_("Person"), required=False, queryset=None, empty_label=_("Everyone")
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions"))] + [
            (code, audit_action_label(code))
            for code in audit_actions_for_organisation(organisation=organisation)
        ]
        self.fields["actor"].queryset = audit_actors_for_organisation(organisation=organisation)

    def filters(self) -> dict:
        """The valid filters, as keyword arguments of `audit_entries_for_organisation`."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {
            "action": self.cleaned_data["action"],
            "actor": self.cleaned_data["actor"],
        }
