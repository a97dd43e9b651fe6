"""Benchmark of the meetings' calendar feed and lists (not a test).

Measures the server time (median and 95th percentile) and the number of SQL
queries of the organisation's iCalendar feed, the public list of upcoming
meetings and the back office's list, with 100 and then 1,000 meetings in one
organisation (workshops and pow-wows over three years, a third in the past,
each with a few registrations). The number of queries of each page must be the
same at both sizes. Goal (issue #11): server p95 under 50 ms.

Standalone: its own SQLite file under var/ (recreated each run), set before
Django starts; or PostgreSQL with BENCH_DATABASE_URL=postgres://… (an empty
database of your own). DEBUG is off, as in production (bench/_harness.py).
Prints a table; writes bench/results/meetings.json
(meetings-postgresql.json on PostgreSQL).
Run: .venv/bin/python bench/bench_meetings.py
"""

import statistics
import sys
import time
from datetime import timedelta

import _harness
from _harness import Column

SIZES = [100, 1_000]
RUNS = 20

_harness.setup_django("meetings")

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from faireavec.accounts.models import User  # noqa: E402
from faireavec.meetings.models import Kind, Meeting, MeetingRegistration  # noqa: E402
from faireavec.organisations.models import Membership, Organisation, Role, Site  # noqa: E402


def build_world():
    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(name="Bench", slug="bench")
    user = User.objects.create_user(email="bench@example.org", password=None)
    Membership.objects.create(organisation=org, user=user, role=Role.FACILITATOR)
    sites = Site.objects.bulk_create(
        [
            Site(organisation=org, name=f"Lieu {i}", address=f"{i} rue des Lilas\n69003 Lyon")
            for i in range(5)
        ]
    )
    return org, user, sites


def grow(org, sites, start: int, stop: int) -> None:
    now = timezone.now()
    span = timedelta(days=3 * 365)
    meetings = []
    for i in range(start, stop):
        # Spread over three years, a third of them in the past.
        starts = now - span / 3 + span * ((i * 7919) % 1000) / 1000
        meetings.append(
            Meeting(
                organisation=org,
                kind=Kind.POW_WOW if i % 4 == 0 else Kind.WORKSHOP,
                title=f"Réunion {i:05d}",
                description="Quelques lignes pour dire de quoi on parle.",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                site=sites[i % len(sites)] if i % 3 else None,
                place="" if i % 3 else "Salle polyvalente",
                online_url="https://visio.exemple.org/r" if i % 2 else "",
                offers_step_free=bool(i % 2),
                capacity=20,
                is_public=i % 10 != 0,
            )
        )
    Meeting.objects.bulk_create(meetings, batch_size=1000)
    registrations = [
        MeetingRegistration(
            meeting=meeting,
            name=f"Personne {n}",
            email=f"p{n}-{meeting.pk}@exemple.org",
            consent_at=now,
            consent_text="ok",
            status=MeetingRegistration.Status.CONFIRMED,
            code=f"{meeting.pk}-{n}",
        )
        for meeting in meetings
        for n in range(5)
    ]
    MeetingRegistration.objects.bulk_create(registrations, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def pages(org) -> list[tuple[str, str, bool]]:
    def u(name: str) -> str:
        return reverse(f"meetings:{name}", kwargs={"org_slug": org.slug})

    return [
        ("calendar feed (public, .ics)", u("calendar_feed"), False),
        ("calendar feed (warm)", u("calendar_feed"), False),
        ("public list, page 1", u("meeting_list_public"), False),
        ("public list, last page", u("meeting_list_public") + "?page=last", False),
        ("back office, upcoming", u("meeting_list"), True),
        ("back office, past", u("meeting_list") + "?periode=passees", True),
    ]


def timings(client: Client, url: str, runs: int, *, clear_cache: bool) -> dict:
    """Median and 95th percentile of `runs` timed requests after a warm-up (the cache
    cleared before each unless `clear_cache` is false, as a polled feed finds it)."""
    cache.clear()
    client.get(url)
    times = []
    for _ in range(runs):
        if clear_cache:
            cache.clear()
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(statistics.quantiles(times, n=20)[-1], 1),
    }


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
            client = staff if as_staff else public
            row = {"page": label, "url": url, "meetings": size}
            warm = label.endswith("(warm)")
            # measure() for the queries and the size; the times from one series of runs.
            row.update(_harness.measure(client, url, runs=1, clear_cache=not warm))
            row.update(timings(client, url, RUNS, clear_cache=not warm))
            del row["min_ms"]
            results.append(row)

    print()
    print(
        f"Meeting pages, server time through django.test.Client (no network), median and "
        f"95th percentile of {RUNS} runs after a warm-up, cache cleared before each run (except (warm));\n"
        f"SQL queries counted on one more request. {_harness.machine_line()}"
    )
    print()
    _harness.print_table(
        results,
        [
            Column("page", "page", 30, "<"),
            Column("meetings", "meetings", 9),
            Column("median_ms", "median ms", 10),
            Column("p95_ms", "p95 ms", 8),
            Column("queries", "queries", 8),
            Column("kilobytes", "KB", 5),
        ],
    )
    growing = _harness.queries_growing(results, "meetings", SIZES, "page")
    print()
    if growing:
        print("Queries GROW with the meetings:", "; ".join(growing))
    else:
        print(f"Queries per page are the same with {SIZES[0]} and {SIZES[-1]} meetings.")
    elapsed = round(time.perf_counter() - started, 1)
    print(f"Total run time: {elapsed} s")
    results_file = _harness.write_results(
        "meetings",
        {
            "measured": "server time per page via django.test.Client, median and p95 of "
            f"{RUNS} runs after one warm-up, cache cleared except (warm); SQL queries per page",
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
