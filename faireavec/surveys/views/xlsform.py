"""XLSForm: a survey's definition as an ODK/Kobo spreadsheet, and the import
with its preview (every row that cannot be imported is listed)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from faireavec.core.audit import audit_log
from faireavec.core.forms import posted_data, posted_files
from faireavec.core.permissions import permission_required
from faireavec.surveys.forms import XLSFormImportForm
from faireavec.surveys.services import survey_build
from faireavec.surveys.views.backoffice import survey_or_404
from faireavec.surveys.xlsform import xlsform_export, xlsform_preview

SESSION_KEY = "surveys_xlsform_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@permission_required("surveys.manage_survey")
@require_GET
def xlsform_export_view(request: HttpRequest, survey_pk: int) -> HttpResponse:
    survey = survey_or_404(request, survey_pk)
    response = HttpResponse(xlsform_export(survey=survey), content_type=XLSX)
    name = slugify(survey.title) or "questionnaire"
    response["Content-Disposition"] = f'attachment; filename="{name}-xlsform.xlsx"'
    return response


@permission_required("surveys.manage_survey")
@require_http_methods(["GET", "POST"])
def xlsform_import(request: HttpRequest) -> HttpResponse:
    """Upload → preview (what will be created, what cannot be, row by row) → confirm."""
    if request.method == "POST" and request.POST.get("action") == "confirm":
        stored = request.session.get(SESSION_KEY)
        if not stored:
            messages.error(request, _("Send the file again: the preview has expired."))
            return redirect("surveys:xlsform_import", org_slug=request.organisation.slug)
        try:
            survey = survey_build(
                actor=request.user, organisation=request.organisation, spec=stored["spec"]
            )
        except ValidationError as exc:
            messages.error(
                request,
                _("The survey could not be created: %(reason)s")
                % {"reason": " ".join(exc.messages)},
            )
            return redirect("surveys:xlsform_import", org_slug=request.organisation.slug)
        audit_log(
            actor=request.user,
            organisation=request.organisation,
            action="survey.import",
            target=survey,
            details={"left_out": stored.get("issues", 0)},
        )
        request.session.pop(SESSION_KEY, None)
        messages.success(
            request, _("The survey is imported as a draft: check it, then publish it.")
        )
        return redirect(survey.get_absolute_url())
    form = XLSFormImportForm(posted_data(request), posted_files(request))
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            preview = xlsform_preview(form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            if not preview.question_count:
                form.add_error("file", _("No question of this file can be imported."))
                preview_issues = preview.issues
                preview = None
                return render(
                    request, "surveys/xlsform_import.html", {"form": form, "issues": preview_issues}
                )
            request.session[SESSION_KEY] = {"spec": preview.spec, "issues": len(preview.issues)}
    return render(
        request,
        "surveys/xlsform_import.html",
        {"form": form, "preview": preview, "issues": preview.issues if preview else []},
    )
