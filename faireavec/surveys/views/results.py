"""Back office: results (charts with their tables, indicators and their trend,
cross-tabulation), free-text answers, and a free-text answer turned into a
contribution linked to a need."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from faireavec.core.exports import export_or_job
from faireavec.core.forms import add_service_errors, posted_data
from faireavec.core.permissions import permission_required
from faireavec.core.submissions import AlreadySubmitted, submit_once
from faireavec.needs.selectors import needs_for_linking
from faireavec.surveys.exports import RESPONSES_EXPORT, RESULTS_EXPORT
from faireavec.surveys.forms import AnswerToContributionForm, FreeTextSearchForm
from faireavec.surveys.models import Kind
from faireavec.surveys.results import (
    SMALL_GROUP,
    crosstab_questions,
    survey_crosstab,
    survey_results,
    survey_trend,
)
from faireavec.surveys.selectors import answer_get, free_text_answers, question_get
from faireavec.surveys.services import answer_to_contribution
from faireavec.surveys.views.backoffice import survey_or_404

TEXTS_PER_PAGE = 25


@permission_required("surveys.view_results")
def survey_results_view(request: HttpRequest, survey_pk: int) -> HttpResponse:
    """Every question's counts and percentages (chart and table), CSAT and NPS
    with their trend across waves, and, with `?par=<question>`, each closed
    question split by the answers to another one."""
    survey = survey_or_404(request, survey_pk)
    total, sections = survey_results(survey=survey)
    splitters = crosstab_questions(survey=survey)
    by = None
    by_pk = request.GET.get("par", "")
    if by_pk.isdigit():
        by = next((q for q in splitters if q.pk == int(by_pk)), None)
    return render(
        request,
        "surveys/survey_results.html",
        {
            "survey": survey,
            "total": total,
            "sections": sections,
            "trends": survey_trend(survey=survey),
            "splitters": splitters,
            "by": by,
            "crosstabs": survey_crosstab(survey=survey, by=by) if by else [],
            "small_group": SMALL_GROUP,
        },
    )


@permission_required("surveys.view_results")
def question_texts(request: HttpRequest, question_pk: int) -> HttpResponse:
    """The written answers to one question (and « autre » texts), with a search and pages."""
    question = question_get(organisation=request.organisation, pk=question_pk)
    if question is None:
        raise Http404
    form = FreeTextSearchForm(request.GET or None)
    search = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page_obj = Paginator(
        free_text_answers(question=question, search=search), TEXTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/question_texts.html",
        {
            "survey": question.section.survey,
            "question": question,
            "form": form,
            "search": search,
            "page_obj": page_obj,
            "answers": page_obj.object_list,
            "can_convert": request.user.has_perm("surveys.convert_answer", request.organisation),
            "is_text": question.kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT),
        },
    )


@permission_required("surveys.convert_answer")
@require_http_methods(["GET", "POST"])
def answer_contribution(request: HttpRequest, answer_pk: int) -> HttpResponse:
    """A written answer becomes an idea or a complaint of the box, linked back to
    the answer, and to a need if one is chosen — in one action."""
    answer = answer_get(organisation=request.organisation, pk=answer_pk)
    if answer is None:
        raise Http404
    question = answer.question
    back = reverse(
        "surveys:question_texts",
        kwargs={"org_slug": request.organisation.slug, "question_pk": question.pk},
    )
    link = getattr(answer, "contribution_link", None)
    form = AnswerToContributionForm(
        posted_data(request),
        needs=needs_for_linking(organisation=request.organisation),
        initial={"title": answer.text[:80]},
    )
    if link is None and answer.text and request.method == "POST" and form.is_valid():
        try:
            contribution = submit_once(
                request,
                lambda: answer_to_contribution(
                    actor=request.user,
                    answer=answer,
                    kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                    need=form.cleaned_data["need"],
                ),
                result_url=lambda _c: back,
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The answer is now contribution no. %(number)s.") % {"number": contribution.pk},
            )
            return redirect(back)
    return render(
        request,
        "surveys/answer_contribution.html",
        {
            "answer": answer,
            "question": question,
            "survey": question.section.survey,
            "form": form,
            "link": link,
            "back": back,
        },
    )


@permission_required("surveys.export_response")
@require_POST
def survey_responses_export(request: HttpRequest, survey_pk: int) -> HttpResponse:
    """The raw responses (one line per response) as CSV, XLSX or ODS."""
    survey = survey_or_404(request, survey_pk)
    return export_or_job(request, spec=RESPONSES_EXPORT, scope={"survey_pk": survey.pk})


@permission_required("surveys.export_response")
@require_POST
def survey_results_export(request: HttpRequest, survey_pk: int) -> HttpResponse:
    """The results (counts per question and answer) as CSV, XLSX or ODS."""
    survey = survey_or_404(request, survey_pk)
    return export_or_job(request, spec=RESULTS_EXPORT, scope={"survey_pk": survey.pk})
