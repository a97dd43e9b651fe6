"""The inbox as a table: its columns and rows, shared by the download made in
the request (small exports) and the one made by a task (large ones).

Personal data (author, contact details) stays out of the export.
"""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from faireavec.contributions.models import Contribution

EXPORT_CHUNK_SIZE = 2000


def inbox_export_filename() -> str:
    return _("contributions")


def inbox_export_headers() -> list[str]:
    return [
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


def inbox_export_rows(contributions: QuerySet[Contribution]) -> Iterator[list]:
    """The rows, read from the database in chunks (never the whole table in memory)."""
    for c in contributions.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        yield inbox_export_row(c)
