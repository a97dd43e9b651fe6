from datetime import date

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# The day the statement was last reviewed against the pages: change it with the statement.
ACCESSIBILITY_STATEMENT_DATE = date(2026, 12, 3)


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The public accessibility statement (déclaration d'accessibilité), with its
    date and a contact, as the RGAA requires."""
    return render(
        request,
        "core/accessibility.html",
        {
            "statement_date": ACCESSIBILITY_STATEMENT_DATE,
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        },
    )
