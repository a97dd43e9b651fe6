"""`{% export_form "app:url_name" %}`: a list page's export form.

It posts the page's filters (the query string, without the page number) to the
list's export view (`faireavec.core.exports.export_or_job`), one button per format.
"""

from django import template
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from faireavec.core.exports import EXPORT_CONTROL_FIELDS, EXPORT_FORMATS

register = template.Library()


@register.inclusion_tag("core/includes/export_form.html", takes_context=True)
def export_form(context, url_name: str, label: str = "", **url_kwargs) -> dict:
    """`url_kwargs`: the export URL's own arguments, for the table of one object
    (`{% export_form "surveys:survey_results_export" label survey_pk=survey.pk %}`)."""
    request = context["request"]
    return {
        "action": reverse(url_name, kwargs={"org_slug": request.organisation.slug, **url_kwargs}),
        "hidden": [
            (name, value)
            for name in request.GET
            if name not in EXPORT_CONTROL_FIELDS
            for value in request.GET.getlist(name)
        ],
        "formats": list(EXPORT_FORMATS),
        "label": label or _("Download this list:"),
        "form_id": "export-" + slugify(url_name.replace(":", "-")),
        "csrf_token": context.get("csrf_token"),
    }
