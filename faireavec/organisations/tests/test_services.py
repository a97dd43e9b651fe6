"""Services: every write on organisations, memberships, invitations, sites and the
charter — with its audit entry, and without half-written records on bad input."""

import re
import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from faireavec.accounts.tests.factories import UserFactory
from faireavec.core.models import AuditEntry
from faireavec.organisations.models import (
    CharterAcceptance,
    CharterVersion,
    Invitation,
    Membership,
    Organisation,
    Role,
    Site,
)
from faireavec.organisations.services import (
    AlreadyMember,
    charter_accept,
    charter_publish,
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_remove,
    membership_set_role,
    organisation_create,
    organisation_update,
    site_create,
    site_delete,
    site_update,
)
from faireavec.organisations.tests.factories import (
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    SiteFactory,
)
from faireavec.organisations.tests.utils import fr, png_bytes

pytestmark = pytest.mark.django_db

KEEP_ADMIN = "The organisation must keep at least one administrator."
WITHDRAWN = "This invitation was withdrawn. Ask the organisation for a new one."
EXPIRED = "This invitation has expired. Ask the organisation for a new one."
USED = "This invitation has already been used. Ask the organisation for a new one."


def last_audit(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("pk")


def in_days(days: int):
    return timezone.now() + timedelta(days=days)


class TestOrganisationCreate:
    def test_creator_becomes_admin(self):
        """Any person can create an organisation and becomes its administrator."""
        user = UserFactory()
        organisation = organisation_create(
            creator=user,
            name="La Fabrique",
            slug="la-fabrique",
            legal_form=Organisation.LegalForm.SCIC,
            territory="Lille",
            visibility=Organisation.Visibility.PRIVATE,
        )
        assert organisation.legal_form == "scic" and organisation.is_private
        assert organisation.territory == "Lille"
        assert Membership.objects.get(organisation=organisation, user=user).role == Role.ADMIN
        entry = last_audit("organisation.create")
        assert entry.actor == user and entry.target_id == str(organisation.pk)

    @pytest.mark.parametrize(
        "slug",
        ["la-ruche", "compte", "admin", "organisations", "la ruche", "été", "", "a" * 61],
    )
    def test_bad_slug_writes_nothing(self, org, slug):
        """A taken, reserved or malformed slug is refused, with nothing written."""
        user = UserFactory()
        before = (
            Organisation.objects.count(),
            Membership.objects.count(),
            AuditEntry.objects.count(),
        )
        with pytest.raises(ValidationError) as exc:
            organisation_create(creator=user, name="X", slug=slug)
        assert "slug" in exc.value.error_dict
        after = Organisation.objects.count(), Membership.objects.count(), AuditEntry.objects.count()
        assert after == before

    def test_taken_slug_message(self, org):
        """A taken address is reported in words the person understands."""
        with pytest.raises(ValidationError) as exc:
            organisation_create(creator=UserFactory(), name="X", slug="la-ruche")
        assert exc.value.message_dict["slug"] == [
            fr("This address is already taken. Please choose another one.")
        ]

    def test_name_required(self):
        """An organisation needs a name."""
        with pytest.raises(ValidationError) as exc:
            organisation_create(creator=UserFactory(), name="", slug="sans-nom")
        assert "name" in exc.value.error_dict
        assert not Organisation.objects.filter(slug="sans-nom").exists()


class TestOrganisationUpdate:
    def test_update_is_audited(self, org, people):
        """Changing the settings saves them and records who changed which fields."""
        organisation_update(
            actor=people["admin"],
            organisation=org,
            data={"name": "La Grande Ruche", "territory": "Roubaix"},
        )
        org.refresh_from_db()
        assert (org.name, org.territory) == ("La Grande Ruche", "Roubaix")
        entry = last_audit("organisation.update")
        assert entry.actor == people["admin"] and entry.target_id == str(org.pk)
        assert entry.details == {"fields": ["name", "territory"]}

    def test_no_change_no_audit(self, org, people):
        """Saving the settings unchanged writes no audit entry."""
        organisation_update(actor=people["admin"], organisation=org, data={"name": "La Ruche"})
        assert not AuditEntry.objects.filter(action="organisation.update").exists()

    def test_rejected_change_leaves_everything_as_it_was(self, org, people):
        """An invalid change raises, saves nothing, audits nothing, and does not linger in memory."""
        with pytest.raises(ValidationError):
            organisation_update(
                actor=people["admin"],
                organisation=org,
                data={"name": "Nouveau nom", "complaint_acknowledge_days": 60},
            )
        assert org.name == "La Ruche"
        assert org.complaint_acknowledge_days == 7
        org.refresh_from_db()
        assert org.name == "La Ruche"
        assert not AuditEntry.objects.filter(action="organisation.update").exists()

    def test_slug_cannot_change(self, org, people):
        """The web address is fixed: links and posters already point to it."""
        with pytest.raises(ValidationError):
            organisation_update(actor=people["admin"], organisation=org, data={"slug": "ailleurs"})
        org.refresh_from_db()
        assert org.slug == "la-ruche"

    def test_logo_upload_and_clear(self, org, people, settings, tmp_path):
        """A logo can be added, then cleared (a form's False means « clear »)."""
        settings.MEDIA_ROOT = tmp_path
        logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
        organisation_update(actor=people["admin"], organisation=org, data={"logo": logo})
        org.refresh_from_db()
        assert org.logo.name.startswith("logos/logo")
        organisation_update(actor=people["admin"], organisation=org, data={"logo": False})
        org.refresh_from_db()
        assert org.logo.name == ""
        assert not org.logo


class TestMembershipRole:
    def test_role_change_is_audited(self, org, people):
        """An administrator changes a role; the audit says from what to what."""
        membership = people["participant"].memberships.get()
        membership_set_role(actor=people["admin"], membership=membership, role=Role.MEMBER)
        membership.refresh_from_db()
        assert membership.role == Role.MEMBER
        entry = last_audit("membership.role")
        assert entry.actor == people["admin"] and entry.target_id == str(membership.pk)
        assert entry.details == {
            "person": people["participant"].display_name or people["participant"].email,
            "from": "participant",
            "to": "member",
        }

    def test_last_admin_cannot_step_down(self, org, people):
        """The only administrator cannot lose the role: an organisation keeps an admin."""
        membership = people["admin"].memberships.get()
        with pytest.raises(ValidationError, match=re.escape(fr(KEEP_ADMIN))):
            membership_set_role(actor=people["admin"], membership=membership, role=Role.MEMBER)
        membership.refresh_from_db()
        assert membership.role == Role.ADMIN

    def test_admin_can_step_down_when_another_remains(self, org, people):
        """With two administrators, one may become a member."""
        facilitator = people["facilitator"].memberships.get()
        membership_set_role(actor=people["admin"], membership=facilitator, role=Role.ADMIN)
        admin = people["admin"].memberships.get()
        membership_set_role(actor=people["admin"], membership=admin, role=Role.MEMBER)
        assert Membership.objects.filter(organisation=org, role=Role.ADMIN).count() == 1

    def test_unknown_role(self, org, people):
        """An unknown role is refused with a message, and nothing changes."""
        membership = people["member"].memberships.get()
        with pytest.raises(ValidationError):
            membership_set_role(actor=people["admin"], membership=membership, role="boss")
        membership.refresh_from_db()
        assert membership.role == Role.MEMBER

    def test_same_role_changes_nothing(self, org, people):
        """Setting the role a person already has writes no audit entry."""
        membership = people["member"].memberships.get()
        membership_set_role(actor=people["admin"], membership=membership, role=Role.MEMBER)
        assert not AuditEntry.objects.filter(action="membership.role").exists()


class TestMembershipRemove:
    def test_removal_is_audited(self, org, people):
        """Removing someone deletes the membership (not the person) and audits it."""
        membership = people["member"].memberships.get()
        membership_remove(actor=people["admin"], membership=membership)
        assert not Membership.objects.filter(pk=membership.pk).exists()
        assert people["member"].__class__.objects.filter(pk=people["member"].pk).exists()
        entry = last_audit("membership.remove")
        assert entry.actor == people["admin"] and entry.target_id == str(membership.pk)

    def test_last_admin_cannot_be_removed(self, org, people):
        """The only administrator cannot be removed."""
        membership = people["admin"].memberships.get()
        with pytest.raises(ValidationError, match=re.escape(fr(KEEP_ADMIN))):
            membership_remove(actor=people["admin"], membership=membership)
        assert Membership.objects.filter(pk=membership.pk).exists()
        assert not AuditEntry.objects.filter(action="membership.remove").exists()


class TestInvitationCreate:
    def test_admin_invites_any_role(self, org, people):
        """An administrator may invite with any role; the invitation is audited."""
        invitation = invitation_create(
            actor=people["admin"], organisation=org, role=Role.ADMIN, expires_at=in_days(7)
        )
        assert invitation.role == Role.ADMIN and invitation.created_by == people["admin"]
        entry = last_audit("invitation.create")
        assert entry.actor == people["admin"] and entry.target_id == str(invitation.pk)

    @pytest.mark.parametrize("role", [Role.MEMBER, Role.FACILITATOR, Role.ADMIN])
    def test_facilitator_invites_participants_only(self, org, people, role):
        """A facilitator may only invite participants."""
        with pytest.raises(ValidationError) as exc:
            invitation_create(
                actor=people["facilitator"], organisation=org, role=role, expires_at=in_days(7)
            )
        assert "role" in exc.value.error_dict
        assert not Invitation.objects.exists()

    def test_facilitator_invites_a_participant(self, org, people):
        """A facilitator's invitation of a participant goes through."""
        invitation = invitation_create(
            actor=people["facilitator"],
            organisation=org,
            role=Role.PARTICIPANT,
            expires_at=in_days(7),
            max_uses=None,
        )
        assert invitation.max_uses is None

    @pytest.mark.parametrize("who", ["member", "participant", "other_admin"])
    def test_others_cannot_invite(self, org, people, who):
        """Members, participants and outsiders cannot create invitations."""
        with pytest.raises(ValidationError):
            invitation_create(
                actor=people[who], organisation=org, role=Role.PARTICIPANT, expires_at=in_days(7)
            )
        assert not Invitation.objects.exists()

    def test_expiry_in_the_past(self, org, people):
        """An invitation must expire in the future."""
        with pytest.raises(ValidationError):
            invitation_create(
                actor=people["admin"], organisation=org, role=Role.MEMBER, expires_at=in_days(-1)
            )
        assert not Invitation.objects.exists()

    def test_zero_uses_refused(self, org, people):
        """max_uses, when given, is at least 1."""
        with pytest.raises(ValidationError):
            invitation_create(
                actor=people["admin"],
                organisation=org,
                role=Role.MEMBER,
                expires_at=in_days(1),
                max_uses=0,
            )
        assert not Invitation.objects.exists()


class TestInvitationRevoke:
    def test_revoke_is_audited_once(self, org, people):
        """Withdrawing an invitation stamps it and audits it; doing it again changes nothing."""
        invitation = InvitationFactory(organisation=org)
        invitation_revoke(actor=people["admin"], invitation=invitation)
        invitation.refresh_from_db()
        stamp = invitation.revoked_at
        assert stamp is not None
        entry = last_audit("invitation.revoke")
        assert entry.actor == people["admin"] and entry.target_id == str(invitation.pk)
        invitation_revoke(actor=people["admin"], invitation=invitation)
        invitation.refresh_from_db()
        assert invitation.revoked_at == stamp
        assert AuditEntry.objects.filter(action="invitation.revoke").count() == 1


class TestInvitationAccept:
    def test_joining_creates_the_membership_and_uses_the_invitation(self, org):
        """Accepting creates a membership with the invitation's role, counts a use, audits."""
        invitation = InvitationFactory(organisation=org, role=Role.MEMBER, max_uses=1)
        user = UserFactory()
        membership = invitation_accept(user=user, invitation=invitation)
        assert (membership.organisation, membership.user, membership.role) == (
            org,
            user,
            Role.MEMBER,
        )
        invitation.refresh_from_db()
        assert invitation.uses == 1 and invitation.is_used_up
        entry = last_audit("invitation.accept")
        assert entry.actor == user and entry.target_id == str(membership.pk)

    def test_unlimited_invitation(self, org):
        """An invitation without max_uses lets many people join."""
        invitation = InvitationFactory(organisation=org, max_uses=None)
        for _ in range(3):
            invitation_accept(user=UserFactory(), invitation=invitation)
        invitation.refresh_from_db()
        assert invitation.uses == 3
        assert Membership.objects.filter(organisation=org).count() == 3

    def test_existing_member_does_not_use_it(self, org, people):
        """An existing member keeps their role and the invitation is not consumed."""
        invitation = InvitationFactory(organisation=org, role=Role.ADMIN, max_uses=1)
        with pytest.raises(AlreadyMember) as exc:
            invitation_accept(user=people["participant"], invitation=invitation)
        assert exc.value.membership.role == Role.PARTICIPANT
        invitation.refresh_from_db()
        assert invitation.uses == 0
        assert not AuditEntry.objects.filter(action="invitation.accept").exists()

    def test_joining_twice_makes_one_membership(self, org):
        """The same person accepting twice is a member once; the second time uses nothing."""
        invitation = InvitationFactory(organisation=org, max_uses=5)
        user = UserFactory()
        invitation_accept(user=user, invitation=invitation)
        with pytest.raises(AlreadyMember):
            invitation_accept(user=user, invitation=invitation)
        assert Membership.objects.filter(organisation=org, user=user).count() == 1
        invitation.refresh_from_db()
        assert invitation.uses == 1

    @pytest.mark.parametrize(
        ("state", "message"),
        [
            ({"revoked_at": timezone.now()}, WITHDRAWN),
            ({"expires_at": timezone.now() - timedelta(minutes=1)}, EXPIRED),
            ({"max_uses": 2, "uses": 2}, USED),
        ],
    )
    def test_unusable_invitation(self, org, state, message):
        """A withdrawn, expired or used-up invitation is refused and creates no membership."""
        invitation = InvitationFactory(organisation=org, **state)
        with pytest.raises(ValidationError, match=re.escape(fr(message))):
            invitation_accept(user=UserFactory(), invitation=invitation)
        assert not Membership.objects.filter(organisation=org).exists()

    def test_stale_object_is_rechecked(self, org):
        """The service reads the invitation afresh: a copy loaded before the last use
        cannot be used again."""
        invitation = InvitationFactory(organisation=org, max_uses=1)
        stale = Invitation.objects.get(pk=invitation.pk)
        invitation_accept(user=UserFactory(), invitation=invitation)
        with pytest.raises(ValidationError, match=re.escape(fr(USED))):
            invitation_accept(user=UserFactory(), invitation=stale)
        assert Membership.objects.filter(organisation=org).count() == 1


class TestSites:
    def test_create_update_delete_are_audited(self, org, people):
        """Adding, changing and deleting a site each leave an audit entry with actor and target."""
        admin = people["admin"]
        site = site_create(actor=admin, organisation=org, name="Café")
        assert last_audit("site.create").target_id == str(site.pk)
        site_update(
            actor=admin,
            site=site,
            name="Café",
            address="1 rue Haute",
            opening_hours="",
            accessibility="",
        )
        assert last_audit("site.update").actor == admin
        assert Site.objects.get(pk=site.pk).address == "1 rue Haute"
        pk = site.pk
        site_delete(actor=admin, site=site)
        assert not Site.objects.filter(pk=pk).exists()
        entry = last_audit("site.delete")
        assert entry.actor == admin and entry.target_id == str(pk) and entry.target_repr == "Café"

    def test_duplicate_name_gives_a_message(self, org, people):
        """A second site with the same name is refused with a clear message."""
        SiteFactory(organisation=org, name="Café")
        with pytest.raises(
            ValidationError,
            match=re.escape(fr("This organisation already has a site with this name.")),
        ):
            site_create(actor=people["admin"], organisation=org, name="Café")
        assert Site.objects.filter(organisation=org).count() == 1
        assert not AuditEntry.objects.filter(action="site.create").exists()

    def test_empty_name_refused(self, org, people):
        """A site needs a name."""
        with pytest.raises(ValidationError):
            site_create(actor=people["admin"], organisation=org, name="")
        assert not Site.objects.exists()


class TestCharterPublish:
    def test_versions_are_numbered_and_never_edited(self, org, people):
        """Publishing creates version n+1 and leaves the earlier versions unchanged."""
        v1 = charter_publish(actor=people["admin"], organisation=org, text="  Première  ")
        v2 = charter_publish(actor=people["admin"], organisation=org, text="Deuxième")
        assert (v1.number, v2.number) == (1, 2)
        v1.refresh_from_db()
        assert v1.text == "Première"
        assert CharterVersion.objects.filter(organisation=org).count() == 2
        entry = last_audit("charter.publish")
        assert entry.actor == people["admin"] and entry.target_id == str(v2.pk)

    def test_numbering_is_per_organisation(self, org, other_org, people):
        """Each organisation's charter starts at version 1."""
        charter_publish(actor=people["admin"], organisation=org, text="A")
        theirs = charter_publish(actor=people["other_admin"], organisation=other_org, text="B")
        assert theirs.number == 1

    def test_empty_text_refused(self, org, people):
        """An empty (or blank) charter is refused and nothing is published."""
        with pytest.raises(ValidationError):
            charter_publish(actor=people["admin"], organisation=org, text="   \n ")
        assert not CharterVersion.objects.exists()


class TestCharterAccept:
    def test_signed_in_acceptance_is_recorded_once(self, org, people):
        """Accepting records the person and version; accepting again is harmless."""
        version = charter_publish(actor=people["admin"], organisation=org, text="Charte")
        request = SimpleNamespace(user=people["member"], session={})
        charter_accept(request=request, version=version)
        charter_accept(request=request, version=version)
        assert CharterAcceptance.objects.filter(user=people["member"], version=version).count() == 1

    def test_visitor_acceptance_in_session(self, org, people):
        """A visitor's acceptance goes into the session only."""
        version = charter_publish(actor=people["admin"], organisation=org, text="Charte")
        request = SimpleNamespace(user=AnonymousUser(), session={})
        charter_accept(request=request, version=version)
        charter_accept(request=request, version=version)
        assert request.session == {"faireavec_accepted_charters": [version.pk]}
        assert not CharterAcceptance.objects.exists()


# PostgreSQL: two connections at once -----------------------------------------


def _run_in_threads(*targets) -> list:
    """Run each callable in its own thread (its own database connection); return
    what each returned or raised."""
    results: list = [None] * len(targets)

    def run(i, target):
        try:
            results[i] = target()
        except Exception as exc:  # the test inspects it
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_last_use_cannot_be_taken_twice():
    """Two people joining at the same moment with the last use of an invitation:
    exactly one membership is created, the other person is told it is used."""
    from django.db import transaction

    organisation = OrganisationFactory()
    invitation = InvitationFactory(organisation=organisation, max_uses=1)
    first, second = UserFactory(), UserFactory()
    first_has_lock = threading.Event()

    def first_joins():
        # Hold the transaction open after accepting, so the second person really
        # arrives while the first one's use is not yet committed.
        with transaction.atomic():
            membership = invitation_accept(user=first, invitation=invitation)
            first_has_lock.set()
            threading.Event().wait(0.5)
        return membership

    def second_joins():
        first_has_lock.wait(10)
        return invitation_accept(user=second, invitation=invitation)

    results = _run_in_threads(first_joins, second_joins)
    assert isinstance(results[0], Membership), results[0]
    assert isinstance(results[1], ValidationError), results[1]
    assert results[1].messages == [fr(USED)]
    assert Membership.objects.filter(organisation=organisation).count() == 1
    invitation.refresh_from_db()
    assert invitation.uses == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_admins_demoting_each_other_keep_one_admin():
    """Two administrators each demoting the other at the same moment: one succeeds,
    the other is refused, and the organisation keeps an administrator."""
    from django.db import transaction

    organisation = OrganisationFactory()
    a = MembershipFactory(organisation=organisation, role=Role.ADMIN)
    b = MembershipFactory(organisation=organisation, role=Role.ADMIN)
    a_done = threading.Event()

    def a_demotes_b():
        with transaction.atomic():
            membership_set_role(actor=a.user, membership=b, role=Role.MEMBER)
            a_done.set()
            threading.Event().wait(0.5)

    def b_demotes_a():
        a_done.wait(10)
        membership_set_role(actor=b.user, membership=a, role=Role.MEMBER)

    results = _run_in_threads(a_demotes_b, b_demotes_a)
    assert results[0] is None
    assert isinstance(results[1], ValidationError), results[1]
    assert Membership.objects.filter(organisation=organisation, role=Role.ADMIN).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_charter_publications_get_distinct_numbers():
    """Two administrators publishing at the same moment get versions 1 and 2, not an error."""
    from django.db import transaction

    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role=Role.ADMIN).user
    first_done = threading.Event()

    def first():
        with transaction.atomic():
            version = charter_publish(actor=admin, organisation=organisation, text="Un")
            first_done.set()
            threading.Event().wait(0.5)
        return version.number

    def second():
        first_done.wait(10)
        return charter_publish(actor=admin, organisation=organisation, text="Deux").number

    assert _run_in_threads(first, second) == [1, 2]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_same_person_joining_twice_at_once_is_a_member_once():
    """The join form sent twice at the same moment (a double click) makes one
    membership and uses the invitation once; the second request is told they are in."""
    from django.db import transaction

    organisation = OrganisationFactory()
    invitation = InvitationFactory(organisation=organisation, max_uses=None)
    person = UserFactory()
    first_in = threading.Event()

    def first():
        with transaction.atomic():
            membership = invitation_accept(user=person, invitation=invitation)
            first_in.set()
            threading.Event().wait(0.5)
        return membership

    def second():
        first_in.wait(10)
        return invitation_accept(user=person, invitation=invitation)

    results = _run_in_threads(first, second)
    assert isinstance(results[0], Membership), results[0]
    assert isinstance(results[1], AlreadyMember), results[1]
    assert Membership.objects.filter(organisation=organisation, user=person).count() == 1
    invitation.refresh_from_db()
    assert invitation.uses == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_same_slug_at_once_gives_a_message_not_an_error():
    """Two people creating an organisation with the same address at the same moment:
    one gets it, the other a « taken » message (not a database error), and no
    half-created organisation or membership is left."""
    from django.db import transaction

    first_user, second_user = UserFactory(), UserFactory()
    first_created = threading.Event()

    def first():
        with transaction.atomic():
            organisation = organisation_create(creator=first_user, name="A", slug="la-meme")
            first_created.set()
            threading.Event().wait(0.5)
        return organisation

    def second():
        first_created.wait(10)
        return organisation_create(creator=second_user, name="B", slug="la-meme")

    results = _run_in_threads(first, second)
    assert isinstance(results[0], Organisation), results[0]
    assert isinstance(results[1], ValidationError), results[1]
    assert results[1].message_dict["slug"] == [
        fr("This address is already taken. Please choose another one.")
    ]
    assert Organisation.objects.get(slug="la-meme").name == "A"
    assert not Membership.objects.filter(user=second_user).exists()
