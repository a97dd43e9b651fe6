"""The append-only audit log of back-office actions.

Services record what they change with `audit_log(...)`, inside their own
transaction. Administrators read the log of their organisation on the page
`core:audit_log` (filters by action and person, export as a table).

Each entry reads as a sentence in the reader's language (« Claire Dubois a
publié la charte, version 2 »). Action codes are short (`membership.role`);
each app declares, in its `audit.py`, an `AUDIT_ACTIONS` dict giving every
code it records an `AuditAction`: a short label (for the filter) and a
sentence with named placeholders — `%(actor)s`, `%(target)s` (the object, as it
was named then) and the names of the entry's details, shown through `values`
(status codes as their labels, field names as their verbose names…).
A test walks every `audit_log(action=…)` in the code and fails on any without one.
"""

import importlib
import importlib.util
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from faireavec.core.models import AuditEntry


@dataclass(frozen=True)
class AuditAction:
    """How one action code reads: `label` names it in the filter; `sentence`
    (a `gettext_lazy`, or `ngettext_lazy(…, "name")` for a count) tells an entry."""

    label: Promise
    sentence: Promise
    # Detail name -> how its stored value reads (default: lists joined, yes/no).
    values: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    # No longer recorded (replaced by another action), kept so that old entries still read.
    retired: bool = False


def choice_label(choices: type[models.Choices]) -> Callable[[Any], str]:
    """A stored choice value read as its label (« en cours d'étude »), in the reader's language."""

    def label(value: Any) -> str:
        try:
            return str(choices(value).label)
        except ValueError:  # a value no longer offered: shown as stored
            return str(value)

    return label


def field_names(model: type[models.Model]) -> Callable[[Any], str]:
    """A list of field names read as their verbose names, joined."""

    def names(value: Any) -> str:
        labels = []
        for name in value or []:
            try:
                labels.append(str(model._meta.get_field(name).verbose_name))
            except Exception:  # a field removed since, or a related set such as tags
                labels.append(str(name))
        return ", ".join(labels)

    return names


def iso_date(value: Any) -> str:
    """A date stored as `2026-01-05`, read in the reader's format."""
    try:
        return formats.date_format(date.fromisoformat(value), "DATE_FORMAT")
    except (TypeError, ValueError):
        return str(value)


def count(value: Any) -> int:
    """A stored list read as how many it holds."""
    return len(value or [])


def _plain(value: Any) -> Any:
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return value


class _Params(dict):
    """Sentence parameters; a detail missing from an old entry reads « … »."""

    def __missing__(self, key: str) -> str:
        return "…"


@cache
def audit_actions() -> dict[str, AuditAction]:
    """Every app's `AUDIT_ACTIONS` (from `<app>/audit.py`), merged."""
    actions: dict[str, AuditAction] = dict(AUDIT_ACTIONS)
    for app_name in settings.FAIREAVEC_APPS:
        module_name = f"{app_name}.audit"
        if app_name == __package__ or importlib.util.find_spec(module_name) is None:
            continue
        actions.update(getattr(importlib.import_module(module_name), "AUDIT_ACTIONS", {}))
    return actions


def audit_actor_name(entry: AuditEntry) -> str:
    """Who did it, as the team knows them: their name, else their address."""
    if entry.actor is None:
        return gettext("The platform")
    return entry.actor.display_name or entry.actor.email


def audit_sentence(entry: AuditEntry) -> str:
    """The entry as a sentence in the active language; the bare code for an
    action nobody declared (the test on AUDIT_ACTIONS keeps that from happening)."""
    action = audit_actions().get(entry.action)
    if action is None:
        return entry.action
    params = _Params(actor=audit_actor_name(entry), target=entry.target_repr or "…")
    for name, value in (entry.details or {}).items():
        params[name] = _plain(action.values.get(name, _plain)(value))
    return action.sentence % params


def audit_export_row(entry: AuditEntry) -> tuple:
    """One entry as a row of the activity log's export (`exports.AUDIT_EXPORT`)."""
    return (
        entry.created_at,
        audit_actor_name(entry),
        entry.actor.email if entry.actor else "",
        audit_sentence(entry),
        entry.action,
        entry.target_repr,
    )


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
    """The short name of an action code (for the filter), or the code itself."""
    declared = audit_actions().get(action)
    return str(declared.label) if declared else action


def _export_title(name: Any) -> str:
    # `exports` records in this log (it imports this module), so its registry
    # is looked up when an entry is read, not when this module loads.
    from faireavec.core.exports import export_title

    return export_title(str(name))


# The core app's own actions.
AUDIT_ACTIONS = {
    "core.export": AuditAction(
        label=_("List exported"),
        sentence=ngettext_lazy(
            "%(actor)s exported %(export)s (%(format)s, %(rows)s row)",
            "%(actor)s exported %(export)s (%(format)s, %(rows)s rows)",
            "rows",
        ),
        values={"export": _export_title, "format": lambda fmt: str(fmt).upper()},
    ),
    "core.export_of": AuditAction(
        label=_("Table of one object exported"),
        sentence=ngettext_lazy(
            "%(actor)s exported %(export)s of « %(target)s » (%(format)s, %(rows)s row)",
            "%(actor)s exported %(export)s of « %(target)s » (%(format)s, %(rows)s rows)",
            "rows",
        ),
        values={"export": _export_title, "format": lambda fmt: str(fmt).upper()},
    ),
}
