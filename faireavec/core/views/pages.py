from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The public accessibility statement (déclaration d'accessibilité)."""
    return render(request, "core/accessibility.html")
