"""Answering a survey: which questions are asked, and the form that asks them.

What a person answered so far is a dict of JSON values by question id (as
text keys): a code for single choice and yes/no, a list of codes for multiple
choice, an integer for scales, a text for numbers and texts, an ISO date, and
{item: integer} for a grid; « autre » texts go under "<id>:other". Drafts
keep it; `response_submit` stores it whole at the end.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faireavec.core.models import TEXT_LONG
from faireavec.surveys.conditions import condition_met
from faireavec.surveys.models import OTHER_CODE, Kind, Question, Section
from faireavec.surveys.scales import (
    NPS_HIGH,
    NPS_LOW,
    SATISFACTION_FACES,
    choice_options,
    scale_options,
)

REQUIRED_MESSAGE = gettext_lazy("This question needs an answer.")


@dataclass(frozen=True)
class Asked:
    """A question as it is asked: with its section and whether it opens the section."""

    section: Section
    question: Question
    opens_section: bool


def answers_by_id(data: Mapping[str, object]) -> dict[int, object]:
    """Draft data → {question id: value} (the « autre » texts left out)."""
    return {int(k): v for k, v in data.items() if str(k).isdigit()}


def questions_asked(sections: list[Section], data: Mapping[str, object]) -> list[Asked]:
    """The questions asked given the answers so far, in order: sections and
    questions whose conditions hold, hidden questions left out."""
    every = {q.pk: q for s in sections for q in s.questions.all()}
    answers = answers_by_id(data)
    asked: list[Asked] = []
    for section in sections:
        if not condition_met(section.condition, answers, every):
            continue
        first = True
        for question in section.questions.all():
            if question.is_hidden or not condition_met(question.condition, answers, every):
                continue
            asked.append(Asked(section=section, question=question, opens_section=first))
            first = False
    return asked


class FaceRadioSelect(forms.RadioSelect):
    """Radio buttons of the satisfaction scale, each word with its face drawn beside it."""

    option_template_name = "surveys/widgets/face_option.html"

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["face"] = SATISFACTION_FACES.get(int(value), "") if str(value).isdigit() else ""
        return option


class ScaleRadioSelect(forms.RadioSelect):
    """0-10 in one row that wraps (CSS `scale-row`)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs={"class": "scale-row", **(attrs or {})}, choices=choices)


def field_name(question: Question, item: str = "") -> str:
    return f"q{question.pk}_{item}" if item else f"q{question.pk}"


def other_name(question: Question) -> str:
    return f"q{question.pk}_other"


def _fields_for(question: Question) -> dict[str, forms.Field]:
    label = question.label
    help_text = question.help_text
    required = question.required
    kind = question.kind
    fields: dict[str, forms.Field] = {}
    common = {"label": label, "help_text": help_text, "required": required}
    messages = {"required": REQUIRED_MESSAGE}
    if kind == Kind.SHORT_TEXT:
        fields[field_name(question)] = forms.CharField(
            max_length=500, error_messages=messages, **common
        )
    elif kind == Kind.LONG_TEXT:
        fields[field_name(question)] = forms.CharField(
            max_length=TEXT_LONG,
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages=messages,
            **common,
        )
    elif kind in (Kind.SINGLE, Kind.YES_NO):
        fields[field_name(question)] = forms.ChoiceField(
            choices=choice_options(question),
            widget=forms.RadioSelect,
            error_messages=messages,
            **common,
        )
    elif kind == Kind.MULTIPLE:
        fields[field_name(question)] = forms.MultipleChoiceField(
            choices=choice_options(question),
            widget=forms.CheckboxSelectMultiple,
            error_messages=messages,
            **common,
        )
    elif kind in (Kind.AGREEMENT, Kind.SATISFACTION, Kind.NPS):
        widget = {
            Kind.SATISFACTION: FaceRadioSelect,
            Kind.NPS: ScaleRadioSelect,
        }.get(kind, forms.RadioSelect)
        nps_help = _("0: %(low)s — 10: %(high)s.") % {"low": NPS_LOW, "high": NPS_HIGH}
        fields[field_name(question)] = forms.TypedChoiceField(
            choices=[(str(v), str(lbl)) for v, lbl in scale_options(kind)],
            coerce=int,
            widget=widget,
            error_messages=messages,
            label=label,
            required=required,
            help_text=(help_text or nps_help) if kind == Kind.NPS else help_text,
        )
    elif kind == Kind.NUMBER:
        bounds = {}
        if question.min_value is not None:
            bounds["min_value"] = question.min_value
        if question.max_value is not None:
            bounds["max_value"] = question.max_value
        fields[field_name(question)] = forms.DecimalField(
            max_digits=14,
            decimal_places=4,
            error_messages=messages,
            localize=True,
            **bounds,
            **common,
        )
    elif kind == Kind.DATE:
        fields[field_name(question)] = forms.DateField(
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"],
            error_messages=messages,
            **common,
        )
    elif kind == Kind.MATRIX:
        for item in question.items:
            fields[field_name(question, item["value"])] = forms.TypedChoiceField(
                choices=[(str(v), str(lbl)) for v, lbl in scale_options(kind)],
                coerce=int,
                widget=forms.RadioSelect,
                label=f"{label} — {item['label']}",
                required=required,
                error_messages=messages,
            )
    if question.allow_other and kind in (Kind.SINGLE, Kind.MULTIPLE):
        fields[other_name(question)] = forms.CharField(
            label=_("If « other », say what"),
            max_length=500,
            required=False,
        )
    return fields


def _to_json(value):
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


class AnswerForm(forms.Form):
    """The questions of one screen (one question, or all of them).

    `conditional=True` (all on one page): a question whose condition does not
    hold once the page is sent is dropped with its errors, so a required
    question one did not have to answer does not block.
    """

    def __init__(
        self,
        *args,
        asked: list[Asked],
        every: Mapping[int, Question] | None = None,
        earlier: Mapping[str, object] | None = None,
        conditional: bool = False,
        all_optional: bool = False,
        **kwargs,
    ) -> None:
        self.asked = asked
        self.every = every or {a.question.pk: a.question for a in asked}
        self.earlier = dict(earlier or {})
        self.conditional = conditional
        initial = kwargs.pop("initial", None) or {}
        super().__init__(*args, initial={**self._initial_from(self.earlier), **initial}, **kwargs)
        self.groups: list[tuple[Asked, list]] = []
        for entry in asked:
            made = _fields_for(entry.question)
            if all_optional:  # a paper questionnaire is entered as it was filled in
                for made_field in made.values():
                    made_field.required = False
            self.fields.update(made)
        for entry in asked:
            names = list(_fields_for_names(entry.question))
            self.groups.append((entry, [self[name] for name in names if name in self.fields]))

    def _initial_from(self, data: Mapping[str, object]) -> dict:
        initial = {}
        for entry in self.asked:
            question = entry.question
            value = data.get(str(question.pk))
            if value is None:
                continue
            if question.kind == Kind.MATRIX and isinstance(value, dict):
                for item, number in value.items():
                    initial[field_name(question, item)] = str(number)
            elif isinstance(value, int):
                initial[field_name(question)] = str(value)
            else:
                initial[field_name(question)] = value
            if data.get(f"{question.pk}:other"):
                initial[other_name(question)] = data[f"{question.pk}:other"]
        return initial

    def clean(self):
        cleaned = super().clean()
        values: dict[str, object] = {}
        for entry in self.asked:
            question = entry.question
            if question.kind == Kind.MATRIX:
                items = {
                    item["value"]: cleaned.get(field_name(question, item["value"]))
                    for item in question.items
                }
                items = {k: v for k, v in items.items() if v not in (None, "")}
                if items:
                    values[str(question.pk)] = items
            else:
                value = cleaned.get(field_name(question))
                if value not in (None, "", []):
                    values[str(question.pk)] = _to_json(value)
            if question.allow_other:
                chosen = values.get(str(question.pk))
                other = (cleaned.get(other_name(question)) or "").strip()
                picked = chosen == OTHER_CODE or (isinstance(chosen, list) and OTHER_CODE in chosen)
                if picked and not other:
                    self.add_error(other_name(question), _("Say what « other » is."))
                if picked and other:
                    values[f"{question.pk}:other"] = other
        if self.conditional:
            merged = {**self.earlier, **values}
            asked_now = {a.question.pk for a in questions_asked(_sections_of(self.asked), merged)}
            for entry in self.asked:
                question = entry.question
                if question.pk in asked_now:
                    continue
                values.pop(str(question.pk), None)
                values.pop(f"{question.pk}:other", None)
                for name in _fields_for_names(question):
                    if name in self._errors:
                        del self._errors[name]
        self.values = values
        return cleaned


def _fields_for_names(question: Question) -> list[str]:
    if question.kind == Kind.MATRIX:
        names = [field_name(question, item["value"]) for item in question.items]
    else:
        names = [field_name(question)]
    if question.allow_other and question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        names.append(other_name(question))
    return names


def _sections_of(asked: list[Asked]) -> list[Section]:
    seen: dict[int, Section] = {}
    for entry in asked:
        seen.setdefault(entry.section.pk, entry.section)
    return list(seen.values())


def missing_required(asked: list[Asked], data: Mapping[str, object]) -> list[int]:
    """Indexes (in `asked`) of required questions still without an answer."""
    missing = []
    for index, entry in enumerate(asked):
        question = entry.question
        if not question.required:
            continue
        value = data.get(str(question.pk))
        if value in (None, "", [], {}) or (
            question.kind == Kind.MATRIX and len(value) < len(question.items)
        ):
            missing.append(index)
    return missing


def submitted_values(asked: list[Asked], data: Mapping[str, object]) -> tuple[dict, dict]:
    """(answers by question id, « autre » texts by question id) of the questions asked."""
    answers, others = {}, {}
    for entry in asked:
        pk = entry.question.pk
        if str(pk) in data:
            answers[pk] = data[str(pk)]
        if data.get(f"{pk}:other"):
            others[pk] = data[f"{pk}:other"]
    return answers, others
