"""Test and benchmark instances: the paper's public examples and generated pools.

The two examples (200 → 20 and 2,000 → 200) are read from `tests/data/`, copied
unchanged from the replication repository of Flanigan et al. (GPL-3.0, see
`tests/data/NOTICE`). The generated pools mimic a self-selected pool: the
population's shares per value are fixed by the seed, the pool over-represents
some values (people who volunteer are not a random sample, and features are
correlated through one latent "propensity"), and the quotas are proportional to
the population, not to the pool — which is what makes fair draws hard.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from .algorithms import Problem, build_problem, explain_infeasible, proportional_quotas

DATA = Path(__file__).resolve().parent / "tests" / "data"


def paper_example(name: str) -> tuple[Problem, dict[str, str]]:
    """`example_small_20` or `example_large_200`: the problem and each person's row id."""
    k = {"example_small_20": 20, "example_large_200": 200}[name]
    folder = DATA / name
    with (folder / "categories.csv").open(encoding="utf-8") as f:
        quotas = {
            (row["category"], row["feature"]): (int(row["min"]), int(row["max"]))
            for row in csv.DictReader(f)
        }
    with (folder / "respondents.csv").open(encoding="utf-8") as f:
        people = {f"p{i:05d}": dict(row) for i, row in enumerate(csv.DictReader(f))}
    return build_problem(people=people, quotas=quotas, k=k), people


def paper_leximin_probabilities(name: str) -> list[float]:
    """The reference leximin probability of every volunteer (sorted), from the paper's output."""
    path = DATA / "reference_output" / f"{name}_prob_allocs_data.csv"
    with path.open(encoding="utf-8") as f:
        return sorted(
            float(row["selection probability"])
            for row in csv.DictReader(f)
            if row["algorithm"] == "LexiMin"
        )


def generated_pool(
    *, pool: int, k: int, sizes: list[int], seed: int = 1, margin: int = 1
) -> tuple[dict[str, dict[str, str]], dict[tuple[str, str], tuple[int, int]]]:
    """A self-selected pool and population-proportional quotas (see the module's docstring).

    `sizes[i]` is the number of values of category i. The margin widens until a panel exists.
    """
    rng = random.Random(seed)  # noqa: S311 (test data)
    categories = [chr(ord("a") + i) for i in range(len(sizes))]
    shares: dict[tuple[str, str], float] = {}
    tilt: dict[str, list[float]] = {}
    for category, size in zip(categories, sizes, strict=True):
        raw = [rng.uniform(0.3, 1.0) for _ in range(size)]
        total = sum(raw)
        for j, r in enumerate(raw):
            shares[(category, f"{category}{j + 1}")] = r / total
        tilt[category] = [rng.uniform(-1.5, 1.5) for _ in range(size)]
    people: dict[str, dict[str, str]] = {}
    for i in range(pool):
        propensity = rng.gauss(0, 1)
        features = {}
        for category, size in zip(categories, sizes, strict=True):
            weights = [
                shares[(category, f"{category}{j + 1}")]
                * pow(2.718281828, tilt[category][j] * propensity)
                for j in range(size)
            ]
            features[category] = f"{category}{rng.choices(range(size), weights)[0] + 1}"
        people[f"v{i:05d}"] = features
    while True:
        quotas = proportional_quotas(shares, k, margin=margin)
        problem = build_problem(people=people, quotas=quotas, k=k, categories=categories)
        if explain_infeasible(problem) is None:
            return people, quotas
        margin += 1


def generated_problem(*, pool: int, k: int, sizes: list[int], seed: int = 1) -> Problem:
    people, quotas = generated_pool(pool=pool, k=k, sizes=sizes, seed=seed)
    categories = sorted({c for c, _ in quotas})
    return build_problem(people=people, quotas=quotas, k=k, categories=categories)


# The benchmark's generated instances (pool, panel, values per category)
FOUR_CATEGORIES = {"pool": 1000, "k": 50, "sizes": [2, 3, 4, 5]}
SEVEN_CATEGORIES = {"pool": 1700, "k": 110, "sizes": [2, 2, 3, 4, 5, 6, 6]}
