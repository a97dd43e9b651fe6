"""Draws by lot, as people use them: in French, on a phone, without JavaScript.

Zoé, who has no account, volunteers for the strategic plan's panel on her phone
(320 px wide). Karim, facilitator, opens the pool and the result of the draw:
the seed, every volunteer's chance, the three methods side by side.
axe checks every page they see.
"""

import pytest
from playwright.sync_api import expect

from e2e.helpers import login_with_password
from faireavec.accounts.tests.factories import UserFactory
from faireavec.organisations.models import Role
from faireavec.organisations.tests.factories import MembershipFactory, OrganisationFactory
from faireavec.sortition import services
from faireavec.sortition.models import Draw, Volunteer
from faireavec.sortition.tests.factories import make_pool

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "motdepasse-solide-42"


@pytest.fixture
def world():
    org = OrganisationFactory(name="La Ruche", slug="la-ruche")
    karim = UserFactory(email="karim@example.org", display_name="Karim Benali", password=PASSWORD)
    karim.emailaddress_set.create(email="karim@example.org", verified=True, primary=True)
    MembershipFactory(organisation=org, user=karim, role=Role.FACILITATOR)
    pool = make_pool(organisation=org, actor=karim)
    return {"org": org, "karim": karim, "pool": pool}


def test_a_volunteer_registers_on_a_small_phone_without_an_account(new_page, check_a11y, world):
    page = new_page()
    page.set_viewport_size({"width": 320, "height": 640})
    pool = world["pool"]
    page.goto(f"/la-ruche/tirage/{pool.pk}/inscription/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Se porter volontaire")
    check_a11y(page)
    # Sent without the consent: refused, in French, nothing written
    page.get_by_label("Votre nom").fill("Zoé Lambert")
    page.get_by_label("Votre e-mail ou numéro de téléphone").fill("zoe@example.org")
    page.get_by_role("group", name="Genre").get_by_label("F").check()
    page.get_by_role("group", name="Âge").get_by_label("Jeune").check()
    page.get_by_role("button", name="M'inscrire comme volontaire").click()
    expect(page.get_by_text("Cochez la case pour donner votre accord").first).to_be_visible()
    check_a11y(page)
    assert not Volunteer.objects.filter(name="Zoé Lambert").exists()
    page.get_by_label("J'accepte que l'organisation").check()
    page.get_by_role("button", name="M'inscrire comme volontaire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci, vous êtes inscrit·e")
    check_a11y(page)
    assert Volunteer.objects.get(name="Zoé Lambert").consent_at is not None


def test_a_facilitator_reads_the_result_of_a_draw(page, check_a11y, world):
    pool = world["pool"]
    draw = services.draw_compute(
        draw=Draw.objects.create(
            pool=pool, seed="4 11 19 32 45 — 7", seed_source="Loto", requested_by=world["karim"]
        )
    )
    login_with_password(page, "karim@example.org", PASSWORD)
    page.goto(f"/la-ruche/gestion/tirages/{pool.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(pool.title)
    check_a11y(page)
    page.goto(f"/la-ruche/gestion/tirages/resultat/{draw.pk}/")
    expect(page.get_by_text("« 4 11 19 32 45 — 7 »").first).to_be_visible()
    expect(page.get_by_role("table", name="Équité de chaque méthode")).to_contain_text("Leximin")
    expect(page.get_by_role("table", name="Équité de chaque méthode")).to_contain_text(
        "Uniforme sous quotas"
    )
    check_a11y(page)


def test_a_facilitator_imports_volunteers_with_a_preview_on_a_phone(new_page, check_a11y, world):
    """Karim, on a 320 px phone without JavaScript, sends a file: the preview lists the
    row with an unknown value and the rows ready; confirming imports them all at once."""
    pool = world["pool"]
    page = new_page()
    page.set_viewport_size({"width": 320, "height": 640})
    login_with_password(page, "karim@example.org", PASSWORD)
    page.goto(f"/la-ruche/gestion/tirages/{pool.pk}/volontaires/importer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer des volontaires")
    check_a11y(page)
    csv = (
        "Nom;Contact;Genre;Âge\n"
        "Léon Dupuis;leon@example.org;H;Jeune\n"
        "Mina Sow;06 11 22 33 44;f;aîné\n"
        "Inès Roux;ines@example.org;F;Centenaire\n"
    )
    page.get_by_label("Fichier (CSV, XLSX ou ODS)").set_input_files(
        files=[{"name": "volontaires.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
    )
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier l\u2019import")
    problems = page.get_by_role("region", name="Lignes avec des problèmes").last
    expect(problems).to_contain_text("« Centenaire » n'est pas une valeur de « Âge »")
    expect(page.get_by_role("region", name="Lignes prêtes").last).to_contain_text("Mina Sow")
    check_a11y(page)
    assert not Volunteer.objects.filter(name="Léon Dupuis").exists()
    page.get_by_label("Chaque personne du fichier a donné son accord").check()
    page.get_by_role("button", name="Importer les 2 lignes valides").click()
    expect(page.get_by_text("2 volontaires importé·es.")).to_be_visible()
    check_a11y(page)
    imported = Volunteer.objects.filter(pool=pool, source="import")
    assert sorted(v.name for v in imported) == ["Léon Dupuis", "Mina Sow"]
    assert all(v.consent_at is not None for v in imported)
