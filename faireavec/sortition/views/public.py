"""Public pages: registering as a volunteer for a draw (no account, no JavaScript)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from faireavec.core.forms import add_service_errors, posted_data
from faireavec.core.submissions import AlreadySubmitted, submit_once
from faireavec.sortition.forms import CONSENT_TEXT, ConsentForm, VolunteerForm
from faireavec.sortition.imports import volunteer_consent_confirm
from faireavec.sortition.selectors import pool_categories, pool_get, volunteer_of_user
from faireavec.sortition.services import volunteer_register


def volunteer_register_view(request: HttpRequest, pool_pk: int) -> HttpResponse:
    pool = pool_get(organisation=request.organisation, pk=pool_pk)
    if pool is None:
        raise Http404
    can_register = request.user.has_perm("sortition.register_volunteer", pool)
    if not request.user.has_perm("sortition.register_volunteer", request.organisation):
        raise Http404
    categories = pool_categories(pool=pool)
    form = VolunteerForm(posted_data(request), categories=categories)
    if request.method == "POST" and can_register and form.is_valid():
        try:
            submit_once(
                request,
                lambda: volunteer_register(
                    pool=pool,
                    name=form.cleaned_data["name"],
                    contact=form.cleaned_data["contact"],
                    values=form.values(),
                    consent_text=str(CONSENT_TEXT),
                    user=request.user,
                ),
                result_url=lambda _v: reverse(
                    "sortition:volunteer_thanks",
                    kwargs={"org_slug": request.organisation.slug, "pool_pk": pool.pk},
                ),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(
                "sortition:volunteer_thanks", org_slug=request.organisation.slug, pool_pk=pool.pk
            )
    return render(
        request,
        "sortition/volunteer_register.html",
        {"pool": pool, "form": form, "can_register": can_register},
    )


def volunteer_thanks(request: HttpRequest, pool_pk: int) -> HttpResponse:
    pool = pool_get(organisation=request.organisation, pk=pool_pk)
    if pool is None or not request.user.has_perm(
        "sortition.register_volunteer", request.organisation
    ):
        raise Http404
    return render(request, "sortition/volunteer_thanks.html", {"pool": pool})


@login_required
def volunteer_consent(request: HttpRequest, pool_pk: int) -> HttpResponse:
    """A person taken from the member register (or a file) confirms their own consent
    to be drawn; until then they are in the pool but not drawn."""
    pool = pool_get(organisation=request.organisation, pk=pool_pk)
    if pool is None:
        raise Http404
    volunteer = volunteer_of_user(pool=pool, user=request.user)
    form = ConsentForm(request.POST if request.method == "POST" else None)
    if (
        request.method == "POST"
        and volunteer is not None
        and volunteer.consent_pending
        and form.is_valid()
    ):
        try:
            volunteer_consent_confirm(volunteer=volunteer, user=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you: your consent is recorded."))
            return redirect(
                "sortition:volunteer_consent", org_slug=request.organisation.slug, pool_pk=pool.pk
            )
    return render(
        request,
        "sortition/volunteer_consent.html",
        {"pool": pool, "volunteer": volunteer, "form": form},
    )
