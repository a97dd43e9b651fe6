"""Reads of the surveys app, each scoped to the organisation."""

from django.db.models import Count, Prefetch, Q, QuerySet

from faireavec.organisations.models import Organisation
from faireavec.surveys.conditions import Layout, layout_of
from faireavec.surveys.models import (
    Answer,
    Kind,
    Question,
    Response,
    ResponseDraft,
    Section,
    Survey,
    SurveyToken,
)


def surveys_of_organisation(*, organisation: Organisation) -> QuerySet[Survey]:
    return (
        Survey.objects.filter(organisation=organisation)
        .select_related("previous_wave")
        .annotate(response_count=Count("responses", distinct=True))
        .order_by("-created_at", "-pk")
    )


def surveys_open_to_answer(*, organisation: Organisation) -> QuerySet[Survey]:
    """Published surveys (the view checks dates and audience per person)."""
    return Survey.objects.filter(
        organisation=organisation, status=Survey.Status.PUBLISHED
    ).order_by("closes_at", "-pk")


def survey_get(*, organisation: Organisation, pk: int) -> Survey | None:
    return (
        Survey.objects.filter(organisation=organisation, pk=pk)
        .select_related("organisation", "previous_wave", "phase", "phase__initiative")
        .first()
    )


def section_get(*, organisation: Organisation, pk: int) -> Section | None:
    return (
        Section.objects.filter(survey__organisation=organisation, pk=pk)
        .select_related("survey", "survey__organisation")
        .first()
    )


def question_get(*, organisation: Organisation, pk: int) -> Question | None:
    return (
        Question.objects.filter(section__survey__organisation=organisation, pk=pk)
        .select_related("section", "section__survey", "section__survey__organisation")
        .first()
    )


def answer_get(*, organisation: Organisation, pk: int) -> Answer | None:
    return (
        Answer.objects.filter(response__survey__organisation=organisation, pk=pk)
        .select_related(
            "question", "question__section", "response", "response__survey", "contribution_link"
        )
        .first()
    )


def survey_structure(*, survey: Survey) -> list[Section]:
    """The sections in order, each with its questions in order (two queries)."""
    return list(
        Section.objects.filter(survey=survey)
        .order_by("position", "pk")
        .prefetch_related(
            Prefetch("questions", queryset=Question.objects.order_by("position", "pk"))
        )
    )


def survey_layout(*, survey: Survey) -> Layout:
    sections = survey_structure(survey=survey)
    return layout_of(sections, [q for s in sections for q in s.questions.all()])


def questions_with_answers(*, survey: Survey) -> set[int]:
    """Ids of the survey's questions that have at least one answer (one query)."""
    return set(
        Answer.objects.filter(question__section__survey=survey)
        .values_list("question_id", flat=True)
        .distinct()
    )


def question_has_answers(*, question: Question) -> bool:
    return Answer.objects.filter(question=question).exists()


def response_count(*, survey: Survey) -> int:
    return Response.objects.filter(survey=survey).count()


def token_get_by_code(*, organisation: Organisation, code: str) -> SurveyToken | None:
    return (
        SurveyToken.objects.filter(survey__organisation=organisation, code=code)
        .select_related("survey")
        .first()
    )


def token_get(*, survey: Survey, pk: int) -> SurveyToken | None:
    return SurveyToken.objects.filter(survey=survey, pk=pk).first()


def tokens_of_survey(*, survey: Survey) -> QuerySet[SurveyToken]:
    return SurveyToken.objects.filter(survey=survey).order_by("pk")


def token_counts(*, survey: Survey) -> dict[str, int]:
    return SurveyToken.objects.filter(survey=survey).aggregate(
        total=Count("pk"), used=Count("pk", filter=Q(used_at__isnull=False))
    )


def draft_get(*, survey: Survey, key: str) -> ResponseDraft | None:
    if not key:
        return None
    return ResponseDraft.objects.filter(survey=survey, key=key).first()


def survey_waves(*, survey: Survey, limit: int = 20) -> list[Survey]:
    """The survey's series, oldest wave first: the earlier waves it follows, itself,
    and the waves made from it (one query per earlier wave, `limit` at most)."""
    chain = [survey]
    seen = {survey.pk}
    current = survey
    while current.previous_wave_id and len(chain) < limit:
        current = Survey.objects.filter(
            pk=current.previous_wave_id, organisation_id=survey.organisation_id
        ).first()
        if current is None or current.pk in seen:
            break
        chain.insert(0, current)
        seen.add(current.pk)
    later = survey
    while len(chain) < limit:
        following = (
            Survey.objects.filter(previous_wave=later, organisation_id=survey.organisation_id)
            .order_by("pk")
            .first()
        )
        if following is None or following.pk in seen:
            break
        chain.append(following)
        seen.add(following.pk)
        later = following
    return chain


def free_text_answers(*, question: Question, search: str = "") -> QuerySet[Answer]:
    """The texts answered to a question (and « autre » texts), newest first."""
    answers = (
        Answer.objects.filter(question=question)
        .exclude(text="")
        .select_related("response", "contribution_link")
        .order_by("-response__submitted_at", "-pk")
    )
    if search:
        answers = answers.filter(text__icontains=search)
    return answers


def has_open_surveys(*, organisation: Organisation) -> bool:
    return Survey.objects.filter(organisation=organisation, status=Survey.Status.PUBLISHED).exists()


def phases_for_surveys(*, organisation: Organisation):
    """The phases of the organisation's initiatives a survey may be attached to."""
    from faireavec.processes.models import Phase

    return (
        Phase.objects.filter(initiative__organisation=organisation)
        .select_related("initiative")
        .order_by("initiative__title", "position", "pk")
    )


def surveys_of_initiative(*, initiative, user) -> list[Survey]:
    """The published surveys attached to a phase of `initiative` that `user` may answer."""
    surveys = (
        Survey.objects.filter(
            organisation_id=initiative.organisation_id,
            phase__initiative=initiative,
            status=Survey.Status.PUBLISHED,
        )
        .select_related("organisation", "phase", "phase__initiative")
        .order_by("phase__position", "pk")
    )
    return [s for s in surveys if user.has_perm("surveys.answer_survey", s)]


def nps_questions_of(*, survey: Survey) -> QuerySet[Question]:
    return Question.objects.filter(section__survey=survey, kind=Kind.NPS)
