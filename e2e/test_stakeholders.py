"""The stakeholder register, as a facilitator uses it: in French, on a phone,
without JavaScript.

Karim, facilitator of « La Ruche », adds the City of Lille to the register,
logs a meeting with it, filters the map down to public authorities, opens the
grid with the same filters, downloads the filtered register, tries an import
full of mistakes that writes nothing, then imports a good file and follows the
background job to its end. axe checks every page he sees.
"""

import re
from datetime import date, timedelta

import pytest
import tablib
from playwright.sync_api import expect

from e2e.helpers import login_with_password
from faireavec.accounts.tests.factories import UserFactory
from faireavec.organisations.models import Role
from faireavec.organisations.tests.factories import MembershipFactory, OrganisationFactory
from faireavec.stakeholders.models import Category, Interaction, Stakeholder
from faireavec.stakeholders.tests.factories import StakeholderFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "motdepasse-solide-42"


@pytest.fixture
def world():
    org = OrganisationFactory(name="La Ruche", slug="la-ruche")
    karim = UserFactory(email="karim@example.org", display_name="Karim Benali", password=PASSWORD)
    karim.emailaddress_set.create(email="karim@example.org", verified=True, primary=True)
    MembershipFactory(organisation=org, user=karim, role=Role.FACILITATOR)
    StakeholderFactory(organisation=org, name="Bénévoles du café", category=Category.VOLUNTEERS)
    return {"org": org, "karim": karim}


def test_a_facilitator_builds_the_register_logs_a_contact_filters_the_map_and_exports(
    page, check_a11y, world, tmp_path
):
    login_with_password(page, "karim@example.org", PASSWORD)
    page.goto("/la-ruche/gestion/")
    check_a11y(page)
    page.get_by_role("navigation", name="Menu de la gestion").get_by_role(
        "link", name="Parties prenantes", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registre des parties prenantes")
    check_a11y(page)

    # An empty form is refused in French; nothing is written.
    page.get_by_role("link", name="Ajouter une partie prenante").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle partie prenante")
    check_a11y(page)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_contain_text("Ce champ est obligatoire.")
    check_a11y(page)
    assert Stakeholder.objects.count() == 1

    # A stakeholder with contact details and a gap between its current and target level.
    page.get_by_label("une organisation").check()
    page.get_by_label("Nom (obligatoire)").fill("Ville de Lille")
    page.get_by_label("Catégorie (obligatoire)").select_option(
        label="pouvoirs publics et collectivités"
    )
    page.get_by_label("Territoire").fill("Wazemmes")
    page.get_by_label("Étiquettes").fill("quartier, financement")
    page.get_by_label("Niveau d\u2019implication actuel").select_option(label="consulter")
    page.get_by_label("Niveau d\u2019implication visé").select_option(label="co-construire")
    page.get_by_label("un comité").check()
    page.get_by_label("Influence (de 1 à 5)").select_option("5")
    page.get_by_label("Courriel").fill("contact@ville.example")
    page.get_by_role("button", name="Enregistrer").click()
    # Contact details without a basis: refused, with a message on the field.
    expect(page.get_by_role("alert")).to_contain_text("consentement ou intérêt légitime")
    check_a11y(page)
    page.get_by_label("Base de conservation des coordonnées").select_option(
        label="intérêt légitime"
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ville de Lille")
    expect(page.get_by_role("status")).to_contain_text("est enregistré dans le registre")
    check_a11y(page)
    city = Stakeholder.objects.get(name="Ville de Lille")
    assert (city.current_level, city.target_level, city.influence) == (2, 4, 5)

    # Log a meeting.
    page.get_by_label("Type d\u2019échange").select_option(label="rencontre")
    page.get_by_label("Qui était là").fill("Karim, Mme Leroy")
    page.get_by_role("textbox", name="Note", exact=True).fill(
        "Présentation du projet de cuisine partagée."
    )
    page.get_by_role("button", name="Noter l\u2019échange").click()
    expect(page.get_by_role("status")).to_contain_text("L\u2019échange est noté.")
    expect(page.get_by_text("Présentation du projet de cuisine partagée.")).to_be_visible()
    check_a11y(page)
    assert Interaction.objects.filter(stakeholder=city, kind="meeting").count() == 1

    # The map, filtered to public authorities: the filter is in the URL.
    page.get_by_role("navigation", name="Pages des parties prenantes").get_by_role(
        "link", name="Carte"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Carte des parties prenantes")
    check_a11y(page)
    page.get_by_label("Catégorie").select_option(label="pouvoirs publics et collectivités")
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page).to_have_url(re.compile(r"category=public_authorities"))
    expect(page.get_by_role("img", name=re.compile(r"^Ville de Lille — "))).to_have_count(1)
    expect(page.get_by_role("link", name="Ville de Lille", exact=True)).to_have_count(1)
    expect(page.get_by_role("img", name=re.compile("Bénévoles du café"))).to_have_count(0)
    table = page.locator("#map-table")
    expect(table.get_by_role("row")).to_have_count(2)
    check_a11y(page)

    # Export what the filtered map shows.
    with page.expect_download() as download_info:
        table.get_by_role("button", name="Fichier XLSX").click()
    path = tmp_path / "carte.xlsx"
    download_info.value.save_as(path)
    exported = tablib.Dataset().load(path.read_bytes(), format="xlsx")
    assert exported.get_col(0) == ["Ville de Lille"]

    # The grid keeps the same filters.
    page.get_by_role("navigation", name="Pages des parties prenantes").get_by_role(
        "link", name="Grille pouvoir/intérêt"
    ).click()
    expect(page).to_have_url(re.compile(r"category=public_authorities"))
    expect(page.locator("#grid-table")).to_contain_text("Ville de Lille")
    expect(page.locator("#grid-table")).not_to_contain_text("Bénévoles du café")
    check_a11y(page)

    # Export the filtered register.
    page.get_by_role("navigation", name="Pages des parties prenantes").get_by_role(
        "link", name="Registre"
    ).click()
    page.get_by_label("Catégorie").select_option(label="pouvoirs publics et collectivités")
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("correspond"))).to_be_visible()
    check_a11y(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Fichier CSV").click()
    path = tmp_path / "export.csv"
    download_info.value.save_as(path)
    content = path.read_text(encoding="utf-8-sig")
    assert "Ville de Lille" in content and "contact@ville.example" in content
    assert "Bénévoles du café" not in content

    # An import full of mistakes shows each of them and writes nothing.
    page.get_by_role("navigation", name="Pages des parties prenantes").get_by_role(
        "link", name="Importer"
    ).click()
    check_a11y(page)
    bad = tmp_path / "erreurs.csv"
    bad.write_text(
        "Nom,Catégorie,Courriel\n"
        ",bénévoles,\n"
        "Collectif X,licornes,\n"
        "Autre,bénévoles,contact@ville.example\n",
        encoding="utf-8",
    )
    page.get_by_label("Tableau à importer").set_input_files(str(bad))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier l\u2019import")
    problems = page.locator(".import-problems")
    expect(problems).to_contain_text("Nom : Ce champ est obligatoire.")
    expect(problems).to_contain_text("licornes n\u2019en fait pas partie.")
    expect(problems).to_contain_text(
        "Déjà dans le registre avec le même courriel : Ville de Lille."
    )
    expect(page.get_by_role("button", name=re.compile("^Importer"))).to_have_count(0)
    check_a11y(page)
    page.get_by_role("button", name="Annuler et choisir un autre fichier").click()
    expect(page.get_by_role("status")).to_contain_text("rien n\u2019a été enregistré")
    check_a11y(page)
    assert Stakeholder.objects.count() == 2

    # A good file: the confirmation starts a background job; its page says when
    # it is finished and links to the register.
    good = tmp_path / "liste.csv"
    good.write_text(
        "Nom,Catégorie,Territoire\nMme Roux,bénévoles,Fives\nSCOP Atelier Bois,financeurs,\n",
        encoding="utf-8",
    )
    page.get_by_label("Tableau à importer").set_input_files(str(good))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier l\u2019import")
    expect(page.get_by_text("en arrière-plan")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Importer les 2 lignes valides").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import de 2 parties prenantes")
    expect(page).to_have_url(re.compile(r"/la-ruche/gestion/taches/[0-9a-f-]{36}/$"))
    expect(page.locator("#job-progress")).to_contain_text("terminé")
    expect(page.locator("#job-progress")).to_contain_text(
        "2 parties prenantes sont ajoutées au registre."
    )
    check_a11y(page)
    page.get_by_role("link", name="Voir le résultat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registre des parties prenantes")
    expect(page.get_by_role("link", name="Mme Roux")).to_be_visible()
    check_a11y(page)
    assert Stakeholder.objects.count() == 4


def test_other_register_pages_and_the_members_map_are_accessible(page, new_page, check_a11y, world):
    """The « to review » list, sub-categories, edit and delete pages, and the map
    as a member sees it (no links, no contact details) pass axe."""
    org = world["org"]
    forgotten = StakeholderFactory(
        organisation=org,
        name="Collectif oublié",
        category=Category.CIVIL_SOCIETY,
        reviewed_on=date.today() - timedelta(days=800),
        email="collectif@example.org",
        contact_basis="consent",
        current_level=1,
        target_level=3,
    )
    login_with_password(page, "karim@example.org", PASSWORD)
    page.goto("/la-ruche/gestion/parties-prenantes/")
    check_a11y(page)
    page.get_by_role("link", name="1 partie prenante à revoir").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Parties prenantes à revoir")
    expect(page.get_by_role("row", name=re.compile("Collectif oublié"))).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Marquer comme revue : Collectif oublié").click()
    expect(page.get_by_text("Personne à revoir")).to_be_visible()
    check_a11y(page)

    page.get_by_role("navigation", name="Pages des parties prenantes").get_by_role(
        "link", name="Sous-catégories"
    ).click()
    page.get_by_label("Catégorie").select_option(label="financeurs")
    page.get_by_label("Nom").fill("Fondations")
    page.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_role("status")).to_contain_text(
        "La sous-catégorie « Fondations » est ajoutée."
    )
    check_a11y(page)

    page.goto(f"/la-ruche/gestion/parties-prenantes/{forgotten.pk}/modifier/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifier Collectif oublié")
    check_a11y(page)
    page.goto(f"/la-ruche/gestion/parties-prenantes/{forgotten.pk}/supprimer/")
    check_a11y(page)

    org.members_see_stakeholder_map = True
    org.save()
    jeanne = UserFactory(email="jeanne@example.org", password=PASSWORD)
    jeanne.emailaddress_set.create(email="jeanne@example.org", verified=True, primary=True)
    MembershipFactory(organisation=org, user=jeanne, role=Role.MEMBER)
    member = new_page()
    login_with_password(member, "jeanne@example.org", PASSWORD)
    member.goto("/la-ruche/gestion/")
    check_a11y(member)
    member.get_by_role("navigation", name="Menu de la gestion").get_by_role(
        "link", name="Carte des parties prenantes"
    ).click()
    expect(member.get_by_role("img", name=re.compile("^Collectif oublié — "))).to_have_count(1)
    expect(member.get_by_role("link", name=re.compile("Collectif oublié"))).to_have_count(0)
    assert "collectif@example.org" not in member.content()
    check_a11y(member)
    member.get_by_role("navigation", name="Pages des parties prenantes").get_by_role(
        "link", name="Grille pouvoir/intérêt"
    ).click()
    check_a11y(member)
