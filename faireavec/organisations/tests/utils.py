"""Helpers for tests: messages are checked in French, the language pages are served in."""

from django.utils import translation


def fr(message: str) -> str:
    """The French text of an English message id (as the page shows it)."""
    with translation.override("fr"):
        return translation.gettext(message)


def png_bytes() -> bytes:
    """A small, valid PNG image (for a logo)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "#ffcc00").save(buffer, format="PNG")
    return buffer.getvalue()
