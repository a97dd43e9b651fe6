"""Tables in and out: CSV, XLSX and ODS through tablib.

Every list of the back office offers its table as a file the same way: the app
declares an `ExportSpec` (its title, file name, column headers, how to read its
rows from the filters, how one object reads as a row) in its `exports.py`, and
its export view is two lines:

    @permission_required("needs.export_need")
    @require_POST
    def need_export(request):
        return export_or_job(request, spec=NEEDS_EXPORT)

`export_or_job` validates the format (an unknown one gets the same 400 page
everywhere), makes a small table in the request and a large one (more than
`settings.EXPORT_IN_REQUEST_MAX_ROWS` rows) in a background job with progress,
reads rows from the database in chunks (`.iterator()`, a generator: never the
whole table in memory), and records the export in the activity log (it holds
people's data). Exports are POSTs: a GET writes nothing, and the log is a write.
The list page offers the export with `{% export_form "app:url_name" %}`
(`faireavec_exports` tags), which carries the page's filters.

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

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any, BinaryIO

import openpyxl
import tablib
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_tasks import task

from faireavec.core.audit import audit_entries_for_organisation, audit_export_row, audit_log
from faireavec.core.forms import AuditFilterForm
from faireavec.core.jobs import job_fail, job_finish, job_progress, job_save_file, job_start
from faireavec.core.models import BackgroundJob

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
EXPORT_CHUNK_SIZE = 2000  # rows read from the database at a time
EXPORT_PROGRESS_EVERY = 2500  # rows between two progress reports of a job
# Fields of the export form that are not the list's filters.
EXPORT_CONTROL_FIELDS = ("csrfmiddlewaretoken", "format", "page", "form_token")


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


def export_write(
    fileobj: BinaryIO,
    *,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    fmt: str,
    title: str = "",
) -> None:
    """Write the table as a file in `fmt` ("csv", "xlsx" or "ods") to the binary
    `fileobj`, row by row: the one writer of every export, in the request
    (into memory) and in a job (into a temporary file, then the job's file).

    CSV and XLSX are written as the rows come (the csv module; openpyxl's
    write-only mode), so memory does not grow with the table; ODS is built in
    memory (odfpy through tablib). Text that looks like a formula is
    neutralised (see `_cell`); CSV gets a byte-order mark and semicolons so
    French spreadsheet programs read it right.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"Unknown export format: {fmt}")
    if fmt == "csv":
        text = io.TextIOWrapper(fileobj, encoding="utf-8", newline="", write_through=True)
        text.write("\ufeff")
        writer = csv.writer(text, delimiter=CSV_DELIMITER)
        writer.writerow([_cell(str(h), fmt) for h in headers])
        for row in rows:
            writer.writerow([_cell(v, fmt) for v in row])
        text.flush()
        text.detach()  # the caller keeps its file open
    elif fmt == "xlsx":
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet(title=_sheet_title(title))
        sheet.append([_cell(str(h), fmt) for h in headers])
        for row in rows:
            sheet.append([_cell(v, fmt) for v in row])
        workbook.save(fileobj)
    else:
        dataset = export_dataset(headers=headers, rows=rows, title=_sheet_title(title), fmt=fmt)
        fileobj.write(dataset.export(fmt))


def _sheet_title(title: str) -> str:
    # A sheet's name: 31 characters at most, none of : \ / ? * [ ]
    cleaned = "".join(" " if c in ":\\/?*[]" else c for c in str(title or "export"))
    return cleaned.strip()[:31] or "export"


def export_content(
    *, headers: Sequence[str], rows: Iterable[Sequence], fmt: str, title: str = ""
) -> bytes:
    """The table as the bytes of a file in `fmt` (see `export_write`)."""
    buffer = io.BytesIO()
    export_write(buffer, headers=headers, rows=rows, fmt=fmt, title=title)
    return buffer.getvalue()


# One list's export, declared by its app ----------------------------------------

_EXPORT_SPECS: dict[str, "ExportSpec"] = {}


@dataclass(frozen=True)
class ExportTable:
    """A table whose columns or rows are not one queryset's objects (a survey's
    questions are its columns): what `ExportSpec.table` gives.

    - `headers`: the column names, in the order of the rows.
    - `total`: how many rows it holds (a count, before reading them).
    - `rows`: the rows, an iterable read once (a generator: never the whole
      table in memory), with typed values as `ExportSpec.row` gives them.
    - `target`: the object exported (the survey, the draw), recorded in the
      activity log and named in the file and the job; None for a whole list.
    """

    headers: Sequence
    total: int
    rows: Iterable[Sequence]
    target: Any = None


@dataclass(frozen=True)
class ExportSpec:
    """One list's table, declared once by its app in `<app>/exports.py`.

    - `name`: a unique code, `"<app>.<list>"`; the activity log and the job's
      task keep it (so it must not change).
    - `title`: what the list is, to fit in a sentence (« the needs register »), lazy.
    - `filename`: the file's base name, lazy; the organisation and the date are added.
    - `list_url`: the list page's URL name (`"needs:need_list"`), for the way back.
    - `headers`: the column names (lazy text), in the order of `row`.
    - `objects(*, organisation, params) -> QuerySet`: the rows, scoped to the
      organisation and filtered by `params` (the list page's filters, a QueryDict:
      read them through the page's own filter form, which ignores bad values),
      ordered, with the `select_related`/`prefetch_related` that `row` needs.
    - `row(obj) -> sequence`: one object's values (date, datetime, bool, int,
      Decimal or text: the file types them), in the active language. Keep
      personal data out unless the list is about people.

    Or, for a table of one object whose columns depend on it (a survey's raw
    responses), `table(*, organisation, params, **scope) -> ExportTable`
    instead of `headers`/`objects`/`row`: `scope` is the export URL's own
    arguments (`survey_pk=…`), which `export_or_job` passes on (and
    `list_url` is reversed with); `table` finds the object in the
    organisation (LookupError, or Http404, when it is not there).

    Declaring it registers it (the background task finds it by `name`); core
    imports every app's `exports` module at start-up.
    """

    name: str
    title: Promise
    filename: Promise
    list_url: str
    headers: Sequence[Promise] = ()
    objects: Callable[..., QuerySet] | None = None
    row: Callable[[Any], Sequence] | None = None
    table: Callable[..., ExportTable] | None = None

    def __post_init__(self) -> None:
        if (self.table is None) == (self.objects is None or self.row is None):
            raise ImproperlyConfigured(
                f"Export {self.name!r}: give either objects and row, or table."
            )
        module = (self.table or self.objects).__module__
        known = _EXPORT_SPECS.get(self.name)
        if known is not None and (known.table or known.objects).__module__ != module:
            raise ImproperlyConfigured(f"Two exports are named {self.name!r}.")
        _EXPORT_SPECS[self.name] = self


def export_spec(name: str) -> ExportSpec:
    """The declared export named `name` (LookupError if there is none)."""
    try:
        return _EXPORT_SPECS[name]
    except KeyError:
        raise LookupError(f"No export is named {name!r}.") from None


def export_title(name: str) -> str:
    """How an export reads in a sentence (for the activity log); its code if it is gone."""
    spec = _EXPORT_SPECS.get(name)
    return str(spec.title) if spec else name


def export_in_request_max_rows() -> int:
    """Up to this many rows a file is made in the request; above, by a background job."""
    return int(getattr(settings, "EXPORT_IN_REQUEST_MAX_ROWS", 2000))


def export_params(data: QueryDict) -> QueryDict:
    """The list's filters in a posted export form (without the format, the page…)."""
    params = data.copy()
    for name in EXPORT_CONTROL_FIELDS:
        params.pop(name, None)
    return params


def _object_rows(spec: ExportSpec, objects: QuerySet) -> Iterator[Sequence]:
    for obj in objects.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        yield spec.row(obj)


def export_table_of(
    spec: ExportSpec, *, organisation, params: QueryDict, scope: dict | None = None
) -> ExportTable:
    """The table `spec` makes for these filters (and URL arguments), not read yet."""
    if spec.table is not None:
        return spec.table(organisation=organisation, params=params, **(scope or {}))
    objects = spec.objects(organisation=organisation, params=params)
    return ExportTable(
        headers=spec.headers, total=objects.count(), rows=_object_rows(spec, objects)
    )


class _Counted:
    """The table's rows, counted as they are read; `on_progress(read)` every
    EXPORT_PROGRESS_EVERY rows."""

    def __init__(self, rows: Iterable[Sequence], on_progress=None) -> None:
        self.rows, self.on_progress = rows, on_progress
        self.read = 0

    def __iter__(self) -> Iterator[Sequence]:
        for row in self.rows:
            yield row
            self.read += 1
            if self.on_progress and self.read % EXPORT_PROGRESS_EVERY == 0:
                self.on_progress(self.read)


def _export_file_name(spec: ExportSpec, table: ExportTable, organisation, fmt: str) -> str:
    parts = [str(spec.filename)]
    if table.target is not None:
        parts.append(str(table.target)[:60])
    parts += [organisation.slug, timezone.localdate().isoformat()]
    return export_filename("-".join(parts), fmt)


def _export_audit(
    *, spec: ExportSpec, table: ExportTable, actor, organisation, fmt: str, rows: int
) -> None:
    audit_log(
        actor=actor,
        organisation=organisation,
        action="core.export" if table.target is None else "core.export_of",
        target=table.target,
        details={"export": spec.name, "format": fmt, "rows": rows},
    )


def _export_job_label(spec: ExportSpec, table: ExportTable, fmt: str) -> str:
    values = {"title": spec.title, "n": table.total, "format": fmt.upper()}
    if table.target is None:
        return (
            ngettext(
                "Export of %(title)s: %(n)s row (%(format)s)",
                "Export of %(title)s: %(n)s rows (%(format)s)",
                table.total,
            )
            % values
        )
    return ngettext(
        "Export of %(title)s of « %(target)s »: %(n)s row (%(format)s)",
        "Export of %(title)s of « %(target)s »: %(n)s rows (%(format)s)",
        table.total,
    ) % {**values, "target": table.target}


def export_or_job(
    request: HttpRequest, *, spec: ExportSpec, scope: dict | None = None
) -> HttpResponse:
    """The one way a list is exported: the answer to its export form's POST.

    The view checks the permission (and, for a table of one object, that the
    object is the organisation's: `scope` is its URL arguments) and calls
    this. Here: the format is checked (anything but csv/xlsx/ods gets the 400
    page « format not offered », and nothing is done); the rows are those the
    spec gives for the posted filters; up to `EXPORT_IN_REQUEST_MAX_ROWS` the
    file is the answer, above a background job makes it and the person is
    sent to its page (progress, then the file). Either way the export is
    recorded in the activity log, with the number of rows the file really holds.
    """
    if request.method != "POST":  # a GET never writes (and the log is a write)
        return HttpResponseNotAllowed(["POST"])
    organisation = request.organisation
    scope = dict(scope or {})
    fmt = request.POST.get("format", "")
    if fmt not in EXPORT_FORMATS:
        back_url = reverse(spec.list_url, kwargs={"org_slug": organisation.slug, **scope})
        return export_format_refused(request, back_url=back_url)
    params = export_params(request.POST)
    table = export_table_of(spec, organisation=organisation, params=params, scope=scope)
    if table.total > export_in_request_max_rows():
        job = job_start(
            organisation=organisation,
            requested_by=request.user,
            label=_export_job_label(spec, table, fmt),
            total=table.total,
            task=export_table,
            export=spec.name,
            query={key: params.getlist(key) for key in params},
            scope=scope,
            fmt=fmt,
        )
        return redirect(job.get_absolute_url())
    rows = _Counted(table.rows)
    content = export_content(headers=table.headers, rows=rows, fmt=fmt, title=str(spec.title))
    _export_audit(
        spec=spec,
        table=table,
        actor=request.user,
        organisation=organisation,
        fmt=fmt,
        rows=rows.read,
    )
    response = HttpResponse(content, content_type=EXPORT_FORMATS[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{_export_file_name(spec, table, organisation, fmt)}"'
    )
    return response


def export_format_refused(request: HttpRequest, *, back_url: str) -> HttpResponse:
    """The one answer to an unknown export format: a 400 page in the shell that
    says nothing was exported, names the formats offered and leads back."""
    return render(
        request,
        "core/export_refused.html",
        {"back_url": back_url, "formats": [f.upper() for f in EXPORT_FORMATS]},
        status=400,
    )


@task()
def export_table(
    *,
    job_id: int,
    export: str,
    query: dict[str, list[str]],
    fmt: str,
    scope: dict | None = None,
) -> int:
    """The background half of `export_or_job`: the same rows (`query`: the posted
    filters; `scope`: the URL's arguments), written to a temporary file as they
    are read and kept as the job's file, in the language of the person who asked.

    Returns the number of rows. On any error the job says it failed (and the
    error is raised again for the task backend to record).
    """
    job = BackgroundJob.objects.select_related("organisation", "requested_by").get(pk=job_id)
    user = job.requested_by
    with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
        try:
            return _export_on_job(
                job=job, spec=export_spec(export), query=query, scope=scope or {}, fmt=fmt
            )
        except Exception:
            job_fail(
                job_id=job_id,
                message=_(
                    "The export could not be made. Try again later, or narrow it down "
                    "with the filters."
                ),
            )
            raise


def _export_on_job(
    *, job: BackgroundJob, spec: ExportSpec, query: dict, scope: dict, fmt: str
) -> int:
    params = QueryDict(mutable=True)
    for key, values in query.items():
        params.setlist(key, values)
    table = export_table_of(spec, organisation=job.organisation, params=params, scope=scope)
    total = table.total
    job_progress(job_id=job.pk, done=0, total=total)

    def progress(read: int) -> None:
        # Rows added since the count must not take `done` above `total`.
        job_progress(
            job_id=job.pk,
            done=min(read, total),
            message=_("%(done)s of %(total)s rows read.") % {"done": read, "total": total},
        )

    rows = _Counted(table.rows, on_progress=progress)
    with tempfile.TemporaryFile() as fileobj:
        export_write(fileobj, headers=table.headers, rows=rows, fmt=fmt, title=str(spec.title))
        job_progress(job_id=job.pk, done=min(rows.read, total), message=_("Writing the file…"))
        fileobj.seek(0)
        job_save_file(
            job_id=job.pk,
            filename=_export_file_name(spec, table, job.organisation, fmt),
            content=fileobj,
        )
    with transaction.atomic():
        _export_audit(
            spec=spec,
            table=table,
            actor=job.requested_by,
            organisation=job.organisation,
            fmt=fmt,
            rows=rows.read,
        )
        job_finish(
            job_id=job.pk,
            message=ngettext(
                "The file is ready: %(n)s row.", "The file is ready: %(n)s rows.", rows.read
            )
            % {"n": rows.read},
        )
    return rows.read


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


# The activity log's own export ---------------------------------------------


def _audit_export_objects(*, organisation, params: QueryDict) -> QuerySet:
    filters = AuditFilterForm(params, organisation=organisation).filters()
    return audit_entries_for_organisation(organisation=organisation, **filters)


AUDIT_EXPORT = ExportSpec(
    name="core.audit_log",
    title=gettext_lazy("the activity log"),
    filename=gettext_lazy("activity-log"),
    headers=[
        gettext_lazy("When"),
        gettext_lazy("Person"),
        gettext_lazy("Email"),
        gettext_lazy("What happened"),
        gettext_lazy("Action code"),
        gettext_lazy("Object"),
    ],
    objects=_audit_export_objects,
    row=audit_export_row,
    list_url="core:audit_log",
)
