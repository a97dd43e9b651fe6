"""Every write on the stakeholder register; each one is in the audit log."""

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from faireavec.core.audit import audit_log
from faireavec.organisations.models import Membership, Organisation
from faireavec.stakeholders.imports import ImportPreview, import_analyse
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


@transaction.atomic
def stakeholder_save(
    *, actor, stakeholder: Stakeholder, tag_names: list[str] | None = None
) -> Stakeholder:
    """Create or change a stakeholder (and its tags, when `tag_names` is given).

    A new stakeholder counts as reviewed today; contact details get a review
    date after the organisation's review period when none is given.
    """
    created = stakeholder.pk is None
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
    changed = []
    if not created:
        before = Stakeholder.objects.filter(pk=stakeholder.pk).first()
        if before is None:
            raise ValidationError(_("This stakeholder was removed from the register meanwhile."))
        changed = [
            f.name
            for f in Stakeholder._meta.concrete_fields
            if f.name not in {"updated_at"}
            and getattr(before, f.attname) != getattr(stakeholder, f.attname)
        ]
    stakeholder.full_clean()
    _check_account(stakeholder)
    stakeholder.save()
    if tag_names is not None:
        tags = tags_resolve(organisation=stakeholder.organisation, names=tag_names)
        old = set() if created else {t.pk for t in stakeholder.tags.all()}
        if old != {t.pk for t in tags}:
            changed.append("tags")
        stakeholder.tags.set(tags)
    audit_log(
        actor=actor,
        organisation=stakeholder.organisation,
        action="stakeholder.create" if created else "stakeholder.update",
        target=stakeholder,
        details={} if created else {"fields": sorted(changed)},
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


@transaction.atomic
def stakeholder_import(
    *,
    actor,
    organisation: Organisation,
    headers: list[str],
    rows: list[dict[str, str]],
    confirmed_lines: list[int],
    filename: str = "",
    progress: Callable[[int, int], None] | None = None,
    progress_every: int = 50,
) -> list[Stakeholder]:
    """Write the valid rows of a previewed table: all of them or none.

    The rows are checked again; if the valid rows are not exactly the ones the
    person saw and confirmed (someone added a stakeholder meanwhile, say),
    nothing is written and ImportChanged carries the new preview.
    `progress(done, total)` is called every `progress_every` rows prepared.
    """
    # Lock the organisation so that two imports cannot both add the same names.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    preview = import_analyse(organisation=organisation, headers=headers, rows=rows)
    if not preview.can_import or preview.valid_lines != list(confirmed_lines):
        raise ImportChanged(preview)
    today = timezone.localdate()
    subcategories = {
        (s.category, s.name.lower()): s
        for s in StakeholderSubcategory.objects.filter(organisation=organisation)
    }
    all_tags = tags_resolve(
        organisation=organisation,
        names=list(dict.fromkeys(t for row in preview.valid_rows for t in row.values["tags"])),
    )
    tags_by_name = {tag.name.lower(): tag for tag in all_tags}
    created = []
    total = len(preview.valid_rows)
    for done, row in enumerate(preview.valid_rows, start=1):
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
        stakeholder.full_clean()
        created.append((stakeholder, [tags_by_name[n.lower()] for n in tag_names]))
        if progress is not None and done % progress_every == 0 and done < total:
            progress(done, total)
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
