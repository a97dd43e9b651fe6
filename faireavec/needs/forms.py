from django import forms
from django.utils.translation import gettext_lazy as _

from faireavec.needs.models import (
    DiagnosisSection,
    ExistingOffer,
    Need,
    Source,
    TerritorialDiagnosis,
)
from faireavec.needs.selectors import needs_for_linking

NEED_FORM_FIELDS = [
    "title",
    "description",
    "people_concerned",
    "territory",
    "sources",
    "coverage",
    "gap",
    "priority",
    "status",
    "is_public",
]


class NeedForm(forms.ModelForm):
    """The fields of a need; the view hands `cleaned_data` to a service."""

    sources = forms.MultipleChoiceField(
        label=_("Sources"),
        choices=Source.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("How you learnt about this need. Tick all that apply."),
    )

    class Meta:
        model = Need
        fields = NEED_FORM_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "people_concerned": forms.Textarea(attrs={"rows": 3}),
            "gap": forms.Textarea(attrs={"rows": 3}),
            "coverage": forms.RadioSelect,
        }

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in NEED_FORM_FIELDS}


class NeedFromContributionForm(NeedForm):
    """A new need created from a contribution: the same fields, without the status."""

    class Meta(NeedForm.Meta):
        fields = [f for f in NEED_FORM_FIELDS if f != "status"]

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ExistingOfferForm(forms.ModelForm):
    class Meta:
        model = ExistingOffer
        fields = ["provider_kind", "provider_name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class LinkToNeedForm(forms.Form):
    need = forms.ModelChoiceField(
        label=_("Need"),
        queryset=None,
        empty_label=_("Choose a need"),
        error_messages={"invalid_choice": _("Choose a need from the list.")},
    )

    def __init__(self, *args, organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = needs_for_linking(organisation=organisation)


class NeedFilterForm(forms.Form):
    """The register's filters (GET). Invalid values are ignored, not an error page."""

    coverage = forms.ChoiceField(
        label=_("Coverage"), choices=[("", _("All")), *Need.Coverage.choices], required=False
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=[("", _("All")), *Need.Priority.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Need.Status.choices], required=False
    )
    source = forms.ChoiceField(
        label=_("Source"), choices=[("", _("All")), *Source.choices], required=False
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class DiagnosisForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=TerritorialDiagnosis._meta.get_field("summary").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The territory in a few sentences."),
    )
    is_public = forms.BooleanField(
        label=_("Show the diagnosis on the public pages"),
        required=False,
        help_text=_("Members and participants always see it; tick to show it to everyone as well."),
    )


class DiagnosisSectionForm(forms.ModelForm):
    class Meta:
        model = DiagnosisSection
        fields = ["text", "sources", "as_of"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 8}),
            "sources": forms.Textarea(attrs={"rows": 3}),
            "as_of": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
