"""Forms shared by every app.

Rendering: one field template (`includes/field.html`), so labels, help texts
and errors look and read the same everywhere. Django ties each field's error
and help text to its input (`aria-describedby`, `aria-invalid`); the error
summary at the top of the page (`includes/form_errors.html`, shown by the page
shell for every invalid form of the page) links to each field's `anchor_id`.

Views: `posted_data(request)` for the form's data and
`add_service_errors(form, exc)` to show a service's ValidationError on the
field it names.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

from faireavec.core.audit import (
    audit_action_label,
    audit_actions_for_organisation,
    audit_actors_for_organisation,
)


class AccessibleBoundField(forms.BoundField):
    @property
    def anchor_id(self) -> str:
        """The id the error summary links to: the input itself, or the first
        one of a group (radio buttons and checkboxes have no single input, and
        Django gives them no `id_for_label`)."""
        if self.id_for_label:
            return self.id_for_label
        for subwidget in self.subwidgets:
            if subwidget.id_for_label:
                return subwidget.id_for_label
        return self.auto_id or ""

    @property
    def is_file(self) -> bool:
        return self.widget_type in {"file", "clearablefile"}


class AccessibleFormRenderer(TemplatesSetting):
    field_template_name = "includes/field.html"
    bound_field_class = AccessibleBoundField


def posted_data(request: HttpRequest) -> QueryDict | None:
    """The posted data, or None for a GET: an empty POST is still a POST, and
    gets its form errors instead of a blank form."""
    return request.POST if request.method == "POST" else None


def posted_files(request: HttpRequest):
    """The posted files, or None for a GET (see `posted_data`)."""
    return request.FILES if request.method == "POST" else None


def add_service_errors(
    form: forms.BaseForm, exc: ValidationError, *, fields: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form, never a 500.

    A message for a field the form has goes beside that field (`fields` maps a
    model field name to the form's field name when they differ); any other
    message goes to the top of the form. `form.add_error(None, exc)` with an
    error naming fields would raise when the form lacks one of them.
    """
    fields = fields or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        name = fields.get(name, name)
        if name == NON_FIELD_ERRORS or name not in form.fields:
            form.add_error(None, errors)
        else:
            form.add_error(name, errors)


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
