"""Every organisation-scoped route, walked from the URL configuration.

For each route under `<org_slug>/`, with real objects of the demo organisation
in its URL (so a 404 cannot come from a missing object):

- its own administrator reaches it (not a 404: the test is not vacuous);
- an administrator of another organisation gets a 404 on back-office routes,
  and on public routes while the organisation is private;
- an anonymous visitor is sent to the login page or gets a 404;
- the dangerous case: its own administrator, under its *own* slug, with the
  ids of the *other* demo organisation (« L'Épicerie solidaire ») in the URL,
  gets a 404 on GET and POST;
- every form field that takes an id (a select of sites, needs, categories…),
  posted with the other organisation's id, is refused: no 500, no write.

Routes added by later modules are covered without anyone listing them. URL
arguments must be named `<model>_<field>` (`site_pk`, `invitation_token`) so
that the test can find an object of that model belonging to the organisation.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from faireavec.accounts.models import User
from faireavec.core.tests.module_world import module_world
from faireavec.organisations.demo import demo_build_all
from faireavec.organisations.models import CharterAcceptance, CharterVersion, Organisation
from faireavec.organisations.tenancy import is_backoffice_route

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


def _object_of(model, organisation: Organisation):
    """The first object of `model` belonging to `organisation`."""
    lookup = _path_to_organisation(model)
    assert lookup, f"{model.__name__} has no path to its organisation"
    obj = model._default_manager.filter(**{lookup: organisation}).order_by("pk").first()
    assert obj is not None, (
        f"No {model.__name__} in the demo organisation {organisation.slug}: "
        "add one to the app's demo.populate"
    )
    return obj


def _value_for(arg: str, organisation: Organisation, tenant_models: dict) -> str:
    model_name, _, field_name = arg.partition("_")
    model = tenant_models.get(model_name)
    assert model is not None, (
        f"URL argument «{arg}» must be named <model>_<field> after a FaireAvec model"
    )
    obj = _object_of(model, organisation)
    return str(getattr(obj, "pk" if field_name == "pk" else field_name))


def _url(route: str, organisation: Organisation, tenant_models: dict, ids_of=None) -> str:
    """The route filled with `organisation`'s slug and the ids of objects of
    `ids_of` (by default the same organisation)."""

    def fill(match: re.Match) -> str:
        if match["name"] == "org_slug":
            return organisation.slug
        return _value_for(match["name"], ids_of or organisation, tenant_models)

    return "/" + ARG.sub(fill, route)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with module_world(django_db_blocker):
        # Both demo organisations, each with one object behind every URL.
        own, other = demo_build_all(small=True)
        # Its administrator accepted the charter: the contribution form is reached, not
        # the charter page before it.
        version = CharterVersion.objects.filter(organisation=own.organisation).first()
        CharterAcceptance.objects.get_or_create(version=version, user=own.users["admin"])
        yield {
            "org": own.organisation,
            "own_admin": own.users["admin"],
            "other_org": other.organisation,
            "other_admin": other.users["admin"],
        }


ROUTES = organisation_routes()
ROUTES_WITH_IDS = [(r, n) for r, n in ROUTES if len(ARG.findall(r)) > 1]


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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("route", "name"), ROUTES_WITH_IDS, ids=[name for _, name in ROUTES_WITH_IDS]
)
def test_other_organisations_ids_under_own_slug_are_not_found(world, route, name):
    """The dangerous case the middleware cannot catch: an administrator of this
    organisation, under this organisation's slug, with another organisation's
    object in the URL, gets a 404 — GET and POST (405 where only GET exists)."""
    url = _url(route, world["org"], _tenant_models(), ids_of=world["other_org"])
    own = Client()
    own.force_login(world["own_admin"])
    assert own.get(url).status_code in (404, 405), f"GET {url}: another organisation's object"
    assert own.post(url, {}).status_code in (404, 405), f"POST {url}: another organisation's object"


class _Forms(HTMLParser):
    """The forms of a page as a browser would submit them: action, method and
    the (name, value) pairs of their fields (first submit button included)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._submit_seen = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "action": a.get("action") or "",
                    "method": a.get("method", "get"),
                    "fields": [],
                    "names": set(),  # every field's name, unchecked boxes included
                }
            )
            self._submit_seen = False
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = a.get("name")
        if name and tag in ("input", "select", "textarea"):
            self.forms[-1]["names"].add(name)
        kind = a.get("type", "submit" if tag == "button" else "text")
        if tag in ("input", "button") and name and kind in ("submit", "image"):
            if not self._submit_seen:
                fields.append((name, a.get("value") or ""))
                self._submit_seen = True
        elif tag == "input" and name and kind in ("checkbox", "radio"):
            if "checked" in a:
                fields.append((name, a.get("value") or "on"))
        elif tag == "input" and name and kind not in ("file", "button", "reset"):
            fields.append((name, a.get("value") or ""))
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value") or "", "selected" in a))
        elif tag == "textarea" and name:
            self._textarea = name
            fields.append((name, ""))

    def handle_data(self, data):
        if self._textarea and self.forms:
            name, value = self.forms[-1]["fields"][-1]
            self.forms[-1]["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None and self.forms:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            self.forms[-1]["fields"].extend((self._select, v) for v in chosen)
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _context_forms(response) -> list:
    found = []
    contexts = response.context if isinstance(response.context, list) else [response.context]
    values = [v for c in contexts if c is not None for v in c.flatten().values()]
    for value in values:
        if isinstance(value, forms.BaseForm) and all(value is not f for f in found):
            found.append(value)
    return found


def _id_fields(response) -> dict[str, type[models.Model]]:
    """{posted name: model} of every field of the page's forms that takes an id."""
    fields = {}
    for form in _context_forms(response):
        for name, field in form.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                fields[form.add_prefix(name)] = field.queryset.model
    return fields


def _foreign_object(model, world):
    if model is User:
        return world["other_admin"]
    return _object_of(model, world["other_org"])


def _links_to(obj, organisation: Organisation) -> int:
    """How many rows of `organisation` point at `obj` (a foreign key or a many-to-many)."""
    total = 0
    for model in _tenant_models().values():
        lookup = _path_to_organisation(model)
        if not lookup:
            continue
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model is type(obj):
                total += model._default_manager.filter(
                    **{lookup: organisation, field.name: obj}
                ).count()
    return total


def _counts() -> dict[str, int]:
    return {label: m._default_manager.count() for label, m in _tenant_models().items()}


def _field_refused(response, field_name: str) -> bool | None:
    """True if a bound form of the response has an error on `field_name`; None
    when no bound form of the response holds that field (the view refused otherwise)."""
    holders = [
        (form, name)
        for form in _context_forms(response)
        if form.is_bound
        for name in form.fields
        if form.add_prefix(name) == field_name
    ]
    if not holders:
        return None
    return any(name in form.errors for form, name in holders)


@pytest.mark.django_db
def test_id_fields_refuse_another_organisations_ids(world):
    """Every form field that takes an id, on every organisation page, is posted
    with an object of the other organisation: the form refuses it (an error on
    that field), there is no 500, nothing is written and nothing links to it."""
    org = world["org"]
    tenant_models = _tenant_models()
    own = Client()
    own.force_login(world["own_admin"])
    tried, problems = set(), []
    for route, name in ROUTES:
        url = _url(route, org, tenant_models)
        page = own.get(url)
        if page.status_code != 200 or not page.context:
            continue
        id_fields = _id_fields(page)
        if not id_fields:
            continue
        parser = _Forms()
        parser.feed(page.content.decode())
        for html_form in parser.forms:
            if html_form["method"].lower() != "post":
                continue
            action = urljoin(url, html_form["action"]) if html_form["action"] else url
            for field_name, model in id_fields.items():
                if field_name not in html_form["names"]:
                    continue
                foreign = _foreign_object(model, world)
                data: dict[str, list[str]] = {}
                for n, v in html_form["fields"]:
                    if n != field_name:
                        data.setdefault(n, []).append(v)
                data[field_name] = [str(foreign.pk)]
                before, links_before = _counts(), _links_to(foreign, org)
                response = own.post(action, data)
                tried.add(f"{name}:{field_name}")
                where = f"{name} ({action}), field {field_name}"
                if response.status_code >= 500:
                    problems.append(f"{where}: {response.status_code}")
                elif _counts() != before or _links_to(foreign, org) != links_before:
                    problems.append(f"{where}: another organisation's id was written")
                elif _field_refused(response, field_name) is False:
                    problems.append(f"{where}: the form accepted another organisation's id")
    assert not problems, "\n".join(problems)
    # Not vacuous: the walk reached the forms known to take ids.
    assert {
        "contributions:contribution_create:site",
        "contributions:contribution_assisted:site",
        "needs:contribution_link:need",
        "stakeholders:stakeholder_create:subcategory",
        "stakeholders:stakeholder_edit:user",
    } <= tried, sorted(tried)
