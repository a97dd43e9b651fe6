"""Benchmark: the 23,000-member assembly (five colleges, ten resolutions), ballots sent
through the real HTTP stack.

What runs: gunicorn (config.wsgi, several sync workers) on loopback, PostgreSQL, the
members' real sessions (rows of django_session, signed cookies) and CSRF; clients are
asyncio connections in this process, each one member who POSTs their ballot on the
ten resolutions to /<org>/assemblees/<pk>/voter/ (one request = ten ballots) and
waits for the receipt page with the trackers. Two levels: 200 then 2,000 voters
at once (closed loop, no think time: every client sends as soon as it connects).

Then the rest of the 23,000 members' ballots are written directly (bulk, as the
bureau's paper votes would be) to reach 230,000, and we time the tally (three
grouped queries and the exact arithmetic) and the whole close (seal: Merkle roots
over every ballot, chain, tally). Lost or duplicated ballots are counted after:
every 200 answer's trackers must be in the table, and ballots = register lines =
members times resolutions, no member twice on a resolution.

Run: `BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/faireavec_bench_governance
.venv/bin/python bench/bench_governance.py` (the database is dropped and created;
that URL is the default). BENCH_SMALL=1 for a quick run (2,300 members).
BENCH_POLLS=1 times only the result of a consultation by majority judgment
(`polls_main`).
No peer: OpenSlides, Belenios and Decidim publish no throughput figure to compare with.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import _harness

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/faireavec_bench_governance"
SMALL = os.environ.get("BENCH_SMALL") == "1"
MEMBERS = 2_300 if SMALL else 23_000
RESOLUTIONS = 10
LEVELS = [
    (200, 600 if SMALL else 1_500),
    (2_000, 1_200 if SMALL else 4_000),
]  # (concurrency, voters)
WORKERS = int(os.environ.get("BENCH_WORKERS", "5"))
TRACKER = re.compile(rb'<code class="tracker">([A-Z0-9]{12})</code>')


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def build() -> dict:
    """The SCIC, 23,000 members with accounts, an assembly of ten resolutions convened."""
    from datetime import timedelta
    from decimal import Decimal

    from django.core.management import call_command
    from django.utils import timezone

    from faireavec.accounts.models import User
    from faireavec.governance.models import Assembly, College, Member, Resolution, StatuteSettings
    from faireavec.governance.services import assembly_convene
    from faireavec.organisations.models import Membership, Organisation, Role

    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(name="Coop Bench", slug="coop-bench", legal_form="scic")
    StatuteSettings.objects.create(organisation=org, voting_mode="colleges")
    weights = ["30", "25", "20", "15", "10"]
    colleges = [
        College.objects.create(
            organisation=org, name=f"Collège {i + 1}", weight=Decimal(w), position=i
        )
        for i, w in enumerate(weights)
    ]
    users = User.objects.bulk_create(
        [
            User(email=f"m{i}@bench.example", display_name=f"Membre {i}", password="!")  # noqa: S106 -- unusable
            for i in range(MEMBERS)
        ],
        batch_size=5000,
    )
    Membership.objects.bulk_create(
        [Membership(organisation=org, user=u, role=Role.PARTICIPANT) for u in users],
        batch_size=5000,
    )
    Member.objects.bulk_create(
        [
            Member(
                organisation=org,
                number=f"B{i:06d}",
                name=f"Membre {i}",
                user=u,
                college=colleges[i % 5],
            )
            for i, u in enumerate(users)
        ],
        batch_size=5000,
    )
    assembly = Assembly.objects.create(
        organisation=org, title="AG bench", session_at=timezone.now() + timedelta(days=30)
    )
    for n in range(1, RESOLUTIONS + 1):
        Resolution.objects.create(
            assembly=assembly, number=n, title=f"Résolution {n}", text="Texte."
        )
    assembly = assembly_convene(actor=None, assembly=assembly)
    return {"org": org, "assembly": assembly, "users": users}


def sessions_for(users) -> dict[int, str]:
    """Real sessions (rows of django_session) of these members: {user pk: session key}."""
    from datetime import timedelta

    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    store = SessionStore()
    expire = timezone.now() + timedelta(days=1)
    keys = {}
    rows = []
    for user in users:
        key = secrets.token_hex(16)
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        keys[user.pk] = key
    Session.objects.bulk_create(rows, batch_size=5000)
    return keys


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    cmd = [
        str(Path(sys.executable).parent / "gunicorn"),
        "config.wsgi",
        "-w",
        str(WORKERS),
        "-b",
        f"127.0.0.1:{port}",
        "--backlog",
        "4096",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(cmd, cwd=_harness.ROOT, env=env, start_new_session=True)  # noqa: S603 -- our own command line
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


async def vote(
    port: int, path: str, session: str, body: bytes, csrf: str
) -> tuple[float, int, list[bytes]]:
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Cookie: sessionid={session}; csrftoken={csrf}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body
    writer.write(request)
    await writer.drain()
    raw = await reader.read()
    writer.close()
    elapsed = time.perf_counter() - start
    status = int(raw[9:12]) if raw[:5] == b"HTTP/" else 0
    return elapsed, status, TRACKER.findall(raw)


async def run_level(port: int, jobs: list[tuple[str, str, bytes, str]], concurrency: int) -> dict:
    semaphore = asyncio.Semaphore(concurrency)
    results = []

    async def one(job):
        async with semaphore:
            try:
                results.append(await vote(port, *job))
            except OSError:
                results.append((0.0, 0, []))

    start = time.perf_counter()
    await asyncio.gather(*(one(job) for job in jobs))
    wall = time.perf_counter() - start
    ok = [r for r in results if r[1] == 200 and len(r[2]) == RESOLUTIONS]
    latencies = sorted(r[0] * 1000 for r in ok)

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else 0.0

    return {
        "concurrency": concurrency,
        "submissions": len(jobs),
        "ok": len(ok),
        "failed": len(jobs) - len(ok),
        "wall_s": wall,
        "submissions_per_s": len(ok) / wall,
        "ballots_per_s": len(ok) * RESOLUTIONS / wall,
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "mean_ms": statistics.fmean(latencies) if latencies else 0.0,
        "trackers": [t for r in ok for t in r[2]],
    }


def fill_rest(assembly, voted: set[int]) -> int:
    """The other members' ballots, written directly in bulk (as if recorded by the bureau)."""
    from django.db import transaction
    from django.utils import timezone

    from faireavec.governance.models import Ballot, Voter, VoteRecord

    resolutions = list(assembly.resolutions.values_list("pk", flat=True))
    rest = list(
        Voter.objects.filter(assembly=assembly)
        .exclude(pk__in=voted)
        .values_list("pk", "college_id")
    )
    now = timezone.now()
    choices = ["for", "for", "for", "against", "abstain"]
    for start in range(0, len(rest), 2000):
        chunk = rest[start : start + 2000]
        with transaction.atomic():
            VoteRecord.objects.bulk_create(
                [
                    VoteRecord(
                        resolution_id=r, voter_id=v, acted_by_id=v, channel="postal", created_at=now
                    )
                    for v, _c in chunk
                    for r in resolutions
                ]
            )
            Ballot.objects.bulk_create(
                [
                    Ballot(resolution_id=r, college_id=c, choice=choices[(v + r) % 5])
                    for v, c in chunk
                    for r in resolutions
                ]
            )
    return len(rest)


def main() -> None:
    os.environ.setdefault("BENCH_DATABASE_URL", DEFAULT_URL)
    recreate_database(os.environ["BENCH_DATABASE_URL"])
    _harness.setup_django("governance")
    from django.db import connection
    from django.db.models import Count

    from faireavec.governance.models import Ballot, Voter, VoteRecord
    from faireavec.governance.selectors import assembly_tallies
    from faireavec.governance.services import assembly_close

    t0 = time.perf_counter()
    world = build()
    assembly = world["assembly"]
    build_s = time.perf_counter() - t0
    voters = {
        user_id: (voter_pk, number)
        for voter_pk, user_id, number in Voter.objects.filter(assembly=assembly).values_list(
            "pk", "member__user_id", "member__number"
        )
    }
    resolutions = list(assembly.resolutions.values_list("pk", flat=True))
    needed = sum(n for _c, n in LEVELS)
    users = world["users"][:needed]
    sessions = sessions_for(users)
    path = f"/{world['org'].slug}/assemblees/{assembly.pk}/voter/"
    port = 18000 + os.getpid() % 1000
    env = dict(os.environ)
    for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        env[name] = "0"
    env["SECURE_HSTS_SECONDS"] = "0"
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    connection.close()
    # Static files as in production (content-hashed manifest), or every page is a 500.
    subprocess.run(  # noqa: S603 -- our own command line
        [sys.executable, str(_harness.ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
        cwd=_harness.ROOT,
        env=env,
        check=True,
    )
    server = start_gunicorn(env, port)
    rows = []
    voted: set[int] = set()
    all_trackers: list[bytes] = []
    try:
        offset = 0
        for concurrency, count in LEVELS:
            jobs = []
            for user in users[offset : offset + count]:
                voter_pk, number = voters[user.pk]
                csrf = secrets.token_hex(16)
                fields = [f"csrfmiddlewaretoken={csrf}", f"pour={number}"] + [
                    f"m{voter_pk}-r{r}={('for', 'against', 'abstain')[(voter_pk + r) % 3]}"
                    for r in resolutions
                ]
                jobs.append((path, sessions[user.pk], "&".join(fields).encode(), csrf))
                voted.add(voter_pk)
            offset += count
            result = asyncio.run(run_level(port, jobs, concurrency))
            all_trackers += result.pop("trackers")
            rows.append(result)
            time.sleep(2)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    # Lost and duplicated ballots, counted after the run.
    trackers_in_table = set(
        Ballot.objects.filter(tracker__in=[t.decode() for t in all_trackers]).values_list(
            "tracker", flat=True
        )
    )
    lost = len(all_trackers) - len(trackers_in_table)
    http_records = VoteRecord.objects.filter(resolution__assembly=assembly).count()
    http_ballots = Ballot.objects.filter(resolution__assembly=assembly).count()
    twice = (
        VoteRecord.objects.filter(resolution__assembly=assembly)
        .values("resolution_id", "voter_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    filled = fill_rest(assembly, voted)
    total_ballots = Ballot.objects.filter(resolution__assembly=assembly).count()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE governance_ballot")

    start = time.perf_counter()
    tallies = assembly_tallies(assembly=assembly)
    tally_s = time.perf_counter() - start
    start = time.perf_counter()
    assembly_close(actor=None, assembly=assembly)
    close_s = time.perf_counter() - start

    print(_harness.machine_line())
    print(
        f"Governance: {MEMBERS:,} members in 5 colleges, {RESOLUTIONS} resolutions; gunicorn {WORKERS} sync "
        f"workers; clients: asyncio in the same process (same 2 cores), one POST = one member's "
        f"{RESOLUTIONS} ballots, new connection each; setup {build_s:.0f} s."
    )
    columns = [
        _harness.Column("concurrency", "voters at once", 14),
        _harness.Column("submissions", "members", 8),
        _harness.Column("ok", "ok", 6),
        _harness.Column("failed", "failed", 6),
        _harness.Column("ballots_per_s", "ballots/s", 10),
        _harness.Column("submissions_per_s", "members/s", 10),
        _harness.Column("p50_ms", "p50 ms", 8),
        _harness.Column("p95_ms", "p95 ms", 8),
        _harness.Column("p99_ms", "p99 ms", 8),
    ]
    printable = [
        {
            **r,
            **{
                k: f"{r[k]:.0f}"
                for k in ("ballots_per_s", "submissions_per_s", "p50_ms", "p95_ms", "p99_ms")
            },
        }
        for r in rows
    ]
    _harness.print_table(printable, columns)
    print(
        f"After the HTTP run: {http_ballots:,} ballots, {http_records:,} register lines; "
        f"trackers answered but missing from the table (lost): {lost}; members twice on a "
        f"resolution (duplicated): {twice}."
    )
    print(
        f"Then {filled:,} members' ballots written in bulk: {total_ballots:,} ballots. "
        f"Tally of the {RESOLUTIONS} resolutions: {tally_s * 1000:.0f} ms; whole close "
        f"(Merkle seal of every ballot, chain, tally): {close_s * 1000:.0f} ms. "
        f"Resolution 1: {tallies[0].resolution.outcome if tallies else '?'} → "
        f"{', '.join(tallies[0].explanation()[-1:]) if tallies else ''}"
    )
    _harness.write_results(
        "governance",
        {
            "machine": _harness.machine(),
            "members": MEMBERS,
            "resolutions": RESOLUTIONS,
            "workers": WORKERS,
            "levels": rows,
            "http_ballots": http_ballots,
            "lost": lost,
            "duplicated": twice,
            "total_ballots": total_ballots,
            "tally_ms": tally_s * 1000,
            "close_ms": close_s * 1000,
        },
    )


def polls_main() -> None:
    """BENCH_POLLS=1: the result of a members' consultation by majority judgment, five
    options graded by every one of the 23,000 members (115,000 marks, written in bulk:
    the answers' path is the same unique-constraint insert as the ballots'), on two
    profiles: random grades, and the hard case for the tie-break (every option with the
    same grades but one ballot, so the medians are removed almost to the end)."""
    import random
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from faireavec.governance.models import Poll, PollBallot, PollMark, PollOption
    from faireavec.governance.selectors import poll_results
    from faireavec.organisations.models import Organisation

    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(name="Coop Bench", slug="coop-bench", legal_form="scic")
    rng = random.Random(12)
    rows = []
    for profile in ("random", "deep tie"):
        now = timezone.now()
        poll = Poll.objects.create(
            organisation=org,
            title=f"Bench {profile}",
            method=Poll.Method.MAJORITY_JUDGMENT,
            opens_at=now - timedelta(days=2),
            closes_at=now - timedelta(days=1),
        )
        options = PollOption.objects.bulk_create(
            PollOption(poll=poll, label=f"Option {i}", position=i) for i in range(5)
        )
        ballots = PollBallot.objects.bulk_create(
            [PollBallot(poll=poll) for _ in range(MEMBERS)], batch_size=5000
        )
        marks = []
        for n, ballot in enumerate(ballots):
            for i, option in enumerate(options):
                if profile == "random":
                    grade = rng.randint(0, 5)
                else:  # same grades everywhere, option i one notch better on ballot i
                    grade = n % 6 if n != i else min(5, n % 6 + 1)
                marks.append(PollMark(ballot=ballot, option=option, value=grade))
        PollMark.objects.bulk_create(marks, batch_size=10000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE governance_pollmark")
        times = []
        for _ in range(6):
            start = time.perf_counter()
            result = poll_results(poll=poll)
            times.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            poll_results(poll=poll)
        rows.append(
            {
                "profile": profile,
                "ballots": result.voters,
                "marks": len(marks),
                "median_ms": f"{statistics.median(times[1:]):.0f}",
                "queries": len(queries),
                "winner": result.options[0].label,
            }
        )
    print(_harness.machine_line())
    print(f"Consultation by majority judgment: {MEMBERS:,} ballots, 5 options; median of 5 runs.")
    _harness.print_table(
        rows,
        [
            _harness.Column("profile", "profile", 10),
            _harness.Column("ballots", "ballots", 8),
            _harness.Column("marks", "marks", 8),
            _harness.Column("median_ms", "result ms", 10),
            _harness.Column("queries", "queries", 8),
            _harness.Column("winner", "first", 10),
        ],
    )
    _harness.write_results("governance_polls", {"machine": _harness.machine(), "rows": rows})


if __name__ == "__main__":
    if os.environ.get("BENCH_POLLS") == "1":
        os.environ.setdefault("BENCH_DATABASE_URL", DEFAULT_URL)
        recreate_database(os.environ["BENCH_DATABASE_URL"])
        _harness.setup_django("governance")
        polls_main()
    else:
        main()
