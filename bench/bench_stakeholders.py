"""Benchmark of the stakeholder register and map pages (not a test).

Measures, for a facilitator, the server time and the number of SQL queries of
the register, the « to review » list, the map, the grid and the CSV export,
with 500 stakeholders (5,000 interactions) and then 5,000 stakeholders (50,000
interactions). The number of queries of each page must be the same at both
sizes: it must not grow with the register.

Standalone: its own SQLite file under var/ (recreated each run), set before
Django starts; or PostgreSQL with BENCH_DATABASE_URL=postgres://… (an empty
database of your own). DEBUG is off, as in production (bench/_harness.py).
Prints a table; writes bench/results/stakeholders.json
(stakeholders-postgresql.json on PostgreSQL).
Run: .venv/bin/python bench/bench_stakeholders.py
"""

import sys
import time
from datetime import date, timedelta

import _harness
from _harness import Column

SIZES = [(500, 10), (5000, 10)]  # stakeholders, interactions per stakeholder
RUNS = 5

_harness.setup_django("stakeholders")

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402

from faireavec.accounts.models import User  # noqa: E402
from faireavec.organisations.models import Membership, Organisation, Role  # noqa: E402
from faireavec.stakeholders.models import (  # noqa: E402
    Category,
    Interaction,
    Stakeholder,
    StakeholderSubcategory,
    StakeholderTag,
)

CATEGORIES = list(Category.values)
TERRITORIES = ["Wazemmes", "Lille-Centre", "Fives", "Roubaix", "Tourcoing", "Métropole"]


def build_world():
    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(name="Bench", slug="bench")
    user = User.objects.create_user(email="bench@example.org", password=None)
    Membership.objects.create(organisation=org, user=user, role=Role.FACILITATOR)
    tags = StakeholderTag.objects.bulk_create(
        [StakeholderTag(organisation=org, name=f"étiquette {i}") for i in range(20)]
    )
    subcategories = StakeholderSubcategory.objects.bulk_create(
        [
            StakeholderSubcategory(organisation=org, category=c, name=f"Sous-catégorie {c}")
            for c in CATEGORIES
        ]
    )
    return org, user, tags, {s.category: s for s in subcategories}


def grow(org, tags, subcategories, start: int, stop: int, per: int) -> None:
    """Add stakeholders start..stop-1, each with `per` interactions over two years."""
    today = date.today()
    stakeholders = []
    for i in range(start, stop):
        category = CATEGORIES[i % len(CATEGORIES)]
        stakeholders.append(
            Stakeholder(
                organisation=org,
                name=f"Partie prenante {i:05d}",
                kind="organisation" if i % 3 else "person",
                category=category,
                subcategory=subcategories[category] if i % 4 == 0 else None,
                territory=TERRITORIES[i % len(TERRITORIES)],
                email=f"pp{i}@example.org" if i % 2 else "",
                contact_basis="consent" if i % 2 else "",
                current_level=1 + i % 5,
                target_level=min(5, 1 + i % 5 + i % 2),
                participation_modes=["committee"] if i % 7 == 0 else [],
                influence=1 + (i * 7) % 5,
                interest=1 + (i * 3) % 5,
                reviewed_on=today - timedelta(days=400 + (i * 37) % 500),
            )
        )
    stakeholders = Stakeholder.objects.bulk_create(stakeholders, batch_size=1000)
    through = Stakeholder.tags.through
    through.objects.bulk_create(
        [
            through(stakeholder_id=s.pk, stakeholdertag_id=tags[(s.pk + k) % len(tags)].pk)
            for s in stakeholders
            for k in range(s.pk % 3)
        ],
        batch_size=2000,
    )
    Interaction.objects.bulk_create(
        [
            Interaction(
                stakeholder_id=s.pk,
                kind="meeting",
                # One in five was last contacted more than a year ago: the « to review » list.
                occurred_on=today
                - timedelta(days=(400 if s.pk % 5 == 0 else 0) + (s.pk * 13 + k * 71) % 330),
                note="Échange de suivi.",
            )
            for s in stakeholders
            for k in range(per)
        ],
        batch_size=5000,
    )


def pages(org) -> list[tuple[str, str]]:
    def u(name: str) -> str:
        return reverse(f"stakeholders:{name}", kwargs={"org_slug": org.slug})

    return [
        ("register (page 1 of 50 rows)", u("stakeholder_list")),
        ("register filtered (category)", u("stakeholder_list") + "?category=funders"),
        ("to review list", u("stakeholder_review_list")),
        # Above 300 stakeholders the drawing has one mark per category and level,
        # and the table beside it shows 50 rows a page.
        ("map (all: grouped, page 1)", u("stakeholder_map")),
        ("map filtered (category+level)", u("stakeholder_map") + "?category=funders&level=2"),
        (
            "map PDF (filtered, 1 sector)",
            u("stakeholder_map_pdf") + "?category=funders&level=2&q=001",
        ),
        ("power/interest grid", u("stakeholder_grid")),
        ("export CSV (whole register)", u("stakeholder_export") + "?format=csv"),
    ]


def main() -> int:
    translation.activate("fr")
    started = time.perf_counter()
    org, user, tags, subcategories = build_world()
    client = Client()
    client.force_login(user)
    results = []
    done = 0
    for size, per in SIZES:
        grow(org, tags, subcategories, done, size, per)
        done = size
        interactions = Interaction.objects.filter(stakeholder__organisation=org).count()
        for label, url in pages(org):
            row = {"page": label, "url": url, "stakeholders": size, "interactions": interactions}
            row.update(_harness.measure(client, url, runs=RUNS, clear_cache=False))
            results.append(row)

    print()
    print(
        f"Stakeholder pages, server time through django.test.Client (no network), "
        f"median of {RUNS} runs after a warm-up;\nSQL queries counted on one more request. "
        f"{_harness.machine_line()}"
    )
    print()
    _harness.print_table(
        results,
        [
            Column("page", "page", 32, "<"),
            Column("stakeholders", "stakeholders", 12),
            Column("interactions", "interactions", 12),
            Column("median_ms", "median ms", 10),
            Column("min_ms", "min ms", 8),
            Column("queries", "queries", 8),
            Column("kilobytes", "KB", 6),
        ],
    )
    sizes = [size for size, _per in SIZES]
    growing = _harness.queries_growing(results, "stakeholders", sizes, "page")
    print()
    if growing:
        print("Queries GROW with the register:", "; ".join(growing))
    else:
        print(f"Queries per page are the same with {sizes[0]} and {sizes[-1]} stakeholders.")
    elapsed = round(time.perf_counter() - started, 1)
    print(f"Total run time: {elapsed} s")

    results_file = _harness.write_results(
        "stakeholders",
        {
            "measured": "server time per page via django.test.Client, median of "
            f"{RUNS} runs after one warm-up; SQL queries per page",
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
