"""Signing in, in plain words: allauth's login form, messages and code pages
adjusted for people who have no password and sign in with an emailed code.

- The login form's password is not marked « required »: many participants have
  none and sign in by code; an empty password gets a message that says so.
- The adapter's messages for a wrong or used-up code say what to do next.
- An expired code (the page is reached after `ACCOUNT_LOGIN_BY_CODE_TIMEOUT`)
  says so, instead of silently landing on the request page.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.views import ConfirmLoginCodeView
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from faireavec.accounts.adapter import email_site

# allauth's defaults when a timeout is not set (allauth/account/app_settings.py).
CODE_TIMEOUTS = {
    "login": ("ACCOUNT_LOGIN_BY_CODE_TIMEOUT", 3 * 60),
    "email_verification": ("ACCOUNT_EMAIL_VERIFICATION_BY_CODE_TIMEOUT", 15 * 60),
    "password_reset": ("ACCOUNT_PASSWORD_RESET_BY_CODE_TIMEOUT", 3 * 60),
}


def login_code_minutes(kind: str = "login") -> int:
    """How long an emailed code of this kind is valid, in whole minutes."""
    name, default = CODE_TIMEOUTS[kind]
    return max(1, getattr(settings, name, default) // 60)


def login_code_validity(kind: str = "login") -> str:
    """« The code is valid for 10 minutes. »"""
    minutes = login_code_minutes(kind)
    return ngettext(
        "The code is valid for %(n)d minute.", "The code is valid for %(n)d minutes.", minutes
    ) % {"n": minutes}


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "incorrect_code": _(
            "This is not the right code. Check it in the email we sent you, or ask for a new code."
        ),
        "too_many_login_attempts": _(
            "Too many wrong codes: for your safety this code no longer works. "
            "Ask for a new one below."
        ),
        "email_password_mismatch": _(
            "The email address or the password is not right. No password? "
            "Ask for a sign-in code by email instead."
        ),
    }

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Greet in the platform's (or organisation's) name and link to SITE_URL:
        # without django.contrib.sites allauth would name the request's host.
        request = context.get("request") or getattr(self, "request", None)
        super().send_mail(template_prefix, email, {**context, "current_site": email_site(request)})


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        password = self.fields.get("password")
        if password is not None:
            # Not « required »: people without a password sign in by code (below the form).
            password.required = False
            password.widget.attrs.pop("required", None)
            password.label = _("Your password (if you chose one)")

    def clean(self):
        if "password" in self.fields and not self.data.get("password"):
            self.add_error(
                "password",
                _("Type your password. No password? Ask for a sign-in code by email below."),
            )
            return self.cleaned_data
        return super().clean()


class ConfirmLoginCode(ConfirmLoginCodeView):
    """allauth's page to type the code, saying when a code has expired."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().dispatch(request, *args, **kwargs)
        if getattr(self, "_process", True) is None:
            minutes = login_code_minutes()
            messages.error(
                request,
                ngettext(
                    "This code has expired: a code is valid for %(n)d minute. "
                    "Ask for a new one below.",
                    "This code has expired: a code is valid for %(n)d minutes. "
                    "Ask for a new one below.",
                    minutes,
                )
                % {"n": minutes},
            )
        return response
