"""Browser tests: Playwright driving Debian's Chromium, on a phone-sized screen,
in French, with JavaScript OFF — every flow must work without it.

Call `check_a11y(page)` on every page a test visits (see `e2e/checks.py` for
what it checks: axe, 24 px targets, no sideways scrolling at 320 px with larger
text, the h1 on a small phone's first screen). Every page the `page` and
`new_page` fixtures open is recorded: a test that visited a page without
checking it fails at teardown, listing the pages. Helpers in `e2e/helpers.py`
check the pages they go through.
"""

import os
import shutil

import pytest
from django.core import mail

# Playwright's sync API runs an event loop in this thread; Django's ORM calls
# made by the test itself are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Page, sync_playwright

from e2e import helpers
from e2e.checks import PageChecks

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


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so teardown knows whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page_checks(browser, request):
    """The checks of this test; at teardown, fail if a page visited was not checked."""
    checks = PageChecks(browser)
    helpers.active_checks = checks
    yield checks
    helpers.active_checks = None
    checks.close()
    call = getattr(request.node, "report_call", None)
    unchecked = checks.unchecked()
    if call is not None and call.passed and unchecked:
        pytest.fail(
            "pages visited but never checked with check_a11y(page):\n  " + "\n  ".join(unchecked),
            pytrace=False,
        )


@pytest.fixture
def new_page(browser, live_server, page_checks):
    """Make a fresh person's browser (own cookies), JavaScript off, phone-sized;
    `new_page(javascript=True)` for the few tests of what scripts add (HTMX)."""
    contexts = []

    def make(*, javascript: bool = False) -> Page:
        context = browser.new_context(
            java_script_enabled=javascript,
            locale="fr-FR",
            viewport=PHONE,
            base_url=live_server.url,
        )
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        page_checks.watch(page)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture
def check_a11y(page_checks):
    """`check_a11y(page)`: run the browser check on the page as it is now."""
    return page_checks.check


@pytest.fixture
def outbox():
    """Emails sent during the test (the live server runs in this process)."""
    mail.outbox = []
    return mail.outbox


@pytest.fixture(autouse=True)
def _locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
