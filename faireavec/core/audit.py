"""The append-only audit log of back-office actions."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from faireavec.core.models import AuditEntry


def audit_log(
    *,
    actor,
    organisation,
    action: str,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record that `actor` did `action` on `target` in `organisation`.

    Call it inside the service's transaction, so the entry exists exactly when
    the change does.
    """
    entry = AuditEntry(
        organisation=organisation,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        details=details or {},
    )
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(target)
        entry.target_id = str(target.pk)
        entry.target_repr = str(target)[:255]
    entry.full_clean()
    entry.save()
    return entry


def audit_entries_for_organisation(*, organisation, action: str = "") -> models.QuerySet:
    """Audit entries of one organisation, newest first, with their actor."""
    entries = AuditEntry.objects.filter(organisation=organisation).select_related(
        "actor", "target_type"
    )
    if action:
        entries = entries.filter(action=action)
    return entries
