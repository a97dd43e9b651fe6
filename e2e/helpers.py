"""Steps shared by browser tests. They check the pages they go through."""

import re

from django.core import mail
from playwright.sync_api import Page, expect

from e2e.checks import PageChecks

CODE = re.compile(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]+)*)\s*$", re.MULTILINE)

# The checks of the test running now (set by the `page_checks` fixture).
active_checks: PageChecks | None = None


def check_a11y(page: Page) -> None:
    """The `check_a11y` fixture, for helpers that have no fixtures."""
    assert active_checks is not None, "check_a11y runs inside a browser test"
    active_checks.check(page)


def last_code_sent_to(email: str) -> str:
    """The code in the last email sent to `email` (login or verification code)."""
    messages = [m for m in mail.outbox if email in m.to]
    assert messages, f"no email sent to {email}"
    match = CODE.search(messages[-1].body)
    assert match, messages[-1].body
    return match.group(1)


def login_with_password(page: Page, email: str, password: str) -> None:
    page.goto("/compte/login/")
    check_a11y(page)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Me connecter avec mon mot de passe").click()
    expect(page).not_to_have_url(re.compile("/compte/login/"))
    check_a11y(page)


def open_menu(page: Page) -> None:
    """Unfold the header's « Menu » (folded on a phone, flat on a wide screen)."""
    menu = page.locator("details.site-menu")
    summary = menu.locator("summary")
    if menu.get_attribute("open") is None and summary.is_visible():
        summary.click()
