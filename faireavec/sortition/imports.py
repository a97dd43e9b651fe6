"""Volunteers from a table (CSV, XLSX, ODS) or from the member register.

A file is read with core's `read_table` and checked row by row (`import_analyse`,
nothing written): a name, a contact, and for every category of the pool a value
it has (written as in the pool, accents and capitals aside). The preview page
carries the checked rows, signed, to the confirmation, which checks them again
against the pool and writes them all at once, or none when the pool changed
meanwhile (someone registered with the same contact…).

Volunteers imported or taken from the register have not consented themselves:
their consent is « à confirmer » (`consent_at` empty) unless the person who
imports states that everyone in the file gave it. Only volunteers who
consented are drawn.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faireavec.core.audit import audit_log
from faireavec.core.exports import read_table
from faireavec.core.i18n import lazy_message
from faireavec.core.jobs import job_start
from faireavec.core.notifications import notify
from faireavec.core.storage import IMPORTS_FOLDER, private_storage
from faireavec.governance.models import Member
from faireavec.governance.selectors import members_of
from faireavec.sortition.forms import CONSENT_TEXT, FROM_COLLEGE
from faireavec.sortition.models import Category, Feature, Pool, Value, Volunteer
from faireavec.stakeholders.imports import normalise

MAX_IMPORT_ROWS = 5000
IMPORT_IN_REQUEST_MAX_ROWS = 500  # more rows: written by a background job with its page
SIGNED_MAX_AGE = 3600  # seconds between the preview and its confirmation
NAME_COLUMNS = {"nom", "name", "nom et prenom", "prenom et nom"}
CONTACT_COLUMNS = {"contact", "courriel", "email", "e mail", "telephone", "tel", "phone"}


@dataclass
class VolunteerRow:
    line: int  # the line in the file (the header is line 1)
    name: str
    contact: str
    values: dict[int, int] = field(default_factory=dict)  # category pk -> value pk
    labels: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class VolunteerPreview:
    rows: list[VolunteerRow]
    file_problems: list[str]
    ignored_columns: list[str]

    @property
    def valid_rows(self) -> list[VolunteerRow]:
        return [r for r in self.rows if not r.problems]

    @property
    def invalid_rows(self) -> list[VolunteerRow]:
        return [r for r in self.rows if r.problems]

    @property
    def can_import(self) -> bool:
        return not self.file_problems and bool(self.valid_rows)


class ImportChanged(Exception):
    """The pool changed since the preview: nothing was written."""

    def __init__(self, preview: VolunteerPreview) -> None:
        super().__init__("The import preview is out of date.")
        self.preview = preview


def _categories(pool: Pool) -> list[tuple[Category, dict[str, Value]]]:
    return [
        (category, {normalise(v.label): v for v in category.values.all()})
        for category in Category.objects.filter(pool=pool).prefetch_related("values")
    ]


def import_analyse(*, pool: Pool, headers: list[str], rows: list[dict]) -> VolunteerPreview:
    """Every row's problems, in words; nothing is written."""
    categories = _categories(pool)
    by_name = {normalise(c.name): c for c, _values in categories}
    mapping: dict[str, str | int] = {}  # header -> "name" | "contact" | category pk
    ignored = []
    for header in headers:
        key = normalise(header)
        target: str | int | None = None
        if key in by_name:
            target = by_name[key].pk
        elif key in NAME_COLUMNS:
            target = "name"
        elif key in CONTACT_COLUMNS:
            target = "contact"
        if target is not None and target not in mapping.values():
            mapping[header] = target
        elif header:
            ignored.append(header)
    file_problems = []
    if not categories:
        file_problems.append(_("Add the pool's categories before importing volunteers."))
    if "name" not in mapping.values():
        file_problems.append(_("The column « Nom » is missing."))
    if "contact" not in mapping.values():
        file_problems.append(_("The column « Contact » (email or phone) is missing."))
    for category, _values in categories:
        if category.pk not in mapping.values():
            file_problems.append(
                _("The column « %(category)s » is missing.") % {"category": category.name}
            )
    if len(rows) > MAX_IMPORT_ROWS:
        file_problems.append(
            _("The file has more than %(max)s rows: split it.") % {"max": MAX_IMPORT_ROWS}
        )
    columns = {target: header for header, target in mapping.items()}
    existing = set(Volunteer.objects.filter(pool=pool).values_list("contact", flat=True))
    seen: set[str] = set()
    result = []
    for line, raw in enumerate(rows[:MAX_IMPORT_ROWS], start=2):
        name = raw.get(columns.get("name", ""), "").strip()
        contact = raw.get(columns.get("contact", ""), "").strip()
        row = VolunteerRow(line=line, name=name[:200], contact=contact[:200])
        if not name:
            row.problems.append(_("The name is missing."))
        elif len(name) > 200:
            row.problems.append(_("The name is longer than 200 characters."))
        if not contact:
            row.problems.append(_("The contact is missing."))
        elif len(contact) > 200:
            row.problems.append(_("The contact is longer than 200 characters."))
        elif contact in existing:
            row.problems.append(_("Someone in the pool already has this contact."))
        elif contact in seen:
            row.problems.append(_("This contact appears twice in the file."))
        seen.add(contact)
        for category, values in categories:
            if category.pk not in columns:
                continue
            typed = raw.get(columns[category.pk], "").strip()
            value = values.get(normalise(typed))
            if not typed:
                row.problems.append(
                    _("No value for « %(category)s ».") % {"category": category.name}
                )
            elif value is None:
                row.problems.append(
                    _("« %(value)s » is not a value of « %(category)s » (expected: %(values)s).")
                    % {
                        "value": typed[:100],
                        "category": category.name,
                        "values": ", ".join(v.label for v in values.values()),
                    }
                )
            else:
                row.values[category.pk] = value.pk
                row.labels.append(value.label)
        result.append(row)
    if not result and not file_problems:
        file_problems.append(_("The file has no row to import."))
    return VolunteerPreview(rows=result, file_problems=file_problems, ignored_columns=ignored)


def _salt(pool: Pool, actor) -> str:
    return f"sortition.import.{pool.pk}.{actor.pk}"


def volunteer_import_preview(*, pool: Pool, actor, upload) -> tuple[VolunteerPreview, str]:
    """Check an uploaded file; returns the preview and, when some rows can be imported,
    the signed rows to confirm (empty otherwise). Raises ValidationError when the file
    cannot be read."""
    headers, rows = read_table(upload)
    preview = import_analyse(pool=pool, headers=headers, rows=rows)
    if not preview.can_import:
        return preview, ""
    kept = {
        "headers": headers,
        "rows": rows[:MAX_IMPORT_ROWS],
        "lines": [r.line for r in preview.valid_rows],
    }
    return preview, signing.dumps(kept, salt=_salt(pool, actor), compress=True)


def signed_rows_load(*, pool: Pool, actor, signed: str) -> dict:
    try:
        return signing.loads(signed, salt=_salt(pool, actor), max_age=SIGNED_MAX_AGE)
    except signing.BadSignature as exc:  # SignatureExpired is one
        raise ValidationError(
            _("This preview has expired or was altered: choose the file again."), code="signed"
        ) from exc


def import_rows_confirmed(*, pool: Pool, actor, signed: str) -> int:
    """How many rows the signed preview would write (ValidationError if it is not valid)."""
    return len(signed_rows_load(pool=pool, actor=actor, signed=signed)["lines"])


@transaction.atomic
def volunteer_import_start(*, pool: Pool, actor, signed: str, consent_given: bool = False):
    """A large import is written by a background job: the signed rows wait in the private
    storage (never in the task's arguments) and the job's page shows the progress."""
    from faireavec.sortition.tasks import volunteer_import_task

    count = import_rows_confirmed(pool=pool, actor=actor, signed=signed)
    path = private_storage().save(
        f"{IMPORTS_FOLDER}/{pool.organisation_id}/volunteers-{secrets.token_urlsafe(16)}.txt",
        ContentFile(signed.encode()),
    )
    return job_start(
        organisation=pool.organisation,
        requested_by=actor,
        label=_("Import of volunteers into « %(pool)s »") % {"pool": pool.title},
        task=volunteer_import_task,
        total=count,
        pool_id=pool.pk,
        actor_id=actor.pk,
        path=path,
        consent_given=consent_given,
    )


@transaction.atomic
def volunteer_import_confirm(
    *, pool: Pool, actor, signed: str, consent_given: bool = False
) -> list[Volunteer]:
    """Write every row of the preview, or none when one of them has a problem now
    (ImportChanged carries the new preview)."""
    kept = signed_rows_load(pool=pool, actor=actor, signed=signed)
    Pool.objects.select_for_update().filter(pk=pool.pk).first()
    preview = import_analyse(pool=pool, headers=kept["headers"], rows=kept["rows"])
    if not preview.can_import or [r.line for r in preview.valid_rows] != kept["lines"]:
        raise ImportChanged(preview)
    now = timezone.now()
    volunteers = []
    for row in preview.valid_rows:
        volunteer = Volunteer(
            pool=pool,
            name=row.name,
            contact=row.contact,
            source=Volunteer.Source.IMPORT,
            consent_at=now if consent_given else None,
            consent_text=str(CONSENT_TEXT) if consent_given else "",
        )
        volunteer.full_clean(validate_unique=False, validate_constraints=False)
        volunteers.append(volunteer)
    try:
        with transaction.atomic():
            created = Volunteer.objects.bulk_create(volunteers, batch_size=1000)
    except IntegrityError:  # someone registered with one of these contacts meanwhile
        raise ImportChanged(
            import_analyse(pool=pool, headers=kept["headers"], rows=kept["rows"])
        ) from None
    by_contact = dict(
        Volunteer.objects.filter(
            pool=pool, contact__in=[r.contact for r in preview.valid_rows]
        ).values_list("contact", "pk")
    )
    Feature.objects.bulk_create(
        [
            Feature(volunteer_id=by_contact[row.contact], category_id=category, value_id=value)
            for row in preview.valid_rows
            for category, value in row.values.items()
        ],
        batch_size=2000,
    )
    audit_log(
        actor=actor,
        organisation=pool.organisation,
        action="sortition.volunteer_import",
        target=pool,
        details={"count": len(created)},
    )
    return created


@dataclass
class MembersAdded:
    added: list[Volunteer]
    skipped: list[str]  # « 0042 — Jeanne Dupont: why »


@transaction.atomic
def volunteers_from_members(
    *, pool: Pool, actor, features: dict[int, int | str], college=None
) -> MembersAdded:
    """Add the active members (of one college, or all) to the pool, each with a value
    per category: the one named like their college (`FROM_COLLEGE`) or the value
    chosen for everyone. Their consent is « à confirmer » until they confirm it.
    Members already in the pool, or whose contact someone else has, are left out
    and said why."""
    Pool.objects.select_for_update().filter(pk=pool.pk).first()
    categories = _categories(pool)
    if not categories:
        raise ValidationError(_("Add the pool's categories before adding members."))
    errors = {}
    chosen: dict[int, Value | str] = {}
    for category, values in categories:
        choice = features.get(category.pk)
        if choice == FROM_COLLEGE:
            chosen[category.pk] = FROM_COLLEGE
            continue
        value = next((v for v in values.values() if v.pk == choice), None)
        if value is None:
            errors[f"category_{category.pk}"] = _("Choose a value or « the member's college ».")
        else:
            chosen[category.pk] = value
    if errors:
        raise ValidationError(errors)
    if college is not None and college.organisation_id != pool.organisation_id:
        raise ValidationError({"college": _("Choose a college of this organisation.")})
    members = members_of(
        organisation=pool.organisation, status=Member.Status.ACTIVE, college=college
    )
    in_pool = Volunteer.objects.filter(pool=pool)
    taken_members = set(in_pool.exclude(member=None).values_list("member_id", flat=True))
    taken_contacts = set(in_pool.values_list("contact", flat=True))
    values_of = {category.pk: values for category, values in categories}
    added, features_of, skipped = [], [], []
    for member in members.order_by("number"):
        who = str(member)
        if member.pk in taken_members:
            continue
        contact = member.email or _("member no. %(number)s") % {"number": member.number}
        if contact in taken_contacts:
            skipped.append(
                _("%(member)s: someone in the pool already has this contact.") % {"member": who}
            )
            continue
        row = []
        for category, _values in categories:
            value = chosen[category.pk]
            if value == FROM_COLLEGE:
                value = values_of[category.pk].get(
                    normalise(member.college.name if member.college else "")
                )
                if value is None:
                    skipped.append(
                        _("%(member)s: « %(category)s » has no value named like their college.")
                        % {"member": who, "category": category.name}
                    )
                    break
            row.append(value)
        else:
            taken_contacts.add(contact)
            added.append(
                Volunteer(
                    pool=pool,
                    name=member.name,
                    contact=contact[:200],
                    source=Volunteer.Source.MEMBER,
                    member=member,
                    user=member.user,
                )
            )
            features_of.append(row)
    Volunteer.objects.bulk_create(added, batch_size=1000)
    saved = {
        v.member_id: v.pk
        for v in Volunteer.objects.filter(pool=pool, member__in=[v.member for v in added])
    }
    Feature.objects.bulk_create(
        [
            Feature(volunteer_id=saved[v.member_id], category_id=value.category_id, value=value)
            for v, row in zip(added, features_of, strict=True)
            for value in row
        ],
        batch_size=2000,
    )
    recipients = [v.user for v in added if v.user is not None]
    if recipients:
        notify(
            recipients=recipients,
            title=lazy_message(
                gettext_lazy("Do you volunteer for the draw « %(title)s »?"), title=pool.title
            ),
            body=lazy_message(
                gettext_lazy(
                    "The organisation added you to the volunteers from its member register. "
                    "You will be drawn only if you confirm that you agree."
                )
            ),
            url=reverse(
                "sortition:volunteer_consent",
                kwargs={"org_slug": pool.organisation.slug, "pool_pk": pool.pk},
            ),
            organisation=pool.organisation,
        )
    audit_log(
        actor=actor,
        organisation=pool.organisation,
        action="sortition.volunteers_from_members",
        target=pool,
        details={"count": len(added)},
    )
    return MembersAdded(added=added, skipped=skipped)


@transaction.atomic
def volunteer_consent_confirm(*, volunteer: Volunteer, user) -> Volunteer:
    """The person confirms their own consent (taken from the register or a file)."""
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if volunteer.user_id != getattr(user, "pk", None):
        raise ValidationError(_("Only the person themselves can confirm their consent."))
    if volunteer.consent_at is None:
        volunteer.consent_at = timezone.now()
        volunteer.consent_text = str(CONSENT_TEXT)
        volunteer.full_clean(validate_constraints=False)
        volunteer.save(update_fields=["consent_at", "consent_text", "updated_at"])
    return volunteer
