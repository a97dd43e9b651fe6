"""Helpers for tests: messages are checked in French, the language pages are served in."""

from django.utils import translation


def fr(message: str) -> str:
    """The French text of an English message id (as the page shows it)."""
    with translation.override("fr"):
        return translation.gettext(message)
