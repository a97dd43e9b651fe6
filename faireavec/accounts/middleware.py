from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from faireavec.accounts.services import SESSION_LARGE_TEXT


@dataclass(frozen=True)
class Preferences:
    large_text: bool
    easy_read: bool


class PreferencesMiddleware:
    """Applies the person's display preferences: their language when signed in
    (over the browser's), and larger text (remembered on the person, or in the
    session for visitors)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            if user.language and user.language != translation.get_language():
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
            request.preferences = Preferences(large_text=user.large_text, easy_read=user.easy_read)
        else:
            request.preferences = Preferences(
                large_text=bool(request.session.get(SESSION_LARGE_TEXT, False)), easy_read=False
            )
        return self.get_response(request)


class SuperuserMFAMiddleware:
    """Platform superusers must set up two-factor authentication before anything else."""

    allowed_prefixes = ("/compte/", "/static/", "/media/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.is_superuser
            and not request.path.startswith(self.allowed_prefixes)
        ):
            from allauth.mfa.models import Authenticator

            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
