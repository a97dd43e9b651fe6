from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from faireavec.core.navigation import organisation_includes, organisation_links


def faireavec(request: HttpRequest) -> dict:
    """The current organisation, the person's display preferences and the
    organisation's menus (computed only if a template uses them)."""
    organisation = getattr(request, "organisation", None)
    context = {
        "organisation": organisation,
        "membership": getattr(request, "membership", None),
        "prefs": getattr(request, "preferences", None),
    }
    if organisation is not None:
        user = request.user
        context["public_links"] = SimpleLazyObject(
            lambda: organisation_links(user=user, organisation=organisation, side="public")
        )
        context["backoffice_links"] = SimpleLazyObject(
            lambda: organisation_links(user=user, organisation=organisation, side="backoffice")
        )
        for place in ("home", "footer"):
            context[f"{place}_includes"] = SimpleLazyObject(
                lambda place=place: organisation_includes(
                    user=user, organisation=organisation, place=place
                )
            )
    return context
