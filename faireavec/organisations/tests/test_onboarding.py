"""A new organisation's first steps (computed from its data), the empty pages that say
what a module is for, and menus that leave out modules not set up yet."""

import html

import pytest
from django.urls import reverse

from faireavec.contributions.tests.factories import make_contribution
from faireavec.core.navigation import menu_changed, organisation_links, organisation_onboarding
from faireavec.needs.services import diagnosis_save, need_create
from faireavec.organisations.models import Role
from faireavec.organisations.services import charter_publish, site_create
from faireavec.organisations.tests.factories import (
    CharterVersionFactory,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    SiteFactory,
)
from faireavec.stakeholders.tests.factories import StakeholderFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant", "member", "facilitator", "admin", "other_admin"]


def page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def new_org():
    """A brand-new organisation and its only person, its administrator."""
    organisation = OrganisationFactory(name="Le Jardin", slug="le-jardin")
    admin = MembershipFactory(organisation=organisation, role=Role.ADMIN).user
    return organisation, admin


def _done(organisation, admin) -> dict[str, bool]:
    onboarding = organisation_onboarding(user=admin, organisation=organisation)
    return {step.label: step.done for step in onboarding.steps}


def test_each_step_is_done_when_the_data_says_so(new_org):
    """Nothing is ticked by hand: each step follows the organisation's data, in order."""
    organisation, admin = new_org
    onboarding = organisation_onboarding(user=admin, organisation=organisation)
    assert [s.label for s in onboarding.steps] == [
        "Publier votre charte",
        "Ajouter un lieu ou un service",
        "Inviter des personnes",
        "Noter vos premières parties prenantes",
        "Ouvrir votre boîte à idées",
    ]
    assert onboarding.done_count == 0 and onboarding.total == 5
    charter_publish(actor=admin, organisation=organisation, text="Nous écoutons.")
    SiteFactory(organisation=organisation)
    assert organisation_onboarding(user=admin, organisation=organisation).done_count == 2
    InvitationFactory(organisation=organisation)
    StakeholderFactory(organisation=organisation)
    make_contribution(organisation)
    onboarding = organisation_onboarding(user=admin, organisation=organisation)
    assert onboarding.is_complete
    assert all(_done(organisation, admin).values())


def test_someone_who_joined_counts_as_invited(new_org):
    """A second person in the organisation is as good as an invitation."""
    organisation, admin = new_org
    MembershipFactory(organisation=organisation, role=Role.PARTICIPANT)
    assert _done(organisation, admin)["Inviter des personnes"]


def test_another_organisations_data_does_not_count(new_org, org):
    """Sites and charters of another organisation do not tick this one's steps."""
    organisation, admin = new_org
    SiteFactory(organisation=org)
    CharterVersionFactory(organisation=org)
    assert organisation_onboarding(user=admin, organisation=organisation).done_count == 0


def test_the_back_office_home_shows_the_checklist_until_done(new_org, client_for):
    """The administrator lands on the checklist with its progress in words and in a
    <progress>; each step links to its page; once all are done it leaves the home page
    but stays on its own page."""
    organisation, admin = new_org
    client = client_for(admin)
    home = reverse("organisations:backoffice_home", kwargs={"org_slug": organisation.slug})
    page = page_text(client.get(home))
    assert "Premiers pas" in page
    assert "0 étape sur 5 faite" in page
    assert '<progress value="0" max="5"' in page
    assert reverse("organisations:charter_edit", kwargs={"org_slug": organisation.slug}) in page
    assert page.count("à faire") == 5
    charter_publish(actor=admin, organisation=organisation, text="Nous écoutons.")
    SiteFactory(organisation=organisation)
    page = page_text(client.get(home))
    assert "2 étapes sur 5 faites" in page
    assert page.count("à faire") == 3
    InvitationFactory(organisation=organisation)
    StakeholderFactory(organisation=organisation)
    make_contribution(organisation)
    page = page_text(client.get(home))
    assert "étapes sur 5" not in page
    onboarding = reverse("organisations:onboarding", kwargs={"org_slug": organisation.slug})
    assert onboarding in page  # still reachable from the menu
    page = page_text(client.get(onboarding))
    assert "5 étapes sur 5 faites" in page
    assert "Toutes les premières étapes sont faites." in page


@pytest.mark.parametrize("role", ROLES)
def test_the_checklist_is_for_administrators(org, people, client_for, role):
    """Only administrators see the first steps; the page is 403 to other roles, 404 to
    another organisation, the login page to visitors."""
    client = client_for(people[role])
    url = reverse("organisations:onboarding", kwargs={"org_slug": org.slug})
    expected = {"anonymous": 302, "other_admin": 404, "admin": 200}.get(role, 403)
    assert client.get(url).status_code == expected
    if role in ("member", "facilitator", "admin"):
        home = page_text(
            client.get(reverse("organisations:backoffice_home", kwargs={"org_slug": org.slug}))
        )
        assert ("Premiers pas" in home) == (role == "admin")


# Empty pages ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "purpose", "action"),
    [
        ("stakeholders:stakeholder_list", "liste les personnes et structures", "nouvelle/"),
        ("needs:need_list", "liste ce qui manque aux personnes", "besoins/nouveau/"),
        ("needs:watch_list", "La veille est vide.", "veille/nouvelle/"),
        ("contributions:inbox", "arrivent ici", "avis/saisie"),
        ("organisations:site_manage", "Vos lieux et services", "#site-add"),
        ("organisations:invitation_list", "Une invitation est un lien", "#new-invitation"),
        ("organisations:member_list", "Invitez-les", "gestion/invitations/"),
    ],
)
def test_an_empty_page_says_what_it_is_for_and_offers_the_first_action(
    new_org, client_for, url_name, purpose, action
):
    """Instead of an empty list, each module explains itself and offers a first step,
    through the shared include."""
    organisation, admin = new_org
    response = client_for(admin).get(reverse(url_name, kwargs={"org_slug": organisation.slug}))
    assert response.status_code == 200
    page = page_text(response)
    assert 'class="empty-state"' in page
    assert purpose in page
    state = page[page.index('class="empty-state"') :]
    state = state[: state.index("</div>")]
    assert 'class="button"' in state and action in state


# Menus ------------------------------------------------------------------------


def menu_forgotten(organisation) -> None:
    """Written straight to the database here, not through a service: forget the
    menu's kept answers, as when their keeping time (MENU_CACHE_SECONDS) runs out."""
    menu_changed(organisation=organisation)


def _public_labels(organisation, user) -> list[str]:
    return [
        link.label
        for link in organisation_links(user=user, organisation=organisation, side="public")
    ]


def test_modules_not_set_up_stay_out_of_the_participants_menu(new_org):
    """The needs pages appear once a need is published, the diagnosis once started, the
    charter once published and the sites once one is listed."""
    organisation, admin = new_org
    participant = MembershipFactory(organisation=organisation, role=Role.PARTICIPANT).user
    labels = _public_labels(organisation, participant)
    for hidden in ("Besoins", "Notre territoire", "Notre charte", "Nos lieux"):
        assert hidden not in labels
    assert "Donner mon avis" in labels
    # The answers are kept in the cache: the services that set a module up say so.
    need_create(
        actor=admin,
        organisation=organisation,
        data={"title": "Garde", "description": "Le soir.", "is_public": False},
    )
    assert "Besoins" not in _public_labels(organisation, participant)  # kept within the team
    need_create(
        actor=admin,
        organisation=organisation,
        data={"title": "Repas", "description": "Le midi.", "is_public": True},
    )
    assert "Besoins" in _public_labels(organisation, participant)
    diagnosis_save(actor=admin, organisation=organisation, summary="", is_public=True)
    assert "Notre territoire" in _public_labels(organisation, participant)
    charter_publish(actor=admin, organisation=organisation, text="Nous nous écoutons.")
    assert "Notre charte" in _public_labels(organisation, participant)
    site_create(actor=admin, organisation=organisation, name="Le local")
    labels = _public_labels(organisation, participant)
    for shown in ("Besoins", "Notre territoire", "Notre charte", "Nos lieux"):
        assert shown in labels


def test_the_organisation_home_leaves_out_the_needs_until_one_is_published(new_org, client_for):
    """On the home page too: no « Besoins » card leading to an empty list."""
    organisation, _admin = new_org
    home = reverse("organisations:home", kwargs={"org_slug": organisation.slug})
    needs = reverse("needs:need_list_public", kwargs={"org_slug": organisation.slug})
    assert needs not in page_text(client_for(None).get(home))
    need_create(
        actor=_admin,
        organisation=organisation,
        data={"title": "Repas", "description": "Le midi.", "is_public": True},
    )
    assert needs in page_text(client_for(None).get(home))


def test_ideas_and_said_done_appear_once_there_is_something_to_show(new_org):
    """« Idées à soutenir » waits for a public idea, « Vous avez dit, nous avons fait »
    for a first answered contribution: neither opens on an empty list. The services
    that make the first one forget the menu kept in the cache."""
    from faireavec.contributions.services import (
        contribution_change_status,
        contribution_set_public,
    )

    organisation, admin = new_org
    participant = MembershipFactory(organisation=organisation, role=Role.PARTICIPANT).user
    labels = _public_labels(organisation, participant)
    ideas, said = "Idées à soutenir", "Vous avez dit, nous avons fait"
    assert ideas not in labels and said not in labels
    idea = make_contribution(organisation)  # not public, not answered
    labels = _public_labels(organisation, participant)
    assert ideas not in labels and said not in labels
    contribution_set_public(actor=admin, contribution=idea, public=True)
    assert ideas in _public_labels(organisation, participant)
    assert said not in _public_labels(organisation, participant)
    complaint = make_contribution(organisation, kind="complaint", title="Porte")
    contribution_change_status(
        actor=admin, contribution=complaint, to_status="answered", message="C'est réparé."
    )
    assert said in _public_labels(organisation, participant)
