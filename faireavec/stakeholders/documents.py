"""The stakeholder map as a PDF (A4, tagged), made in the request or by a task."""

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from faireavec.core.pdf import render_pdf
from faireavec.organisations.models import Organisation
from faireavec.stakeholders.forms import StakeholderFilterForm
from faireavec.stakeholders.maps import MAP_MARKS_LIMIT, map_layout, map_layout_grouped
from faireavec.stakeholders.selectors import map_counts, stakeholders_for_map

MAP_PDF_STYLESHEET = "css/pdf-stakeholders.css"
# Up to this many stakeholders (after filters) the PDF is made in the request
# (about a second); above, by a background job.
MAP_PDF_IN_REQUEST = 300


def map_pdf(*, organisation: Organisation, query: str, large_print: bool) -> bytes:
    """The map with the filters of `query` (the map page's query string): the
    drawing, its key and every stakeholder it shows (a list in large print)."""
    form = StakeholderFilterForm(QueryDict(query), organisation=organisation)
    filters = form.filters()
    stakeholders = stakeholders_for_map(organisation=organisation, filters=filters)
    counts = map_counts(organisation=organisation, filters=filters)
    if len(stakeholders) > MAP_MARKS_LIMIT:
        layout = map_layout_grouped(counts)
    else:
        layout = map_layout(stakeholders)
    return render_pdf(
        template_name="stakeholders/stakeholder_map_pdf.html",
        context={
            "organisation": organisation,
            "layout": layout,
            "stakeholders": stakeholders,
            "summary": form.summary(),
            "marks_limit": MAP_MARKS_LIMIT,
            "today": timezone.localdate(),
        },
        stylesheets=[MAP_PDF_STYLESHEET],
        large_print=large_print,
    )


def map_pdf_filename(*, organisation: Organisation, large_print: bool) -> str:
    """The map PDF's file name, in the active language."""
    name = _("stakeholder-map-%(organisation)s") % {"organisation": organisation.slug}
    if large_print:
        name += _("-large-print")
    return f"{name}.pdf"
