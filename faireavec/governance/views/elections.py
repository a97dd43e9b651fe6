"""Elections of a body's seats: the board prepares one (seats, candidates, dates),
members vote on the consultation's page, and after the close the winners'
mandates fill the seats."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from faireavec.core.forms import add_service_errors, posted_data
from faireavec.core.permissions import permission_required
from faireavec.core.submissions import AlreadySubmitted, submit_once
from faireavec.governance.forms import ElectionForm
from faireavec.governance.selectors import body_get, election_get, poll_answer_count, poll_results
from faireavec.governance.services import election_create, election_fill, election_winners


@permission_required("governance.manage_body")
@require_http_methods(["GET", "POST"])
def election_create_view(request: HttpRequest, body_pk: int) -> HttpResponse:
    body = body_get(organisation=request.organisation, pk=body_pk)
    if body is None:
        raise Http404
    form = ElectionForm(posted_data(request), body=body)
    if request.method == "POST" and form.is_valid():
        try:
            candidates = form.candidate_members()
        except forms.ValidationError as exc:
            form.add_error("candidates", exc)
        else:
            data = form.cleaned_data
            try:
                election = submit_once(
                    request,
                    lambda: election_create(
                        actor=request.user,
                        body=body,
                        seats=list(data["seats"]),
                        candidates=candidates,
                        opens_at=data["opens_at"],
                        closes_at=data["closes_at"],
                        mandates_start_on=data["mandates_start_on"],
                    ),
                    result_url=lambda e: e.get_absolute_url(),
                )
            except AlreadySubmitted as done:
                return done.response(request)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The election is prepared: members vote online."))
                return redirect(election.get_absolute_url())
    return render(request, "governance/election_form.html", {"form": form, "body": body})


@permission_required("governance.view_body")
@require_http_methods(["GET", "POST"])
def election_detail(request: HttpRequest, election_pk: int) -> HttpResponse:
    election = election_get(organisation=request.organisation, pk=election_pk)
    if election is None:
        raise Http404
    poll = election.poll
    can_manage = request.user.has_perm("governance.manage_body", request.organisation)
    result = poll_results(poll=poll) if poll.is_closed_now else None
    if request.method == "POST":
        if not can_manage or result is None:
            raise Http404
        try:
            mandates = election_fill(actor=request.user, election=election, result=result)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)s mandate recorded on the seat.",
                    "%(n)s mandates recorded on the seats.",
                    len(mandates),
                )
                % {"n": len(mandates)},
            )
        return redirect(election.get_absolute_url())
    winners, tie = election_winners(election=election, result=result) if result else ([], False)
    return render(
        request,
        "governance/election_detail.html",
        {
            "election": election,
            "poll": poll,
            "seats": election.seats.order_by("position", "pk"),
            "candidates": election.candidates.select_related("member"),
            "answer_count": poll_answer_count(poll=poll),
            "result": result,
            "winners": winners,
            "tie": tie,
            "can_manage": can_manage,
        },
    )
