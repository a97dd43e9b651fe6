"""Importing the member register from a table, in two steps as for stakeholders:
the file is checked and every row's problems listed (nothing written), the file
is kept in the private storage under a token; on confirmation the rows are
checked again and written all at once, or not at all if the register changed.
"""

import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from faireavec.core.audit import audit_log
from faireavec.core.exports import read_table
from faireavec.core.storage import IMPORTS_FOLDER, private_storage
from faireavec.governance.models import College, Member
from faireavec.organisations.models import Organisation

# Column -> the names a person may give it (French and English, lower case).
COLUMNS = {
    "number": ("numéro", "numero", "n°", "number", "member number", "numéro de sociétaire"),
    "name": ("nom", "name"),
    "email": ("courriel", "email", "e-mail", "adresse électronique"),
    "college": ("collège", "college"),
    "joined_on": ("date d'adhésion", "adhésion", "joined on", "joined"),
    "shares": ("parts", "parts sociales", "shares"),
    "status": ("statut", "status"),
}
STATUS_WORDS = {
    "": Member.Status.ACTIVE,
    "actif": Member.Status.ACTIVE,
    "active": Member.Status.ACTIVE,
    "démissionnaire": Member.Status.RESIGNED,
    "démission": Member.Status.RESIGNED,
    "resigned": Member.Status.RESIGNED,
    "exclu": Member.Status.EXCLUDED,
    "excluded": Member.Status.EXCLUDED,
}
IMPORT_TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")


@dataclass
class MemberRow:
    line: int
    values: dict
    problems: list[str] = field(default_factory=list)


@dataclass
class MemberPreview:
    rows: list[MemberRow]
    file_problems: list[str]
    ignored_columns: list[str]

    @property
    def valid_rows(self) -> list[MemberRow]:
        return [r for r in self.rows if not r.problems]

    @property
    def invalid_rows(self) -> list[MemberRow]:
        return [r for r in self.rows if r.problems]

    @property
    def valid_lines(self) -> list[int]:
        return [r.line for r in self.valid_rows]

    @property
    def can_import(self) -> bool:
        return not self.file_problems and bool(self.valid_rows)


def _parse_date(text: str) -> date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def import_analyse(
    *, organisation: Organisation, headers: list[str], rows: list[dict]
) -> MemberPreview:
    mapping = {}
    ignored = []
    for header in headers:
        key = next((k for k, names in COLUMNS.items() if header.strip().lower() in names), None)
        if key and key not in mapping.values():
            mapping[header] = key
        else:
            ignored.append(header)
    file_problems = []
    for required, label in (("number", _("Number")), ("name", _("Name"))):
        if required not in mapping.values():
            file_problems.append(_("The column « %(column)s » is missing.") % {"column": label})
    colleges = {c.name.lower(): c.pk for c in College.objects.filter(organisation=organisation)}
    existing = set(
        Member.objects.filter(organisation=organisation).values_list("number", flat=True)
    )
    seen: set[str] = set()
    result = []
    for i, raw in enumerate(rows, start=2):
        data = {key: (raw.get(header) or "").strip() for header, key in mapping.items()}
        if not any(data.values()):
            continue
        problems = []
        number = data.get("number", "")
        values = {
            "number": number,
            "name": data.get("name", "")[:200],
            "email": data.get("email", ""),
        }
        if not number:
            problems.append(_("The number is missing."))
        elif len(number) > 30:
            problems.append(_("The number is longer than 30 characters."))
        elif number in existing:
            problems.append(_("This number is already in the register."))
        elif number in seen:
            problems.append(_("This number appears twice in the file."))
        seen.add(number)
        if not values["name"]:
            problems.append(_("The name is missing."))
        if values["email"]:
            try:
                validate_email(values["email"])
            except ValidationError:
                problems.append(_("The email address is not valid."))
        college_name = data.get("college", "")
        values["college_id"] = None
        if college_name:
            values["college_id"] = colleges.get(college_name.lower())
            if values["college_id"] is None:
                problems.append(_("Unknown college « %(name)s ».") % {"name": college_name})
        joined = data.get("joined_on", "")
        values["joined_on"] = None
        if joined:
            parsed = _parse_date(joined)
            if parsed is None:
                problems.append(_("Write the date of joining as 31/12/2026."))
            else:
                values["joined_on"] = parsed.isoformat()
        shares = data.get("shares", "") or "0"
        if shares.isdigit():
            values["shares"] = int(shares)
        else:
            problems.append(_("The number of shares must be a whole number."))
        status = STATUS_WORDS.get(data.get("status", "").lower())
        if status is None:
            problems.append(_("Status: write active, resigned or excluded."))
        values["status"] = status or Member.Status.ACTIVE
        result.append(MemberRow(line=i, values=values, problems=problems))
    if not result and not file_problems:
        file_problems.append(_("The file has no row to import."))
    return MemberPreview(rows=result, file_problems=file_problems, ignored_columns=ignored)


@dataclass(frozen=True)
class MemberImportUpload:
    preview: MemberPreview
    filename: str
    token: str


class ImportNotFound(Exception):
    """No import waits under this token (used, cancelled, someone else's)."""


class ImportChanged(Exception):
    def __init__(self, preview: MemberPreview) -> None:
        super().__init__("The import preview is out of date.")
        self.preview = preview


def _paths(*, organisation: Organisation, token: str) -> tuple[str, str] | None:
    if not IMPORT_TOKEN.fullmatch(token or ""):
        return None
    base = f"{IMPORTS_FOLDER}/{organisation.pk}/members-{token}"
    return f"{base}.json", base


def member_import_upload(*, actor, organisation: Organisation, upload) -> MemberImportUpload:
    """Check an uploaded table (writes nothing to the register); keep the file when
    some rows can be imported. Raises ValidationError when it is unreadable."""
    headers, rows = read_table(upload)
    preview = import_analyse(organisation=organisation, headers=headers, rows=rows)
    filename = PurePath(upload.name or "").name[:200]
    if not preview.can_import:
        return MemberImportUpload(preview=preview, filename=filename, token="")
    token = secrets.token_urlsafe(16)
    description_path, base = _paths(organisation=organisation, token=token)
    upload.seek(0)
    storage = private_storage()
    path = storage.save(base + PurePath(filename).suffix.lower(), upload)
    description = {
        "actor": actor.pk,
        "path": path,
        "filename": filename,
        "lines": preview.valid_lines,
    }
    storage.save(description_path, ContentFile(json.dumps(description).encode()))
    return MemberImportUpload(preview=preview, filename=filename, token=token)


def _claim(*, actor, organisation: Organisation, token: str) -> dict:
    paths = _paths(organisation=organisation, token=token)
    storage = private_storage()
    if paths is None or not storage.exists(paths[0]):
        raise ImportNotFound
    with storage.open(paths[0], "rb") as handle:
        description = json.loads(handle.read())
    if description.get("actor") != actor.pk:
        raise ImportNotFound
    storage.delete(paths[0])
    return description


def member_import_cancel(*, actor, organisation: Organisation, token: str) -> None:
    try:
        description = _claim(actor=actor, organisation=organisation, token=token)
    except ImportNotFound:
        return
    if description["path"].startswith(f"{IMPORTS_FOLDER}/"):
        private_storage().delete(description["path"])


@transaction.atomic
def member_import_confirm(*, actor, organisation: Organisation, token: str) -> list[Member]:
    """Write the previewed rows: all of them, or none if they are no longer the
    ones the person saw (ImportChanged carries the new preview)."""
    description = _claim(actor=actor, organisation=organisation, token=token)
    storage = private_storage()
    with storage.open(description["path"], "rb") as handle:
        headers, rows = read_table(handle)
    if description["path"].startswith(f"{IMPORTS_FOLDER}/"):
        transaction.on_commit(lambda: storage.delete(description["path"]))
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    preview = import_analyse(organisation=organisation, headers=headers, rows=rows)
    if not preview.can_import or preview.valid_lines != list(description["lines"]):
        raise ImportChanged(preview)
    members = []
    for row in preview.valid_rows:
        values = dict(row.values)
        joined = values.pop("joined_on")
        member = Member(
            organisation=organisation,
            joined_on=date.fromisoformat(joined) if joined else date.today(),
            **values,
        )
        if member.status != Member.Status.ACTIVE:
            member.left_on = member.joined_on
        member.full_clean(validate_unique=False, validate_constraints=False)
        members.append(member)
    created = Member.objects.bulk_create(members, batch_size=2000)
    audit_log(
        actor=actor,
        organisation=organisation,
        action="governance.member_import",
        details={"count": len(created), "filename": description["filename"]},
    )
    return created
