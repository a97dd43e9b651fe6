"""The append-only audit log of back-office actions.

Services record what they change with `audit_log(...)`, inside their own
transaction. Administrators read the log of their organisation on the page
`core:audit_log` (filters by action and person, export as a table).

Action codes are short (`membership.role`). An app may give them readable
names with an `audit_action_labels` dict on its AppConfig; the page shows the
code itself for any action without a name.
"""

from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
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


def audit_entries_for_organisation(
    *, organisation, action: str = "", actor=None
) -> models.QuerySet[AuditEntry]:
    """Audit entries of one organisation, newest first, with their actor.

    `action` and `actor` (a person) narrow the list when given.
    """
    entries = AuditEntry.objects.filter(organisation=organisation).select_related(
        "actor", "target_type"
    )
    if action:
        entries = entries.filter(action=action)
    if actor is not None:
        entries = entries.filter(actor=actor)
    return entries.order_by("-created_at", "-pk")


def audit_actions_for_organisation(*, organisation) -> list[str]:
    """The action codes that occur in the organisation's log, sorted."""
    return list(
        AuditEntry.objects.filter(organisation=organisation)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )


def audit_actors_for_organisation(*, organisation) -> models.QuerySet:
    """The people who appear as actors in the organisation's log (including
    people who have left it since)."""
    actor_ids = AuditEntry.objects.filter(organisation=organisation, actor__isnull=False).values(
        "actor"
    )
    return get_user_model().objects.filter(pk__in=actor_ids).order_by("display_name", "email")


def audit_action_label(action: str) -> str:
    """The readable name of an action code, or the code itself."""
    for app_name in settings.FAIREAVEC_APPS:
        config = apps.get_app_config(app_name.rsplit(".", 1)[-1])
        label = getattr(config, "audit_action_labels", {}).get(action)
        if label:
            return str(label)
    return action
