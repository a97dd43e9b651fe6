import segno

from faireavec.core.qr import qr_svg


def test_qr_svg_draws_the_code_of_the_data_with_its_title():
    """The SVG holds segno's drawing of exactly this data, named by its title."""
    svg = qr_svg("https://example.org/rejoindre/abc/", title="Code QR")
    assert svg.startswith('<svg role="img"')
    assert "<title>Code QR</title>" in svg
    modules = segno.make("https://example.org/rejoindre/abc/", error="m").svg_inline(scale=4)
    path = modules[modules.index('d="M') :].split('"')[1]
    assert f'd="{path}"' in svg
    assert f'd="{path}"' not in qr_svg("https://example.org/autre/", title="Code QR")


def test_qr_svg_escapes_its_title():
    """A title taken from user data cannot inject markup."""
    svg = qr_svg("x", title="<script>alert(1)</script> « Épicerie »")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "« Épicerie »" in svg
