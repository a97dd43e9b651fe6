"""PDF documents made from Django templates, with WeasyPrint.

One way to make every PDF of the platform (posters, the stakeholder map, and
later reports, minutes, ballots…):

    content = render_pdf(template_name="app/thing_pdf.html", context={...},
                         stylesheets=["css/pdf-thing.css"], large_print=False)
    return pdf_response(content=content, filename="thing.pdf")

The template extends `pdf/base.html`: it sets the document's language
(`<html lang>`) and title (`{% block title %}`), which become the PDF's /Lang
and title. Headings, lists, tables and figures become the PDF's structure tree
(tagged PDF/UA-1); an `<img>` needs an `alt`, an inline `<svg>` a `<title>`.

Stylesheets, in this order: the embedded fonts, `css/pdf.css` (A4, print),
the document's own, then for the large-print variant `css/pdf-large.css`
(18 pt minimum, black on white, one column), whose `!important` rules win over
the document's. Fonts are never left to fontconfig: the stylesheet names a
family whose files are given (setting `FAIREAVEC_PDF_FONT_DIR`, Debian's
`fonts-sil-andika`, installed by `make system-deps`), and WeasyPrint embeds
the subset of glyphs used.

A document that may be long (a big register) is made by a background task
(see `faireavec.core.jobs`), not in the request.
"""

import functools
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header

BASE_STYLESHEET = "css/pdf.css"
LARGE_PRINT_STYLESHEET = "css/pdf-large.css"
# Posters (an invitation, « Donner mon avis »): one A4 page, big type, the QR code.
POSTER_PDF_STYLESHEET = "css/pdf-poster.css"
# The family every PDF stylesheet uses; its faces are declared below from files.
FONT_FAMILY = "FaireAvec PDF"
FONT_FACES = (
    ("Andika-Regular.ttf", "normal", "normal"),
    ("Andika-Bold.ttf", "bold", "normal"),
    ("Andika-Italic.ttf", "normal", "italic"),
    ("Andika-BoldItalic.ttf", "bold", "italic"),
)
PDF_VARIANT = "pdf/ua-1"  # tagged: structure tree, /Lang, title shown, MarkInfo


class PdfError(ImproperlyConfigured):
    """The server cannot make PDFs (a font or a stylesheet is missing)."""


def font_dir() -> Path:
    return Path(settings.FAIREAVEC_PDF_FONT_DIR)


def font_face_css() -> str:
    """`@font-face` rules that point at the font files themselves."""
    rules = []
    for filename, weight, style in FONT_FACES:
        path = font_dir() / filename
        if not path.is_file():
            raise PdfError(
                f"PDF font {path} is missing: install the Debian package fonts-sil-andika "
                "(make system-deps) or set PDF_FONT_DIR."
            )
        rules.append(
            f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{path.as_uri()}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)


def _static_path(name: str) -> Path:
    found = finders.find(name)
    if not found:
        raise PdfError(f"PDF stylesheet {name} is not among the static files.")
    return Path(found)


@functools.cache
def _url_fetcher_class() -> type:
    # WeasyPrint takes a second to import: only when a PDF is made.
    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):
        """Only the font files, the static files and inline data: a document built
        from people's text must not make the server fetch an address (no network,
        no other file of the server)."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file", "data"})

        def fetch(self, url: str, headers=None):
            if url.startswith("file:"):
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                roots = [font_dir(), *(Path(d) for d in settings.STATICFILES_DIRS)]
                if not any(path.is_relative_to(root.resolve()) for root in roots):
                    raise ValueError(f"PDF documents may not load {url}")
            return super().fetch(url, headers)

    return LocalFetcher


def render_pdf(
    *,
    template_name: str,
    context: dict,
    stylesheets: Sequence[str] = (),
    large_print: bool = False,
) -> bytes:
    """Render the template (extending `pdf/base.html`) and return the PDF's bytes.

    `stylesheets` are static paths (`"css/pdf-poster.css"`). The caller sets the
    language (a request or a task runs under the person's language).
    """
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string(template_name, {**context, "large_print": large_print})
    fonts = FontConfiguration()
    fetcher = _url_fetcher_class()()
    sheets = [CSS(string=font_face_css(), font_config=fonts, url_fetcher=fetcher)]
    names = [BASE_STYLESHEET, *stylesheets] + ([LARGE_PRINT_STYLESHEET] if large_print else [])
    for name in names:
        sheets.append(CSS(filename=str(_static_path(name)), font_config=fonts, url_fetcher=fetcher))
    document = HTML(string=html, url_fetcher=fetcher, base_url=str(settings.BASE_DIR))
    return document.write_pdf(stylesheets=sheets, font_config=fonts, pdf_variant=PDF_VARIANT)


def pdf_response(*, content: bytes, filename: str) -> HttpResponse:
    """The PDF as a download named `filename`; no shared cache keeps it."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    patch_cache_control(response, private=True, no_store=True)
    return response
