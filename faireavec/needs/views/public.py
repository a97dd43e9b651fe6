"""Public pages: the organisation's needs, supporting them, and the territorial
diagnosis when the organisation shows it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from faireavec.core.http import safe_next_url
from faireavec.core.permissions import permission_required
from faireavec.needs.models import Need
from faireavec.needs.selectors import (
    diagnosis_get,
    diagnosis_grouped,
    need_get,
    needs_public,
    watch_entries_of_need,
    watch_entries_of_organisation,
)
from faireavec.needs.services import need_support, need_support_withdraw

PAGE_SIZE = 20


def _visible_need_or_404(request: HttpRequest, need_pk: int) -> Need:
    """A need of this organisation shown publicly; members and above may also
    preview one kept within the team."""
    need = need_get(organisation=request.organisation, pk=need_pk, user=request.user)
    if need is None:
        raise Http404
    if not need.is_public and not request.user.has_perm("needs.review_need", request.organisation):
        raise Http404
    return need


@permission_required("needs.view_need")
def need_list_public(request: HttpRequest) -> HttpResponse:
    """The needs the organisation has identified, with a « Je soutiens » button."""
    organisation = request.organisation
    page = Paginator(needs_public(organisation=organisation, user=request.user), PAGE_SIZE)
    page_obj = page.get_page(request.GET.get("page"))
    return render(
        request,
        "needs/need_list_public.html",
        {
            "page_obj": page_obj,
            "needs": page_obj.object_list,
            "can_support": request.user.has_perm("needs.support_need", organisation),
        },
    )


@permission_required("needs.view_need")
def need_public_detail(request: HttpRequest, need_pk: int) -> HttpResponse:
    need = _visible_need_or_404(request, need_pk)
    return render(
        request,
        "needs/need_public_detail.html",
        {
            "need": need,
            "can_support": request.user.has_perm("needs.support_need", request.organisation),
            "watch_entries": watch_entries_of_need(
                need=need, public_only=_public_watch_only(request)
            )[:WATCH_SHOWN],
        },
    )


WATCH_SHOWN = 10  # the latest watch entries shown on public pages


def _public_watch_only(request: HttpRequest) -> bool:
    """People who may read the watch log see every entry; others the public ones."""
    return not request.user.has_perm("needs.view_watchentry", request.organisation)


@permission_required("needs.support_need")
@require_POST
def need_support_view(request: HttpRequest, need_pk: int) -> HttpResponse:
    """Support a need, or withdraw one's support (button `withdraw`).

    HTMX gets the button's fragment back, with the outcome in it; without
    JavaScript, the person goes back to the page they came from.
    """
    need = _visible_need_or_404(request, need_pk)
    level, feedback = messages.SUCCESS, ""
    try:
        if "withdraw" in request.POST:
            if need_support_withdraw(user=request.user, need=need):
                feedback = _("Your support is withdrawn.")
        else:
            _support, created = need_support(user=request.user, need=need)
            if created:
                feedback = _("Thank you: you support this need.")
            else:
                level, feedback = messages.INFO, _("You already support this need.")
    except ValidationError as exc:
        level, feedback = messages.ERROR, " ".join(exc.messages)
    next_url = safe_next_url(request, need.get_public_url())
    if request.htmx:
        need = need_get(organisation=request.organisation, pk=need.pk, user=request.user)
        # An include rather than a `page.html#partial`: the shared settings use
        # template_partials' SimpleAppConfig, without its `#name` loader.
        return render(
            request,
            "needs/includes/need_support.html",
            {"need": need, "can_support": True, "next": next_url, "feedback": feedback},
        )
    if feedback:
        messages.add_message(request, level, feedback)
    return redirect(next_url)


@permission_required("needs.view_diagnosis")
def diagnosis_public(request: HttpRequest) -> HttpResponse:
    """The territorial diagnosis: for everyone in the organisation, and for the
    public when the organisation shows it."""
    diagnosis = diagnosis_get(organisation=request.organisation)
    return render(
        request,
        "needs/diagnosis_public.html",
        {
            "diagnosis": diagnosis,
            "groups": diagnosis_grouped(diagnosis=diagnosis) if diagnosis else [],
            "watch_entries": watch_entries_of_organisation(
                organisation=request.organisation, public_only=_public_watch_only(request)
            )[:WATCH_SHOWN],
        },
    )
