"""Paper and phone: the printable questionnaire (also in large print), the QR
poster, letters with single-use codes, and the assisted entry of a paper or
phone questionnaire by a facilitator."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from faireavec.core.forms import posted_data
from faireavec.core.pdf import POSTER_PDF_STYLESHEET, pdf_response, render_pdf
from faireavec.core.permissions import permission_required
from faireavec.core.qr import qr_svg
from faireavec.core.submissions import AlreadySubmitted, submit_once
from faireavec.surveys.answering import AnswerForm, questions_asked, submitted_values
from faireavec.surveys.conditions import condition_sentence
from faireavec.surveys.forms import AssistedEntryForm
from faireavec.surveys.models import Survey
from faireavec.surveys.scales import choice_options, scale_options
from faireavec.surveys.selectors import response_count, survey_structure, tokens_of_survey
from faireavec.surveys.services import ResponseRefused, response_submit
from faireavec.surveys.views.backoffice import survey_or_404
from faireavec.surveys.views.public import questions_asked_all

MAX_LETTERS = 500


def _printable(sections) -> list[dict]:
    """Sections and questions with everything a paper form needs: the options
    to tick, the scale's words, the conditions in words."""
    every = {q.pk: q for s in sections for q in s.questions.all()}
    laid = []
    number = 0
    for section in sections:
        questions = []
        for question in section.questions.all():
            if question.is_hidden:
                continue
            number += 1
            options = choice_options(question) or [
                (str(v), str(label)) for v, label in scale_options(question.kind)
            ]
            questions.append(
                {
                    "number": number,
                    "question": question,
                    "options": options,
                    "condition": condition_sentence(question.condition, every),
                }
            )
        laid.append(
            {
                "section": section,
                "condition": condition_sentence(section.condition, every),
                "questions": questions,
            }
        )
    return laid


@permission_required("surveys.manage_survey")
@require_GET
def survey_pdf(request: HttpRequest, survey_pk: int) -> HttpResponse:
    """The questionnaire to print, with boxes to tick; `?gros-caracteres=1` for large print."""
    survey = survey_or_404(request, survey_pk)
    large_print = request.GET.get("gros-caracteres") == "1"
    content = render_pdf(
        template_name="surveys/pdf/questionnaire.html",
        context={
            "survey": survey,
            "organisation": request.organisation,
            "sections": _printable(survey_structure(survey=survey)),
            "public_url": request.build_absolute_uri(survey.get_public_url()),
        },
        stylesheets=["css/pdf-survey.css"],
        large_print=large_print,
    )
    name = _("questionnaire-%(id)s") % {"id": survey.pk}
    if large_print:
        name += _("-large-print")
    return pdf_response(content=content, filename=f"{name}.pdf")


@permission_required("surveys.manage_survey")
@require_GET
def survey_poster(request: HttpRequest, survey_pk: int) -> HttpResponse:
    """An A4 poster with the survey's QR code (the platform's poster layout)."""
    survey = survey_or_404(request, survey_pk)
    url = request.build_absolute_uri(survey.get_public_url())
    content = render_pdf(
        template_name="surveys/pdf/poster.html",
        context={
            "survey": survey,
            "organisation": request.organisation,
            "url": url,
            "qr_svg": qr_svg(
                url, title=_("QR code of the survey « %(title)s »") % {"title": survey.title}
            ),
        },
        stylesheets=[POSTER_PDF_STYLESHEET],
        large_print=request.GET.get("gros-caracteres") == "1",
    )
    return pdf_response(content=content, filename=_("survey-poster-%(id)s.pdf") % {"id": survey.pk})


@permission_required("surveys.manage_survey")
@require_GET
def survey_letters(request: HttpRequest, survey_pk: int) -> HttpResponse:
    """One letter per unused single-use code (the first 500), to print and post."""
    survey = survey_or_404(request, survey_pk)
    url = request.build_absolute_uri(
        reverse("surveys:token_entry", kwargs={"org_slug": request.organisation.slug})
    )
    tokens = list(tokens_of_survey(survey=survey).filter(used_at__isnull=True)[:MAX_LETTERS])
    content = render_pdf(
        template_name="surveys/pdf/letters.html",
        context={
            "survey": survey,
            "organisation": request.organisation,
            "tokens": tokens,
            "url": url,
            "qr_svg": qr_svg(url, title=_("QR code of the page where the code is typed")),
        },
        stylesheets=["css/pdf-survey.css"],
        large_print=request.GET.get("gros-caracteres") == "1",
    )
    return pdf_response(
        content=content, filename=_("survey-letters-%(id)s.pdf") % {"id": survey.pk}
    )


@permission_required("surveys.enter_response")
@require_http_methods(["GET", "POST"])
def survey_entry(request: HttpRequest, survey_pk: int) -> HttpResponse:
    """Assisted entry: one paper or phone questionnaire per screen, every
    question on it (nothing required: it is typed as it was filled in), the
    channel recorded; then the next one, on a blank form."""
    survey = survey_or_404(request, survey_pk)
    sections = survey_structure(survey=survey)
    every = {q.pk: q for s in sections for q in s.questions.all()}
    asked = questions_asked_all(sections)
    channel_form = AssistedEntryForm(posted_data(request))
    form = AnswerForm(
        posted_data(request), asked=asked, every=every, conditional=True, all_optional=True
    )
    if survey.status == Survey.Status.DRAFT:
        messages.error(request, _("Publish the survey before entering answers."))
        return redirect(survey.get_absolute_url())
    if request.method == "POST" and channel_form.is_valid() and form.is_valid():
        answers, others = submitted_values(questions_asked(sections, form.values), form.values)
        if not answers:
            form.add_error(None, _("This questionnaire is empty: type at least one answer."))
        else:
            try:
                submit_once(
                    request,
                    lambda: response_submit(
                        survey=survey,
                        answers=answers,
                        others=others,
                        channel=channel_form.cleaned_data["channel"],
                        recorded_by=request.user,
                    ),
                    result_url=lambda _r: request.path,
                )
            except AlreadySubmitted as done:
                return done.response(request)
            except (ResponseRefused, ValidationError) as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Questionnaire recorded (%(n)s in all). Here is a blank form for the next one."
                    )
                    % {"n": response_count(survey=survey)},
                )
                return redirect(request.path)
    return render(
        request,
        "surveys/survey_entry.html",
        {
            "survey": survey,
            "form": form,
            "channel_form": channel_form,
            "conditions": {
                a.question.pk: condition_sentence(a.question.condition, every) for a in asked
            },
            "count": response_count(survey=survey),
        },
    )
