"""The shared back-office pages of core, as an administrator uses them: in
French, on a phone, without JavaScript.

Claire, administrator of « La Ruche », reads the activity log, narrows it to
one person, downloads it, then follows an import in the background: the page
has no JavaScript to update it, so she presses « Actualiser » until it is done.
axe checks every page she sees.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from e2e.helpers import login_with_password
from faireavec.accounts.tests.factories import UserFactory
from faireavec.core.audit import audit_log
from faireavec.core.exports import export_content, export_filename, read_table
from faireavec.core.jobs import job_finish, job_progress, job_save_file
from faireavec.core.models import BackgroundJob
from faireavec.organisations.models import Role
from faireavec.organisations.tests.factories import MembershipFactory, OrganisationFactory


def job_save_export(*, job_id: int, filename: str, headers, rows, fmt: str) -> str:
    """A table kept as the job's file, as the background export leaves it."""
    content = export_content(headers=headers, rows=rows, fmt=fmt)
    return job_save_file(job_id=job_id, filename=export_filename(filename, fmt), content=content)


pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "motdepasse-solide-42"


@pytest.fixture
def world():
    org = OrganisationFactory(name="La Ruche", slug="la-ruche")
    claire = UserFactory(
        email="claire@example.org", display_name="Claire Dubois", password=PASSWORD
    )
    claire.emailaddress_set.create(email=claire.email, verified=True, primary=True)
    karim = UserFactory(email="karim@example.org", display_name="Karim Benali")
    MembershipFactory(organisation=org, user=claire, role=Role.ADMIN)
    MembershipFactory(organisation=org, user=karim, role=Role.FACILITATOR)
    audit_log(actor=claire, organisation=org, action="organisation.update", target=org)
    audit_log(
        actor=karim, organisation=org, action="invitation.create", details={"role": "participant"}
    )
    other = OrganisationFactory(name="Ailleurs", slug="ailleurs")
    audit_log(actor=None, organisation=other, action="secret.elsewhere")
    return {"org": org, "claire": claire, "karim": karim}


def test_admin_reads_filters_and_downloads_the_activity_log(page, check_a11y, world):
    login_with_password(page, "claire@example.org", PASSWORD)
    page.goto("/la-ruche/gestion/")
    check_a11y(page)
    page.get_by_role("navigation", name="Menu de la gestion").get_by_role(
        "link", name="Journal d'activité"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Journal d'activité")
    check_a11y(page)
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(3)  # header + 2 entries
    expect(table).not_to_contain_text("secret.elsewhere")

    page.get_by_label("Personne").select_option(label="Karim Benali")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"actor="))
    expect(table.get_by_role("row")).to_have_count(2)
    expect(table).to_contain_text("Karim Benali a créé l'invitation")
    check_a11y(page)

    with page.expect_download() as download_info:
        # A form (POST with the filters): downloading is recorded, and a GET writes nothing.
        page.get_by_role("button", name="Fichier CSV").click()
    download = download_info.value
    assert re.fullmatch(
        r"journal-activite-[a-z-]+-\d{4}-\d\d-\d\d\.csv", download.suggested_filename
    )
    with open(download.path(), "rb") as f:
        headers, rows = read_table(SimpleUploadedFile("journal.csv", f.read()))
    assert headers[0] == "Date"
    assert [row["Personne"] for row in rows] == ["Karim Benali"]

    page.get_by_role("link", name="Tout afficher").click()
    expect(table.get_by_role("row")).to_have_count(4)  # the export itself is now logged
    check_a11y(page)


def test_admin_follows_a_background_job_without_javascript(page, check_a11y, world):
    job = BackgroundJob.objects.create(
        organisation=world["org"],
        requested_by=world["claire"],
        label="Import des adhérents",
        total=40,
    )
    job_progress(job_id=job.pk, done=10, message="Ligne 10 sur 40")
    login_with_password(page, "claire@example.org", PASSWORD)
    page.goto(job.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Import des adhérents")
    progress = page.get_by_role("progressbar", name="Avancement")
    expect(progress).to_have_attribute("value", "10")
    expect(page.get_by_text("10 étapes faites sur 40 (25 %).")).to_be_visible()
    check_a11y(page)

    job_progress(job_id=job.pk, done=30, message="Ligne 30 sur 40")
    page.get_by_role("link", name="Actualiser").click()
    expect(progress).to_have_attribute("value", "30")
    expect(page.get_by_text("Ligne 30 sur 40")).to_be_visible()
    check_a11y(page)

    job_finish(job_id=job.pk, message="40 adhérents importés.", result_url="/la-ruche/gestion/")
    page.get_by_role("link", name="Actualiser").click()
    expect(page.get_by_text("40 adhérents importés.")).to_be_visible()
    expect(page.get_by_role("link", name="Actualiser")).to_have_count(0)
    check_a11y(page)
    page.get_by_role("link", name="Voir le résultat").click()
    expect(page).to_have_url(re.compile("/la-ruche/gestion/$"))
    check_a11y(page)


def test_admin_finds_her_exports_and_downloads_one(page, check_a11y, world, tmp_path):
    """« Mes exports », from the back-office menu: each job with its file while it is kept."""
    job = BackgroundJob.objects.create(
        organisation=world["org"],
        requested_by=world["karim"],
        label="Export des avis",
        status=BackgroundJob.Status.DONE,
        total=1,
        done=1,
    )
    job_save_export(
        job_id=job.pk,
        filename="avis",
        headers=["Code", "Titre"],
        rows=[["AB12", "Bancs"]],
        fmt="csv",
    )
    login_with_password(page, "claire@example.org", PASSWORD)
    page.goto("/la-ruche/gestion/")
    check_a11y(page)
    page.get_by_role("navigation", name="Menu de la gestion").get_by_role(
        "link", name="Mes exports"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes exports")
    table = page.get_by_role("table", name="Exports et imports")
    expect(table).to_contain_text("Export des avis")
    expect(table).to_contain_text("Karim Benali")
    check_a11y(page)
    with page.expect_download() as download_info:
        table.get_by_role("link", name=re.compile("^Télécharger")).click()
    path = tmp_path / "avis.csv"
    download_info.value.save_as(path)
    assert "Bancs" in path.read_text(encoding="utf-8-sig")
    table.get_by_role("link", name="Export des avis", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Export des avis")
    expect(page.get_by_text("Le fichier est gardé jusqu")).to_be_visible()
    check_a11y(page)
