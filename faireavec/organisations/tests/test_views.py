"""Views of the organisations app: who reaches what, and what each page does."""

import html
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from faireavec.accounts.tests.factories import UserFactory
from faireavec.core.models import AuditEntry
from faireavec.core.qr import qr_svg
from faireavec.organisations.models import (
    CharterAcceptance,
    CharterVersion,
    Invitation,
    Membership,
    Organisation,
    Role,
    Site,
)
from faireavec.organisations.selectors import SESSION_CHARTERS
from faireavec.organisations.services import charter_publish
from faireavec.organisations.tests.factories import (
    InvitationFactory,
    MembershipFactory,
    SiteFactory,
)
from faireavec.organisations.tests.utils import fr, png_bytes

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant", "member", "facilitator", "admin", "other_admin"]
IN_ORG = {"participant", "member", "facilitator", "admin"}

WITHDRAWN = "This invitation was withdrawn. Ask the organisation for a new one."
EXPIRED = "This invitation has expired. Ask the organisation for a new one."
USED = "This invitation has already been used. Ask the organisation for a new one."
KEEP_ADMIN = "The organisation must keep at least one administrator."


def text(response) -> str:
    """The page's text, with HTML entities decoded (French has many apostrophes)."""
    return html.unescape(response.content.decode())


def messages_of(response) -> list[str]:
    return [str(m.message) for m in get_messages(response.wsgi_request)]


def url(name: str, org, **kwargs) -> str:
    return reverse(f"organisations:{name}", kwargs={"org_slug": org.slug, **kwargs})


@pytest.fixture
def objects(org, people):
    """One object of each kind in `org`, for the URLs that name one."""
    charter_publish(actor=people["admin"], organisation=org, text="Nous vous écoutons.")
    return {
        "site": SiteFactory(organisation=org, name="Café"),
        "invitation": InvitationFactory(organisation=org, max_uses=None),
        "membership": people["participant"].memberships.get(),
    }


# Expected status of each organisation view for each role, on a public organisation.
# Back office: anonymous → login (302); another organisation's admin → 404;
# a member without the permission → 403.
BACKOFFICE = {
    # name: (method, roles with access, status when allowed)
    "backoffice_home": ("get", {"member", "facilitator", "admin"}, 200),
    "organisation_edit": ("get", {"admin"}, 200),
    "member_list": ("get", {"admin"}, 200),
    "member_update": ("post", {"admin"}, 302),
    "invitation_list": ("get", {"facilitator", "admin"}, 200),
    "invitation_detail": ("get", {"facilitator", "admin"}, 200),
    "invitation_poster": ("get", {"facilitator", "admin"}, 200),
    "invitation_poster_pdf": ("get", {"facilitator", "admin"}, 200),
    "invitation_revoke": ("post", {"facilitator", "admin"}, 302),
    "site_manage": ("get", {"admin"}, 200),
    "site_edit": ("get", {"admin"}, 200),
    "charter_edit": ("get", {"admin"}, 200),
}
PUBLIC = ["home", "charter", "charter_accept", "site_list", "invitation_join"]


def route_kwargs(name: str, objects) -> dict:
    if name == "member_update":
        return {"membership_pk": objects["membership"].pk}
    if name.startswith("invitation_") and name != "invitation_list":
        if name == "invitation_join":
            return {"invitation_token": objects["invitation"].token}
        return {"invitation_pk": objects["invitation"].pk}
    if name == "site_edit":
        return {"site_pk": objects["site"].pk}
    return {}


@pytest.mark.parametrize("name", sorted(BACKOFFICE))
@pytest.mark.parametrize("role", ROLES)
def test_backoffice_access(org, people, objects, client_for, name, role):
    """Each back-office view: allowed roles get the page, other members 403, another
    organisation's admin 404, anonymous visitors the login page."""
    method, allowed, ok_status = BACKOFFICE[name]
    client = client_for(people[role])
    data = {"role": Role.PARTICIPANT} if name == "member_update" else {}
    response = getattr(client, method)(url(name, org, **route_kwargs(name, objects)), data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif role == "other_admin":
        assert response.status_code == 404
    elif role in allowed:
        assert response.status_code == ok_status
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("name", PUBLIC)
@pytest.mark.parametrize("role", ROLES)
def test_public_pages_of_a_public_organisation(org, people, objects, client_for, name, role):
    """Everyone reaches the public pages of a public organisation."""
    response = client_for(people[role]).get(url(name, org, **route_kwargs(name, objects)))
    assert response.status_code == 200


@pytest.mark.parametrize("name", PUBLIC)
@pytest.mark.parametrize("role", ROLES)
def test_public_pages_of_a_private_organisation(org, people, objects, client_for, name, role):
    """A private organisation's public pages are 404 for outsiders, except the
    invitation page, which anyone with the link reaches (the charter to accept
    before giving an opinion follows the give page's rule: see below)."""
    org.visibility = Organisation.Visibility.PRIVATE
    org.allow_anonymous_contributions = False
    org.save()
    response = client_for(people[role]).get(url(name, org, **route_kwargs(name, objects)))
    expected = 200 if role in IN_ORG or name == "invitation_join" else 404
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_charter_to_accept_in_a_private_organisation_open_to_anonymous_opinions(
    org, people, client_for, role
):
    """Where a private organisation accepts anonymous contributions, outsiders may give
    their opinion, so they reach the charter they must accept first; « Not now » leads
    them to the follow-up look-up, not to the home page that is closed to them."""
    charter_publish(actor=people["admin"], organisation=org, text="Nous vous écoutons.")
    org.visibility = Organisation.Visibility.PRIVATE
    org.save()
    response = client_for(people[role]).get(url("charter_accept", org))
    assert response.status_code == 200
    page = text(response)
    not_now = f'<a href="{url("home", org)}">Pas maintenant</a>'
    lookup = reverse("contributions:followup_lookup", kwargs={"org_slug": org.slug})
    if role in IN_ORG:
        assert not_now in page
    else:
        assert not_now not in page and f'action="{lookup}"' in page


def test_charter_to_accept_gives_a_way_on_without_accepting(org, people, client_for):
    """« Not now » leads to the home page, which offers the follow-up look-up."""
    charter_publish(actor=people["admin"], organisation=org, text="Nous vous écoutons.")
    client = client_for(None)
    page = text(client.get(url("charter_accept", org)))
    assert f'<a href="{url("home", org)}">Pas maintenant</a>' in page
    home = text(client.get(url("home", org)))
    lookup = reverse("contributions:followup_lookup", kwargs={"org_slug": org.slug})
    assert f'action="{lookup}"' in home


def test_private_organisation_not_listed_on_the_platform_home(client, org):
    """The platform home lists public organisations, not private ones."""
    org.visibility = Organisation.Visibility.PRIVATE
    org.save()
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "La Ruche" not in text(response)


def test_unknown_organisation_is_404(client):
    """An unknown slug is a 404."""
    assert client.get("/pas-une-asso/").status_code == 404


class TestOtherOrganisationsObjects:
    """An object of another organisation is « not found » through this one."""

    def test_site(self, org, other_org, people, client_for):
        """Editing another organisation's site: 404, and it is not deleted."""
        theirs = SiteFactory(organisation=other_org)
        client = client_for(people["admin"])
        assert client.get(url("site_edit", org, site_pk=theirs.pk)).status_code == 404
        response = client.post(url("site_edit", org, site_pk=theirs.pk), {"delete": "1"})
        assert response.status_code == 404
        assert Site.objects.filter(pk=theirs.pk).exists()

    def test_invitation(self, org, other_org, people, client_for):
        """Another organisation's invitation: 404 on detail, poster, revoke and join."""
        theirs = InvitationFactory(organisation=other_org)
        client = client_for(people["admin"])
        for name in ("invitation_detail", "invitation_poster"):
            assert client.get(url(name, org, invitation_pk=theirs.pk)).status_code == 404
        assert (
            client.post(url("invitation_revoke", org, invitation_pk=theirs.pk)).status_code == 404
        )
        theirs.refresh_from_db()
        assert theirs.revoked_at is None
        join = url("invitation_join", org, invitation_token=theirs.token)
        assert client.get(join).status_code == 404

    def test_membership(self, org, other_org, people, client_for):
        """Another organisation's membership cannot be changed or removed from here."""
        theirs = people["other_admin"].memberships.get()
        client = client_for(people["admin"])
        response = client.post(url("member_update", org, membership_pk=theirs.pk), {"remove": "1"})
        assert response.status_code == 404
        assert Membership.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("role", ["participant", "member", "facilitator"])
def test_writes_refused_without_the_permission(org, people, objects, client_for, role):
    """Posting to an admin-only action without the role is a 403 and changes nothing."""
    client = client_for(people[role])
    site, membership = objects["site"], objects["membership"]
    posts = [
        (url("site_edit", org, site_pk=site.pk), {"delete": "1"}),
        (url("site_manage", org), {"name": "Nouveau"}),
        (url("member_update", org, membership_pk=membership.pk), {"remove": "1"}),
        (url("member_update", org, membership_pk=membership.pk), {"role": "admin"}),
        (url("charter_edit", org), {"text": "Autre charte"}),
        (url("organisation_edit", org), {"name": "Piratée"}),
    ]
    for path, data in posts:
        assert client.post(path, data).status_code == 403
    assert Site.objects.filter(organisation=org).count() == 1
    membership.refresh_from_db()
    assert membership.role == Role.PARTICIPANT
    assert CharterVersion.objects.filter(organisation=org).count() == 1
    org.refresh_from_db()
    assert org.name == "La Ruche"


class TestOrganisationCreate:
    CREATE = "/organisations/nouvelle/"

    def data(self, **overrides):
        return {
            "name": "La Fabrique",
            "slug": "la-fabrique",
            "legal_form": "scic",
            "territory": "Lille",
            "description": "Un tiers-lieu.",
            "visibility": "public",
            **overrides,
        }

    def test_anonymous_is_asked_to_sign_in(self, client, db):
        """Creating an organisation needs an account."""
        response = client.get(self.CREATE)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_anyone_signed_in_creates_and_becomes_admin(self, client_for, db):
        """Any signed-in person creates an organisation, becomes its admin and lands in its back office."""
        user = UserFactory()
        client = client_for(user)
        assert client.get(self.CREATE).status_code == 200
        response = client.post(self.CREATE, self.data())
        assert response.status_code == 302
        assert response["Location"] == "/la-fabrique/gestion/"
        organisation = Organisation.objects.get(slug="la-fabrique")
        assert (organisation.name, organisation.legal_form, organisation.territory) == (
            "La Fabrique",
            "scic",
            "Lille",
        )
        assert Membership.objects.get(organisation=organisation).user == user
        assert organisation.memberships.get().role == Role.ADMIN
        assert client.get(response["Location"]).status_code == 200

    def test_private_visibility(self, client_for, db):
        """The creator may make the organisation private from the start."""
        client_for(UserFactory()).post(self.CREATE, self.data(visibility="private"))
        assert Organisation.objects.get(slug="la-fabrique").is_private

    def test_slug_is_lowercased(self, client_for, db):
        """« La-Fabrique » is saved as « la-fabrique »: addresses are not case-sensitive."""
        client_for(UserFactory()).post(self.CREATE, self.data(slug="La-Fabrique"))
        assert Organisation.objects.filter(slug="la-fabrique").exists()

    @pytest.mark.parametrize(
        ("slug", "message"),
        [
            ("la-ruche", "This address is already taken. Please choose another one."),
            ("LA-RUCHE", "This address is already taken. Please choose another one."),
            ("compte", "This address is reserved by the platform. Please choose another one."),
            ("admin", "This address is reserved by the platform. Please choose another one."),
            (
                "organisations",
                "This address is reserved by the platform. Please choose another one.",
            ),
            ("Mon-Espace", "This address is reserved by the platform. Please choose another one."),
            ("gestion", "This address is reserved by the platform. Please choose another one."),
            ("static", "This address is reserved by the platform. Please choose another one."),
            (
                "la ruche!",
                "Use only lowercase letters without accents, digits and dashes, "
                "as in « la-fabrique ».",
            ),
        ],
    )
    def test_bad_slug_gets_a_message_and_writes_nothing(self, org, client_for, slug, message):
        """A taken, reserved or malformed address gets a clear message on the form; nothing is written."""
        user = UserFactory()
        before = Organisation.objects.count()
        response = client_for(user).post(self.CREATE, self.data(slug=slug))
        assert response.status_code == 200
        assert fr(message) in text(response)
        assert 'aria-invalid="true"' in text(response)
        assert Organisation.objects.count() == before
        assert not Membership.objects.filter(user=user).exists()

    def test_missing_fields(self, client_for, db):
        """An empty form is shown again with its errors, never a 500."""
        response = client_for(UserFactory()).post(self.CREATE, {})
        assert response.status_code == 200
        assert response.context["form"].errors.keys() >= {"name", "slug"}
        assert not Organisation.objects.exists()


class TestOrganisationSettings:
    def test_admin_changes_settings(self, org, people, client_for):
        """An administrator changes name, legal form, territory and visibility; it is audited."""
        response = client_for(people["admin"]).post(
            url("organisation_edit", org),
            {
                "name": "La Grande Ruche",
                "legal_form": "scop",
                "territory": "Roubaix",
                "description": "",
                "visibility": "private",
                "allow_anonymous_contributions": "on",
                "moderation_threshold": 3,
                "complaint_acknowledge_days": 7,
                "complaint_answer_days": 30,
                "stakeholder_review_months": 12,
            },
        )
        assert response.status_code == 302
        org.refresh_from_db()
        assert (org.name, org.legal_form, org.territory, org.visibility) == (
            "La Grande Ruche",
            "scop",
            "Roubaix",
            "private",
        )
        entry = AuditEntry.objects.get(action="organisation.update")
        assert entry.actor == people["admin"] and entry.target_id == str(org.pk)

    def test_invalid_settings_are_not_saved(self, org, people, client_for):
        """Inconsistent settings get a message; nothing is saved; the page keeps the real name."""
        response = client_for(people["admin"]).post(
            url("organisation_edit", org),
            {
                "name": "Nom refusé",
                "legal_form": "association",
                "visibility": "public",
                "moderation_threshold": 3,
                "complaint_acknowledge_days": 60,
                "complaint_answer_days": 30,
                "stakeholder_review_months": 12,
            },
        )
        assert response.status_code == 200
        assert fr(
            "The time to acknowledge a complaint cannot be longer than the time to answer it."
        ) in text(response)
        assert "Nom refusé — FaireAvec" not in text(response)
        org.refresh_from_db()
        assert org.name == "La Ruche"
        assert not AuditEntry.objects.filter(action="organisation.update").exists()

    def test_logo_upload(self, org, people, client_for, settings, tmp_path):
        """An image uploads as the logo and shows on the home page; a file that is not
        an image gets a form error."""
        settings.MEDIA_ROOT = tmp_path
        client = client_for(people["admin"])
        data = {
            "name": "La Ruche",
            "legal_form": "association",
            "visibility": "public",
            "moderation_threshold": 3,
            "complaint_acknowledge_days": 7,
            "complaint_answer_days": 30,
            "stakeholder_review_months": 12,
        }
        fake = SimpleUploadedFile("logo.png", b"pas une image", content_type="image/png")
        response = client.post(url("organisation_edit", org), {**data, "logo": fake})
        assert response.status_code == 200
        assert "logo" in response.context["form"].errors
        org.refresh_from_db()
        assert not org.logo
        logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
        response = client.post(url("organisation_edit", org), {**data, "logo": logo})
        assert response.status_code == 302
        org.refresh_from_db()
        assert org.logo.name.startswith("logos/")
        assert org.logo.url in text(client.get(org.get_absolute_url()))
        response = client.post(url("organisation_edit", org), {**data, "logo-clear": "on"})
        org.refresh_from_db()
        assert not org.logo

    def test_garbage_is_a_form_error(self, org, people, client_for):
        """Non-numeric values get form errors, not a 500."""
        response = client_for(people["admin"]).post(
            url("organisation_edit", org), {"name": "X", "moderation_threshold": "beaucoup"}
        )
        assert response.status_code == 200
        assert "moderation_threshold" in response.context["form"].errors


class TestMembers:
    def test_list_shows_every_member(self, org, people, client_for):
        """The member list shows everyone in the organisation, and no one else."""
        response = client_for(people["admin"]).get(url("member_list", org))
        for role in IN_ORG:
            assert people[role].email in text(response)
        assert people["other_admin"].email not in text(response)

    @pytest.mark.parametrize("role", [Role.ADMIN, Role.FACILITATOR, Role.MEMBER, Role.PARTICIPANT])
    def test_role_change(self, org, people, client_for, role):
        """An administrator gives a member any of the four roles; it is audited."""
        membership = people["member"].memberships.get()
        response = client_for(people["admin"]).post(
            url("member_update", org, membership_pk=membership.pk), {"role": role}
        )
        assert response.status_code == 302
        membership.refresh_from_db()
        assert membership.role == role
        if role != Role.MEMBER:
            entry = AuditEntry.objects.get(action="membership.role")
            assert entry.actor == people["admin"] and entry.target_id == str(membership.pk)

    def test_removal(self, org, people, client_for):
        """An administrator removes a member; it is audited."""
        membership = people["member"].memberships.get()
        response = client_for(people["admin"]).post(
            url("member_update", org, membership_pk=membership.pk), {"remove": "1"}
        )
        assert response.status_code == 302
        assert not Membership.objects.filter(pk=membership.pk).exists()
        assert AuditEntry.objects.get(action="membership.remove").actor == people["admin"]

    @pytest.mark.parametrize("data", [{"role": "member"}, {"remove": "1"}])
    def test_last_admin_stays(self, org, people, client_for, data):
        """The last administrator can neither step down nor be removed: a message says why."""
        membership = people["admin"].memberships.get()
        response = client_for(people["admin"]).post(
            url("member_update", org, membership_pk=membership.pk), data
        )
        assert response.status_code == 302
        assert fr(KEEP_ADMIN) in messages_of(response)
        membership.refresh_from_db()
        assert membership.role == Role.ADMIN

    @pytest.mark.parametrize("data", [{}, {"role": "boss"}, {"role": ""}])
    def test_bad_role(self, org, people, client_for, data):
        """A missing or unknown role gets a message, and changes nothing."""
        membership = people["member"].memberships.get()
        response = client_for(people["admin"]).post(
            url("member_update", org, membership_pk=membership.pk), data
        )
        assert response.status_code == 302
        assert fr("Choose a role from the list.") in messages_of(response)
        membership.refresh_from_db()
        assert membership.role == Role.MEMBER

    def test_admin_leaving_lands_on_my_space(self, org, people, client_for):
        """An administrator who leaves (another admin remains) lands on « My space », not a 404."""
        MembershipFactory(organisation=org, role=Role.ADMIN)
        membership = people["admin"].memberships.get()
        response = client_for(people["admin"]).post(
            url("member_update", org, membership_pk=membership.pk), {"remove": "1"}
        )
        assert response["Location"] == reverse("dashboard")
        assert not Membership.objects.filter(pk=membership.pk).exists()

    def test_admin_stepping_down_lands_on_the_public_home(self, org, people, client_for):
        """An administrator who gives up the role lands on pages they can still see."""
        MembershipFactory(organisation=org, role=Role.ADMIN)
        membership = people["admin"].memberships.get()
        client = client_for(people["admin"])
        response = client.post(
            url("member_update", org, membership_pk=membership.pk), {"role": "participant"}
        )
        assert response["Location"] == org.get_absolute_url()
        assert client.get(response["Location"]).status_code == 200

    def test_get_not_allowed(self, org, people, client_for, objects):
        """Changing a role is a POST."""
        response = client_for(people["admin"]).get(
            url("member_update", org, membership_pk=objects["membership"].pk)
        )
        assert response.status_code == 405


class TestInvitations:
    def post(self, client, org, **data):
        return client.post(
            url("invitation_list", org),
            {"label": "Affiche", "role": "participant", "valid_days": 30, "max_uses": "", **data},
        )

    def test_admin_creates_an_invitation(self, org, people, client_for):
        """An administrator creates a single-use invitation with a role and an expiry."""
        response = self.post(client_for(people["admin"]), org, role="member", max_uses=1)
        invitation = Invitation.objects.get()
        assert response.status_code == 302
        assert response["Location"] == url("invitation_detail", org, invitation_pk=invitation.pk)
        assert (invitation.role, invitation.max_uses) == (Role.MEMBER, 1)
        assert timedelta(days=29) < invitation.expires_at - timezone.now() <= timedelta(days=30)
        entry = AuditEntry.objects.get(action="invitation.create")
        assert entry.actor == people["admin"] and entry.target_id == str(invitation.pk)

    def test_empty_max_uses_is_unlimited(self, org, people, client_for):
        """Leaving the maximum empty makes a poster invitation with no limit."""
        self.post(client_for(people["facilitator"]), org, max_uses="")
        assert Invitation.objects.get().max_uses is None

    def test_facilitator_is_offered_participant_only(self, org, people, client_for):
        """A facilitator's form only offers the participant role."""
        response = client_for(people["facilitator"]).get(url("invitation_list", org))
        choices = [value for value, _ in response.context["form"].fields["role"].choices]
        assert choices == ["participant"]

    @pytest.mark.parametrize("role", ["member", "facilitator", "admin"])
    def test_facilitator_cannot_invite_other_roles(self, org, people, client_for, role):
        """A facilitator posting another role gets a form error, and nothing is created."""
        response = self.post(client_for(people["facilitator"]), org, role=role)
        assert response.status_code == 200
        assert "role" in response.context["form"].errors
        assert not Invitation.objects.exists()

    @pytest.mark.parametrize(
        "data", [{"valid_days": 0}, {"valid_days": "abc"}, {"max_uses": 0}, {"role": "boss"}]
    )
    def test_bad_input(self, org, people, client_for, data):
        """Bad values get form errors, not a 500, and create nothing."""
        response = self.post(client_for(people["admin"]), org, **data)
        assert response.status_code == 200
        assert response.context["form"].errors
        assert not Invitation.objects.exists()

    def test_detail_and_poster_show_the_qr_code_of_the_link(self, org, people, client_for):
        """The detail page and the printable poster show an SVG QR code of the join URL."""
        invitation = InvitationFactory(organisation=org)
        client = client_for(people["facilitator"])
        join_url = "http://testserver" + invitation.get_absolute_url()
        expected = qr_svg(join_url, title="QR code du lien d'invitation")
        for name in ("invitation_detail", "invitation_poster"):
            response = client.get(url(name, org, invitation_pk=invitation.pk))
            assert response.status_code == 200
            content = response.content.decode()
            assert expected in content
            # The long link only on the detail page: the poster gives the short code.
            assert (join_url in content) == (name == "invitation_detail")

    def test_poster_is_a_printable_page(self, org, people, client_for):
        """The poster is a page of its own (no back-office menu), with its print stylesheet."""
        invitation = InvitationFactory(organisation=org)
        response = client_for(people["admin"]).get(
            url("invitation_poster", org, invitation_pk=invitation.pk)
        )
        content = text(response)
        assert "poster.css" in content
        assert "backoffice-nav" not in content
        assert fr("Join %(name)s") % {"name": "La Ruche"} in content

    def test_poster_of_a_dead_invitation_warns(self, org, people, client_for):
        """The poster of a withdrawn invitation warns not to print it."""
        invitation = InvitationFactory(organisation=org, revoked_at=timezone.now())
        response = client_for(people["admin"]).get(
            url("invitation_poster", org, invitation_pk=invitation.pk)
        )
        warning = fr("This invitation can no longer be used: do not print this poster.")
        assert warning in text(response)
        live = InvitationFactory(organisation=org)
        response = client_for(people["admin"]).get(
            url("invitation_poster", org, invitation_pk=live.pk)
        )
        assert warning not in text(response)

    @pytest.mark.parametrize("role", [Role.MEMBER, Role.FACILITATOR, Role.ADMIN])
    def test_facilitator_cannot_pass_on_a_higher_invitation(self, org, people, client_for, role):
        """A facilitator can neither see, print nor withdraw an invitation with a role
        above participant (else they could hand out the link of an admin's invitation)."""
        theirs = InvitationFactory(organisation=org, role=role, label="Pour M. Petit")
        client = client_for(people["facilitator"])
        for name in ("invitation_detail", "invitation_poster"):
            assert client.get(url(name, org, invitation_pk=theirs.pk)).status_code == 404
        assert (
            client.post(url("invitation_revoke", org, invitation_pk=theirs.pk)).status_code == 404
        )
        theirs.refresh_from_db()
        assert theirs.revoked_at is None
        listing = client.get(url("invitation_list", org))
        assert theirs not in listing.context["invitations"]
        assert "Pour M. Petit" not in text(listing)
        admin_listing = client_for(people["admin"]).get(url("invitation_list", org))
        assert "Pour M. Petit" in text(admin_listing)

    def test_revoke(self, org, people, client_for):
        """Withdrawing an invitation from its page stops its link; it is audited."""
        invitation = InvitationFactory(organisation=org)
        response = client_for(people["facilitator"]).post(
            url("invitation_revoke", org, invitation_pk=invitation.pk)
        )
        assert response.status_code == 302
        invitation.refresh_from_db()
        assert invitation.revoked_at is not None
        assert AuditEntry.objects.get(action="invitation.revoke").actor == people["facilitator"]
        join = client_for(UserFactory()).get(invitation.get_absolute_url())
        assert join.status_code == 410


class TestJoin:
    def test_visitor_is_asked_to_sign_in_or_up_and_come_back(self, org, client):
        """An anonymous visitor sees who invites them and sign-in/sign-up links that come back."""
        invitation = InvitationFactory(organisation=org, role=Role.MEMBER)
        response = client.get(invitation.get_absolute_url())
        assert response.status_code == 200
        content = text(response)
        assert "La Ruche" in content
        back = f"?next={invitation.get_absolute_url()}"
        assert reverse("account_login") + back in content
        assert reverse("account_signup") + back in content

    def test_visitor_post_joins_nothing(self, org, client):
        """A visitor posting the form (without an account) creates nothing."""
        invitation = InvitationFactory(organisation=org)
        response = client.post(invitation.get_absolute_url())
        assert response.status_code == 200
        assert not Membership.objects.exists()
        invitation.refresh_from_db()
        assert invitation.uses == 0

    def test_signed_in_person_joins(self, org, client_for):
        """A signed-in person joins with the invitation's role, and lands on the organisation."""
        invitation = InvitationFactory(organisation=org, role=Role.MEMBER, max_uses=1)
        user = UserFactory()
        client = client_for(user)
        assert client.get(invitation.get_absolute_url()).status_code == 200
        response = client.post(invitation.get_absolute_url())
        assert response.status_code == 302
        assert response["Location"] == org.get_absolute_url()
        assert Membership.objects.get(organisation=org, user=user).role == Role.MEMBER
        assert AuditEntry.objects.get(action="invitation.accept").actor == user

    def test_posted_twice_makes_one_membership(self, org, client_for):
        """The join form posted twice creates one membership and uses the invitation once."""
        invitation = InvitationFactory(organisation=org, max_uses=3)
        user = UserFactory()
        client = client_for(user)
        client.post(invitation.get_absolute_url())
        response = client.post(invitation.get_absolute_url())
        assert response.status_code == 302
        assert Membership.objects.filter(organisation=org, user=user).count() == 1
        invitation.refresh_from_db()
        assert invitation.uses == 1

    @pytest.mark.parametrize(
        ("state", "message"),
        [
            ({"revoked_at": timezone.now()}, WITHDRAWN),
            ({"expires_at": timezone.now() - timedelta(minutes=1)}, EXPIRED),
            ({"max_uses": 1, "uses": 1}, USED),
        ],
    )
    @pytest.mark.parametrize("method", ["get", "post"])
    def test_unusable_invitation_is_410(self, org, client_for, state, message, method):
        """A withdrawn, expired or used invitation says so (410) and creates no membership."""
        invitation = InvitationFactory(organisation=org, **state)
        response = getattr(client_for(UserFactory()), method)(invitation.get_absolute_url())
        assert response.status_code == 410
        assert fr(message) in text(response)
        assert not Membership.objects.exists()

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_existing_member_is_told_and_does_not_use_it(self, org, people, client_for, method):
        """An existing member is told they are a member already; the invitation is not used
        and their role does not change."""
        invitation = InvitationFactory(organisation=org, role=Role.ADMIN, max_uses=1)
        client = client_for(people["participant"])
        response = getattr(client, method)(invitation.get_absolute_url())
        if method == "post":
            assert response.status_code == 302
            assert fr("You are already a member of %(name)s.") % {"name": "La Ruche"} in (
                messages_of(response)
            )
        else:
            assert response.status_code == 200
            main = text(response).split('id="contenu"')[1].split("</main>")[0]
            assert 'type="submit"' not in main
        invitation.refresh_from_db()
        assert invitation.uses == 0
        assert people["participant"].memberships.get().role == Role.PARTICIPANT

    def test_existing_member_with_a_used_invitation_is_not_told_it_failed(
        self, org, people, client_for
    ):
        """Someone who used an invitation and opens it again is told they are in, not a 410."""
        invitation = InvitationFactory(organisation=org, max_uses=1, uses=1)
        response = client_for(people["participant"]).get(invitation.get_absolute_url())
        assert response.status_code == 200

    def test_private_organisation_join(self, org, client_for):
        """A private organisation's invitation works for an outsider, who then sees its pages."""
        org.visibility = Organisation.Visibility.PRIVATE
        org.save()
        invitation = InvitationFactory(organisation=org)
        client = client_for(UserFactory())
        assert client.get(org.get_absolute_url()).status_code == 404
        assert client.post(invitation.get_absolute_url()).status_code == 302
        assert client.get(org.get_absolute_url()).status_code == 200

    def test_private_join_page_offers_no_dead_links(self, org, client):
        """On a private organisation's invitation page, a visitor is not offered links
        to pages that are closed to them."""
        org.visibility = Organisation.Visibility.PRIVATE
        org.save()
        invitation = InvitationFactory(organisation=org)
        content = text(client.get(invitation.get_absolute_url()))
        assert url("charter", org) not in content
        assert url("site_list", org) not in content

    def test_unknown_token_is_404(self, org, client):
        """A made-up token is a 404."""
        assert (
            client.get(url("invitation_join", org, invitation_token="inventé")).status_code == 404
        )


class TestCharter:
    def test_shown_on_public_pages(self, org, people, client):
        """The current version is on the charter page and announced on the organisation home."""
        charter_publish(actor=people["admin"], organisation=org, text="Ancienne")
        charter_publish(actor=people["admin"], organisation=org, text="Nous vous écoutons.")
        page = text(client.get(url("charter", org)))
        assert "Nous vous écoutons." in page and "Ancienne" not in page
        home = text(client.get(org.get_absolute_url()))
        assert url("charter", org) in home

    def test_accept_page_records_and_follows_next(self, org, people, client_for):
        """Accepting records the person and version, then goes on to the (local) next page."""
        version = charter_publish(actor=people["admin"], organisation=org, text="Charte")
        client = client_for(people["participant"])
        page = url("charter_accept", org) + "?next=/la-ruche/lieux/"
        response = client.get(page)
        assert response.status_code == 200
        assert "Charte" in text(response)
        response = client.post(page, {"accept": "1", "next": "/la-ruche/lieux/"})
        assert response.status_code == 302
        assert response["Location"] == "/la-ruche/lieux/"
        assert CharterAcceptance.objects.filter(
            user=people["participant"], version=version
        ).exists()
        # Asked once: the page now goes straight on.
        response = client.get(page)
        assert response.status_code == 302

    @pytest.mark.parametrize(
        "next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""]
    )
    def test_external_next_is_not_followed(self, org, people, client_for, next_url):
        """A next URL to another site is ignored: the person lands on the organisation home."""
        charter_publish(actor=people["admin"], organisation=org, text="Charte")
        response = client_for(people["member"]).post(
            url("charter_accept", org), {"accept": "1", "next": next_url}
        )
        assert response.status_code == 302
        assert response["Location"] == org.get_absolute_url()

    def test_no_downgrade_to_http(self, org, people, client_for):
        """Over HTTPS, a `next` in plain HTTP is not followed."""
        charter_publish(actor=people["admin"], organisation=org, text="Charte")
        response = client_for(people["member"]).post(
            url("charter_accept", org),
            {"accept": "1", "next": "http://testserver/la-ruche/lieux/"},
            secure=True,
        )
        assert response["Location"] == org.get_absolute_url()

    def test_charter_page_says_when_accepted(self, org, people, client_for):
        """The charter page tells a person who accepted the current version so."""
        version = charter_publish(actor=people["admin"], organisation=org, text="Charte")
        client = client_for(people["member"])
        accepted = fr("You have accepted this version.")
        assert accepted not in text(client.get(url("charter", org)))
        client.post(url("charter_accept", org), {"accept": str(version.number)})
        assert accepted in text(client.get(url("charter", org)))

    def test_visitor_acceptance_in_session(self, org, people, client):
        """A visitor accepts once per session; nothing is written in the database."""
        version = charter_publish(actor=people["admin"], organisation=org, text="Charte")
        response = client.post(url("charter_accept", org), {"accept": "1"})
        assert response.status_code == 302
        assert client.session[SESSION_CHARTERS] == [version.pk]
        assert not CharterAcceptance.objects.exists()
        assert client.get(url("charter_accept", org)).status_code == 302

    def test_new_version_asks_again(self, org, people, client_for):
        """After a new version is published, the person is asked again."""
        v1 = charter_publish(actor=people["admin"], organisation=org, text="Un")
        client = client_for(people["member"])
        client.post(url("charter_accept", org), {"accept": str(v1.number)})
        charter_publish(actor=people["admin"], organisation=org, text="Deux")
        response = client.get(url("charter_accept", org))
        assert response.status_code == 200
        assert "Deux" in text(response)

    def test_version_changed_while_reading(self, org, people, client_for):
        """Accepting a version that is no longer current asks to read the new one."""
        charter_publish(actor=people["admin"], organisation=org, text="Un")
        charter_publish(actor=people["admin"], organisation=org, text="Deux")
        client = client_for(people["member"])
        response = client.post(url("charter_accept", org), {"accept": "1"})
        assert response.status_code == 200
        assert not CharterAcceptance.objects.exists()

    def test_no_charter_goes_straight_on(self, org, people, client_for):
        """Without a charter there is nothing to accept."""
        response = client_for(people["member"]).get(url("charter_accept", org) + "?next=/la-ruche/")
        assert response.status_code == 302

    def test_publish_from_the_back_office(self, org, people, client_for):
        """Publishing creates version n+1 (audited); the same text publishes nothing."""
        client = client_for(people["admin"])
        assert client.post(url("charter_edit", org), {"text": "Un"}).status_code == 302
        assert client.post(url("charter_edit", org), {"text": "Deux"}).status_code == 302
        assert client.post(url("charter_edit", org), {"text": " Deux "}).status_code == 302
        assert list(CharterVersion.objects.values_list("number", "text")) == [
            (2, "Deux"),
            (1, "Un"),
        ]
        assert AuditEntry.objects.filter(action="charter.publish").count() == 2
        response = client.post(url("charter_edit", org), {"text": "   "})
        assert response.status_code == 200
        assert CharterVersion.objects.count() == 2


class TestSites:
    def test_public_list(self, org, client):
        """The public list of sites shows their address, hours and accessibility."""
        SiteFactory(organisation=org, name="Café", accessibility="Rampe d'accès")
        content = text(client.get(url("site_list", org)))
        assert "Café" in content and "Rampe d'accès" in content

    def test_create_edit_delete(self, org, people, client_for):
        """An administrator adds, renames and deletes a site; each is audited."""
        client = client_for(people["admin"])
        response = client.post(url("site_manage", org), {"name": "Café", "address": "1 rue"})
        assert response.status_code == 302
        site = Site.objects.get(organisation=org)
        response = client.post(url("site_edit", org, site_pk=site.pk), {"name": "Le Café"})
        assert response.status_code == 302
        site.refresh_from_db()
        assert site.name == "Le Café"
        response = client.post(url("site_edit", org, site_pk=site.pk), {"delete": "1"})
        assert response.status_code == 302
        assert not Site.objects.exists()
        actions = set(AuditEntry.objects.values_list("action", flat=True))
        assert {"site.create", "site.update", "site.delete"} <= actions

    def test_duplicate_name_on_create(self, org, people, client_for):
        """A second site of the same name gets a clear message on the form, not a 500."""
        SiteFactory(organisation=org, name="Café")
        response = client_for(people["admin"]).post(url("site_manage", org), {"name": "Café"})
        assert response.status_code == 200
        assert fr("This organisation already has a site with this name.") in text(response)
        assert Site.objects.count() == 1

    def test_duplicate_name_on_rename(self, org, people, client_for):
        """Renaming a site to another's name gets a message; the page keeps the real name."""
        SiteFactory(organisation=org, name="Café")
        site = SiteFactory(organisation=org, name="Épicerie")
        response = client_for(people["admin"]).post(
            url("site_edit", org, site_pk=site.pk), {"name": "Café"}
        )
        assert response.status_code == 200
        assert fr("This organisation already has a site with this name.") in text(response)
        assert "<h1>Épicerie</h1>" in text(response)
        site.refresh_from_db()
        assert site.name == "Épicerie"

    def test_same_name_as_another_organisations_site(self, org, other_org, people, client_for):
        """Another organisation's site name does not block this one."""
        SiteFactory(organisation=other_org, name="Café")
        response = client_for(people["admin"]).post(url("site_manage", org), {"name": "Café"})
        assert response.status_code == 302

    def test_keeping_its_own_name(self, org, people, client_for):
        """Saving a site without renaming it is not a duplicate of itself."""
        site = SiteFactory(organisation=org, name="Café")
        response = client_for(people["admin"]).post(
            url("site_edit", org, site_pk=site.pk), {"name": "Café", "address": "2 rue"}
        )
        assert response.status_code == 302

    def test_empty_name(self, org, people, client_for):
        """A site without a name gets a form error."""
        response = client_for(people["admin"]).post(url("site_manage", org), {"name": ""})
        assert response.status_code == 200
        assert "name" in response.context["form"].errors
        assert not Site.objects.exists()


def test_backoffice_home_menu_by_role(org, people, client_for):
    """The back-office home shows an admin every section, a member none of the admin ones."""
    admin_page = text(client_for(people["admin"]).get(url("backoffice_home", org)))
    member_page = text(client_for(people["member"]).get(url("backoffice_home", org)))
    for name in ("member_list", "site_manage", "charter_edit", "organisation_edit"):
        assert url(name, org) in admin_page
        assert url(name, org) not in member_page


def test_participant_sees_no_backoffice_link(org, people, client_for):
    """A participant's organisation menu has no back-office link; a facilitator's has."""
    backoffice = url("backoffice_home", org)
    assert backoffice not in text(client_for(people["participant"]).get(org.get_absolute_url()))
    assert backoffice in text(client_for(people["facilitator"]).get(org.get_absolute_url()))


def test_member_of_two_organisations_reaches_both(org, other_org, client_for):
    """A person in two organisations reaches each one's pages with their own role there."""
    user = UserFactory()
    MembershipFactory(organisation=org, user=user, role=Role.ADMIN)
    MembershipFactory(organisation=other_org, user=user, role=Role.PARTICIPANT)
    client = client_for(user)
    assert client.get(url("member_list", org)).status_code == 200
    assert client.get(url("member_list", other_org)).status_code == 403


class TestDashboard:
    def test_needs_an_account(self, client):
        """« My space » asks visitors to sign in."""
        response = client.get(reverse("dashboard"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_lists_every_organisation_to_switch_between_them(self, org, other_org, client_for):
        """A person in several organisations sees each, with their role, and the back office
        link only where they are more than a participant."""
        user = UserFactory()
        MembershipFactory(organisation=org, user=user, role=Role.FACILITATOR)
        MembershipFactory(organisation=other_org, user=user, role=Role.PARTICIPANT)
        response = client_for(user).get(reverse("dashboard"))
        content = html.unescape(response.content.decode())
        assert [m.organisation for m in response.context["memberships"]] == [other_org, org]
        assert org.get_absolute_url() in content and other_org.get_absolute_url() in content
        assert "/la-ruche/gestion/" in content
        assert "/l-autre-asso/gestion/" not in content

    def test_no_organisation_yet(self, client_for, db):
        """Someone without an organisation is told how to join or create one."""
        response = client_for(UserFactory()).get(reverse("dashboard"))
        assert response.status_code == 200
        assert reverse("organisation_create") in response.content.decode()

    def test_links_to_my_contributions_in_each_organisation(self, org, other_org, client_for):
        """« Mon espace » leads to « Mes contributions » of each organisation."""
        user = UserFactory()
        MembershipFactory(organisation=org, user=user, role=Role.PARTICIPANT)
        MembershipFactory(organisation=other_org, user=user, role=Role.MEMBER)
        content = client_for(user).get(reverse("dashboard")).content.decode()
        for organisation in (org, other_org):
            mine = reverse(
                "contributions:contribution_mine", kwargs={"org_slug": organisation.slug}
            )
            assert f'href="{mine}"' in content

    def test_shows_the_unread_notification_count(self, org, client_for):
        """The unread count is shown and links to the notifications; read ones do not count."""
        from faireavec.core.i18n import untranslated
        from faireavec.core.notifications import notifications_mark_read, notify

        user = UserFactory()
        MembershipFactory(organisation=org, user=user, role=Role.PARTICIPANT)
        client = client_for(user)
        assert "rien de nouveau" in client.get(reverse("dashboard")).content.decode()
        notify(recipients=[user], title=untranslated("Première"), organisation=org)
        notifications_mark_read(user=user)
        notify(recipients=[user], title=untranslated("Deuxième"), organisation=org)
        notify(recipients=[user], title=untranslated("Troisième"), organisation=org)
        response = client.get(reverse("dashboard"))
        assert response.context["unread_count"] == 2
        content = html.unescape(response.content.decode())
        assert "2 non lues" in content
        assert f'href="{reverse("notifications")}"' in content
