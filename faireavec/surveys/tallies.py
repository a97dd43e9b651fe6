"""Running counts of the answers, for results that cost the same at 50 or 50,000
responses.

`answers_store` is the one way answers are written: it inserts them and adds
them to the question's totals (`QuestionTally`) and to each value's count
(`ValueTally`) in the same transaction, with one upsert per table. The counts
only grow: a response is never edited nor deleted on its own (deleting a survey
takes its counts along). Two responses stored at once both add to the same
rows: the upsert adds to what the row holds when it gets its lock, so neither
is lost, and rows are taken in a fixed order, so the two cannot deadlock.

`tallies_rebuild` recomputes a survey's counts from its answers (after answers
were inserted in bulk by other means, and in the migration that created the
counts); the tests check that both ways agree.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Max, Min, Sum

from faireavec.surveys.models import (
    Answer,
    Kind,
    Question,
    QuestionTally,
    Survey,
    ValueTally,
)

# Numbers counted value by value (points of a scale); Kind.NUMBER keeps a sum instead.
POINT_KINDS = {Kind.AGREEMENT, Kind.SATISFACTION, Kind.NPS, Kind.MATRIX}


def value_key(kind: str, answer: Answer) -> str | None:
    """The counted value of an answer row: its code, its scale point, or None."""
    if answer.choice:
        return answer.choice
    if answer.number is not None and kind in POINT_KINDS:
        return str(int(answer.number))
    return None


def _figures(rows: Iterable[Answer], kinds: dict[int, str]):
    values: Counter[tuple[int, str, str]] = Counter()
    totals: dict[int, dict] = {}
    responses: dict[int, set] = defaultdict(set)
    for row in rows:
        kind = kinds[row.question_id]
        responses[row.question_id].add(row.response_id)
        total = totals.setdefault(
            row.question_id, {"texts": 0, "numbers": 0, "sum": Decimal(0), "min": None, "max": None}
        )
        if row.text:
            total["texts"] += 1
        key = value_key(kind, row)
        if key is not None:
            values[(row.question_id, row.item, key)] += 1
        if kind == Kind.NUMBER and row.number is not None:
            number = Decimal(row.number)
            total["numbers"] += 1
            total["sum"] += number
            total["min"] = number if total["min"] is None else min(total["min"], number)
            total["max"] = number if total["max"] is None else max(total["max"], number)
    for qid, total in totals.items():
        total["answered"] = len(responses[qid])
    return totals, values


# One statement per table adds a response's counts: rows that exist grow, the
# others are created. Both SQLite (3.24+) and PostgreSQL speak this upsert; the
# smallest and largest numbers use CASE, which both read the same way.
ADD_VALUES = """
INSERT INTO {table} (question_id, item, value, count) VALUES {rows}
ON CONFLICT (question_id, item, value) DO UPDATE SET count = {table}.count + excluded.count
"""
ADD_TOTALS = """
INSERT INTO {table} (question_id, answered, texts, numbers, number_sum, number_min, number_max)
VALUES {rows}
ON CONFLICT (question_id) DO UPDATE SET
  answered = {table}.answered + excluded.answered,
  texts = {table}.texts + excluded.texts,
  numbers = {table}.numbers + excluded.numbers,
  number_sum = {table}.number_sum + excluded.number_sum,
  number_min = CASE WHEN {table}.number_min IS NULL OR excluded.number_min < {table}.number_min
                    THEN excluded.number_min ELSE {table}.number_min END,
  number_max = CASE WHEN {table}.number_max IS NULL OR excluded.number_max > {table}.number_max
                    THEN excluded.number_max ELSE {table}.number_max END
"""
UPSERT_BATCH = 500  # rows per statement: well under SQLite's limit of bound parameters


def _upsert(sql: str, table: str, rows: list[tuple]) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(rows), UPSERT_BATCH):
            batch = rows[start : start + UPSERT_BATCH]
            placeholders = ", ".join("(" + ", ".join(["%s"] * len(batch[0])) + ")" for _ in batch)
            cursor.execute(
                sql.format(table=table, rows=placeholders), [v for row in batch for v in row]
            )


@transaction.atomic
def answers_store(rows: list[Answer], *, batch_size: int = 2000) -> None:
    """Insert answer rows (their response saved already) and add them to the counts."""
    Answer.objects.bulk_create(rows, batch_size=batch_size)
    if not rows:
        return
    # The rows carry their question (as `response_submit` and the demo build them).
    kinds = {row.question_id: row.question.kind for row in rows}
    totals, values = _figures(rows, kinds)
    # Rows in a fixed order: two transactions adding to the same rows take their
    # locks in the same order, so they never wait on each other in a circle.
    _upsert(
        ADD_TOTALS,
        QuestionTally._meta.db_table,
        [
            (
                qid,
                t["answered"],
                t["texts"],
                t["numbers"],
                t["sum"],
                t["min"],
                t["max"],
            )
            for qid, t in sorted(totals.items())
        ],
    )
    _upsert(
        ADD_VALUES,
        ValueTally._meta.db_table,
        [(qid, item, value, n) for (qid, item, value), n in sorted(values.items())],
    )


@transaction.atomic
def tallies_rebuild(*, survey: Survey) -> None:
    """Recompute every count of the survey from its answers, in the database."""
    questions = dict(Question.objects.filter(section__survey=survey).values_list("pk", "kind"))
    QuestionTally.objects.filter(question_id__in=questions).delete()
    ValueTally.objects.filter(question_id__in=questions).delete()
    answers = Answer.objects.filter(question_id__in=questions)
    answered = dict(
        answers.values("question_id")
        .annotate(n=Count("response_id", distinct=True))
        .values_list("question_id", "n")
    )
    texts = dict(
        answers.exclude(text="")
        .values("question_id")
        .annotate(n=Count("id"))
        .values_list("question_id", "n")
    )
    numbers = {
        row["question_id"]: row
        for row in answers.filter(
            number__isnull=False,
            question_id__in=[q for q, k in questions.items() if k == Kind.NUMBER],
        )
        .values("question_id")
        .annotate(n=Count("id"), total=Sum("number"), low=Min("number"), high=Max("number"))
    }
    QuestionTally.objects.bulk_create(
        [
            QuestionTally(
                question_id=qid,
                answered=n,
                texts=texts.get(qid, 0),
                numbers=numbers[qid]["n"] if qid in numbers else 0,
                number_sum=numbers[qid]["total"] if qid in numbers else 0,
                number_min=numbers[qid]["low"] if qid in numbers else None,
                number_max=numbers[qid]["high"] if qid in numbers else None,
            )
            for qid, n in sorted(answered.items())
        ]
    )
    counts: Counter[tuple[int, str, str]] = Counter()
    for qid, item, choice, n in (
        answers.exclude(choice="")
        .values("question_id", "item", "choice")
        .annotate(n=Count("id"))
        .values_list("question_id", "item", "choice", "n")
    ):
        counts[(qid, item, choice)] += n
    point_questions = [q for q, k in questions.items() if k in POINT_KINDS]
    for qid, item, number, n in (
        answers.filter(choice="", number__isnull=False, question_id__in=point_questions)
        .values("question_id", "item", "number")
        .annotate(n=Count("id"))
        .values_list("question_id", "item", "number", "n")
    ):
        counts[(qid, item, str(int(number)))] += n
    ValueTally.objects.bulk_create(
        [ValueTally(question_id=q, item=i, value=v, count=n) for (q, i, v), n in counts.items()],
        batch_size=2000,
    )
