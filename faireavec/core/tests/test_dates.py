"""« 1er janvier »: the first of the month as French writes it, wherever dates show."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from faireavec.core.dates import human_date
from faireavec.core.i18n import lazy_message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2027, 1, 1), "1er janvier 2027"),
        (date(2027, 1, 11), "11 janvier 2027"),
        (date(2027, 3, 21), "21 mars 2027"),
        (date(2027, 8, 1), "1er août 2027"),
    ],
)
def test_first_of_the_month_is_1er_in_french(value, expected):
    assert human_date(value) == expected


def test_datetime_in_local_time_and_english_untouched():
    # 23:30 UTC on 31 December is already the 1st of January in Paris.
    when = datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert human_date(when).startswith("1er janvier 2027")
    assert human_date(when, "DATETIME_FORMAT").startswith("1er janvier 2027")
    with translation.override("en"):
        assert "1er" not in human_date(date(2027, 1, 1))


def test_template_filter_and_lazy_messages_use_it():
    rendered = Template('{% load dates %}{{ d|human_date:"DATE_FORMAT" }}').render(
        Context({"d": date(2027, 5, 1)})
    )
    assert rendered == "1er mai 2027"
    from django.utils.translation import gettext_lazy

    template = "On %(when)s"  # a variable: not a msgid for the catalogue
    assert "1er mai 2027" in str(lazy_message(gettext_lazy(template), when=date(2027, 5, 1)))
