"""Forms of the sortition app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from faireavec.sortition.models import Draw, Pool

CONSENT_TEXT = _(
    "I agree that the organisation keeps my name, my contact and my answers to draw a panel "
    "by lot, and contacts me if I am drawn. My answers are used only for this draw; I can "
    "withdraw at any time by asking the organisation."
)


class PoolForm(forms.ModelForm):
    class Meta:
        model = Pool
        fields = ["title", "description", "panel_size", "registration_open", "phase"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        from faireavec.processes.models import Phase

        self.fields["phase"].queryset = Phase.objects.filter(
            initiative__organisation=organisation
        ).select_related("initiative")
        self.fields["phase"].help_text = _(
            "Optional: the panel is then one way of taking part in this phase."
        )


class CategoryForm(forms.Form):
    name = forms.CharField(
        label=_("Category"), max_length=100, help_text=_("E.g. age, territory, college.")
    )
    values = forms.CharField(
        label=_("Values"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        help_text=_("One per line, e.g. « under 30 », « 30 to 59 », « 60 and over »."),
    )

    def clean_values(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["values"].splitlines() if line.strip()]


class QuotasForm(forms.Form):
    """A minimum and a maximum per value of every category."""

    def __init__(self, *args, categories, initial_quotas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = categories
        for category in categories:
            for value in category.values.all():
                low, high = (initial_quotas or {}).get(value.pk, (value.min_quota, value.max_quota))
                self.fields[f"min_{value.pk}"] = forms.IntegerField(
                    label=_("Minimum for « %(value)s »") % {"value": value.label},
                    min_value=0,
                    initial=low,
                )
                self.fields[f"max_{value.pk}"] = forms.IntegerField(
                    label=_("Maximum for « %(value)s »") % {"value": value.label},
                    min_value=0,
                    required=False,
                    initial=high,
                    help_text=_("Empty: no maximum."),
                )

    def rows(self):
        for category in self.categories:
            yield (
                category,
                [
                    (value, self[f"min_{value.pk}"], self[f"max_{value.pk}"])
                    for value in category.values.all()
                ],
            )

    def quotas(self) -> dict[int, tuple[int, int | None]]:
        return {
            value.pk: (self.cleaned_data[f"min_{value.pk}"], self.cleaned_data[f"max_{value.pk}"])
            for category in self.categories
            for value in category.values.all()
        }


class ReferenceFiguresForm(forms.Form):
    """People per value in a reference population (e.g. the membership), typed in."""

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = categories
        for category in categories:
            for value in category.values.all():
                self.fields[f"ref_{value.pk}"] = forms.IntegerField(
                    label=_("People « %(value)s » in the reference population")
                    % {"value": value.label},
                    min_value=0,
                )

    def figures(self) -> dict[int, float]:
        return {
            value.pk: float(self.cleaned_data[f"ref_{value.pk}"])
            for category in self.categories
            for value in category.values.all()
        }


class VolunteerForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    contact = forms.CharField(
        label=_("Your email or phone number"),
        max_length=200,
        help_text=_("Only to tell you if you are drawn."),
    )

    def __init__(self, *args, categories, assisted=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = categories
        if assisted:
            self.fields["name"].label = _("Name")
            self.fields["contact"].label = _("Email or phone number")
        for category in categories:
            self.fields[f"category_{category.pk}"] = forms.TypedChoiceField(
                label=category.name,
                choices=[(v.pk, v.label) for v in category.values.all()],
                coerce=int,
                widget=forms.RadioSelect,
            )
        self.fields["consent"] = forms.BooleanField(
            label=CONSENT_TEXT
            if not assisted
            else _("The person gave their consent to this:") + " " + str(CONSENT_TEXT),
            required=True,
            error_messages={"required": _("Tick the box to agree, or we cannot register you.")},
        )

    def values(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"category_{c.pk}"] for c in self.categories}


class DrawForm(forms.Form):
    seed = forms.CharField(
        label=_("Seed"),
        max_length=200,
        help_text=_(
            "Announced in advance, or taken from a public source: for instance the numbers "
            "of a national lottery draw, typed as they were published (« 7 12 23 31 44 — 5 »)."
        ),
    )
    seed_source = forms.CharField(
        label=_("Where the seed comes from"),
        max_length=500,
        help_text=_(
            "E.g. « Loto du samedi 5 décembre 2026, announced at the board of 20 November »."
        ),
    )
    algorithm = forms.ChoiceField(
        label=_("Method"), choices=Draw.Algorithm.choices, initial=Draw.Algorithm.LEXIMIN
    )


class ReplacementForm(forms.Form):
    reason = forms.CharField(
        label=_("Why this person leaves the panel"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
