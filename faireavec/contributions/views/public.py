"""Public pages: give one's opinion, follow it with a code, see what the
organisation did (« vous avez dit, nous avons fait »), public ideas.

Privacy choice for private organisations: giving one's opinion and following
it with a code are open to people who are not members (`@open_to_non_members`)
only when the organisation accepts contributions without an account — a
poster in a private organisation's hall must work for the people it serves.
Those contributions are then anonymous. Every other page of a private
organisation stays closed to non-members.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from faireavec.accounts.forms import DisplayNameForm
from faireavec.accounts.services import user_set_display_name
from faireavec.contributions.forms import (
    CommentForm,
    ContributionForm,
    FollowUpEmailForm,
    FollowUpLookupForm,
    ReportForm,
    SaidDoneFilterForm,
)
from faireavec.contributions.hooks import (
    contribution_includes,
    contribution_open_for,
    contributions_listed_for,
)
from faireavec.contributions.models import Contribution
from faireavec.contributions.selectors import (
    IDEA_KINDS,
    answered_kinds,
    answered_years,
    comment_counts,
    comment_get,
    contribution_get,
    contribution_get_by_code,
    contribution_public_history,
    contributions_answered_public,
    contributions_of_author,
    idea_all_comments,
    idea_visible_comments,
    listening_figures,
    public_ideas,
    stance_counts,
    support_exists,
)
from faireavec.contributions.services import (
    comment_create,
    comment_report,
    contribution_create,
    contribution_report,
    contribution_support,
    contribution_unsupport,
    follow_up_code_email,
)
from faireavec.core.forms import add_service_errors, posted_data, posted_files
from faireavec.core.permissions import permission_required, require_perm
from faireavec.core.ratelimit import Limit, rate_limit_count, rate_limit_hit, rate_limit_reached
from faireavec.core.submissions import AlreadySubmitted, submit_once
from faireavec.organisations.selectors import charter_to_accept
from faireavec.organisations.tenancy import open_to_non_members

PAGE_SIZE = 20
# The codes this browser just received: only they may be emailed from here.
SESSION_NEW_CODES = "contributions:new_codes"

# A whole hall may share one address (the association's wifi): limits are generous.
CONTRIBUTION_POST = Limit("contribution_post", 20, 600)
PUBLIC_POST = Limit("public_post", 60, 600)
# Only wrong follow-up codes count, and a right code always answers: a hall on
# one wifi where some mistype is never locked out of its own follow-ups. The
# codes' entropy (10 letters out of 31) makes guessing hopeless; the limit only
# slows floods of wrong codes.
FOLLOW_UP_MISS = Limit("follow_up_miss", 30, 900)
# « Receive this code by email »: a few per visitor, and a few per contribution.
FOLLOW_UP_EMAIL = Limit("follow_up_email", 10, 3600)
# Emails actually sent for one code, whoever asks (counted after each one).
FOLLOW_UP_EMAIL_PER_CODE = Limit("follow_up_email_code", 3, 3600)
FIGURES_CACHE_SECONDS = 300


def _is_outsider(request: HttpRequest) -> bool:
    """A non-member of a private organisation (let in by `open_to_non_members`)."""
    return request.organisation.is_private and request.membership is None


def _outsider_rule(request: HttpRequest, perm: str) -> None:
    """Giving and following an opinion are open to outsiders of a private
    organisation only where it accepts anonymous contributions; otherwise, as on
    every other page of that organisation, they get a 404 (never a hint that it exists)."""
    if not request.user.has_perm(perm, request.organisation):
        raise Http404


def _session_key(request: HttpRequest) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key


def _too_many(request: HttpRequest) -> None:
    messages.error(
        request,
        _("You sent many messages in a short time. Please wait a few minutes and try again."),
    )


def _refused(request: HttpRequest, form, limit) -> int | None:
    """Refuse a public form posted too often from one address, or with its
    honeypot filled: the reason goes on the form, the status is returned."""
    if rate_limit_hit(limit, request):
        form.add_error(
            None,
            _("You sent many messages in a short time. Please wait a few minutes and try again."),
        )
        return 429
    if form.is_spam:
        form.add_error(None, _("Your message could not be sent. Please try again."))
        return 400
    return None


def _show_new_code(request: HttpRequest, contribution: Contribution) -> HttpResponse:
    """After a contribution: its follow-up page, which this browser may have the
    code emailed from (the last five codes it sent are remembered). The page's
    title thanks the person: no message above it, so that the code stays in the
    first screen of a small phone."""
    new_codes = request.session.get(SESSION_NEW_CODES, [])[-4:]
    request.session[SESSION_NEW_CODES] = [*new_codes, contribution.follow_up_code]
    url = reverse(
        "contributions:followup_detail",
        kwargs={
            "org_slug": request.organisation.slug,
            "contribution_follow_up_code": contribution.follow_up_code,
        },
    )
    return redirect(url + "?nouveau=1")


@open_to_non_members
@require_http_methods(["GET", "POST"])
def contribution_create_view(request: HttpRequest) -> HttpResponse:
    """« Donner mon avis »: one page, three choices, no account needed where allowed."""
    organisation = request.organisation
    _outsider_rule(request, "contributions.add_contribution")
    outsider = _is_outsider(request)
    if not request.user.is_authenticated and not organisation.allow_anonymous_contributions:
        return redirect_to_login(request.get_full_path())
    if charter_to_accept(request=request, organisation=organisation) is not None:
        url = reverse("organisations:charter_accept", kwargs={"org_slug": organisation.slug})
        return redirect(f"{url}?{urlencode({'next': request.path})}")
    # In a private organisation a non-member's contribution is anonymous.
    signed_in = request.user.is_authenticated and not outsider
    form = ContributionForm(
        posted_data(request),
        posted_files(request),
        organisation=organisation,
        signed_in=signed_in,
    )
    status = 200
    if request.method == "POST":
        refused = _refused(request, form, CONTRIBUTION_POST)
        if refused:
            status = refused
        elif form.is_valid():
            data = form.cleaned_data
            try:
                contribution = submit_once(
                    request,
                    lambda: contribution_create(
                        organisation=organisation,
                        kind=data["kind"],
                        title=data["title"],
                        body=data["body"],
                        site=data.get("site"),
                        photo=data.get("photo"),
                        author=request.user if signed_in else None,
                        show_author_name=data.get("show_author_name", False),
                    ),
                    result_url=Contribution.get_absolute_url,
                )
            except AlreadySubmitted as done:
                return done.response(request)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return _show_new_code(request, contribution)
        if form.errors and status == 200:
            status = 400
    return render(
        request,
        "contributions/contribution_create.html",
        {"form": form, "signed_in": signed_in},
        status=status,
    )


def _not_found(request: HttpRequest, form: FollowUpLookupForm) -> HttpResponse:
    """The answer to a wrong code: « not found », or once this address typed too
    many wrong codes, « wait » (429). The form stays: a right code still works."""
    blocked = rate_limit_hit(FOLLOW_UP_MISS, request)
    form.add_error(
        "code",
        _("We found nothing with this code. Check each letter and try again."),
    )
    return render(
        request,
        "contributions/followup_lookup.html",
        {"form": form, "blocked": blocked},
        status=429 if blocked else 404,
    )


@open_to_non_members
@require_GET
def followup_lookup(request: HttpRequest) -> HttpResponse:
    """Type a follow-up code to see what became of a contribution."""
    _outsider_rule(request, "contributions.follow_contribution")
    if "code" not in request.GET:
        return render(request, "contributions/followup_lookup.html", {"form": FollowUpLookupForm()})
    form = FollowUpLookupForm(request.GET)
    if not form.is_valid():
        # An empty field: one message saying what to type; it is not a wrong code.
        return render(request, "contributions/followup_lookup.html", {"form": form}, status=400)
    contribution = contribution_get_by_code(
        organisation=request.organisation, code=form.cleaned_data["code"]
    )
    if contribution is not None:
        return redirect(contribution.get_absolute_url())
    # Same answer for any wrong code, well-formed or not; each miss counts.
    return _not_found(request, form)


def _followed(request: HttpRequest, code: str) -> Contribution | HttpResponse:
    """The contribution behind a code in the URL, or the page to answer instead
    (the outsider rule, the rate limit, the same « not found » for any wrong code)."""
    _outsider_rule(request, "contributions.follow_contribution")
    contribution = contribution_get_by_code(organisation=request.organisation, code=code)
    if contribution is None:
        return _not_found(request, FollowUpLookupForm({"code": code}))
    return contribution


def _followup_page(
    request: HttpRequest, contribution: Contribution, *, email_form=None, status: int = 200
) -> HttpResponse:
    is_new = request.GET.get("nouveau") == "1" or email_form is not None
    can_email = contribution.follow_up_code in request.session.get(SESSION_NEW_CODES, [])
    return render(
        request,
        "contributions/contribution_followup.html",
        {
            "contribution": contribution,
            "history": contribution_public_history(contribution=contribution),
            "follow_up_url": request.build_absolute_uri(contribution.get_absolute_url()),
            "is_new": is_new,
            "email_form": (email_form or FollowUpEmailForm()) if is_new and can_email else None,
        },
        status=status,
    )


@open_to_non_members
@require_GET
def followup_detail(request: HttpRequest, contribution_follow_up_code: str) -> HttpResponse:
    """What became of a contribution: its status, the public history and the answer.
    Just after sending (`?nouveau=1`) it is the confirmation page: the code first."""
    contribution = _followed(request, contribution_follow_up_code)
    if isinstance(contribution, HttpResponse):
        return contribution
    return _followup_page(request, contribution)


@open_to_non_members
@require_GET
def followup_receipt(request: HttpRequest, contribution_follow_up_code: str) -> HttpResponse:
    """A page to print (no JavaScript needed): the code, where to type it, the date."""
    contribution = _followed(request, contribution_follow_up_code)
    if isinstance(contribution, HttpResponse):
        return contribution
    return render(
        request,
        "contributions/followup_receipt.html",
        {
            "contribution": contribution,
            "lookup_url": request.build_absolute_uri(
                reverse(
                    "contributions:followup_lookup",
                    kwargs={"org_slug": request.organisation.slug},
                )
            ),
            "follow_up_url": request.build_absolute_uri(contribution.get_absolute_url()),
        },
    )


@open_to_non_members
@require_POST
def followup_email(request: HttpRequest, contribution_follow_up_code: str) -> HttpResponse:
    """« Receive this code by email », offered on the confirmation page to the browser
    that just sent the contribution. The address is not kept (see the service)."""
    contribution = _followed(request, contribution_follow_up_code)
    if isinstance(contribution, HttpResponse):
        return contribution
    if contribution.follow_up_code not in request.session.get(SESSION_NEW_CODES, []):
        raise Http404
    form = FollowUpEmailForm(request.POST)
    per_code = f"contribution:{contribution.pk}"
    if rate_limit_hit(FOLLOW_UP_EMAIL, request) or rate_limit_reached(
        FOLLOW_UP_EMAIL_PER_CODE, request, key=per_code
    ):
        form.add_error(
            None,
            _("You asked for many emails in a short time. Please write your code down instead."),
        )
        return _followup_page(request, contribution, email_form=form, status=429)
    if form.is_spam:
        form.add_error(None, _("Your message could not be sent. Please try again."))
        return _followup_page(request, contribution, email_form=form, status=400)
    if not form.is_valid():
        return _followup_page(request, contribution, email_form=form, status=400)
    try:
        follow_up_code_email(
            contribution=contribution,
            email=form.cleaned_data["email"],
            follow_up_url=request.build_absolute_uri(contribution.get_absolute_url()),
        )
    except OSError:
        form.add_error(
            None,
            _("We could not send the email just now. Please write your code down instead."),
        )
        return _followup_page(request, contribution, email_form=form, status=503)
    rate_limit_count(FOLLOW_UP_EMAIL_PER_CODE, request, key=per_code)
    messages.success(
        request, _("We sent your code to the address you gave. We did not keep the address.")
    )
    return redirect(contribution.get_absolute_url() + "?nouveau=1")


@require_GET
def contribution_mine(request: HttpRequest) -> HttpResponse:
    """« Mes contributions »: everything the signed-in person said to this organisation."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    contributions = contributions_of_author(user=request.user, organisation=request.organisation)
    page = Paginator(contributions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "contributions/contribution_mine.html",
        {"page_obj": page, "contributions": page.object_list},
    )


@permission_required("contributions.view_public_contributions")
@require_GET
def said_done(request: HttpRequest) -> HttpResponse:
    """« Vous avez dit, nous avons fait »: answered contributions and the figures
    that show the organisation listens. Query count does not depend on how many
    contributions there are."""
    organisation = request.organisation
    form = SaidDoneFilterForm(
        request.GET or None,
        organisation=organisation,
        years=answered_years(organisation=organisation),
        kinds=answered_kinds(organisation=organisation),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    site = filters.get("site")
    contributions = contributions_listed_for(
        contributions_answered_public(
            organisation=organisation,
            kind=filters.get("kind") or "",
            site=site.pk if site else None,
            year=filters.get("year"),
        ),
        user=request.user,
        organisation=organisation,
    )
    page = Paginator(contributions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "contributions/contribution_saiddone.html",
        {
            "form": form,
            "page_obj": page,
            "contributions": page.object_list,
            # The figures change slowly: computed at most every few minutes per organisation.
            "figures": cache.get_or_set(
                f"contributions:figures:{organisation.pk}",
                lambda: listening_figures(organisation=organisation),
                FIGURES_CACHE_SECONDS,
            ),
        },
    )


@permission_required("contributions.view_public_contributions")
@require_GET
def idea_list(request: HttpRequest) -> HttpResponse:
    ideas = contributions_listed_for(
        public_ideas(organisation=request.organisation),
        user=request.user,
        organisation=request.organisation,
    )
    page = Paginator(ideas, PAGE_SIZE).get_page(request.GET.get("page"))
    supported = set()
    if request.user.is_authenticated:
        supported = set(
            request.user.contribution_supports.filter(
                contribution__in=[c.pk for c in page.object_list]
            ).values_list("contribution_id", flat=True)
        )
    ideas = list(page.object_list)
    counts = comment_counts(contributions=ideas)
    for idea in ideas:
        idea.comment_count = counts.get(idea.pk, 0)
    return render(
        request,
        "contributions/idea_list.html",
        {"page_obj": page, "ideas": ideas, "supported": supported},
    )


def _idea_or_404(request: HttpRequest, contribution_pk: int) -> tuple[Contribution, bool]:
    """The public idea, and whether it is only a preview for the organisation's facilitators."""
    contribution = contribution_get(organisation=request.organisation, pk=contribution_pk)
    if contribution is None:
        raise Http404
    visible = (
        contribution.kind in IDEA_KINDS and contribution.is_public and not contribution.is_hidden
    )
    if visible and contribution_open_for(
        user=request.user, contribution=contribution, action="view"
    ):
        return contribution, False
    if request.user.has_perm("contributions.manage_contribution", request.organisation):
        return contribution, True
    raise Http404


def _idea_context(request: HttpRequest, contribution: Contribution, preview: bool) -> dict:
    manager = request.user.has_perm("contributions.manage_contribution", request.organisation)
    user = request.user
    return {
        "contribution": contribution,
        "preview": preview,
        "comments": (
            idea_all_comments(contribution=contribution)
            if manager
            else idea_visible_comments(contribution=contribution)
        ),
        "stances": stance_counts(contributions=[contribution])[contribution.pk],
        "contribution_includes": contribution_includes(user=user, contribution=contribution),
        "supported": support_exists(contribution=contribution, user=request.user),
        "comment_form": CommentForm(),
        # The first time, people without a display name choose one (or keep the neutral label).
        "name_form": (
            DisplayNameForm()
            if request.user.is_authenticated and not request.user.display_name
            else None
        ),
        "can_support": (
            user.has_perm("contributions.support_contribution", request.organisation)
            and contribution_open_for(user=user, contribution=contribution, action="support")
        ),
        "can_comment": (
            user.has_perm("contributions.add_comment", request.organisation)
            and contribution_open_for(user=user, contribution=contribution, action="comment")
        ),
    }


@permission_required("contributions.view_public_contributions")
@require_GET
def idea_detail(request: HttpRequest, contribution_pk: int) -> HttpResponse:
    contribution, preview = _idea_or_404(request, contribution_pk)
    return render(
        request, "contributions/idea_detail.html", _idea_context(request, contribution, preview)
    )


def _visible_idea_for_action(request: HttpRequest, contribution_pk: int) -> Contribution:
    contribution, preview = _idea_or_404(request, contribution_pk)
    if preview:
        raise Http404
    return contribution


@permission_required("contributions.support_contribution")
@require_POST
def idea_support(request: HttpRequest, contribution_pk: int) -> HttpResponse:
    """Support an idea (or withdraw one's support). One support per person."""
    contribution = _visible_idea_for_action(request, contribution_pk)
    status = 200
    try:
        if rate_limit_hit(PUBLIC_POST, request):
            _too_many(request)
        elif "withdraw" in request.POST:
            if contribution_unsupport(user=request.user, contribution=contribution):
                messages.success(request, _("Your support is withdrawn."))
        elif contribution_support(user=request.user, contribution=contribution):
            messages.success(request, _("Thank you for your support!"))
        else:
            messages.info(request, _("You already support this idea."))
    except ValidationError as exc:
        # Supports closed meanwhile (the phase of an initiative ended): said, not a 500.
        messages.error(request, " ".join(exc.messages))
        status = 400
    if request.htmx:
        contribution.refresh_from_db(fields=["support_count"])
        context = _idea_context(request, contribution, False)
        # The outcome goes into the swapped fragment (and is announced there),
        # not left in the session to surprise the person on their next page.
        context["feedback"] = " ".join(str(m) for m in messages.get_messages(request))
        return render(request, "contributions/idea_detail.html#support", context, status=status)
    return redirect(
        "contributions:idea_detail",
        org_slug=request.organisation.slug,
        contribution_pk=contribution.pk,
    )


@permission_required("contributions.add_comment")
@require_POST
def idea_comment(request: HttpRequest, contribution_pk: int) -> HttpResponse:
    contribution = _visible_idea_for_action(request, contribution_pk)
    form = CommentForm(request.POST)
    name_form = DisplayNameForm(request.POST) if not request.user.display_name else None
    if rate_limit_hit(PUBLIC_POST, request):
        _too_many(request)
    elif form.is_spam:
        messages.error(request, _("Your message could not be sent. Please try again."))
    elif form.is_valid() and (name_form is None or name_form.is_valid()):
        try:
            if name_form is not None and name_form.cleaned_data["display_name"].strip():
                user_set_display_name(
                    user=request.user, display_name=name_form.cleaned_data["display_name"]
                )
            submit_once(
                request,
                lambda: comment_create(
                    author=request.user,
                    contribution=contribution,
                    body=form.cleaned_data["body"],
                    stance=form.cleaned_data["stance"],
                ),
                result_url=lambda comment: reverse(
                    "contributions:idea_detail",
                    kwargs={
                        "org_slug": request.organisation.slug,
                        "contribution_pk": contribution.pk,
                    },
                ),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your comment is published."))
            return redirect(
                "contributions:idea_detail",
                org_slug=request.organisation.slug,
                contribution_pk=contribution.pk,
            )
    context = _idea_context(request, contribution, False)
    context["comment_form"] = form
    if context["name_form"] is not None and name_form is not None:
        context["name_form"] = name_form
    return render(request, "contributions/idea_detail.html", context, status=400)


def _report_view(request: HttpRequest, *, contribution: Contribution, comment=None) -> HttpResponse:
    form = ReportForm(posted_data(request))
    back = reverse(
        "contributions:idea_detail",
        kwargs={"org_slug": request.organisation.slug, "contribution_pk": contribution.pk},
    )
    status = 200
    if request.method == "POST":
        refused = _refused(request, form, PUBLIC_POST)
        if refused:
            status = refused
        elif form.is_valid():
            reporter = {
                "user": request.user if request.user.is_authenticated else None,
                "session_key": "" if request.user.is_authenticated else _session_key(request),
                "reason": form.cleaned_data["reason"],
            }
            if comment is None:
                new = contribution_report(contribution=contribution, **reporter)
            else:
                new = comment_report(comment=comment, **reporter)
            if new:
                messages.success(request, _("Thank you: a facilitator will look at it."))
            else:
                messages.info(request, _("You had already reported it. Thank you."))
            return redirect(back)
        else:
            status = 400
    return render(
        request,
        "contributions/report_form.html",
        {"form": form, "contribution": contribution, "comment": comment, "back": back},
        status=status,
    )


@permission_required("contributions.report_contribution")
@require_http_methods(["GET", "POST"])
def idea_report(request: HttpRequest, contribution_pk: int) -> HttpResponse:
    contribution, preview = _idea_or_404(request, contribution_pk)
    if preview and request.method == "POST":
        raise Http404
    return _report_view(request, contribution=contribution)


@permission_required("contributions.report_contribution")
@require_http_methods(["GET", "POST"])
def comment_report_view(request: HttpRequest, comment_pk: int) -> HttpResponse:
    comment = comment_get(organisation=request.organisation, pk=comment_pk)
    if comment is None:
        raise Http404
    contribution, preview = _idea_or_404(request, comment.contribution_id)
    manager = request.user.has_perm("contributions.manage_contribution", request.organisation)
    if (comment.is_hidden and not manager) or (preview and request.method == "POST"):
        raise Http404
    require_perm(request, "contributions.report_contribution")
    return _report_view(request, contribution=contribution, comment=comment)
