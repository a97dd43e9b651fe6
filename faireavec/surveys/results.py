"""Results of a survey, aggregated in the database.

`survey_results` reads every question's counts in a fixed number of queries
(five, whatever the number of responses or questions): the database groups
and counts, Python only lays the figures out. Percentages are of the people
who answered the question (for multiple choice they add up to more than 100).

Indicators: CSAT is the share of « satisfied » and « very satisfied » (4 and 5
on the 1-5 scale) among those who answered; NPS is the share of promoters
(9-10) minus the share of detractors (0-6), from -100 to 100. `survey_trend`
gives both for every wave of the series, with the number of respondents.

Cross-tabulation (`survey_crosstab`) splits each closed question by the answer
to another single-answer question (site, age group…). In an anonymous survey,
a group of fewer than `SMALL_GROUP` respondents is masked: with so few people,
their answers could tell who they are.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, FilteredRelation, Q
from django.utils.translation import gettext as _

from faireavec.surveys.models import (
    CODED_KINDS,
    Answer,
    Kind,
    Question,
    QuestionTally,
    Response,
    Survey,
    ValueTally,
)
from faireavec.surveys.scales import (
    PASSIVE_FROM,
    PROMOTER_FROM,
    SATISFIED_FROM,
    choice_options,
    scale_options,
)
from faireavec.surveys.selectors import survey_structure, survey_waves
from faireavec.surveys.tallies import POINT_KINDS

SMALL_GROUP = 5
CROSSTAB_KINDS = {Kind.SINGLE, Kind.YES_NO, Kind.AGREEMENT, Kind.SATISFACTION, Kind.NPS}


@dataclass
class Row:
    label: str
    count: int
    percent: float


@dataclass
class Indicator:
    """CSAT or NPS of one question: `value` (a percentage, or the NPS score), `n`."""

    kind: str  # "csat" or "nps"
    value: float | None
    n: int
    promoters: int = 0
    passives: int = 0
    detractors: int = 0

    @property
    def promoters_percent(self) -> float:
        return _percent(self.promoters, self.n)

    @property
    def passives_percent(self) -> float:
        return _percent(self.passives, self.n)

    @property
    def detractors_percent(self) -> float:
        return _percent(self.detractors, self.n)


@dataclass
class QuestionResult:
    question: Question
    answered: int
    rows: list[Row] = field(default_factory=list)
    # A grid: one list of rows per item, with the item's label and mean.
    items: list[tuple[str, list[Row], float | None]] = field(default_factory=list)
    indicator: Indicator | None = None
    mean: float | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    texts: int = 0

    @property
    def is_text(self) -> bool:
        return self.question.kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT)


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def nps_score(*, promoters: int, passives: int, detractors: int) -> float | None:
    """% promoters - % detractors, from -100 to 100; None with nobody."""
    total = promoters + passives + detractors
    if not total:
        return None
    return round(100 * (promoters - detractors) / total, 1)


def csat_score(*, satisfied: int, total: int) -> float | None:
    """% of « satisfied » or « very satisfied »; None with nobody."""
    return round(100 * satisfied / total, 1) if total else None


def nps_category(value: int) -> str:
    if value >= PROMOTER_FROM:
        return "promoter"
    if value >= PASSIVE_FROM:
        return "passive"
    return "detractor"


def survey_results(*, survey: Survey) -> tuple[int, list[tuple[object, list[QuestionResult]]]]:
    """(number of responses, [(section, [question result…])…]), read from the running
    counts (`faireavec.surveys.tallies`): the same few queries at any size."""
    sections = survey_structure(survey=survey)
    question_ids = [q.pk for section in sections for q in section.questions.all()]
    total = Response.objects.filter(survey=survey).count()
    totals = {t.question_id: t for t in QuestionTally.objects.filter(question_id__in=question_ids)}
    answered = {qid: t.answered for qid, t in totals.items()}
    texts = {qid: t.texts for qid, t in totals.items()}
    coded: dict[int, dict[str, int]] = defaultdict(dict)
    scaled: dict[int, dict[tuple[str, int], int]] = defaultdict(dict)
    for qid, kind, item, value, n in ValueTally.objects.filter(
        question_id__in=question_ids
    ).values_list("question_id", "question__kind", "item", "value", "count"):
        if kind in POINT_KINDS and value.lstrip("-").isdigit():
            scaled[qid][(item, int(value))] = n
        else:
            coded[qid][value] = n
    numbers = {
        qid: {
            "mean": t.number_sum / t.numbers,
            "low": t.number_min,
            "high": t.number_max,
        }
        for qid, t in totals.items()
        if t.numbers
    }
    laid_out = []
    for section in sections:
        results = []
        for question in section.questions.all():
            n = answered.get(question.pk, 0)
            result = QuestionResult(question=question, answered=n, texts=texts.get(question.pk, 0))
            if question.kind in CODED_KINDS:
                counts = coded.get(question.pk, {})
                known = choice_options(question)
                codes = {code for code, _label in known}
                result.rows = [
                    Row(label, counts.get(code, 0), _percent(counts.get(code, 0), n))
                    for code, label in known
                ]
                # An option removed since (or unknown) still counts, under its code.
                for code, count in counts.items():
                    if code not in codes:
                        result.rows.append(Row(code, count, _percent(count, n)))
            elif question.kind == Kind.MATRIX:
                counts = scaled.get(question.pk, {})
                for item in question.items:
                    item_counts = {
                        v: counts.get((item["value"], v), 0)
                        for v, _l in scale_options(question.kind)
                    }
                    item_n = sum(item_counts.values())
                    mean = (
                        round(sum(v * c for v, c in item_counts.items()) / item_n, 2)
                        if item_n
                        else None
                    )
                    result.items.append(
                        (
                            item["label"],
                            [
                                Row(str(label), item_counts[v], _percent(item_counts[v], item_n))
                                for v, label in scale_options(question.kind)
                            ],
                            mean,
                        )
                    )
            elif question.kind in (Kind.AGREEMENT, Kind.SATISFACTION, Kind.NPS):
                counts = {v: c for (_item, v), c in scaled.get(question.pk, {}).items()}
                result.rows = [
                    Row(str(label), counts.get(v, 0), _percent(counts.get(v, 0), n))
                    for v, label in scale_options(question.kind)
                ]
                scale_n = sum(counts.values())
                if scale_n:
                    result.mean = round(sum(v * c for v, c in counts.items()) / scale_n, 2)
                result.indicator = _indicator(question.kind, counts)
            elif question.kind == Kind.NUMBER and question.pk in numbers:
                row = numbers[question.pk]
                result.mean = round(float(row["mean"]), 2) if row["mean"] is not None else None
                result.minimum, result.maximum = row["low"], row["high"]
            results.append(result)
        laid_out.append((section, results))
    return total, laid_out


def _indicator(kind: str, counts: dict[int, int]) -> Indicator | None:
    total = sum(counts.values())
    if kind == Kind.SATISFACTION:
        satisfied = sum(c for v, c in counts.items() if v >= SATISFIED_FROM)
        return Indicator("csat", csat_score(satisfied=satisfied, total=total), total)
    if kind == Kind.NPS:
        promoters = sum(c for v, c in counts.items() if v >= PROMOTER_FROM)
        passives = sum(c for v, c in counts.items() if PASSIVE_FROM <= v < PROMOTER_FROM)
        detractors = total - promoters - passives
        return Indicator(
            "nps",
            nps_score(promoters=promoters, passives=passives, detractors=detractors),
            total,
            promoters=promoters,
            passives=passives,
            detractors=detractors,
        )
    return None


@dataclass
class TrendPoint:
    survey: Survey
    value: float | None
    n: int


@dataclass
class Trend:
    code: str
    label: str
    kind: str  # "csat" or "nps"
    points: list[TrendPoint]


def survey_trend(*, survey: Survey) -> list[Trend]:
    """CSAT and NPS of the series' waves, question by question (matched by code):
    one query for the waves' counts, plus the waves themselves."""
    waves = survey_waves(survey=survey)
    if len(waves) < 2:
        return []
    indicator_questions = Question.objects.filter(
        section__survey__in=waves, kind__in=[Kind.SATISFACTION, Kind.NPS], is_hidden=False
    ).values_list("code", "kind", "label", "section__survey_id")
    labels: dict[str, tuple[str, str]] = {}
    for code, kind, label, survey_id in indicator_questions:
        if survey_id == survey.pk or code not in labels:
            labels[code] = (kind, label)
    by_key: dict[tuple[int, str], dict[str, int]] = {}
    for survey_id, code, value, n in ValueTally.objects.filter(
        question__section__survey__in=waves,
        question__kind__in=[Kind.SATISFACTION, Kind.NPS],
        item="",
    ).values_list("question__section__survey_id", "question__code", "value", "count"):
        point = int(value)
        f = by_key.setdefault((survey_id, code), {"n": 0, "high": 0, "middle": 0, "satisfied": 0})
        f["n"] += n
        f["high"] += n if point >= PROMOTER_FROM else 0
        f["middle"] += n if PASSIVE_FROM <= point < PROMOTER_FROM else 0
        f["satisfied"] += n if point >= SATISFIED_FROM else 0
    trends = []
    for code, (kind, label) in labels.items():
        points = []
        for wave in waves:
            f = by_key.get((wave.pk, code))
            if f is None:
                points.append(TrendPoint(wave, None, 0))
            elif kind == Kind.NPS:
                value = nps_score(
                    promoters=f["high"],
                    passives=f["middle"],
                    detractors=f["n"] - f["high"] - f["middle"],
                )
                points.append(TrendPoint(wave, value, f["n"]))
            else:
                points.append(
                    TrendPoint(wave, csat_score(satisfied=f["satisfied"], total=f["n"]), f["n"])
                )
        trends.append(Trend(code, label, "nps" if kind == Kind.NPS else "csat", points))
    return trends


@dataclass
class CrossTab:
    question: Question
    groups: list[tuple[str, int, bool]]  # (label, respondents, masked)
    rows: list[tuple[str, list[int | None]]]  # (answer label, count per group; None = masked)


def crosstab_questions(*, survey: Survey) -> list[Question]:
    """The questions one may split results by: one answer each, from a short list."""
    return list(
        Question.objects.filter(section__survey=survey, kind__in=CROSSTAB_KINDS).order_by(
            "section__position", "position"
        )
    )


def _value_key(kind: str, choice: str, number) -> str:
    return choice if kind in CODED_KINDS else (str(int(number)) if number is not None else "")


def survey_crosstab(*, survey: Survey, by: Question) -> list[CrossTab]:
    """Every closed question (not `by`) split by the answer to `by`: two queries."""
    if by.section.survey_id != survey.pk or by.kind not in CROSSTAB_KINDS:
        raise ValueError("Split by a single-answer question of the same survey.")
    by_options = [
        (code, label)
        for code, label in (
            choice_options(by)
            if by.kind in CODED_KINDS
            else [(str(v), str(lbl)) for v, lbl in scale_options(by.kind)]
        )
    ]
    by_answers = Answer.objects.filter(question=by)
    group_sizes = {
        _value_key(by.kind, row["choice"], row["number"]): row["n"]
        for row in by_answers.values("choice", "number").annotate(
            n=Count("response_id", distinct=True)
        )
    }
    masked = {
        key for key, size in group_sizes.items() if survey.is_anonymous and size < SMALL_GROUP
    }
    for key, _label in by_options:
        if survey.is_anonymous and group_sizes.get(key, 0) < SMALL_GROUP:
            masked.add(key)
    counts: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    joined = (
        Answer.objects.filter(question__section__survey=survey)
        .exclude(question=by)
        .filter(question__kind__in=[*CODED_KINDS, Kind.AGREEMENT, Kind.SATISFACTION, Kind.NPS])
        .annotate(
            by_answer=FilteredRelation(
                "response__answers", condition=Q(response__answers__question=by)
            )
        )
        .filter(by_answer__isnull=False)
        .values(
            "question_id",
            "question__kind",
            "choice",
            "number",
            by_choice=F("by_answer__choice"),
            by_number=F("by_answer__number"),
        )
        .annotate(n=Count("id"))
    )
    for row in joined:
        key = _value_key(row["question__kind"], row["choice"], row["number"])
        group = _value_key(by.kind, row["by_choice"], row["by_number"])
        counts[row["question_id"]][(key, group)] = row["n"]
    tables = []
    questions = (
        Question.objects.filter(
            section__survey=survey,
            kind__in=[*CODED_KINDS, Kind.AGREEMENT, Kind.SATISFACTION, Kind.NPS],
        )
        .exclude(pk=by.pk)
        .order_by("section__position", "position")
    )
    groups = [(label, group_sizes.get(key, 0), key in masked) for key, label in by_options]
    for question in questions:
        options = (
            choice_options(question)
            if question.kind in CODED_KINDS
            else [(str(v), str(lbl)) for v, lbl in scale_options(question.kind)]
        )
        q_counts = counts.get(question.pk, {})
        rows = []
        for code, label in options:
            rows.append(
                (
                    label,
                    [
                        None if key in masked else q_counts.get((code, key), 0)
                        for key, _l in by_options
                    ],
                )
            )
        tables.append(CrossTab(question=question, groups=groups, rows=rows))
    return tables


def masked_label() -> str:
    return _("fewer than %(n)s") % {"n": SMALL_GROUP}
