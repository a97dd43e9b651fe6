"""What every benchmark under bench/ shares (not a benchmark itself: `make bench` runs bench_*.py).

A benchmark script is run as `.venv/bin/python bench/bench_<name>.py` from the
repository root, so this directory is on sys.path and `import _harness` works.
It calls `setup_django(name)` before importing any model, then measures pages
with `measure`, prints them with `machine_line` and `print_table`, checks
`queries_growing` and saves everything with `write_results`.

The benchmarks run as production does: DEBUG off (with a throwaway SECRET_KEY),
but without the HTTPS redirect and with any host allowed, for the test client.
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import statistics
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"


def setup_django(name: str) -> None:
    """Choose the database, set the environment and start Django.

    The database is PostgreSQL (or any database) from BENCH_DATABASE_URL when it
    is set, an empty database of your own; otherwise a fresh SQLite file
    var/bench_<name>.sqlite3, with its -wal and -shm files, removed first.
    DEBUG is off as in production, with a throwaway SECRET_KEY; no HTTPS redirect
    and any host allowed, for django.test.Client. Static files are collected first
    (var/bench_static), as production's hashed names need their manifest. These environment variables
    win over the .env file, which Django's settings read without overwriting.
    Call it before importing any model.
    """
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    else:
        db_file = ROOT / "var" / f"bench_{name}.sqlite3"
        db_file.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
    os.environ["DEBUG"] = "0"
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["ALLOWED_HOSTS"] = "*"
    # Static files are served as in production: collected, hashed, from a manifest.
    os.environ["STATIC_ROOT"] = str(ROOT / "var" / "bench_static")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    import django
    from django.core.management import call_command

    django.setup()
    call_command("collectstatic", interactive=False, verbosity=0)


def measure(
    client: Client, url: str, *, runs: int, clear_cache: bool = True, prime=None
) -> dict[str, Any]:
    """Server time, SQL queries and size of one page through the test client (no network).

    The cache is emptied, then one warm-up request (compiled templates, database
    connection), then `runs` timed requests, each expected to answer 200. With
    `clear_cache` the cache is emptied before each timed request, so no run gets
    any help from it; without, the runs read what the warm-up left in it, as in
    production. The SQL queries are counted on one more request (after emptying
    the cache too with `clear_cache`), whose body gives the size. `prime()`, if
    given, runs after each emptying: what production always finds in the cache
    (the menu's answers, shared by every page of the organisation) is put back.

    Returns median_ms, min_ms, queries and kilobytes.
    """
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def empty() -> None:
        cache.clear()
        if prime is not None:
            prime()

    empty()
    client.get(url)  # warm-up
    times = []
    for _ in range(runs):
        if clear_cache:
            empty()
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    if clear_cache:
        empty()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return {
        "median_ms": round(statistics.median(times), 1),
        "min_ms": round(min(times), 1),
        "queries": len(queries.captured_queries),
        "kilobytes": round(len(response.content) / 1024),
    }


def machine() -> dict[str, Any]:
    """Where the figures were measured, as the results file records it."""
    import django
    from django.conf import settings
    from django.db import connection

    return {
        "database": connection.vendor,
        "debug": settings.DEBUG,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
    }


def machine_line() -> str:
    """One sentence: database, DEBUG, Python, Django and CPU cores."""
    from django.conf import settings
    from django.db import connection

    info = machine()
    if connection.vendor == "sqlite":
        db_file = Path(settings.DATABASES["default"]["NAME"])
        where = f"SQLite {db_file.relative_to(ROOT) if db_file.is_relative_to(ROOT) else db_file}"
    else:
        where = connection.display_name  # never the address: it may hold a password
    debug = (
        "DEBUG off, as in production" if not info["debug"] else "DEBUG on (not as in production)"
    )
    return (
        f"Database: {where}, {debug}, Python {info['python']}, Django {info['django']}, "
        f"{info['cpu_count']} CPU cores (shared machine)."
    )


class Column(NamedTuple):
    """One column of a printed table: the row's key, its header, width and alignment."""

    key: str
    header: str
    width: int
    align: str = ">"  # "<" for text


def print_table(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column]) -> None:
    """Print the rows under a header and a rule, one column after another."""
    header = " ".join(f"{c.header:{c.align}{c.width}}" for c in columns)
    print(header)
    print("-" * len(header))
    for row in rows:
        print(" ".join(f"{row[c.key]:{c.align}{c.width}}" for c in columns))


def queries_growing(
    rows: Iterable[Mapping[str, Any]], key_size: str, sizes: Sequence[int], label_key: str
) -> list[str]:
    """The pages whose number of queries differs between the smallest and the largest size.

    `rows[key_size]` is the size a row was measured at, `rows[label_key]` names the
    page. Returns "label: queries at the smallest → at the largest", in row order.
    """
    small, large = min(sizes), max(sizes)
    queries: dict[str, dict[int, int]] = {}
    for row in rows:
        queries.setdefault(row[label_key], {})[row[key_size]] = row["queries"]
    return [
        f"{label}: {q[small]} → {q[large]}"
        for label, q in queries.items()
        if q.get(small) != q.get(large)
    ]


def write_results(name: str, payload: Mapping[str, Any]) -> Path:
    """Write {"benchmark": name, **payload} to bench/results/<name>.json, and return its path.

    On another database than SQLite the file is <name>-<vendor>.json
    (contributions-postgresql.json), so each database keeps its own figures.
    """
    from django.db import connection

    vendor = connection.vendor
    path = RESULTS_DIR / (f"{name}.json" if vendor == "sqlite" else f"{name}-{vendor}.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"benchmark": name, **payload}, indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return path
