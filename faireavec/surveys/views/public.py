"""Answering a survey: the list, the first page (with the code or the account),
the questions (one per screen or all on one page), saving to come back, and
the confirmation page."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from faireavec.core.forms import posted_data
from faireavec.core.permissions import permission_required
from faireavec.core.ratelimit import Limit, rate_limit_hit
from faireavec.surveys.answering import (
    AnswerForm,
    missing_required,
    questions_asked,
    submitted_values,
)
from faireavec.surveys.conditions import condition_sentence
from faireavec.surveys.forms import TokenEntryForm
from faireavec.surveys.models import Participation, Survey, SurveyToken
from faireavec.surveys.selectors import (
    draft_get,
    survey_get,
    survey_structure,
    surveys_open_to_answer,
    token_get,
    token_get_by_code,
)
from faireavec.surveys.services import ResponseRefused, draft_save, response_submit

TOKEN_LIMIT = Limit("survey_token", 20, 600)  # code tries per visitor
SESSION_TOKEN = "survey_token_{pk}"  # noqa: S105 (a session key, not a secret)
SESSION_DONE = "survey_done_{pk}"


def _survey_or_404(request: HttpRequest, survey_pk: int) -> Survey:
    survey = survey_get(organisation=request.organisation, pk=survey_pk)
    # A draft is previewed by its builders only.
    if survey is None or (
        survey.status == Survey.Status.DRAFT
        and not request.user.has_perm("surveys.manage_survey", request.organisation)
    ):
        raise Http404
    return survey


def _url(name: str, survey: Survey, **query) -> str:
    url = reverse(
        f"surveys:{name}", kwargs={"org_slug": survey.organisation.slug, "survey_pk": survey.pk}
    )
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


class Respondent:
    """Who is answering and how their draft is found: "token:<id>", "user:<id>"
    or "session:<key>"; `blocker` says why they cannot answer yet ("code",
    "login", "answered") or is empty."""

    def __init__(self, request: HttpRequest, survey: Survey) -> None:
        self.token: SurveyToken | None = None
        self.key = ""
        self.blocker = ""
        user = request.user
        if survey.limit == Survey.Limit.TOKEN:
            token_pk = request.session.get(SESSION_TOKEN.format(pk=survey.pk))
            self.token = token_get(survey=survey, pk=token_pk) if token_pk else None
            if self.token is None:
                self.blocker = "code"
            elif self.token.used_at is not None:
                self.blocker = "answered"
            else:
                self.key = f"token:{self.token.pk}"
        elif survey.limit == Survey.Limit.ACCOUNT:
            if not user.is_authenticated:
                self.blocker = "login"
            elif Participation.objects.filter(survey=survey, user=user).exists():
                self.blocker = "answered"
            else:
                self.key = f"user:{user.pk}"
        elif user.is_authenticated:
            self.key = f"user:{user.pk}"
        else:
            if not request.session.session_key:
                request.session.save()
            self.key = f"session:{request.session.session_key}"


def _can_answer(request: HttpRequest, survey: Survey) -> bool:
    return request.user.has_perm("surveys.answer_survey", survey) or (
        survey.status == Survey.Status.DRAFT
        and request.user.has_perm("surveys.manage_survey", request.organisation)
    )


@permission_required("surveys.view_survey")
def survey_list_public(request: HttpRequest) -> HttpResponse:
    """The surveys open now that this person may answer."""
    surveys = [
        s
        for s in surveys_open_to_answer(organisation=request.organisation)
        if s.opening_state() == "open" and request.user.has_perm("surveys.answer_survey", s)
    ]
    return render(request, "surveys/survey_list_public.html", {"surveys": surveys})


@permission_required("surveys.view_survey")
@require_http_methods(["GET", "POST"])
def token_entry(request: HttpRequest) -> HttpResponse:
    """« J'ai reçu un code »: the code printed on a letter opens its survey. The link of
    an emailed code carries it (`?code=`): the box comes filled in, and the person
    still sends it (a GET opens nothing)."""
    form = TokenEntryForm(posted_data(request), initial={"code": request.GET.get("code", "")[:20]})
    if request.method == "POST" and form.is_valid():
        if rate_limit_hit(TOKEN_LIMIT, request):
            form.add_error("code", _("Too many tries: wait a moment, then try again."))
        else:
            token = token_get_by_code(
                organisation=request.organisation, code=form.cleaned_data["code"]
            )
            if token is None or token.survey.status == Survey.Status.DRAFT:
                form.add_error(
                    "code",
                    _("We do not know this code. Check it on your letter, then type it again."),
                )
            else:
                request.session[SESSION_TOKEN.format(pk=token.survey_id)] = token.pk
                return redirect(_url("survey_start", token.survey))
    return render(request, "surveys/token_entry.html", {"form": form})


@permission_required("surveys.view_survey")
@require_http_methods(["GET", "POST"])
def survey_start(request: HttpRequest, survey_pk: int) -> HttpResponse:
    """The survey's first page: what it is, until when, whether it is anonymous;
    the code or the account it needs; « Commencer » or « Reprendre »."""
    survey = _survey_or_404(request, survey_pk)
    if not _can_answer(request, survey):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    form = None
    if survey.limit == Survey.Limit.TOKEN:
        form = TokenEntryForm(posted_data(request))
        if request.method == "POST" and form.is_valid():
            if rate_limit_hit(TOKEN_LIMIT, request):
                form.add_error("code", _("Too many tries: wait a moment, then try again."))
            else:
                token = token_get_by_code(
                    organisation=request.organisation, code=form.cleaned_data["code"]
                )
                if token is None or token.survey_id != survey.pk:
                    form.add_error(
                        "code",
                        _("This code does not open this survey. Check it on your letter."),
                    )
                elif token.used_at is not None:
                    form.add_error(
                        "code", _("This code has been used already: each code answers once.")
                    )
                else:
                    request.session[SESSION_TOKEN.format(pk=survey.pk)] = token.pk
                    return redirect(_url("survey_start", survey))
    respondent = Respondent(request, survey)
    draft = draft_get(survey=survey, key=respondent.key)
    sections = survey_structure(survey=survey)
    count = len(questions_asked(sections, draft.data if draft else {}))
    return render(
        request,
        "surveys/survey_start.html",
        {
            "survey": survey,
            "state": survey.opening_state(),
            "respondent": respondent,
            "draft": draft,
            "form": form if respondent.blocker == "code" else None,
            "question_count": count,
            "login_url": reverse("account_login") + "?next=" + request.path,
        },
    )


def _closed_page(request: HttpRequest, survey: Survey, state: str) -> HttpResponse:
    return render(request, "surveys/survey_closed.html", {"survey": survey, "state": state})


@permission_required("surveys.view_survey")
@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, survey_pk: int) -> HttpResponse:
    """The questions. One per screen (`?etape=N`) or all on one page.

    Buttons: « Suivant » (checks this screen, keeps it), « Précédent »,
    « Enregistrer et continuer plus tard », « Envoyer mes réponses » (checks
    every required question asked, then stores the response whole). A closed
    or not-yet-open survey says so and keeps nothing.
    """
    survey = _survey_or_404(request, survey_pk)
    if not _can_answer(request, survey):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    state = survey.opening_state()
    preview = state == "draft"
    if state not in ("open", "draft"):
        return _closed_page(request, survey, state)
    respondent = Respondent(request, survey)
    if respondent.blocker:
        return redirect(_url("survey_start", survey))
    draft = draft_get(survey=survey, key=respondent.key)
    data = dict(draft.data) if draft else {}
    sections = survey_structure(survey=survey)
    every = {q.pk: q for s in sections for q in s.questions.all()}
    action = request.POST.get("action", "next")
    one_per_screen = survey.display == Survey.Display.ONE_PER_SCREEN

    if one_per_screen:
        asked = questions_asked(sections, data)
        if not asked:
            return render(
                request, "surveys/survey_closed.html", {"survey": survey, "state": "empty"}
            )
        try:
            step = int(
                request.POST.get("step") or request.GET.get("etape") or (draft.step if draft else 0)
            )
        except ValueError:
            step = 0
        step = max(0, min(step, len(asked) - 1))
        screen = [asked[step]]
        form = AnswerForm(posted_data(request), asked=screen, every=every, earlier=data)
        if request.method == "POST":
            if action == "back":
                return redirect(_url("survey_answer", survey, etape=max(step - 1, 0)))
            if form.is_valid():
                entry = screen[0].question
                data.pop(str(entry.pk), None)
                data.pop(f"{entry.pk}:other", None)
                data.update(form.values)
                asked = questions_asked(sections, data)
                step = next((i for i, a in enumerate(asked) if a.question.pk == entry.pk), step)
                if not preview:
                    draft_save(survey=survey, key=respondent.key, data=data, step=step)
                if action == "save":
                    return redirect(_url("survey_saved", survey))
                if action == "send" or step >= len(asked) - 1:
                    return _send(request, survey, respondent, sections, data, preview=preview)
                return redirect(_url("survey_answer", survey, etape=step + 1))
        asked_now = questions_asked(sections, data)
        return render(
            request,
            "surveys/survey_answer.html",
            {
                "survey": survey,
                "form": form,
                "step": step,
                "total": len(asked_now),
                "percent": round(100 * step / max(len(asked_now), 1)),
                "is_last": step >= len(asked_now) - 1,
                "entry": screen[0],
                "preview": preview,
            },
        )

    asked = questions_asked_all(sections)
    form = AnswerForm(posted_data(request), asked=asked, every=every, earlier={}, conditional=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.values)
        if action == "save":
            if not preview:
                draft_save(survey=survey, key=respondent.key, data=data)
            return redirect(_url("survey_saved", survey))
        return _send(request, survey, respondent, sections, data, preview=preview)
    if request.method == "GET" and data:
        form = AnswerForm(None, asked=asked, every=every, earlier=data, conditional=True)
    return render(
        request,
        "surveys/survey_answer_all.html",
        {
            "survey": survey,
            "form": form,
            "conditions": {
                a.question.pk: condition_sentence(a.question.condition, every) for a in asked
            },
            "section_conditions": {s.pk: condition_sentence(s.condition, every) for s in sections},
            "preview": preview,
        },
    )


def questions_asked_all(sections):
    """Every question not hidden, conditions or not (all on one page: the
    conditions are written beside the questions and applied when sent)."""
    from faireavec.surveys.answering import Asked

    asked = []
    for section in sections:
        first = True
        for question in section.questions.all():
            if question.is_hidden:
                continue
            asked.append(Asked(section=section, question=question, opens_section=first))
            first = False
    return asked


def _send(request, survey, respondent, sections, data, *, preview: bool) -> HttpResponse:
    asked = questions_asked(sections, data)
    missing = missing_required(asked, data)
    if missing:
        messages.error(
            request,
            _("Some questions need an answer before sending: here is the first one."),
        )
        if survey.display == Survey.Display.ONE_PER_SCREEN:
            return redirect(_url("survey_answer", survey, etape=missing[0]))
        return redirect(_url("survey_answer", survey))
    if preview:
        messages.info(request, _("Preview: the survey is a draft, nothing was recorded."))
        return redirect(_url("survey_start", survey))
    answers, others = submitted_values(asked, data)
    try:
        response_submit(
            survey=survey,
            answers=answers,
            others=others,
            user=request.user,
            token=respondent.token,
            draft_key=respondent.key,
        )
    except ResponseRefused as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_url("survey_start", survey))
    request.session.pop(SESSION_TOKEN.format(pk=survey.pk), None)
    request.session[SESSION_DONE.format(pk=survey.pk)] = True
    return redirect(_url("survey_thanks", survey))


@permission_required("surveys.view_survey")
def survey_saved(request: HttpRequest, survey_pk: int) -> HttpResponse:
    """Answers kept: how to come back (the same code, the account, this browser)."""
    survey = _survey_or_404(request, survey_pk)
    respondent = Respondent(request, survey)
    return render(
        request, "surveys/survey_saved.html", {"survey": survey, "respondent": respondent}
    )


@permission_required("surveys.view_survey")
def survey_thanks(request: HttpRequest, survey_pk: int) -> HttpResponse:
    """Confirmation: the answers are recorded, and what happens next."""
    survey = _survey_or_404(request, survey_pk)
    done = request.session.get(SESSION_DONE.format(pk=survey.pk), False)
    return render(request, "surveys/survey_thanks.html", {"survey": survey, "done": done})
