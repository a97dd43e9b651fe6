"""The needs register, as people use it: in French, on a phone, without JavaScript.

Karim, facilitator of « La Ruche », records a need that came up at a pow-wow
and in the idea box, with the existing offer that only partly answers it.
Lucas, a participant, finds it on the public needs page and supports it.
axe checks every page they see.
"""

import pytest
from playwright.sync_api import expect

from e2e.helpers import login_with_password, open_menu
from faireavec.accounts.tests.factories import UserFactory
from faireavec.needs.models import ExistingOffer, Need, NeedSupport
from faireavec.needs.tests.factories import ContributionFactory
from faireavec.organisations.models import Role
from faireavec.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "motdepasse-solide-42"


def _person(org, email, name, role):
    user = UserFactory(email=email, display_name=name, password=PASSWORD)
    user.emailaddress_set.create(email=email, verified=True, primary=True)
    MembershipFactory(organisation=org, user=user, role=role)
    return user


@pytest.fixture
def world():
    org = OrganisationFactory(name="La Ruche", slug="la-ruche")
    return {
        "org": org,
        "karim": _person(org, "karim@example.org", "Karim Benali", Role.FACILITATOR),
        "lucas": _person(org, "lucas@example.org", "Lucas Martin", Role.PARTICIPANT),
    }


def test_a_facilitator_records_a_need_and_a_participant_supports_it(
    page, new_page, check_a11y, world
):
    # Karim opens the register from the back-office menu.
    login_with_password(page, "karim@example.org", PASSWORD)
    page.goto("/la-ruche/gestion/")
    check_a11y(page)
    page.get_by_role("navigation", name="Menu de la gestion").get_by_role(
        "link", name="Registre des besoins"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registre des besoins")
    expect(page.get_by_text("Le registre ne contient encore aucun besoin.")).to_be_visible()
    check_a11y(page)

    # An empty form is refused with a French message, and nothing is written.
    page.get_by_role("link", name="Ajouter un besoin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter un besoin")
    check_a11y(page)
    page.get_by_role("button", name="Ajouter le besoin").click()
    expect(page.get_by_role("alert")).to_contain_text("Ce champ est obligatoire.")
    check_a11y(page)
    assert not Need.objects.exists()

    # He fills it in.
    page.get_by_label("Titre (obligatoire)").fill("Réparer les vélos sans se ruiner")
    page.get_by_label("Description (obligatoire)").fill(
        "Beaucoup de jeunes ont un vélo cassé et ne savent pas le réparer."
    )
    page.get_by_label("Personnes concernées", exact=True).fill("Jeunes du quartier, familles")
    page.get_by_label("Territoire", exact=True).fill("Wazemmes")
    page.get_by_label("avis reçus", exact=True).check()
    page.get_by_label("réunion", exact=True).check()
    page.get_by_label("mal couvert", exact=True).check()
    page.get_by_label("Ce qui manque", exact=True).fill("Rien pour les vélos, et jamais le samedi.")
    page.get_by_label("Priorité (obligatoire)").select_option(label="haute")
    page.get_by_role("button", name="Ajouter le besoin").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Réparer les vélos sans se ruiner")
    expect(page.get_by_role("status")).to_contain_text("est ajouté")
    check_a11y(page)

    # The existing offer: who already answers this need, in part.
    page.get_by_label("Proposé par (obligatoire)").select_option(label="autre association")
    page.get_by_label("Nom de qui le propose", exact=True).fill("Repair café de Wazemmes")
    page.get_by_label("Ce qui est proposé (obligatoire)").fill(
        "Un samedi par mois, petits appareils seulement."
    )
    page.get_by_role("button", name="Ajouter l'offre").click()
    expect(page.get_by_role("status")).to_contain_text("L'offre existante est ajoutée.")
    offers = page.get_by_role("table")
    expect(offers).to_contain_text("Repair café de Wazemmes")
    expect(offers).to_contain_text("Autre association")
    check_a11y(page)

    need = Need.objects.get()
    assert need.organisation == world["org"]
    assert need.sources == ["contributions", "meeting"]
    assert need.coverage == Need.Coverage.POORLY_COVERED
    assert need.priority == Need.Priority.HIGH
    assert ExistingOffer.objects.get().need == need

    # A visitor sees the need and is asked to sign in to support it.
    visitor = new_page()
    visitor.goto("/la-ruche/besoins/")
    expect(visitor.get_by_role("main").get_by_role("heading", level=2)).to_have_text(
        "Réparer les vélos sans se ruiner"
    )
    expect(visitor.get_by_role("link", name="Connectez-vous pour soutenir")).to_be_visible()
    check_a11y(visitor)

    # Lucas signs in, finds it from the organisation's menu and supports it.
    lucas = new_page()
    login_with_password(lucas, "lucas@example.org", PASSWORD)
    lucas.goto("/la-ruche/")
    check_a11y(lucas)
    open_menu(lucas)  # folded on a phone
    lucas.get_by_role("navigation", name="Menu de l'organisation").get_by_role(
        "link", name="Besoins"
    ).click()
    expect(lucas.get_by_role("heading", level=1)).to_have_text("Besoins")
    card = lucas.get_by_role("listitem").filter(has_text="Réparer les vélos sans se ruiner")
    expect(card).to_contain_text("0 personne soutient ce besoin")
    check_a11y(lucas)
    card.get_by_role("button", name="Je soutiens").click()

    expect(lucas.get_by_role("status")).to_contain_text("Merci : vous soutenez ce besoin.")
    card = lucas.get_by_role("listitem").filter(has_text="Réparer les vélos sans se ruiner")
    expect(card).to_contain_text("1 personne soutient ce besoin")
    expect(card).to_contain_text("Vous soutenez ce besoin.")
    expect(card.get_by_role("button", name="Retirer mon soutien")).to_be_visible()
    check_a11y(lucas)

    # The need's own page shows the existing offer and his support.
    lucas.get_by_role("link", name="Réparer les vélos sans se ruiner").click()
    expect(lucas.get_by_role("heading", level=1)).to_have_text("Réparer les vélos sans se ruiner")
    expect(lucas.get_by_text("Repair café de Wazemmes", exact=False)).to_be_visible()
    expect(lucas.get_by_text("Vous soutenez ce besoin.")).to_be_visible()
    check_a11y(lucas)

    assert list(NeedSupport.objects.values_list("user__email", flat=True)) == ["lucas@example.org"]

    # Karim sees the support in the register.
    page.get_by_role("link", name="Retour au registre").click()
    row = page.get_by_role("row").filter(has_text="Réparer les vélos sans se ruiner")
    expect(row.get_by_role("cell").nth(4)).to_have_text("1")
    check_a11y(page)


def test_a_facilitator_writes_the_diagnosis_and_turns_a_contribution_into_a_need(
    page, new_page, check_a11y, world
):
    contribution = ContributionFactory(
        organisation=world["org"],
        title="Rampe d'accès absente",
        body="La rampe n'était pas là et je n'ai pas pu entrer avec mon fauteuil.",
    )
    login_with_password(page, "karim@example.org", PASSWORD)

    # The territorial diagnosis: started, one section filled, shown to everyone.
    page.goto("/la-ruche/gestion/")
    check_a11y(page)
    page.get_by_role("navigation", name="Menu de la gestion").get_by_role(
        "link", name="Diagnostic de territoire"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diagnostic de territoire")
    check_a11y(page)
    page.get_by_label("Résumé", exact=True).fill(
        "Un quartier populaire et jeune, autour de son marché."
    )
    page.get_by_label("Montrer le diagnostic sur les pages publiques").check()
    page.get_by_role("button", name="Commencer le diagnostic").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Le diagnostic de territoire est enregistré."
    )
    expect(page.get_by_role("heading", level=2, name="Ressources")).to_be_visible()
    check_a11y(page)

    page.get_by_role("link", name="Ressources naturelles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ressources naturelles")
    check_a11y(page)
    page.get_by_label("Texte", exact=True).fill("Peu d'espaces verts ; deux friches à reprendre.")
    page.get_by_label("Sources", exact=True).fill("Plan local d'urbanisme")
    page.get_by_label("Date des informations").fill("2026-03-01")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("« ressources naturelles » est enregistrée")
    row = page.get_by_role("row").filter(has_text="Ressources naturelles")
    expect(row).to_contain_text("rédigée")
    check_a11y(page)

    visitor = new_page()
    visitor.goto("/la-ruche/diagnostic/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Notre territoire")
    expect(visitor.get_by_text("deux friches à reprendre")).to_be_visible()
    expect(visitor.get_by_text("Plan local d'urbanisme", exact=False)).to_be_visible()
    check_a11y(visitor)

    # From the inbox: a complaint reveals a need nobody had listed yet.
    page.goto(f"/la-ruche/gestion/besoins/depuis-avis/{contribution.pk}/?next=/la-ruche/gestion/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Relier un avis à un besoin")
    expect(page.get_by_text("Cet avis n'est encore relié à aucun besoin.")).to_be_visible()
    check_a11y(page)
    expect(page.get_by_label("Titre (obligatoire)")).to_have_value("Rampe d'accès absente")
    page.get_by_label("Titre (obligatoire)").fill("Entrer partout en fauteuil")
    page.get_by_role("button", name="Créer le besoin et le relier").click()
    expect(page.get_by_role("status")).to_contain_text("est créé et relié à l'avis")
    linked = page.get_by_role("region", name="Besoins auxquels il est relié")
    expect(linked.get_by_role("link", name="Entrer partout en fauteuil")).to_be_visible()
    check_a11y(page)

    linked.get_by_role("link", name="Entrer partout en fauteuil").click()
    section = page.get_by_role("region", name="Avis qui révèlent ce besoin")
    expect(section).to_contain_text("Rampe d'accès absente")
    check_a11y(page)
    need = Need.objects.get(title="Entrer partout en fauteuil")
    assert list(need.contributions.all()) == [contribution]
    assert "contributions" in need.sources


def test_a_facilitator_notes_a_policy_change_in_the_watch_log(page, new_page, check_a11y, world):
    """Karim notes in the watch log that the CAF moves its forms online, expecting more
    people to need help; the entry shows on the need and in the public diagnosis."""
    from faireavec.needs.models import WatchEntry
    from faireavec.needs.services import diagnosis_save
    from faireavec.needs.tests.factories import NeedFactory

    need = NeedFactory(organisation=world["org"], title="Aide aux démarches en ligne")
    diagnosis_save(actor=None, organisation=world["org"], summary="Un quartier.", is_public=True)
    login_with_password(page, "karim@example.org", PASSWORD)
    page.goto("/la-ruche/gestion/")
    check_a11y(page)
    page.get_by_role("navigation", name="Menu de la gestion").get_by_role(
        "link", name="Veille"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Veille")
    expect(page.get_by_text("La veille est vide.", exact=False)).to_be_visible()
    check_a11y(page)

    page.get_by_role("link", name="Ajouter une entrée de veille").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter une entrée de veille")
    check_a11y(page)
    page.get_by_role("button", name="Ajouter l'entrée").click()
    expect(page.get_by_role("alert")).to_contain_text("Ce champ est obligatoire.")
    check_a11y(page)
    assert not WatchEntry.objects.exists()

    page.get_by_label("Date des informations (obligatoire)").fill("2026-09-15")
    page.get_by_label("Type (obligatoire)").select_option(label="changement de politique ou de loi")
    page.get_by_label("Titre (obligatoire)").fill("Les demandes de RSA passent en ligne")
    page.get_by_label("Source (obligatoire)").fill("CAF du Nord")
    page.get_by_label("Ce qu'elle dit (obligatoire)").fill(
        "À partir de janvier, les demandes se font uniquement en ligne."
    )
    page.get_by_label("les besoins vont augmenter").check()
    page.get_by_label("en quantité (combien de personnes)").check()
    page.get_by_label("Aide aux démarches en ligne").check()
    page.get_by_label("Partie du diagnostic de territoire").select_option(label="acteurs")
    page.get_by_label("Montré sur les pages publiques", exact=False).check()
    page.get_by_role("button", name="Ajouter l'entrée").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Les demandes de RSA passent en ligne"
    )
    expect(page.get_by_role("status")).to_contain_text("est ajoutée à la veille")
    expect(page.get_by_text("Les besoins vont augmenter, en quantité", exact=False)).to_be_visible()
    check_a11y(page)
    entry = WatchEntry.objects.get()
    assert list(entry.needs.all()) == [need]
    assert entry.direction == WatchEntry.Direction.UP

    # The need's page says what may change it.
    page.get_by_role("link", name="Aide aux démarches en ligne").click()
    expect(page.get_by_role("region", name="Ce qui peut changer ce besoin")).to_contain_text(
        "Les demandes de RSA passent en ligne"
    )
    check_a11y(page)

    # A visitor reads it with the public diagnosis.
    visitor = new_page()
    visitor.goto("/la-ruche/diagnostic/")
    region = visitor.get_by_role("region", name="Ce qui peut changer")
    expect(region).to_contain_text("Les demandes de RSA passent en ligne")
    expect(region).to_contain_text("CAF du Nord")
    check_a11y(visitor)
