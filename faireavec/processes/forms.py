from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faireavec.accounts.models import User
from faireavec.contributions.forms import HoneypotMixin
from faireavec.needs.models import Need
from faireavec.processes.models import (
    AUDIENCE_EXPLANATIONS,
    INVOLVEMENT_EXPLANATIONS,
    Action,
    Initiative,
    Phase,
)
from faireavec.processes.services import INITIATIVE_FIELDS, INITIATIVE_RELATIONS
from faireavec.stakeholders.models import Stakeholder

INITIATIVE_FORM_FIELDS = [f for f in INITIATIVE_FIELDS if f not in {"follow_up_done_on"}]


class _ExplainedRadioSelect(forms.RadioSelect):
    """Radio buttons whose every choice carries its plain-words explanation."""

    def __init__(self, explanations, *args, **kwargs):
        self.explanations = explanations
        super().__init__(*args, **kwargs)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        explanation = self.explanations.get(value)
        if explanation:
            option["label"] = f"{str(label).capitalize()} — {explanation}"
        return option


class InitiativeForm(forms.ModelForm):
    """An initiative's fields; the view hands `service_data()` and `relations()` to a service."""

    class Meta:
        model = Initiative
        fields = [*INITIATIVE_FORM_FIELDS, "follow_up_done_on", *INITIATIVE_RELATIONS]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "decided_with_participants": forms.Textarea(attrs={"rows": 3}),
            "decided_by_organisation": forms.Textarea(attrs={"rows": 3}),
            "follow_up_promise": forms.Textarea(attrs={"rows": 3}),
            "what_happened": forms.Textarea(attrs={"rows": 5}),
            "follow_up_due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "follow_up_done_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "needs": forms.CheckboxSelectMultiple,
            "stakeholders": forms.CheckboxSelectMultiple,
            "invited": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, organisation, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.creating = creating
        self.fields["involvement_level"].widget = _ExplainedRadioSelect(
            INVOLVEMENT_EXPLANATIONS, choices=self.fields["involvement_level"].choices
        )
        self.fields["audience"].widget = _ExplainedRadioSelect(
            AUDIENCE_EXPLANATIONS, choices=self.fields["audience"].choices
        )
        self.fields["needs"].queryset = Need.objects.filter(organisation=organisation).order_by(
            "title"
        )
        self.fields["stakeholders"].queryset = Stakeholder.objects.filter(
            organisation=organisation
        ).order_by("name")
        self.fields["invited"].queryset = User.objects.filter(
            memberships__organisation=organisation
        ).order_by("display_name", "email")
        self.fields["invited"].label_from_instance = lambda user: user.display_name or user.email
        if creating:
            del self.fields["what_happened"]
            del self.fields["follow_up_done_on"]
            self.fields["phases_from"] = forms.DateField(
                label=_("Start of the default phases"),
                required=False,
                initial=timezone.localdate,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                help_text=_(
                    "The initiative gets five phases one after the other from this day: identify "
                    "needs, co-design, experiment, evaluate, spread. You change them afterwards. "
                    "Leave empty to add your own phases."
                ),
            )

    def service_data(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in INITIATIVE_FIELDS
            if name in self.fields and name in self.cleaned_data
        }

    def relations(self) -> dict:
        return {name: list(self.cleaned_data[name]) for name in INITIATIVE_RELATIONS}


PHASE_FORM_FIELDS = [
    "kind",
    "title",
    "description",
    "position",
    "starts_on",
    "ends_on",
    *(f"allows_{action}" for action in Action.values),
]


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = PHASE_FORM_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PHASE_FORM_FIELDS}


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Initiative.Status.choices)


class ProposalForm(HoneypotMixin):
    """A proposal in an initiative: few fields, plain words."""

    title = forms.CharField(
        label=_("Your proposal in a few words"),
        max_length=150,
        help_text=_("For example: « A repair café every month »."),
    )
    body = forms.CharField(
        label=_("Explain your proposal"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What it would change, for whom, and how it could be done."),
    )
    show_author_name = forms.BooleanField(label=_("Show my name with my proposal"), required=False)

    def __init__(self, *args, signed_in: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not signed_in:
            del self.fields["show_author_name"]
