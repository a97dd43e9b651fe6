"""The algorithm core: fairness properties, reproducible draws, infeasibility, the paper's examples."""

import itertools
import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from faireavec.sortition import algorithms as alg
from faireavec.sortition import verify
from faireavec.sortition.instances import (
    FOUR_CATEGORIES,
    generated_problem,
    paper_example,
    paper_leximin_probabilities,
)

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def instances(draw):
    """A small pool (3 to 24 people, 1 to 3 categories of 2 or 3 values), a panel size, quotas."""
    n_categories = draw(st.integers(1, 3))
    sizes = [draw(st.integers(2, 3)) for _ in range(n_categories)]
    pool = draw(st.integers(3, 24))
    k = draw(st.integers(1, min(pool, 8)))
    people = {}
    for i in range(pool):
        people[f"p{i:02d}"] = {
            f"c{c}": f"v{draw(st.integers(0, sizes[c] - 1))}" for c in range(n_categories)
        }
    quotas = {}
    for c, size in enumerate(sizes):
        for v in range(size):
            low = draw(st.integers(0, k))
            high = draw(st.integers(low, k))
            quotas[(f"c{c}", f"v{v}")] = (low, high)
    return alg.build_problem(people=people, quotas=quotas, k=k)


@st.composite
def feasible_instances(draw):
    """Like `instances`, with quotas chosen around one actual panel, so a panel exists."""
    problem = draw(instances())
    chosen = draw(st.permutations(sorted(problem.person_profile())))[: problem.k]
    where = problem.person_profile()
    counts = np.zeros(len(problem.profiles))
    for pid in chosen:
        counts[where[pid]] += 1
    per_value = problem.membership @ counts
    for v, n in enumerate(per_value):
        problem.minimum[v] = draw(st.integers(0, int(n)))
        problem.maximum[v] = draw(st.integers(int(n), problem.k))
    return problem


def _brute_force_panels(problem):
    """Every panel of people meeting the quotas (tiny instances only)."""
    where = problem.person_profile()
    people = sorted(where)
    panels = []
    for combo in itertools.combinations(people, problem.k):
        counts = np.zeros(len(problem.profiles))
        for pid in combo:
            counts[where[pid]] += 1
        if problem.panel_meets_quotas(counts):
            panels.append(combo)
    return panels


@SETTINGS
@given(feasible_instances())
def test_leximin_and_maximin_lotteries_are_valid_and_ordered(problem):
    """Every panel of both lotteries meets the quotas, probabilities sum to k, leximin ≥ maximin."""
    lex = alg.leximin(problem)
    mm = alg.maximin(problem)
    for lottery in (lex, mm):
        assert lottery.probabilities.sum() == pytest.approx(1.0)
        assert all(problem.panel_meets_quotas(panel) for panel in lottery.panels)
        total = sum(lottery.person_probabilities().values())
        assert total == pytest.approx(problem.k, abs=1e-6)
    assert lex.minimum_probability >= mm.minimum_probability - 1e-7
    # leximin is at least as good as maximin at every rank (sorted probabilities)
    lex_sorted = sorted(lex.person_probabilities().values())
    mm_sorted = sorted(mm.person_probabilities().values())
    assert lex_sorted[0] == pytest.approx(mm_sorted[0], abs=1e-6)


@SETTINGS
@given(feasible_instances(), st.text(min_size=1, max_size=20))
def test_same_seed_same_panel_and_panel_meets_quotas(problem, seed):
    """Drawing twice with one seed gives the same people; the panel meets every quota."""
    lottery = alg.leximin(problem)
    first = alg.draw(lottery, seed=seed)
    assert first == alg.draw(lottery, seed=seed)
    assert len(first) == problem.k
    where = problem.person_profile()
    counts = np.zeros(len(problem.profiles))
    for pid in first:
        counts[where[pid]] += 1
    assert problem.panel_meets_quotas(counts)
    # the file re-runs to the same panel without the platform (json round trip)
    document = json.loads(json.dumps(alg.lottery_document(lottery, seed=seed)))
    assert verify.draw_from_document(document) == first


@SETTINGS
@given(instances())
def test_infeasible_quotas_get_the_smallest_change_that_works(problem):
    """When no panel exists, applying the proposed changes makes one exist; else no explanation."""
    explanation = alg.explain_infeasible(problem)
    exists = (
        bool(_brute_force_panels(problem))
        if math.comb(problem.pool_size, problem.k) < 5000
        else None
    )
    if explanation is None:
        assert exists is not False
        return
    assert exists is not True
    assert explanation.clashes
    if problem.pool_size < problem.k:
        assert explanation.clashes[0].kind == "pool_too_small"
        return
    assert explanation.total_change == sum(abs(c.new - c.old) for c in explanation.changes)
    minimum, maximum = problem.minimum.copy(), problem.maximum.copy()
    index = {cv: v for v, cv in enumerate(problem.values)}
    for change in explanation.changes:
        target = minimum if change.bound == "min" else maximum
        target[index[(change.category, change.value)]] = change.new
    fixed = alg.Problem(**{**problem.__dict__, "minimum": minimum, "maximum": maximum})
    if (minimum <= maximum).all():
        assert alg.explain_infeasible(fixed) is None


@SETTINGS
@given(feasible_instances())
def test_uniform_exact_matches_enumeration(problem):
    """« Uniforme sous quotas » gives each person the share of valid panels that contain them."""
    assume(math.comb(problem.pool_size, problem.k) < 3000)
    panels = _brute_force_panels(problem)
    assume(panels)
    lottery = alg.uniform_lottery(problem)
    assert lottery.exact
    probabilities = lottery.person_probabilities()
    for pid, probability in probabilities.items():
        expected = sum(pid in panel for panel in panels) / len(panels)
        assert probability == pytest.approx(expected, abs=1e-9)


def test_uniform_estimate_is_close_to_exact_on_a_larger_pool():
    """When the exact count is too large, the chain's estimate is flagged and near the exact one."""
    problem = generated_problem(pool=60, k=8, sizes=[2, 3], seed=3)
    exact = alg.uniform_lottery(problem)
    estimate = alg.uniform_lottery(problem, max_states=1, samples=4000, seed=1)
    assert exact.exact and not estimate.exact and estimate.samples == 4000
    assert np.abs(exact.profile_probability - estimate.profile_probability).max() < 0.05


@pytest.mark.parametrize("name", ["example_small_20", "example_large_200"])
def test_paper_examples_match_the_reference_leximin_probabilities(name):
    """On the paper's two public examples every volunteer's probability matches it to 1e-6."""
    problem, _people = paper_example(name)
    lottery = alg.leximin(problem)
    ours = sorted(lottery.person_probabilities().values())
    reference = paper_leximin_probabilities(name)
    assert len(ours) == len(reference) == problem.pool_size
    assert np.abs(np.array(ours) - np.array(reference)).max() < 1e-6


def test_leximin_beats_maximin_below_the_minimum_on_a_four_category_pool():
    """On a skewed pool leximin keeps the maximin minimum and spreads the rest more evenly."""
    problem = generated_problem(pool=150, k=15, sizes=[2, 3, 3], seed=2)
    lex, mm, uni = alg.leximin(problem), alg.maximin(problem), alg.uniform_lottery(problem)
    assert lex.minimum_probability == pytest.approx(mm.minimum_probability, abs=1e-7)
    assert lex.gini() <= mm.gini() + 1e-9
    rows = alg.compare(problem, [lex, mm, uni])
    assert [r["algorithm"] for r in rows] == ["leximin", "maximin", "uniform"]
    assert rows[0]["below_leximin_minimum"] == 0
    assert rows[2]["below_leximin_minimum"] > 0


def test_infeasible_example_names_the_clash():
    """Minimums of one category adding up to more than the panel are named, with the fix."""
    people = {f"p{i}": {"gender": "f" if i % 2 else "m"} for i in range(10)}
    problem = alg.build_problem(
        people=people, quotas={("gender", "f"): (3, 4), ("gender", "m"): (3, 4)}, k=5
    )
    problem.minimum[:] = [3, 3]
    explanation = alg.explain_infeasible(problem)
    assert [c.kind for c in explanation.clashes] == ["category_minimums"]
    assert explanation.total_change == 1
    with pytest.raises(alg.Infeasible):
        alg.leximin(problem)


def test_replacement_keeps_the_quotas_and_is_reproducible():
    """A replacement is someone outside the panel with whom every quota still holds."""
    problem, _ = paper_example("example_small_20")
    lottery = alg.leximin(problem)
    panel = alg.draw(lottery, seed="loto 2026-12-03")
    leaving = panel[0]
    candidates = alg.replacement_candidates(problem, panel=panel, leaving=leaving)
    assert candidates and not set(candidates) & set(panel)
    chosen = alg.choose_replacement(seed="loto 2026-12-03", candidates=candidates, number=1)
    assert chosen == alg.choose_replacement(seed="loto 2026-12-03", candidates=candidates, number=1)
    where = problem.person_profile()
    counts = np.zeros(len(problem.profiles))
    for pid in [*panel[1:], chosen]:
        counts[where[pid]] += 1
    assert problem.panel_meets_quotas(counts)


def test_proportional_quotas_bracket_the_exact_share():
    """Quotas are the floor and ceiling of share * k (with the margin), per category."""
    quotas = alg.proportional_quotas({("g", "f"): 52, ("g", "m"): 48}, 30, margin=1)
    assert quotas == {("g", "f"): (14, 17), ("g", "m"): (13, 16)}


def test_generated_four_category_pool_maximin_and_leximin_agree_on_minimum():
    """The benchmark's 1,000 → 50 pool: leximin's minimum equals maximin's (same first level)."""
    problem = generated_problem(**FOUR_CATEGORIES)
    mm = alg.maximin(problem)
    assert 0 < mm.minimum_probability <= problem.k / problem.pool_size
    assert all(problem.panel_meets_quotas(panel) for panel in mm.panels)
