"""Fair draws: our leximin and maximin (profiles + HiGHS) against sortition-algorithms.

Instances: the paper's two public examples (200 → 20, 2,000 → 200, GPL-3.0 data
in faireavec/sortition/tests/data), a generated 1,000 → 50 pool with four
categories and a generated 1,700 → 110 pool with seven categories of 2 to 6
values (self-selected pools, quotas proportional to the population: see
faireavec/sortition/instances.py). For each: the wall time of one computation
of the lottery and its minimum selection probability.

The peer is sortition-algorithms (PyPI) with its HiGHS backend; its leximin
needs Gurobi (commercial), so only its maximin runs. It runs in a child process
with a time limit (BENCH_SORTITION_PEER_LIMIT seconds, 120 by default) and the
table says "time limit" when it is stopped. Ours have a limit too
(BENCH_SORTITION_LIMIT, 900 s). Set BENCH_SORTITION_QUICK=1 to skip the
seven-category pool. Everything runs on one core at a time (HiGHS threads=1 for
ours; the peer as it comes).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _harness

_harness.setup_django("sortition")

from faireavec.sortition import algorithms as alg  # noqa: E402
from faireavec.sortition.instances import (  # noqa: E402
    FOUR_CATEGORIES,
    SEVEN_CATEGORIES,
    generated_pool,
    paper_example,
)

PEER_LIMIT = float(os.environ.get("BENCH_SORTITION_PEER_LIMIT", "120"))
OUR_LIMIT = float(os.environ.get("BENCH_SORTITION_LIMIT", "900"))
QUICK = os.environ.get("BENCH_SORTITION_QUICK") == "1"


def instances():
    for name, label in (("example_small_20", "200 → 20"), ("example_large_200", "2,000 → 200")):
        problem, people = paper_example(name)
        quotas = {
            cv: (int(lo), int(hi))
            for cv, lo, hi in zip(problem.values, problem.minimum, problem.maximum, strict=True)
        }
        yield label, people, quotas, problem.k
    specs = [("1,000 → 50, 4 categories", FOUR_CATEGORIES)]
    if not QUICK:
        specs.append(("1,700 → 110, 7 categories", SEVEN_CATEGORIES))
    for label, spec in specs:
        people, quotas = generated_pool(**spec)
        yield label, people, quotas, spec["k"]


def _peer_maximin(people, quotas, k, queue):
    """Child process: sortition-algorithms' maximin with HiGHS; puts (seconds, minimum)."""
    import logging

    logging.disable(logging.CRITICAL)
    from sortition_algorithms.committee_generation.maximin import find_distribution_maximin
    from sortition_algorithms.features import FeatureValueMinMax
    from sortition_algorithms.people import People
    from sortition_algorithms.utils import CaseInsensitiveDict

    features = CaseInsensitiveDict()
    for (category, value), (low, high) in quotas.items():
        features.setdefault(category, CaseInsensitiveDict())[value] = FeatureValueMinMax(
            min=low, max=high
        )
    pool = People(columns_to_keep=[])
    for row, (pid, data) in enumerate(people.items()):
        pool.add(pid, dict(data), features, row + 2)
    started, cpu = time.perf_counter(), time.process_time()
    committees, probabilities, _report = find_distribution_maximin(features, pool, k, [], "highspy")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    chance = dict.fromkeys(people, 0.0)
    for committee, probability in zip(committees, probabilities, strict=True):
        for pid in committee:
            chance[pid] += probability
    queue.put((seconds, cpu, min(chance.values())))


def peer(people, quotas, k):
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_peer_maximin, args=(people, quotas, k, queue))
    child.start()
    child.join(PEER_LIMIT)
    if child.is_alive():
        child.kill()
        child.join()
        return None
    return queue.get() if not queue.empty() else None


def ours(people, quotas, k, algorithm):
    problem = alg.build_problem(people=people, quotas=quotas, k=k)
    started, cpu = time.perf_counter(), time.process_time()
    try:
        lottery = alg.fair_lottery(problem, algorithm=algorithm, time_limit=OUR_LIMIT)
    except alg.TimeLimitReached:
        return None, len(problem.profiles)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return (seconds, cpu, lottery.minimum_probability), len(problem.profiles)


def main() -> None:
    rows = []
    for label, people, quotas, k in instances():
        print(f"… {label}", flush=True)
        mm, profiles = ours(people, quotas, k, alg.MAXIMIN)
        lex, _ = ours(people, quotas, k, alg.LEXIMIN)
        other = peer(people, quotas, k)
        rows.append(
            {
                "instance": label,
                "profiles": profiles,
                "ours_maximin": mm,
                "ours_leximin": lex,
                "peer_maximin": other,
            }
        )

    def cell(result, limit):
        if result is None:
            return f"time limit {limit:.0f} s"
        seconds, cpu, minimum = result
        return f"{seconds:.2f} s ({cpu:.2f} CPU), {minimum:.4f}"

    def ratio(row):
        """Of CPU times: both run on one thread, and CPU time is what the load does not inflate."""
        if row["ours_maximin"] is None:
            return "-"
        if row["peer_maximin"] is None:
            return f"> {PEER_LIMIT / row['ours_maximin'][0]:.0f}x (wall)"
        return f"{row['peer_maximin'][1] / max(row['ours_maximin'][1], 1e-3):.1f}x"

    table = [
        {
            "instance": r["instance"],
            "profiles": r["profiles"],
            "mm": cell(r["ours_maximin"], OUR_LIMIT),
            "lex": cell(r["ours_leximin"], OUR_LIMIT),
            "peer": cell(r["peer_maximin"], PEER_LIMIT),
            "ratio": ratio(r),
        }
        for r in rows
    ]
    print()
    print(
        "Time to compute the lottery and its minimum selection probability, ours (feature profiles,"
        " column generation with HiGHS) and sortition-algorithms "
        "(maximin, HiGHS backend; its leximin needs Gurobi, not run): wall seconds, the"
        " process's CPU seconds in brackets (each solver runs on one thread, so on a loaded"
        " machine CPU time is the figure to read), minimum probability. The ratio is of CPU"
        " times; against a peer stopped at its time limit, of wall times."
    )
    print(_harness.machine_line(), f"Load average at the start: {os.getloadavg()[0]:.1f}.")
    _harness.print_table(
        table,
        [
            _harness.Column("instance", "instance", 27, "<"),
            _harness.Column("profiles", "profiles", 8),
            _harness.Column("mm", "ours maximin", 30),
            _harness.Column("lex", "ours leximin", 30),
            _harness.Column("peer", "peer maximin", 30),
            _harness.Column("ratio", "peer/ours maximin", 20),
        ],
    )
    path = _harness.write_results(
        "sortition",
        {
            "machine": _harness.machine(),
            "peer_time_limit_s": PEER_LIMIT,
            "our_time_limit_s": OUR_LIMIT,
            "rows": rows,
        },
    )
    print(f"Results written to {path.relative_to(_harness.ROOT)}")


if __name__ == "__main__":
    main()
