"""Forms of the sortition app."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from faireavec.governance.selectors import bodies_of, colleges_of
from faireavec.sortition.models import Draw, Pool

FROM_COLLEGE = "college"  # a category's value taken from the member's college
CONSENT_TEXT = _(
    "I agree that the organisation keeps my name, my contact and my answers to draw a panel "
    "by lot, and contacts me if I am drawn. My answers are used only for this draw; I can "
    "withdraw at any time by asking the organisation."
)


class PoolForm(forms.ModelForm):
    class Meta:
        model = Pool
        fields = ["title", "description", "panel_size", "registration_open", "phase", "body"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        from faireavec.processes.models import Phase

        self.fields["phase"].queryset = Phase.objects.filter(
            initiative__organisation=organisation
        ).select_related("initiative")
        self.fields["phase"].help_text = _(
            "Optional: the panel is then one way of taking part in this phase."
        )
        self.fields["body"].queryset = bodies_of(organisation=organisation)
        self.fields["body"].help_text = _(
            "Optional: the panel drawn then takes this body's free seats (its members "
            "must come from the member register)."
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


class MembersForm(forms.Form):
    """Which members of the register join the pool, and their value in each category."""

    def __init__(self, *args, organisation, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = categories
        self.fields["college"] = forms.ModelChoiceField(
            label=_("Members"),
            queryset=colleges_of(organisation=organisation),
            required=False,
            empty_label=_("All active members"),
            help_text=_("Or only the active members of one college."),
        )
        for category in categories:
            self.fields[f"category_{category.pk}"] = forms.ChoiceField(
                label=category.name,
                choices=[(FROM_COLLEGE, _("The member's college (a value with its name)"))]
                + [(str(v.pk), v.label) for v in category.values.all()],
                help_text=_("Or the same value for everyone added."),
            )

    def features(self) -> dict[int, int | str]:
        result: dict[int, int | str] = {}
        for category in self.categories:
            choice = self.cleaned_data[f"category_{category.pk}"]
            result[category.pk] = choice if choice == FROM_COLLEGE else int(choice)
        return result


class VolunteerImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV, XLSX or ODS)"),
        help_text=_(
            "First line: the columns « Nom », « Contact » (email or phone) and one per "
            "category, named as in the pool; then one volunteer per line, each value "
            "written as in the pool."
        ),
    )


class VolunteerImportConfirmForm(forms.Form):
    signed = forms.CharField(widget=forms.HiddenInput, max_length=2_000_000)
    consent_given = forms.BooleanField(
        label=format_lazy(
            "{} {}", _("Every person in the file gave their consent to this:"), CONSENT_TEXT
        ),
        required=False,
        help_text=_("Otherwise their consent stays « to be confirmed » and they are not drawn."),
    )


class ConsentForm(forms.Form):
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        required=True,
        error_messages={"required": _("Tick the box to agree, or you will not be drawn.")},
    )


class SeatsForm(forms.Form):
    starts_on = forms.DateField(
        label=_("Mandates start on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Each mandate lasts the body's usual length."),
    )
