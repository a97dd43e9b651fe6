"""Back office: the facilitators' inbox, answers, assisted entry, moderation,
overdue complaints, export and the « Donner mon avis » poster.

Every action is a plain form POST that redirects back; with HTMX the inbox
row is swapped in place instead.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from faireavec.contributions.exports import INBOX_EXPORT
from faireavec.contributions.forms import (
    AnswerForm,
    AssistedContributionForm,
    BulkActionForm,
    InboxFilterForm,
    ModerationForm,
    ReopenForm,
    StatusForm,
)
from faireavec.contributions.models import Contribution, Kind, Status
from faireavec.contributions.selectors import (
    comment_get,
    contribution_full_history,
    contribution_get,
    contributions_inbox,
    contributions_overdue,
    idea_all_comments,
    idea_box_opened,
    moderation_queue,
    open_report_count,
)
from faireavec.contributions.services import (
    comment_set_hidden,
    contribution_change_status,
    contribution_create,
    contribution_reopen,
    contribution_set_hidden,
    contribution_set_public,
    contribution_update_answer,
    contributions_bulk_apply,
    contributions_escalate_overdue,
    idea_box_open,
)
from faireavec.core.exports import export_or_job
from faireavec.core.forms import add_service_errors, posted_data
from faireavec.core.http import safe_next_url
from faireavec.core.permissions import permission_required
from faireavec.core.qr import qr_svg
from faireavec.core.submissions import AlreadySubmitted, submit_once

INBOX_PAGE_SIZE = 20  # a page of the inbox stays a few screens long on a phone


def _contribution_or_404(request: HttpRequest, contribution_pk: int) -> Contribution:
    contribution = contribution_get(organisation=request.organisation, pk=contribution_pk)
    if contribution is None:
        raise Http404
    return contribution


def _manage_url(request: HttpRequest, contribution: Contribution) -> str:
    return reverse(
        "contributions:contribution_manage",
        kwargs={"org_slug": request.organisation.slug, "contribution_pk": contribution.pk},
    )


def _back(request: HttpRequest, default: str) -> HttpResponse:
    """Redirect to `next` (a page of this site, the filtered inbox say) or `default`."""
    return redirect(safe_next_url(request, default))


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _row_context(request: HttpRequest, contribution: Contribution, **extra) -> dict:
    return {
        "c": contribution,
        "status_form": extra.pop("status_form", None)
        or StatusForm(contribution=contribution, prefix_pk=True),
        "now": timezone.now(),
        "next": extra.pop("next", request.get_full_path()),
        **extra,
    }


@permission_required("contributions.manage_contribution")
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """Triage: filters by kind, status, site, age and overdue; act in place."""
    organisation = request.organisation
    form = InboxFilterForm(request.GET or None, organisation=organisation)
    filters = form.filters()
    contributions = contributions_inbox(organisation=organisation, filters=filters)
    page = Paginator(contributions, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_row_context(request, c) for c in page.object_list]
    context = {
        "form": form,
        "page_obj": page,
        "rows": rows,
        "bulk_form": BulkActionForm(),
        "query": request.GET.urlencode(),
    }
    if request.htmx and request.htmx.target == "inbox-results":
        return render(request, "contributions/contribution_inbox.html#results", context)
    return render(request, "contributions/contribution_inbox.html", context)


@permission_required("contributions.manage_contribution")
@require_GET
def contribution_manage(request: HttpRequest, contribution_pk: int) -> HttpResponse:
    """One contribution, everything a facilitator can do with it."""
    return _manage_page(request, _contribution_or_404(request, contribution_pk))


def _manage_page(
    request: HttpRequest, contribution: Contribution, *, status: int = 200, **bound_forms
) -> HttpResponse:
    """The contribution's page; a form sent back with errors is given bound
    (`status_form`, `answer_form`, `reopen_form`), so what was typed and chosen
    stays and each message shows beside its field."""
    context = {
        "contribution": contribution,
        "status_form": StatusForm(contribution=contribution),
        "reopen_form": ReopenForm(),
        "answer_form": AnswerForm(
            initial={
                "answer": contribution.answer,
                "outcome": contribution.outcome,
                "public_summary": contribution.public_summary,
                "severity": contribution.severity,
            }
        ),
        "moderation_form": ModerationForm(),
        "history": contribution_full_history(contribution=contribution),
        "comments": idea_all_comments(contribution=contribution),
        "open_reports": open_report_count(contribution=contribution),
        "is_idea": contribution.kind in (Kind.IDEA, Kind.PROPOSAL),
        "follow_up_url": request.build_absolute_uri(contribution.get_absolute_url()),
    }
    context.update(bound_forms)
    return render(request, "contributions/contribution_manage.html", context, status=status)


@permission_required("contributions.manage_contribution")
@require_POST
def contribution_status(request: HttpRequest, contribution_pk: int) -> HttpResponse:
    """Change the status, with a public message. HTMX gets the inbox row back.

    Refused, the page comes back with the chosen status and the message kept
    and the reason beside the field (the inbox row, with HTMX, the same)."""
    contribution = _contribution_or_404(request, contribution_pk)
    in_row = bool(request.htmx) and request.POST.get("row") == "1"
    form = StatusForm(request.POST, contribution=contribution, prefix_pk=in_row)
    if form.is_valid():
        try:
            contribution = contribution_change_status(
                actor=request.user,
                contribution=contribution,
                to_status=form.cleaned_data["to_status"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if in_row:
        contribution = _contribution_or_404(request, contribution.pk)
        context = _row_context(
            request,
            contribution,
            next=request.POST.get("next", ""),
            row_error=error,
            row_saved=not error,
            status_form=StatusForm(contribution=contribution, prefix_pk=True)
            if not error
            else form,
        )
        return render(request, "contributions/contribution_inbox.html#row", context)
    if error:
        contribution = _contribution_or_404(request, contribution.pk)
        return _manage_page(request, contribution, status=400, status_form=form)
    messages.success(
        request,
        _("Status changed to « %(status)s ».") % {"status": contribution.get_status_display()},
    )
    return _back(request, _manage_url(request, contribution))


@permission_required("contributions.manage_contribution")
@require_POST
def contribution_answer(request: HttpRequest, contribution_pk: int) -> HttpResponse:
    contribution = _contribution_or_404(request, contribution_pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            contribution_update_answer(
                actor=request.user, contribution=contribution, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The answer is saved."))
            return _back(request, _manage_url(request, contribution))
    return _manage_page(request, contribution, status=400, answer_form=form)


@permission_required("contributions.manage_contribution")
@require_POST
def contribution_reopen_view(request: HttpRequest, contribution_pk: int) -> HttpResponse:
    contribution = _contribution_or_404(request, contribution_pk)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            contribution_reopen(
                actor=request.user, contribution=contribution, message=form.cleaned_data["message"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The contribution is reopened."))
            return _back(request, _manage_url(request, contribution))
    return _manage_page(request, contribution, status=400, reopen_form=form)


@permission_required("contributions.moderate_contribution")
@require_POST
def contribution_moderate(request: HttpRequest, contribution_pk: int) -> HttpResponse:
    """Hide or restore (button `hide` or `restore`), with a reason kept in the history."""
    contribution = _contribution_or_404(request, contribution_pk)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason: it is kept in the history."))
    else:
        hidden = "hide" in request.POST
        try:
            contribution_set_hidden(
                actor=request.user,
                contribution=contribution,
                hidden=hidden,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request,
                _("The contribution is hidden.") if hidden else _("The contribution is restored."),
            )
    return _back(request, _manage_url(request, contribution))


@permission_required("contributions.manage_contribution")
@require_POST
def contribution_publish(request: HttpRequest, contribution_pk: int) -> HttpResponse:
    contribution = _contribution_or_404(request, contribution_pk)
    public = request.POST.get("public") == "1"
    try:
        contribution_set_public(actor=request.user, contribution=contribution, public=public)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            _("The idea is on the public ideas page.")
            if public
            else _("The idea is no longer on the public ideas page."),
        )
    return _back(request, _manage_url(request, contribution))


@permission_required("contributions.moderate_contribution")
@require_POST
def comment_moderate(request: HttpRequest, comment_pk: int) -> HttpResponse:
    comment = comment_get(organisation=request.organisation, pk=comment_pk)
    if comment is None:
        raise Http404
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason: it is kept in the history."))
    else:
        hidden = "hide" in request.POST
        comment_set_hidden(
            actor=request.user, comment=comment, hidden=hidden, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request, _("The comment is hidden.") if hidden else _("The comment is restored.")
        )
    return _back(request, _manage_url(request, comment.contribution))


@permission_required("contributions.add_assisted_contribution")
@require_http_methods(["GET", "POST"])
def contribution_assisted(request: HttpRequest) -> HttpResponse:
    """Write down a contribution said on paper, by phone or face to face."""
    organisation = request.organisation
    form = AssistedContributionForm(posted_data(request), organisation=organisation)
    if request.method == "POST" and form.is_valid():
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
                    channel=data["channel"],
                    recorded_by=request.user,
                    contact_name=data["contact_name"],
                    contact_details=data["contact_details"],
                    contact_consent=data["contact_consent"],
                    severity=data.get("severity") or "",
                ),
                result_url=lambda c: _manage_url(request, c),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Recorded. Give the person their follow-up code: %(code)s")
                % {"code": contribution.follow_up_code},
            )
            return redirect(_manage_url(request, contribution))
    return render(
        request,
        "contributions/contribution_assisted.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@permission_required("contributions.manage_contribution")
@require_POST
def inbox_bulk(request: HttpRequest) -> HttpResponse:
    """Apply one action to the selected contributions; those it does not fit are listed."""
    organisation = request.organisation
    default = reverse("contributions:inbox", kwargs={"org_slug": organisation.slug})
    form = BulkActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick at least one contribution and choose an action."))
        return _back(request, default)
    result = contributions_bulk_apply(
        actor=request.user,
        organisation=organisation,
        pks=form.cleaned_data["selected"],
        action=form.cleaned_data["action"],
        message=form.cleaned_data["message"],
    )
    if result.done:
        messages.success(request, _("%(n)s contribution(s) updated.") % {"n": result.done})
    for contribution, exc in result.failed[:10]:
        messages.warning(request, f"« {contribution.title} » : {_error_text(exc)}")
    return _back(request, default)


@permission_required("contributions.manage_contribution")
@require_GET
def overdue_list(request: HttpRequest) -> HttpResponse:
    contributions = contributions_overdue(organisation=request.organisation)
    page = Paginator(contributions, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "contributions/contribution_overdue.html",
        {"page_obj": page, "contributions": page.object_list, "now": timezone.now()},
    )


@permission_required("contributions.manage_contribution")
@require_POST
def overdue_escalate(request: HttpRequest) -> HttpResponse:
    escalated = contributions_escalate_overdue(
        organisation=request.organisation, actor=request.user
    )
    if escalated:
        messages.success(
            request,
            _("The administrators were told about %(n)s overdue complaint(s).")
            % {"n": len(escalated)},
        )
    else:
        messages.info(request, _("No new overdue complaint: nothing to tell the administrators."))
    return redirect("contributions:overdue_list", org_slug=request.organisation.slug)


@permission_required("contributions.moderate_contribution")
@require_GET
def moderation_list(request: HttpRequest) -> HttpResponse:
    queue = moderation_queue(organisation=request.organisation)
    return render(
        request,
        "contributions/contribution_moderation.html",
        {
            "contributions": queue["contributions"][:100],
            "contribution_count": queue["contributions"].count(),
            "comments": queue["comments"][:100],
            "comment_count": queue["comments"].count(),
            "moderation_form": ModerationForm(),
        },
    )


@permission_required("contributions.export_contribution")
@require_POST
def inbox_export(request: HttpRequest) -> HttpResponse:
    """The inbox as filtered, as a table (a large one through a background job)."""
    return export_or_job(request, spec=INBOX_EXPORT)


@permission_required("contributions.manage_contribution")
@require_POST
def idea_box_open_view(request: HttpRequest) -> HttpResponse:
    """« We open our idea box », from the poster page: the first step of a new
    organisation is then done; back to the back-office home and its checklist."""
    if idea_box_open(actor=request.user, organisation=request.organisation):
        messages.success(
            request, _("Your idea box is open. Keep the poster up where people see it.")
        )
    return redirect("organisations:backoffice_home", org_slug=request.organisation.slug)


@permission_required("contributions.manage_contribution")
@require_GET
def contribution_poster(request: HttpRequest) -> HttpResponse:
    """A printable A4 poster with the QR code of « Donner mon avis »."""
    url = request.build_absolute_uri(
        reverse("contributions:contribution_create", kwargs={"org_slug": request.organisation.slug})
    )
    return render(
        request,
        "contributions/contribution_poster.html",
        {
            "give_url": url,
            "qr_svg": qr_svg(url, title=_("QR code of the « Give my opinion » page")),
            "statuses": Status,
            "idea_box_opened": idea_box_opened(organisation=request.organisation),
        },
    )
