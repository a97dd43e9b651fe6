"""Members' pages of assemblies: the agenda, voting online for oneself and for the
people one represents, giving a proxy, results, the published ballots, the
minutes and the assembly's log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from faireavec.core.forms import add_service_errors, posted_data
from faireavec.core.permissions import permission_required, require_perm
from faireavec.governance.chain import chain_verify
from faireavec.governance.forms import BallotForm, ProxyForm, TrackerSearchForm
from faireavec.governance.models import Assembly, Proxy, VoteRecord
from faireavec.governance.selectors import (
    assemblies_for_members,
    assembly_get,
    assembly_log,
    assembly_tallies,
    ballots_published,
    quorum_live,
    voter_by_number,
    voter_of_user,
    voting_rights,
)
from faireavec.governance.services import AlreadyVoted, ballots_cast, proxy_give
from faireavec.governance.views.assemblies import minutes_pdf_response

PAGE_SIZE = 100


def _member_assembly_or_404(request: HttpRequest, assembly_pk: int) -> Assembly:
    """A convened or closed assembly of this organisation (not one in preparation)."""
    assembly = assembly_get(organisation=request.organisation, pk=assembly_pk)
    if assembly is None or assembly.status == Assembly.Status.DRAFT:
        raise Http404
    return assembly


@permission_required("governance.view_assemblies")
def assembly_list_public(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "governance/assembly_list_public.html",
        {"assemblies": assemblies_for_members(organisation=request.organisation)},
    )


@permission_required("governance.view_assemblies")
def assembly_public(request: HttpRequest, assembly_pk: int) -> HttpResponse:
    assembly = _member_assembly_or_404(request, assembly_pk)
    voter = voter_of_user(assembly=assembly, user=request.user)
    rights = voting_rights(assembly=assembly, voter=voter) if voter else None
    resolutions = list(assembly.resolutions.all())
    to_vote = 0
    if rights and assembly.is_open_for_votes:
        people = ([voter] if rights.for_self else []) + rights.represented
        to_vote = sum(1 for p in people for r in resolutions if r.pk not in rights.voted[p.pk])
    proxy = (
        Proxy.objects.filter(giver=voter).select_related("holder__member").first()
        if voter
        else None
    )
    return render(
        request,
        "governance/assembly_public.html",
        {
            "assembly": assembly,
            "resolutions": resolutions,
            "voter": voter,
            "rights": rights,
            "proxy": proxy,
            "to_vote": to_vote,
            "quorum": quorum_live(assembly=assembly),
            "tallies": assembly_tallies(assembly=assembly) if assembly.is_closed else [],
            "can_vote": voter is not None
            and request.user.has_perm("governance.vote_assembly", assembly),
        },
    )


@permission_required("governance.view_assemblies")
@require_http_methods(["GET", "POST"])
def assembly_vote(request: HttpRequest, assembly_pk: int) -> HttpResponse:
    """One form per person the member votes for (themselves first, then each person
    they represent). The trackers are shown once, on the answer to the POST, and
    kept nowhere that names the voter."""
    assembly = _member_assembly_or_404(request, assembly_pk)
    voter = voter_of_user(assembly=assembly, user=request.user)
    if voter is None:
        raise Http404
    if not assembly.is_open_for_votes:
        messages.info(request, _("Voting is closed for this assembly."))
        return redirect(assembly.get_public_url())
    require_perm(request, "governance.vote_assembly", assembly)
    rights = voting_rights(assembly=assembly, voter=voter)
    resolutions = list(assembly.resolutions.all())
    people = ([voter] if rights.for_self else []) + rights.represented
    posted_for = request.POST.get("pour", "") if request.method == "POST" else ""
    forms = []
    receipts = None
    receipt_for = None
    for person in people:
        open_resolutions = [r for r in resolutions if r.pk not in rights.voted[person.pk]]
        is_posted = posted_for == person.member.number
        form = BallotForm(
            request.POST if is_posted else None,
            resolutions=open_resolutions,
            prefix=f"m{person.pk}",
        )
        if is_posted and form.is_valid():
            try:
                receipts = ballots_cast(
                    assembly=assembly,
                    voter=person,
                    acted_by=voter,
                    choices=form.choices_of(),
                    channel=VoteRecord.Channel.ONLINE
                    if person.pk == voter.pk
                    else VoteRecord.Channel.PROXY,
                    recorded_by=request.user,
                )
            except AlreadyVoted as exc:
                add_service_errors(form, exc)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                receipt_for = person
        forms.append((person, form, open_resolutions))
    if (
        request.method == "POST"
        and posted_for
        and not any(p.member.number == posted_for for p in people)
    ):
        messages.error(request, _("You cannot vote for this member."))
        return redirect(
            "governance:assembly_vote", org_slug=request.organisation.slug, assembly_pk=assembly.pk
        )
    if receipts is not None:
        return render(
            request,
            "governance/vote_receipt.html",
            {"assembly": assembly, "receipts": receipts, "person": receipt_for, "voter": voter},
        )
    return render(
        request,
        "governance/assembly_vote.html",
        {"assembly": assembly, "voter": voter, "forms": forms, "rights": rights},
    )


@permission_required("governance.view_assemblies")
@require_http_methods(["GET", "POST"])
def assembly_proxy(request: HttpRequest, assembly_pk: int) -> HttpResponse:
    assembly = _member_assembly_or_404(request, assembly_pk)
    voter = voter_of_user(assembly=assembly, user=request.user)
    if voter is None:
        raise Http404
    if not assembly.is_open_for_votes:
        messages.info(request, _("Proxies are given between the convocation and the close."))
        return redirect(assembly.get_public_url())
    require_perm(request, "governance.vote_assembly", assembly)
    existing = Proxy.objects.filter(giver=voter).select_related("holder__member").first()
    form = ProxyForm(posted_data(request))
    if request.method == "POST" and existing is None and form.is_valid():
        holder = None
        try:
            if not form.cleaned_data["to_chair"]:
                holder = voter_by_number(
                    assembly=assembly, number=form.cleaned_data["holder_number"]
                )
                if holder is None:
                    raise ValidationError(
                        {"holder_number": _("No voter of this assembly has this number.")}
                    )
            proxy_give(
                actor=request.user,
                assembly=assembly,
                giver=voter,
                holder=holder,
                to_chair=form.cleaned_data["to_chair"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, fields={"holder": "holder_number"})
        else:
            messages.success(request, _("Your proxy is recorded: you will be represented."))
            return redirect(assembly.get_public_url())
    return render(
        request,
        "governance/assembly_proxy.html",
        {"assembly": assembly, "voter": voter, "form": form, "existing": existing},
    )


@permission_required("governance.view_assemblies")
def ballot_list(request: HttpRequest, assembly_pk: int) -> HttpResponse:
    """The published ballots after the close: tracker, resolution, college, choice."""
    assembly = _member_assembly_or_404(request, assembly_pk)
    search = TrackerSearchForm(request.GET or None)
    tracker = search.cleaned_data["tracker"] if search.is_bound and search.is_valid() else ""
    page_obj = None
    if assembly.is_closed:
        page_obj = Paginator(
            ballots_published(assembly=assembly, tracker=tracker), PAGE_SIZE
        ).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/ballot_list.html",
        {"assembly": assembly, "search": search, "tracker": tracker, "page_obj": page_obj},
    )


@permission_required("governance.view_assemblies")
def assembly_log_public(request: HttpRequest, assembly_pk: int) -> HttpResponse:
    assembly = _member_assembly_or_404(request, assembly_pk)
    return render(
        request,
        "governance/assembly_log.html",
        {
            "assembly": assembly,
            "entries": assembly_log(assembly=assembly),
            "check": chain_verify(assembly=assembly),
        },
    )


@permission_required("governance.view_assemblies")
def minutes_pdf(request: HttpRequest, assembly_pk: int) -> HttpResponse:
    """The minutes as PDF: for members once published; the team can read a draft after the close."""
    assembly = _member_assembly_or_404(request, assembly_pk)
    if not assembly.is_closed:
        raise Http404
    if not (
        request.user.has_perm("governance.view_minutes", assembly)
        or request.user.has_perm("governance.manage_assembly", request.organisation)
    ):
        raise Http404
    return minutes_pdf_response(assembly)
