"""Every write on needs, existing offers, supports, links to contributions, the
territorial diagnosis and the watch log."""

from collections.abc import Collection
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faireavec.contributions.models import Contribution
from faireavec.core.audit import audit_log
from faireavec.core.i18n import lazy_message
from faireavec.core.navigation import menu_changed
from faireavec.core.notifications import notify
from faireavec.needs.models import (
    DiagnosisSection,
    ExistingOffer,
    Need,
    NeedContribution,
    NeedSupport,
    Source,
    TerritorialDiagnosis,
    WatchEntry,
)
from faireavec.organisations.models import Organisation
from faireavec.organisations.selectors import membership_get

NEED_FIELDS = frozenset(
    {
        "title",
        "description",
        "people_concerned",
        "territory",
        "sources",
        "coverage",
        "gap",
        "priority",
        "status",
        "is_public",
    }
)
OFFER_FIELDS = frozenset({"provider_kind", "provider_name", "description"})
# What a watch entry's form may set, in the order the form shows it.
WATCH_FIELDS = (
    "observed_on",
    "kind",
    "title",
    "source",
    "summary",
    "link",
    "document",
    "direction",
    "aspect",
    "effect",
    "needs",
    "diagnosis_section",
    "is_public",
)


def _only(data: dict[str, Any], allowed: Collection[str]) -> dict[str, Any]:
    unknown = set(data).difference(allowed)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    return data


# Needs --------------------------------------------------------------------


@transaction.atomic
def need_create(*, actor, organisation: Organisation, data: dict[str, Any]) -> Need:
    """Add a need to the organisation's register."""
    need = Need(organisation=organisation, created_by=actor, **_only(data, NEED_FIELDS))
    need.full_clean()
    need.save()
    audit_log(actor=actor, organisation=organisation, action="need.create", target=need)
    if need.is_public:
        menu_changed(organisation=organisation)  # the first public need opens « Besoins »
    return need


@transaction.atomic
def need_update(*, actor, need: Need, data: dict[str, Any]) -> Need:
    changed = []
    for field, value in _only(data, NEED_FIELDS).items():
        if getattr(need, field) != value:
            changed.append(field)
            setattr(need, field, value)
    need.full_clean()
    need.save()
    audit_log(
        actor=actor,
        organisation=need.organisation,
        action="need.update",
        target=need,
        details={"fields": sorted(changed)},
    )
    if "is_public" in changed:
        menu_changed(organisation=need.organisation)
    return need


@transaction.atomic
def need_delete(*, actor, need: Need) -> None:
    audit_log(
        actor=actor,
        organisation=need.organisation,
        action="need.delete",
        target=need,
        details={"title": need.title},
    )
    if need.is_public:
        menu_changed(organisation=need.organisation)
    need.delete()


# Existing offer ----------------------------------------------------------


@transaction.atomic
def existing_offer_add(*, actor, need: Need, data: dict[str, Any]) -> ExistingOffer:
    """Record what someone already offers towards the need."""
    offer = ExistingOffer(need=need, **_only(data, OFFER_FIELDS))
    offer.full_clean()
    offer.save()
    audit_log(
        actor=actor,
        organisation=need.organisation,
        action="need.offer_add",
        target=offer,
        details={"need": need.pk},
    )
    return offer


@transaction.atomic
def existing_offer_update(*, actor, offer: ExistingOffer, data: dict[str, Any]) -> ExistingOffer:
    for field, value in _only(data, OFFER_FIELDS).items():
        setattr(offer, field, value)
    offer.full_clean()
    offer.save()
    audit_log(
        actor=actor,
        organisation=offer.need.organisation,
        action="need.offer_update",
        target=offer,
        details={"need": offer.need_id},
    )
    return offer


@transaction.atomic
def existing_offer_delete(*, actor, offer: ExistingOffer) -> None:
    audit_log(
        actor=actor,
        organisation=offer.need.organisation,
        action="need.offer_delete",
        target=offer,
        details={"need": offer.need_id},
    )
    offer.delete()


# Supports ----------------------------------------------------------------


@transaction.atomic
def need_support(*, user, need: Need) -> tuple[NeedSupport, bool]:
    """`user` supports `need`; returns (support, created). Supporting twice,
    even at the same moment from two tabs, leaves one support and no error.

    Only people of the organisation support its needs, and only open needs.
    """
    if membership_get(user=user, organisation=need.organisation) is None:
        raise ValidationError(_("Only people of the organisation can support its needs."))
    # Lock the need: two supports of the same person are then made one after the other.
    need = Need.objects.select_for_update().get(pk=need.pk)
    if not need.is_open:
        raise ValidationError(_("This need has been addressed: it no longer takes supports."))
    existing = NeedSupport.objects.filter(need=need, user=user).first()
    if existing is not None:
        return existing, False
    support = NeedSupport(need=need, user=user)
    try:
        with transaction.atomic():
            support.save()
    except IntegrityError:  # a database without row locks let a twin through
        return NeedSupport.objects.get(need=need, user=user), False
    return support, True


@transaction.atomic
def need_support_withdraw(*, user, need: Need) -> bool:
    """Withdraw `user`'s support; returns whether there was one."""
    deleted, _details = NeedSupport.objects.filter(need=need, user=user).delete()
    return deleted > 0


# Links to contributions --------------------------------------------------


def _notify_author(*, actor, need: Need, contribution: Contribution) -> None:
    """Tell the author that what they said helped identify a need (closing the loop)."""
    author = contribution.author
    if author is None or author == actor or not need.is_public:
        return
    notify(
        recipients=[author],
        organisation=need.organisation,
        title=lazy_message(
            gettext_lazy("What you said helped us identify a need: %(title)s"), title=need.title
        ),
        body=lazy_message(
            gettext_lazy(
                "« %(contribution)s » is now linked to the need « %(need)s » in our register."
            ),
            contribution=contribution.title,
            need=need.title,
        ),
        url=reverse(
            "needs:need_public_detail",
            kwargs={"org_slug": need.organisation.slug, "need_pk": need.pk},
        ),
    )


@transaction.atomic
def need_link_contribution(*, actor, need: Need, contribution: Contribution) -> NeedContribution:
    """Link a contribution to the need it reveals. A contribution of another
    organisation is refused; linking twice keeps one link."""
    if contribution.organisation_id != need.organisation_id:
        raise ValidationError(_("This contribution belongs to another organisation."))
    link = NeedContribution.objects.filter(need=need, contribution=contribution).first()
    if link is not None:
        return link
    link = NeedContribution(need=need, contribution=contribution, linked_by=actor)
    link.full_clean()
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:
        return NeedContribution.objects.get(need=need, contribution=contribution)
    if Source.CONTRIBUTIONS not in need.sources:
        need.sources = [*need.sources, Source.CONTRIBUTIONS]
        need.save(update_fields=["sources", "updated_at"])
    audit_log(
        actor=actor,
        organisation=need.organisation,
        action="need.link_contribution",
        target=need,
        details={"contribution": contribution.pk},
    )
    _notify_author(actor=actor, need=need, contribution=contribution)
    return link


@transaction.atomic
def need_unlink_contribution(*, actor, need: Need, contribution: Contribution) -> bool:
    deleted, _details = NeedContribution.objects.filter(
        need=need, contribution=contribution
    ).delete()
    if deleted:
        audit_log(
            actor=actor,
            organisation=need.organisation,
            action="need.unlink_contribution",
            target=need,
            details={"contribution": contribution.pk},
        )
    return deleted > 0


@transaction.atomic
def need_create_from_contribution(
    *, actor, contribution: Contribution, data: dict[str, Any]
) -> Need:
    """Create a need revealed by a contribution, and link them."""
    data = dict(data)
    sources = list(data.get("sources") or [])
    if Source.CONTRIBUTIONS not in sources:
        sources.append(Source.CONTRIBUTIONS)
    data["sources"] = sources
    need = need_create(actor=actor, organisation=contribution.organisation, data=data)
    need_link_contribution(actor=actor, need=need, contribution=contribution)
    return need


# Territorial diagnosis ---------------------------------------------------


@transaction.atomic
def diagnosis_save(
    *, actor, organisation: Organisation, summary: str, is_public: bool
) -> TerritorialDiagnosis:
    """Create or update the organisation's territorial diagnosis. On creation,
    its nine sections are created empty, ready to be filled."""
    diagnosis, created = TerritorialDiagnosis.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    diagnosis.summary = summary
    diagnosis.is_public = is_public
    diagnosis.full_clean()
    diagnosis.save()
    existing = set(diagnosis.sections.values_list("kind", flat=True))
    DiagnosisSection.objects.bulk_create(
        [
            DiagnosisSection(diagnosis=diagnosis, kind=kind)
            for kind in DiagnosisSection.Kind.values
            if kind not in existing
        ]
    )
    audit_log(
        actor=actor,
        organisation=organisation,
        action="diagnosis.create" if created else "diagnosis.update",
        target=diagnosis,
        details={"is_public": is_public},
    )
    if created:
        menu_changed(organisation=organisation)  # « Diagnostic » joins the menu
    return diagnosis


@transaction.atomic
def diagnosis_section_update(
    *, actor, section: DiagnosisSection, text: str, sources: str, as_of
) -> DiagnosisSection:
    """Fill in one section with its sources and the date of the information."""
    section.text = text
    section.sources = sources
    section.as_of = as_of
    section.full_clean()
    section.save()
    audit_log(
        actor=actor,
        organisation=section.diagnosis.organisation,
        action="diagnosis.section_update",
        target=section,
        details={"kind": section.kind},
    )
    return section


# Watch log ------------------------------------------------------------------


def _watch_needs(*, organisation: Organisation, needs) -> list[Need]:
    """The needs an entry concerns, all of this organisation (another organisation's
    need is refused like an unknown one)."""
    needs = list(needs or [])
    ids = {need.pk for need in needs}
    if Need.objects.filter(organisation=organisation, pk__in=ids).count() != len(ids):
        raise ValidationError({"needs": _("Choose the needs from the list.")})
    return needs


def _delete_file_on_commit(file_field) -> None:
    if file_field:
        storage, name = file_field.storage, file_field.name
        transaction.on_commit(lambda: storage.delete(name))


def _apply_watch_fields(entry: WatchEntry, data: dict[str, Any]) -> tuple[list[str], Any]:
    """Set the plain fields of `data` on `entry`; return the changed field names and the
    needs (None when not given). A document given as None or False is removed."""
    changed = []
    needs = None
    for field, value in _only(data, WATCH_FIELDS).items():
        if field == "needs":
            needs = value
            continue
        if field == "document":
            if value is None:
                continue  # no new file: keep the current one
            if value is False:  # "clear" ticked
                _delete_file_on_commit(entry.document)
                entry.document = ""
                changed.append(field)
                continue
            _delete_file_on_commit(entry.document)
        if getattr(entry, field) != value:
            changed.append(field)
        setattr(entry, field, value)
    return changed, needs


@transaction.atomic
def watch_entry_create(*, actor, organisation: Organisation, data: dict[str, Any]) -> WatchEntry:
    """Add a dated entry to the organisation's watch log, with the needs it concerns."""
    entry = WatchEntry(organisation=organisation, recorded_by=actor)
    _changed, needs = _apply_watch_fields(entry, data)
    needs = _watch_needs(organisation=organisation, needs=needs)
    entry.full_clean()
    entry.save()
    entry.needs.set(needs)
    audit_log(actor=actor, organisation=organisation, action="watch.create", target=entry)
    return entry


@transaction.atomic
def watch_entry_update(*, actor, entry: WatchEntry, data: dict[str, Any]) -> WatchEntry:
    changed, needs = _apply_watch_fields(entry, data)
    entry.full_clean()
    entry.save()
    if needs is not None:
        needs = _watch_needs(organisation=entry.organisation, needs=needs)
        if {n.pk for n in needs} != set(entry.needs.values_list("pk", flat=True)):
            changed.append("needs")
        entry.needs.set(needs)
    audit_log(
        actor=actor,
        organisation=entry.organisation,
        action="watch.update",
        target=entry,
        details={"fields": sorted(changed)},
    )
    return entry


@transaction.atomic
def watch_entry_delete(*, actor, entry: WatchEntry) -> None:
    audit_log(
        actor=actor,
        organisation=entry.organisation,
        action="watch.delete",
        target=entry,
        details={"title": entry.title},
    )
    _delete_file_on_commit(entry.document)
    entry.delete()
