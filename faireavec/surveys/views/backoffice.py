"""Back office: the list of surveys and the builder (settings, sections,
questions, conditions, order, waves, single-use codes)."""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from faireavec.core.forms import add_service_errors, posted_data
from faireavec.core.permissions import permission_required
from faireavec.core.submissions import AlreadySubmitted, submit_once
from faireavec.surveys.conditions import condition_sentence, layout_of
from faireavec.surveys.forms import (
    ConditionForm,
    NewSurveyForm,
    NewWaveForm,
    QuestionForm,
    SectionForm,
    SurveyForm,
    TokenEmailsForm,
    TokensForm,
)
from faireavec.surveys.models import Question, Section, Survey
from faireavec.surveys.selectors import (
    phases_for_surveys,
    question_get,
    question_has_answers,
    questions_with_answers,
    response_count,
    section_get,
    survey_get,
    survey_structure,
    survey_waves,
    surveys_of_organisation,
    token_counts,
    tokens_of_survey,
)
from faireavec.surveys.services import (
    question_create,
    question_delete,
    question_move,
    question_place,
    question_set_hidden,
    question_update,
    section_create,
    section_delete,
    section_move,
    section_update,
    survey_create,
    survey_delete,
    survey_from_template,
    survey_new_wave,
    survey_set_status,
    survey_update,
    tokens_generate,
    tokens_send_by_email,
)


def survey_or_404(request: HttpRequest, survey_pk: int) -> Survey:
    survey = survey_get(organisation=request.organisation, pk=survey_pk)
    if survey is None:
        raise Http404
    return survey


def _section_or_404(request: HttpRequest, section_pk: int) -> Section:
    section = section_get(organisation=request.organisation, pk=section_pk)
    if section is None:
        raise Http404
    return section


def _question_or_404(request: HttpRequest, question_pk: int) -> Question:
    question = question_get(organisation=request.organisation, pk=question_pk)
    if question is None:
        raise Http404
    return question


def _to_builder(survey: Survey, anchor: str = "") -> HttpResponse:
    return redirect(survey.get_absolute_url() + (f"#{anchor}" if anchor else ""))


@permission_required("surveys.view_results")
def survey_list(request: HttpRequest) -> HttpResponse:
    """The surveys: builders open each one, members read its results."""
    surveys = list(surveys_of_organisation(organisation=request.organisation))
    return render(request, "surveys/survey_list.html", {"surveys": surveys})


@permission_required("surveys.manage_survey")
@require_http_methods(["GET", "POST"])
def survey_create_view(request: HttpRequest) -> HttpResponse:
    """A new survey: blank, or from the ready template « Satisfaction des usagers »."""
    form = NewSurveyForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        start, title = form.cleaned_data["start"], form.cleaned_data["title"].strip()

        def create() -> Survey:
            if start == "blank":
                survey = survey_create(
                    actor=request.user,
                    organisation=request.organisation,
                    data={"title": title or _("New survey")},
                )
                section_create(actor=request.user, survey=survey, data={"title": _("Questions")})
                return survey
            survey = survey_from_template(
                actor=request.user, organisation=request.organisation, template=start
            )
            if title:
                survey = survey_update(actor=request.user, survey=survey, data={"title": title})
            return survey

        try:
            survey = submit_once(request, create, result_url=lambda s: s.get_absolute_url())
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The survey is ready as a draft: check its questions, then publish it.")
            )
            return _to_builder(survey)
    return render(request, "surveys/survey_create.html", {"form": form})


@permission_required("surveys.manage_survey")
def survey_detail(request: HttpRequest, survey_pk: int) -> HttpResponse:
    """The builder: settings at a glance, sections and questions in order with
    their conditions, buttons to move them up and down, and what comes next."""
    survey = survey_or_404(request, survey_pk)
    sections = survey_structure(survey=survey)
    every = {q.pk: q for s in sections for q in s.questions.all()}
    answered = questions_with_answers(survey=survey)
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "sections": sections,
            "answered": answered,
            "conditions": {pk: condition_sentence(q.condition, every) for pk, q in every.items()},
            "section_conditions": {s.pk: condition_sentence(s.condition, every) for s in sections},
            "response_count": response_count(survey=survey),
            "waves": survey_waves(survey=survey),
            "tokens": token_counts(survey=survey) if survey.limit == Survey.Limit.TOKEN else None,
            "public_url": request.build_absolute_uri(survey.get_public_url()),
        },
    )


@permission_required("surveys.manage_survey")
@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, survey_pk: int) -> HttpResponse:
    survey = survey_or_404(request, survey_pk)
    form = SurveyForm(
        posted_data(request),
        instance=copy.copy(survey),
        phases=phases_for_surveys(organisation=request.organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            survey_update(actor=request.user, survey=survey, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The survey's settings are saved."))
            return _to_builder(survey)
    return render(request, "surveys/survey_form.html", {"survey": survey, "form": form})


@permission_required("surveys.manage_survey")
@require_POST
def survey_status(request: HttpRequest, survey_pk: int) -> HttpResponse:
    """Publish, put back as a draft, or archive (button `status`)."""
    survey = survey_or_404(request, survey_pk)
    status = request.POST.get("status", "")
    try:
        survey_set_status(actor=request.user, survey=survey, status=status)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            {
                Survey.Status.PUBLISHED: _(
                    "The survey is published: it takes answers between its dates."
                ),
                Survey.Status.ARCHIVED: _("The survey is closed: it takes no more answers."),
                Survey.Status.DRAFT: _("The survey is a draft again."),
            }.get(status, _("Saved.")),
        )
    return _to_builder(survey)


@permission_required("surveys.manage_survey")
@require_http_methods(["GET", "POST"])
def survey_delete_view(request: HttpRequest, survey_pk: int) -> HttpResponse:
    survey = survey_or_404(request, survey_pk)
    if request.method == "POST":
        try:
            survey_delete(actor=request.user, survey=survey)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return _to_builder(survey)
        messages.success(request, _("The survey is deleted."))
        return redirect("surveys:survey_list", org_slug=request.organisation.slug)
    return render(request, "surveys/survey_confirm_delete.html", {"survey": survey})


@permission_required("surveys.manage_survey")
@require_http_methods(["GET", "POST"])
def survey_wave(request: HttpRequest, survey_pk: int) -> HttpResponse:
    """Duplicate the survey as a new wave: the same questions, so results compare."""
    survey = survey_or_404(request, survey_pk)
    form = NewWaveForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            wave = submit_once(
                request,
                lambda: survey_new_wave(actor=request.user, survey=survey, **form.cleaned_data),
                result_url=lambda wave: wave.get_absolute_url(),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The new wave is ready as a draft, with the same questions.")
            )
            return _to_builder(wave)
    return render(request, "surveys/survey_wave.html", {"survey": survey, "form": form})


# Sections ------------------------------------------------------------------


@permission_required("surveys.manage_survey")
@require_http_methods(["GET", "POST"])
def section_create_view(request: HttpRequest, survey_pk: int) -> HttpResponse:
    survey = survey_or_404(request, survey_pk)
    form = SectionForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            section = submit_once(
                request,
                lambda: section_create(actor=request.user, survey=survey, data=form.cleaned_data),
                result_url=lambda _obj: survey.get_absolute_url(),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _to_builder(survey, f"section-{section.pk}")
    return render(request, "surveys/section_form.html", {"survey": survey, "form": form})


@permission_required("surveys.manage_survey")
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, section_pk: int) -> HttpResponse:
    section = _section_or_404(request, section_pk)
    survey = section.survey
    form = SectionForm(posted_data(request), instance=copy.copy(section))
    if request.method == "POST" and form.is_valid():
        try:
            section_update(actor=request.user, section=section, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _to_builder(survey, f"section-{section.pk}")
    return render(
        request, "surveys/section_form.html", {"survey": survey, "section": section, "form": form}
    )


@permission_required("surveys.manage_survey")
@require_POST
def section_delete_view(request: HttpRequest, section_pk: int) -> HttpResponse:
    section = _section_or_404(request, section_pk)
    survey = section.survey
    try:
        section_delete(actor=request.user, section=section)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The section is deleted."))
    return _to_builder(survey)


@permission_required("surveys.manage_survey")
@require_POST
def section_move_view(request: HttpRequest, section_pk: int) -> HttpResponse:
    section = _section_or_404(request, section_pk)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    try:
        section_move(actor=request.user, section=section, direction=direction)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return _to_builder(section.survey, f"section-{section.pk}")


def _condition_page(request, *, survey, target, is_section: bool) -> HttpResponse:
    sections = survey_structure(survey=survey)
    layout = layout_of(sections, [q for s in sections for q in s.questions.all()])
    if is_section:
        rank = next(i for i, s in enumerate(sections) if s.pk == target.pk)
        earlier = [q for q in layout.questions.values() if layout.order[q.pk][0] < rank]
    else:
        index = layout.order[target.pk][1]
        earlier = [q for q in layout.questions.values() if layout.order[q.pk][1] < index]
    earlier = [q for q in earlier if not q.is_hidden]
    form = ConditionForm(posted_data(request), questions=earlier, current=target.condition)
    if request.method == "POST" and form.is_valid():
        try:
            if is_section:
                section_update(
                    actor=request.user, section=target, data={"condition": form.condition()}
                )
            else:
                question_update(
                    actor=request.user, question=target, data={"condition": form.condition()}
                )
        except ValidationError as exc:
            add_service_errors(form, exc, fields={"condition": "__all__"})
        else:
            messages.success(request, _("The condition is saved."))
            return _to_builder(survey, f"{'section' if is_section else 'question'}-{target.pk}")
    from faireavec.surveys.scales import value_options

    return render(
        request,
        "surveys/condition_form.html",
        {
            "survey": survey,
            "target": target,
            "is_section": is_section,
            "form": form,
            "earlier": [(q, value_options(q)) for q in earlier],
        },
    )


@permission_required("surveys.manage_survey")
@require_http_methods(["GET", "POST"])
def section_condition(request: HttpRequest, section_pk: int) -> HttpResponse:
    section = _section_or_404(request, section_pk)
    return _condition_page(request, survey=section.survey, target=section, is_section=True)


# Questions -----------------------------------------------------------------


@permission_required("surveys.manage_survey")
@require_http_methods(["GET", "POST"])
def question_create_view(request: HttpRequest, section_pk: int) -> HttpResponse:
    section = _section_or_404(request, section_pk)
    survey = section.survey
    form = QuestionForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            question = submit_once(
                request,
                lambda: question_create(
                    actor=request.user, section=section, data=form.service_data()
                ),
                result_url=lambda _obj: survey.get_absolute_url(),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc, fields={"choices": "options_text", "items": "items_text"})
        else:
            messages.success(request, _("The question is added."))
            return _to_builder(survey, f"question-{question.pk}")
    return render(
        request, "surveys/question_form.html", {"survey": survey, "section": section, "form": form}
    )


@permission_required("surveys.manage_survey")
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, question_pk: int) -> HttpResponse:
    question = _question_or_404(request, question_pk)
    survey = question.section.survey
    locked = question_has_answers(question=question)
    form = QuestionForm(posted_data(request), instance=copy.copy(question), locked_kind=locked)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            question_update(actor=request.user, question=question, data=data)
        except ValidationError as exc:
            add_service_errors(form, exc, fields={"choices": "options_text", "items": "items_text"})
        else:
            messages.success(request, _("The question is saved."))
            return _to_builder(survey, f"question-{question.pk}")
    return render(
        request,
        "surveys/question_form.html",
        {
            "survey": survey,
            "section": question.section,
            "question": question,
            "form": form,
            "locked": locked,
        },
    )


@permission_required("surveys.manage_survey")
@require_http_methods(["GET", "POST"])
def question_condition(request: HttpRequest, question_pk: int) -> HttpResponse:
    question = _question_or_404(request, question_pk)
    return _condition_page(
        request, survey=question.section.survey, target=question, is_section=False
    )


@permission_required("surveys.manage_survey")
@require_POST
def question_move_view(request: HttpRequest, question_pk: int) -> HttpResponse:
    question = _question_or_404(request, question_pk)
    direction = request.POST.get("direction")
    try:
        if direction in ("before", "after"):  # dragged with the mouse (survey-reorder.js)
            target_pk = request.POST.get("target", "")
            if not target_pk.isdigit():
                raise Http404
            target = _question_or_404(request, int(target_pk))
            question_place(
                actor=request.user, question=question, target=target, after=direction == "after"
            )
        else:
            direction = "up" if direction == "up" else "down"
            question_move(actor=request.user, question=question, direction=direction)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return _to_builder(question.section.survey, f"question-{question.pk}")


@permission_required("surveys.manage_survey")
@require_POST
def question_hide_view(request: HttpRequest, question_pk: int) -> HttpResponse:
    question = _question_or_404(request, question_pk)
    hidden = request.POST.get("hidden") != "0"
    try:
        question_set_hidden(actor=request.user, question=question, hidden=hidden)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return _to_builder(question.section.survey, f"question-{question.pk}")


@permission_required("surveys.manage_survey")
@require_POST
def question_delete_view(request: HttpRequest, question_pk: int) -> HttpResponse:
    question = _question_or_404(request, question_pk)
    survey = question.section.survey
    try:
        question_delete(actor=request.user, question=question)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The question is deleted."))
    return _to_builder(survey)


# Single-use codes ----------------------------------------------------------


@permission_required("surveys.manage_survey")
@require_http_methods(["GET", "POST"])
def survey_tokens(request: HttpRequest, survey_pk: int) -> HttpResponse:
    """The survey's single-use codes: how many are used, make more, print letters."""
    survey = survey_or_404(request, survey_pk)
    form = TokensForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        labels = (form.cleaned_data["labels"] or "").splitlines()
        try:
            made = submit_once(
                request,
                lambda: tokens_generate(
                    actor=request.user,
                    survey=survey,
                    count=form.cleaned_data["count"] or 0,
                    labels=labels,
                ),
                result_url=lambda _made: request.path,
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(count)s codes are ready.") % {"count": made})
            return redirect(request.path)
    return _tokens_page(request, survey, form=form)


def _token_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(
        reverse("surveys:token_entry", kwargs={"org_slug": request.organisation.slug})
    )


def _tokens_page(request: HttpRequest, survey: Survey, *, form=None, email_form=None):
    return render(
        request,
        "surveys/survey_tokens.html",
        {
            "survey": survey,
            "form": form or TokensForm(),
            "email_form": email_form or TokenEmailsForm(),
            "tokens": tokens_of_survey(survey=survey)[:500],
            "counts": token_counts(survey=survey),
            "token_url": _token_url(request),
        },
    )


@permission_required("surveys.manage_survey")
@require_POST
def survey_tokens_email(request: HttpRequest, survey_pk: int) -> HttpResponse:
    """Send one code per typed address; a refused address stays in the box to try again."""
    survey = survey_or_404(request, survey_pk)
    form = TokenEmailsForm(request.POST)
    if form.is_valid():
        try:
            sent, refused = submit_once(
                request,
                lambda: tokens_send_by_email(
                    actor=request.user,
                    survey=survey,
                    emails=form.cleaned_data["addresses"],
                    answer_url=_token_url(request),
                ),
                result_url=lambda _result: reverse(
                    "surveys:survey_tokens",
                    kwargs={"org_slug": request.organisation.slug, "survey_pk": survey.pk},
                ),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if sent:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s code was sent by email.",
                        "%(count)s codes were sent by email.",
                        sent,
                    )
                    % {"count": sent},
                )
            if not refused:
                return redirect(
                    "surveys:survey_tokens", org_slug=request.organisation.slug, survey_pk=survey.pk
                )
            form = TokenEmailsForm({"addresses": "\n".join(refused)})
            form.is_valid()
            form.add_error(
                "addresses",
                ngettext(
                    "The mail server refused this address; it got no code: %(list)s.",
                    "The mail server refused these addresses; they got no code: %(list)s.",
                    len(refused),
                )
                % {"list": ", ".join(refused)},
            )
    return _tokens_page(request, survey, email_form=form)
