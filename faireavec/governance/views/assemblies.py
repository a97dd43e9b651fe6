"""Back office of assemblies: agenda, convocation, the bureau (attendance, paper
and postal votes, paper proxies), the close, the tally and the minutes."""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from faireavec.core.forms import add_service_errors, posted_data
from faireavec.core.pdf import pdf_response, render_pdf
from faireavec.core.permissions import permission_required
from faireavec.core.submissions import AlreadySubmitted, submit_once
from faireavec.governance.chain import chain_verify
from faireavec.governance.forms import (
    AssemblyForm,
    AttendanceForm,
    MinutesForm,
    PaperBallotForm,
    PaperProxyForm,
    ResolutionForm,
    VoterSearchForm,
)
from faireavec.governance.models import Assembly, Proxy, Resolution, Voter
from faireavec.governance.selectors import (
    assemblies_of,
    assembly_get,
    assembly_tallies,
    proxies_of,
    quorum_live,
    resolution_get,
    statutes_of,
    vote_counts,
    voter_by_number,
    voting_rights,
)
from faireavec.governance.services import (
    assembly_close,
    assembly_convene,
    assembly_save,
    assembly_set_chair,
    attendance_set,
    minutes_publish,
    notice_days_required,
    paper_vote_record,
    proxy_give,
    quorum_required,
    resolution_delete,
    resolution_save,
)


def _assembly_or_404(request: HttpRequest, assembly_pk: int) -> Assembly:
    assembly = assembly_get(organisation=request.organisation, pk=assembly_pk)
    if assembly is None:
        raise Http404
    return assembly


def _detail_url(assembly: Assembly) -> str:
    return reverse(
        "governance:assembly_detail",
        kwargs={"org_slug": assembly.organisation.slug, "assembly_pk": assembly.pk},
    )


@permission_required("governance.view_assembly")
def assembly_list(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    return render(
        request,
        "governance/assembly_list.html",
        {
            "assemblies": assemblies_of(organisation=organisation),
            "can_manage": request.user.has_perm("governance.manage_assembly", organisation),
        },
    )


@permission_required("governance.manage_assembly")
@require_http_methods(["GET", "POST"])
def assembly_create(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = AssemblyForm(posted_data(request), instance=Assembly(organisation=organisation))
    if request.method == "POST" and form.is_valid():
        try:
            assembly = submit_once(
                request,
                lambda: assembly_save(actor=request.user, assembly=form.instance, is_new=True),
                result_url=_detail_url,
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The assembly is created: now write its agenda."))
            return redirect(_detail_url(assembly))
    return render(request, "governance/assembly_form.html", {"form": form, "assembly": None})


@permission_required("governance.manage_assembly")
@require_http_methods(["GET", "POST"])
def assembly_edit(request: HttpRequest, assembly_pk: int) -> HttpResponse:
    assembly = _assembly_or_404(request, assembly_pk)
    form = AssemblyForm(posted_data(request), instance=copy.copy(assembly))
    if request.method == "POST" and form.is_valid():
        try:
            assembly_save(actor=request.user, assembly=form.instance, is_new=False)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The assembly is saved."))
            return redirect(_detail_url(assembly))
    return render(request, "governance/assembly_form.html", {"form": form, "assembly": assembly})


@permission_required("governance.view_assembly")
def assembly_detail(request: HttpRequest, assembly_pk: int) -> HttpResponse:
    """The assembly at a glance: status, live quorum, agenda with votes so far (counts
    of the register, never the choices before the close), actions."""
    organisation = request.organisation
    assembly = _assembly_or_404(request, assembly_pk)
    statutes = statutes_of(organisation=organisation)
    counts = vote_counts(assembly=assembly)
    resolutions = list(assembly.resolutions.all())
    for resolution in resolutions:
        resolution.vote_count = counts.get(resolution.pk, 0)
    return render(
        request,
        "governance/assembly_detail.html",
        {
            "assembly": assembly,
            "resolutions": resolutions,
            "quorum": quorum_live(assembly=assembly)
            if assembly.status != Assembly.Status.DRAFT
            else None,
            "notice_days": notice_days_required(assembly=assembly, statutes=statutes),
            "quorum_planned": quorum_required(assembly=assembly, statutes=statutes),
            "tallies": assembly_tallies(assembly=assembly) if assembly.is_closed else [],
            "proxies": proxies_of(assembly=assembly)[:200]
            if assembly.status != Assembly.Status.DRAFT
            else [],
            "can_manage": request.user.has_perm("governance.manage_assembly", organisation),
            "can_record": request.user.has_perm("governance.record_vote", organisation),
        },
    )


@permission_required("governance.manage_assembly")
@require_http_methods(["GET", "POST"])
def resolution_create(request: HttpRequest, assembly_pk: int) -> HttpResponse:
    assembly = _assembly_or_404(request, assembly_pk)
    if assembly.status != Assembly.Status.DRAFT:
        messages.error(request, _("The assembly is convened: its agenda can no longer change."))
        return redirect(_detail_url(assembly))
    form = ResolutionForm(posted_data(request), instance=Resolution(assembly=assembly, number=0))
    if request.method == "POST" and form.is_valid():
        try:
            submit_once(
                request,
                lambda: resolution_save(actor=request.user, resolution=form.instance, is_new=True),
                result_url=lambda r: _detail_url(assembly),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The resolution is on the agenda."))
            return redirect(_detail_url(assembly))
    return render(
        request,
        "governance/resolution_form.html",
        {"form": form, "assembly": assembly, "resolution": None},
    )


@permission_required("governance.manage_assembly")
@require_http_methods(["GET", "POST"])
def resolution_edit(request: HttpRequest, resolution_pk: int) -> HttpResponse:
    resolution = resolution_get(organisation=request.organisation, pk=resolution_pk)
    if resolution is None:
        raise Http404
    assembly = resolution.assembly
    if request.method == "POST" and "delete" in request.POST:
        try:
            resolution_delete(actor=request.user, resolution=resolution)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The resolution is removed from the agenda."))
        return redirect(_detail_url(assembly))
    form = ResolutionForm(posted_data(request), instance=copy.copy(resolution))
    if request.method == "POST" and form.is_valid():
        try:
            resolution_save(actor=request.user, resolution=form.instance, is_new=False)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The resolution is saved."))
            return redirect(_detail_url(assembly))
    return render(
        request,
        "governance/resolution_form.html",
        {"form": form, "assembly": assembly, "resolution": resolution},
    )


@permission_required("governance.manage_assembly")
@require_POST
def assembly_convene_view(request: HttpRequest, assembly_pk: int) -> HttpResponse:
    assembly = _assembly_or_404(request, assembly_pk)
    try:
        assembly = assembly_convene(actor=request.user, assembly=assembly)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The assembly is convened: %(count)s members can vote online until the close.")
            % {"count": assembly.voters.count()},
        )
    return redirect(_detail_url(assembly))


@permission_required("governance.manage_assembly")
@require_http_methods(["GET", "POST"])
def assembly_close_view(request: HttpRequest, assembly_pk: int) -> HttpResponse:
    """A confirmation page, then the close: votes stop, ballots are sealed and counted."""
    assembly = _assembly_or_404(request, assembly_pk)
    if request.method == "POST" and "confirm" in request.POST:
        try:
            assembly_close(actor=request.user, assembly=assembly)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The vote is closed and counted; the ballots are sealed."))
        return redirect(_detail_url(assembly))
    return render(
        request,
        "governance/assembly_close.html",
        {
            "assembly": assembly,
            "quorum": quorum_live(assembly=assembly) if assembly.is_open_for_votes else None,
        },
    )


@permission_required("governance.record_vote")
@require_http_methods(["GET", "POST"])
def bureau(request: HttpRequest, assembly_pk: int) -> HttpResponse:
    """The bureau's desk: find a member by number, mark attendance, record a paper or
    postal vote, a paper proxy, or name the chair."""
    assembly = _assembly_or_404(request, assembly_pk)
    source = request.POST if request.method == "POST" else request.GET
    search = VoterSearchForm(source if "numero" in source else None)
    voter = None
    if search.is_bound and search.is_valid() and search.cleaned_data["numero"]:
        voter = voter_by_number(assembly=assembly, number=search.cleaned_data["numero"])
        if voter is None:
            search.add_error("numero", _("No voter of this assembly has this number."))
    rights = voting_rights(assembly=assembly, voter=voter) if voter else None
    open_resolutions = []
    if voter and assembly.is_open_for_votes:
        open_resolutions = [
            r for r in assembly.resolutions.all() if r.pk not in rights.voted[voter.pk]
        ]
    attendance_form = AttendanceForm(
        initial={"attendance": voter.attendance if voter else None}, prefix="att"
    )
    ballot_form = PaperBallotForm(resolutions=open_resolutions, prefix="vote")
    proxy_form = PaperProxyForm(prefix="proxy")
    receipts = None
    if request.method == "POST" and voter is not None:
        action = request.POST.get("action")
        try:
            if action == "attendance":
                attendance_form = AttendanceForm(request.POST, prefix="att")
                if attendance_form.is_valid():
                    attendance_set(
                        actor=request.user,
                        voter=voter,
                        attendance=attendance_form.cleaned_data["attendance"],
                    )
                    messages.success(
                        request, _("Attendance recorded for %(member)s.") % {"member": voter.member}
                    )
                    return redirect(f"{request.path}?numero={voter.member.number}")
            elif action == "vote":
                ballot_form = PaperBallotForm(
                    request.POST, resolutions=open_resolutions, prefix="vote"
                )
                if ballot_form.is_valid():
                    receipts = paper_vote_record(
                        actor=request.user,
                        assembly=assembly,
                        voter=voter,
                        choices=ballot_form.choices_of(),
                        channel=ballot_form.cleaned_data["channel"],
                    )
                    messages.success(
                        request, _("The vote of %(member)s is recorded.") % {"member": voter.member}
                    )
                    return redirect(f"{request.path}?numero={voter.member.number}")
            elif action == "proxy":
                proxy_form = PaperProxyForm(request.POST, prefix="proxy")
                if proxy_form.is_valid():
                    holder = None
                    if not proxy_form.cleaned_data["to_chair"]:
                        holder = voter_by_number(
                            assembly=assembly, number=proxy_form.cleaned_data["holder_number"]
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
                        to_chair=proxy_form.cleaned_data["to_chair"],
                    )
                    messages.success(
                        request,
                        _("The proxy of %(member)s is recorded.") % {"member": voter.member},
                    )
                    return redirect(f"{request.path}?numero={voter.member.number}")
            elif action == "chair" and request.user.has_perm(
                "governance.manage_assembly", request.organisation
            ):
                assembly_set_chair(actor=request.user, assembly=assembly, voter=voter)
                messages.success(
                    request, _("%(member)s chairs the assembly.") % {"member": voter.member}
                )
                return redirect(f"{request.path}?numero={voter.member.number}")
        except ValidationError as exc:
            target = {"attendance": attendance_form, "vote": ballot_form, "proxy": proxy_form}.get(
                action
            )
            if target is not None:
                add_service_errors(target, exc, fields={"holder": "holder_number"})
            else:
                messages.error(request, " ".join(exc.messages))
    proxy = (
        Proxy.objects.filter(giver=voter).select_related("holder__member").first()
        if voter
        else None
    )
    return render(
        request,
        "governance/bureau.html",
        {
            "assembly": assembly,
            "search": search,
            "voter": voter,
            "rights": rights,
            "proxy": proxy,
            "attendance_form": attendance_form,
            "ballot_form": ballot_form,
            "proxy_form": proxy_form,
            "receipts": receipts,
            "quorum": quorum_live(assembly=assembly)
            if assembly.status != Assembly.Status.DRAFT
            else None,
            "can_manage": request.user.has_perm("governance.manage_assembly", request.organisation),
            "attendance_labels": dict(Voter.Attendance.choices),
        },
    )


@permission_required("governance.manage_assembly")
@require_http_methods(["GET", "POST"])
def minutes_manage(request: HttpRequest, assembly_pk: int) -> HttpResponse:
    assembly = _assembly_or_404(request, assembly_pk)
    form = MinutesForm(posted_data(request), initial={"note": assembly.minutes_note})
    if request.method == "POST" and form.is_valid():
        try:
            minutes_publish(actor=request.user, assembly=assembly, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The minutes are published to the members."))
            return redirect(_detail_url(assembly))
    return render(request, "governance/minutes_form.html", {"form": form, "assembly": assembly})


def minutes_context(assembly: Assembly) -> dict:
    quorum = quorum_live(assembly=assembly)
    return {
        "assembly": assembly,
        "organisation": assembly.organisation,
        "quorum": quorum,
        "tallies": assembly_tallies(assembly=assembly),
        "proxy_count": assembly.proxies.count(),
        "attendance": [
            (label, quorum.by_attendance.get(value, 0)) for value, label in Voter.Attendance.choices
        ],
        "chain": chain_verify(assembly=assembly),
        "last_entry": assembly.log.order_by("-seq").first(),
    }


def minutes_pdf_response(assembly: Assembly) -> HttpResponse:
    content = render_pdf(
        template_name="governance/minutes_pdf.html",
        context=minutes_context(assembly),
    )
    return pdf_response(content=content, filename=f"proces-verbal-{assembly.pk}.pdf")
