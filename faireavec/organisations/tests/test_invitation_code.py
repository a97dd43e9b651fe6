"""The short invitation code: drawn without ambiguous characters, printed on the
poster (HTML and PDF), typed on « J'ai un code d'invitation »."""

import html
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from faireavec.core.tests.pdfcheck import read_pdf
from faireavec.organisations.forms import InvitationCodeForm
from faireavec.organisations.models import (
    INVITATION_CODE_ALPHABET,
    Invitation,
    new_invitation_code,
)
from faireavec.organisations.tests.factories import InvitationFactory
from faireavec.organisations.tests.utils import fr

pytestmark = pytest.mark.django_db

LOOKUP = reverse("invitation_code")


@pytest.fixture(autouse=True)
def _empty_rate_limits():
    cache.clear()
    yield
    cache.clear()


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_codes_are_ten_unambiguous_symbols():
    """No 0/O, no 1/I/l/L: only upper-case letters and digits a person cannot confuse."""
    assert not set(INVITATION_CODE_ALPHABET) & set("0O1IlL")
    codes = {new_invitation_code() for _ in range(300)}
    assert len(codes) == 300
    assert all(re.fullmatch(r"[2-9A-HJKMNP-Z]{10}", code) for code in codes)


def test_each_invitation_gets_its_own_code_shown_in_two_groups(org):
    first, second = InvitationFactory(organisation=org), InvitationFactory(organisation=org)
    assert first.code != second.code
    assert first.code_display == f"{first.code[:5]}-{first.code[5:]}"


def test_the_database_refuses_a_duplicate_or_ambiguous_code(org):
    invitation = InvitationFactory(organisation=org)
    for code in (invitation.code, "K7PMX3XQA0"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Invitation.objects.create(
                organisation=org, code=code, expires_at=timezone.now() + timedelta(days=1)
            )


@pytest.mark.parametrize("typed", ["k7pmx-3xqah", " K7PMX 3XQAH ", "K7PMX.3XQAH", "k7pMx3xQaH"])
def test_the_form_takes_the_code_in_any_case_with_spaces_or_dashes(typed):
    form = InvitationCodeForm({"code": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["code"] == "K7PMX3XQAH"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("K7PMX-3XQA0", "Invitation codes have no 0, O, 1, I or L: check the poster again."),
        ("K7PMX-3XQAl", "Invitation codes have no 0, O, 1, I or L: check the poster again."),
        ("K7PMX", "An invitation code has 10 letters and digits, like K7PMX-3XQAH."),
        ("K7PMX-3XQAÉ", "An invitation code has 10 letters and digits, like K7PMX-3XQAH."),
    ],
)
def test_the_form_explains_a_code_that_cannot_be_one(typed, message):
    form = InvitationCodeForm({"code": typed})
    assert not form.is_valid()
    assert form.errors["code"] == [fr(message)]


class TestLookupPage:
    def test_the_page_asks_for_the_code(self, client):
        response = client.get(LOOKUP)
        assert response.status_code == 200
        assert fr("I have an invitation code") in text(response)

    def test_the_platform_home_and_a_dead_invitation_lead_to_it(self, client, org):
        assert LOOKUP in text(client.get(reverse("home")))
        invitation = InvitationFactory(organisation=org, revoked_at=timezone.now())
        assert LOOKUP in text(client.get(invitation.get_absolute_url()))

    @pytest.mark.parametrize("role", ["anonymous", "participant", "other_admin"])
    def test_a_right_code_in_any_case_leads_to_the_invitation(self, org, people, client_for, role):
        invitation = InvitationFactory(organisation=org)
        typed = invitation.code_display.lower()
        response = client_for(people[role]).get(LOOKUP, {"code": typed})
        assert response.status_code == 302
        assert response["Location"] == invitation.get_absolute_url()

    def test_a_private_organisations_poster_code_works_too(self, client, org):
        org.visibility = org.Visibility.PRIVATE
        org.save()
        invitation = InvitationFactory(organisation=org)
        response = client.get(LOOKUP, {"code": invitation.code}, follow=True)
        assert response.status_code == 200
        assert org.name in text(response)

    def test_a_wrong_code_is_not_found_and_keeps_what_was_typed(self, client, org):
        InvitationFactory(organisation=org)
        response = client.get(LOOKUP, {"code": "zzzzz-zzzzz"})
        assert response.status_code == 404
        content = text(response)
        assert (
            fr("We found no invitation with this code. Check each letter and try again.") in content
        )
        assert 'value="zzzzz-zzzzz"' in content
        assert (
            content.count(
                fr("We found no invitation with this code. Check each letter and try again.")
            )
            >= 1
        )

    def test_a_malformed_code_gets_its_reason(self, client):
        response = client.get(LOOKUP, {"code": "OOOOO-11111"})
        assert response.status_code == 400
        assert fr("Invitation codes have no 0, O, 1, I or L: check the poster again.") in text(
            response
        )

    def test_many_wrong_codes_slow_down_but_a_right_code_still_answers(self, client, org):
        """A hall on one wifi where some mistype: after the limit wrong codes get
        429, and the one who types the poster's code right still gets in."""
        invitation = InvitationFactory(organisation=org)
        statuses = [client.get(LOOKUP, {"code": "ZZZZZZZZZZ"}).status_code for _ in range(31)]
        assert statuses[:30] == [404] * 30
        assert statuses[30] == 429
        response = client.get(LOOKUP, {"code": invitation.code})
        assert response.status_code == 302


class TestPoster:
    def poster_url(self, org, invitation, name="invitation_poster") -> str:
        return reverse(
            f"organisations:{name}", kwargs={"org_slug": org.slug, "invitation_pk": invitation.pk}
        )

    def test_the_poster_shows_the_short_code_and_where_to_type_it(self, org, people, client_for):
        invitation = InvitationFactory(organisation=org, max_uses=None)
        content = text(client_for(people["facilitator"]).get(self.poster_url(org, invitation)))
        assert invitation.code_display in content
        assert "http://testserver" + LOOKUP in content
        assert invitation.token not in content.split("<svg", 1)[0]  # no long token to type

    def test_the_poster_pdf_reads_back_in_french_with_its_code(self, org, people, client_for):
        invitation = InvitationFactory(organisation=org, max_uses=None)
        response = client_for(people["facilitator"]).get(
            self.poster_url(org, invitation, "invitation_poster_pdf")
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "affiche-la-ruche.pdf" in response["Content-Disposition"]
        facts = read_pdf(response.content)
        assert facts.pages == 1
        assert facts.lang == "fr"
        assert facts.title == "Affiche : rejoindre La Ruche"
        assert "Rejoindre La Ruche" in facts.flat_text
        assert invitation.code_display in facts.text
        assert "http://testserver" + LOOKUP in facts.flat_text
        assert facts.marked and "/H1" in facts.tags
        assert facts.alts == ["QR code du lien d'invitation"]

    def test_the_large_print_poster_has_nothing_under_18_points(self, org, people, client_for):
        invitation = InvitationFactory(organisation=org, max_uses=None)
        response = client_for(people["admin"]).get(
            self.poster_url(org, invitation, "invitation_poster_pdf"), {"gros-caracteres": "1"}
        )
        assert "gros-caracteres" in response["Content-Disposition"]
        facts = read_pdf(response.content)
        assert facts.pages == 1
        assert min(facts.font_sizes) >= 18
        assert invitation.code_display in facts.text
        assert facts.alts == ["QR code du lien d'invitation"]


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_gives_existing_invitations_distinct_codes():
    executor = MigrationExecutor(connection)
    executor.migrate([("organisations", "0004_invitation_code")])
    old_apps = executor.loader.project_state([("organisations", "0004_invitation_code")]).apps
    Organisation = old_apps.get_model("organisations", "Organisation")
    OldInvitation = old_apps.get_model("organisations", "Invitation")
    organisation = Organisation.objects.create(name="Avant", slug="avant")
    for token in ("a", "b", "c"):
        OldInvitation.objects.create(
            organisation=organisation, token=token, expires_at=timezone.now()
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    codes = list(
        Invitation.objects.filter(organisation__slug="avant").values_list("code", flat=True)
    )
    assert len(set(codes)) == 3
    assert all(re.fullmatch(r"[2-9A-HJKMNP-Z]{10}", code) for code in codes)
