import pytest
from django.test import RequestFactory

from faireavec.core.http import safe_next_url


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/la-ruche/avis/", "/la-ruche/avis/"),
        ("https://evil.example/", "/fallback/"),
        ("//evil.example/", "/fallback/"),
        ("javascript:alert(1)", "/fallback/"),
        ("", "/fallback/"),
    ],
)
def test_only_pages_of_this_site_are_followed(next_url, expected):
    request = RequestFactory().post("/", {"next": next_url})
    assert safe_next_url(request, "/fallback/") == expected


def test_posted_next_wins_over_the_query_string():
    request = RequestFactory().post("/?next=/from-query/", {"next": "/from-post/"})
    assert safe_next_url(request) == "/from-post/"
    assert safe_next_url(RequestFactory().get("/?next=/from-query/")) == "/from-query/"
