"""The fixed scales and the options a question offers.

Scales are stored as numbers (`Answer.number`): agreement 1-5, satisfaction
1-5, recommendation 0-10. Options of choice questions and yes/no are codes
(`Answer.choice`).
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faireavec.surveys.models import OTHER_CODE, Kind

AGREEMENT = [
    (1, pgettext_lazy("agreement scale", "strongly disagree")),
    (2, pgettext_lazy("agreement scale", "disagree")),
    (3, pgettext_lazy("agreement scale", "neither agree nor disagree")),
    (4, pgettext_lazy("agreement scale", "agree")),
    (5, pgettext_lazy("agreement scale", "strongly agree")),
]
SATISFACTION = [
    (1, pgettext_lazy("satisfaction scale", "very dissatisfied")),
    (2, pgettext_lazy("satisfaction scale", "dissatisfied")),
    (3, pgettext_lazy("satisfaction scale", "neither satisfied nor dissatisfied")),
    (4, pgettext_lazy("satisfaction scale", "satisfied")),
    (5, pgettext_lazy("satisfaction scale", "very satisfied")),
]
# The face drawn beside each satisfaction word (see includes/satisfaction_face.svg).
SATISFACTION_FACES = {1: "very-sad", 2: "sad", 3: "neutral", 4: "happy", 5: "very-happy"}
NPS_LOW = pgettext_lazy("nps scale", "not at all likely")
NPS_HIGH = pgettext_lazy("nps scale", "extremely likely")
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
SATISFIED_FROM = 4  # CSAT: « satisfied » or « very satisfied »
PROMOTER_FROM = 9
PASSIVE_FROM = 7


def scale_range(kind: str) -> tuple[int, int] | None:
    """(smallest, largest) value of a scale kind, or None."""
    if kind in (Kind.AGREEMENT, Kind.SATISFACTION, Kind.MATRIX):
        return (1, 5)
    if kind == Kind.NPS:
        return (0, 10)
    return None


def scale_options(kind: str) -> list[tuple[int, str]]:
    if kind in (Kind.AGREEMENT, Kind.MATRIX):
        return list(AGREEMENT)
    if kind == Kind.SATISFACTION:
        return list(SATISFACTION)
    if kind == Kind.NPS:
        return [(n, str(n)) for n in range(11)]
    return []


def choice_options(question) -> list[tuple[str, str]]:
    """(code, label) of a coded question: its options (with « autre »), or yes/no."""
    if question.kind == Kind.YES_NO:
        return [(v, str(label)) for v, label in YES_NO]
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        options = [(c["value"], c["label"]) for c in question.choices]
        if question.allow_other:
            options.append((OTHER_CODE, str(pgettext_lazy("survey option", "Other"))))
        return options
    return []


def value_options(question) -> list[tuple[str, str]]:
    """Every answer one may give to a closed question, as (value as text, label):
    codes for choices, numbers for scales. Empty for open questions."""
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE, Kind.YES_NO):
        return choice_options(question)
    return [(str(v), str(label)) for v, label in scale_options(question.kind)]
