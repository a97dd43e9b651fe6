from django.db import transaction
from django.http import HttpRequest

from faireavec.accounts.models import User

SESSION_LARGE_TEXT = "faireavec_large_text"


def preferences_set_quick(
    *, request: HttpRequest, language: str | None, large_text: bool | None
) -> None:
    """Remember the header choices: on the person when signed in, else in the session.

    The language cookie itself is set by the view on its response.
    """
    user = request.user
    if user.is_authenticated:
        fields = []
        if language:
            user.language = language
            fields.append("language")
        if large_text is not None:
            user.large_text = large_text
            fields.append("large_text")
        if fields:
            user.full_clean(exclude=["password"])
            user.save(update_fields=fields)
    elif large_text is not None:
        request.session[SESSION_LARGE_TEXT] = large_text


@transaction.atomic
def user_update_preferences(*, user: User, data: dict) -> User:
    for field, value in data.items():
        setattr(user, field, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(data))
    return user


@transaction.atomic
def user_set_display_name(*, user: User, display_name: str) -> User:
    """Set the name others see (stripped; empty means the neutral label)."""
    user.display_name = display_name.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name"])
    return user
