"""Back office: pools, categories and quotas, volunteers, draws, results, replacements."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from faireavec.core.exports import export_or_job
from faireavec.core.forms import add_service_errors, posted_data
from faireavec.core.permissions import permission_required
from faireavec.core.submissions import AlreadySubmitted, submit_once
from faireavec.sortition import imports
from faireavec.sortition.exports import DRAW_EXPORT
from faireavec.sortition.forms import (
    CONSENT_TEXT,
    CategoryForm,
    DrawForm,
    MembersForm,
    PoolForm,
    QuotasForm,
    ReferenceFiguresForm,
    ReplacementForm,
    SeatsForm,
    VolunteerForm,
    VolunteerImportConfirmForm,
    VolunteerImportForm,
)
from faireavec.sortition.imports import (
    ImportChanged,
    import_rows_confirmed,
    volunteer_import_confirm,
    volunteer_import_preview,
    volunteer_import_start,
    volunteers_from_members,
)
from faireavec.sortition.models import Draw, Volunteer
from faireavec.sortition.selectors import (
    draw_get,
    draw_members,
    draws_of,
    pool_categories,
    pool_get,
    pool_volunteers,
    pools_of,
    volunteer_get,
)
from faireavec.sortition.services import (
    category_create,
    draw_fill_seats,
    draw_request,
    pool_create,
    quotas_proposed,
    quotas_set,
    replacement_record,
    volunteer_register,
)

ALGORITHM_LABELS = {  # lazy: read in each request's language
    "leximin": gettext_lazy("Leximin"),
    "maximin": gettext_lazy("Maximin"),
    "uniform": gettext_lazy("Uniform under quotas"),
}


def _pool_or_404(request, pool_pk):
    pool = pool_get(organisation=request.organisation, pk=pool_pk)
    if pool is None:
        raise Http404
    return pool


def _draw_or_404(request, draw_pk):
    draw = draw_get(organisation=request.organisation, pk=draw_pk)
    if draw is None:
        raise Http404
    return draw


@permission_required("sortition.view_pool")
def pool_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "sortition/pool_list.html", {"pools": pools_of(organisation=request.organisation)}
    )


@permission_required("sortition.manage_pool")
def pool_create_view(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = PoolForm(posted_data(request), organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pool = submit_once(
                request,
                lambda: pool_create(
                    organisation=organisation,
                    actor=request.user,
                    title=data["title"],
                    panel_size=data["panel_size"],
                    description=data["description"],
                    phase=data["phase"],
                ),
                result_url=lambda p: reverse(
                    "sortition:pool_detail", kwargs={"org_slug": organisation.slug, "pool_pk": p.pk}
                ),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("sortition:pool_detail", org_slug=organisation.slug, pool_pk=pool.pk)
    return render(request, "sortition/pool_form.html", {"form": form})


@permission_required("sortition.view_pool")
def pool_detail(request: HttpRequest, pool_pk: int) -> HttpResponse:
    pool = _pool_or_404(request, pool_pk)
    categories = pool_categories(pool=pool)
    volunteers = list(pool_volunteers(pool=pool))
    return render(
        request,
        "sortition/pool_detail.html",
        {
            "pool": pool,
            "categories": categories,
            "volunteers": volunteers,
            "draws": draws_of(pool=pool),
            "category_form": CategoryForm(),
            "draw_form": DrawForm(),
            "can_manage": request.user.has_perm("sortition.manage_pool", request.organisation),
        },
    )


@permission_required("sortition.manage_pool")
@require_POST
def category_add(request: HttpRequest, pool_pk: int) -> HttpResponse:
    pool = _pool_or_404(request, pool_pk)
    form = CategoryForm(request.POST)
    if form.is_valid():
        try:
            category_create(
                pool=pool,
                actor=request.user,
                name=form.cleaned_data["name"],
                values=form.cleaned_data["values"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Category added. Set its quotas below."))
            return redirect(
                "sortition:quotas_edit", org_slug=request.organisation.slug, pool_pk=pool.pk
            )
    return render(request, "sortition/category_form.html", {"pool": pool, "form": form})


@permission_required("sortition.manage_pool")
def quotas_edit(request: HttpRequest, pool_pk: int) -> HttpResponse:
    """Minimum and maximum per value; a helper proposes quotas proportional to the pool
    or to figures typed in (the membership, the census…), which are shown to be saved."""
    pool = _pool_or_404(request, pool_pk)
    categories = pool_categories(pool=pool)
    proposed = None
    figures_form = ReferenceFiguresForm(None, categories=categories)
    action = request.POST.get("action", "")
    if request.method == "POST" and action == "propose_pool":
        proposed = quotas_proposed(pool=pool)
    elif request.method == "POST" and action == "propose_figures":
        figures_form = ReferenceFiguresForm(request.POST, categories=categories)
        if figures_form.is_valid():
            proposed = quotas_proposed(pool=pool, figures=figures_form.figures())
    if proposed is not None:
        messages.info(request, _("Proposed quotas are filled in below: check them, then save."))
        form = QuotasForm(categories=categories, initial_quotas=proposed)
    else:
        form = QuotasForm(request.POST if action == "save" else None, categories=categories)
        if action == "save" and form.is_valid():
            try:
                quotas_set(pool=pool, actor=request.user, quotas=form.quotas())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Quotas saved."))
                return redirect(
                    "sortition:pool_detail", org_slug=request.organisation.slug, pool_pk=pool.pk
                )
    return render(
        request,
        "sortition/quotas_edit.html",
        {"pool": pool, "form": form, "figures_form": figures_form, "categories": categories},
    )


@permission_required("sortition.manage_pool")
def volunteer_add(request: HttpRequest, pool_pk: int) -> HttpResponse:
    """Assisted entry: a facilitator registers someone who gave their consent on paper or by phone."""
    pool = _pool_or_404(request, pool_pk)
    categories = pool_categories(pool=pool)
    form = VolunteerForm(posted_data(request), categories=categories, assisted=True)
    if request.method == "POST" and form.is_valid():
        try:
            submit_once(
                request,
                lambda: volunteer_register(
                    pool=pool,
                    name=form.cleaned_data["name"],
                    contact=form.cleaned_data["contact"],
                    values=form.values(),
                    consent_text=str(CONSENT_TEXT),
                    source=Volunteer.Source.ASSISTED,
                    actor=request.user,
                ),
                result_url=lambda _v: reverse(
                    "sortition:pool_detail",
                    kwargs={"org_slug": request.organisation.slug, "pool_pk": pool.pk},
                ),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Volunteer added."))
            return redirect(
                "sortition:pool_detail", org_slug=request.organisation.slug, pool_pk=pool.pk
            )
    return render(request, "sortition/volunteer_add.html", {"pool": pool, "form": form})


@permission_required("sortition.draw_pool")
def draw_create(request: HttpRequest, pool_pk: int) -> HttpResponse:
    pool = _pool_or_404(request, pool_pk)
    form = DrawForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            draw = submit_once(
                request,
                lambda: draw_request(
                    pool=pool,
                    actor=request.user,
                    seed=form.cleaned_data["seed"],
                    seed_source=form.cleaned_data["seed_source"],
                    algorithm=form.cleaned_data["algorithm"],
                ),
                result_url=lambda d: reverse(
                    "sortition:draw_detail",
                    kwargs={"org_slug": request.organisation.slug, "draw_pk": d.pk},
                ),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            draw.refresh_from_db()
            if draw.status == Draw.Status.PENDING and draw.job_id:
                return redirect(
                    "core:job_detail",
                    org_slug=request.organisation.slug,
                    backgroundjob_uuid=draw.job.uuid,
                )
            return redirect(
                "sortition:draw_detail", org_slug=request.organisation.slug, draw_pk=draw.pk
            )
    return render(request, "sortition/draw_form.html", {"pool": pool, "form": form})


@permission_required("sortition.view_pool")
def draw_detail(request: HttpRequest, draw_pk: int) -> HttpResponse:
    """The result: seed, method, the panel, every volunteer's probability, the three methods."""
    draw = _draw_or_404(request, draw_pk)
    members = list(draw_members(draw=draw))
    names = {str(v.pk): v.name for v in pool_volunteers(pool=draw.pool)}
    document = draw.document or {}
    categories = document.get("categories_named", {})
    values = document.get("values_named", {})
    people = sorted(
        (
            {
                "name": names.get(p["id"], p["id"]),
                "profile": ", ".join(
                    f"{categories.get(c, c)} : {values.get(v, v)}"
                    for c, v in (part.split("=", 1) for part in p["profile"].split(";"))
                ),
                "probability": p["probability"],
                "drawn": p["id"] in document.get("panel", []),
            }
            for p in document.get("people", [])
        ),
        key=lambda row: (row["probability"], row["name"]),
    )
    comparison = [
        {**row, "label": ALGORITHM_LABELS.get(row["algorithm"], row["algorithm"])}
        for row in (draw.comparison or [])
    ]
    return render(
        request,
        "sortition/draw_detail.html",
        {
            "draw": draw,
            "pool": draw.pool,
            "members": members,
            "people": people,
            "comparison": comparison,
            "replacements": draw.replacements.select_related("leaving", "arriving"),
            "can_draw": request.user.has_perm("sortition.draw_pool", request.organisation),
        },
    )


@permission_required("sortition.export_draw")
def draw_file(request: HttpRequest, draw_pk: int) -> HttpResponse:
    """The file anyone can re-run the draw from (`manage.py sortition_verify`)."""
    draw = _draw_or_404(request, draw_pk)
    if not draw.document:
        raise Http404
    response = HttpResponse(
        json.dumps(draw.document, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="tirage-{draw.pk}.json"'
    return response


@permission_required("sortition.export_draw")
@require_POST
def draw_export(request: HttpRequest, draw_pk: int) -> HttpResponse:
    """Every volunteer with their probability and whether they are on the panel."""
    draw = _draw_or_404(request, draw_pk)
    if not draw.document:
        raise Http404
    return export_or_job(request, spec=DRAW_EXPORT, scope={"draw_pk": draw.pk})


@permission_required("sortition.draw_pool")
def replacement_create(request: HttpRequest, draw_pk: int, volunteer_pk: int) -> HttpResponse:
    draw = _draw_or_404(request, draw_pk)
    volunteer = volunteer_get(organisation=request.organisation, pk=volunteer_pk)
    if volunteer is None or volunteer.pool_id != draw.pool_id:
        raise Http404
    form = ReplacementForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            replacement = replacement_record(
                draw=draw, actor=request.user, leaving=volunteer, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(arriving)s replaces %(leaving)s on the panel.")
                % {"arriving": replacement.arriving.name, "leaving": volunteer.name},
            )
            return redirect(
                "sortition:draw_detail", org_slug=request.organisation.slug, draw_pk=draw.pk
            )
    return render(
        request,
        "sortition/replacement_form.html",
        {"draw": draw, "volunteer": volunteer, "form": form},
    )


SKIPPED_SHOWN = 10


@permission_required("sortition.manage_pool")
def volunteer_members(request: HttpRequest, pool_pk: int) -> HttpResponse:
    """Take volunteers from the member register: all active members or one college's,
    each category's value from the member's college or the same for all. Their consent
    stays « to be confirmed » until they confirm it themselves."""
    pool = _pool_or_404(request, pool_pk)
    categories = pool_categories(pool=pool)
    form = MembersForm(
        request.POST if request.method == "POST" else None,
        organisation=request.organisation,
        categories=categories,
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = volunteers_from_members(
                pool=pool,
                actor=request.user,
                features=form.features(),
                college=form.cleaned_data["college"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            added = len(result.added)
            messages.success(
                request,
                ngettext(
                    "%(count)s member added to the pool; their consent is to be confirmed.",
                    "%(count)s members added to the pool; their consent is to be confirmed.",
                    added,
                )
                % {"count": added},
            )
            if result.skipped:
                skipped = len(result.skipped)
                messages.warning(
                    request,
                    ngettext(
                        "%(count)s member left out: %(why)s",
                        "%(count)s members left out: %(why)s",
                        skipped,
                    )
                    % {"count": skipped, "why": " ".join(result.skipped[:SKIPPED_SHOWN])},
                )
            return redirect(
                "sortition:pool_detail", org_slug=request.organisation.slug, pool_pk=pool.pk
            )
    return render(
        request,
        "sortition/volunteer_members.html",
        {"pool": pool, "form": form, "categories": categories},
    )


@permission_required("sortition.manage_pool")
def volunteer_import(request: HttpRequest, pool_pk: int) -> HttpResponse:
    """Import volunteers from a file: first a preview of every row and its problems
    (nothing written), then a confirmation that writes them all or none."""
    pool = _pool_or_404(request, pool_pk)
    form = VolunteerImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    preview, confirm_form = None, None
    if request.method == "POST" and form.is_valid():
        try:
            preview, signed = volunteer_import_preview(
                pool=pool, actor=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            if signed:
                confirm_form = VolunteerImportConfirmForm(initial={"signed": signed})
    return render(
        request,
        "sortition/volunteer_import.html",
        {
            "pool": pool,
            "form": form,
            "preview": preview,
            "confirm_form": confirm_form,
            "categories": pool_categories(pool=pool),
        },
    )


@permission_required("sortition.manage_pool")
@require_POST
def volunteer_import_confirm_view(request: HttpRequest, pool_pk: int) -> HttpResponse:
    pool = _pool_or_404(request, pool_pk)
    form = VolunteerImportConfirmForm(request.POST)
    back = redirect(
        "sortition:volunteer_import", org_slug=request.organisation.slug, pool_pk=pool.pk
    )
    if not form.is_valid():
        messages.error(
            request, _("This preview has expired or was altered: choose the file again.")
        )
        return back
    try:
        if (
            import_rows_confirmed(pool=pool, actor=request.user, signed=form.cleaned_data["signed"])
            > imports.IMPORT_IN_REQUEST_MAX_ROWS
        ):
            job = volunteer_import_start(
                pool=pool,
                actor=request.user,
                signed=form.cleaned_data["signed"],
                consent_given=form.cleaned_data["consent_given"],
            )
            return redirect(
                "core:job_detail", org_slug=request.organisation.slug, backgroundjob_uuid=job.uuid
            )
        created = volunteer_import_confirm(
            pool=pool,
            actor=request.user,
            signed=form.cleaned_data["signed"],
            consent_given=form.cleaned_data["consent_given"],
        )
    except ImportChanged:
        messages.error(
            request,
            _(
                "The pool changed since the preview, so nothing was written. "
                "Choose the file again to check its rows, then confirm."
            ),
        )
        return back
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return back
    messages.success(
        request,
        ngettext("%(count)s volunteer imported.", "%(count)s volunteers imported.", len(created))
        % {"count": len(created)},
    )
    return redirect("sortition:pool_detail", org_slug=request.organisation.slug, pool_pk=pool.pk)


@permission_required("sortition.draw_pool")
def draw_seats(request: HttpRequest, draw_pk: int) -> HttpResponse:
    """The panel takes the free seats of the pool's body (governance's mandates)."""
    draw = _draw_or_404(request, draw_pk)
    form = SeatsForm(posted_data(request))
    if request.method == "POST" and draw.pool.body_id and form.is_valid():
        try:
            mandates = draw_fill_seats(
                draw=draw, actor=request.user, starts_on=form.cleaned_data["starts_on"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s seat of « %(body)s » given to the panel.",
                    "%(count)s seats of « %(body)s » given to the panel.",
                    len(mandates),
                )
                % {"count": len(mandates), "body": draw.pool.body.name},
            )
            return redirect(
                "sortition:draw_detail", org_slug=request.organisation.slug, draw_pk=draw.pk
            )
    return render(
        request, "sortition/draw_seats.html", {"draw": draw, "pool": draw.pool, "form": form}
    )
