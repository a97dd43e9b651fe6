"""Models of organisations: invariants held by the database and by validation."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from faireavec.organisations.models import (
    CharterVersion,
    Invitation,
    Membership,
    Organisation,
    Role,
    Site,
)
from faireavec.organisations.tests.factories import (
    CharterVersionFactory,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    SiteFactory,
)
from faireavec.organisations.tests.utils import fr
from faireavec.organisations.validators import reserved_slugs, validate_slug_not_reserved

pytestmark = pytest.mark.django_db


class TestOrganisation:
    def test_absolute_url_is_its_public_home(self, org):
        """An organisation's address is /<slug>/."""
        assert org.get_absolute_url() == "/la-ruche/"

    def test_private_flag_follows_visibility(self):
        """`is_private` is true only for a private organisation."""
        assert OrganisationFactory(visibility=Organisation.Visibility.PRIVATE).is_private
        assert not OrganisationFactory(visibility=Organisation.Visibility.PUBLIC).is_private

    def test_slug_is_unique(self, org):
        """Two organisations cannot share a web address (database constraint)."""
        with pytest.raises(IntegrityError), transaction.atomic():
            Organisation.objects.create(name="Autre", slug=org.slug)

    def test_acknowledge_time_cannot_exceed_answer_time(self, org):
        """A complaint cannot take longer to acknowledge than to answer (check constraint)."""
        org.complaint_acknowledge_days = 40
        org.complaint_answer_days = 30
        with pytest.raises(ValidationError) as exc:
            org.full_clean()
        assert fr(
            "The time to acknowledge a complaint cannot be longer than the time to answer it."
        ) in str(exc.value)
        with pytest.raises(IntegrityError), transaction.atomic():
            org.save()

    @pytest.mark.parametrize(
        "slug",
        ["compte", "admin", "organisations", "mon-espace", "static", "media", "gestion", "api"],
    )
    def test_reserved_slugs_are_rejected(self, slug):
        """A slug that is a top-level URL segment of the platform is refused."""
        with pytest.raises(ValidationError) as exc:
            Organisation(name="X", slug=slug).full_clean()
        assert exc.value.error_dict["slug"][0].code == "reserved"

    def test_reserved_slugs_come_from_the_url_configuration(self):
        """Every fixed top-level segment of config/urls.py is reserved: walked here from
        the URL list itself, so a new top-level page cannot be forgotten."""
        from django.urls import URLPattern, URLResolver

        from config import urls

        first_segments = set()
        for entry in urls.urlpatterns:
            assert isinstance(entry, URLPattern | URLResolver)
            route = str(entry.pattern).lstrip("^").split("/", 1)[0]
            if route and not route.startswith("<"):
                first_segments.add(route)
        assert {"compte", "admin", "organisations", "preferences", "mon-espace"} <= first_segments
        assert first_segments <= reserved_slugs()
        assert {"static", "media", "gestion", "api"} <= reserved_slugs()

    def test_reserved_check_ignores_case(self):
        """« Admin » is as reserved as « admin »."""
        with pytest.raises(ValidationError):
            validate_slug_not_reserved("Admin")

    def test_ordinary_slug_passes(self):
        """An ordinary slug is accepted."""
        Organisation(name="La Fabrique", slug="la-fabrique").full_clean()


class TestSite:
    def test_name_unique_within_an_organisation(self, org):
        """An organisation cannot have two sites with the same name; the message says so."""
        SiteFactory(organisation=org, name="Épicerie")
        with pytest.raises(ValidationError) as exc:
            Site(organisation=org, name="Épicerie").full_clean()
        assert fr("This organisation already has a site with this name.") in str(exc.value)
        with pytest.raises(IntegrityError), transaction.atomic():
            Site.objects.create(organisation=org, name="Épicerie")

    def test_same_name_in_two_organisations(self, org, other_org):
        """Two organisations may each have a site of the same name."""
        SiteFactory(organisation=org, name="Accueil")
        Site(organisation=other_org, name="Accueil").full_clean()


class TestMembership:
    def test_one_membership_per_person_and_organisation(self, org):
        """A person belongs to an organisation once (database constraint)."""
        membership = MembershipFactory(organisation=org)
        with pytest.raises(IntegrityError), transaction.atomic():
            Membership.objects.create(organisation=org, user=membership.user, role=Role.ADMIN)

    def test_role_must_be_known(self, org):
        """A role outside the list is refused by the database."""
        with pytest.raises(IntegrityError), transaction.atomic():
            MembershipFactory(organisation=org, role="boss")

    def test_str_names_person_organisation_and_role(self, org):
        """A membership reads as « person — organisation (role) »."""
        membership = MembershipFactory(organisation=org, role=Role.MEMBER)
        assert "La Ruche" in str(membership)
        assert str(membership.user) in str(membership)


class TestInvitation:
    def test_token_is_random_and_unique(self, org):
        """Each invitation gets its own unguessable token."""
        a, b = InvitationFactory(organisation=org), InvitationFactory(organisation=org)
        assert a.token != b.token
        assert len(a.token) >= 20

    def test_url_is_the_join_page(self, org):
        """The invitation's link is the join page of its organisation."""
        invitation = InvitationFactory(organisation=org)
        assert invitation.get_absolute_url() == f"/la-ruche/rejoindre/{invitation.token}/"

    def test_states(self, org):
        """Expired, used up and revoked invitations are not usable; unlimited ones never use up."""
        now = timezone.now()
        usable = InvitationFactory(organisation=org, max_uses=2, uses=1)
        assert usable.is_usable
        expired = InvitationFactory(organisation=org, expires_at=now - timedelta(seconds=1))
        assert expired.is_expired and not expired.is_usable
        used = InvitationFactory(organisation=org, max_uses=1, uses=1)
        assert used.is_used_up and not used.is_usable
        revoked = InvitationFactory(organisation=org, revoked_at=now)
        assert not revoked.is_usable
        unlimited = InvitationFactory(organisation=org, max_uses=None, uses=5000)
        assert not unlimited.is_used_up and unlimited.is_usable

    def test_uses_cannot_exceed_max_uses(self, org):
        """The database refuses more uses than allowed."""
        invitation = InvitationFactory(organisation=org, max_uses=1, uses=1)
        with pytest.raises(IntegrityError), transaction.atomic():
            Invitation.objects.filter(pk=invitation.pk).update(uses=2)

    def test_str_without_label_names_the_role(self, org):
        """An invitation without a label is described by its role."""
        invitation = InvitationFactory(organisation=org, role=Role.MEMBER, label="")
        assert str(invitation)
        assert str(InvitationFactory(organisation=org, label="Affiche")) == "Affiche"


class TestCharterVersion:
    def test_number_unique_per_organisation(self, org):
        """Two versions of one charter cannot share a number."""
        CharterVersionFactory(organisation=org, number=1)
        with pytest.raises(IntegrityError), transaction.atomic():
            CharterVersion.objects.create(organisation=org, number=1, text="Autre")

    def test_number_starts_at_one(self, org):
        """Version 0 does not exist."""
        with pytest.raises(IntegrityError), transaction.atomic():
            CharterVersion.objects.create(organisation=org, number=0, text="x")
