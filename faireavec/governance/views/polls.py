"""Consultations outside assemblies: the list and the page where a person answers
(and, after the close, reads the result), and the back office that creates,
follows and closes them."""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from faireavec.core.forms import add_service_errors, posted_data
from faireavec.core.permissions import permission_required
from faireavec.core.submissions import AlreadySubmitted, submit_once
from faireavec.governance.forms import PollAnswerForm, PollForm
from faireavec.governance.models import Poll
from faireavec.governance.polls import METHOD_HELP
from faireavec.governance.selectors import (
    poll_answer_count,
    poll_answered,
    poll_get,
    poll_options,
    poll_results,
    polls_for_person,
    polls_of,
)
from faireavec.governance.services import AlreadyAnswered, poll_answer, poll_close, poll_create


def _backoffice_url(poll: Poll) -> str:
    return reverse(
        "governance:poll_detail", kwargs={"org_slug": poll.organisation.slug, "poll_pk": poll.pk}
    )


@permission_required("governance.view_polls")
def poll_list_public(request: HttpRequest) -> HttpResponse:
    polls = list(polls_for_person(organisation=request.organisation, user=request.user))
    return render(
        request,
        "governance/poll_list_public.html",
        {
            "open_polls": [p for p in polls if p.is_open_now],
            "closed_polls": [p for p in polls if p.is_closed_now],
        },
    )


@permission_required("governance.view_polls")
@require_http_methods(["GET", "POST"])
def poll_public(request: HttpRequest, poll_pk: int) -> HttpResponse:
    """While open: the answer form, once; after the close: the result in words and
    in a table. A consultation the person may not read is not found."""
    poll = poll_get(organisation=request.organisation, pk=poll_pk)
    if poll is None or not request.user.has_perm("governance.view_poll", poll):
        raise Http404
    options = poll_options(poll=poll)
    answered = poll_answered(poll=poll, user=request.user)
    can_answer = not answered and request.user.has_perm("governance.answer_poll", poll)
    form = None
    if can_answer:
        form = PollAnswerForm(posted_data(request), poll=poll, options=options)
        if request.method == "POST" and form.is_valid():
            try:
                poll_answer(poll=poll, user=request.user, marks=form.marks())
            except AlreadyAnswered:
                messages.info(request, _("Your answer to this consultation is recorded already."))
                return redirect(poll.get_absolute_url())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Thank you, your answer is recorded. The result shows here after the close."),
                )
                return redirect(poll.get_absolute_url())
    elif request.method == "POST":
        messages.info(
            request,
            _("Your answer to this consultation is recorded already.")
            if answered
            else _("This consultation is closed."),
        )
        return redirect(poll.get_absolute_url())
    return render(
        request,
        "governance/poll_public.html",
        {
            "poll": poll,
            "options": options,
            "form": form,
            "answered": answered,
            "method_help": METHOD_HELP[poll.method],
            "result": poll_results(poll=poll) if poll.is_closed_now else None,
        },
    )


@permission_required("governance.view_poll_admin")
def poll_list(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    return render(
        request,
        "governance/poll_list.html",
        {
            "polls": polls_of(organisation=organisation),
            "can_manage": request.user.has_perm("governance.manage_poll", organisation),
        },
    )


@permission_required("governance.manage_poll")
@require_http_methods(["GET", "POST"])
def poll_create_view(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = PollForm(posted_data(request), instance=Poll(organisation=organisation))
    if request.method == "POST" and form.is_valid():
        try:
            poll = submit_once(
                request,
                lambda: poll_create(
                    actor=request.user,
                    poll=copy.copy(form.instance),
                    options=form.option_labels(),
                ),
                result_url=_backoffice_url,
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The consultation is created."))
            return redirect(_backoffice_url(poll))
    return render(request, "governance/poll_form.html", {"form": form})


@permission_required("governance.view_poll_admin")
def poll_detail(request: HttpRequest, poll_pk: int) -> HttpResponse:
    poll = poll_get(organisation=request.organisation, pk=poll_pk)
    if poll is None:
        raise Http404
    return render(
        request,
        "governance/poll_detail.html",
        {
            "poll": poll,
            "options": poll_options(poll=poll),
            "answer_count": poll_answer_count(poll=poll),
            "result": poll_results(poll=poll) if poll.is_closed_now else None,
            "can_manage": request.user.has_perm("governance.manage_poll", request.organisation),
        },
    )


@permission_required("governance.manage_poll")
@require_POST
def poll_close_view(request: HttpRequest, poll_pk: int) -> HttpResponse:
    poll = poll_get(organisation=request.organisation, pk=poll_pk)
    if poll is None:
        raise Http404
    try:
        poll_close(actor=request.user, poll=poll)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The consultation is closed: its result shows."))
    return redirect(_backoffice_url(poll))
