import copy

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from faireavec.accounts.forms import PreferencesForm, QuickPreferencesForm
from faireavec.accounts.services import preferences_set_quick, user_update_preferences
from faireavec.core.forms import posted_data
from faireavec.core.http import safe_next_url


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """The header buttons (language, larger text) post here; signed-in people
    also get the full preferences form."""
    if request.method == "POST" and "quick" in request.POST:
        form = QuickPreferencesForm(request.POST)
        if not form.is_valid():
            return redirect(safe_next_url(request, "/"))
        language = form.cleaned_data["language"] or None
        large_text = {"1": True, "0": False}.get(form.cleaned_data["large_text"])
        preferences_set_quick(request=request, language=language, large_text=large_text)
        response = redirect(safe_next_url(request, "/"))
        if language:
            _set_language_cookie(response, language)
        return response

    if not request.user.is_authenticated:
        return render(request, "accounts/preferences.html", {"form": None})
    # The form edits a copy: a rejected value never reaches the signed-in person.
    form = PreferencesForm(posted_data(request), instance=copy.copy(request.user))
    if request.method == "POST" and form.is_valid():
        user = user_update_preferences(user=request.user, data=form.cleaned_data)
        translation.activate(user.language)
        messages.success(request, _("Your preferences are saved."))
        response = redirect("preferences")
        _set_language_cookie(response, user.language)
        return response
    return render(request, "accounts/preferences.html", {"form": form})
