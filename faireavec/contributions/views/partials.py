"""Render one `{% partialdef %}` of a template, for HTMX.

`render(request, "app/page.html#name")` needs django-template-partials' loader;
the project loads the app as `SimpleAppConfig` without that loader, so this
falls back to taking the partial from the parsed template itself.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.context import make_context
from django.template.loader import get_template


def render_partial(
    request: HttpRequest, template_name: str, context: dict, status: int = 200
) -> HttpResponse:
    try:
        return render(request, template_name, context, status=status)
    except TemplateDoesNotExist:
        pass
    name, _, partial_name = template_name.partition("#")
    template = get_template(name).template
    proxy = template.extra_data.get("partials", {}).get(partial_name)
    if proxy is None:
        raise TemplateDoesNotExist(template_name)
    proxy.engine = template.engine
    html = proxy.render(make_context(context, request))
    return HttpResponse(html, status=status)
