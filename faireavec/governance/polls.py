"""Counting a consultation, and its result in plain words.

Pure functions (no database): `selectors.poll_results` gathers the counts of
each option (how many ballots gave it each grade, or approved it), these rank
the options and explain why.

Majority judgment (jugement majoritaire, Balinski and Laraki): every voter
grades every option; an option's majority grade is the median of its grades
(for an even number, the lower of the two middle grades, the one a majority
gave « or better »). The option with the best majority grade wins. When two
share it, the standard tie-break removes one median grade from each, then
compares the new medians, and again until they differ: that is comparing, in
order, the sequence of medians obtained by removing them one by one.

`median_sequence` reads that sequence straight from the counts (the k-th
removed grade sits at a known position of the sorted grades: for an odd
number the centre, then one below, one above, …; for an even number the lower
middle, then one above, one below, …), lazily, so comparing two options stops
at the first difference and never sorts the ballots.
"""

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cmp_to_key
from itertools import accumulate, pairwise, zip_longest

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

# Grades from worst (0) to best (5), as stored in `PollMark.value`.
GRADES = [
    (0, pgettext_lazy("majority judgment grade", "to reject")),
    (1, pgettext_lazy("majority judgment grade", "poor")),
    (2, pgettext_lazy("majority judgment grade", "fair")),
    (3, pgettext_lazy("majority judgment grade", "rather good")),
    (4, pgettext_lazy("majority judgment grade", "good")),
    (5, pgettext_lazy("majority judgment grade", "very good")),
]
GRADE_COUNT = len(GRADES)
BEST_FIRST = [value for value, _label in reversed(GRADES)]


def grade_label(value: int) -> str:
    return str(GRADES[value][1])


def _positions(n: int) -> Iterator[int]:
    """Positions (in the grades sorted from worst to best) of the median removed at
    each step, the lower median being taken whenever the number left is even."""
    if n <= 0:
        return
    m = (n - 1) // 2
    yield m
    below, above = m - 1, m + 1
    # Odd n: after the centre, an even number is left, whose lower median is just below.
    take_below = n % 2 == 1
    while below >= 0 or above < n:
        if take_below and below >= 0:
            yield below
            below -= 1
        elif above < n:
            yield above
            above += 1
        else:
            yield below
            below -= 1
        take_below = not take_below


def median_sequence(counts: Sequence[int]) -> Iterator[int]:
    """The successive median grades of an option whose grades are counted in `counts`
    (`counts[g]` ballots gave grade g), removing the median one at a time."""
    ends = list(accumulate(counts))  # ends[g]: how many grades are ≤ g
    for position in _positions(ends[-1] if ends else 0):
        yield bisect_right(ends, position)


def majority_grade(counts: Sequence[int]) -> int | None:
    return next(median_sequence(counts), None)


def judgment_compare(a: Sequence[int], b: Sequence[int]) -> int:
    """> 0 when the option counted in `a` beats the one in `b`, < 0 when it loses,
    0 when nothing separates them (the same grades)."""
    for x, y in zip_longest(median_sequence(a), median_sequence(b), fillvalue=-1):
        if x != y:
            return 1 if x > y else -1
    return 0


def judgment_tiebreak_step(a: Sequence[int], b: Sequence[int]) -> tuple[int, int, int] | None:
    """(medians removed, median of a, median of b) at the first step where the two
    differ; None when they never do."""
    for step, (x, y) in enumerate(
        zip_longest(median_sequence(a), median_sequence(b), fillvalue=-1)
    ):
        if x != y:
            return step, x, y
    return None


def judgment_ranking(counts: Sequence[Sequence[int]]) -> list[int]:
    """Indices of the options, best first (ties keep the options' order)."""
    order = sorted(
        range(len(counts)),
        key=cmp_to_key(lambda i, j: judgment_compare(counts[j], counts[i])),
    )
    return order


# Results in words ---------------------------------------------------------------


@dataclass
class OptionResult:
    key: int
    label: str
    counts: list[int]  # per grade, worst first (judgment); [not, yes] otherwise
    voters: int
    rank: int = 0
    majority: int | None = None  # judgment: the majority grade
    at_least: int = 0  # judgment: ballots giving the majority grade or better
    votes: int = 0  # approval / single: ballots approving or choosing it

    @property
    def majority_label(self) -> str:
        return "" if self.majority is None else grade_label(self.majority)

    @property
    def cells(self) -> list[tuple[int, int]]:
        """(count, percent) per grade, best grade first, for the table."""
        return [(self.counts[g], _percent(self.counts[g], self.voters)) for g in BEST_FIRST]

    @property
    def percent(self) -> int:
        return _percent(self.votes, self.voters)


@dataclass
class PollResult:
    method: str
    voters: int
    options: list[OptionResult] = field(default_factory=list)  # ranked, best first
    explanation: list[str] = field(default_factory=list)

    @property
    def grade_labels(self) -> list[str]:
        return [grade_label(g) for g in BEST_FIRST]


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def results_compute(
    *, method: str, options: Sequence[tuple[int, str]], counts: dict[int, list[int]], voters: int
) -> PollResult:
    """`options`: (key, label) in their order; `counts[key]`: per grade (judgment) or
    [0, approvals] (approval and single choice); `voters`: the ballots."""
    rows = [
        OptionResult(
            key=k, label=label, counts=list(counts.get(k) or _empty(method)), voters=voters
        )
        for k, label in options
    ]
    result = PollResult(method=method, voters=voters)
    if method == "judgment":
        order = judgment_ranking([r.counts for r in rows])
        for r in rows:
            r.majority = majority_grade(r.counts)
            if r.majority is not None:
                r.at_least = sum(r.counts[r.majority :])
        ranked = [rows[i] for i in order]
        _rank(ranked, lambda a, b: judgment_compare(a.counts, b.counts) == 0)
    else:
        for r in rows:
            r.votes = r.counts[1] if len(r.counts) > 1 else 0
        ranked = sorted(rows, key=lambda r: -r.votes)
        _rank(ranked, lambda a, b: a.votes == b.votes)
    result.options = ranked
    result.explanation = _explain(result)
    return result


def _empty(method: str) -> list[int]:
    return [0] * (GRADE_COUNT if method == "judgment" else 2)


def _rank(ranked: list[OptionResult], same) -> None:
    for i, r in enumerate(ranked):
        r.rank = ranked[i - 1].rank if i and same(ranked[i - 1], r) else i + 1


def _explain(result: PollResult) -> list[str]:
    n = result.voters
    if n == 0:
        return [_("Nobody answered this consultation.")]
    lines = [ngettext("%(n)s person answered.", "%(n)s people answered.", n) % {"n": n}]
    ranked = result.options
    winners = [r for r in ranked if r.rank == 1]
    if result.method == "judgment":
        lines.append(
            _(
                "Each person gave every option a grade. An option's majority grade is the "
                "grade that at least half of the people gave it, or better."
            )
        )
        for r in ranked:
            lines.append(
                _(
                    "« %(option)s »: majority grade « %(grade)s » (%(k)s of %(n)s people "
                    "gave « %(grade)s » or better)."
                )
                % {"option": r.label, "grade": r.majority_label, "k": r.at_least, "n": n}
            )
        for first, second in pairwise(ranked):
            if first.majority != second.majority:
                continue
            step = judgment_tiebreak_step(first.counts, second.counts)
            if step is None:
                lines.append(
                    _("« %(a)s » and « %(b)s » got exactly the same grades: they are tied.")
                    % {"a": first.label, "b": second.label}
                )
                continue
            removed, x, y = step
            lines.append(
                ngettext(
                    "« %(a)s » and « %(b)s » share the majority grade « %(grade)s ». To "
                    "separate them, median grades are removed one at a time: after "
                    "%(k)s removal, « %(a)s » has « %(x)s » and « %(b)s » « %(y)s », so "
                    "« %(a)s » comes first.",
                    "« %(a)s » and « %(b)s » share the majority grade « %(grade)s ». To "
                    "separate them, median grades are removed one at a time: after "
                    "%(k)s removals, « %(a)s » has « %(x)s » and « %(b)s » « %(y)s », so "
                    "« %(a)s » comes first.",
                    removed,
                )
                % {
                    "a": first.label,
                    "b": second.label,
                    "grade": first.majority_label,
                    "k": removed,
                    "x": grade_label(x) if x >= 0 else "—",
                    "y": grade_label(y) if y >= 0 else "—",
                }
            )
    else:
        verb = (
            _("« %(option)s »: approved by %(k)s of %(n)s people (%(p)s %%).")
            if result.method == "approval"
            else _("« %(option)s »: chosen by %(k)s of %(n)s people (%(p)s %%).")
        )
        for r in ranked:
            lines.append(verb % {"option": r.label, "k": r.votes, "n": n, "p": r.percent})
    if len(winners) == 1:
        lines.append(_("Result: « %(option)s » comes first.") % {"option": winners[0].label})
    else:
        lines.append(
            _("Result: a tie between %(options)s.")
            % {"options": ", ".join(f"« {w.label} »" for w in winners)}
        )
    return lines


METHOD_HELP = {
    "judgment": gettext_lazy(
        "Give every option a grade, from « very good » to « to reject ». The option "
        "that the majority grades best wins."
    ),
    "approval": gettext_lazy(
        "Tick every option you accept. The option approved by the most people wins."
    ),
    "single": gettext_lazy("Choose one option. The option chosen by the most people wins."),
}
