"""The members' space: discussions with replies and questions to the board
answered in public, for the members of the register; the back office where the
board answers (late questions first) and hides what breaks the charter."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from faireavec.core.forms import add_service_errors, posted_data
from faireavec.core.http import safe_next_url
from faireavec.core.permissions import permission_required, require_perm
from faireavec.core.submissions import AlreadySubmitted, submit_once
from faireavec.governance.forms import (
    BoardAnswerForm,
    BoardQuestionForm,
    DiscussionForm,
    ModerateForm,
    ReplyForm,
)
from faireavec.governance.selectors import (
    board_question_get,
    board_questions_late,
    board_questions_of,
    board_questions_waiting,
    discussion_get,
    discussion_replies,
    discussions_of,
    reply_get,
    statutes_of,
)
from faireavec.governance.services import (
    board_question_answer,
    board_question_ask,
    discussion_reply,
    discussion_start,
    member_space_moderate,
)

RECENT = 30


@permission_required("governance.view_member_space")
def member_space(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    can_moderate = request.user.has_perm("governance.moderate_member_space", organisation)
    return render(
        request,
        "governance/member_space.html",
        {
            "discussions": discussions_of(organisation=organisation)[:RECENT],
            "questions": board_questions_of(organisation=organisation)[:RECENT],
            "can_write": request.user.has_perm("governance.write_member_space", organisation),
            "can_moderate": can_moderate,
            "answer_days": statutes_of(organisation=organisation).question_answer_days,
        },
    )


@permission_required("governance.write_member_space")
@require_http_methods(["GET", "POST"])
def discussion_create(request: HttpRequest) -> HttpResponse:
    form = DiscussionForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            discussion = submit_once(
                request,
                lambda: discussion_start(
                    author=request.user,
                    organisation=request.organisation,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                ),
                result_url=lambda d: d.get_absolute_url(),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your discussion is open."))
            return redirect(discussion.get_absolute_url())
    return render(request, "governance/discussion_form.html", {"form": form})


@permission_required("governance.view_member_space")
@require_http_methods(["GET", "POST"])
def discussion_detail(request: HttpRequest, discussion_pk: int) -> HttpResponse:
    discussion = discussion_get(organisation=request.organisation, pk=discussion_pk)
    if discussion is None:
        raise Http404
    can_write = (
        request.user.has_perm("governance.write_member_space", request.organisation)
        and not discussion.is_hidden
    )
    form = ReplyForm(posted_data(request) if can_write else None)
    if request.method == "POST":
        require_perm(request, "governance.write_member_space")
        if form.is_valid():
            try:
                discussion_reply(
                    author=request.user, discussion=discussion, body=form.cleaned_data["body"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your reply is published."))
                return redirect(discussion.get_absolute_url())
    return render(
        request,
        "governance/discussion_detail.html",
        {
            "discussion": discussion,
            "replies": discussion_replies(discussion=discussion),
            "form": form if can_write else None,
            "can_moderate": request.user.has_perm(
                "governance.moderate_member_space", request.organisation
            ),
        },
    )


@permission_required("governance.write_member_space")
@require_http_methods(["GET", "POST"])
def question_create(request: HttpRequest) -> HttpResponse:
    form = BoardQuestionForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            question = submit_once(
                request,
                lambda: board_question_ask(
                    author=request.user,
                    organisation=request.organisation,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                ),
                result_url=lambda q: q.get_absolute_url(),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Your question is sent to the board. Its answer will show here.")
            )
            return redirect(question.get_absolute_url())
    return render(
        request,
        "governance/question_form.html",
        {
            "form": form,
            "answer_days": statutes_of(organisation=request.organisation).question_answer_days,
        },
    )


@permission_required("governance.view_member_space")
def question_detail(request: HttpRequest, boardquestion_pk: int) -> HttpResponse:
    question = board_question_get(organisation=request.organisation, pk=boardquestion_pk)
    if question is None:
        raise Http404
    return render(
        request,
        "governance/question_detail.html",
        {
            "question": question,
            "can_answer": request.user.has_perm("governance.answer_question", request.organisation),
        },
    )


# Back office ------------------------------------------------------------------


@permission_required("governance.view_member_space_admin")
def member_space_admin(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    return render(
        request,
        "governance/member_space_admin.html",
        {
            "late": board_questions_late(organisation=organisation),
            "waiting": board_questions_waiting(organisation=organisation),
            "answer_days": statutes_of(organisation=organisation).question_answer_days,
            "hidden_discussions": discussions_of(
                organisation=organisation, include_hidden=True
            ).filter(is_hidden=True),
        },
    )


@permission_required("governance.answer_question")
@require_http_methods(["GET", "POST"])
def question_answer(request: HttpRequest, boardquestion_pk: int) -> HttpResponse:
    question = board_question_get(organisation=request.organisation, pk=boardquestion_pk)
    if question is None:
        raise Http404
    form = BoardAnswerForm(posted_data(request), initial={"answer": question.answer})
    if request.method == "POST" and form.is_valid():
        try:
            board_question_answer(
                actor=request.user, question=question, answer=form.cleaned_data["answer"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The answer is published under the question."))
            return redirect(
                reverse(
                    "governance:member_space_admin", kwargs={"org_slug": question.organisation.slug}
                )
            )
    return render(
        request,
        "governance/question_answer.html",
        {"question": question, "form": form, "moderate_form": ModerateForm()},
    )


def _moderate(request: HttpRequest, item, back: str) -> HttpResponse:
    form = ModerateForm(request.POST)
    hide = request.POST.get("hide") == "1"
    if form.is_valid():
        try:
            member_space_moderate(
                actor=request.user, item=item, hide=hide, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Hidden.") if hide else _("Shown again."))
    else:
        messages.error(request, _("The reason has at most 300 characters."))
    return redirect(safe_next_url(request, back))


@permission_required("governance.moderate_member_space")
@require_POST
def discussion_moderate(request: HttpRequest, discussion_pk: int) -> HttpResponse:
    discussion = discussion_get(organisation=request.organisation, pk=discussion_pk)
    if discussion is None:
        raise Http404
    return _moderate(request, discussion, discussion.get_absolute_url())


@permission_required("governance.moderate_member_space")
@require_POST
def reply_moderate(request: HttpRequest, discussionreply_pk: int) -> HttpResponse:
    reply = reply_get(organisation=request.organisation, pk=discussionreply_pk)
    if reply is None:
        raise Http404
    return _moderate(request, reply, reply.discussion.get_absolute_url())


@permission_required("governance.moderate_member_space")
@require_POST
def question_moderate(request: HttpRequest, boardquestion_pk: int) -> HttpResponse:
    question = board_question_get(organisation=request.organisation, pk=boardquestion_pk)
    if question is None:
        raise Http404
    return _moderate(request, question, question.get_absolute_url())
