"""Public pages: the organisation's initiatives, and each one's page with its
involvement level explained, its phases on a timeline, what the apps above attach
to it, and its proposals."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from faireavec.core.navigation import initiative_includes
from faireavec.core.permissions import permission_required, require_perm
from faireavec.processes.models import Initiative, local_date
from faireavec.processes.selectors import (
    initiative_get,
    initiatives_visible,
    phase_current,
    phases_of_initiative,
)

PAGE_SIZE = 20


def visible_initiative_or_404(request: HttpRequest, initiative_pk: int) -> Initiative:
    """An initiative of this organisation the person may read; anything else is "not found"
    (a draft, another audience's initiative), so its existence does not leak."""
    initiative = initiative_get(organisation=request.organisation, pk=initiative_pk)
    if initiative is None or not request.user.has_perm("processes.view_initiative", initiative):
        raise Http404
    return initiative


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
def initiative_detail(request: HttpRequest, initiative_pk: int) -> HttpResponse:
    initiative = visible_initiative_or_404(request, initiative_pk)
    require_perm(request, "processes.view_initiative", initiative)
    today = local_date()
    phases = phases_of_initiative(initiative=initiative)
    initiative._phases_in_order = phases
    current = phase_current(initiative=initiative, when=today)
    return render(
        request,
        "processes/initiative_detail.html",
        {
            "initiative": initiative,
            "phases": phases,
            "current_phase": current,
            "today": today,
            "initiative_includes": initiative_includes(user=request.user, initiative=initiative),
        },
    )
