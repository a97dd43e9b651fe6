"""QR codes, drawn as inline SVG (sharp at any size, on screen and in a PDF)."""

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, title: str) -> SafeString:
    """The QR code of `data` as an inline `<svg>` whose size the stylesheet sets.

    Error correction « M » (15 %) survives a worn or badly printed poster while
    keeping the code small enough to scan from a distance. `title` is the
    code's text alternative: screen readers read it, and WeasyPrint makes it the
    figure's alternative text in a tagged PDF.
    """
    qr = segno.make(data, error="m")
    # segno escapes the title itself.
    svg = qr.svg_inline(scale=4, dark="#000", light="#fff", omitsize=True, title=title)
    return mark_safe(svg.replace("<svg ", '<svg role="img" focusable="false" ', 1))
