"""Fair lotteries over panels that meet quotas (no Django here: numpy and HiGHS only).

A *panel* is a set of k volunteers meeting every quota (a minimum and a maximum
of people per feature value, e.g. "between 9 and 11 women"). A *lottery* is a
probability distribution over panels; a volunteer's selection probability is
the total probability of the panels that contain them.

Volunteers with the same features are interchangeable, so everything here works
over *profiles* (one per distinct combination of features, with its number of
people): a panel is a vector of counts per profile, and a fair lottery gives
every member of a profile the same probability (the leximin lottery is unique in
its probabilities and symmetric, so nothing is lost). A pool of 2,000 with two
binary categories has 4 profiles at most, not 2,000 people.

- `leximin`: Flanigan, Gölz, Gupta, Hennig, Procaccia, "Fair algorithms for
  selecting citizens' assemblies", Nature 596 (2021). Maximise the smallest
  probability, fix the profiles that are at that level in every optimal
  lottery (those with a positive dual price), maximise the next smallest, and so
  on. Each level is a linear programme over panels, solved by column
  generation: the master LP (HiGHS simplex, warm-started) over the panels found
  so far, and a pricing integer programme (HiGHS MIP) that finds the panel most
  valued by the master's dual prices; the dual gives an upper bound, so each
  level stops when the bound and the master's value meet (within `tolerance`).
- `maximin`: the first level only.
- `uniform`: every valid panel (set of people) equally likely — the usual
  "random draw under quotas". Exact by dynamic programming over profiles when
  the state space is small, otherwise estimated by a Markov chain (and said so).
- `explain_infeasible`: which quotas clash and the smallest total change to the
  quotas (an integer programme with slack variables) that makes a panel exist.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

LEXIMIN = "leximin"
MAXIMIN = "maximin"
UNIFORM = "uniform"
ALGORITHMS = (LEXIMIN, MAXIMIN, UNIFORM)

Progress = Callable[[str, float], None]


class SortitionError(Exception):
    """The instance cannot be solved as given (see the subclasses)."""


class InvalidInstance(SortitionError):
    """Bad input: a person without a value for a category, a negative quota…"""


class Infeasible(SortitionError):
    """No panel meets the quotas; `explanation` says why and what to change."""

    def __init__(self, explanation: Explanation):
        super().__init__("no panel meets the quotas")
        self.explanation = explanation


class TimeLimitReached(SortitionError):
    """The computation went past its time limit."""


# --------------------------------------------------------------------------- instance


@dataclass
class Problem:
    """An instance over profiles.

    `values[v]` is a (category, value) pair with quota `[minimum[v], maximum[v]]`;
    `profiles[t]` is the tuple of values (one per category, in `categories`
    order) shared by `counts[t]` people, listed in `members[t]`;
    `membership[v, t]` is 1 when profile t has value v.
    """

    k: int
    categories: list[str]
    values: list[tuple[str, str]]
    minimum: np.ndarray
    maximum: np.ndarray
    profiles: list[tuple[str, ...]]
    counts: np.ndarray
    membership: np.ndarray
    members: list[list[str]] = field(default_factory=list)

    @property
    def pool_size(self) -> int:
        return int(self.counts.sum())

    def profile_key(self, t: int) -> str:
        """A readable, stable name for profile t ("gender=female;age=18-29")."""
        return ";".join(f"{c}={v}" for c, v in zip(self.categories, self.profiles[t], strict=True))

    def person_profile(self) -> dict[str, int]:
        return {pid: t for t, people in enumerate(self.members) for pid in people}

    def upper_bounds(self) -> np.ndarray:
        """The most people of each profile a panel can hold (its count, k and its values' maxima)."""
        caps = np.minimum(self.counts, self.k).astype(float)
        for t in range(len(self.profiles)):
            rows = np.nonzero(self.membership[:, t])[0]
            if len(rows):
                caps[t] = min(caps[t], float(self.maximum[rows].min()))
        return np.maximum(caps, 0)

    def panel_meets_quotas(self, counts: Sequence[int]) -> bool:
        x = np.asarray(counts, dtype=float)
        per_value = self.membership @ x
        return bool(
            round(x.sum()) == self.k
            and np.all(x >= 0)
            and np.all(x <= self.counts)
            and np.all(per_value >= self.minimum - 1e-9)
            and np.all(per_value <= self.maximum + 1e-9)
        )


def build_problem(
    *,
    people: Mapping[str, Mapping[str, str]],
    quotas: Mapping[tuple[str, str], tuple[int, int]],
    k: int,
    categories: Sequence[str] | None = None,
) -> Problem:
    """Group people into profiles and index the quotas.

    `people` maps a person's id to their value in each category; `quotas` maps
    (category, value) to (minimum, maximum). A value some people have but that
    has no quota gets (0, k). A person missing a category is refused.
    """
    if k <= 0:
        raise InvalidInstance("the panel size must be positive")
    if categories is None:
        categories = sorted({c for c, _ in quotas} | {c for f in people.values() for c in f})
    categories = list(categories)
    values: dict[tuple[str, str], tuple[int, int]] = {}
    for (category, value), (low, high) in sorted(quotas.items()):
        if category not in categories:
            raise InvalidInstance(f"quota for unknown category {category}")
        if low < 0 or high < 0:
            raise InvalidInstance(f"negative quota for {category}={value}")
        values[(category, value)] = (int(low), int(high))
    by_profile: dict[tuple[str, ...], list[str]] = {}
    for pid, features in people.items():
        try:
            profile = tuple(str(features[c]) for c in categories)
        except KeyError as missing:
            raise InvalidInstance(f"person {pid} has no value for {missing.args[0]}") from None
        for category, value in zip(categories, profile, strict=True):
            values.setdefault((category, value), (0, k))
        by_profile.setdefault(profile, []).append(str(pid))
    value_list = sorted(values)
    index = {cv: v for v, cv in enumerate(value_list)}
    profiles = sorted(by_profile)
    membership = np.zeros((len(value_list), len(profiles)), dtype=float)
    for t, profile in enumerate(profiles):
        for category, value in zip(categories, profile, strict=True):
            membership[index[(category, value)], t] = 1.0
    return Problem(
        k=int(k),
        categories=categories,
        values=value_list,
        minimum=np.array([values[cv][0] for cv in value_list], dtype=float),
        maximum=np.array([values[cv][1] for cv in value_list], dtype=float),
        profiles=profiles,
        counts=np.array([len(by_profile[p]) for p in profiles], dtype=float),
        membership=membership,
        members=[sorted(by_profile[p]) for p in profiles],
    )


# --------------------------------------------------------------------------- results


@dataclass
class Lottery:
    """A distribution over panels: `panels[i]` (counts per profile) has `probabilities[i]`."""

    algorithm: str
    problem: Problem
    panels: np.ndarray
    probabilities: np.ndarray
    profile_probability: np.ndarray
    exact: bool = True
    samples: int = 0
    seconds: float = 0.0
    pricing_calls: int = 0
    levels: int = 0

    @property
    def minimum_probability(self) -> float:
        selectable = self.problem.counts > 0
        return float(self.profile_probability[selectable].min()) if selectable.any() else 0.0

    def person_probabilities(self) -> dict[str, float]:
        """Each volunteer's exact selection probability under this lottery."""
        return {
            pid: float(self.profile_probability[t])
            for t, people in enumerate(self.problem.members)
            for pid in people
        }

    def gini(self) -> float:
        return gini(self.profile_probability, self.problem.counts)

    def below(self, level: float, tolerance: float = 1e-6) -> int:
        """How many volunteers have a probability below `level` (less the tolerance)."""
        low = self.profile_probability < level - tolerance
        return int(self.problem.counts[low].sum())


def gini(values: np.ndarray, weights: np.ndarray) -> float:
    """Gini coefficient of per-person probabilities given per profile with multiplicities."""
    values = np.asarray(values, dtype=float)
    weights = np.asarray(weights, dtype=float)
    total = weights.sum()
    mean = float((values * weights).sum() / total) if total else 0.0
    if mean <= 0:
        return 0.0
    diff = np.abs(values[:, None] - values[None, :])
    return float((weights[:, None] * weights[None, :] * diff).sum() / (2 * total * total * mean))


# --------------------------------------------------------------------------- infeasibility


@dataclass
class Clash:
    """One reason the quotas cannot all hold.

    kind: "pool_too_small" (numbers: pool, k), "min_above_max" (value: min, max),
    "min_above_available" (value: min, available people), "category_minimums"
    (category: sum of minimums, k), "category_maximums" (category: sum of maxima, k),
    "combination" (the values whose quotas had to move together).
    """

    kind: str
    category: str = ""
    values: list[tuple[str, str]] = field(default_factory=list)
    numbers: dict[str, int] = field(default_factory=dict)


@dataclass
class Change:
    """Move one quota bound: `bound` is "min" or "max", from `old` to `new`."""

    category: str
    value: str
    bound: str
    old: int
    new: int


@dataclass
class Explanation:
    clashes: list[Clash]
    changes: list[Change]
    total_change: int


def explain_infeasible(problem: Problem) -> Explanation | None:
    """None if some panel meets the quotas, else the clashes and the smallest change.

    The smallest change solves an integer programme: choose counts per profile
    (a panel of k) and non-negative slacks on each value's minimum and maximum,
    minimising the total slack; the slacks that are positive are the changes.
    """
    import highspy

    p = problem
    clashes: list[Clash] = []
    if p.pool_size < p.k:
        clashes.append(Clash("pool_too_small", numbers={"pool": p.pool_size, "k": p.k}))
        return Explanation(clashes=clashes, changes=[], total_change=p.k - p.pool_size)
    available = p.membership @ p.counts
    for v, (category, value) in enumerate(p.values):
        if p.minimum[v] > p.maximum[v]:
            clashes.append(
                Clash(
                    "min_above_max",
                    category,
                    [(category, value)],
                    {"min": int(p.minimum[v]), "max": int(p.maximum[v])},
                )
            )
        if p.minimum[v] > available[v]:
            clashes.append(
                Clash(
                    "min_above_available",
                    category,
                    [(category, value)],
                    {"min": int(p.minimum[v]), "available": int(available[v])},
                )
            )
    for category in p.categories:
        rows = [v for v, (c, _) in enumerate(p.values) if c == category]
        low = int(p.minimum[rows].sum())
        high = int(np.minimum(p.maximum[rows], available[rows]).sum())
        if low > p.k:
            clashes.append(
                Clash(
                    "category_minimums",
                    category,
                    [p.values[v] for v in rows],
                    {"sum": low, "k": p.k},
                )
            )
        if high < p.k:
            clashes.append(
                Clash(
                    "category_maximums",
                    category,
                    [p.values[v] for v in rows],
                    {"sum": high, "k": p.k},
                )
            )

    n_t, n_v = len(p.profiles), len(p.values)
    h = _highs()
    # columns: x_t (integer), then s_low_v, then s_high_v
    costs = np.concatenate([np.zeros(n_t), np.ones(2 * n_v)])
    lower = np.zeros(n_t + 2 * n_v)
    upper = np.concatenate([p.counts, np.full(2 * n_v, float(p.k + p.pool_size))])
    h.addCols(
        n_t + 2 * n_v,
        costs,
        lower,
        upper,
        0,
        np.zeros(0, np.int32),
        np.zeros(0, np.int32),
        np.zeros(0),
    )
    h.changeColsIntegrality(n_t, np.arange(n_t, dtype=np.int32), np.ones(n_t, dtype=np.uint8))
    inf = highspy.kHighsInf
    for v in range(n_v):
        ts = np.nonzero(p.membership[v])[0]
        idx = np.concatenate([ts, [n_t + v]]).astype(np.int32)
        h.addRow(float(p.minimum[v]), inf, len(idx), idx, np.concatenate([np.ones(len(ts)), [1.0]]))
        idx = np.concatenate([ts, [n_t + n_v + v]]).astype(np.int32)
        h.addRow(
            -inf, float(p.maximum[v]), len(idx), idx, np.concatenate([np.ones(len(ts)), [-1.0]])
        )
    h.addRow(float(p.k), float(p.k), n_t, np.arange(n_t, dtype=np.int32), np.ones(n_t))
    h.run()
    solution = np.array(h.getSolution().col_value)
    total = round(h.getInfo().objective_function_value)
    if total == 0 and not any(c.kind == "min_above_max" for c in clashes):
        return None
    changes: list[Change] = []
    moved: list[tuple[str, str]] = []
    for v, (category, value) in enumerate(p.values):
        low_slack = round(solution[n_t + v])
        high_slack = round(solution[n_t + n_v + v])
        if low_slack > 0:
            old = int(p.minimum[v])
            changes.append(Change(category, value, "min", old, max(0, old - low_slack)))
            moved.append((category, value))
        if high_slack > 0:
            old = int(p.maximum[v])
            changes.append(Change(category, value, "max", old, old + high_slack))
            moved.append((category, value))
    if not clashes:
        clashes.append(Clash("combination", values=moved))
    return Explanation(clashes=clashes, changes=changes, total_change=int(total))


# --------------------------------------------------------------------------- column generation


def _highs():
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    return h


class _Pricer:
    """The pricing integer programme: the valid panel (counts per profile) of largest weight."""

    def __init__(self, problem: Problem):
        import highspy

        p = problem
        self.n = len(p.profiles)
        self.h = h = _highs()
        h.setOptionValue("mip_rel_gap", 1e-9)
        h.setOptionValue("mip_abs_gap", 1e-10)
        # the model is tiny: presolve costs more than it saves; the improving
        # solutions met on the way are good columns too (`extra`)
        h.setOptionValue("presolve", "off")
        h.setOptionValue("mip_improving_solution_save", True)
        upper = p.upper_bounds()
        h.addCols(
            self.n,
            np.zeros(self.n),
            np.zeros(self.n),
            upper,
            0,
            np.zeros(0, np.int32),
            np.zeros(0, np.int32),
            np.zeros(0),
        )
        h.changeColsIntegrality(
            self.n, np.arange(self.n, dtype=np.int32), np.ones(self.n, dtype=np.uint8)
        )
        for v in range(len(p.values)):
            ts = np.nonzero(p.membership[v])[0].astype(np.int32)
            h.addRow(float(p.minimum[v]), float(p.maximum[v]), len(ts), ts, np.ones(len(ts)))
        h.addRow(float(p.k), float(p.k), self.n, np.arange(self.n, dtype=np.int32), np.ones(self.n))
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.calls = 0
        self.extra: list[np.ndarray] = []

    def best(self, weights: np.ndarray) -> tuple[float, np.ndarray] | None:
        """The panel maximising sum(weights * counts), or None if no panel exists."""
        import highspy

        self.calls += 1
        self.h.changeColsCost(self.n, np.arange(self.n, dtype=np.int32), weights.astype(float))
        self.h.run()
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        x = np.rint(np.array(self.h.getSolution().col_value)).astype(np.int64)
        self.extra = [
            np.rint(np.array(saved.col_value)).astype(np.int64)
            for saved in self.h.getSavedMipSolutions()
        ]
        return float(weights @ x), x


class _Master:
    """The master LP: maximise z subject to each unfixed profile's probability ≥ z."""

    def __init__(self, problem: Problem):
        import highspy

        self.p = problem
        self.n = len(problem.profiles)
        self.h = h = _highs()
        h.setOptionValue("primal_feasibility_tolerance", 1e-9)
        h.setOptionValue("dual_feasibility_tolerance", 1e-9)
        # columns are added one by one: the simplex starts again from the last basis,
        # which presolve would throw away
        h.setOptionValue("presolve", "off")
        # a new column leaves the last basis primal feasible: primal simplex goes on
        # from it in a few pivots, where dual simplex would start a new phase
        h.setOptionValue("simplex_strategy", 4)
        inf = highspy.kHighsInf
        # column 0 is z, free, objective 1 (maximised)
        h.addCol(1.0, -inf, inf, 0, np.zeros(0, np.int32), np.zeros(0))
        for _t in range(self.n):
            h.addRow(0.0, inf, 1, np.array([0], np.int32), np.array([-1.0]))
        h.addRow(1.0, 1.0, 0, np.zeros(0, np.int32), np.zeros(0))
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.columns: list[np.ndarray] = []
        self.seen: set[bytes] = set()
        self.fixed: dict[int, float] = {}

    def add(self, counts: np.ndarray) -> bool:
        key = counts.astype(np.int64).tobytes()
        if key in self.seen:
            return False
        self.seen.add(key)
        self.columns.append(counts.astype(np.int64))
        share = counts / np.where(self.p.counts > 0, self.p.counts, 1)
        rows = np.nonzero(share)[0]
        idx = np.concatenate([rows, [self.n]]).astype(np.int32)
        vals = np.concatenate([share[rows], [1.0]])
        self.h.addCol(0.0, 0.0, 1e30, len(idx), idx, vals)
        return True

    def fix(self, t: int, level: float) -> None:
        import highspy

        self.fixed[t] = level
        self.h.changeCoeff(t, 0, 0.0)
        self.h.changeRowBounds(t, level, highspy.kHighsInf)

    def solve(self) -> tuple[float, np.ndarray, np.ndarray]:
        """Objective, dual price per profile (normalised: unfixed ones sum to 1), λ per column."""
        import highspy

        self.h.run()
        status = self.h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise SortitionError(f"master LP: {self.h.modelStatusToString(status)}")
        solution = self.h.getSolution()
        duals = np.array(solution.row_dual[: self.n])
        unfixed = [t for t in range(self.n) if t not in self.fixed]
        total = duals[unfixed].sum() if unfixed else 1.0
        if abs(total) < 1e-12:
            total = 1.0
        y = np.maximum(duals / total, 0.0)
        lam = np.maximum(np.array(solution.col_value[1:]), 0.0)
        return float(self.h.getInfo().objective_function_value), y, lam


@dataclass
class _Run:
    problem: Problem
    master: _Master
    pricer: _Pricer
    deadline: float | None
    progress: Progress | None
    tolerance: float


def _initial_columns(run: _Run, rng: random.Random) -> np.ndarray:
    """Panels covering every profile that can be selected; returns the mask of those that cannot.

    Like the reference implementation: repeatedly ask for a panel valuing
    profiles not yet covered, with a little noise so the panels differ.
    """
    p = run.problem
    n = len(p.profiles)
    covered = np.zeros(n, dtype=bool)
    impossible = np.zeros(n, dtype=bool)
    first = run.pricer.best(np.array([rng.random() for _ in range(n)]))
    if first is None:
        raise Infeasible(explain_infeasible(p) or Explanation([], [], 0))
    run.master.add(first[1])
    covered |= first[1] > 0
    impossible |= p.counts == 0
    while True:
        _check_deadline(run)
        todo = ~covered & ~impossible
        if not todo.any():
            break
        weights = np.where(todo, 1.0, 0.0) + np.array([rng.random() * 1e-3 for _ in range(n)])
        _value, x = run.pricer.best(weights)
        newly = (x > 0) & todo
        if not newly.any():
            # no panel holds any of them: ask for each alone to be sure
            for t in np.nonzero(todo)[0]:
                only = np.zeros(n)
                only[t] = 1.0
                _v, xt = run.pricer.best(only)
                if xt[t] > 0:
                    run.master.add(xt)
                    covered |= xt > 0
                else:
                    impossible[t] = True
            continue
        run.master.add(x)
        covered |= x > 0
    return impossible


def _check_deadline(run: _Run) -> None:
    if run.deadline is not None and time.monotonic() > run.deadline:
        raise TimeLimitReached("time limit reached")


def _solve_level(run: _Run) -> tuple[float, np.ndarray, np.ndarray]:
    """Column generation for one level, until the dual bound meets the master's value."""
    master, pricer = run.master, run.pricer
    counts = np.where(run.problem.counts > 0, run.problem.counts, 1)
    while True:
        _check_deadline(run)
        value, y, lam = master.solve()
        found = pricer.best(y / counts)
        if found is None:
            raise SortitionError("pricing found no panel, although one exists")
        best, x = found
        fixed_part = sum(y[t] * level for t, level in master.fixed.items())
        bound = best - fixed_part
        if bound <= value + run.tolerance or not master.add(x):
            return value, y, lam
        # the other improving panels the search met, when they beat the master's price
        price = value + fixed_part
        for other in pricer.extra:
            if float((y / counts) @ other) > price + run.tolerance:
                master.add(other)


def fair_lottery(
    problem: Problem,
    *,
    algorithm: str = LEXIMIN,
    time_limit: float | None = None,
    progress: Progress | None = None,
    tolerance: float = 1e-9,
    seed: int = 0,
) -> Lottery:
    """The leximin (or maximin) lottery of `problem`; raises Infeasible when no panel exists.

    `progress(stage, fraction)` is called as levels are fixed. `seed` only
    varies the starting panels (the probabilities do not depend on it).
    """
    if algorithm == UNIFORM:
        return uniform_lottery(problem, time_limit=time_limit)
    if algorithm not in (LEXIMIN, MAXIMIN):
        raise InvalidInstance(f"unknown algorithm {algorithm}")
    started = time.monotonic()
    deadline = started + time_limit if time_limit else None
    explanation = explain_infeasible(problem)
    if explanation is not None:
        raise Infeasible(explanation)
    run = _Run(problem, _Master(problem), _Pricer(problem), deadline, progress, tolerance)
    impossible = _initial_columns(run, random.Random(seed))  # noqa: S311 (starting panels, not the draw)
    for t in np.nonzero(impossible)[0]:
        run.master.fix(int(t), 0.0)
    n = len(problem.profiles)
    levels = 0
    lam = np.zeros(0)
    while len(run.master.fixed) < n:
        value, y, lam = _solve_level(run)
        levels += 1
        if algorithm == MAXIMIN:
            break
        unfixed = [t for t in range(n) if t not in run.master.fixed]
        tight = [t for t in unfixed if y[t] > 1e-7]
        if not tight:
            tight = [max(unfixed, key=lambda t: y[t])]
        # a hair below the level, so that solver tolerances never make a later level infeasible
        for t in tight:
            run.master.fix(t, max(0.0, value - 1e-10))
        if progress:
            progress(algorithm, len(run.master.fixed) / n)
    if not len(lam):
        _value, _y, lam = run.master.solve()
    keep = lam > 1e-12
    panels = np.array(run.master.columns, dtype=np.int64)[keep]
    probabilities = lam[keep] / lam[keep].sum()
    return _lottery(algorithm, problem, panels, probabilities, started, run.pricer.calls, levels)


def _lottery(algorithm, problem, panels, probabilities, started, calls, levels) -> Lottery:
    counts = np.where(problem.counts > 0, problem.counts, 1)
    profile_probability = (probabilities[:, None] * panels).sum(axis=0) / counts
    return Lottery(
        algorithm=algorithm,
        problem=problem,
        panels=panels,
        probabilities=probabilities,
        profile_probability=profile_probability,
        seconds=time.monotonic() - started,
        pricing_calls=calls,
        levels=levels,
    )


def leximin(problem: Problem, **options: Any) -> Lottery:
    return fair_lottery(problem, algorithm=LEXIMIN, **options)


def maximin(problem: Problem, **options: Any) -> Lottery:
    return fair_lottery(problem, algorithm=MAXIMIN, **options)


# --------------------------------------------------------------------------- uniform


class _TooLarge(Exception):
    pass


def uniform_lottery(
    problem: Problem,
    *,
    max_states: int = 50_000,
    samples: int = 5_000,
    time_limit: float | None = None,
    seed: int = 0,
) -> Lottery:
    """Every valid panel of people equally likely (each profile's probability is E[x_t]/n_t).

    Exact by dynamic programming over profiles (states: people per value so
    far) when the states stay under `max_states`; otherwise estimated with a
    swap Markov chain (`exact` is then False and `samples` says how many). The
    returned `panels` are empty: this lottery is for comparison, not for drawing.
    """
    started = time.monotonic()
    explanation = explain_infeasible(problem)
    if explanation is not None:
        raise Infeasible(explanation)
    try:
        probability = _uniform_exact(problem, max_states)
        lottery = _lottery(
            UNIFORM, problem, np.zeros((0, len(problem.profiles))), np.zeros(0), started, 0, 0
        )
        lottery.profile_probability = probability
        return lottery
    except _TooLarge:
        pass
    probability, samples = _uniform_chain(
        problem, samples=samples, seed=seed, time_limit=time_limit
    )
    lottery = _lottery(
        UNIFORM, problem, np.zeros((0, len(problem.profiles))), np.zeros(0), started, 0, 0
    )
    lottery.profile_probability = probability
    lottery.exact = False
    lottery.samples = samples
    return lottery


def _uniform_exact(p: Problem, max_states: int) -> np.ndarray:
    n_t = len(p.profiles)
    value_rows = [tuple(np.nonzero(p.membership[:, t])[0]) for t in range(n_t)]
    maximum = [int(m) for m in p.maximum]
    minimum = [int(m) for m in p.minimum]
    counts = [int(c) for c in p.counts]
    # people of each value still available after profile t (to prune states that cannot reach minima)
    remaining = np.zeros((n_t + 1, len(p.values)), dtype=np.int64)
    for t in range(n_t - 1, -1, -1):
        remaining[t] = remaining[t + 1] + p.membership[:, t].astype(np.int64) * counts[t]
    left_people = [int(sum(counts[t:])) for t in range(n_t + 1)]
    start = (0,) * len(p.values)
    forward: list[dict[tuple[int, ...], int]] = [{(0, start): 1}]
    for t in range(n_t):
        layer: dict[tuple[int, ...], int] = {}
        rows = value_rows[t]
        for (total, state), ways in forward[-1].items():
            for j in range(0, min(counts[t], p.k - total) + 1):
                new_total = total + j
                if new_total + left_people[t + 1] < p.k:
                    continue
                new = list(state)
                ok = True
                for v in rows:
                    new[v] += j
                    if new[v] > maximum[v]:
                        ok = False
                        break
                if not ok:
                    break
                if any(new[v] + remaining[t + 1][v] < minimum[v] for v in range(len(new))):
                    continue
                key = (new_total, tuple(new))
                layer[key] = layer.get(key, 0) + ways * math.comb(counts[t], j)
        if len(layer) > max_states:
            raise _TooLarge
        forward.append(layer)
    final = {
        key: ways
        for key, ways in forward[-1].items()
        if key[0] == p.k and all(key[1][v] >= minimum[v] for v in range(len(p.values)))
    }
    total_panels = sum(final.values())
    if not total_panels:
        raise SortitionError("no panel")
    backward: dict[tuple[int, ...], int] = dict.fromkeys(final, 1)
    expected = np.zeros(n_t)
    for t in range(n_t - 1, -1, -1):
        previous: dict[tuple[int, ...], int] = {}
        rows = value_rows[t]
        weighted = 0
        for (total, state), ways in forward[t].items():
            acc = 0
            for j in range(0, min(counts[t], p.k - total) + 1):
                new = list(state)
                for v in rows:
                    new[v] += j
                key = (total + j, tuple(new))
                after = backward.get(key)
                if after:
                    term = math.comb(counts[t], j) * after
                    acc += term
                    weighted += ways * term * j
            if acc:
                previous[(total, state)] = acc
        backward = previous
        expected[t] = weighted / total_panels
    return expected / np.where(p.counts > 0, p.counts, 1)


def _uniform_chain(
    p: Problem, *, samples: int, seed: int, time_limit: float | None
) -> tuple[np.ndarray, int]:
    """Swap one member for one non-member when the quotas still hold (uniform stationary law).

    Picking a random member and a random non-member is symmetric between
    panels of people, so the chain's stationary law is uniform over them.
    """
    rng = random.Random(seed)  # noqa: S311 (an estimate, not the draw)
    pricer = _Pricer(p)
    start = pricer.best(np.array([rng.random() for _ in p.profiles]))[1]
    x = [int(c) for c in start]
    counts = [int(c) for c in p.counts]
    rows = [list(np.nonzero(p.membership[:, t])[0]) for t in range(len(x))]
    per_value = [int(v) for v in p.membership @ start]
    low = [int(v) for v in p.minimum]
    high = [int(v) for v in p.maximum]
    outside = [c - xi for c, xi in zip(counts, x, strict=True)]
    n_out = sum(outside)
    total = [0] * len(x)
    thin, burn = max(1, p.k), 20 * max(1, p.k)
    deadline = time.monotonic() + time_limit if time_limit else None
    taken = step = 0

    def pick(weights: list[int], size: int) -> int:
        r = rng.randrange(size)
        for t, w in enumerate(weights):
            r -= w
            if r < 0:
                return t
        return len(weights) - 1

    while taken < samples:
        step += 1
        t = pick(x, p.k)
        s = pick(outside, n_out)
        if t != s:
            ok = True
            for v in rows[t]:
                if v not in rows[s] and per_value[v] - 1 < low[v]:
                    ok = False
            for v in rows[s]:
                if v not in rows[t] and per_value[v] + 1 > high[v]:
                    ok = False
            if ok:
                for v in rows[t]:
                    per_value[v] -= 1
                for v in rows[s]:
                    per_value[v] += 1
                x[t] -= 1
                x[s] += 1
                outside[t] += 1
                outside[s] -= 1
        if step > burn and step % thin == 0:
            for i, xi in enumerate(x):
                total[i] += xi
            taken += 1
            if deadline and time.monotonic() > deadline:
                break
    probability = np.array(total, dtype=float) / max(taken, 1)
    return probability / np.where(p.counts > 0, p.counts, 1), taken


# --------------------------------------------------------------------------- quotas helper


def proportional_quotas(
    shares: Mapping[tuple[str, str], float], k: int, *, margin: int = 0
) -> dict[tuple[str, str], tuple[int, int]]:
    """Quotas proportional to a reference population: floor and ceiling of share * k, ± margin.

    `shares` are per (category, value); they are normalised within each category.
    """
    by_category: dict[str, float] = {}
    for (category, _), share in shares.items():
        by_category[category] = by_category.get(category, 0.0) + max(share, 0.0)
    quotas = {}
    for (category, value), share in shares.items():
        total = by_category[category]
        exact = k * max(share, 0.0) / total if total else 0.0
        low = max(0, math.floor(exact + 1e-9) - margin)
        high = min(k, math.ceil(exact - 1e-9) + margin)
        quotas[(category, value)] = (low, max(low, high))
    return quotas


def compare(problem: Problem, lotteries: Sequence[Lottery]) -> list[dict[str, Any]]:
    """Minimum probability, Gini and how many fall below the leximin minimum, per lottery."""
    reference = next((lot for lot in lotteries if lot.algorithm == LEXIMIN), None)
    level = reference.minimum_probability if reference else None
    rows = []
    for lottery in lotteries:
        rows.append(
            {
                "algorithm": lottery.algorithm,
                "minimum": lottery.minimum_probability,
                "gini": lottery.gini(),
                "below_leximin_minimum": lottery.below(level) if level is not None else None,
                "exact": lottery.exact,
                "seconds": lottery.seconds,
            }
        )
    return rows


# --------------------------------------------------------------------------- the draw


def lottery_document(
    lottery: Lottery, *, seed: str, people: Mapping[str, Mapping[str, str]] | None = None
) -> dict[str, Any]:
    """The file anyone can re-run the draw from (`verify.py`): people, lottery, seed, panel.

    Panels are listed in a canonical order (by their counts per profile name),
    so the same lottery always gives the same file.
    """
    from . import verify

    p = lottery.problem
    keys = [p.profile_key(t) for t in range(len(p.profiles))]
    panels = []
    for counts, probability in zip(lottery.panels, lottery.probabilities, strict=True):
        panels.append(
            {
                "counts": {keys[t]: int(c) for t, c in enumerate(counts) if c > 0},
                "probability": float(probability),
            }
        )
    panels.sort(key=lambda panel: sorted(panel["counts"].items()))
    document = {
        "format": verify.FORMAT,
        "algorithm": lottery.algorithm,
        "seed": seed,
        "panel_size": p.k,
        "categories": p.categories,
        "quotas": [
            {"category": c, "value": v, "min": int(lo), "max": int(hi)}
            for (c, v), lo, hi in zip(p.values, p.minimum, p.maximum, strict=True)
        ],
        "people": [
            {
                "id": pid,
                "profile": keys[t],
                "probability": float(lottery.profile_probability[t]),
            }
            for t, members in enumerate(p.members)
            for pid in members
        ],
        "lottery": panels,
    }
    document["panel"] = verify.draw_from_document(document)
    return document


def draw(lottery: Lottery, *, seed: str) -> list[str]:
    """The ids of the people drawn from the lottery with this seed (reproducible, see verify.py)."""
    if not len(lottery.panels):
        raise InvalidInstance("this lottery has no panels to draw from")
    return lottery_document(lottery, seed=seed)["panel"]


def replacement_candidates(problem: Problem, *, panel: Sequence[str], leaving: str) -> list[str]:
    """Volunteers outside the panel whose arrival in place of `leaving` keeps every quota."""
    where = problem.person_profile()
    counts = np.zeros(len(problem.profiles))
    for pid in panel:
        counts[where[pid]] += 1
    counts[where[leaving]] -= 1
    taken = set(panel)
    candidates = []
    for t, members in enumerate(problem.members):
        trial = counts.copy()
        trial[t] += 1
        if problem.panel_meets_quotas(trial):
            candidates.extend(pid for pid in members if pid not in taken)
    return sorted(candidates)


def choose_replacement(*, seed: str, candidates: Sequence[str], number: int) -> str | None:
    """The replacement, chosen uniformly among the candidates with the draw's seed.

    `number` is the replacement's rank (1 for the first) so that each is fixed in advance too.
    """
    from .verify import seeded_number

    if not candidates:
        return None
    ordered = sorted(candidates)
    return ordered[int(seeded_number(seed, f"replacement|{number}") * len(ordered))]
