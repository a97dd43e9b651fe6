"""The weighted tally, with property tests (hypothesis) and worked examples."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faireavec.governance.tally import (
    CollegeCount,
    TallyRules,
    effective_weights,
    tally_compute,
    tally_explain,
)


@st.composite
def scic_weights(draw):
    """3 to 5 colleges with integer-cent weights in [10, 50] summing to 100."""
    n = draw(st.integers(min_value=3, max_value=5))
    cents, rest = [], 10000
    for i in range(n - 1):
        after = n - i - 1  # colleges still to weigh
        low, high = max(1000, rest - 5000 * after), min(5000, rest - 1000 * after)
        cents.append(draw(st.integers(min_value=low, max_value=high)))
        rest -= cents[-1]
    cents.append(rest)
    assert all(1000 <= c <= 5000 for c in cents) and sum(cents) == 10000
    return [Fraction(c, 100) for c in cents]


counts = st.tuples(
    st.integers(min_value=0, max_value=400),
    st.integers(min_value=0, max_value=400),
    st.integers(min_value=0, max_value=400),
)


@settings(max_examples=150, deadline=None)
@given(weights=scic_weights(), data=st.data(), rule=st.sampled_from(["pro_rata", "equal"]))
def test_effective_weights_sum_to_100(weights, data, rule):
    """Whatever colleges are empty, the weights used sum to exactly 100 % (or 0 if all are)."""
    colleges = [
        CollegeCount(key=i, name=str(i), weight=w, eligible=10) for i, w in enumerate(weights)
    ]
    empty = data.draw(st.lists(st.booleans(), min_size=len(weights), max_size=len(weights)))
    used = effective_weights(colleges, empty, rule)
    assert sum(used) == (0 if all(empty) else 100)
    assert all(u == 0 for u, e in zip(used, empty, strict=True) if e)


@settings(max_examples=200, deadline=None)
@given(
    weights=scic_weights(),
    data=st.data(),
    abstentions_count=st.booleans(),
    base=st.sampled_from(["cast", "members"]),
)
def test_a_unanimous_college_moves_the_result_by_exactly_its_weight(
    weights, data, abstentions_count, base
):
    """Turning one college from unanimously against to unanimously for, all else equal,
    moves the weighted « for » share by exactly that college's weight."""
    n = len(weights)
    others = [data.draw(counts) for _ in range(n)]
    # Every other college casts at least one vote, so none is empty.
    others = [(f, a + (1 if f + a == 0 else 0), ab) for f, a, ab in others]
    k = data.draw(st.integers(min_value=0, max_value=n - 1))
    size = data.draw(st.integers(min_value=1, max_value=300))
    rules = TallyRules(base=base, abstentions_count=abstentions_count)

    def make(unanimous_for: bool):
        colleges = []
        for i, w in enumerate(weights):
            f, a, ab = others[i]
            if i == k:
                f, a, ab = (size, 0, 0) if unanimous_for else (0, size, 0)
            colleges.append(
                CollegeCount(
                    key=i,
                    name=str(i),
                    weight=w,
                    eligible=f + a + ab,
                    votes_for=f,
                    votes_against=a,
                    abstentions=ab,
                )
            )
        return tally_compute(colleges=colleges, rules=rules)

    before, after = make(False), make(True)
    assert after.total_for - before.total_for == weights[k]
    assert before.total_for >= 0 and after.total_for <= 100


def _college(name, weight, f, a, ab=0, eligible=None):
    return CollegeCount(
        key=name,
        name=name,
        weight=Fraction(weight),
        eligible=eligible if eligible is not None else f + a + ab,
        votes_for=f,
        votes_against=a,
        abstentions=ab,
    )


def test_empty_college_weight_is_shared_pro_rata():
    """Users 40 % (no vote), staff 35 % all for, partners 25 % all against:
    staff weigh 35/60 of 100 %, so 58,33 % for: adopted."""
    result = tally_compute(
        colleges=[
            _college("usagers", 40, 0, 0),
            _college("salariés", 35, 10, 0),
            _college("partenaires", 25, 0, 4),
        ],
        rules=TallyRules(),
    )
    assert result.total_for == Fraction(3500, 60)
    assert result.outcome == "adopted"
    words = " ".join(tally_explain(result))
    assert "58.33 %" in words or "58,33 %" in words


def test_equal_share_of_an_empty_college():
    result = tally_compute(
        colleges=[_college("a", 40, 0, 0), _college("b", 35, 10, 0), _college("c", 25, 0, 4)],
        rules=TallyRules(empty_college="equal"),
    )
    assert result.total_for == 55  # 35 + 40/2


def test_abstentions_weigh_against_only_when_the_statutes_say_so():
    colleges = [_college("a", 100, 6, 4, 5)]
    assert tally_compute(colleges=colleges, rules=TallyRules()).outcome == "adopted"  # 60 %
    counted = tally_compute(colleges=colleges, rules=TallyRules(abstentions_count=True))
    assert counted.total_for == 40 and counted.outcome == "rejected"


@pytest.mark.parametrize(
    ("majority", "for_", "against", "outcome"),
    [
        ("two_thirds", 2, 1, "adopted"),
        ("two_thirds", 65, 35, "rejected"),
        ("three_quarters", 3, 1, "adopted"),
        ("three_quarters", 74, 26, "rejected"),
        ("simple", 51, 49, "adopted"),
    ],
)
def test_qualified_majorities(majority, for_, against, outcome):
    result = tally_compute(
        colleges=[_college("a", 100, for_, against)], rules=TallyRules(majority=majority)
    )
    assert result.outcome == outcome


def test_majority_of_the_members_counts_those_who_did_not_vote():
    result = tally_compute(
        colleges=[_college("a", 100, 6, 0, eligible=20)],
        rules=TallyRules(majority="simple", base="members"),
    )
    assert result.total_for == 30 and result.outcome == "rejected"


@pytest.mark.parametrize(
    ("tie_rule", "outcome"), [("rejected", "rejected"), ("revote", "tie_revote")]
)
def test_a_tie_follows_the_statutes(tie_rule, outcome):
    result = tally_compute(
        colleges=[_college("a", 50, 3, 1), _college("b", 50, 1, 3)],
        rules=TallyRules(tie_rule=tie_rule),
    )
    assert result.tie and result.total_for == 50 and result.outcome == outcome


def test_without_quorum_nothing_is_decided():
    result = tally_compute(colleges=[_college("a", 100, 10, 0)], rules=TallyRules(quorum_met=False))
    assert result.outcome == "no_quorum"
