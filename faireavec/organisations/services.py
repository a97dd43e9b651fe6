"""Every write on organisations, memberships, invitations, sites and the charter."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from faireavec.core.audit import audit_log
from faireavec.core.navigation import menu_changed
from faireavec.organisations.models import (
    CharterAcceptance,
    CharterVersion,
    Invitation,
    Membership,
    Organisation,
    Role,
    Site,
)
from faireavec.organisations.selectors import SESSION_CHARTERS, membership_get


@transaction.atomic
def organisation_create(*, creator, **fields) -> Organisation:
    """Create an organisation; its creator becomes its administrator."""
    organisation = Organisation(**fields)
    organisation.full_clean()
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as exc:  # the same slug taken between the check and the save
        raise ValidationError(
            {"slug": _("This address is already taken. Please choose another one.")}
        ) from exc
    Membership.objects.create(organisation=organisation, user=creator, role=Role.ADMIN)
    audit_log(
        actor=creator, organisation=organisation, action="organisation.create", target=organisation
    )
    return organisation


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, data: dict) -> Organisation:
    """Change the organisation's settings (`data` as a form's cleaned data: a file
    field's False means "clear it"). A rejected change leaves `organisation`
    as it was, in the database and in memory."""
    if "slug" in data:
        raise ValidationError({"slug": _("The web address of an organisation cannot change.")})
    changed = []
    for name, value in data.items():
        field = Organisation._meta.get_field(name)
        before = field.value_from_object(organisation)
        field.save_form_data(organisation, value)
        if field.value_from_object(organisation) != before:
            changed.append(name)
    if not changed:
        return organisation
    try:
        organisation.full_clean()
    except ValidationError:
        organisation.refresh_from_db(fields=list(data))
        raise
    organisation.save()
    audit_log(
        actor=actor,
        organisation=organisation,
        action="organisation.update",
        target=organisation,
        details={"fields": sorted(changed)},
    )
    return organisation


def _lock_organisation(organisation_id: int) -> None:
    """Serialise role changes and removals within one organisation, so that two
    administrators demoting each other at the same time cannot both succeed.

    (One lock on the organisation row rather than locks on each membership
    row: two transactions locking rows in different orders can deadlock.)"""
    Organisation.objects.select_for_update().filter(pk=organisation_id).values_list("pk").first()


def _admin_count(organisation_id: int) -> int:
    return Membership.objects.filter(organisation_id=organisation_id, role=Role.ADMIN).count()


@transaction.atomic
def membership_set_role(*, actor, membership: Membership, role: str) -> Membership:
    """Change a member's role; an organisation always keeps at least one administrator."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    _lock_organisation(membership.organisation_id)
    membership = (
        Membership.objects.select_for_update().select_related("organisation", "user")
    ).get(pk=membership.pk)
    if membership.role == role:
        return membership
    if (
        membership.role == Role.ADMIN
        and role != Role.ADMIN
        and _admin_count(membership.organisation_id) <= 1
    ):
        raise ValidationError(_("The organisation must keep at least one administrator."))
    old = membership.role
    membership.role = role
    membership.full_clean()
    membership.save()
    audit_log(
        actor=actor,
        organisation=membership.organisation,
        action="membership.role",
        target=membership,
        details={
            "person": membership.user.display_name or membership.user.email,
            "from": old,
            "to": role,
        },
    )
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    """Remove a person from the organisation; the last administrator cannot be removed."""
    _lock_organisation(membership.organisation_id)
    membership = (
        Membership.objects.select_for_update().select_related("organisation", "user")
    ).get(pk=membership.pk)
    if membership.role == Role.ADMIN and _admin_count(membership.organisation_id) <= 1:
        raise ValidationError(_("The organisation must keep at least one administrator."))
    audit_log(
        actor=actor,
        organisation=membership.organisation,
        action="membership.remove",
        target=membership,
        details={"user": membership.user.email, "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def invitation_create(
    *,
    actor,
    organisation: Organisation,
    role: str,
    expires_at: datetime,
    max_uses: int | None = None,
    label: str = "",
) -> Invitation:
    """Create an invitation link. Facilitators may only invite participants."""
    actor_membership = membership_get(user=actor, organisation=organisation)
    actor_role = actor_membership.role if actor_membership else None
    if actor_role not in {Role.ADMIN, Role.FACILITATOR}:
        raise ValidationError(_("Only facilitators and administrators may invite people."))
    if actor_role != Role.ADMIN and role != Role.PARTICIPANT:
        raise ValidationError({"role": _("You may only invite participants.")})
    if expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry date must be in the future.")})
    invitation = Invitation(
        organisation=organisation,
        role=role,
        expires_at=expires_at,
        max_uses=max_uses,
        label=label,
        created_by=actor,
    )
    invitation.full_clean()
    invitation.save()
    audit_log(
        actor=actor,
        organisation=organisation,
        action="invitation.create",
        target=invitation,
        details={"role": role, "max_uses": max_uses},
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
        audit_log(
            actor=actor,
            organisation=invitation.organisation,
            action="invitation.revoke",
            target=invitation,
        )
    return invitation


class AlreadyMember(Exception):
    def __init__(self, membership: Membership) -> None:
        self.membership = membership


@transaction.atomic
def invitation_accept(*, user, invitation: Invitation) -> Membership:
    """Join the invitation's organisation with its role.

    The invitation row is locked so that two people cannot both take the last
    use. A person who is already a member keeps their membership (AlreadyMember)
    and the invitation is not used.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    existing = Membership.objects.filter(organisation=invitation.organisation, user=user).first()
    if existing is not None:
        raise AlreadyMember(existing)
    if invitation.revoked_at is not None:
        raise ValidationError(
            _("This invitation was withdrawn. Ask the organisation for a new one.")
        )
    if invitation.is_expired:
        raise ValidationError(_("This invitation has expired. Ask the organisation for a new one."))
    if invitation.is_used_up:
        raise ValidationError(
            _("This invitation has already been used. Ask the organisation for a new one.")
        )
    membership = Membership(organisation=invitation.organisation, user=user, role=invitation.role)
    membership.full_clean()
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:  # joined by another way between the check and the save
        raise AlreadyMember(
            Membership.objects.get(organisation=invitation.organisation, user=user)
        ) from exc
    Invitation.objects.filter(pk=invitation.pk).update(uses=F("uses") + 1)
    audit_log(
        actor=user,
        organisation=invitation.organisation,
        action="invitation.accept",
        target=membership,
        details={"invitation": invitation.pk, "role": invitation.role},
    )
    return membership


def _site_store(site: Site) -> None:
    site.full_clean()
    try:
        with transaction.atomic():
            site.save()
    except IntegrityError as exc:  # the same name taken between the check and the save
        raise ValidationError(
            {"name": _("This organisation already has a site with this name.")}
        ) from exc


@transaction.atomic
def site_create(
    *,
    actor,
    organisation: Organisation,
    name: str,
    address: str = "",
    opening_hours: str = "",
    accessibility: str = "",
) -> Site:
    """Add a site or service; its name is unique within the organisation."""
    site = Site(
        organisation=organisation,
        name=name,
        address=address,
        opening_hours=opening_hours,
        accessibility=accessibility,
    )
    _site_store(site)
    audit_log(actor=actor, organisation=organisation, action="site.create", target=site)
    menu_changed(organisation=organisation)  # « Nos lieux » joins the menu
    return site


@transaction.atomic
def site_update(
    *, actor, site: Site, name: str, address: str, opening_hours: str, accessibility: str
) -> Site:
    """Change a site. The caller passes its own copy (`copy.copy`): on an error,
    the site it shows keeps its saved values."""
    site.name, site.address = name, address
    site.opening_hours, site.accessibility = opening_hours, accessibility
    _site_store(site)
    audit_log(actor=actor, organisation=site.organisation, action="site.update", target=site)
    return site


@transaction.atomic
def site_delete(*, actor, site: Site) -> None:
    audit_log(actor=actor, organisation=site.organisation, action="site.delete", target=site)
    menu_changed(organisation=site.organisation)
    site.delete()


@transaction.atomic
def charter_publish(*, actor, organisation: Organisation, text: str) -> CharterVersion:
    """Publish a new version of the charter; people accept it again before contributing."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("The charter cannot be empty.")})
    # Lock the organisation so two publications cannot take the same number.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    last = CharterVersion.objects.filter(organisation=organisation).aggregate(n=Max("number"))["n"]
    version = CharterVersion(
        organisation=organisation, number=(last or 0) + 1, text=text, published_by=actor
    )
    version.full_clean()
    version.save()
    audit_log(
        actor=actor,
        organisation=organisation,
        action="charter.publish",
        target=version,
        details={"version": version.number},
    )
    if version.number == 1:
        menu_changed(organisation=organisation)  # « La charte » joins the menu
    return version


@transaction.atomic
def charter_accept(*, request, version: CharterVersion) -> None:
    """Record that this person accepted this version (on their account, or in
    the session for someone without an account). Accepting twice is harmless."""
    user = request.user
    if user.is_authenticated:
        CharterAcceptance.objects.get_or_create(user=user, version=version)
    else:
        accepted = set(request.session.get(SESSION_CHARTERS, []))
        accepted.add(version.pk)
        request.session[SESSION_CHARTERS] = sorted(accepted)
