"""Public pages: registering as a volunteer for a draw (no account, no JavaScript)."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from faireavec.core.forms import add_service_errors, posted_data
from faireavec.core.submissions import AlreadySubmitted, submit_once
from faireavec.sortition.forms import CONSENT_TEXT, VolunteerForm
from faireavec.sortition.selectors import pool_categories, pool_get
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
