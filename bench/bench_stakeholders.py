"""Benchmark of the stakeholder register and map pages (not a test).

Measures, for a facilitator, the server time and the number of SQL queries of
the register, the « to review » list, the map, the grid and the CSV export,
with 500 stakeholders (5,000 interactions) and then 5,000 stakeholders (50,000
interactions). The number of queries of each page must be the same at both
sizes: it must not grow with the register.

Standalone: its own SQLite file under var/ (recreated each run), set before
Django starts. Prints a table; writes bench/results/stakeholders.json.
Run: .venv/bin/python bench/bench_stakeholders.py
"""

import json
import os
import platform
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_FILE = ROOT / "var" / "bench_stakeholders.sqlite3"
RESULTS = ROOT / "bench" / "results" / "stakeholders.json"
SIZES = [(500, 10), (5000, 10)]  # stakeholders, interactions per stakeholder
RUNS = 5

sys.path.insert(0, str(ROOT))
DB_FILE.parent.mkdir(exist_ok=True)
for suffix in ("", "-wal", "-shm"):
    Path(str(DB_FILE) + suffix).unlink(missing_ok=True)
os.environ["DATABASE_URL"] = f"sqlite:///{DB_FILE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
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

# The test client's host, and no HTTPS redirect whatever DEBUG says.
settings.ALLOWED_HOSTS = ["*"]
settings.SECURE_SSL_REDIRECT = False

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
        ("map (all stakeholders)", u("stakeholder_map")),
        ("map filtered (category+level)", u("stakeholder_map") + "?category=funders&level=2"),
        ("power/interest grid", u("stakeholder_grid")),
        ("export CSV (whole register)", u("stakeholder_export") + "?format=csv"),
    ]


def measure(client: Client, url: str) -> dict:
    client.get(url)  # warm-up: caches, compiled templates
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return {
        "median_ms": round(statistics.median(times), 1),
        "min_ms": round(min(times), 1),
        "queries": len(queries.captured_queries),
        "kilobytes": round(len(response.content) / 1024),
    }


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
            row.update(measure(client, url))
            results.append(row)

    cores = os.cpu_count()
    print()
    print(
        f"Stakeholder pages, server time through django.test.Client (no network), "
        f"median of {RUNS} runs after a warm-up;\nSQL queries counted on one more request. "
        f"SQLite file {DB_FILE.relative_to(ROOT)}, DEBUG={settings.DEBUG}, "
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"{cores} CPU cores (shared machine)."
    )
    print()
    header = f"{'page':32} {'stakeholders':>12} {'interactions':>12} {'median ms':>10} {'min ms':>8} {'queries':>8} {'KB':>6}"
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r['page']:32} {r['stakeholders']:>12} {r['interactions']:>12} "
            f"{r['median_ms']:>10} {r['min_ms']:>8} {r['queries']:>8} {r['kilobytes']:>6}"
        )
    small, large = SIZES[0][0], SIZES[-1][0]
    growing = []
    for label, _url in pages(org):
        q = {r["stakeholders"]: r["queries"] for r in results if r["page"] == label}
        if q[small] != q[large]:
            growing.append(f"{label}: {q[small]} → {q[large]}")
    print()
    if growing:
        print("Queries GROW with the register:", "; ".join(growing))
    else:
        print(f"Queries per page are the same with {small} and {large} stakeholders.")
    elapsed = round(time.perf_counter() - started, 1)
    print(f"Total run time: {elapsed} s")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "stakeholders",
                "measured": "server time per page via django.test.Client, median of "
                f"{RUNS} runs after one warm-up; SQL queries per page",
                "database": "sqlite",
                "debug": settings.DEBUG,
                "cpu_count": cores,
                "python": platform.python_version(),
                "django": django.get_version(),
                "runs": RUNS,
                "queries_constant": not growing,
                "total_seconds": elapsed,
                "results": results,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"Written {RESULTS.relative_to(ROOT)}")
    return 1 if growing else 0


if __name__ == "__main__":
    sys.exit(main())
