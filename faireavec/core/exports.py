"""Tables in and out: CSV, XLSX and ODS through tablib.

`export_response` is the one way a page offers a download of a table (and
`faireavec.core.jobs.job_save_export` the way a task leaves one on its job);
`read_table` is the one way an import reads an uploaded file.

Text that a spreadsheet program would run as a formula (starting with = + - @)
is written with a leading apostrophe, as OWASP advises against « CSV
injection »: what participants typed must never run on a staff computer.
`read_table` removes that apostrophe again, so a file goes out and back in
unchanged.

The files are made for French spreadsheet programs (Excel, LibreOffice): CSV
with a semicolon separator and a byte-order mark (otherwise French Excel puts
every row in one column and breaks the accents), booleans as « Oui »/« Non »
and dates as dd/mm/yyyy (HH:MM) in the Europe/Paris time; XLSX and ODS get
typed cells (dates as dates, numbers as numbers) and booleans as Oui/Non text.
Callers pass the values themselves (date, datetime, bool, int), not text.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import PurePath

import tablib
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
MAX_IMPORT_BYTES = 5 * 1024 * 1024
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITERS = (",", ";", "\t")
CSV_DELIMITER = ";"  # French Excel and LibreOffice read ; (the comma is the decimal mark)
CSV_DATE_FORMAT = "%d/%m/%Y"
CSV_DATETIME_FORMAT = "%d/%m/%Y %H:%M"


def _cell(value, fmt: str = "xlsx"):
    """`value` as the cell of a file in `fmt`: typed for XLSX/ODS, French text for CSV."""
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: True is an int
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, timezone.get_default_timezone())
        # Spreadsheets have no time zones: the local (Paris) time, to the minute.
        value = value.replace(tzinfo=None, second=0, microsecond=0)
        return value.strftime(CSV_DATETIME_FORMAT) if fmt == "csv" else value
    if isinstance(value, dt.date):
        return value.strftime(CSV_DATE_FORMAT) if fmt == "csv" else value
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _read_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):  # a date or date-and-time cell of XLSX/ODS
        value = value.date() if value.time() == dt.time() else value.replace(microsecond=0)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # ODS stores every number as a float: 3 comes back as 3.0
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text


def _csv_delimiter(text: str) -> str:
    """Comma, semicolon (French spreadsheet programs) or tab: the most frequent
    one in the first line."""
    first_line = text.split("\n", 1)[0]
    return max(CSV_DELIMITERS, key=first_line.count)


def export_dataset(
    *, headers: Sequence[str], rows: Iterable[Sequence], title: str = "", fmt: str = "xlsx"
) -> tablib.Dataset:
    dataset = tablib.Dataset(
        headers=[_cell(str(h), fmt) for h in headers], title=(title or "export")[:31]
    )
    for row in rows:
        dataset.append([_cell(v, fmt) for v in row])
    return dataset


def export_filename(filename: str, fmt: str) -> str:
    """The file's name: `filename` slugified, with the format's extension."""
    return f"{slugify(filename) or 'export'}.{fmt}"


def export_content(
    *, headers: Sequence[str], rows: Iterable[Sequence], fmt: str, title: str = ""
) -> bytes:
    """The table as the bytes of a file in `fmt` ("csv", "xlsx" or "ods").

    Text that looks like a formula is neutralised (see `_cell`); CSV gets a
    byte-order mark and semicolons so French spreadsheet programs read it right.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"Unknown export format: {fmt}")
    dataset = export_dataset(headers=headers, rows=rows, title=title, fmt=fmt)
    if fmt == "csv":
        content = "\ufeff" + dataset.export("csv", delimiter=CSV_DELIMITER)
    else:
        content = dataset.export(fmt)
    if isinstance(content, str):
        content = content.encode("utf-8")
    return content


def export_response(
    *, filename: str, headers: Sequence[str], rows: Iterable[Sequence], fmt: str
) -> HttpResponse:
    """A download of the table in `fmt` ("csv", "xlsx" or "ods"), made in the request.

    For a large table, make it in a task instead and save it on the job with
    `faireavec.core.jobs.job_save_export`.
    """
    content = export_content(headers=headers, rows=rows, fmt=fmt, title=filename)
    response = HttpResponse(content, content_type=EXPORT_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{export_filename(filename, fmt)}"'
    return response


def read_table(uploaded_file) -> tuple[list[str], list[dict[str, str]]]:
    """Read an uploaded CSV, XLSX or ODS file: its headers and its rows as dicts
    of strings (stripped). Raises ValidationError with a message a person can act on."""
    name = getattr(uploaded_file, "name", "") or ""
    fmt = PurePath(name).suffix.lower().lstrip(".")
    if fmt not in EXPORT_FORMATS:
        raise ValidationError(_("Choose a CSV, XLSX or ODS file."), code="format")
    too_large = ValidationError(_("The file is too large (5 MB at most)."), code="size")
    if (getattr(uploaded_file, "size", 0) or 0) > MAX_IMPORT_BYTES:
        raise too_large
    raw = uploaded_file.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise too_large
    try:
        if fmt == "csv":
            text = raw.decode("utf-8-sig")
            dataset = tablib.Dataset().load(text, format="csv", delimiter=_csv_delimiter(text))
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
    headers = [_read_cell(h) for h in (dataset.headers or [])]
    if not any(headers):
        raise ValidationError(
            _("The first line of the file must name the columns."), code="headers"
        )
    rows = []
    for values in dataset:
        row = {h: _read_cell(v) for h, v in zip(headers, values, strict=False) if h}
        if any(row.values()):
            rows.append(row)
    return headers, rows
