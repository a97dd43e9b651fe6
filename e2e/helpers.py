"""Steps shared by browser tests."""

import re

from django.core import mail
from playwright.sync_api import Page

CODE = re.compile(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]+)*)\s*$", re.MULTILINE)


def last_code_sent_to(email: str) -> str:
    """The code in the last email sent to `email` (login or verification code)."""
    messages = [m for m in mail.outbox if email in m.to]
    assert messages, f"no email sent to {email}"
    match = CODE.search(messages[-1].body)
    assert match, messages[-1].body
    return match.group(1)


def login_with_password(page: Page, email: str, password: str) -> None:
    page.goto("/compte/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Me connecter avec mon mot de passe").click()
