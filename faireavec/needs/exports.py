"""The needs register and the watch log as tables
(`faireavec.core.exports.ExportSpec`), filtered like their pages."""

from pathlib import PurePath

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from faireavec.core.exports import ExportSpec
from faireavec.needs.forms import NeedFilterForm, WatchFilterForm
from faireavec.needs.models import Need, WatchEntry
from faireavec.needs.selectors import needs_of_organisation, watch_entries_of_organisation


def need_export_objects(*, organisation, params: QueryDict) -> QuerySet[Need]:
    filters = NeedFilterForm(params or None).filters()
    return needs_of_organisation(organisation=organisation, **filters)


def _offer_text(offer) -> str:
    if offer.provider_name:
        return f"{offer.get_provider_kind_display()} — {offer.provider_name}: {offer.description}"
    return f"{offer.get_provider_kind_display()}: {offer.description}"


def need_export_row(need: Need) -> list:
    return [
        need.title,
        need.description,
        need.people_concerned,
        need.territory,
        ", ".join(need.get_sources_display()),
        need.get_coverage_display(),
        "\n".join(_offer_text(offer) for offer in need.offers.all()),
        need.gap,
        need.get_priority_display(),
        need.get_status_display(),
        need.is_public,
        need.support_count,
        need.contribution_count,
        timezone.localdate(need.created_at),
    ]


NEEDS_EXPORT = ExportSpec(
    name="needs.register",
    title=_("the needs register"),
    filename=_("needs"),
    headers=[
        _("Title"),
        _("Description"),
        _("People concerned"),
        _("Territory"),
        _("Sources"),
        _("Coverage by the existing offer"),
        _("Existing offers"),
        _("Gap"),
        _("Priority"),
        _("Status"),
        _("Shown on the public pages"),
        _("Supports"),
        _("Linked contributions"),
        _("Created on"),
    ],
    objects=need_export_objects,
    row=need_export_row,
    list_url="needs:need_list",
)


WATCH_EXPORT_FIELDS = [
    "observed_on",
    "kind",
    "title",
    "source",
    "summary",
    "link",
    "document",
    "direction",
    "aspect",
    "effect",
    "needs",
    "diagnosis_section",
    "is_public",
]


def watch_export_objects(*, organisation, params: QueryDict) -> QuerySet[WatchEntry]:
    filters = WatchFilterForm(params or None, organisation=organisation).filters()
    return watch_entries_of_organisation(organisation=organisation, **filters)


def watch_export_row(entry: WatchEntry) -> list:
    """One entry, in the order of WATCH_EXPORT_FIELDS (the document by its file name)."""
    return [
        entry.observed_on,
        entry.get_kind_display(),
        entry.title,
        entry.source,
        entry.summary,
        entry.link,
        PurePath(entry.document.name).name if entry.document else "",
        entry.get_direction_display(),
        entry.get_aspect_display(),
        entry.effect,
        ", ".join(need.title for need in entry.needs.all()),
        entry.get_diagnosis_section_display() if entry.diagnosis_section else "",
        entry.is_public,
    ]


WATCH_EXPORT = ExportSpec(
    name="needs.watch_log",
    title=_("the watch log"),
    filename=_("watch-log"),
    headers=[
        capfirst(WatchEntry._meta.get_field(name).verbose_name) for name in WATCH_EXPORT_FIELDS
    ],
    objects=watch_export_objects,
    row=watch_export_row,
    list_url="needs:watch_list",
)
