"""Tables in and out: CSV, XLSX and ODS through tablib.

`export_response` is the one way a page offers a download of a table;
`read_table` is the one way an import reads an uploaded file.
"""

from collections.abc import Iterable, Sequence
from pathlib import PurePath

import tablib
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    return str(value)


def export_dataset(
    *, headers: Sequence[str], rows: Iterable[Sequence], title: str = ""
) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=[str(h) for h in headers], title=(title or "export")[:31])
    for row in rows:
        dataset.append([_cell(v) for v in row])
    return dataset


def export_response(
    *, filename: str, headers: Sequence[str], rows: Iterable[Sequence], fmt: str
) -> HttpResponse:
    """A download of the table in `fmt` ("csv", "xlsx" or "ods").

    CSV gets a byte-order mark so spreadsheet programs read its accents right.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"Unknown export format: {fmt}")
    dataset = export_dataset(headers=headers, rows=rows, title=filename)
    content = dataset.export(fmt)
    if fmt == "csv":
        content = "\ufeff" + content
    response = HttpResponse(content, content_type=EXPORT_FORMATS[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{slugify(filename) or "export"}.{fmt}"'
    )
    return response


def read_table(uploaded_file) -> tuple[list[str], list[dict[str, str]]]:
    """Read an uploaded CSV, XLSX or ODS file: its headers and its rows as dicts
    of strings (stripped). Raises ValidationError with a message a person can act on."""
    name = getattr(uploaded_file, "name", "") or ""
    fmt = PurePath(name).suffix.lower().lstrip(".")
    if fmt not in EXPORT_FORMATS:
        raise ValidationError(_("Choose a CSV, XLSX or ODS file."), code="format")
    if getattr(uploaded_file, "size", 0) > MAX_IMPORT_BYTES:
        raise ValidationError(_("The file is too large (5 MB at most)."), code="size")
    raw = uploaded_file.read()
    try:
        if fmt == "csv":
            text = raw.decode("utf-8-sig")
            dataset = tablib.Dataset().load(text, format="csv")
        else:
            dataset = tablib.Dataset().load(raw, format=fmt)
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("The file is not in UTF-8. Save it again as « CSV UTF-8 »."), code="encoding"
        ) from exc
    except Exception as exc:  # tablib raises many kinds for a broken file
        raise ValidationError(
            _("The file could not be read: is it really a table?"), code="invalid"
        ) from exc
    headers = [str(h or "").strip() for h in (dataset.headers or [])]
    if not any(headers):
        raise ValidationError(
            _("The first line of the file must name the columns."), code="headers"
        )
    rows = []
    for values in dataset:
        row = {
            h: ("" if v is None else str(v).strip())
            for h, v in zip(headers, values, strict=False)
            if h
        }
        if any(row.values()):
            rows.append(row)
    return headers, rows
