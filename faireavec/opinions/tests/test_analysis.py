"""The analysis core against small matrices whose structure is known."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faireavec.opinions import analysis as A


def two_groups(n_per_group=40, n_statements=12, seed=3, consensus_first=True):
    """Two groups that answer every statement opposite ways, except statement 1
    (agreed by everybody) when `consensus_first`."""
    rng = np.random.default_rng(seed)
    p, s, v, truth = [], [], [], {}
    for person in range(1, 2 * n_per_group + 1):
        group = 0 if person <= n_per_group else 1
        truth[person] = group
        for statement in range(1, n_statements + 1):
            if rng.random() < 0.15:
                continue  # not shown to this person
            if consensus_first and statement == 1:
                value = A.AGREE
            else:
                lean = A.AGREE if (statement % 2 == 0) == (group == 0) else A.DISAGREE
                u = rng.random()
                value = lean if u < 0.85 else (-lean if u < 0.95 else A.PASS)
            p.append(person)
            s.append(statement)
            v.append(value)
    return np.array(p), np.array(s), np.array(v), truth


def test_the_matrix_keeps_passes_and_the_last_vote_of_a_pair():
    """A pass is a stored vote (0); a pair given twice keeps its last value."""
    m = A.vote_matrix([5, 5, 2, 5], [10, 11, 10, 10], [1, 0, -1, -1])
    assert list(m.participant_ids) == [2, 5]
    assert list(m.statement_ids) == [10, 11]
    assert m.values.toarray().tolist() == [[-1, 0], [-1, 0]]
    assert m.n_votes == 3
    assert list(m.votes_per_participant()) == [1, 2]


def test_the_matrix_refuses_other_values_and_keeps_empty_statements():
    with pytest.raises(ValueError):
        A.vote_matrix([1], [1], [2])
    with pytest.raises(ValueError):
        A.vote_matrix([1, 2], [1], [1])
    m = A.vote_matrix([1], [3], [1], all_statement_ids=[3, 4, 9])
    assert list(m.statement_ids) == [3, 4, 9]
    assert m.shape == (1, 3)


def test_the_order_of_the_votes_given_does_not_matter():
    """Shuffled votes give the same matrix as sorted ones."""
    p, s, v, _ = two_groups()
    order = np.random.default_rng(0).permutation(len(p))
    a = A.vote_matrix(p, s, v)
    b = A.vote_matrix(p[order], s[order], v[order])
    assert (a.values != b.values).nnz == 0
    assert a.values.nnz == b.values.nnz


def test_two_planted_groups_are_recovered():
    p, s, v, truth = two_groups()
    result = A.analyse(A.vote_matrix(p, s, v))
    assert result.k == 2
    assert result.group_sizes == [40, 40]
    expected = [truth[int(pid)] for pid in result.participant_ids]
    assert A.adjusted_rand_index(expected, result.labels) == pytest.approx(1.0)
    # The two groups sit on either side of the first axis.
    assert np.sign(result.centres[0, 0]) != np.sign(result.centres[1, 0])


def test_three_planted_groups_in_a_larger_sparse_matrix():
    p, s, v, truth = A.planted_votes(
        n_participants=900, n_statements=60, density=0.3, n_groups=3, seed=4
    )
    result = A.analyse(A.vote_matrix(p, s, v))
    assert result.k == 3
    clustered = result.labels >= 0
    expected = truth[result.participant_ids - 1]
    assert A.adjusted_rand_index(expected[clustered], result.labels[clustered]) > 0.95


def test_a_statement_everyone_agrees_with_is_consensus():
    p, s, v, _ = two_groups()
    result = A.analyse(A.vote_matrix(p, s, v))
    agreed = [c.statement_id for c in result.consensus["agree"]]
    assert agreed[0] == 1
    gac = result.group_aware_consensus["agree"]
    first = int(np.flatnonzero(result.statement_ids == 1)[0])
    # Group-aware consensus is highest on it: every group agrees.
    assert int(np.argmax(gac)) == first
    assert gac[first] > 0.8
    # A divisive statement is not consensus, though half the people agree.
    assert 2 not in agreed
    assert gac[int(np.flatnonzero(result.statement_ids == 2)[0])] < 0.2


def test_each_group_is_represented_by_what_sets_it_apart():
    """Group 0 agrees with even statements, group 1 with odd ones (statement 1 aside).

    As in Pol.is, the group's best agreed statement comes first even when
    everybody shares it (statement 1 here): what the group agrees on; the
    others are those the group answers differently from the rest."""
    p, s, v, truth = two_groups()
    result = A.analyse(A.vote_matrix(p, s, v))
    first_member = int(result.participant_ids[np.flatnonzero(result.labels == 0)[0]])
    even_group = 0 if truth[first_member] == 0 else 1
    for g in range(2):
        reps = result.repness[g]
        assert 1 <= len(reps) <= A.PICK_MAX
        assert reps[0].best_agree
        for r in reps:
            if r.statement_id == 1:
                assert r.best_agree and r.direction == "agree"
                continue
            assert r.repness_test > A.Z_90
            agrees_with_even = (r.statement_id % 2 == 0) == (r.direction == "agree")
            assert agrees_with_even == (g == even_group)
        assert reps[0].direction == "agree"


def test_participants_with_too_few_votes_are_not_clustered():
    p, s, v, _ = two_groups()
    # Person 999 votes on three statements only.
    p = np.concatenate([p, [999, 999, 999]])
    s = np.concatenate([s, [2, 3, 4]])
    v = np.concatenate([v, [1, -1, 1]])
    result = A.analyse(A.vote_matrix(p, s, v))
    index = int(np.flatnonzero(result.participant_ids == 999)[0])
    assert result.labels[index] == -1
    assert np.isfinite(result.coords[index]).all()
    assert result.min_votes == 7
    assert (result.labels >= 0).sum() == 80


def test_the_sparsity_correction_scales_by_the_votes_cast():
    """Two people with the same votes on a few statements, one of whom also passed
    on none others: the one with fewer votes is pushed out by sqrt(n / n_votes)."""
    p, s, v, _ = two_groups(consensus_first=False)
    m = A.vote_matrix(p, s, v)
    proj = A.project(m)
    x = m.values.toarray().astype(float)
    mask = np.zeros_like(x, dtype=bool)
    rows = np.repeat(np.arange(m.shape[0]), np.diff(m.values.indptr))
    mask[rows, m.values.indices] = True
    centred = np.where(mask, x - proj.means, 0.0)
    raw = centred @ proj.components.T
    scale = np.sqrt(m.shape[1] / mask.sum(axis=1))
    np.testing.assert_allclose(proj.coords, raw * scale[:, None])
    # The components are those of the mean-imputed matrix's PCA.
    imputed = np.where(mask, x, proj.means)
    cov = np.cov(imputed, rowvar=False)
    _, vectors = np.linalg.eigh(cov)
    top = vectors[:, -1]
    assert abs(abs(top @ proj.components[0]) - 1) < 1e-6


def test_the_same_votes_give_the_identical_result():
    p, s, v, _ = A.planted_votes(n_participants=3000, n_statements=80, density=0.2, seed=9)
    first = A.analyse(A.vote_matrix(p, s, v))
    order = np.random.default_rng(1).permutation(len(p))
    second = A.analyse(A.vote_matrix(p[order], s[order], v[order]))
    assert first.to_summary() == second.to_summary()
    assert np.array_equal(first.coords, second.coords)
    assert np.array_equal(first.labels, second.labels)
    assert first.silhouettes == second.silhouettes


def test_too_few_people_give_no_groups_but_still_consensus():
    m = A.vote_matrix([1, 1, 2, 2, 3], [1, 2, 1, 2, 1], [1, 1, 1, -1, 1])
    result = A.analyse(m)
    assert result.k == 0
    assert result.group_sizes == []
    assert (result.labels == -1).all() or result.k == 0
    assert result.to_summary()["groups"] == []


def test_an_empty_conversation_is_analysed_without_error():
    result = A.analyse(A.vote_matrix([], [], []))
    assert result.k == 0
    assert result.to_summary()["n_votes"] == 0


def test_the_adjusted_rand_index():
    assert A.adjusted_rand_index([0, 0, 1, 1], [1, 1, 0, 0]) == pytest.approx(1.0)
    assert A.adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)
    # scikit-learn's documented example.
    assert A.adjusted_rand_index([0, 0, 1, 2], [0, 0, 1, 1]) == pytest.approx(0.5714285714)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(1, 25), st.integers(1, 9), st.sampled_from(A.VOTE_VALUES)),
        max_size=200,
    )
)
def test_any_votes_give_a_consistent_deterministic_result(votes):
    p = [a for a, _, _ in votes]
    s = [b for _, b, _ in votes]
    v = [c for _, _, c in votes]
    first = A.analyse(A.vote_matrix(p, s, v))
    second = A.analyse(A.vote_matrix(p, s, v))
    assert first.to_summary() == second.to_summary()
    assert len(first.labels) == len(first.participant_ids)
    assert first.labels.max(initial=-1) < max(first.k, 1)
    assert sum(first.group_sizes) == int((first.labels >= 0).sum())
    assert np.isfinite(first.coords).all()
