from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faireavec.organisations.models import Organisation
from faireavec.stakeholders.models import (
    Category,
    Interaction,
    Level,
    ParticipationMode,
    Stakeholder,
    StakeholderSubcategory,
    StakeholderTag,
    category_choices_grouped,
)
from faireavec.stakeholders.selectors import (
    StakeholderFilters,
    subcategories_of_organisation,
    tags_of_organisation,
    territories_of_organisation,
)

SCALE = [(i, str(i)) for i in range(1, 6)]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class StakeholderForm(forms.ModelForm):
    tags_text = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas: « neighbourhood, youth »."),
    )
    participation_modes = forms.MultipleChoiceField(
        label=_("Ways they take part"),
        choices=ParticipationMode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    influence = forms.TypedChoiceField(
        label=_("Influence (1 to 5)"),
        choices=SCALE,
        coerce=int,
        initial=3,
        help_text=_("1: very little, 5: decisive."),
    )
    interest = forms.TypedChoiceField(
        label=_("Interest (1 to 5)"),
        choices=SCALE,
        coerce=int,
        initial=3,
        help_text=_("1: hardly concerned, 5: very concerned."),
    )

    class Meta:
        model = Stakeholder
        fields = [
            "kind",
            "name",
            "category",
            "subcategory",
            "territory",
            "current_level",
            "target_level",
            "participation_modes",
            "influence",
            "interest",
            "user",
            "email",
            "phone",
            "contact_basis",
            "contact_review_on",
            "notes",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "contact_review_on": DateInput,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "---------"), *category_choices_grouped()]
        self.fields["subcategory"].queryset = subcategories_of_organisation(
            organisation=organisation
        )
        categories = dict(Category.choices)
        self.fields["subcategory"].label_from_instance = lambda s: (
            f"{categories.get(s.category, '')} — {s.name}"
        )
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(memberships__organisation=organisation)
            .order_by("display_name", "email")
        )
        self.fields["user"].label_from_instance = lambda user: user.backoffice_label
        self.fields["contact_basis"].help_text = _(
            "Needed as soon as you keep an email or a phone number."
        )
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        if self.instance.pk:
            self.initial["tags_text"] = ", ".join(t.name for t in self.instance.tags.all())

    def clean_tags_text(self) -> str:
        text = self.cleaned_data["tags_text"]
        limit = StakeholderTag._meta.get_field("name").max_length
        if any(len(part.strip()) > limit for part in text.replace(";", ",").split(",")):
            raise forms.ValidationError(
                _("Each tag may have %(limit)s characters at most.") % {"limit": limit}
            )
        return text


class InteractionForm(forms.ModelForm):
    class Meta:
        model = Interaction
        fields = ["kind", "occurred_on", "people", "note"]
        widgets = {"occurred_on": DateInput, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].initial = timezone.localdate()

    def clean_occurred_on(self):
        occurred_on = self.cleaned_data["occurred_on"]
        if occurred_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return occurred_on


class SubcategoryForm(forms.ModelForm):
    class Meta:
        model = StakeholderSubcategory
        fields = ["category", "name"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "---------"), *category_choices_grouped()]


class StakeholderFilterForm(forms.Form):
    """The filters of the register, map and grid, read from the URL so that a
    filtered page can be shared."""

    q = forms.CharField(label=_("Name contains"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Category"), required=False)
    level = forms.TypedChoiceField(
        label=_("Current level"), required=False, coerce=int, empty_value=None
    )
    tag = forms.TypedChoiceField(label=_("Tag"), required=False, coerce=int, empty_value=None)
    territory = forms.ChoiceField(label=_("Territory"), required=False)

    def __init__(self, data, *, organisation: Organisation, with_search: bool = True) -> None:
        super().__init__(data, auto_id="filter_%s")
        everything = [("", _("all"))]
        self.fields["category"].choices = everything + category_choices_grouped()
        self.fields["level"].choices = everything + list(Level.choices)
        self.fields["tag"].choices = everything + [
            (t.pk, t.name) for t in tags_of_organisation(organisation=organisation)
        ]
        self.fields["territory"].choices = everything + [
            (t, t) for t in territories_of_organisation(organisation=organisation)
        ]
        if not with_search:
            del self.fields["q"]

    def summary(self) -> list[tuple[str, str]]:
        """The active filters as (label, value) pairs, to print with a filtered map."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        pairs = []
        for name, field in self.fields.items():
            value = data.get(name)
            if value in (None, ""):
                continue
            if hasattr(field, "choices"):
                flat = {}
                for key, label in field.choices:
                    if isinstance(label, list | tuple):
                        flat.update({str(k): v for k, v in label})
                    else:
                        flat[str(key)] = label
                value = flat.get(str(value), value)
            pairs.append((str(field.label), str(value)))
        return pairs

    def filters(self, *, to_review: bool = False) -> StakeholderFilters:
        """The valid filters; a value that is not in the lists is ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return StakeholderFilters(
            category=data.get("category") or "",
            level=data.get("level"),
            tag=data.get("tag"),
            territory=data.get("territory") or "",
            q=(data.get("q") or "").strip(),
            to_review=to_review,
        )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Table to import"),
        help_text=_(
            "A CSV, XLSX or ODS file whose first line names the columns; « Name » and « Category » are required."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.ods"}),
    )
