"""Back office: creating conversations, seed statements, moderation, the
analysis on demand, the facilitator's report (page and PDF)."""

from copy import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from faireavec.core.forms import add_service_errors, posted_data, posted_files
from faireavec.core.pdf import pdf_response, render_pdf
from faireavec.core.permissions import permission_required
from faireavec.core.submissions import AlreadySubmitted, submit_once
from faireavec.opinions.findings import findings, map_layout
from faireavec.opinions.forms import ConversationForm, ExportForm, ImportForm, StatementForm
from faireavec.opinions.models import Conversation, Statement
from faireavec.opinions.selectors import (
    analysis_get,
    conversation_get,
    conversations_of_organisation,
    phases_for_conversations,
    statement_get,
    statements_for_moderation,
)
from faireavec.opinions.services import (
    analysis_request,
    conversation_create,
    conversation_update,
    statement_add,
    statement_moderate,
)
from faireavec.opinions.transfer import (
    ImportNotFound,
    conversation_export_start,
    export_audit,
    export_content,
    export_filename,
    export_is_large,
    import_cancel,
    import_confirm,
    import_preview,
    import_upload,
)


def _conversation_or_404(request: HttpRequest, conversation_pk: int) -> Conversation:
    conversation = conversation_get(organisation=request.organisation, pk=conversation_pk)
    if conversation is None:
        raise Http404
    return conversation


@permission_required("opinions.review_conversation")
def conversation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "opinions/conversation_list.html",
        {"conversations": conversations_of_organisation(organisation=request.organisation)},
    )


@permission_required("opinions.manage_conversation")
@require_http_methods(["GET", "POST"])
def conversation_create_view(request: HttpRequest) -> HttpResponse:
    form = ConversationForm(
        posted_data(request), phases=phases_for_conversations(organisation=request.organisation)
    )
    if form.is_valid():
        try:
            conversation = submit_once(
                request,
                lambda: conversation_create(
                    organisation=request.organisation, actor=request.user, **form.service_data()
                ),
                result_url=lambda c: c.get_manage_url(),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The opinion map is created. Now write its first statements."),
            )
            return redirect(conversation.get_manage_url())
    return render(request, "opinions/conversation_form.html", {"form": form, "conversation": None})


@permission_required("opinions.manage_conversation")
@require_http_methods(["GET", "POST"])
def conversation_edit(request: HttpRequest, conversation_pk: int) -> HttpResponse:
    conversation = _conversation_or_404(request, conversation_pk)
    form = ConversationForm(
        posted_data(request),
        instance=copy(conversation),
        phases=phases_for_conversations(organisation=request.organisation),
    )
    if form.is_valid():
        try:
            conversation_update(
                conversation=conversation, actor=request.user, **form.service_data()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The opinion map is saved."))
            return redirect(conversation.get_manage_url())
    return render(
        request, "opinions/conversation_form.html", {"form": form, "conversation": conversation}
    )


@permission_required("opinions.review_conversation")
@require_http_methods(["GET", "POST"])
def conversation_manage(request: HttpRequest, conversation_pk: int) -> HttpResponse:
    """The conversation's statements (adding seeds, moderating) and its analysis."""
    conversation = _conversation_or_404(request, conversation_pk)
    can_manage = request.user.has_perm("opinions.manage_conversation", request.organisation)
    form = StatementForm(posted_data(request) if can_manage else None)
    if can_manage and form.is_valid():
        try:
            statement = submit_once(
                request,
                lambda: statement_add(
                    conversation=conversation, actor=request.user, text=form.cleaned_data["text"]
                ),
                result_url=lambda s: conversation.get_manage_url(),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Statement no. %(number)s is added.") % {"number": statement.number}
            )
            return redirect(conversation.get_manage_url() + "#statements")
    statements = list(statements_for_moderation(conversation=conversation))
    return render(
        request,
        "opinions/conversation_manage.html",
        {
            "conversation": conversation,
            "form": form,
            "can_manage": can_manage,
            "pending": [s for s in statements if s.status == Statement.Status.PENDING],
            "statements": [s for s in statements if s.status != Statement.Status.PENDING],
            "analysis": analysis_get(conversation=conversation),
            "export_form": ExportForm(),
        },
    )


@permission_required("opinions.manage_conversation")
@require_POST
def statement_moderate_view(
    request: HttpRequest, conversation_pk: int, statement_pk: int
) -> HttpResponse:
    conversation = _conversation_or_404(request, conversation_pk)
    statement = statement_get(conversation=conversation, pk=statement_pk)
    if statement is None:
        raise Http404
    accept = request.POST.get("decision") == "accept"
    statement_moderate(statement=statement, actor=request.user, accept=accept)
    if accept:
        messages.success(
            request, _("Statement no. %(number)s is published.") % {"number": statement.number}
        )
    else:
        messages.success(
            request, _("Statement no. %(number)s is rejected.") % {"number": statement.number}
        )
    return redirect(conversation.get_manage_url() + "#statements")


@permission_required("opinions.manage_conversation")
@require_POST
def conversation_recompute(request: HttpRequest, conversation_pk: int) -> HttpResponse:
    conversation = _conversation_or_404(request, conversation_pk)
    job = analysis_request(conversation=conversation, actor=request.user)
    return redirect(job.get_absolute_url())


def _report_context(request: HttpRequest, conversation: Conversation) -> dict:
    analysis = analysis_get(conversation=conversation)
    context = {
        "conversation": conversation,
        "analysis": analysis,
        "organisation": request.organisation,
        "today": timezone.localdate(),
    }
    if analysis is not None:
        context["findings"] = findings(analysis)
        context["layout"] = map_layout(analysis)
    return context


@permission_required("opinions.review_conversation")
def conversation_report(request: HttpRequest, conversation_pk: int) -> HttpResponse:
    """The facilitator's report: each group and what represents it, and the consensus."""
    conversation = _conversation_or_404(request, conversation_pk)
    return render(
        request, "opinions/conversation_report.html", _report_context(request, conversation)
    )


@permission_required("opinions.review_conversation")
def conversation_report_pdf(request: HttpRequest, conversation_pk: int) -> HttpResponse:
    conversation = _conversation_or_404(request, conversation_pk)
    context = _report_context(request, conversation)
    large_print = request.GET.get("large") == "1"
    context["large_print"] = large_print
    content = render_pdf(
        template_name="opinions/conversation_report_pdf.html",
        context=context,
        large_print=large_print,
    )
    return pdf_response(content=content, filename=f"carte-des-opinions-{conversation.pk}.pdf")


@permission_required("opinions.export_conversation")
@require_POST
def conversation_export(request: HttpRequest, conversation_pk: int) -> HttpResponse:
    """The conversation in Pol.is's CSV layout: the file now for a small one, a
    background job (its page, then the file) for a large one."""
    conversation = _conversation_or_404(request, conversation_pk)
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the file to export."))
        return redirect(conversation.get_manage_url() + "#export")
    which = form.cleaned_data["file"]
    if export_is_large(conversation):
        job = conversation_export_start(conversation=conversation, actor=request.user, which=which)
        return redirect(job.get_absolute_url())
    content = export_content(conversation=conversation, which=which)
    export_audit(conversation=conversation, actor=request.user, which=which)
    response = HttpResponse(
        content, content_type="application/zip" if which == "zip" else "text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{export_filename(conversation, which)}"'
    )
    return response


@permission_required("opinions.manage_conversation")
@require_http_methods(["GET", "POST"])
def conversation_import(request: HttpRequest) -> HttpResponse:
    """Import a Pol.is conversation in two steps, without JavaScript: the files
    are checked and previewed (row problems listed, nothing written), then the
    person confirms and a background job writes it."""
    organisation = request.organisation
    if request.method == "POST" and ("confirm" in request.POST or "cancel" in request.POST):
        token = request.POST.get("token", "")
        if "cancel" in request.POST:
            import_cancel(actor=request.user, organisation=organisation, token=token)
            messages.info(request, _("The import is cancelled: nothing was written."))
            return redirect("opinions:conversation_import", org_slug=organisation.slug)
        try:
            job = import_confirm(actor=request.user, organisation=organisation, token=token)
        except ImportNotFound:
            messages.error(
                request, _("This preview is no longer available: choose the files again.")
            )
            return redirect("opinions:conversation_import", org_slug=organisation.slug)
        return redirect(job.get_absolute_url())
    token = request.GET.get("apercu", "")
    if request.method == "GET" and token:
        preview = import_preview(actor=request.user, organisation=organisation, token=token)
        if preview is None or not preview.get("checked"):
            messages.error(
                request, _("This preview is no longer available: choose the files again.")
            )
            return redirect("opinions:conversation_import", org_slug=organisation.slug)
        return render(
            request,
            "opinions/conversation_import_preview.html",
            {"preview": preview, "token": token},
        )
    form = ImportForm(posted_data(request), posted_files(request))
    if request.method == "POST" and form.is_valid():
        upload = import_upload(
            actor=request.user, organisation=organisation, files=form.files_by_name()
        )
        if upload.job is not None:
            return redirect(upload.job.get_absolute_url())
        return render(
            request,
            "opinions/conversation_import_preview.html",
            {"preview": upload.preview, "token": upload.token},
        )
    return render(request, "opinions/conversation_import.html", {"form": form})
