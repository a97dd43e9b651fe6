"""Every write on the stakeholder register; each one is in the audit log."""

import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from faireavec.core.audit import audit_log
from faireavec.core.exports import read_table
from faireavec.core.jobs import job_start
from faireavec.core.storage import IMPORTS_FOLDER, private_storage
from faireavec.organisations.models import Membership, Organisation
from faireavec.stakeholders.imports import ImportPreview, duplicates_check, import_analyse
from faireavec.stakeholders.models import (
    Interaction,
    Stakeholder,
    StakeholderSubcategory,
    StakeholderTag,
)
from faireavec.stakeholders.selectors import months_before


def tag_names_parse(text: str) -> list[str]:
    """« ville, quartier ; jeunesse » → ["ville", "quartier", "jeunesse"], without repeats."""
    names = []
    for part in text.replace(";", ",").split(","):
        name = " ".join(part.split())
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    return names


def tags_resolve(*, organisation: Organisation, names: list[str]) -> list[StakeholderTag]:
    """The organisation's tags of these names, created when new (matched without case)."""
    existing = {
        tag.name.lower(): tag for tag in StakeholderTag.objects.filter(organisation=organisation)
    }
    tags = []
    for name in names:
        tag = existing.get(name.lower())
        if tag is None:
            tag = StakeholderTag(organisation=organisation, name=name)
            tag.full_clean()
            try:
                with transaction.atomic():
                    tag.save()
            except IntegrityError:  # someone added the same tag at the same moment
                tag = StakeholderTag.objects.get(organisation=organisation, name=name)
            existing[name.lower()] = tag
        tags.append(tag)
    return tags


def _check_account(stakeholder: Stakeholder) -> None:
    if (
        stakeholder.user_id is not None
        and not Membership.objects.filter(
            organisation_id=stakeholder.organisation_id, user_id=stakeholder.user_id
        ).exists()
    ):
        raise ValidationError({"user": _("This account is not in the organisation.")})


# What a person edits on a stakeholder (the form's fields; tags apart).
STAKEHOLDER_FIELDS = frozenset(
    {
        "kind",
        "name",
        "category",
        "subcategory",
        "territory",
        "current_level",
        "target_level",
        "participation_modes",
        "influence",
        "interest",
        "user",
        "email",
        "phone",
        "contact_basis",
        "contact_review_on",
        "notes",
    }
)


def _stakeholder_fields(data: dict) -> dict:
    unknown = set(data) - STAKEHOLDER_FIELDS
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    return data


def _stakeholder_dates(stakeholder: Stakeholder) -> None:
    """A new entry counts as reviewed today; contact details get a review date
    after the organisation's period when none is given, and lose their basis
    and review date when they are cleared."""
    today = timezone.localdate()
    if stakeholder.reviewed_on is None:
        stakeholder.reviewed_on = today
    if (stakeholder.email or stakeholder.phone) and stakeholder.contact_review_on is None:
        stakeholder.contact_review_on = months_before(
            today, -stakeholder.organisation.stakeholder_review_months
        )
    if not (stakeholder.email or stakeholder.phone):
        stakeholder.contact_basis = ""
        stakeholder.contact_review_on = None


def _stakeholder_store(stakeholder: Stakeholder, tag_names: list[str] | None) -> bool:
    """Check and save the entry and its tags; whether its tags changed."""
    _stakeholder_dates(stakeholder)
    stakeholder.full_clean()
    _check_account(stakeholder)
    created = stakeholder.pk is None
    stakeholder.save()
    if tag_names is None:
        return False
    tags = tags_resolve(organisation=stakeholder.organisation, names=tag_names)
    old = set() if created else {t.pk for t in stakeholder.tags.all()}
    stakeholder.tags.set(tags)
    return old != {t.pk for t in tags}


@transaction.atomic
def stakeholder_create(
    *, actor, organisation: Organisation, data: dict, tag_names: list[str] | None = None
) -> Stakeholder:
    """Add a stakeholder to the register (`data`: the form's fields, by name)."""
    stakeholder = Stakeholder(organisation=organisation, **_stakeholder_fields(data))
    _stakeholder_store(stakeholder, tag_names)
    audit_log(
        actor=actor, organisation=organisation, action="stakeholder.create", target=stakeholder
    )
    return stakeholder


@transaction.atomic
def stakeholder_update(
    *, actor, stakeholder: Stakeholder, data: dict, tag_names: list[str] | None = None
) -> Stakeholder:
    """Change a stakeholder (`data`: the fields to change; `tag_names`: its tags,
    when given). The caller passes its own copy (`copy.copy`): on an error, the
    entry it shows keeps its saved values. The audit entry names what changed."""
    before = Stakeholder.objects.filter(pk=stakeholder.pk).first()
    if before is None:
        raise ValidationError(_("This stakeholder was removed from the register meanwhile."))
    for field, value in _stakeholder_fields(data).items():
        setattr(stakeholder, field, value)
    _stakeholder_dates(stakeholder)
    changed = [
        f.name
        for f in Stakeholder._meta.concrete_fields
        if f.name != "updated_at" and getattr(before, f.attname) != getattr(stakeholder, f.attname)
    ]
    if _stakeholder_store(stakeholder, tag_names):
        changed.append("tags")
    audit_log(
        actor=actor,
        organisation=stakeholder.organisation,
        action="stakeholder.update",
        target=stakeholder,
        details={"fields": sorted(changed)},
    )
    return stakeholder


@transaction.atomic
def stakeholder_delete(*, actor, stakeholder: Stakeholder) -> None:
    audit_log(
        actor=actor,
        organisation=stakeholder.organisation,
        action="stakeholder.delete",
        target=stakeholder,
        details={"category": stakeholder.category},
    )
    stakeholder.delete()


@transaction.atomic
def stakeholder_mark_reviewed(*, actor, stakeholder: Stakeholder) -> Stakeholder:
    """Record that someone checked this stakeholder's entry today."""
    stakeholder.reviewed_on = timezone.localdate()
    Stakeholder.objects.filter(pk=stakeholder.pk).update(
        reviewed_on=stakeholder.reviewed_on, updated_at=timezone.now()
    )
    audit_log(
        actor=actor,
        organisation=stakeholder.organisation,
        action="stakeholder.review",
        target=stakeholder,
    )
    return stakeholder


@transaction.atomic
def interaction_create(
    *,
    actor,
    stakeholder: Stakeholder,
    kind: str,
    occurred_on: date,
    people: str = "",
    note: str = "",
) -> Interaction:
    """Log a contact with a stakeholder (not in the future)."""
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")})
    interaction = Interaction(
        stakeholder=stakeholder,
        kind=kind,
        occurred_on=occurred_on,
        people=people.strip(),
        note=note.strip(),
        recorded_by=actor,
    )
    interaction.full_clean()
    interaction.save()
    audit_log(
        actor=actor,
        organisation=stakeholder.organisation,
        action="stakeholder.interaction_create",
        target=stakeholder,
        details={"interaction": interaction.pk, "kind": kind, "date": occurred_on.isoformat()},
    )
    return interaction


@transaction.atomic
def interaction_delete(*, actor, interaction: Interaction) -> None:
    stakeholder = interaction.stakeholder
    audit_log(
        actor=actor,
        organisation=stakeholder.organisation,
        action="stakeholder.interaction_delete",
        target=stakeholder,
        details={
            "interaction": interaction.pk,
            "kind": interaction.kind,
            "date": interaction.occurred_on.isoformat(),
        },
    )
    interaction.delete()


@transaction.atomic
def subcategory_create(
    *, actor, organisation: Organisation, category: str, name: str
) -> StakeholderSubcategory:
    subcategory = StakeholderSubcategory(
        organisation=organisation, category=category, name=" ".join(name.split())
    )
    subcategory.full_clean()
    try:
        with transaction.atomic():
            subcategory.save()
    except IntegrityError as exc:  # created by someone else between the check and the save
        raise ValidationError({"name": _("This sub-category already exists.")}) from exc
    audit_log(
        actor=actor,
        organisation=organisation,
        action="stakeholder.subcategory_create",
        target=subcategory,
        details={"category": category},
    )
    return subcategory


@transaction.atomic
def subcategory_delete(*, actor, subcategory: StakeholderSubcategory) -> None:
    """Delete a sub-category; its stakeholders keep their category."""
    audit_log(
        actor=actor,
        organisation=subcategory.organisation,
        action="stakeholder.subcategory_delete",
        target=subcategory,
        details={"category": subcategory.category},
    )
    subcategory.delete()


class ImportChanged(Exception):
    """The register changed since the preview: the rows to import are not the
    ones the person confirmed. Nothing was written."""

    def __init__(self, preview: ImportPreview) -> None:
        super().__init__("The import preview is out of date.")
        self.preview = preview


class ImportNotFound(Exception):
    """No import waits for confirmation under this token (used, cancelled, someone
    else's, or never made)."""


@dataclass(frozen=True)
class ImportUpload:
    """A checked file, kept in the private storage until it is confirmed or cancelled.

    `token` is empty when nothing can be imported (then nothing was kept)."""

    preview: ImportPreview
    filename: str
    token: str


IMPORT_TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")


def _import_paths(*, organisation: Organisation, token: str) -> tuple[str, str] | None:
    """(file, its description) in the private storage, or None for a malformed token."""
    if not IMPORT_TOKEN.fullmatch(token or ""):
        return None
    base = f"{IMPORTS_FOLDER}/{organisation.pk}/{token}"
    return f"{base}.json", base


def stakeholder_import_upload(*, actor, organisation: Organisation, upload) -> ImportUpload:
    """Read and check an uploaded table (writes nothing to the register).

    When some rows can be imported, the file itself is kept in the private
    storage (outside MEDIA_ROOT) with the lines the person will confirm; the
    returned token names it. Neither the rows nor the file go into the session
    or the task's arguments. Raises ValidationError when the file is unreadable.
    """
    headers, rows = read_table(upload)
    preview = import_analyse(organisation=organisation, headers=headers, rows=rows)
    filename = PurePath(upload.name or "").name[:200]
    if not preview.can_import:
        return ImportUpload(preview=preview, filename=filename, token="")
    token = secrets.token_urlsafe(16)
    description_path, base = _import_paths(organisation=organisation, token=token)
    suffix = PurePath(filename).suffix.lower()
    upload.seek(0)
    storage = private_storage()
    path = storage.save(base + suffix, upload)
    description = {
        "actor": actor.pk,
        "path": path,
        "filename": filename,
        "lines": preview.valid_lines,
    }
    storage.save(description_path, ContentFile(json.dumps(description).encode()))
    return ImportUpload(preview=preview, filename=filename, token=token)


def _import_claim(*, actor, organisation: Organisation, token: str) -> dict:
    """The waiting import's description, removed so that it is used once only."""
    paths = _import_paths(organisation=organisation, token=token)
    storage = private_storage()
    if paths is None or not storage.exists(paths[0]):
        raise ImportNotFound
    with storage.open(paths[0], "rb") as handle:
        description = json.loads(handle.read())
    if description.get("actor") != actor.pk:
        raise ImportNotFound
    storage.delete(paths[0])
    return description


def stakeholder_import_cancel(*, actor, organisation: Organisation, token: str) -> None:
    """Forget a waiting import and delete its file (nothing was written)."""
    try:
        description = _import_claim(actor=actor, organisation=organisation, token=token)
    except ImportNotFound:
        return
    import_file_delete(path=description["path"])


def import_file_delete(*, path: str) -> None:
    if path.startswith(f"{IMPORTS_FOLDER}/"):
        private_storage().delete(path)


def stakeholder_map_pdf_start(*, actor, organisation: Organisation, query: str, large_print: bool):
    """Start the background job that makes the map's PDF (a large register takes
    seconds); returns the job. `query`: the map page's filters."""
    from faireavec.stakeholders.tasks import stakeholder_map_pdf_task

    return job_start(
        organisation=organisation,
        requested_by=actor,
        label=_("Large-print stakeholder map (PDF)") if large_print else _("Stakeholder map (PDF)"),
        task=stakeholder_map_pdf_task,
        total=1,
        organisation_id=organisation.pk,
        user_id=actor.pk,
        query=query,
        large_print=large_print,
    )


@transaction.atomic
def stakeholder_import_confirm(*, actor, organisation: Organisation, token: str):
    """Start the background job that writes a previewed import; returns the job.

    Raises ImportNotFound if the preview is no longer waiting. Confirming twice
    at once would start a second job, which finds every row already there and
    writes nothing.
    """
    from faireavec.stakeholders.tasks import stakeholder_import_task

    description = _import_claim(actor=actor, organisation=organisation, token=token)
    count = len(description["lines"])
    with translation.override(getattr(actor, "language", "") or translation.get_language()):
        label = ngettext(
            "Import of %(count)s stakeholder", "Import of %(count)s stakeholders", count
        ) % {"count": count}
    return job_start(
        organisation=organisation,
        requested_by=actor,
        label=label,
        total=count,
        task=stakeholder_import_task,
        organisation_id=organisation.pk,
        actor_id=actor.pk,
        path=description["path"],
        confirmed_lines=description["lines"],
        filename=description["filename"],
    )


def stakeholder_import(
    *,
    actor,
    organisation: Organisation,
    path: str,
    confirmed_lines: list[int],
    filename: str = "",
    progress: Callable[[int, int], None] | None = None,
    progress_every: int = 50,
) -> list[Stakeholder]:
    """Write the confirmed rows of a previewed file (kept at `path` in the
    private storage): all of them or none.

    In two steps, so that the person sees the progress while nothing is half-written:

    1. Outside any transaction, every row is checked again by the stakeholder
       form (the slow part); `progress(done, total)` is called every
       `progress_every` rows, and each call is committed at once, so the job's
       page, on another connection, sees it move (`job_progress` refuses to
       run inside a transaction, where nobody else could see it).
    2. In one transaction, with the organisation locked (two imports cannot
       both add the same names): the rows are checked against the register
       again, then every stakeholder is written at once.

    If the valid rows are not exactly the ones the person saw and confirmed
    (someone added a stakeholder meanwhile, say), nothing is written and
    ImportChanged carries the new preview.
    """
    with private_storage().open(path, "rb") as handle:
        headers, rows = read_table(handle)
    preview = import_analyse(
        organisation=organisation,
        headers=headers,
        rows=rows,
        progress=progress,
        progress_every=progress_every,
    )
    if not preview.can_import or preview.valid_lines != list(confirmed_lines):
        raise ImportChanged(preview)
    return _stakeholder_import_write(
        actor=actor, organisation=organisation, preview=preview, filename=filename
    )


@transaction.atomic
def _stakeholder_import_write(
    *, actor, organisation: Organisation, preview: ImportPreview, filename: str
) -> list[Stakeholder]:
    # Lock the organisation so that two imports cannot both add the same names.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    rows = preview.valid_rows
    duplicates_check(organisation=organisation, rows=rows)
    if any(row.problems for row in rows):
        raise ImportChanged(preview)
    today = timezone.localdate()
    subcategories = {
        (s.category, s.name.lower()): s
        for s in StakeholderSubcategory.objects.filter(organisation=organisation)
    }
    all_tags = tags_resolve(
        organisation=organisation,
        names=list(dict.fromkeys(t for row in rows for t in row.values["tags"])),
    )
    tags_by_name = {tag.name.lower(): tag for tag in all_tags}
    created = []
    for row in rows:
        values = dict(row.values)
        subcategory_name = values.pop("subcategory")
        tag_names = values.pop("tags")
        subcategory = None
        if subcategory_name:
            key = (values["category"], subcategory_name.lower())
            subcategory = subcategories.get(key)
            if subcategory is None:
                subcategory = StakeholderSubcategory(
                    organisation=organisation, category=values["category"], name=subcategory_name
                )
                subcategory.full_clean()
                subcategory.save()
                subcategories[key] = subcategory
        stakeholder = Stakeholder(
            organisation=organisation, subcategory=subcategory, reviewed_on=today, **values
        )
        if (stakeholder.email or stakeholder.phone) and stakeholder.contact_review_on is None:
            stakeholder.contact_review_on = months_before(
                today, -organisation.stakeholder_review_months
            )
        created.append((stakeholder, [tags_by_name[n.lower()] for n in tag_names]))
    stakeholders = Stakeholder.objects.bulk_create([s for s, _tags in created])
    Through = Stakeholder.tags.through
    Through.objects.bulk_create(
        [
            Through(stakeholder_id=s.pk, stakeholdertag_id=tag.pk)
            for s, (_s, tags) in zip(stakeholders, created, strict=True)
            for tag in tags
        ]
    )
    audit_log(
        actor=actor,
        organisation=organisation,
        action="stakeholder.import",
        details={"count": len(stakeholders), "file": filename[:200]},
    )
    return stakeholders
