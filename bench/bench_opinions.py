"""Opinion maps: our analysis against red-dwarf's Pol.is pipeline, on the same votes.

Three generated conversations, each with three planted opinion groups (every
group leans agree or disagree on each statement, 80 % of the time; the rest is
the other answer or a pass), the same for both tools:

- 5,000 participants x 300 statements at 10 % density (150,000 votes);
- 23,000 x 1,000 at 3 % (690,000 votes);
- 33,000 x 800 with 2 million votes (the shape of Pol.is's largest conversation).

For each, and each tool, in a fresh process of its own (so one tool's memory is
not counted for the other): the time of the analysis from the votes in memory
to the groups, representative statements and consensus (ours: the median of 5
runs after one warm-up; red-dwarf: one run, it is slow), and the peak memory
of the process while analysing (the peak of the memory allocated while analysing, as
tracemalloc sees it: numpy, scipy and pandas report their arrays to it; plus
the whole process's high-water mark, data and imports included, from Linux's
VmHWM). Then the adjusted Rand index between the two tools' groups
(over participants both clustered) and each tool's against the planted groups.

Then, on the database: 23,000 x 1,000 votes written into an opinion map and the
time from the votes in the database to the stored analysis (`analysis_run`:
read, analyse, store). PostgreSQL when BENCH_DATABASE_URL is set (the goal is
measured there), otherwise SQLite.

Goals on 2 cores: 0.15 s, 0.5 s, 1 s; under 2 s from the database to the
stored result at 23,000 x 1,000; under 400 MB of peak memory at 23,000 x 1,000.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import _harness

CASES = {
    "5000x300": {"n_participants": 5000, "n_statements": 300, "density": 0.10},
    "23000x1000": {"n_participants": 23000, "n_statements": 1000, "density": 0.03},
    "33000x800": {"n_participants": 33000, "n_statements": 800, "n_votes": 2_000_000},
}
GOALS_S = {"5000x300": 0.15, "23000x1000": 0.5, "33000x800": 1.0}
SEED = 7
RUNS = 5


def _votes(case: str):
    sys.path.insert(0, str(_harness.ROOT))
    from faireavec.opinions.analysis import planted_votes

    return planted_votes(**CASES[case], n_groups=3, seed=SEED)


def _rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def worker(tool: str, case: str, out: str) -> None:
    """Run one tool on one case in this process; write its figures and labels to `out`."""
    import numpy as np

    p, s, v, truth = _votes(case)
    if tool == "ours":
        from faireavec.opinions import analysis as maths

        def run():
            return maths.analyse(maths.vote_matrix(p, s, v))

        run()  # warm-up (imports, first allocations)
        times, cpu_times = [], []
        for _ in range(RUNS):
            start, cpu_start = time.perf_counter(), time.process_time()
            result = run()
            times.append(time.perf_counter() - start)
            cpu_times.append(time.process_time() - cpu_start)
        tracemalloc.start()
        result = run()
        traced_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        peak = _rss_kb("VmHWM")
        ids = result.participant_ids
        labels = result.labels
        k = result.k
        seconds = statistics.median(times)
        cpu_seconds = statistics.median(cpu_times)
    else:
        import warnings

        warnings.filterwarnings("ignore")
        from reddwarf.implementations.polis import run_pipeline

        votes = [
            {"participant_id": int(a), "statement_id": int(b), "vote": int(c), "modified": 0}
            for a, b, c in zip(p, s, v, strict=True)
        ]
        tracemalloc.start()
        start, cpu_start = time.perf_counter(), time.process_time()
        result = run_pipeline(votes=votes, random_state=SEED)
        seconds = time.perf_counter() - start
        cpu_seconds = time.process_time() - cpu_start
        traced_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        peak = _rss_kb("VmHWM")
        frame = result.participants_df
        ids = frame.index.to_numpy(dtype=np.int64)
        labels = frame["cluster_id"].astype("float").fillna(-1).to_numpy().astype(np.int64)
        k = len(set(labels.tolist()) - {-1})
    Path(out).write_text(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "peak_mb": round(traced_peak / 2**20),
                "hwm_mb": round(peak / 1024),
                "k": int(k),
                "ids": [int(x) for x in ids],
                "labels": [int(x) for x in labels],
                "truth": [int(truth[int(x) - 1]) for x in ids],
            }
        )
    )


def _run_worker(tool: str, case: str) -> dict:
    out = _harness.ROOT / "var" / f"bench_opinions_{tool}_{case}.json"
    out.parent.mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(_harness.ROOT)}
    subprocess.run(  # noqa: S603 -- this very script, with fixed arguments
        [sys.executable, __file__, "--worker", tool, case, str(out)], check=True, env=env
    )
    data = json.loads(out.read_text())
    out.unlink()
    return data


def _ari(a: dict, b: dict) -> float:
    import numpy as np

    from faireavec.opinions.analysis import adjusted_rand_index

    ids_a = dict(zip(a["ids"], a["labels"], strict=True))
    ids_b = dict(zip(b["ids"], b["labels"], strict=True))
    both = [i for i in ids_a if ids_a[i] >= 0 and ids_b.get(i, -1) >= 0]
    return adjusted_rand_index(
        np.array([ids_a[i] for i in both]), np.array([ids_b[i] for i in both])
    )


def _truth_ari(a: dict) -> float:
    from faireavec.opinions.analysis import adjusted_rand_index

    pairs = [(t, lab) for t, lab in zip(a["truth"], a["labels"], strict=True) if lab >= 0]
    return adjusted_rand_index([t for t, _ in pairs], [lab for _, lab in pairs])


def database_run() -> dict:
    """23,000 x 1,000 votes in an opinion map, then votes -> stored analysis."""
    from django.core.management import call_command
    from django.db import connection

    from faireavec.opinions.models import Conversation, OpinionParticipant, Statement, Vote
    from faireavec.opinions.services import analysis_run
    from faireavec.organisations.models import Organisation

    call_command("migrate", verbosity=0)
    p, s, v, _ = _votes("23000x1000")
    org = Organisation.objects.create(name="Bench", slug="bench-opinions")
    conversation = Conversation.objects.create(
        organisation=org, title="Bench", question="?", status=Conversation.Status.OPEN
    )
    statements = Statement.objects.bulk_create(
        [
            Statement(
                conversation=conversation, number=i + 1, text=f"Phrase {i + 1}", origin="seed"
            )
            for i in range(CASES["23000x1000"]["n_statements"])
        ],
        batch_size=1000,
    )
    participants = OpinionParticipant.objects.bulk_create(
        [
            OpinionParticipant(conversation=conversation, number=i + 1)
            for i in range(CASES["23000x1000"]["n_participants"])
        ],
        batch_size=2000,
    )
    if connection.vendor == "sqlite":  # bulk_create does not return the ids there
        participants = list(
            OpinionParticipant.objects.filter(conversation=conversation).order_by("number")
        )
        statements = list(Statement.objects.filter(conversation=conversation).order_by("number"))
    pid = [x.pk for x in participants]
    sid = [x.pk for x in statements]
    start = time.perf_counter()
    table = Vote._meta.db_table
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {table} (conversation_id, statement_id, voter_id, value, created_at, updated_at) FROM STDIN"
            ) as copy,
        ):
            for a, b, c in zip(p, s, v, strict=True):
                copy.write_row((conversation.pk, sid[b - 1], pid[a - 1], int(c), "now", "now"))
    else:
        from django.utils import timezone

        now = timezone.now()
        Vote.objects.bulk_create(
            (
                Vote(
                    conversation=conversation,
                    statement_id=sid[b - 1],
                    voter_id=pid[a - 1],
                    value=int(c),
                    created_at=now,
                    updated_at=now,
                )
                for a, b, c in zip(p, s, v, strict=True)
            ),
            batch_size=5000,
        )
    written = time.perf_counter() - start
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    from faireavec.opinions.selectors import vote_arrays

    analysis_run(conversation_id=conversation.pk)  # warm-up
    times, cpu_times, reads = [], [], []
    for _ in range(3):
        start, cpu_start = time.perf_counter(), time.process_time()
        analysis = analysis_run(conversation_id=conversation.pk)
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
        start = time.perf_counter()
        vote_arrays(conversation_id=conversation.pk)
        reads.append(time.perf_counter() - start)
    return {
        "vendor": connection.vendor,
        "votes": analysis.n_votes,
        "groups": analysis.n_groups,
        "write_s": round(written, 1),
        "db_to_stored_s": round(statistics.median(times), 3),
        "db_to_stored_cpu_s": round(statistics.median(cpu_times), 3),
        "read_s": round(statistics.median(reads), 3),
    }


def _arguments(argv: list[str]) -> tuple[list[str], bool]:
    """`--cases 5000x300,23000x1000` runs only those (all by default);
    `--no-db` skips the database part (for quick runs while developing)."""
    cases = list(CASES)
    if "--cases" in argv:
        cases = [c for c in argv[argv.index("--cases") + 1].split(",") if c in CASES]
    return cases, "--no-db" not in argv


def main(argv: list[str]) -> None:
    cases, with_db = _arguments(argv)
    _harness.setup_django("opinions")
    import numpy  # noqa: F401  (imported before timing anything)

    try:
        load = os.getloadavg()[0]
    except OSError:
        load = float("nan")
    print(_harness.machine_line())
    print(f"Load average (1 min) at the start: {load:.2f}")
    print(
        "Analysis from the votes in memory to groups, representative statements and "
        "consensus; each tool in its own process. Ours: median of 5 runs; red-dwarf: 1 run. "
        "Wall time, and CPU time of the process (all its threads): on a shared, loaded "
        "machine the CPU time is the steadier figure."
    )
    rows = []
    for case in cases:
        ours = _run_worker("ours", case)
        theirs = _run_worker("reddwarf", case)
        rows.append(
            {
                "case": case,
                "ours_s": f"{ours['seconds']:.3f}",
                "ours_cpu": f"{ours['cpu_seconds']:.3f}",
                "goal_s": f"{GOALS_S[case]:.2f}",
                "rd_s": f"{theirs['seconds']:.2f}",
                "rd_cpu": f"{theirs['cpu_seconds']:.2f}",
                "ratio": f"{theirs['seconds'] / ours['seconds']:.0f}x",
                "cpu_ratio": f"{theirs['cpu_seconds'] / ours['cpu_seconds']:.0f}x",
                "ours_mb": f"{ours['peak_mb']} ({ours['hwm_mb']})",
                "rd_mb": f"{theirs['peak_mb']} ({theirs['hwm_mb']})",
                "k": f"{ours['k']}/{theirs['k']}",
                "ari": f"{_ari(ours, theirs):.3f}",
                "ari_truth": f"{_truth_ari(ours):.3f}/{_truth_ari(theirs):.3f}",
            }
        )
    _harness.print_table(
        rows,
        [
            _harness.Column("case", "participants x statements", 26, "<"),
            _harness.Column("ours_s", "ours (s)", 9),
            _harness.Column("ours_cpu", "ours CPU (s)", 13),
            _harness.Column("goal_s", "goal (s)", 9),
            _harness.Column("rd_s", "red-dwarf (s)", 14),
            _harness.Column("rd_cpu", "red-dwarf CPU (s)", 18),
            _harness.Column("ratio", "ratio", 7),
            _harness.Column("cpu_ratio", "CPU ratio", 10),
            _harness.Column("ours_mb", "ours MB (process)", 18),
            _harness.Column("rd_mb", "red-dwarf MB (process)", 23),
            _harness.Column("k", "groups ours/rd", 15),
            _harness.Column("ari", "ARI ours-rd", 12),
            _harness.Column("ari_truth", "ARI vs planted ours/rd", 23),
        ],
    )
    db = database_run() if with_db else None
    if db is not None:
        print()
        print(
            f"From the votes in the database ({db['vendor']}) to the stored analysis, "
            f"23000 x 1000, {db['votes']} votes: {db['db_to_stored_s']:.3f} s, CPU "
            f"{db['db_to_stored_cpu_s']:.3f} s (median of 3; goal under 2 s): reading the "
            f"votes {db['read_s']:.3f} s, {db['groups']} groups. Writing the votes took "
            f"{db['write_s']} s (not part of the goal)."
        )
    path = _harness.write_results(
        "opinions",
        {"machine": _harness.machine(), "load_average": load, "analysis": rows, "database": db},
    )
    print(f"Results written to {path.relative_to(_harness.ROOT)}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        sys.path.insert(0, str(_harness.ROOT))
        worker(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        main(sys.argv[1:])
