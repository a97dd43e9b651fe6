"""The inbox as a table (`faireavec.core.exports.ExportSpec`): the same filters
as the inbox page, its columns and rows.

Personal data (author, contact details) stays out of the export.
"""

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faireavec.contributions.forms import InboxFilterForm
from faireavec.contributions.models import Contribution
from faireavec.contributions.selectors import contributions_inbox
from faireavec.core.exports import ExportSpec


def inbox_export_objects(*, organisation, params: QueryDict) -> QuerySet[Contribution]:
    form = InboxFilterForm(params or None, organisation=organisation)
    return contributions_inbox(organisation=organisation, filters=form.filters())


INBOX_EXPORT_HEADERS = [
    _("Code"),
    _("Received on"),
    _("Kind"),
    _("Status"),
    _("Site"),
    _("Channel"),
    _("Title"),
    _("Text"),
    _("Severity"),
    _("To answer by"),
    _("Answered on"),
    _("What was decided"),
    _("What was done"),
    _("Supports"),
    _("Hidden"),
]


def inbox_export_row(c: Contribution) -> list:
    return [
        c.follow_up_code,
        c.created_at,
        c.get_kind_display(),
        c.get_status_display(),
        c.site.name if c.site else "",
        c.get_channel_display(),
        c.title,
        c.body,
        c.get_severity_display() if c.severity else "",
        timezone.localdate(c.answer_due) if c.answer_due else None,
        timezone.localdate(c.answered_at) if c.answered_at else None,
        c.answer,
        c.outcome,
        c.support_count,
        c.is_hidden,
    ]


INBOX_EXPORT = ExportSpec(
    name="contributions.inbox",
    title=_("the contributions inbox"),
    filename=_("contributions"),
    headers=INBOX_EXPORT_HEADERS,
    objects=inbox_export_objects,
    row=inbox_export_row,
    list_url="contributions:inbox",
)
