"""Pages stay light on old phones, and load scripts only where they use them.

- Every participant page (the organisation's public pages and the person's own
  pages, anonymous and signed in as a participant) weighs under 30 KB
  transferred: the HTML as the platform sends it (gzip, GZipMiddleware) plus
  each stylesheet and script it loads, gzipped as the web server in front of
  the platform sends static files.
- A page loads htmx if and only if it uses `hx-*` attributes (every page walked,
  back office included), and every template with `hx-*` fills base.html's
  `scripts` block with `includes/htmx.html` (itself or every page including it).
"""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from faireavec.core.tests.module_world import module_world
from faireavec.core.tests.test_tenancy_routes import _tenant_models, _url, organisation_routes
from faireavec.organisations.demo import demo_build
from faireavec.organisations.tenancy import is_backoffice_route

BUDGET = 30_000  # bytes transferred, HTML + CSS + JS
PERSONAL_PAGES = ["/", "/accessibilite/", "/compte/login/", "/compte/signup/"]
SIGNED_IN_PAGES = ["/mon-espace/", "/mon-espace/notifications/", "/preferences/"]
ASSET = re.compile(r'<(?:link[^>]*\shref|script[^>]*\ssrc)="(' + settings.STATIC_URL + r'[^"]+)"')
USES_HTMX = re.compile(r"\shx-[a-z-]+=")
LOADS_HTMX = re.compile(r'<script[^>]*\ssrc="[^"]*htmx[^"]*\.js"')
HTMX_INCLUDE = 'include "includes/htmx.html"'


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with module_world(django_db_blocker):
        yield demo_build(small=True)


def _pages(demo, *, backoffice: bool) -> list[str]:
    tenant_models = _tenant_models()
    return [
        _url(route, demo.organisation, tenant_models)
        for route, _ in organisation_routes()
        if is_backoffice_route(route) == backoffice
    ]


def _get(client: Client, url: str) -> tuple[str, int] | None:
    """(HTML, bytes transferred) of a page answered with HTML, else None."""
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return None
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        return gzip.decompress(body).decode(), len(body)
    return body.decode(), len(body)


def _asset_bytes(url: str) -> int:
    path = finders.find(url.removeprefix(settings.STATIC_URL).split("?")[0])
    assert path, f"{url} is not a static file"
    return len(gzip.compress(Path(path).read_bytes(), compresslevel=6))


def _clients(demo) -> dict[str, Client]:
    participant = Client()
    participant.force_login(demo.users["participant"])
    return {"anonymous": Client(), "participant": participant}


@pytest.mark.django_db
def test_participant_pages_weigh_under_30_kb_and_load_htmx_only_when_used(demo):
    checked, problems = 0, []
    for who, client in _clients(demo).items():
        urls = PERSONAL_PAGES + _pages(demo, backoffice=False)
        if who != "anonymous":
            urls += SIGNED_IN_PAGES
        for url in urls:
            page = _get(client, url)
            if page is None:
                continue
            html, transferred = page
            checked += 1
            total = transferred + sum(_asset_bytes(a) for a in set(ASSET.findall(html)))
            if total > BUDGET:
                problems.append(f"{who} {url}: {total} bytes transferred (budget {BUDGET})")
            if bool(USES_HTMX.search(html)) != bool(LOADS_HTMX.search(html)):
                problems.append(f"{who} {url}: uses hx-* and loads htmx must go together")
    assert checked >= 15, "the walk saw too few pages to mean anything"
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_back_office_pages_load_htmx_only_when_used(demo):
    admin = Client()
    admin.force_login(demo.users["admin"])
    problems, with_htmx = [], 0
    for url in _pages(demo, backoffice=True):
        page = _get(admin, url)
        if page is None:
            continue
        uses = bool(USES_HTMX.search(page[0]))
        with_htmx += uses
        if uses != bool(LOADS_HTMX.search(page[0])):
            problems.append(f"{url}: uses hx-* and loads htmx must go together")
    assert with_htmx, "no back-office page uses htmx: the walk is not seeing the inbox"
    assert not problems, "\n".join(problems)


def _templates() -> dict[str, str]:
    """name → source of every template of the project and its apps."""
    roots = [Path(settings.BASE_DIR) / "templates"] + [
        Path(settings.BASE_DIR) / app.replace(".", "/") / "templates"
        for app in settings.FAIREAVEC_APPS
    ]
    return {
        str(path.relative_to(root)): path.read_text()
        for root in roots
        if root.is_dir()
        for path in root.rglob("*.html")
    }


def test_every_template_using_hx_loads_htmx():
    templates = _templates()
    problems = []
    for name, source in templates.items():
        if name == "base.html" or not USES_HTMX.search(source):
            continue
        if "{% extends" in source:
            if HTMX_INCLUDE not in source:
                problems.append(f"{name} uses hx-* but does not load htmx")
            continue
        includers = [n for n, s in templates.items() if f'include "{name}"' in s]
        assert includers, f"{name} uses hx-* and no page includes it"
        problems += [
            f"{n} includes {name} (hx-*) but does not load htmx"
            for n in includers
            if HTMX_INCLUDE not in templates[n]
        ]
    assert not problems, "\n".join(problems)


def test_base_loads_no_script_by_itself():
    base = _templates()["base.html"]
    assert "<script" not in base and "htmx_script" not in base
