"""Benchmark of « Vous avez dit, nous avons fait » and the back-office inbox (not a test).

Measures the server time and the number of SQL queries of the public page
(with its listening figures) and of the facilitators' inbox, with 10,000 and
then 100,000 contributions in one organisation (ideas, complaints and
testimonies over two years, about 60 % answered). The number of queries of
each page must be the same at both sizes: it must not grow with the number of
contributions.

Standalone: its own SQLite file under var/ (recreated each run), set before
Django starts; or PostgreSQL with BENCH_DATABASE_URL=postgres://… (an empty
database of your own). DEBUG is off, as in production (bench/_harness.py).
Prints a table; writes bench/results/contributions.json
(contributions-postgresql.json on PostgreSQL).
Run: .venv/bin/python bench/bench_contributions.py
"""

import random
import sys
import time
from datetime import timedelta

import _harness
from _harness import Column

SIZES = [10_000, 100_000]
RUNS = 5

_harness.setup_django("contributions")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from faireavec.accounts.models import User  # noqa: E402
from faireavec.contributions.models import (  # noqa: E402
    Contribution,
    Kind,
    Severity,
    Status,
    new_follow_up_code,
)
from faireavec.core.navigation import shown_answers  # noqa: E402
from faireavec.organisations.models import Membership, Organisation, Role, Site  # noqa: E402

# Final status per kind, and the share of each (the rest is still open).
OUTCOMES = {
    Kind.IDEA: [
        (Status.RECEIVED, 20),
        (Status.UNDER_STUDY, 15),
        (Status.ACCEPTED, 20),
        (Status.DONE, 25),
        (Status.DECLINED, 20),
    ],
    Kind.COMPLAINT: [
        (Status.RECEIVED, 10),
        (Status.ACKNOWLEDGED, 10),
        (Status.INVESTIGATING, 10),
        (Status.ANSWERED, 30),
        (Status.CLOSED, 40),
    ],
    Kind.TESTIMONY: [(Status.RECEIVED, 40), (Status.ANSWERED, 40), (Status.CLOSED, 20)],
}
ANSWERED = {Status.ACCEPTED, Status.DONE, Status.DECLINED, Status.ANSWERED, Status.CLOSED}


def build_world():
    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(name="Bench", slug="bench")
    user = User.objects.create_user(email="bench@example.org", password=None)
    Membership.objects.create(organisation=org, user=user, role=Role.FACILITATOR)
    sites = Site.objects.bulk_create([Site(organisation=org, name=f"Lieu {i}") for i in range(8)])
    return org, user, sites


def grow(org, sites, start: int, stop: int) -> None:
    rng = random.Random(start)
    now = timezone.now()
    rows = []
    for i in range(start, stop):
        kind = rng.choices([Kind.IDEA, Kind.COMPLAINT, Kind.TESTIMONY], weights=[50, 30, 20])[0]
        statuses, weights = zip(*OUTCOMES[kind], strict=True)
        status = rng.choices(statuses, weights=weights)[0]
        created = now - timedelta(days=rng.uniform(0, 730))
        c = Contribution(
            organisation=org,
            kind=kind,
            status=status,
            title=f"Contribution {i:06d}",
            body="Texte de la contribution, quelques phrases.",
            site=sites[i % len(sites)] if i % 3 else None,
            follow_up_code=new_follow_up_code(),
            is_public=kind == Kind.IDEA and i % 2 == 0,
        )
        if status != Status.RECEIVED:
            c.first_response_at = created + timedelta(days=rng.uniform(0.1, 20))
            c.first_response_seconds = int((c.first_response_at - created).total_seconds())
            c.status_changed_at = c.first_response_at
        if status in ANSWERED:
            c.answered_at = (c.first_response_at or created) + timedelta(days=rng.uniform(0, 15))
            c.answer = "Voici ce que nous avons décidé."
        if status == Status.DONE:
            c.outcome = "Et voici ce que nous avons fait."
        if kind == Kind.COMPLAINT:
            c.severity = rng.choice(Severity.values)
            c.acknowledge_due = created + timedelta(days=7)
            c.answer_due = created + timedelta(days=30)
        c._created = created
        rows.append(c)
    Contribution.objects.bulk_create(rows, batch_size=2000)
    for c in rows:
        c.created_at = c._created
    Contribution.objects.bulk_update(rows, ["created_at"], batch_size=2000)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE contributions_contribution")


def pages(org) -> list[tuple[str, str, bool]]:
    """(label, url, as the facilitator?). A label ending in "(warm)" keeps the cache
    between runs: the listening figures are then read from it, as in production."""

    def u(name: str) -> str:
        return reverse(f"contributions:{name}", kwargs={"org_slug": org.slug})

    return [
        ("said/done page 1 + figures", u("said_done"), False),
        ("said/done page 1 (warm)", u("said_done"), False),
        ("said/done filtered (complaints)", u("said_done") + "?kind=complaint", False),
        ("said/done page 200", u("said_done") + "?page=200", False),
        ("public ideas page 1", u("idea_list"), False),
        ("inbox page 1", u("inbox"), True),
        ("inbox open complaints", u("inbox") + "?kind=complaint&status=open", True),
        ("inbox overdue", u("inbox") + "?overdue=on", True),
        ("inbox older than 90 days, p. 10", u("inbox") + "?age=90&page=10", True),
    ]


def main() -> int:
    translation.activate("fr")
    started = time.perf_counter()
    org, user, sites = build_world()
    staff, public = Client(), Client()
    staff.force_login(user)
    results = []
    done = 0
    for size in SIZES:
        grow(org, sites, done, size)
        done = size
        for label, url, as_staff in pages(org):
            row = {"page": label, "url": url, "contributions": size}
            row.update(
                _harness.measure(
                    staff if as_staff else public,
                    url,
                    runs=RUNS,
                    clear_cache=not label.endswith("(warm)"),
                    # The menu's answers stay cached (MENU_CACHE_SECONDS) for every
                    # page of the organisation: put back after each emptying.
                    prime=lambda: shown_answers(organisation=org),
                )
            )
            results.append(row)

    print()
    print(
        f"Contribution pages, server time through django.test.Client (no network), "
        f"median of {RUNS} runs after a warm-up (cache cleared before each run, except (warm));\n"
        f"SQL queries counted on one more request. {_harness.machine_line()}"
    )
    print()
    _harness.print_table(
        results,
        [
            Column("page", "page", 34, "<"),
            Column("contributions", "contributions", 13),
            Column("median_ms", "median ms", 10),
            Column("min_ms", "min ms", 8),
            Column("queries", "queries", 8),
            Column("kilobytes", "KB", 5),
        ],
    )
    growing = _harness.queries_growing(results, "contributions", SIZES, "page")
    print()
    if growing:
        print("Queries GROW with the contributions:", "; ".join(growing))
    else:
        print(f"Queries per page are the same with {SIZES[0]} and {SIZES[-1]} contributions.")
    elapsed = round(time.perf_counter() - started, 1)
    print(f"Total run time: {elapsed} s")

    results_file = _harness.write_results(
        "contributions",
        {
            "measured": "server time per page via django.test.Client, median of "
            f"{RUNS} runs after one warm-up, cache cleared; SQL queries per page",
            **_harness.machine(),
            "runs": RUNS,
            "queries_constant": not growing,
            "total_seconds": elapsed,
            "results": results,
        },
    )
    print(f"Written {results_file.relative_to(_harness.ROOT)}")
    return 1 if growing else 0


if __name__ == "__main__":
    sys.exit(main())
