"""Conditions are checked when saved: forward references, hidden questions,
unknown values and conditions that can never be true are refused with a sentence."""

import pytest
from django.core.exceptions import ValidationError

from faireavec.surveys.models import Kind
from faireavec.surveys.services import question_move, question_set_hidden, question_update
from faireavec.surveys.tests.factories import make_survey, question

pytestmark = pytest.mark.django_db


def _cond(*rules, combine="all"):
    return {"combine": combine, "rules": list(rules)}


def _messages(exc) -> str:
    return " ".join(exc.value.messages)


def test_a_condition_on_an_earlier_question_is_accepted(org):
    survey = make_survey(org)
    note = question(survey, "note")
    assert note.condition["rules"][0]["question"] == question(survey, "venu").pk


def test_a_condition_on_a_later_question_is_refused(org):
    survey = make_survey(org)
    venu, nps = question(survey, "venu"), question(survey, "nps")
    with pytest.raises(ValidationError) as exc:
        question_update(
            actor=None,
            question=venu,
            data={"condition": _cond({"question": nps.pk, "op": "gt", "value": 8})},
        )
    assert "comes later" in _messages(exc) or "plus loin" in _messages(exc)
    venu.refresh_from_db()
    assert venu.condition == {}


def test_a_condition_on_itself_is_refused(org):
    survey = make_survey(org)
    nps = question(survey, "nps")
    with pytest.raises(ValidationError):
        question_update(
            actor=None,
            question=nps,
            data={"condition": _cond({"question": nps.pk, "op": "gt", "value": 3})},
        )


def test_moving_a_question_above_the_one_it_depends_on_is_refused(org):
    survey = make_survey(org)
    note = question(survey, "note")
    with pytest.raises(ValidationError):
        question_move(actor=None, question=note, direction="up")
    note.refresh_from_db()
    assert note.position == 1


@pytest.mark.parametrize(
    ("rules", "combine"),
    [
        ([{"op": "equals", "value": "perhaps"}], "all"),  # not an answer of yes/no
        ([{"op": "equals", "value": "yes"}, {"op": "equals", "value": "no"}], "all"),  # one answer
        ([{"op": "one_of", "value": []}], "all"),  # no value
    ],
)
def test_a_condition_that_can_never_be_true_is_refused(org, rules, combine):
    survey = make_survey(org)
    venu, idee = question(survey, "venu"), question(survey, "idee")
    condition = _cond(*({"question": venu.pk, **r} for r in rules), combine=combine)
    with pytest.raises(ValidationError):
        question_update(actor=None, question=idee, data={"condition": condition})


def test_greater_than_the_top_of_the_scale_is_never_true(org):
    survey = make_survey(org)
    nps, idee = question(survey, "nps"), question(survey, "idee")
    with pytest.raises(ValidationError) as exc:
        question_update(
            actor=None,
            question=idee,
            data={"condition": _cond({"question": nps.pk, "op": "gt", "value": 10})},
        )
    assert "never" in _messages(exc) or "jamais" in _messages(exc)


def test_or_is_refused_only_when_no_test_can_match(org):
    survey = make_survey(org)
    venu, nps, idee = question(survey, "venu"), question(survey, "nps"), question(survey, "idee")
    ok = _cond(
        {"question": nps.pk, "op": "gt", "value": 10},
        {"question": venu.pk, "op": "equals", "value": "no"},
        combine="any",
    )
    question_update(actor=None, question=idee, data={"condition": ok})
    never = _cond({"question": nps.pk, "op": "gt", "value": 10}, combine="any")
    with pytest.raises(ValidationError):
        question_update(actor=None, question=idee, data={"condition": never})


def test_a_text_question_cannot_be_tested(org):
    survey = make_survey(
        org,
        questions=[
            {"code": "t", "kind": Kind.SHORT_TEXT, "label": "Nom"},
            {"code": "n", "kind": Kind.NUMBER, "label": "Âge", "min_value": 0, "max_value": 120},
        ],
    )
    t, n = question(survey, "t"), question(survey, "n")
    with pytest.raises(ValidationError):
        question_update(
            actor=None,
            question=n,
            data={"condition": _cond({"question": t.pk, "op": "equals", "value": "x"})},
        )


def test_hiding_a_question_others_depend_on_is_refused(org):
    survey = make_survey(org)
    with pytest.raises(ValidationError):
        question_set_hidden(actor=None, question=question(survey, "venu"), hidden=True)


def test_conditions_evaluate_and_or(org):
    from faireavec.surveys.conditions import condition_met

    survey = make_survey(org)
    venu, nps = question(survey, "venu"), question(survey, "nps")
    qs = {venu.pk: venu, nps.pk: nps}
    both = _cond(
        {"question": venu.pk, "op": "equals", "value": "yes"},
        {"question": nps.pk, "op": "gt", "value": 8},
    )
    either = {**both, "combine": "any"}
    assert condition_met(both, {venu.pk: "yes", nps.pk: 9}, qs)
    assert not condition_met(both, {venu.pk: "yes", nps.pk: 8}, qs)
    assert condition_met(either, {venu.pk: "no", nps.pk: 9}, qs)
    assert not condition_met(either, {venu.pk: "no"}, qs)
    one_of = _cond({"question": nps.pk, "op": "one_of", "value": [0, 1, 2]})
    assert condition_met(one_of, {nps.pk: 1}, qs)
    assert not condition_met(one_of, {nps.pk: 3}, qs)
