"""Public pages: the organisation's initiatives, and each one's page with its
involvement level explained, its phases on a timeline, what the apps above attach
to it, its proposals (with their supports, comments by stance and outcome),
following it, and its closing report (page and PDF)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from faireavec.contributions.selectors import stance_counts
from faireavec.contributions.views.public import (
    CONTRIBUTION_POST,
    PUBLIC_POST,
    SESSION_NEW_CODES,
)
from faireavec.core.forms import add_service_errors, posted_data
from faireavec.core.navigation import initiative_includes
from faireavec.core.pdf import pdf_response, render_pdf
from faireavec.core.permissions import permission_required, require_perm
from faireavec.core.ratelimit import rate_limit_hit
from faireavec.core.submissions import AlreadySubmitted, submit_once
from faireavec.organisations.selectors import charter_to_accept
from faireavec.processes.forms import ProposalForm
from faireavec.processes.models import Initiative, local_date
from faireavec.processes.selectors import (
    follow_exists,
    initiative_allows,
    initiative_get,
    initiative_proposals,
    initiative_proposals_answered,
    initiatives_visible,
    phase_current,
    phases_of_initiative,
    proposal_figures_cached,
)
from faireavec.processes.services import initiative_follow, initiative_unfollow, proposal_create

PAGE_SIZE = 20
# The closing report lists this many answered proposals (most supported first);
# the others are on the initiative's page.
REPORT_PROPOSALS = 100


def visible_initiative_or_404(request: HttpRequest, initiative_pk: int) -> Initiative:
    """An initiative of this organisation the person may read; anything else is "not found"
    (a draft, another audience's initiative), so its existence does not leak."""
    initiative = initiative_get(organisation=request.organisation, pk=initiative_pk)
    if initiative is None or not request.user.has_perm("processes.view_initiative", initiative):
        raise Http404
    return initiative


def _with_stances(proposals) -> list:
    proposals = list(proposals)
    counts = stance_counts(contributions=proposals)
    for proposal in proposals:
        proposal.stances = counts[proposal.pk]
        proposal.comment_count = sum(proposal.stances.values())
    return proposals


def _phases(initiative: Initiative):
    phases = phases_of_initiative(initiative=initiative)
    initiative._phases_in_order = phases
    return phases


@permission_required("processes.view_initiative")
def initiative_list_public(request: HttpRequest) -> HttpResponse:
    """The initiatives open to the person, running ones first."""
    initiatives = initiatives_visible(organisation=request.organisation, user=request.user)
    page_obj = Paginator(initiatives, PAGE_SIZE).get_page(request.GET.get("page"))
    today = local_date()
    for initiative in page_obj.object_list:
        initiative.current_phase = phase_current(initiative=initiative, when=today)
    return render(
        request,
        "processes/initiative_list_public.html",
        {"page_obj": page_obj, "initiatives": page_obj.object_list},
    )


@permission_required("processes.view_initiative")
@require_GET
def initiative_detail(request: HttpRequest, initiative_pk: int) -> HttpResponse:
    """The initiative: why, the decision shared, the phases, then what was said
    (proposals, most supported first, a page at a time), decided and done."""
    initiative = visible_initiative_or_404(request, initiative_pk)
    today = local_date()
    phases = _phases(initiative)
    current = phase_current(initiative=initiative, when=today)
    figures = proposal_figures_cached(initiative=initiative)
    paginator = Paginator(initiative_proposals(initiative=initiative), PAGE_SIZE)
    # The figures counted the same proposals: no second count of them all.
    paginator.count = figures.proposals
    page_obj = paginator.get_page(request.GET.get("page"))
    user = request.user
    return render(
        request,
        "processes/initiative_detail.html",
        {
            "initiative": initiative,
            "phases": phases,
            "current_phase": current,
            "today": today,
            "figures": figures,
            "page_obj": page_obj,
            "proposals": _with_stances(page_obj.object_list),
            "can_propose": user.has_perm("processes.propose_in_initiative", initiative),
            "can_follow": user.has_perm("processes.follow_initiative", initiative),
            "following": follow_exists(initiative=initiative, user=user),
            "initiative_includes": initiative_includes(user=user, initiative=initiative),
        },
    )


@permission_required("processes.view_initiative")
@require_http_methods(["GET", "POST"])
def proposal_create_view(request: HttpRequest, initiative_pk: int) -> HttpResponse:
    """Make a proposal, while the running phase allows it. Without an account only in
    an initiative open to everyone of a public organisation (nothing about the
    person is kept, as in the idea box)."""
    initiative = visible_initiative_or_404(request, initiative_pk)
    organisation = request.organisation
    if not request.user.has_perm("processes.propose_in_initiative", initiative):
        if not request.user.is_authenticated and initiative_allows(
            initiative=initiative, action="propose"
        ):
            return redirect_to_login(request.get_full_path())
        messages.error(request, _("Proposals are closed in this initiative at this stage."))
        return redirect(initiative.get_absolute_url())
    if charter_to_accept(request=request, organisation=organisation) is not None:
        url = reverse("organisations:charter_accept", kwargs={"org_slug": organisation.slug})
        return redirect(f"{url}?{urlencode({'next': request.path})}")
    signed_in = request.user.is_authenticated
    form = ProposalForm(posted_data(request), signed_in=signed_in)
    status = 200
    if request.method == "POST":
        if rate_limit_hit(CONTRIBUTION_POST, request):
            form.add_error(
                None,
                _(
                    "You sent many messages in a short time. Please wait a few minutes and "
                    "try again."
                ),
            )
            status = 429
        elif form.is_spam:
            form.add_error(None, _("Your message could not be sent. Please try again."))
            status = 400
        elif form.is_valid():
            data = form.cleaned_data
            try:
                link = submit_once(
                    request,
                    lambda: proposal_create(
                        initiative=initiative,
                        title=data["title"],
                        body=data["body"],
                        author=request.user if signed_in else None,
                        show_author_name=data.get("show_author_name", False),
                    ),
                    result_url=lambda link: link.contribution.get_absolute_url(),
                )
            except AlreadySubmitted as done:
                return done.response(request)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                # As after « Donner mon avis »: the follow-up code's page thanks the
                # person, and this browser may have the code emailed.
                code = link.contribution.follow_up_code
                new_codes = request.session.get(SESSION_NEW_CODES, [])[-4:]
                request.session[SESSION_NEW_CODES] = [*new_codes, code]
                return redirect(link.contribution.get_absolute_url() + "?nouveau=1")
        if form.errors and status == 200:
            status = 400
    return render(
        request,
        "processes/proposal_create.html",
        {"form": form, "initiative": initiative, "signed_in": signed_in},
        status=status,
    )


@permission_required("processes.view_initiative")
@require_POST
def initiative_follow_view(request: HttpRequest, initiative_pk: int) -> HttpResponse:
    """Follow the initiative (or stop): a plain form, then back to its page."""
    initiative = visible_initiative_or_404(request, initiative_pk)
    if not request.user.is_authenticated:
        return redirect_to_login(initiative.get_absolute_url())
    require_perm(request, "processes.follow_initiative", initiative)
    if rate_limit_hit(PUBLIC_POST, request):
        messages.error(
            request,
            _("You sent many messages in a short time. Please wait a few minutes and try again."),
        )
    elif "stop" in request.POST:
        initiative_unfollow(user=request.user, initiative=initiative)
        messages.success(request, _("You no longer follow this initiative."))
    else:
        initiative_follow(user=request.user, initiative=initiative)
        messages.success(
            request,
            _(
                "You follow this initiative: we will tell you when a phase starts and when "
                "your proposals get an answer."
            ),
        )
    return redirect(initiative.get_absolute_url() + "#follow")


def _report_context(request: HttpRequest, initiative: Initiative) -> dict:
    return {
        "initiative": initiative,
        "organisation": request.organisation,
        "phases": _phases(initiative),
        "today": local_date(),
        "figures": proposal_figures_cached(initiative=initiative),
        "answered": _with_stances(
            initiative_proposals_answered(initiative=initiative)[:REPORT_PROPOSALS]
        ),
        "report_limit": REPORT_PROPOSALS,
    }


@permission_required("processes.view_initiative")
@require_GET
def initiative_report(request: HttpRequest, initiative_pk: int) -> HttpResponse:
    """The closing report: the commitments, the timeline, what was said, decided and done."""
    initiative = visible_initiative_or_404(request, initiative_pk)
    return render(request, "processes/initiative_report.html", _report_context(request, initiative))


@permission_required("processes.view_initiative")
@require_GET
def initiative_report_pdf(request: HttpRequest, initiative_pk: int) -> HttpResponse:
    initiative = visible_initiative_or_404(request, initiative_pk)
    content = render_pdf(
        template_name="processes/initiative_report_pdf.html",
        context=_report_context(request, initiative),
        large_print=request.GET.get("gros") == "1",
    )
    return pdf_response(content=content, filename=f"bilan-{initiative.slug}.pdf")
