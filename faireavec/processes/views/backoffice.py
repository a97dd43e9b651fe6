"""Back office: initiatives, their phases and status, and overdue follow-up promises."""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from faireavec.core.forms import add_service_errors, posted_data
from faireavec.core.permissions import permission_required
from faireavec.core.submissions import AlreadySubmitted, submit_once
from faireavec.processes.forms import InitiativeForm, PhaseForm, StatusForm
from faireavec.processes.models import Initiative, Phase, local_date
from faireavec.processes.selectors import (
    follower_count,
    initiative_get,
    initiative_proposals_to_answer,
    initiatives_follow_up_overdue,
    initiatives_of_organisation,
    phase_current,
    phase_get,
    phases_of_initiative,
    proposal_figures,
)
from faireavec.processes.services import (
    initiative_create,
    initiative_delete,
    initiative_set_status,
    initiative_update,
    phase_create,
    phase_delete,
    phase_update,
)

PAGE_SIZE = 20


def _initiative_or_404(request: HttpRequest, initiative_pk: int) -> Initiative:
    initiative = initiative_get(organisation=request.organisation, pk=initiative_pk)
    if initiative is None:
        raise Http404
    return initiative


def _phase_or_404(request: HttpRequest, phase_pk: int) -> Phase:
    phase = phase_get(organisation=request.organisation, pk=phase_pk)
    if phase is None:
        raise Http404
    return phase


@permission_required("processes.review_initiative")
def initiative_list(request: HttpRequest) -> HttpResponse:
    """Every initiative, drafts included, with the follow-up promises now overdue first."""
    organisation = request.organisation
    status = request.GET.get("status", "")
    if status not in Initiative.Status.values:
        status = ""
    initiatives = list(initiatives_of_organisation(organisation=organisation, status=status))
    today = local_date()
    for initiative in initiatives:
        initiative.current_phase = phase_current(initiative=initiative, when=today)
    return render(
        request,
        "processes/initiative_list.html",
        {
            "initiatives": initiatives,
            "overdue": initiatives_follow_up_overdue(organisation=organisation, when=today),
            "status": status,
            "statuses": Initiative.Status.choices,
            "today": today,
        },
    )


@permission_required("processes.manage_initiative")
@require_http_methods(["GET", "POST"])
def initiative_create_view(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = InitiativeForm(
        posted_data(request),
        instance=Initiative(organisation=organisation),
        organisation=organisation,
        creating=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            initiative = submit_once(
                request,
                lambda: initiative_create(
                    actor=request.user,
                    organisation=organisation,
                    data=form.service_data(),
                    relations=form.relations(),
                    phases_from=form.cleaned_data.get("phases_from"),
                ),
                result_url=lambda initiative: initiative.get_manage_url(),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The initiative « %(title)s » is started as a draft. Check its phases, "
                    "then publish it."
                )
                % {"title": initiative.title},
            )
            return redirect(initiative.get_manage_url())
    return render(request, "processes/initiative_form.html", {"form": form, "initiative": None})


@permission_required("processes.review_initiative")
def initiative_manage(request: HttpRequest, initiative_pk: int) -> HttpResponse:
    """An initiative in the back office: its commitments, phases and status."""
    initiative = _initiative_or_404(request, initiative_pk)
    today = local_date()
    phases = phases_of_initiative(initiative=initiative)
    initiative._phases_in_order = phases
    to_answer = Paginator(
        initiative_proposals_to_answer(initiative=initiative), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "processes/initiative_manage.html",
        {
            "initiative": initiative,
            "phases": phases,
            "current_phase": phase_current(initiative=initiative, when=today),
            "today": today,
            "phase_form": PhaseForm(),
            "figures": proposal_figures(initiative=initiative),
            "page_obj": to_answer,
            "to_answer": to_answer.object_list,
            "follower_count": follower_count(initiative=initiative),
        },
    )


@permission_required("processes.manage_initiative")
@require_http_methods(["GET", "POST"])
def initiative_edit(request: HttpRequest, initiative_pk: int) -> HttpResponse:
    initiative = _initiative_or_404(request, initiative_pk)
    form = InitiativeForm(
        posted_data(request), instance=copy.copy(initiative), organisation=request.organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            initiative_update(
                actor=request.user,
                initiative=initiative,
                data=form.service_data(),
                relations=form.relations(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The initiative is saved."))
            return redirect(initiative.get_manage_url())
    return render(
        request, "processes/initiative_form.html", {"form": form, "initiative": initiative}
    )


@permission_required("processes.manage_initiative")
@require_POST
def initiative_status(request: HttpRequest, initiative_pk: int) -> HttpResponse:
    initiative = _initiative_or_404(request, initiative_pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status from the list."))
        return redirect(initiative.get_manage_url())
    try:
        initiative = initiative_set_status(
            actor=request.user, initiative=initiative, status=form.cleaned_data["status"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The initiative is now: %(status)s.") % {"status": initiative.get_status_display()},
        )
    return redirect(initiative.get_manage_url())


@permission_required("processes.manage_initiative")
@require_http_methods(["GET", "POST"])
def initiative_delete_view(request: HttpRequest, initiative_pk: int) -> HttpResponse:
    initiative = _initiative_or_404(request, initiative_pk)
    if request.method == "POST":
        initiative_delete(actor=request.user, initiative=initiative)
        messages.success(
            request, _("The initiative « %(title)s » is deleted.") % {"title": initiative.title}
        )
        return redirect("processes:initiative_list", org_slug=request.organisation.slug)
    return render(request, "processes/initiative_confirm_delete.html", {"initiative": initiative})


# Phases -------------------------------------------------------------------


@permission_required("processes.manage_initiative")
@require_http_methods(["GET", "POST"])
def phase_add(request: HttpRequest, initiative_pk: int) -> HttpResponse:
    initiative = _initiative_or_404(request, initiative_pk)
    form = PhaseForm(posted_data(request), instance=Phase(initiative=initiative))
    if request.method == "POST" and form.is_valid():
        try:
            submit_once(
                request,
                lambda: phase_create(
                    actor=request.user, initiative=initiative, data=form.service_data()
                ),
                result_url=lambda phase: initiative.get_manage_url(),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The phase is added."))
            return redirect(initiative.get_manage_url())
    return render(
        request,
        "processes/phase_form.html",
        {"form": form, "initiative": initiative, "phase": None},
    )


@permission_required("processes.manage_initiative")
@require_http_methods(["GET", "POST"])
def phase_edit(request: HttpRequest, phase_pk: int) -> HttpResponse:
    phase = _phase_or_404(request, phase_pk)
    form = PhaseForm(posted_data(request), instance=copy.copy(phase))
    if request.method == "POST" and form.is_valid():
        try:
            phase_update(actor=request.user, phase=phase, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The phase is saved."))
            return redirect(phase.initiative.get_manage_url())
    return render(
        request,
        "processes/phase_form.html",
        {"form": form, "initiative": phase.initiative, "phase": phase},
    )


@permission_required("processes.manage_initiative")
@require_http_methods(["GET", "POST"])
def phase_delete_view(request: HttpRequest, phase_pk: int) -> HttpResponse:
    phase = _phase_or_404(request, phase_pk)
    initiative = phase.initiative
    if request.method == "POST":
        phase_delete(actor=request.user, phase=phase)
        messages.success(request, _("The phase « %(title)s » is deleted.") % {"title": phase.title})
        return redirect(initiative.get_manage_url())
    return render(
        request, "processes/phase_confirm_delete.html", {"phase": phase, "initiative": initiative}
    )
