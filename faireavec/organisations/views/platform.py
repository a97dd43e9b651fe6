from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from faireavec.organisations.forms import (
    OrganisationCreateForm,
    add_service_errors,
    posted_data,
)
from faireavec.organisations.selectors import organisations_public
from faireavec.organisations.services import organisation_create


def home(request: HttpRequest) -> HttpResponse:
    """The platform home: what FaireAvec is, and the public organisations."""
    return render(request, "organisations/home.html", {"organisations": organisations_public()})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_new(request: HttpRequest) -> HttpResponse:
    form = OrganisationCreateForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisation_create(creator=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("organisations:backoffice_home", org_slug=organisation.slug)
    return render(request, "organisations/organisation_create.html", {"form": form})
