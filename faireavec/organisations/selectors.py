from django.db.models import Count, QuerySet

from faireavec.organisations.models import (
    CharterAcceptance,
    CharterVersion,
    Invitation,
    Membership,
    Organisation,
    Site,
)

SESSION_CHARTERS = "faireavec_accepted_charters"


def organisation_get_by_slug(*, slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).first()


def organisations_public() -> QuerySet[Organisation]:
    return Organisation.objects.filter(visibility=Organisation.Visibility.PUBLIC).order_by("name")


def membership_get(*, user, organisation: Organisation) -> Membership | None:
    """The person's membership of the organisation, or None (anonymous, or not a member).

    Remembered on the user object for the rest of the request, since every
    permission check asks for it.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    cache = user.__dict__.setdefault("_membership_cache", {})
    if organisation.pk not in cache:
        cache[organisation.pk] = (
            Membership.objects.filter(user=user, organisation=organisation)
            .select_related("organisation")
            .first()
        )
    return cache[organisation.pk]


def memberships_of_user(*, user) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def memberships_of_organisation(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("role", "user__display_name", "user__email")
    )


def membership_get_in_organisation(*, organisation: Organisation, pk: int) -> Membership | None:
    return memberships_of_organisation(organisation=organisation).filter(pk=pk).first()


def invitations_of_organisation(*, organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organisation=organisation).select_related("created_by")


def invitation_get(*, organisation: Organisation, pk: int) -> Invitation | None:
    return invitations_of_organisation(organisation=organisation).filter(pk=pk).first()


def invitation_get_by_token(*, organisation: Organisation, token: str) -> Invitation | None:
    return Invitation.objects.filter(organisation=organisation, token=token).first()


def invitation_get_by_code(*, code: str) -> Invitation | None:
    """The invitation with this short code, in any organisation (the code page is
    the platform's: a poster's reader does not know the organisation's address)."""
    return Invitation.objects.filter(code=code).select_related("organisation").first()


def sites_of_organisation(*, organisation: Organisation) -> QuerySet[Site]:
    return Site.objects.filter(organisation=organisation).order_by("name")


def site_get(*, organisation: Organisation, pk: int) -> Site | None:
    return sites_of_organisation(organisation=organisation).filter(pk=pk).first()


def charter_current(*, organisation: Organisation) -> CharterVersion | None:
    return (
        CharterVersion.objects.filter(organisation=organisation)
        .select_related("published_by")
        .order_by("-number")
        .first()
    )


def charter_versions(*, organisation: Organisation) -> QuerySet[CharterVersion]:
    return (
        CharterVersion.objects.filter(organisation=organisation)
        .annotate(acceptance_count=Count("acceptances"))
        .order_by("-number")
    )


def charter_to_accept(*, request, organisation: Organisation) -> CharterVersion | None:
    """The charter version this person (signed in or not) still has to accept
    before contributing, or None when there is nothing to accept.

    Modules call it before a person's first contribution; anonymous visitors'
    acceptances are kept in their session.
    """
    current = charter_current(organisation=organisation)
    if current is None:
        return None
    user = request.user
    if user.is_authenticated:
        accepted = CharterAcceptance.objects.filter(user=user, version=current).exists()
    else:
        accepted = current.pk in request.session.get(SESSION_CHARTERS, [])
    return None if accepted else current


def organisation_counts(*, organisation: Organisation) -> dict[str, int]:
    return {
        "members": Membership.objects.filter(organisation=organisation).count(),
        "sites": Site.objects.filter(organisation=organisation).count(),
    }


# First steps of a new organisation (see `OnboardingStep` in core.navigation).


def onboarding_charter_published(*, organisation: Organisation) -> bool:
    return CharterVersion.objects.filter(organisation=organisation).exists()


def onboarding_site_added(*, organisation: Organisation) -> bool:
    return Site.objects.filter(organisation=organisation).exists()


def onboarding_people_invited(*, organisation: Organisation) -> bool:
    """Someone was invited, or someone other than its founder already joined."""
    return (
        Invitation.objects.filter(organisation=organisation).exists()
        or Membership.objects.filter(organisation=organisation).count() > 1
    )
