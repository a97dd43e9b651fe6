from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from faireavec.core.forms import add_service_errors, posted_data
from faireavec.core.navigation import organisation_links
from faireavec.core.notifications import notifications_unread_count
from faireavec.core.ratelimit import Limit, rate_limit_hit
from faireavec.core.submissions import AlreadySubmitted, submission_replay, submit_once
from faireavec.organisations.forms import (
    InvitationCodeForm,
    OrganisationCreateForm,
)
from faireavec.organisations.selectors import (
    invitation_get_by_code,
    memberships_of_user,
    organisations_public,
)
from faireavec.organisations.services import organisation_create


def home(request: HttpRequest) -> HttpResponse:
    """The platform home: what FaireAvec is, and the public organisations."""
    return render(request, "organisations/home.html", {"organisations": organisations_public()})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """« Mon espace »: the person's organisations, to switch between them, with
    the personal pages each app offers there (« Mes contributions »…) and the
    count of unread notifications. It combines apps, so it lives here, above
    accounts and core, and reads the apps' `personal_links`."""
    memberships = list(memberships_of_user(user=request.user))
    entries = [
        (m, organisation_links(user=request.user, organisation=m.organisation, side="personal"))
        for m in memberships
    ]
    return render(
        request,
        "organisations/dashboard.html",
        {
            "memberships": memberships,
            "entries": entries,
            "unread_count": notifications_unread_count(user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_new(request: HttpRequest) -> HttpResponse:
    if replay := submission_replay(request):
        return replay
    form = OrganisationCreateForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            organisation = submit_once(
                request,
                lambda: organisation_create(creator=request.user, **form.cleaned_data),
                result_url=lambda org: reverse(
                    "organisations:backoffice_home", kwargs={"org_slug": org.slug}
                ),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("organisations:backoffice_home", org_slug=organisation.slug)
    return render(request, "organisations/organisation_create.html", {"form": form})


# As for follow-up codes: only wrong codes count, and a right code always
# answers, so a hall on one wifi where some mistype is never locked out. Ten
# symbols out of 31 make guessing hopeless; the limit only slows floods.
INVITATION_CODE_MISS = Limit("invitation_code_miss", 30, 900)


@require_GET
def invitation_code(request: HttpRequest) -> HttpResponse:
    """« J'ai un code d'invitation »: type the code printed on a poster, go on to
    the invitation's page (which says whether it can still be used)."""
    if "code" not in request.GET:
        return render(request, "organisations/invitation_code.html", {"form": InvitationCodeForm()})
    form = InvitationCodeForm(request.GET)
    if not form.is_valid():  # not a code at all (an O for a 0…): nothing to count
        return render(request, "organisations/invitation_code.html", {"form": form}, status=400)
    invitation = invitation_get_by_code(code=form.cleaned_data["code"])
    if invitation is not None:
        return redirect(invitation.get_absolute_url())
    blocked = rate_limit_hit(INVITATION_CODE_MISS, request)
    form.add_error(
        "code", _("We found no invitation with this code. Check each letter and try again.")
    )
    return render(
        request,
        "organisations/invitation_code.html",
        {"form": form, "blocked": blocked},
        status=429 if blocked else 404,
    )
