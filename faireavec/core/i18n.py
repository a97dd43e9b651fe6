"""Text written later, in the reader's language.

A message built in a service (a notification's title, a sentence of the
activity log) is read by people who may not share the language of whoever
caused it. `lazy_message` keeps the English msgid and its parameters and
translates, interpolates and formats them only when the text is turned into a
string — under `translation.override(reader.language)`, that is in the
reader's language.

Why not `gettext_lazy("…%(x)s") % {...}`: Django's lazy strings translate at
the `%`, in the language active at that moment, which is the bug this avoids.
"""

from datetime import date
from typing import Any

from django.utils.functional import Promise, lazy

from faireavec.core.dates import human_date


def _param_text(value: Any) -> Any:
    """A parameter as the reader reads it: lazy labels translated, dates in
    the reader's format (« 3 décembre 2026 » / « Dec. 3, 2026 »)."""
    if isinstance(value, date):  # datetimes too: local time, « 1er » in French
        return human_date(value, "DATE_FORMAT")
    if isinstance(value, Promise):
        return str(value)
    return value


def _render(template: Any, params: dict[str, Any]) -> str:
    rendered = {name: _param_text(value) for name, value in params.items()}
    # `template` is a gettext_lazy or ngettext_lazy(…, "count") proxy: both
    # translate here, in the active language; ngettext_lazy picks the plural
    # form from the parameter it names.
    return template % rendered if rendered else str(template)


_lazy_render = lazy(_render, str)


def lazy_message(template: Promise, /, **params: Any) -> Promise:
    """`template` (a `gettext_lazy`/`ngettext_lazy`/`pgettext_lazy` msgid with
    `%(name)s` placeholders) filled with `params`, translated when read.

    Plurals: `lazy_message(ngettext_lazy("%(count)s complaint", "%(count)s
    complaints", "count"), count=n)`. Dates and datetimes are formatted with
    the reader's DATE_FORMAT; lazy parameters (choice labels) are translated too.
    """
    if not isinstance(template, Promise):
        raise TypeError(
            "lazy_message() needs a lazy msgid (gettext_lazy / ngettext_lazy), "
            "not a string already translated."
        )
    return _lazy_render(template, params)


def untranslated(text: str) -> Promise:
    """Text that reads the same in every language (what a person typed):
    says so explicitly where lazy text is required."""
    return lazy(str, str)(text)
