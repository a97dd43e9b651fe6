"""Tables out of a survey: the raw responses and the results.

Raw responses: one line per response, one column per answer, with both the
label people read and the code (for single and multiple choice, yes/no and
the scales), one column per item of a grid and one for each « autre » text.
Rows are read from the database in chunks, answers in response order, and
written as they come: the memory used does not grow with the number of
responses (Kobo's export fails on very large surveys, kobo#1757).

Both are `ExportSpec`s with a `table` (their columns depend on the survey):
`faireavec.core.exports.export_or_job` makes a small file in the request and
a large one in a background job that writes it to disk as it reads (CSV with
the platform's French conventions, XLSX in openpyxl's write-only mode), like
every other list.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faireavec.contributions.models import Channel
from faireavec.core.exports import ExportSpec, ExportTable
from faireavec.surveys.models import (
    CODED_KINDS,
    OTHER_CODE,
    Answer,
    Kind,
    Question,
    Response,
    Survey,
)
from faireavec.surveys.results import survey_results
from faireavec.surveys.scales import choice_options, scale_options
from faireavec.surveys.selectors import survey_structure

CHUNK = 5000


@dataclass(frozen=True)
class Column:
    question: Question
    part: str  # "value", "code", "other" or an item's code


def _columns(questions: Sequence[Question]) -> list[Column]:
    columns = []
    for q in questions:
        if q.kind == Kind.MATRIX:
            columns.extend(Column(q, item["value"]) for item in q.items)
            continue
        columns.append(Column(q, "value"))
        if q.kind in CODED_KINDS or q.kind in (Kind.AGREEMENT, Kind.SATISFACTION):
            columns.append(Column(q, "code"))
        if q.allow_other:
            columns.append(Column(q, "other"))
    return columns


def raw_headers(*, survey: Survey, columns: list[Column]) -> list[str]:
    headers = [_("Response no."), _("Sent on"), _("Channel")]
    if not survey.is_anonymous:
        headers.append(_("Respondent"))
    for column in columns:
        code = column.question.code
        if column.part == "value":
            headers.append(code)
        elif column.part == "code":
            headers.append(_("%(code)s (code)") % {"code": code})
        elif column.part == "other":
            headers.append(_("%(code)s (other, in words)") % {"code": code})
        else:
            headers.append(f"{code}.{column.part}")
    return headers


def survey_questions(*, survey: Survey) -> list[Question]:
    return [q for s in survey_structure(survey=survey) for q in s.questions.all()]


@dataclass(frozen=True)
class _Layout:
    """Where each answer goes in a raw row, and how its codes read."""

    index: dict  # (question id, part) -> column position
    labels: dict  # question id -> {code or number: label}
    kinds: dict  # question id -> kind
    offset: int  # columns before the answers (number, date, channel, respondent)


def _layout(*, survey: Survey, columns: list[Column]) -> _Layout:
    questions = {c.question for c in columns}
    return _Layout(
        index={(c.question.pk, c.part): position for position, c in enumerate(columns)},
        labels={
            q.pk: dict(choice_options(q))
            if q.kind in CODED_KINDS
            else {v: str(lbl) for v, lbl in scale_options(q.kind)}
            for q in questions
        },
        kinds={q.pk: q.kind for q in questions},
        offset=3 if survey.is_anonymous else 4,
    )


def _place(layout: _Layout, row: list, multi: dict, answer: tuple) -> None:
    """Put one answer (question id, item, choice, number, text, date) in `row`;
    the choices of a multiple-choice question gather in `multi`."""
    qid, item, choice, number, text, day = answer
    kind = layout.kinds.get(qid)
    if kind is None:
        return
    index, labels, offset = layout.index, layout.labels, layout.offset
    whole = int(number) if number is not None else None
    if kind == Kind.MATRIX:
        position = index.get((qid, item))
        if position is not None:
            row[offset + position] = whole
        return
    value_at = index[(qid, "value")] + offset
    if kind in CODED_KINDS:
        label = labels[qid].get(choice, choice)
        code_at = index[(qid, "code")] + offset
        if kind == Kind.MULTIPLE:
            multi.setdefault(value_at, []).append(label)
            multi.setdefault(code_at, []).append(choice)
        else:
            row[value_at], row[code_at] = label, choice
        if choice == OTHER_CODE and text and (qid, "other") in index:
            row[index[(qid, "other")] + offset] = text
    elif kind in (Kind.AGREEMENT, Kind.SATISFACTION):
        row[value_at] = labels[qid].get(whole, "") if number is not None else None
        row[index[(qid, "code")] + offset] = whole
    elif kind == Kind.NPS:
        row[value_at] = whole
    elif kind == Kind.NUMBER:
        row[value_at] = number.normalize() if number is not None else None
    elif kind == Kind.DATE:
        row[value_at] = day
    else:
        row[value_at] = text


def raw_rows(*, survey: Survey, columns: list[Column]) -> Iterator[list]:
    """The rows of the raw export, one per response with answers, in response order."""
    layout = _layout(survey=survey, columns=columns)
    channels = dict(Channel.choices)
    identified = not survey.is_anonymous
    answers = (
        Answer.objects.filter(response__survey=survey)
        .order_by("response_id", "question_id", "item", "choice")
        .values_list(
            "response_id",
            "response__submitted_at",
            "response__channel",
            "response__respondent__email" if identified else "response_id",
            "question_id",
            "item",
            "choice",
            "number",
            "text",
            "date",
        )
    )
    current, row, multi = None, None, {}

    def finish():
        for position, values in multi.items():
            row[position] = " ; ".join(values)
        return row

    for response_id, sent, channel, who, *answer in answers.iterator(chunk_size=CHUNK):
        if response_id != current:
            if row is not None:
                yield finish()
            current, multi = response_id, {}
            head = [response_id, sent, str(channels.get(channel, channel))]
            if identified:
                head.append(who or "")
            row = head + [None] * len(columns)
        _place(layout, row, multi, answer)
    if row is not None:
        yield finish()


def raw_table(*, survey: Survey) -> tuple[list[str], Iterator[list]]:
    columns = _columns(survey_questions(survey=survey))
    return raw_headers(survey=survey, columns=columns), raw_rows(survey=survey, columns=columns)


def results_table(*, survey: Survey) -> tuple[list[str], list[list]]:
    """The results as a table: one line per question and answer, with count and %."""
    headers = [_("Section"), _("Code"), _("Question"), _("Item"), _("Answer"), _("Number"), _("%")]
    rows = []
    _total, sections = survey_results(survey=survey)
    for section, results in sections:
        for result in results:
            q = result.question
            for row in result.rows:
                rows.append([section.title, q.code, q.label, "", row.label, row.count, row.percent])
            for item_label, item_rows, _mean in result.items:
                for row in item_rows:
                    rows.append(
                        [
                            section.title,
                            q.code,
                            q.label,
                            item_label,
                            row.label,
                            row.count,
                            row.percent,
                        ]
                    )
            if result.indicator and result.indicator.value is not None:
                name = "NPS" if result.indicator.kind == "nps" else "CSAT (%)"
                rows.append(
                    [
                        section.title,
                        q.code,
                        q.label,
                        "",
                        name,
                        result.indicator.n,
                        result.indicator.value,
                    ]
                )
            if result.mean is not None and q.kind == Kind.NUMBER:
                rows.append(
                    [section.title, q.code, q.label, "", _("average"), result.answered, result.mean]
                )
            if result.texts:
                rows.append(
                    [section.title, q.code, q.label, "", _("written answers"), result.texts, ""]
                )
    return headers, rows


def _survey(*, organisation, survey_pk) -> Survey:
    return Survey.objects.get(organisation=organisation, pk=survey_pk)


def survey_responses_table(*, organisation, params: QueryDict, survey_pk: int) -> ExportTable:
    survey = _survey(organisation=organisation, survey_pk=survey_pk)
    headers, rows = raw_table(survey=survey)
    total = Response.objects.filter(survey=survey).count()
    return ExportTable(headers=headers, total=total, rows=rows, target=survey)


def survey_results_table(*, organisation, params: QueryDict, survey_pk: int) -> ExportTable:
    survey = _survey(organisation=organisation, survey_pk=survey_pk)
    headers, rows = results_table(survey=survey)
    return ExportTable(headers=headers, total=len(rows), rows=rows, target=survey)


RESPONSES_EXPORT = ExportSpec(
    name="surveys.responses",
    title=gettext_lazy("the raw responses"),
    filename=gettext_lazy("responses"),
    list_url="surveys:survey_results",
    table=survey_responses_table,
)

RESULTS_EXPORT = ExportSpec(
    name="surveys.results",
    title=gettext_lazy("the results"),
    filename=gettext_lazy("results"),
    list_url="surveys:survey_results",
    table=survey_results_table,
)
