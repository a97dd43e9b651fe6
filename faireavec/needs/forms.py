from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from faireavec.needs.models import (
    DiagnosisSection,
    ExistingOffer,
    Need,
    Source,
    TerritorialDiagnosis,
    WatchEntry,
)
from faireavec.needs.selectors import needs_for_linking
from faireavec.needs.services import WATCH_FIELDS

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


class _LinkedFile:
    """What the file input shows as the current file: a label and the address of the
    view that serves it (a private file has no address of its own)."""

    def __init__(self, label: str, url: str) -> None:
        self.label, self.url = label, url

    def __str__(self) -> str:
        return self.label


class PrivateFileInput(forms.ClearableFileInput):
    """A file input whose « currently » link goes to `download_url`, not to the storage."""

    download_url = ""

    def is_initial(self, value) -> bool:
        return bool(value) and not isinstance(value, UploadedFile)

    def format_value(self, value):
        if self.is_initial(value):
            return _LinkedFile(str(_("the current document")), self.download_url)
        return None


WATCH_FORM_FIELDS = list(WATCH_FIELDS)


class WatchEntryForm(forms.ModelForm):
    """An entry of the watch log; the needs to choose from are the organisation's."""

    link = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a web address, as in « https://www.insee.fr/… ».")},
    )

    class Meta:
        model = WatchEntry
        fields = WATCH_FORM_FIELDS
        widgets = {
            "observed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "effect": forms.Textarea(attrs={"rows": 2}),
            "direction": forms.RadioSelect,
            "aspect": forms.RadioSelect,
            "needs": forms.CheckboxSelectMultiple,
            "document": PrivateFileInput,
        }
        labels = {"needs": _("Needs it concerns")}
        help_texts = {
            "needs": _("Tick the needs this information may change. You can tick none."),
            "diagnosis_section": _("Where it belongs in the territorial diagnosis, if anywhere."),
        }
        error_messages = {
            "needs": {"invalid_choice": _("Choose the needs from the list.")},
        }

    def __init__(self, *args, organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["needs"].queryset = needs_for_linking(organisation=organisation)
        if self.instance.pk:
            self.fields["document"].widget.download_url = reverse(
                "needs:watch_document",
                kwargs={"org_slug": organisation.slug, "watchentry_pk": self.instance.pk},
            )
        self.fields["diagnosis_section"].choices = [
            ("", _("None")),
            *DiagnosisSection.Kind.choices,
        ]

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in WATCH_FORM_FIELDS}
        document = self.cleaned_data.get("document")
        # A new upload, `False` when « clear » is ticked, else None (keep the file).
        data["document"] = (
            document if document is False or isinstance(document, UploadedFile) else None
        )
        data["needs"] = list(self.cleaned_data["needs"])
        return data


class WatchFilterForm(forms.Form):
    """The watch log's filters (GET). Invalid values are ignored, not an error page."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *WatchEntry.Kind.choices], required=False
    )
    direction = forms.ChoiceField(
        label=_("Expected effect"),
        choices=[("", _("All")), *WatchEntry.Direction.choices],
        required=False,
    )
    aspect = forms.ChoiceField(
        label=_("In what way"),
        choices=[("", _("All")), *WatchEntry.Aspect.choices],
        required=False,
    )
    diagnosis_section = forms.ChoiceField(
        label=_("Part of the diagnosis"),
        choices=[("", _("All")), *DiagnosisSection.Kind.choices],
        required=False,
    )
    need = forms.ModelChoiceField(
        label=_("Need"), queryset=Need.objects.none(), required=False, empty_label=_("All")
    )

    def __init__(self, *args, organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = needs_for_linking(organisation=organisation)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}
