"""The running counts agree with the answers: whatever is submitted, adding as the
responses come gives the same counts as recomputing from every answer, and two
responses stored at the same moment both count."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from faireavec.organisations.tests.factories import OrganisationFactory
from faireavec.surveys.models import Kind, QuestionTally, ValueTally
from faireavec.surveys.results import survey_results
from faireavec.surveys.services import response_submit
from faireavec.surveys.tallies import tallies_rebuild
from faireavec.surveys.tests.factories import make_survey, question
from faireavec.surveys.tests.test_concurrency import _race

OPTIONS = [{"value": f"o{i}", "label": f"Option {i}"} for i in range(4)]
QUESTIONS = [
    {"code": "choix", "kind": Kind.MULTIPLE, "label": "Choix ?", "choices": OPTIONS},
    {"code": "un", "kind": Kind.SINGLE, "label": "Un ?", "choices": OPTIONS, "allow_other": True},
    {"code": "note", "kind": Kind.SATISFACTION, "label": "Note ?"},
    {"code": "nps", "kind": Kind.NPS, "label": "Recommandation ?"},
    {"code": "age", "kind": Kind.NUMBER, "label": "Âge ?"},
    {
        "code": "grille",
        "kind": Kind.MATRIX,
        "label": "Grille ?",
        "items": [{"value": "a", "label": "Accueil"}, {"value": "b", "label": "Délais"}],
    },
    {"code": "idee", "kind": Kind.LONG_TEXT, "label": "Idée ?"},
]


def _snapshot(survey):
    totals = sorted(
        (t.question.code, t.answered, t.texts, t.numbers, t.number_sum, t.number_min, t.number_max)
        for t in QuestionTally.objects.filter(question__section__survey=survey).select_related(
            "question"
        )
    )
    values = sorted(
        (v.question.code, v.item, v.value, v.count)
        for v in ValueTally.objects.filter(
            question__section__survey=survey, count__gt=0
        ).select_related("question")
    )
    return totals, values


answer = st.fixed_dictionaries(
    {},
    optional={
        "choix": st.lists(st.sampled_from([o["value"] for o in OPTIONS]), min_size=1, unique=True),
        "un": st.sampled_from([o["value"] for o in OPTIONS] + ["other"]),
        "note": st.integers(1, 5),
        "nps": st.integers(0, 10),
        "age": st.decimals(min_value=0, max_value=120, places=1, allow_nan=False),
        "grille": st.dictionaries(st.sampled_from(["a", "b"]), st.integers(1, 5), min_size=1),
        "idee": st.text(alphabet="abcdé ", min_size=1, max_size=20).filter(str.strip),
    },
)


class TestCountsAsTheyComeEqualCountsFromScratch(HypothesisTestCase):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(answer, min_size=1, max_size=6))
    def test_they_agree(self, responses):
        survey = make_survey(OrganisationFactory(), questions=QUESTIONS)
        ids = {spec["code"]: question(survey, spec["code"]).pk for spec in QUESTIONS}
        for values in responses:
            response_submit(
                survey=survey,
                answers={ids[code]: value for code, value in values.items()},
                others={ids["un"]: "Autre chose"} if values.get("un") == "other" else {},
            )
        as_they_came = _snapshot(survey)
        tallies_rebuild(survey=survey)
        assert _snapshot(survey) == as_they_came
        total, sections = survey_results(survey=survey)
        assert total == len(responses)
        by_code = {r.question.code: r for _s, results in sections for r in results}
        assert by_code["nps"].answered == sum("nps" in v for v in responses)
        ages = [v["age"] for v in responses if "age" in v]
        if ages:
            assert by_code["age"].minimum == min(ages) and by_code["age"].maximum == max(ages)
            assert by_code["age"].mean == round(float(sum(ages) / len(ages)), 2)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_responses_at_the_same_moment_both_count():
    survey = make_survey(OrganisationFactory(), questions=QUESTIONS)
    note, age = question(survey, "note"), question(survey, "age")
    results, errors = _race(
        lambda: response_submit(survey=survey, answers={note.pk: 4, age.pk: Decimal("30")})
    )
    assert len(results) == 2 and not errors
    assert ValueTally.objects.get(question=note, value="4").count == 2
    totals = QuestionTally.objects.get(question=age)
    assert (totals.answered, totals.numbers, totals.number_sum) == (2, 2, Decimal("60"))
