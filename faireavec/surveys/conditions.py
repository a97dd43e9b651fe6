"""Conditions: show a question or a section when earlier answers match.

A condition is ``{"combine": "all"|"any", "rules": [rule, …]}`` where a rule is
``{"question": <id>, "op": "equals"|"one_of"|"gt", "value": …}`` (`one_of`
takes a list). An empty condition means « always shown ».

`condition_errors` checks a condition against the survey as it is laid out:
a rule may only look at a question asked *before* (an earlier question of an
earlier or the same section; for a section, a question of an earlier
section), that is not hidden, whose kind the test suits, with a value it can
take; and the whole must be able to be true (two « equals » joined by « and »
on one single-answer question never are). Decidim shows how conditions that
refer forward or never hold break a questionnaire (decidim#16513, #10238):
here they are refused when saved, with a sentence saying why.

`condition_met` evaluates a condition on the answers given so far.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from faireavec.surveys.models import CODED_KINDS, Kind
from faireavec.surveys.scales import choice_options, scale_range

OPS = ("equals", "one_of", "gt")
COMBINES = ("all", "any")
# Kinds a condition can test, and with which operations.
TESTABLE = {
    Kind.SINGLE: {"equals", "one_of"},
    Kind.MULTIPLE: {"equals", "one_of"},
    Kind.YES_NO: {"equals", "one_of"},
    Kind.AGREEMENT: {"equals", "one_of", "gt"},
    Kind.SATISFACTION: {"equals", "one_of", "gt"},
    Kind.NPS: {"equals", "one_of", "gt"},
    Kind.NUMBER: {"equals", "one_of", "gt"},
}
SINGLE_VALUED = {Kind.SINGLE, Kind.YES_NO, Kind.AGREEMENT, Kind.SATISFACTION, Kind.NPS}


@dataclass(frozen=True)
class Layout:
    """Where each question of a survey sits: {question id: (rank of its section, its
    rank in the whole survey)}, and the questions themselves."""

    order: Mapping[int, tuple[int, int]]
    questions: Mapping[int, object]


def layout_of(sections: Iterable, questions: Iterable) -> Layout:
    """The layout from the survey's sections and questions (already loaded); the
    index in the sorted lists counts, so equal positions still have an order."""
    section_rank = {
        s.pk: i for i, s in enumerate(sorted(sections, key=lambda s: (s.position, s.pk)))
    }
    ordered = sorted(questions, key=lambda q: (section_rank[q.section_id], q.position, q.pk))
    return Layout(
        order={q.pk: (section_rank[q.section_id], i) for i, q in enumerate(ordered)},
        questions={q.pk: q for q in ordered},
    )


def is_empty(condition) -> bool:
    return not condition or not condition.get("rules")


def _number(value) -> Decimal | None:
    try:
        return Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        return None


def _domain(question) -> list | None:
    """Every value a single-answer question can take (codes or numbers), or None if unbounded."""
    if question.kind in CODED_KINDS:
        return [code for code, _label in choice_options(question)]
    bounds = scale_range(question.kind)
    if bounds:
        return [Decimal(n) for n in range(bounds[0], bounds[1] + 1)]
    bounded = question.min_value is not None and question.max_value is not None
    if question.kind == Kind.NUMBER and bounded and question.max_value - question.min_value <= 1000:
        return [Decimal(n) for n in range(question.min_value, question.max_value + 1)]
    return None


def _values_of(rule, question) -> list:
    """The rule's value(s) as the question stores them (codes, or Decimals)."""
    raw = rule.get("value")
    values = raw if isinstance(raw, list) else [raw]
    if question.kind in CODED_KINDS:
        return [str(v) for v in values if v not in (None, "")]
    numbers = [_number(v) for v in values if v not in (None, "")]
    return [n for n in numbers if n is not None]


def _rule_holds(rule, question, value) -> bool:
    """The rule on one answer: a code, a list of codes (multiple choice) or a number."""
    wanted = _values_of(rule, question)
    if value is None or value == "" or value == []:
        return False
    op = rule.get("op")
    if question.kind == Kind.MULTIPLE:
        ticked = set(value if isinstance(value, list) else [value])
        return bool(ticked & set(wanted))
    if question.kind in CODED_KINDS:
        return str(value) in wanted
    number = _number(value)
    if number is None:
        return False
    if op == "gt":
        return bool(wanted) and number > wanted[0]
    return number in wanted


def _satisfying(rule, question, domain: list) -> set:
    """The values of `domain` for which the rule holds."""
    multiple = question.kind == Kind.MULTIPLE
    return {v for v in domain if _rule_holds(rule, question, [v] if multiple else v)}


def condition_errors(
    condition, *, layout: Layout, section_rank: int, question_index: int | None = None
) -> list[str]:
    """What is wrong with `condition`, set on the question at `question_index`
    (its rank in the whole survey) or, when None, on the section at `section_rank`.
    An empty list: the condition is fine."""
    if is_empty(condition):
        return []
    if not isinstance(condition, dict) or not isinstance(condition.get("rules"), list):
        return [_("The condition cannot be read: write it again.")]
    combine = condition.get("combine", "all")
    if combine not in COMBINES:
        return [_("Choose « all of » or « one of » to combine the tests.")]
    errors: list[str] = []
    matching: list[tuple[int, set | None]] = []  # (question id, values that pass or None)
    for n, rule in enumerate(condition["rules"], start=1):
        pk = rule.get("question") if isinstance(rule, dict) else None
        question = layout.questions.get(pk) if isinstance(pk, int) else None
        if question is None:
            errors.append(
                _("Test %(n)s refers to a question that is not in this survey.") % {"n": n}
            )
            continue
        label = question.label
        its_section, its_index = layout.order[pk]
        later = (
            its_section >= section_rank if question_index is None else its_index >= question_index
        )
        if later:
            errors.append(
                _(
                    "Test %(n)s looks at « %(label)s », which comes later (or is this very "
                    "question): a condition can only use answers given before."
                )
                % {"n": n, "label": label}
            )
            continue
        if question.is_hidden:
            errors.append(
                _("Test %(n)s looks at « %(label)s », which is hidden: it is no longer asked.")
                % {"n": n, "label": label}
            )
            continue
        op = rule.get("op")
        if op not in OPS:
            errors.append(_("Test %(n)s: choose how to compare.") % {"n": n})
            continue
        if op not in TESTABLE.get(question.kind, set()):
            errors.append(
                _("Test %(n)s: « %(label)s » (%(kind)s) cannot be tested with « %(op)s ».")
                % {
                    "n": n,
                    "label": label,
                    "kind": question.get_kind_display(),
                    "op": op_label(op),
                }
            )
            continue
        wanted = _values_of(rule, question)
        if not wanted:
            errors.append(_("Test %(n)s: give the value to compare with.") % {"n": n})
            continue
        if op != "one_of" and len(wanted) != 1:
            errors.append(_("Test %(n)s: give one value only.") % {"n": n})
            continue
        domain = _domain(question)
        if domain is None:
            matching.append((pk, None))
            continue
        if op != "gt":
            unknown = [str(v) for v in wanted if v not in domain]
            if unknown:
                errors.append(
                    _("Test %(n)s: « %(label)s » cannot be answered %(values)s.")
                    % {"n": n, "label": label, "values": ", ".join(unknown)}
                )
                continue
        matching.append((pk, _satisfying(rule, question, domain)))
    if errors:
        return errors
    never = [values is not None and not values for _pk, values in matching]
    if combine == "any" and all(never):
        return [_("This condition can never be true: no answer matches any of its tests.")]
    if combine == "all":
        if any(never):
            return [_("This condition can never be true: one of its tests matches no answer.")]
        by_question: dict[int, list[set]] = {}
        for pk, values in matching:
            if values is not None:
                by_question.setdefault(pk, []).append(values)
        for pk, sets in by_question.items():
            question = layout.questions[pk]
            if question.kind in SINGLE_VALUED and not set.intersection(*sets):
                return [
                    _(
                        "This condition can never be true: « %(label)s » has one answer, "
                        "it cannot match all these tests at once."
                    )
                    % {"label": question.label}
                ]
    return []


def condition_met(
    condition, answers: Mapping[int, object], questions: Mapping[int, object]
) -> bool:
    """Whether the condition holds for the answers given so far ({question id: value})."""
    if is_empty(condition):
        return True
    results = []
    for rule in condition["rules"]:
        question = questions.get(rule.get("question"))
        if question is None:
            results.append(False)
            continue
        results.append(_rule_holds(rule, question, answers.get(question.pk)))
    if condition.get("combine", "all") == "any":
        return any(results)
    return all(results)


def op_label(op: str) -> str:
    return {
        "equals": _("is"),
        "one_of": _("is one of"),
        "gt": _("is greater than"),
    }.get(op, op)


def condition_sentence(condition, questions: Mapping[int, object]) -> str:
    """The condition in plain words: « if you answered « Oui » to « … » »."""
    if is_empty(condition):
        return ""
    parts = []
    for rule in condition["rules"]:
        question = questions.get(rule.get("question"))
        if question is None:
            continue
        labels = dict(choice_options(question))
        values = rule.get("value")
        values = values if isinstance(values, list) else [values]
        shown = " / ".join(f"« {labels.get(str(v), v)} »" for v in values)
        parts.append(
            _("« %(question)s » %(op)s %(values)s")
            % {"question": question.label, "op": op_label(rule.get("op", "")), "values": shown}
        )
    joiner = _(" or ") if condition.get("combine") == "any" else _(" and ")
    return _("Only if %(tests)s.") % {"tests": joiner.join(parts)}


def condition_remap(condition, mapping: Mapping[int, int]):
    """The same condition with question ids replaced (a new wave, an import)."""
    if is_empty(condition):
        return {}
    return {
        "combine": condition.get("combine", "all"),
        "rules": [
            {**rule, "question": mapping.get(rule.get("question"), rule.get("question"))}
            for rule in condition["rules"]
        ],
    }
