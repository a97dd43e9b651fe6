"""A draw's volunteers as a table (`faireavec.core.exports.ExportSpec`): each
volunteer with their chance of being drawn and whether they sit on the panel."""

from collections.abc import Iterator

from django.http import Http404, QueryDict
from django.utils.translation import gettext_lazy as _

from faireavec.core.exports import ExportSpec, ExportTable
from faireavec.sortition.models import Draw
from faireavec.sortition.selectors import draw_get, draw_members, pool_volunteers


def _draw_rows(draw: Draw) -> Iterator[tuple]:
    volunteers = {str(v.pk): v for v in pool_volunteers(pool=draw.pool)}
    active = {str(m.volunteer_id) for m in draw_members(draw=draw) if m.active}
    for person in draw.document["people"]:
        volunteer = volunteers.get(person["id"])
        yield (
            volunteer.name if volunteer else person["id"],
            volunteer.contact if volunteer else "",
            person["probability"],
            person["id"] in active,
        )


def draw_table(*, organisation, params: QueryDict, draw_pk: int) -> ExportTable:
    draw = draw_get(organisation=organisation, pk=draw_pk)
    if draw is None or not draw.document:
        raise Http404
    return ExportTable(
        headers=[_("Name"), _("Contact"), _("Selection probability"), _("On the panel")],
        total=len(draw.document["people"]),
        rows=_draw_rows(draw),
        target=draw,
    )


DRAW_EXPORT = ExportSpec(
    name="sortition.draw",
    title=_("the volunteers of the draw"),
    filename=_("draw"),
    list_url="sortition:draw_detail",
    table=draw_table,
)
