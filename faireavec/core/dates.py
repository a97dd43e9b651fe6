"""Dates as people read them. In French the first day of a month is written
« 1er » (« le 1er janvier 2027 »), which no Django format character gives:
`human_date` formats with the active language's format, then writes it so.
Templates use the `human_date` filter (`{% load dates %}`) wherever they show a date."""

import re
from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import get_language

FRENCH_MONTHS = (
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
)
# « 1 janvier » → « 1er janvier », not « 11 janvier » nor « 21 janvier ».
_FIRST_OF_MONTH = re.compile(rf"(?<![\d])1(?= (?:{FRENCH_MONTHS})\b)", re.IGNORECASE)


def human_date(value: date | datetime | None, fmt: str = "DATE_FORMAT") -> str:
    """`value` in the format `fmt` (a format name or a format string) of the
    active language, local time for aware datetimes; « 1er » in French."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    text = formats.date_format(value, fmt)
    if (get_language() or "").startswith("fr"):
        text = _FIRST_OF_MONTH.sub("1er", text)
    return text
