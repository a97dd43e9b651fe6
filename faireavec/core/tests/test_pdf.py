import pytest
from django.conf import settings
from django.utils import translation

from faireavec.core.pdf import PdfError, _url_fetcher_class, pdf_response, render_pdf
from faireavec.core.qr import qr_svg
from faireavec.core.tests.pdfcheck import read_pdf

DOCUMENT = """{% extends "pdf/base.html" %}
{% block title %}Affiche : rejoindre « L'Œuvre »{% endblock %}
{% block content %}
<h1>Rejoignez l'Œuvre : été, ça, naïf, cœur, À bientôt</h1>
<p style="font-size: 7pt">Une petite note en bas.</p>
<figure>{{ qr }}</figure>
<h2>Ce que vous pourrez faire</h2>
<ul><li>Donner votre avis</li><li>Suivre ce qu'il devient</li></ul>
{% if extra %}<p>{{ extra }}</p>{% endif %}
{% endblock %}"""

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "loaders": [
                ("django.template.loaders.locmem.Loader", {"test/doc.html": DOCUMENT}),
                "django.template.loaders.filesystem.Loader",
            ],
        },
        "DIRS": [],
    }
]


@pytest.fixture
def document_settings(settings):
    settings.TEMPLATES = [{**TEMPLATES[0], "DIRS": [settings.BASE_DIR / "templates"]}]
    with translation.override("fr"):
        yield


def make(**context) -> bytes:
    context.setdefault("qr", qr_svg("https://example.org/rejoindre/abc/", title="Code QR du lien"))
    large = context.pop("large", False)
    return render_pdf(template_name="test/doc.html", context=context, large_print=large)


@pytest.mark.usefixtures("document_settings")
class TestRenderPdf:
    def test_the_pdf_reads_back_with_its_french_text_language_and_title(self):
        facts = read_pdf(make())
        assert "Rejoignez l'Œuvre : été, ça, naïf, cœur, À bientôt" in facts.flat_text
        assert "Suivre ce qu'il devient" in facts.text
        assert facts.pages == 1
        assert facts.lang == "fr"
        assert facts.title == "Affiche : rejoindre « L'Œuvre »"

    def test_the_pdf_is_tagged_with_headings_lists_and_the_figures_alternative(self):
        facts = read_pdf(make())
        assert facts.marked
        assert facts.tags[0] == "/Document"
        assert facts.tags.index("/H1") < facts.tags.index("/H2")
        assert "/L" in facts.tags and "/LI" in facts.tags
        assert "/Figure" in facts.tags
        assert facts.alts == ["Code QR du lien"]

    def test_the_font_is_the_one_named_by_the_stylesheet_and_embedded(self):
        """Not whatever fontconfig would pick: Andika's files, subset in the PDF."""
        facts = read_pdf(make())
        assert facts.fonts <= {"FaireAvec-PDF", "FaireAvec-PDF-Bold"}, facts.fonts
        assert facts.embedded

    def test_long_documents_run_over_several_pages(self):
        facts = read_pdf(make(extra="Une ligne assez longue pour remplir la page. " * 400))
        assert facts.pages > 1

    def test_large_print_has_no_text_under_18_points(self):
        """The document asks for 7 pt somewhere: large print still shows it at 18 pt."""
        assert min(read_pdf(make()).font_sizes) < 18
        facts = read_pdf(make(large=True))
        assert min(facts.font_sizes) >= 18, facts.font_sizes
        assert "Une petite note en bas." in facts.text
        assert facts.lang == "fr" and facts.marked

    def test_a_document_cannot_make_the_server_fetch_files_or_addresses(self, tmp_path):
        """Only the fonts, the static files and inline data are read."""
        secret = tmp_path / "secret.png"
        secret.write_bytes(b"not for you")
        fetcher = _url_fetcher_class()()
        for url in (secret.as_uri(), "http://127.0.0.1:9/x.png", "file:///etc/passwd"):
            with pytest.raises(ValueError):
                fetcher.fetch(url)
            content = make(qr=f'<img src="{url}" alt="Image refusée">')
            assert "/Figure" not in read_pdf(content).tags  # drawn as its alternative text
        static_css = (settings.BASE_DIR / "static/css/pdf.css").as_uri()
        assert b"A4" in fetcher.fetch(static_css).read()

    def test_a_missing_font_is_a_clear_configuration_error(self, settings, tmp_path):
        settings.FAIREAVEC_PDF_FONT_DIR = tmp_path
        with pytest.raises(PdfError, match="fonts-sil-andika"):
            make()


def test_pdf_response_is_a_private_download():
    response = pdf_response(content=b"%PDF-1.7 ...", filename="affiche-épicerie.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
