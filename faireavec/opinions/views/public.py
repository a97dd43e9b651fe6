"""Public pages: the conversations, voting one statement at a time, proposing
a statement, coming back with a follow-up code, and the map of opinions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from faireavec.contributions.selectors import (
    follow_up_code_is_well_formed,
    normalise_follow_up_code,
)
from faireavec.core.forms import add_service_errors, posted_data
from faireavec.core.permissions import permission_required
from faireavec.core.ratelimit import Limit, rate_limit_hit
from faireavec.core.submissions import AlreadySubmitted, submit_once
from faireavec.opinions.findings import findings, map_layout
from faireavec.opinions.forms import CodeForm, StatementForm, VoteForm
from faireavec.opinions.models import Conversation, OpinionParticipant
from faireavec.opinions.selectors import (
    analysis_get,
    conversation_get,
    conversations_public,
    next_statement,
    participant_get,
    participant_progress,
    statement_get,
    votes_of_participant,
)
from faireavec.opinions.services import participant_join, statement_propose, vote_cast

# Per visitor's address (core/ratelimit.py). Votes come fast from a person
# going through the statements, and a hall on one wifi shares an address: the
# vote limit only stops floods. Statements are written, so a few per visitor.
VOTE_POST = Limit("opinion_vote", 600, 600)
STATEMENT_POST = Limit("opinion_statement", 10, 600)
CODE_MISS = Limit("opinion_code_miss", 30, 900)


def _session_key(conversation: Conversation) -> str:
    return f"opinions:{conversation.pk}"


def _conversation_or_404(request: HttpRequest, conversation_pk: int) -> Conversation:
    conversation = conversation_get(organisation=request.organisation, pk=conversation_pk)
    if conversation is None:
        raise Http404
    if conversation.status == Conversation.Status.DRAFT and not request.user.has_perm(
        "opinions.review_conversation", request.organisation
    ):
        raise Http404
    return conversation


def _participant(request: HttpRequest, conversation: Conversation) -> OpinionParticipant | None:
    return participant_get(
        conversation=conversation,
        user=request.user,
        code=request.session.get(_session_key(conversation), ""),
    )


def _participant_or_join(request: HttpRequest, conversation: Conversation) -> OpinionParticipant:
    participant = _participant(request, conversation)
    if participant is None:
        participant = participant_join(
            conversation=conversation,
            user=request.user if request.user.is_authenticated else None,
        )
        if participant.code:
            request.session[_session_key(conversation)] = participant.code
    return participant


def _initiative_context(conversation: Conversation) -> dict:
    if conversation.phase is None:
        return {}
    initiative = conversation.phase.initiative
    return {"initiative": initiative, "initiative_url": initiative.get_absolute_url()}


@permission_required("opinions.view_conversation")
def conversation_list_public(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "opinions/conversation_list_public.html",
        {"conversations": conversations_public(organisation=request.organisation)},
    )


@permission_required("opinions.view_conversation")
def conversation_detail(request: HttpRequest, conversation_pk: int) -> HttpResponse:
    """The conversation and the next statement to vote on (one at a time)."""
    conversation = _conversation_or_404(request, conversation_pk)
    participant = _participant(request, conversation)
    can_take_part = request.user.has_perm("opinions.take_part_conversation", conversation)
    statement = (
        next_statement(conversation=conversation, participant=participant)
        if can_take_part
        else None
    )
    return render(
        request,
        "opinions/conversation_detail.html",
        {
            "conversation": conversation,
            "participant": participant,
            "statement": statement,
            "progress": participant_progress(conversation=conversation, participant=participant),
            "can_take_part": can_take_part,
            "needs_login": conversation.is_open
            and not can_take_part
            and not request.user.is_authenticated,
            "code_form": CodeForm(),
            "analysis": analysis_get(conversation=conversation),
            "conversation_state": conversation.opening_state(),
            **_initiative_context(conversation),
        },
    )


@permission_required("opinions.view_conversation")
@require_POST
def conversation_vote(request: HttpRequest, conversation_pk: int) -> HttpResponse:
    """Record the vote, then show the next statement (post, redirect, get)."""
    conversation = _conversation_or_404(request, conversation_pk)
    if not request.user.has_perm("opinions.take_part_conversation", conversation):
        raise PermissionDenied
    if rate_limit_hit(VOTE_POST, request):
        messages.error(
            request,
            _(
                "Many votes came from your connection in a short time. Please wait a few "
                "minutes and vote again: your earlier votes are kept."
            ),
        )
        return redirect(conversation.get_absolute_url() + "#vote")
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose « I agree », « I disagree » or « I pass »."))
        return redirect(conversation.get_absolute_url())
    statement = statement_get(conversation=conversation, pk=form.cleaned_data["statement"])
    if statement is None:
        raise Http404
    try:
        participant = _participant_or_join(request, conversation)
        vote_cast(participant=participant, statement=statement, value=form.cleaned_data["value"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Your vote on statement no. %(number)s is recorded.") % {"number": statement.number},
        )
    return redirect(conversation.get_absolute_url() + "#vote")


@permission_required("opinions.view_conversation")
@require_http_methods(["GET", "POST"])
def conversation_propose(request: HttpRequest, conversation_pk: int) -> HttpResponse:
    conversation = _conversation_or_404(request, conversation_pk)
    if not (
        conversation.allow_statements
        and request.user.has_perm("opinions.take_part_conversation", conversation)
    ):
        raise PermissionDenied
    form = StatementForm(posted_data(request))
    status = 200
    if form.is_valid() and rate_limit_hit(STATEMENT_POST, request):
        form.add_error(
            None,
            _(
                "You proposed many statements in a short time. Please wait a few minutes and "
                "try again: your text is still here."
            ),
        )
        status = 429
    elif form.is_valid():
        try:
            statement = submit_once(
                request,
                lambda: statement_propose(
                    conversation=conversation,
                    participant=_participant_or_join(request, conversation),
                    text=form.cleaned_data["text"],
                ),
                result_url=lambda s: conversation.get_absolute_url(),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if statement.status == statement.Status.PENDING:
                messages.success(
                    request,
                    _(
                        "Thank you. Your statement will be shown to others once a facilitator has read it."
                    ),
                )
            else:
                messages.success(request, _("Thank you. Your statement is now shown to others."))
            return redirect(conversation.get_absolute_url())
    return render(
        request,
        "opinions/statement_propose.html",
        {"conversation": conversation, "form": form},
        status=status,
    )


@permission_required("opinions.view_conversation")
@require_POST
def conversation_code(request: HttpRequest, conversation_pk: int) -> HttpResponse:
    """Come back to one's votes with the follow-up code (another device, another day)."""
    conversation = _conversation_or_404(request, conversation_pk)
    form = CodeForm(request.POST)
    code = normalise_follow_up_code(request.POST.get("code", ""))
    participant = (
        participant_get(conversation=conversation, code=code)
        if form.is_valid() and follow_up_code_is_well_formed(code)
        else None
    )
    if participant is None and rate_limit_hit(CODE_MISS, request):
        messages.error(
            request, _("Many wrong codes came from your connection. Please wait a few minutes.")
        )
    elif participant is None:
        messages.error(request, _("This follow-up code is not one of this conversation."))
    else:
        request.session[_session_key(conversation)] = participant.code
        messages.success(request, _("Welcome back: here are your votes."))
    return redirect(conversation.get_absolute_url())


@permission_required("opinions.view_conversation")
def conversation_results(request: HttpRequest, conversation_pk: int) -> HttpResponse:
    """The map (SVG) with the person's own position, and the same findings in words."""
    conversation = _conversation_or_404(request, conversation_pk)
    participant = _participant(request, conversation)
    analysis = analysis_get(conversation=conversation)
    context = {"conversation": conversation, "analysis": analysis, "participant": participant}
    if analysis is not None:
        context["findings"] = findings(analysis)
        context["layout"] = map_layout(
            analysis, own_participant_id=participant.pk if participant else None
        )
    if participant is not None:
        context["my_votes"] = votes_of_participant(participant=participant)
    return render(request, "opinions/conversation_results.html", context)
