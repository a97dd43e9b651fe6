import pytest
from django.urls import reverse

from faireavec.core.models import AuditEntry
from faireavec.needs.models import (
    DiagnosisSection,
    ExistingOffer,
    Need,
    NeedContribution,
    NeedSupport,
    TerritorialDiagnosis,
)
from faireavec.needs.services import diagnosis_save
from faireavec.needs.tests.factories import (
    ContributionFactory,
    ExistingOfferFactory,
    NeedFactory,
)

pytestmark = pytest.mark.django_db

LOGIN = "/compte/login/"


@pytest.fixture
def world(org, other_org, people):
    need = NeedFactory(organisation=org, title="Garder les enfants")
    offer = ExistingOfferFactory(need=need)
    contribution = ContributionFactory(organisation=org, title="Une garderie le samedi")
    diagnosis = diagnosis_save(actor=None, organisation=org, summary="Quartier", is_public=False)
    section = diagnosis.sections.get(kind=DiagnosisSection.Kind.ACTORS)
    return {
        "need": need,
        "offer": offer,
        "contribution": contribution,
        "section": section,
        "foreign_need": NeedFactory(organisation=other_org),
        "foreign_contribution": ContributionFactory(organisation=other_org),
    }


def url(name, org, **kwargs):
    return reverse(f"needs:{name}", kwargs={"org_slug": org.slug, **kwargs})


def _status(client_for, user, address):
    response = client_for(user).get(address)
    if response.status_code == 302:
        return "login" if response["Location"].startswith(LOGIN) else 302
    return response.status_code


# role -> expected GET status, for each page. "login": sent to the login page.
PUBLIC = {
    "anonymous": 200,
    "participant": 200,
    "member": 200,
    "facilitator": 200,
    "admin": 200,
    "other_admin": 200,
}
DIAGNOSIS_UNPUBLISHED = {**PUBLIC, "anonymous": "login", "other_admin": 403}
REVIEW = {
    "anonymous": "login",
    "participant": 403,
    "member": 200,
    "facilitator": 200,
    "admin": 200,
    "other_admin": 404,
}
MANAGE = {**REVIEW, "member": 403}

PAGES = [
    ("need_list_public", {}, PUBLIC),
    ("need_public_detail", {"need_pk": "need"}, PUBLIC),
    ("diagnosis_public", {}, DIAGNOSIS_UNPUBLISHED),
    ("need_list", {}, REVIEW),
    ("need_detail", {"need_pk": "need"}, REVIEW),
    ("need_create", {}, MANAGE),
    ("need_edit", {"need_pk": "need"}, MANAGE),
    ("need_delete", {"need_pk": "need"}, MANAGE),
    ("offer_add", {"need_pk": "need"}, MANAGE),
    ("offer_edit", {"existingoffer_pk": "offer"}, MANAGE),
    ("contribution_link", {"contribution_pk": "contribution"}, MANAGE),
    ("diagnosis_manage", {}, MANAGE),
    ("diagnosis_section_edit", {"diagnosissection_pk": "section"}, MANAGE),
]


@pytest.mark.parametrize("role", list(PUBLIC))
@pytest.mark.parametrize(("name", "args", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_who_opens_each_page(org, people, world, client_for, name, args, expected, role):
    address = url(name, org, **{k: world[v].pk for k, v in args.items()})
    assert _status(client_for, people[role], address) == expected[role]


@pytest.mark.parametrize("role", list(PUBLIC))
@pytest.mark.parametrize("name", ["need_export", "watch_export"])
def test_who_exports(org, people, world, client_for, name, role):
    """The register and the watch log are exported (a POST) by whoever reads them."""
    response = client_for(people[role]).post(url(name, org), {"format": "csv"})
    status = response.status_code
    if status == 302:
        status = "login" if response["Location"].startswith(LOGIN) else 302
    assert status == REVIEW[role]


@pytest.mark.parametrize(
    ("name", "kwarg", "key"),
    [
        ("need_public_detail", "need_pk", "foreign_need"),
        ("need_detail", "need_pk", "foreign_need"),
        ("need_edit", "need_pk", "foreign_need"),
        ("contribution_link", "contribution_pk", "foreign_contribution"),
    ],
)
def test_another_organisations_objects_are_not_found(
    org, people, world, client_for, name, kwarg, key
):
    """Even our own administrator gets a 404 for an object of another organisation
    put in our URL."""
    address = url(name, org, **{kwarg: world[key].pk})
    assert client_for(people["admin"]).get(address).status_code == 404


def test_a_published_diagnosis_is_shown_to_anonymous_visitors(org, world, client_for):
    TerritorialDiagnosis.objects.filter(organisation=org).update(is_public=True)
    DiagnosisSection.objects.filter(pk=world["section"].pk).update(
        text="La mairie et le centre social.", sources="Cartographie"
    )
    response = client_for(None).get(url("diagnosis_public", org))
    assert response.status_code == 200
    assert "La mairie et le centre social." in response.content.decode()


def test_a_need_kept_within_the_team_is_not_public(org, people, client_for):
    hidden = NeedFactory(organisation=org, is_public=False, title="Sujet sensible")
    address = url("need_public_detail", org, need_pk=hidden.pk)
    assert client_for(None).get(address).status_code == 404
    assert client_for(people["participant"]).get(address).status_code == 404
    assert client_for(people["member"]).get(address).status_code == 200
    listing = client_for(people["participant"]).get(url("need_list_public", org))
    assert "Sujet sensible" not in listing.content.decode()


# Supporting ---------------------------------------------------------------


def test_a_participant_supports_a_need_and_withdraws(org, people, world, client_for):
    client = client_for(people["participant"])
    address = url("need_support", org, need_pk=world["need"].pk)
    response = client.post(address, {"next": url("need_list_public", org)})
    assert response.status_code == 302
    assert response["Location"] == url("need_list_public", org)
    assert NeedSupport.objects.filter(need=world["need"], user=people["participant"]).exists()
    client.post(address)
    assert NeedSupport.objects.count() == 1
    page = client.get(url("need_public_detail", org, need_pk=world["need"].pk)).content.decode()
    assert "Vous soutenez ce besoin." in page
    client.post(address, {"withdraw": "1"})
    assert not NeedSupport.objects.exists()


def test_anonymous_supporters_are_sent_to_login(org, world, client_for):
    response = client_for(None).post(url("need_support", org, need_pk=world["need"].pk))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    page = client_for(None).get(url("need_list_public", org)).content.decode()
    assert "Connectez-vous pour soutenir" in page
    assert not NeedSupport.objects.exists()


def test_people_outside_the_organisation_cannot_support(org, people, world, client_for):
    response = client_for(people["other_admin"]).post(
        url("need_support", org, need_pk=world["need"].pk)
    )
    assert response.status_code == 403
    assert not NeedSupport.objects.exists()


def test_supporting_an_addressed_need_says_why_it_did_not_count(org, people, client_for):
    need = NeedFactory(organisation=org, status=Need.Status.ADDRESSED)
    response = client_for(people["participant"]).post(
        url("need_support", org, need_pk=need.pk), follow=True
    )
    assert response.status_code == 200
    assert "ne reçoit plus de soutiens" in response.content.decode()
    assert not NeedSupport.objects.exists()


def test_htmx_gets_the_support_fragment(org, people, world, client_for):
    response = client_for(people["participant"]).post(
        url("need_support", org, need_pk=world["need"].pk), HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert "Merci : vous soutenez ce besoin." in content
    assert "1 personne soutient ce besoin" in content


def test_support_only_goes_back_to_pages_of_this_site(org, people, world, client_for):
    response = client_for(people["participant"]).post(
        url("need_support", org, need_pk=world["need"].pk), {"next": "https://evil.example/"}
    )
    assert response["Location"] == world["need"].get_public_url()


# Managing needs -------------------------------------------------------------


def test_a_facilitator_creates_a_need(org, people, client_for):
    response = client_for(people["facilitator"]).post(
        url("need_create", org),
        {
            "title": "Réparer les vélos",
            "description": "Pas de réparateur abordable.",
            "people_concerned": "Tous",
            "territory": "Wazemmes",
            "sources": ["contributions", "watch"],
            "coverage": "poorly_covered",
            "gap": "Pas le samedi",
            "priority": "3",
            "status": "open",
            "is_public": "on",
        },
    )
    need = Need.objects.get(title="Réparer les vélos")
    assert response.status_code == 302
    assert response["Location"] == url("need_detail", org, need_pk=need.pk)
    assert need.organisation == org
    assert need.sources == ["contributions", "watch"]
    assert need.priority == 3


def test_bad_input_gets_a_french_message_and_writes_nothing(org, people, client_for):
    response = client_for(people["facilitator"]).post(
        url("need_create", org),
        {"title": "", "description": "", "sources": ["rumeur"], "coverage": "x", "priority": "9"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Ce champ est obligatoire." in content
    assert "Veuillez corriger" in content or "corriger" in content
    assert not Need.objects.exists()


def test_a_facilitator_edits_and_deletes_a_need(org, people, world, client_for):
    client = client_for(people["facilitator"])
    need = world["need"]
    client.post(
        url("need_edit", org, need_pk=need.pk),
        {
            "title": need.title,
            "description": need.description,
            "coverage": "covered",
            "priority": "1",
            "status": "addressed",
        },
    )
    need.refresh_from_db()
    assert need.status == Need.Status.ADDRESSED
    assert need.sources == []
    response = client.post(url("need_delete", org, need_pk=need.pk))
    assert response["Location"] == url("need_list", org)
    assert not Need.objects.filter(pk=need.pk).exists()


def test_existing_offers_are_added_edited_and_deleted(org, people, world, client_for):
    client = client_for(people["facilitator"])
    need = world["need"]
    response = client.post(
        url("offer_add", org, need_pk=need.pk),
        {"provider_kind": "local_government", "provider_name": "Mairie", "description": "Lundi"},
    )
    assert response["Location"] == url("need_detail", org, need_pk=need.pk)
    offer = ExistingOffer.objects.get(provider_name="Mairie")
    client.post(
        url("offer_edit", org, existingoffer_pk=offer.pk),
        {"provider_kind": "company", "provider_name": "Mairie", "description": "Mardi"},
    )
    offer.refresh_from_db()
    assert offer.provider_kind == "company"
    client.post(url("offer_edit", org, existingoffer_pk=offer.pk), {"delete": "1"})
    assert not ExistingOffer.objects.filter(pk=offer.pk).exists()


def test_an_offer_without_description_is_refused_with_a_message(org, people, world, client_for):
    response = client_for(people["facilitator"]).post(
        url("offer_add", org, need_pk=world["need"].pk),
        {"provider_kind": "company", "provider_name": "X", "description": ""},
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert ExistingOffer.objects.count() == 1


def test_the_register_page_lists_and_filters(org, people, world, client_for):
    NeedFactory(organisation=org, title="Besoin couvert", coverage="covered")
    client = client_for(people["member"])
    content = client.get(url("need_list", org)).content.decode()
    assert "Garder les enfants" in content and "Besoin couvert" in content
    filtered = client.get(url("need_list", org), {"coverage": "covered"}).content.decode()
    assert "Besoin couvert" in filtered and "Garder les enfants" not in filtered
    # An unknown filter value is ignored, not an error.
    assert client.get(url("need_list", org), {"priority": "abc"}).status_code == 200


def test_members_read_the_register_without_the_linked_contributions(org, people, world, client_for):
    NeedContribution.objects.create(need=world["need"], contribution=world["contribution"])
    address = url("need_detail", org, need_pk=world["need"].pk)
    assert (
        "Une garderie le samedi" not in client_for(people["member"]).get(address).content.decode()
    )
    assert (
        "Une garderie le samedi" in client_for(people["facilitator"]).get(address).content.decode()
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_the_register_exports(org, people, world, client_for, fmt):
    response = client_for(people["member"]).post(url("need_export", org), {"format": fmt})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    if fmt == "csv":
        content = response.content.decode("utf-8-sig")
        assert content.splitlines()[0].startswith("Titre;Description")
        assert "Garder les enfants" in content
        assert "Centre social" in content


def test_an_unknown_export_format_is_a_clear_400(org, people, client_for):
    response = client_for(people["member"]).post(url("need_export", org), {"format": "pdf"})
    assert response.status_code == 400
    assert "Format de fichier non proposé" in response.content.decode()


# Linking contributions -----------------------------------------------------------


def test_linking_a_contribution_to_an_existing_need(org, people, world, client_for):
    address = url("contribution_link", org, contribution_pk=world["contribution"].pk)
    response = client_for(people["facilitator"]).post(
        address, {"action": "link", "need": world["need"].pk}
    )
    assert response.status_code == 302
    assert list(world["need"].contributions.all()) == [world["contribution"]]


def test_a_need_of_another_organisation_cannot_be_chosen(org, people, world, client_for):
    address = url("contribution_link", org, contribution_pk=world["contribution"].pk)
    response = client_for(people["facilitator"]).post(
        address, {"action": "link", "need": world["foreign_need"].pk}
    )
    assert response.status_code == 200
    assert "Choisissez un besoin de la liste." in response.content.decode()
    assert not NeedContribution.objects.exists()


def test_creating_a_need_from_a_contribution(org, people, world, client_for):
    address = url("contribution_link", org, contribution_pk=world["contribution"].pk)
    client = client_for(people["facilitator"])
    form = client.get(address).content.decode()
    assert 'value="Une garderie le samedi"' in form
    response = client.post(
        address,
        {
            "action": "create",
            "new-title": "Garde d'enfants le samedi",
            "new-description": "Les parents ne peuvent pas venir.",
            "new-sources": ["contributions"],
            "new-coverage": "not_covered",
            "new-priority": "3",
            "new-is_public": "on",
        },
    )
    assert response.status_code == 302
    need = Need.objects.get(title="Garde d'enfants le samedi")
    assert list(need.contributions.all()) == [world["contribution"]]
    page = client.get(address).content.decode()
    assert "Garde d&#x27;enfants le samedi" in page


def test_unlinking_goes_back_where_asked(org, people, world, client_for):
    NeedContribution.objects.create(need=world["need"], contribution=world["contribution"])
    back = url("contribution_link", org, contribution_pk=world["contribution"].pk)
    response = client_for(people["facilitator"]).post(
        url("need_unlink", org, need_pk=world["need"].pk),
        {"contribution": world["contribution"].pk, "next": back},
    )
    assert response["Location"] == back
    assert not NeedContribution.objects.exists()


def test_unlinking_a_contribution_of_another_organisation_does_nothing(
    org, people, world, client_for
):
    response = client_for(people["facilitator"]).post(
        url("need_unlink", org, need_pk=world["need"].pk),
        {"contribution": world["foreign_contribution"].pk},
        follow=True,
    )
    assert "Cet avis est introuvable." in response.content.decode()


# Territorial diagnosis --------------------------------------------------------


def test_a_facilitator_starts_and_fills_the_diagnosis(other_org, client_for):
    from faireavec.organisations.models import Role
    from faireavec.organisations.tests.factories import MembershipFactory

    facilitator = MembershipFactory(organisation=other_org, role=Role.FACILITATOR).user
    client = client_for(facilitator)
    response = client.post(url("diagnosis_manage", other_org), {"summary": "Vallée rurale"})
    assert response.status_code == 302
    diagnosis = TerritorialDiagnosis.objects.get(organisation=other_org)
    assert diagnosis.sections.count() == 9
    assert not diagnosis.is_public
    section = diagnosis.sections.get(kind=DiagnosisSection.Kind.NATURAL_RESOURCES)
    response = client.post(
        url("diagnosis_section_edit", other_org, diagnosissection_pk=section.pk),
        {"text": "Forêts et rivières.", "sources": "ONF", "as_of": "2026-03-01"},
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.text == "Forêts et rivières."
    assert str(section.as_of) == "2026-03-01"
    assert AuditEntry.objects.filter(action="diagnosis.section_update").exists()


def test_a_bad_date_in_a_section_is_refused_with_a_message(org, people, world, client_for):
    response = client_for(people["facilitator"]).post(
        url("diagnosis_section_edit", org, diagnosissection_pk=world["section"].pk),
        {"text": "Texte", "sources": "", "as_of": "32/13/2026"},
    )
    assert response.status_code == 200
    assert "Saisissez une date valide." in response.content.decode()
    world["section"].refresh_from_db()
    assert world["section"].text == ""


def test_menus_show_the_needs_links_by_role(org, people, world, client_for):
    participant_home = client_for(people["participant"]).get(
        reverse("organisations:home", kwargs={"org_slug": org.slug})
    )
    assert url("need_list_public", org) in participant_home.content.decode()
    backoffice = client_for(people["facilitator"]).get(
        reverse("organisations:backoffice_home", kwargs={"org_slug": org.slug})
    )
    content = backoffice.content.decode()
    assert url("need_list", org) in content
    assert url("diagnosis_manage", org) in content


# Includes for the contributions pages ---------------------------------------------


def _render_include(name, *, user, org, contribution, path="/la-ruche/gestion/avis/1/"):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    return render_to_string(
        f"needs/includes/{name}.html",
        {"contribution": contribution, "organisation": org, "user": request.user},
        request=request,
    )


@pytest.mark.parametrize("role", ["participant", "member", "other_admin"])
def test_the_contribution_includes_show_nothing_to_people_who_cannot_link(org, people, world, role):
    for name in ("contribution_needs", "contribution_link_button"):
        html = _render_include(name, user=people[role], org=org, contribution=world["contribution"])
        assert html.strip() == ""


def test_the_contribution_page_include_lists_the_linked_needs(org, people, world):
    NeedContribution.objects.create(need=world["need"], contribution=world["contribution"])
    html = _render_include(
        "contribution_needs",
        user=people["facilitator"],
        org=org,
        contribution=world["contribution"],
    )
    assert "Besoins qu&#x27;il révèle" in html or "Besoins qu'il révèle" in html
    assert url("need_detail", org, need_pk=world["need"].pk) in html
    link = url("contribution_link", org, contribution_pk=world["contribution"].pk)
    assert f"{link}?next=/la-ruche/gestion/avis/1/" in html


def test_the_inbox_row_include_links_to_the_linking_page(org, people, world):
    html = _render_include(
        "contribution_link_button",
        user=people["admin"],
        org=org,
        contribution=world["contribution"],
        path="/la-ruche/gestion/avis/?kind=idea",
    )
    link = url("contribution_link", org, contribution_pk=world["contribution"].pk)
    assert f'href="{link}?next=/la-ruche/gestion/avis/%3Fkind%3Didea"' in html
    assert "Relier à un besoin" in html


def test_public_need_pages_explain_the_existing_offer(org, client_for):
    """« Couverture par l'offre existante » comes with plain words beside it."""
    need = NeedFactory(organisation=org, is_public=True)
    client = client_for(None)
    detail = client.get(url("need_public_detail", org, need_pk=need.pk)).content.decode()
    assert "ce qui existe déjà ici (services publics, associations, entreprises)" in detail
    listing = client.get(url("need_list_public", org)).content.decode()
    assert "Offre existante : non couvert" in listing
