"""Every organisation-scoped route, walked from the URL configuration.

For each route under `<org_slug>/`, with real objects of the demo organisation
in its URL (so a 404 cannot come from a missing object):

- its own administrator reaches it (not a 404: the test is not vacuous);
- an administrator of another organisation gets a 404 on back-office routes,
  and on public routes while the organisation is private;
- an anonymous visitor is sent to the login page or gets a 404.

Routes added by later modules are covered without anyone listing them. URL
arguments must be named `<model>_<field>` (`site_pk`, `invitation_token`) so
that the test can find an object of that model belonging to the organisation.
"""

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from faireavec.organisations.demo import demo_build
from faireavec.organisations.models import Membership, Organisation, Role
from faireavec.organisations.tenancy import is_backoffice_route
from faireavec.organisations.tests.factories import MembershipFactory, OrganisationFactory

ARG = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def organisation_routes() -> list[tuple[str, str]]:
    """(route, name) of every URL pattern under `<slug:org_slug>/`."""
    found = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, route, ns)
            elif isinstance(p, URLPattern) and route.startswith("<slug:org_slug>/"):
                found.append((route, f"{namespace}{p.name}"))

    walk(get_resolver().url_patterns, "", "")
    return found


def _tenant_models() -> dict[str, type[models.Model]]:
    labels = {app.rsplit(".", 1)[-1] for app in settings.FAIREAVEC_APPS}
    return {m._meta.model_name: m for m in apps.get_models() if m._meta.app_label in labels}


def _path_to_organisation(model, depth: int = 0) -> str | None:
    """The lookup from `model` to its organisation (`organisation`, `parent__organisation`…)."""
    if model is Organisation:
        return "pk"
    for field in model._meta.get_fields():
        if isinstance(field, models.ForeignKey) and field.related_model is Organisation:
            return field.name
    if depth < 3:
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is not model:
                rest = _path_to_organisation(field.related_model, depth + 1)
                if rest and rest != "pk":
                    return f"{field.name}__{rest}"
    return None


def _value_for(arg: str, organisation: Organisation, tenant_models: dict) -> str:
    model_name, _, field_name = arg.partition("_")
    model = tenant_models.get(model_name)
    assert model is not None, (
        f"URL argument «{arg}» must be named <model>_<field> after a FaireAvec model"
    )
    lookup = _path_to_organisation(model)
    assert lookup, f"{model.__name__} has no path to its organisation"
    obj = model._default_manager.filter(**{lookup: organisation}).order_by("pk").first()
    assert obj is not None, (
        f"No {model.__name__} in the demo organisation: add one to the app's demo.populate"
    )
    return str(getattr(obj, "pk" if field_name == "pk" else field_name))


def _url(route: str, organisation: Organisation, tenant_models: dict) -> str:
    def fill(match: re.Match) -> str:
        if match["name"] == "org_slug":
            return organisation.slug
        return _value_for(match["name"], organisation, tenant_models)

    return "/" + ARG.sub(fill, route)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ctx = demo_build(small=True)
        other = OrganisationFactory(slug="autre-organisation")
        other_admin = MembershipFactory(organisation=other, role=Role.ADMIN).user
        own_admin = (
            Membership.objects.filter(organisation=ctx.organisation, role=Role.ADMIN).first().user
        )
        yield {"org": ctx.organisation, "own_admin": own_admin, "other_admin": other_admin}
        # Module-scoped data lives outside the per-test transactions: clean it up.
        Organisation.objects.filter(pk__in=[ctx.organisation.pk, other.pk]).delete()


ROUTES = organisation_routes()


def test_routes_were_found():
    """The walk sees the organisations app's routes (a broken walk must not pass silently)."""
    names = {name for _, name in ROUTES}
    assert "organisations:home" in names
    assert "organisations:backoffice_home" in names


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), ROUTES, ids=[name for _, name in ROUTES])
def test_route_is_scoped_to_its_organisation(world, route, name):
    org = world["org"]
    tenant_models = _tenant_models()
    url = _url(route, org, tenant_models)
    view = resolve(url).func
    backoffice = is_backoffice_route(route)

    own = Client()
    own.force_login(world["own_admin"])
    assert own.get(url).status_code != 404, f"{url}: its own administrator gets a 404"

    other = Client()
    other.force_login(world["other_admin"])
    anonymous = Client()
    if backoffice:
        assert other.get(url).status_code == 404, f"GET {url} by another organisation"
        assert other.post(url, {}).status_code == 404, f"POST {url} by another organisation"
        response = anonymous.get(url)
        assert response.status_code in (302, 404), f"GET {url} anonymously"
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("account_login"))
        return

    if getattr(view, "open_to_non_members", False):
        pytest.skip("open to non-members by design")
    Organisation.objects.filter(pk=org.pk).update(visibility=Organisation.Visibility.PRIVATE)
    try:
        assert other.get(url).status_code == 404, f"{url} of a private organisation, other org"
        assert anonymous.get(url).status_code in (302, 404), f"{url} of a private org, anonymous"
    finally:
        Organisation.objects.filter(pk=org.pk).update(visibility=Organisation.Visibility.PUBLIC)
