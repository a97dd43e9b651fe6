"""Forms of the surveys app (the answering form is in `answering.py`)."""

import re

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from faireavec.contributions.models import Channel
from faireavec.contributions.models import Kind as ContributionKind
from faireavec.core.models import TEXT_SHORT
from faireavec.surveys.conditions import OPS, op_label
from faireavec.surveys.models import Kind, Question, Section, Survey, normalise_token_code
from faireavec.surveys.scales import value_options
from faireavec.surveys.services import options_from_lines
from faireavec.surveys.templates_fr import TEMPLATE_TITLES

SURVEY_FORM_FIELDS = [
    "title",
    "description",
    "thanks",
    "audience",
    "identity",
    "limit",
    "display",
    "opens_at",
    "closes_at",
    "wave_label",
    "phase",
]
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y"]
MAX_CONDITION_RULES = 3


class SurveyForm(forms.ModelForm):
    """A survey's settings; the view hands `service_data()` to a service."""

    opens_at = forms.DateTimeField(
        label=_("Opens on"),
        required=False,
        widget=DATETIME_WIDGET,
        input_formats=DATETIME_FORMATS,
        help_text=_("Empty: as soon as it is published."),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes on"),
        required=False,
        widget=DATETIME_WIDGET,
        input_formats=DATETIME_FORMATS,
        help_text=_("Empty: until you archive it."),
    )

    class Meta:
        model = Survey
        fields = SURVEY_FORM_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "thanks": forms.Textarea(attrs={"rows": 3}),
            "audience": forms.RadioSelect,
            "identity": forms.RadioSelect,
            "limit": forms.RadioSelect,
            "display": forms.RadioSelect,
        }

    def __init__(self, *args, phases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = phases
        self.fields["phase"].label_from_instance = lambda phase: f"{phase.initiative} — {phase}"
        self.fields["phase"].empty_label = _("No initiative")

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in SURVEY_FORM_FIELDS}


class NewSurveyForm(forms.Form):
    start = forms.ChoiceField(
        label=_("Start from"),
        widget=forms.RadioSelect,
        choices=[("blank", _("A blank survey"))]
        + [
            (key, _("The ready template « %(title)s »") % {"title": title})
            for key, title in TEMPLATE_TITLES.items()
        ],
        initial="satisfaction",
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Empty: the template's title."),
    )


class NewWaveForm(forms.Form):
    wave_label = forms.CharField(
        label=_("Name of the new wave"),
        max_length=60,
        help_text=_("« 2027 », « Printemps 2027 »… The same questions are asked again."),
    )
    opens_at = forms.DateTimeField(
        label=_("Opens on"), required=False, widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    closes_at = forms.DateTimeField(
        label=_("Closes on"), required=False, widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class QuestionForm(forms.ModelForm):
    """A question; options and grid items are typed one per line."""

    options_text = forms.CharField(
        label=_("Options (single and multiple choice)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One option per line."),
    )
    items_text = forms.CharField(
        label=_("Items of the grid"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One item per line; each is answered from « strongly disagree » to « strongly agree »."
        ),
    )

    class Meta:
        model = Question
        fields = [
            "label",
            "kind",
            "help_text",
            "required",
            "options_text",
            "allow_other",
            "items_text",
            "min_value",
            "max_value",
            "code",
        ]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, locked_kind: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["code"].help_text = _(
            "Empty: made from the question. Used in exports and to compare waves."
        )
        if self.instance.pk:
            self.fields["options_text"].initial = "\n".join(
                o["label"] for o in self.instance.choices
            )
            self.fields["items_text"].initial = "\n".join(o["label"] for o in self.instance.items)
        if locked_kind:
            self.fields["kind"].disabled = True
            self.fields["kind"].help_text = _(
                "This question has answers: its kind cannot change any more."
            )

    def service_data(self) -> dict:
        data = {
            name: self.cleaned_data[name]
            for name in [
                "label",
                "kind",
                "help_text",
                "required",
                "allow_other",
                "min_value",
                "max_value",
                "code",
            ]
        }
        data["choices"] = options_from_lines(
            self.cleaned_data["options_text"],
            existing=self.instance.choices if self.instance.pk else None,
        )
        data["items"] = options_from_lines(
            self.cleaned_data["items_text"],
            existing=self.instance.items if self.instance.pk else None,
        )
        return data


class ConditionForm(forms.Form):
    """« Show this when… »: up to three tests on earlier questions, joined by and/or."""

    combine = forms.ChoiceField(
        label=_("Show it when"),
        widget=forms.RadioSelect,
        choices=[
            ("all", _("all these tests are true (and)")),
            ("any", _("one of these tests is true (or)")),
        ],
        initial="all",
    )

    def __init__(self, *args, questions: list[Question], current: dict | None = None, **kwargs):
        self.questions = {q.pk: q for q in questions}
        initial = kwargs.pop("initial", {}) or {}
        current = current or {}
        if current.get("rules"):
            initial["combine"] = current.get("combine", "all")
            for n, rule in enumerate(current["rules"][:MAX_CONDITION_RULES], start=1):
                initial[f"question_{n}"] = str(rule.get("question", ""))
                initial[f"op_{n}"] = rule.get("op", "equals")
                value = rule.get("value")
                question = self.questions.get(rule.get("question"))
                labels = dict(value_options(question)) if question else {}
                values = value if isinstance(value, list) else [value]
                initial[f"value_{n}"] = ", ".join(labels.get(str(v), str(v)) for v in values)
        super().__init__(*args, initial=initial, **kwargs)
        question_choices = [("", _("(no test)"))] + [(str(q.pk), q.label[:80]) for q in questions]
        for n in range(1, MAX_CONDITION_RULES + 1):
            self.fields[f"question_{n}"] = forms.ChoiceField(
                label=_("Test %(n)s: question") % {"n": n}, choices=question_choices, required=False
            )
            self.fields[f"op_{n}"] = forms.ChoiceField(
                label=_("Test %(n)s: comparison") % {"n": n},
                choices=[(op, op_label(op)) for op in OPS],
                required=False,
            )
            self.fields[f"value_{n}"] = forms.CharField(
                label=_("Test %(n)s: value") % {"n": n},
                required=False,
                max_length=500,
                help_text=_(
                    "An option as written, or a number; for « is one of », separate with commas."
                ),
            )

    def condition(self) -> dict:
        """The condition as stored (values read as codes or numbers); {} for none."""
        rules = []
        for n in range(1, MAX_CONDITION_RULES + 1):
            pk = self.cleaned_data.get(f"question_{n}")
            if not pk:
                continue
            question = self.questions.get(int(pk))
            op = self.cleaned_data.get(f"op_{n}") or "equals"
            raw = [
                v.strip()
                for v in (self.cleaned_data.get(f"value_{n}") or "").split(",")
                if v.strip()
            ]
            by_label = (
                {label.casefold(): value for value, label in value_options(question)}
                if question
                else {}
            )
            values: list = []
            for text in raw:
                value = by_label.get(text.casefold(), text)
                if question and question.kind not in (Kind.SINGLE, Kind.MULTIPLE, Kind.YES_NO):
                    try:
                        number = float(str(value).replace(",", "."))
                        value = int(number) if number.is_integer() else number
                    except ValueError:
                        pass
                values.append(value)
            rules.append(
                {
                    "question": int(pk),
                    "op": op,
                    "value": values if op == "one_of" else (values[0] if values else ""),
                }
            )
        if not rules:
            return {}
        return {"combine": self.cleaned_data.get("combine") or "all", "rules": rules}


class TokensForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many codes"), min_value=1, max_value=2000, initial=50, required=False
    )
    labels = forms.CharField(
        label=_("Or one code per person (identified surveys)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One name per line: printed on their letter."),
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("count") and not (cleaned.get("labels") or "").strip():
            raise forms.ValidationError(_("Say how many codes to make."))
        return cleaned


class TokenEmailsForm(forms.Form):
    """Addresses to send one single-use code each to, typed or pasted."""

    addresses = forms.CharField(
        label=_("Email addresses"),
        max_length=30000,
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "One per line (commas and semicolons work too). Each address gets its own code "
            "and a link that opens the questionnaire."
        ),
    )

    def clean_addresses(self) -> list[str]:
        seen: dict[str, str] = {}
        wrong = []
        for part in re.split(r"[\s,;]+", self.cleaned_data["addresses"]):
            address = part.strip().strip("<>").strip()
            if not address:
                continue
            try:
                validate_email(address)
            except forms.ValidationError:
                wrong.append(address)
            else:
                seen.setdefault(address.lower(), address)
        if wrong:
            raise forms.ValidationError(
                ngettext(
                    "This address is not valid: %(list)s. Correct it, then send again.",
                    "These addresses are not valid: %(list)s. Correct them, then send again.",
                    len(wrong),
                )
                % {"list": ", ".join(wrong[:20]) + (" …" if len(wrong) > 20 else "")}
            )
        if not seen:
            raise forms.ValidationError(_("Type at least one email address."))
        return list(seen.values())


class TokenEntryForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=20,
        help_text=_("It is printed on your letter or in your email, for instance ABCD-EFGH."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_code(self) -> str:
        return normalise_token_code(self.cleaned_data["code"])


class AssistedEntryForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How were these answers received?"),
        choices=[(c.value, c.label) for c in Channel if c != Channel.ONLINE],
        widget=forms.RadioSelect,
        initial=Channel.PAPER,
    )


class AnswerToContributionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("It becomes"),
        widget=forms.RadioSelect,
        choices=[
            (ContributionKind.IDEA, _("an idea")),
            (ContributionKind.COMPLAINT, _("a complaint")),
        ],
        initial=ContributionKind.IDEA,
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    need = forms.ModelChoiceField(
        label=_("Link it to a need (optional)"),
        queryset=None,
        required=False,
        empty_label=_("No need"),
    )

    def __init__(self, *args, needs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = needs


class FreeTextSearchForm(forms.Form):
    q = forms.CharField(label=_("Search in the answers"), required=False, max_length=TEXT_SHORT)


class XLSFormImportForm(forms.Form):
    file = forms.FileField(
        label=_("XLSForm file (.xlsx)"),
        help_text=_(
            "The spreadsheet format of ODK and KoboToolbox: sheets « survey » and « choices »."
        ),
    )
