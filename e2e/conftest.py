"""Browser tests: Playwright driving Debian's Chromium, on a phone-sized screen,
in French, with JavaScript OFF — every flow must work without it.

`check_a11y(page)` runs axe-core (WCAG 2.1 A and AA) on what the page shows and
fails on any violation, and checks that the page reflows at 320 px wide without
sideways scrolling. axe itself needs JavaScript, so it runs in a twin page with
JavaScript on, to which the exact same HTML is served at the same URL.
Call it on every page a test visits.
"""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

# Playwright's sync API runs an event loop in this thread; Django's ORM calls
# made by the test itself are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Page, sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
NARROWEST = {"width": 320, "height": 640}  # WCAG 1.4.10: no sideways scrolling at 320 px
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ARTIFACTS = os.path.join(os.path.dirname(__file__), "artifacts")


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Make a fresh person's browser (own cookies), JavaScript off, phone-sized."""
    contexts = []

    def make() -> Page:
        context = browser.new_context(
            java_script_enabled=False, locale="fr-FR", viewport=PHONE, base_url=live_server.url
        )
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture
def check_a11y(browser):
    """Run axe on the page as it is now; fail with axe's report on any violation."""
    context = browser.new_context(java_script_enabled=True, locale="fr-FR", viewport=NARROWEST)
    axe = Axe()
    checked = []

    def check(page: Page) -> None:
        html, url = page.content(), page.url
        twin = context.new_page()
        twin.route(
            url,
            lambda route: route.fulfill(
                status=200, content_type="text/html; charset=utf-8", body=html
            ),
        )
        twin.goto(url)
        result = axe.run(twin, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        overflow = twin.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        twin.close()
        checked.append(url)
        if result.violations_count:
            os.makedirs(ARTIFACTS, exist_ok=True)
            page.screenshot(
                path=os.path.join(ARTIFACTS, f"a11y-failure-{len(checked)}.png"), full_page=True
            )
        assert result.violations_count == 0, f"axe on {url}:\n{result.generate_report()}"
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at 320 px wide"

    yield check
    context.close()


@pytest.fixture
def outbox():
    """Emails sent during the test (the live server runs in this process)."""
    mail.outbox = []
    return mail.outbox


@pytest.fixture(autouse=True)
def _locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
