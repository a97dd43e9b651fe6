"""Results: counts, CSAT and NPS arithmetic (with property tests), trend across
waves, cross-tabs with small groups masked, and a query count that does not
grow with the number of responses."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from faireavec.surveys.models import Answer, Kind, Response, Survey
from faireavec.surveys.results import (
    csat_score,
    nps_category,
    nps_score,
    survey_crosstab,
    survey_results,
    survey_trend,
)
from faireavec.surveys.services import response_submit, survey_new_wave, survey_set_status
from faireavec.surveys.tallies import answers_store
from faireavec.surveys.tests.factories import make_survey, question

counts = st.integers(min_value=0, max_value=10_000)


@given(promoters=counts, passives=counts, detractors=counts)
def test_nps_is_always_between_minus_100_and_100(promoters, passives, detractors):
    score = nps_score(promoters=promoters, passives=passives, detractors=detractors)
    if promoters + passives + detractors == 0:
        assert score is None
    else:
        assert -100 <= score <= 100


@given(promoters=counts, passives=counts, detractors=counts)
def test_adding_a_promoter_never_lowers_the_nps(promoters, passives, detractors):
    before = nps_score(promoters=promoters, passives=passives, detractors=detractors)
    after = nps_score(promoters=promoters + 1, passives=passives, detractors=detractors)
    assert before is None or after >= before


@given(promoters=counts, passives=counts, detractors=counts)
def test_adding_a_detractor_never_raises_the_nps(promoters, passives, detractors):
    before = nps_score(promoters=promoters, passives=passives, detractors=detractors)
    after = nps_score(promoters=promoters, passives=passives, detractors=detractors + 1)
    assert before is None or after <= before


@given(satisfied=counts, others=counts)
def test_csat_is_a_percentage(satisfied, others):
    score = csat_score(satisfied=satisfied, total=satisfied + others)
    assert score is None if satisfied + others == 0 else 0 <= score <= 100


def test_nps_categories():
    assert [nps_category(v) for v in (0, 6, 7, 8, 9, 10)] == [
        "detractor",
        "detractor",
        "passive",
        "passive",
        "promoter",
        "promoter",
    ]


def _result(sections, code):
    return next(r for _s, results in sections for r in results if r.question.code == code)


@pytest.mark.django_db
def test_counts_percentages_and_indicators(org):
    survey = make_survey(org)
    venu, note, nps = question(survey, "venu"), question(survey, "note"), question(survey, "nps")
    for answer in [("yes", 5, 10), ("yes", 4, 9), ("yes", 2, 3), ("no", None, 7)]:
        data = {venu.pk: answer[0], nps.pk: answer[2]}
        if answer[1]:
            data[note.pk] = answer[1]
        response_submit(survey=survey, answers=data)
    total, sections = survey_results(survey=survey)
    assert total == 4
    venu_result = _result(sections, "venu")
    assert [(r.label, r.count, r.percent) for r in venu_result.rows] == [
        ("Oui", 3, 75.0),
        ("Non", 1, 25.0),
    ]
    csat = _result(sections, "note").indicator
    assert (csat.kind, csat.value, csat.n) == ("csat", 66.7, 3)
    nps_ind = _result(sections, "nps").indicator
    assert (nps_ind.promoters, nps_ind.passives, nps_ind.detractors) == (2, 1, 1)
    assert nps_ind.value == 25.0


def _bulk(survey, n, *, nps_value=9, venu="yes"):
    venu_q, nps_q = question(survey, "venu"), question(survey, "nps")
    responses = Response.objects.bulk_create([Response(survey=survey) for _ in range(n)])
    answers_store(
        [Answer(response=r, question=venu_q, choice=venu) for r in responses]
        + [Answer(response=r, question=nps_q, number=Decimal(nps_value)) for r in responses]
    )


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_responses(org):
    survey = make_survey(org)
    _bulk(survey, 3)
    with CaptureQueriesContext(connection) as few:
        survey_results(survey=survey)
    _bulk(survey, 300)
    with CaptureQueriesContext(connection) as many:
        survey_results(survey=survey)
    assert len(many) == len(few)


@pytest.mark.django_db
def test_the_trend_follows_the_waves_with_their_respondents(org):
    first = make_survey(org, wave_label="2025")
    _bulk(first, 4, nps_value=3)
    second = survey_new_wave(actor=None, survey=first, wave_label="2026")
    survey_set_status(actor=None, survey=second, status=Survey.Status.PUBLISHED)
    _bulk(second, 6, nps_value=10)
    trends = survey_trend(survey=second)
    nps_trend = next(t for t in trends if t.code == "nps")
    assert [(p.survey.pk, p.value, p.n) for p in nps_trend.points] == [
        (first.pk, -100.0, 4),
        (second.pk, 100.0, 6),
    ]


@pytest.mark.django_db
def test_small_groups_are_masked_in_crosstabs_of_anonymous_surveys(org):
    survey = make_survey(org)
    _bulk(survey, 6, venu="yes", nps_value=9)
    _bulk(survey, 2, venu="no", nps_value=2)
    by = question(survey, "venu")
    table = next(t for t in survey_crosstab(survey=survey, by=by) if t.question.code == "nps")
    assert table.groups == [("Oui", 6, False), ("Non", 2, True)]
    row_9 = dict(table.rows)["9"]
    row_2 = dict(table.rows)["2"]
    assert row_9 == [6, None] and row_2 == [0, None]


@pytest.mark.django_db
def test_an_identified_survey_shows_small_groups(org):
    survey = make_survey(org, identity=Survey.Identity.IDENTIFIED, limit=Survey.Limit.ACCOUNT)
    _bulk(survey, 2, venu="no", nps_value=2)
    table = next(
        t
        for t in survey_crosstab(survey=survey, by=question(survey, "venu"))
        if t.question.code == "nps"
    )
    assert dict(table.rows)["2"] == [0, 2]


@pytest.mark.django_db
def test_a_grid_and_multiple_choice_are_counted(org):
    survey = make_survey(
        org,
        questions=[
            {
                "code": "services",
                "kind": Kind.MULTIPLE,
                "label": "Services",
                "choices": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
                "allow_other": True,
            },
            {
                "code": "grille",
                "kind": Kind.MATRIX,
                "label": "Grille",
                "items": [{"value": "x", "label": "X"}, {"value": "y", "label": "Y"}],
            },
        ],
    )
    s, g = question(survey, "services"), question(survey, "grille")
    response_submit(
        survey=survey, answers={s.pk: ["a", "other"], g.pk: {"x": 5, "y": 1}}, others={s.pk: "C"}
    )
    response_submit(survey=survey, answers={s.pk: ["a", "b"], g.pk: {"x": 4}})
    _total, sections = survey_results(survey=survey)
    services = _result(sections, "services")
    assert [(r.label, r.count, r.percent) for r in services.rows] == [
        ("A", 2, 100.0),
        ("B", 1, 50.0),
        ("Autre", 1, 50.0),
    ]
    assert services.texts == 1
    grid = _result(sections, "grille")
    assert [(label, mean) for label, _rows, mean in grid.items] == [("X", 4.5), ("Y", 1.0)]
