"""Files made by background jobs: kept in the private storage (never under
MEDIA_ROOT), downloaded only by the people who may see the job."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from faireavec.core.exports import EXPORT_FORMATS, read_table
from faireavec.core.jobs import job_finish, job_progress, job_save_export
from faireavec.core.models import BackgroundJob
from faireavec.core.storage import DEFAULT_PRIVATE_ROOT, private_storage, private_storage_root
from faireavec.core.tests.factories import BackgroundJobFactory

pytestmark = pytest.mark.django_db

HEADERS = ["Code", "Titre", "Remarque"]
ROWS = [
    ["AB12CD34", "Des bancs « au jardin »", "=1+1 reste du texte"],
    ["EF56GH78", "Zoé Çelik", "- une liste\n- sur deux lignes"],
]
EXPECTED = [{h: str(v) for h, v in zip(HEADERS, row, strict=True)} for row in ROWS]


@pytest.fixture(autouse=True)
def _private_files_in_tmp(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


def _finished_job_with_file(organisation, fmt: str = "csv", **kwargs) -> BackgroundJob:
    job = BackgroundJobFactory(organisation=organisation, total=len(ROWS), **kwargs)
    job_save_export(job_id=job.pk, filename="Avis reçus", headers=HEADERS, rows=ROWS, fmt=fmt)
    job_finish(job_id=job.pk, message="C'est prêt.")
    job.refresh_from_db()
    return job


def _download_url(job, organisation=None) -> str:
    organisation = organisation or job.organisation
    return reverse(
        "core:job_download",
        kwargs={"org_slug": organisation.slug, "backgroundjob_pk": job.pk},
    )


def _detail_url(job) -> str:
    return reverse(
        "core:job_detail", kwargs={"org_slug": job.organisation.slug, "backgroundjob_pk": job.pk}
    )


def _status(response) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
        return "login"
    return response.status_code


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


# The storage ------------------------------------------------------------------


def test_job_file_is_in_the_private_folder_not_under_media(org, settings):
    job = _finished_job_with_file(org)
    path = Path(job.result_file.path).resolve()
    assert path.is_relative_to(Path(settings.PRIVATE_STORAGE_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert job.result_file.name == f"jobs/{org.pk}/{job.pk}/avis-recus.csv"
    with pytest.raises(ValueError, match="public address"):
        job.result_file.url  # noqa: B018 -- no URL the web server could serve


def test_default_private_folder_is_var_private_beside_var_media(settings):
    """Without the setting, files go to <project>/var/private, not to the public media."""
    del settings.PRIVATE_STORAGE_ROOT
    settings.MEDIA_ROOT = str(Path(settings.BASE_DIR) / "var" / "media")
    assert private_storage_root() == (Path(settings.BASE_DIR) / "var" / "private").resolve()
    assert DEFAULT_PRIVATE_ROOT.resolve() == private_storage_root()
    assert not private_storage_root().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert private_storage().location == str(private_storage_root())


def test_private_folder_inside_media_is_refused(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "media" / "private"
    with pytest.raises(ImproperlyConfigured, match="MEDIA_ROOT"):
        private_storage_root()


# Saving the table on the job ----------------------------------------------------


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
def test_saved_file_comes_back_unchanged_through_read_table(org, fmt):
    job = _finished_job_with_file(org, fmt=fmt)
    with job.result_file.open("rb") as f:
        content = f.read()
    headers, rows = read_table(SimpleUploadedFile(f"export.{fmt}", content))
    assert headers == HEADERS
    assert rows == EXPECTED


def test_saved_csv_has_a_byte_order_mark_and_saved_xlsx_no_formula(org):
    csv_job = _finished_job_with_file(org, fmt="csv")
    with csv_job.result_file.open("rb") as f:
        assert f.read().startswith("\ufeff".encode())
    xlsx_job = _finished_job_with_file(org, fmt="xlsx")
    with xlsx_job.result_file.open("rb") as f:
        sheet = openpyxl.load_workbook(io.BytesIO(f.read())).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type == "s" for cell in cells if isinstance(cell.value, str))
    assert "'=1+1 reste du texte" in [cell.value for cell in cells]


def test_saving_again_replaces_the_previous_file(org):
    job = _finished_job_with_file(org, fmt="csv")
    first = Path(job.result_file.path)
    job_save_export(job_id=job.pk, filename="Avis reçus", headers=HEADERS, rows=ROWS, fmt="ods")
    job.refresh_from_db()
    assert job.result_file.name.endswith(".ods")
    assert not first.exists()


def test_saving_the_file_leaves_status_and_progress_alone(org):
    job = BackgroundJobFactory(organisation=org, total=10)
    job_progress(job_id=job.pk, done=4)
    job_save_export(job_id=job.pk, filename="x", headers=["a"], rows=[[1]], fmt="csv")
    job.refresh_from_db()
    assert (job.status, job.done) == (BackgroundJob.Status.RUNNING, 4)
    assert job.result_file


# The download -------------------------------------------------------------------

DOWNLOAD_ACCESS = {
    "admin": 200,
    "facilitator": 200,
    "member": 403,
    "participant": 403,
    "anonymous": "login",
    "other_admin": 404,
}


@pytest.mark.parametrize(("role", "expected"), DOWNLOAD_ACCESS.items())
def test_download_is_for_those_who_may_see_the_job(org, people, client_for, role, expected):
    job = _finished_job_with_file(org)
    assert _status(client_for(people[role]).get(_download_url(job))) == expected


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
def test_download_sends_the_file_as_an_attachment(org, people, client_for, fmt):
    job = _finished_job_with_file(org, fmt=fmt)
    response = client_for(people["facilitator"]).get(_download_url(job))
    assert response.status_code == 200
    assert response["Content-Type"] == EXPORT_FORMATS[fmt]
    assert response["Content-Disposition"] == f'attachment; filename="avis-recus.{fmt}"'
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    headers, rows = read_table(SimpleUploadedFile(f"x.{fmt}", _content(response)))
    assert (headers, rows) == (HEADERS, EXPECTED)


def test_another_organisations_job_file_is_not_found(org, other_org, people, client_for):
    """Through my organisation's address, another organisation's job does not exist."""
    theirs = _finished_job_with_file(other_org)
    response = client_for(people["admin"]).get(_download_url(theirs, organisation=org))
    assert response.status_code == 404


def test_job_without_file_is_not_found(org, people, client_for):
    job = BackgroundJobFactory(organisation=org)
    job_finish(job_id=job.pk)
    assert client_for(people["admin"]).get(_download_url(job)).status_code == 404


def test_file_of_a_job_not_finished_is_not_found(org, people, client_for):
    job = BackgroundJobFactory(organisation=org, total=2)
    job_save_export(job_id=job.pk, filename="x", headers=HEADERS, rows=ROWS, fmt="csv")
    assert client_for(people["admin"]).get(_download_url(job)).status_code == 404


def test_file_gone_from_disk_is_not_found(org, people, client_for):
    job = _finished_job_with_file(org)
    Path(job.result_file.path).unlink()
    assert client_for(people["admin"]).get(_download_url(job)).status_code == 404


def test_download_refuses_post(org, people, client_for):
    job = _finished_job_with_file(org)
    assert client_for(people["admin"]).post(_download_url(job)).status_code == 405


# The job page -------------------------------------------------------------------


def test_job_page_offers_the_file_once_the_job_is_done(org, people, client_for):
    job = BackgroundJobFactory(organisation=org, total=len(ROWS))
    job_save_export(job_id=job.pk, filename="x", headers=HEADERS, rows=ROWS, fmt="xlsx")
    client = client_for(people["facilitator"])
    assert "Télécharger le fichier" not in client.get(_detail_url(job)).text
    job_finish(job_id=job.pk, message="C'est prêt.")
    page = client.get(_detail_url(job)).text
    assert "Télécharger le fichier" in page
    assert f'href="{_download_url(job)}"' in page


def test_job_page_offers_the_file_in_the_htmx_update_too(org, people, client_for):
    job = _finished_job_with_file(org)
    response = client_for(people["admin"]).get(_detail_url(job), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert _download_url(job) in response.text


def test_job_page_without_file_offers_no_download(org, people, client_for):
    job = BackgroundJobFactory(organisation=org)
    job_finish(job_id=job.pk, result_url="/la-ruche/gestion/")
    page = client_for(people["admin"]).get(_detail_url(job)).text
    assert "Télécharger le fichier" not in page
    assert "/la-ruche/gestion/" in page
