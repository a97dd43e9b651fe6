"""Benchmark of a survey's results page and raw export (not a test).

1. The results page (every question's counts, CSAT, NPS, with the trend across
   two waves), for a facilitator, for a survey of 20 questions at 5,000 and
   then 50,000 responses: server time and SQL queries; the number of queries
   must be the same at both sizes (the database aggregates).
   The counts are kept as responses come (`faireavec.surveys.tallies`); the bench
   inserts its responses in bulk, then recomputes the counts once (timed and
   printed), and also times storing one response through the service, which is
   what keeping the counts costs a participant.
2. The raw export (one line per response, labels and codes) of a survey of
   50 questions and 200,000 responses (10 million answers), as CSV and XLSX, the
   way the background job makes it: time and peak memory of the process that
   writes it (a forked child, whose maximum resident size is read with
   getrusage; it includes Django itself, about 100 MB).

No peer runs on the same input: the issue names KoboToolbox's export (kobo#1757)
as the one to beat, and it cannot run here; the goals are the issue's: results
under 1 s on 2 cores, export under 60 s and under 200 MB.

Sizes can be lowered for a quick run: BENCH_SURVEYS_EXPORT_RESPONSES=20000.
Standalone: its own SQLite file under var/ (recreated each run) or
BENCH_DATABASE_URL. Prints a table; writes bench/results/surveys.json.
Run: .venv/bin/python bench/bench_surveys.py
"""

import os
import random
import sys
import tempfile
import time
from datetime import timedelta

import _harness
from _harness import Column

RESULTS_SIZES = [5_000, 50_000]
RESULTS_QUESTIONS = 20
EXPORT_RESPONSES = int(os.environ.get("BENCH_SURVEYS_EXPORT_RESPONSES", "200000"))
EXPORT_QUESTIONS = 50
RUNS = 5

_harness.setup_django("surveys")

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from faireavec.accounts.models import User  # noqa: E402
from faireavec.core.exports import export_write  # noqa: E402
from faireavec.organisations.models import Membership, Organisation, Role  # noqa: E402
from faireavec.surveys.exports import raw_table  # noqa: E402
from faireavec.surveys.models import Kind, Question, Response, Survey  # noqa: E402
from faireavec.surveys.services import (  # noqa: E402
    response_submit,
    survey_build,
    survey_new_wave,
    survey_set_status,
)
from faireavec.surveys.tallies import tallies_rebuild  # noqa: E402

KIND_CYCLE = [
    Kind.SINGLE,
    Kind.SATISFACTION,
    Kind.NPS,
    Kind.AGREEMENT,
    Kind.YES_NO,
    Kind.MULTIPLE,
    Kind.LONG_TEXT,
]
OPTIONS = [{"value": f"o{i}", "label": f"Option {i}"} for i in range(5)]


def spec(n_questions: int, title: str) -> dict:
    questions = []
    for i in range(n_questions):
        kind = KIND_CYCLE[i % len(KIND_CYCLE)]
        q = {"code": f"q{i}", "kind": kind, "label": f"Question {i} ?"}
        if kind in (Kind.SINGLE, Kind.MULTIPLE):
            q["choices"] = OPTIONS
        questions.append(q)
    return {"survey": {"title": title}, "sections": [{"title": "Tout", "questions": questions}]}


def fill(survey: Survey, responses: int, rng: random.Random) -> None:
    """`responses` responses, one answer per question (two for multiple choice),
    inserted with executemany in batches (the services are not what is measured)."""
    questions = list(Question.objects.filter(section__survey=survey).order_by("position"))
    start = Response.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    now = timezone.now()
    batch = 2000
    with transaction.atomic(), connection.cursor() as cursor:
        for offset in range(0, responses, batch):
            count = min(batch, responses - offset)
            ids = range(start + offset + 1, start + offset + count + 1)
            cursor.executemany(
                "INSERT INTO surveys_response (id, survey_id, channel, submitted_at) VALUES (%s, %s, %s, %s)",
                [(i, survey.pk, "online", now - timedelta(minutes=i % 50_000)) for i in ids],
            )
            rows = []
            for i in ids:
                for q in questions:
                    if q.kind in (Kind.SINGLE, Kind.MULTIPLE):
                        picks = (
                            {rng.choice(OPTIONS)["value"]}
                            if q.kind == Kind.SINGLE
                            else set(rng.sample([o["value"] for o in OPTIONS], 2))
                        )
                        rows.extend((i, q.pk, "", p, None, "") for p in picks)
                    elif q.kind == Kind.YES_NO:
                        rows.append((i, q.pk, "", rng.choice(["yes", "no"]), None, ""))
                    elif q.kind == Kind.NPS:
                        rows.append((i, q.pk, "", "", rng.randint(0, 10), ""))
                    elif q.kind == Kind.LONG_TEXT:
                        if rng.random() < 0.3:
                            rows.append((i, q.pk, "", "", None, "Une réponse écrite assez courte."))
                    else:
                        rows.append((i, q.pk, "", "", rng.randint(1, 5), ""))
            cursor.executemany(
                "INSERT INTO surveys_answer (response_id, question_id, item, choice, number, text) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                rows,
            )


def submit_times(survey: Survey, rng: random.Random) -> dict:
    """Median and smallest time of storing one response through `response_submit`
    (what a participant waits for, counts kept as the response comes included)."""
    questions = list(Question.objects.filter(section__survey=survey).order_by("position"))
    times = []
    for _ in range(RUNS * 4):
        answers = {}
        for q in questions:
            if q.kind == Kind.SINGLE:
                answers[q.pk] = rng.choice(OPTIONS)["value"]
            elif q.kind == Kind.MULTIPLE:
                answers[q.pk] = rng.sample([o["value"] for o in OPTIONS], 2)
            elif q.kind == Kind.YES_NO:
                answers[q.pk] = rng.choice(["yes", "no"])
            elif q.kind == Kind.NPS:
                answers[q.pk] = rng.randint(0, 10)
            elif q.kind == Kind.LONG_TEXT:
                answers[q.pk] = "Une réponse écrite assez courte."
            else:
                answers[q.pk] = rng.randint(1, 5)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response_submit(survey=survey, answers=answers)
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "median_ms": round(times[len(times) // 2], 1),
        "min_ms": round(times[0], 1),
        "queries": len(queries),
    }


def export_in_child(survey_pk: int, fmt: str) -> dict:
    """Write the export in a forked process; its time and peak memory."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: a fresh connection, the export, its figures down the pipe
        os.close(read_fd)
        connection.close()
        survey = Survey.objects.get(pk=survey_pk)
        started = time.perf_counter()
        with tempfile.TemporaryFile() as out, translation.override("fr"):
            headers, table = raw_table(survey=survey)
            rows = 0

            def counted():
                nonlocal rows
                for row in table:
                    rows += 1
                    yield row

            export_write(out, headers=headers, rows=counted(), fmt=fmt, title=survey.title)
            size = out.tell()
        elapsed = time.perf_counter() - started
        os.write(write_fd, f"{rows} {elapsed} {size}".encode())
        os._exit(0)
    os.close(write_fd)
    _pid, _status, usage = os.wait4(pid, 0)
    rows, elapsed, size = os.read(read_fd, 200).decode().split()
    os.close(read_fd)
    return {
        "rows": int(rows),
        "seconds": round(float(elapsed), 1),
        "peak_mb": round(usage.ru_maxrss / 1024),  # Linux: kilobytes
        "file_mb": round(int(size) / 1e6, 1),
    }


def main() -> None:
    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    org = Organisation.objects.create(name="Bench", slug="bench")
    user = User.objects.create_user(email="bench@example.org", password=None)
    Membership.objects.create(organisation=org, user=user, role=Role.FACILITATOR)
    first = survey_build(actor=user, organisation=org, spec=spec(RESULTS_QUESTIONS, "Satisfaction"))
    survey_set_status(actor=user, survey=first, status=Survey.Status.PUBLISHED)
    fill(first, 2000, rng)
    tallies_rebuild(survey=first)
    survey = survey_new_wave(actor=user, survey=first, wave_label="2027")
    survey_set_status(actor=user, survey=survey, status=Survey.Status.PUBLISHED)
    client = Client()
    client.force_login(user)
    url = reverse("surveys:survey_results", kwargs={"org_slug": org.slug, "survey_pk": survey.pk})
    rows = []
    done = 0
    for size in RESULTS_SIZES:
        fill(survey, size - done, rng)
        done = size
        started = time.perf_counter()
        tallies_rebuild(survey=survey)
        rebuilt = time.perf_counter() - started
        with translation.override("fr"):
            figures = _harness.measure(client, url, runs=RUNS)
        rows.append({"page": "results page (20 questions, 2 waves)", "responses": size, **figures})
        by = Question.objects.get(section__survey=survey, code="q0")  # single choice
        with translation.override("fr"):
            split = _harness.measure(client, f"{url}?par={by.pk}", runs=RUNS)
        rows.append({"page": "results split by a question", "responses": size, **split})
        rows.append(
            {
                "page": "one response stored (20 answers)",
                "responses": size,
                **submit_times(survey, rng),
            }
        )
        print(f"  counts recomputed from {size} responses in {rebuilt:.1f} s", file=sys.stderr)
        print(
            f"  results at {size} responses: {figures['median_ms']} ms, {figures['queries']} queries",
            file=sys.stderr,
        )
    growing = _harness.queries_growing(rows, "responses", RESULTS_SIZES, "page")

    big = survey_build(actor=user, organisation=org, spec=spec(EXPORT_QUESTIONS, "Grande enquête"))
    started = time.perf_counter()
    fill(big, EXPORT_RESPONSES, rng)
    print(
        f"  {EXPORT_RESPONSES} responses x {EXPORT_QUESTIONS} questions inserted in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    exports = []
    for fmt in ("csv", "xlsx"):
        figures = export_in_child(big.pk, fmt)
        exports.append({"format": fmt.upper(), "responses": EXPORT_RESPONSES, **figures})
        print(f"  export {fmt}: {figures}", file=sys.stderr)

    print(_harness.machine_line())
    print(f"Load average at the start of the export: {os.getloadavg()[0]:.1f}")
    _harness.print_table(
        rows,
        [
            Column("page", "page", 38, "<"),
            Column("responses", "responses", 10),
            Column("median_ms", "median ms", 10),
            Column("min_ms", "min ms", 8),
            Column("queries", "queries", 8),
        ],
    )
    print()
    _harness.print_table(
        exports,
        [
            Column("format", "raw export", 10, "<"),
            Column("responses", "responses", 10),
            Column("rows", "rows", 8),
            Column("seconds", "seconds", 8),
            Column("peak_mb", "peak MB", 8),
            Column("file_mb", "file MB", 8),
        ],
    )
    if growing:
        print("Queries grow with the responses: " + "; ".join(growing))
    path = _harness.write_results(
        "surveys",
        {
            "machine": _harness.machine(),
            "results_page": rows,
            "raw_export": exports,
            "queries_growing": growing,
        },
    )
    print(f"Written to {path.relative_to(_harness.ROOT)}")
    if growing:
        sys.exit(1)


if __name__ == "__main__":
    main()
