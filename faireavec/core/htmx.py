"""HTMX helpers shared by every app."""

from django.http import HttpRequest, HttpResponse
from django.template import TemplateDoesNotExist
from django.template.context import make_context
from django.template.loader import get_template


def render_partial(
    request: HttpRequest, template_name: str, partial_name: str, context: dict | None = None
) -> HttpResponse:
    """Render only the `{% partialdef partial_name %}` of a template, with the
    same context processors as the full page — what HTMX requests get.

    It does what `render(request, "page.html#name")` does, without needing the
    template_partials loader in the TEMPLATES setting.
    """
    template = get_template(template_name)
    engine = template.template.engine
    partials = getattr(template.template, "extra_data", {}).get("partials", {})
    try:
        partial = partials[partial_name]
    except KeyError:
        raise TemplateDoesNotExist(partial_name, tried=[template_name]) from None
    partial.engine = engine  # context processors are found through it
    ctx = make_context(context or {}, request, autoescape=engine.autoescape)
    return HttpResponse(partial.render(ctx))
