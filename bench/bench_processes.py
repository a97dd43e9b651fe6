"""Benchmark of an initiative's page with many proposals (not a test).

Measures the server time (median and 95th percentile) and the number of SQL
queries of the pages of one initiative whose proposals grow from 1,000 to 10,000
(two stance comments per proposal, a third of them answered): its public page
(page 1 and page 100 of the proposals, for a visitor and for a signed-in
participant who follows it), its closing report, and its back-office page. The
cache is emptied before each run, except for « (warm) », where the proposals'
figures come from their five-minute cache, as in production. The
number of queries of each page must be the same at both sizes. Goal (issue #11):
p95 under 50 ms, queries independent of the volume.

Standalone: its own SQLite file under var/ (recreated each run), set before
Django starts; or PostgreSQL with BENCH_DATABASE_URL=postgres://… (an empty
database of your own). DEBUG is off, as in production (bench/_harness.py).
Prints a table; writes bench/results/processes.json.
Run: .venv/bin/python bench/bench_processes.py
"""

import random
import statistics
import sys
import time
from datetime import timedelta

import _harness
from _harness import Column

SIZES = [1_000, 10_000]
RUNS = 20

_harness.setup_django("processes")

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from faireavec.accounts.models import User  # noqa: E402
from faireavec.contributions.models import (  # noqa: E402
    Comment,
    Contribution,
    Kind,
    Stance,
    Status,
    new_follow_up_code,
)
from faireavec.organisations.models import Membership, Organisation, Role  # noqa: E402
from faireavec.processes.models import (  # noqa: E402
    Initiative,
    InitiativeFollow,
    InitiativeProposal,
    Phase,
)


def build_world():
    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(name="Bench", slug="bench")
    staff = User.objects.create_user(email="staff@example.org", password=None)
    Membership.objects.create(organisation=org, user=staff, role=Role.FACILITATOR)
    people = User.objects.bulk_create(
        [User(email=f"p{i}@example.org", display_name=f"Personne {i}") for i in range(50)]
    )
    Membership.objects.bulk_create(
        [Membership(organisation=org, user=u, role=Role.PARTICIPANT) for u in people]
    )
    today = timezone.localdate()
    initiative = Initiative.objects.create(
        organisation=org,
        title="Plan stratégique",
        slug="plan",
        purpose="Écrire ensemble le prochain plan.",
        question="Quelles priorités ?",
        decided_with_participants="Les priorités.",
        decided_by_organisation="Le budget.",
        follow_up_promise="Une réponse à chaque proposition.",
        status=Initiative.Status.PUBLISHED,
        what_happened="Le plan a été voté.",
    )
    phase = Phase.objects.create(
        initiative=initiative,
        title="Consultation",
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=30),
        allows_propose=True,
        allows_support=True,
        allows_comment=True,
    )
    InitiativeFollow.objects.create(initiative=initiative, user=people[0])
    return org, staff, people, initiative, phase


def grow(org, people, initiative, phase, start: int, stop: int) -> None:
    rng = random.Random(start)
    now = timezone.now()
    rows = []
    for i in range(start, stop):
        answered = i % 3 == 0
        rows.append(
            Contribution(
                organisation=org,
                kind=Kind.PROPOSAL,
                status=Status.ACCEPTED if answered else Status.RECEIVED,
                title=f"Proposition {i:06d}",
                body="Texte de la proposition, quelques phrases.",
                author=people[i % len(people)],
                follow_up_code=new_follow_up_code(),
                is_public=True,
                support_count=rng.randint(0, 200),
                answer="Retenue pour le plan." if answered else "",
                answered_at=now if answered else None,
                first_response_at=now if answered else None,
                first_response_seconds=3600 if answered else None,
            )
        )
    Contribution.objects.bulk_create(rows, batch_size=2000)
    InitiativeProposal.objects.bulk_create(
        [InitiativeProposal(initiative=initiative, phase=phase, contribution=c) for c in rows],
        batch_size=2000,
    )
    stances = Stance.values
    Comment.objects.bulk_create(
        [
            Comment(
                contribution=c,
                author=people[(n + j) % len(people)],
                body="Un avis.",
                stance=stances[(n + j) % 3],
            )
            for n, c in enumerate(rows)
            for j in range(2)
        ],
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(client: Client, url: str, *, clear_cache: bool) -> dict:
    """As `_harness.measure`, with the 95th percentile: the cache is emptied before each
    run, or (`clear_cache=False`) the runs read what the warm-up left in it."""
    cache.clear()
    client.get(url)  # warm-up
    times = []
    for _ in range(RUNS):
        if clear_cache:
            cache.clear()
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    if clear_cache:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(statistics.quantiles(times, n=20)[18], 1),
        "queries": len(queries.captured_queries),
        "kilobytes": round(len(response.content) / 1024),
    }


def pages(org, initiative) -> list[tuple[str, str, str]]:
    """(label, url, who: "visitor", "follower" or "staff")."""
    kwargs = {"org_slug": org.slug, "initiative_pk": initiative.pk}
    detail = reverse("processes:initiative_detail", kwargs=kwargs)
    return [
        ("initiative page 1, visitor", detail, "visitor"),
        ("initiative page 1 (warm)", detail, "visitor"),
        ("initiative page 1, follower", detail, "follower"),
        ("initiative page 100, visitor", detail + "?page=100", "visitor"),
        ("closing report", reverse("processes:initiative_report", kwargs=kwargs), "visitor"),
        ("back office", reverse("processes:initiative_manage", kwargs=kwargs), "staff"),
    ]


def main() -> int:
    translation.activate("fr")
    started = time.perf_counter()
    org, staff_user, people, initiative, phase = build_world()
    clients = {"visitor": Client(), "follower": Client(), "staff": Client()}
    clients["follower"].force_login(people[0])
    clients["staff"].force_login(staff_user)
    results = []
    done = 0
    for size in SIZES:
        grow(org, people, initiative, phase, done, size)
        done = size
        for label, url, who in pages(org, initiative):
            row = {"page": label, "url": url, "proposals": size}
            row.update(measure(clients[who], url, clear_cache=not label.endswith("(warm)")))
            results.append(row)

    print()
    print(
        f"Initiative pages, server time through django.test.Client (no network), "
        f"median and p95 of {RUNS} runs after a warm-up, cache cleared before each "
        f"(except (warm));\n"
        f"SQL queries counted on one more request. {_harness.machine_line()}"
    )
    print()
    _harness.print_table(
        results,
        [
            Column("page", "page", 30, "<"),
            Column("proposals", "proposals", 10),
            Column("median_ms", "median ms", 10),
            Column("p95_ms", "p95 ms", 8),
            Column("queries", "queries", 8),
            Column("kilobytes", "KB", 5),
        ],
    )
    growing = _harness.queries_growing(results, "proposals", SIZES, "page")
    print()
    if growing:
        print("Queries GROW with the proposals:", "; ".join(growing))
    else:
        print(f"Queries per page are the same with {SIZES[0]} and {SIZES[-1]} proposals.")
    slow = [r["page"] for r in results if r["proposals"] == SIZES[-1] and r["p95_ms"] >= 50]
    print("p95 under 50 ms at 10,000 proposals:", "no: " + ", ".join(slow) if slow else "yes")
    print(f"Total run time: {round(time.perf_counter() - started, 1)} s")
    results_file = _harness.write_results(
        "processes",
        {
            "measured": "server time per page via django.test.Client, median and p95 of "
            f"{RUNS} runs after one warm-up, cache cleared; SQL queries per page",
            **_harness.machine(),
            "runs": RUNS,
            "queries_constant": not growing,
            "results": results,
        },
    )
    print(f"Results written to {results_file.relative_to(_harness.ROOT)}")
    return 1 if growing else 0


if __name__ == "__main__":
    sys.exit(main())
