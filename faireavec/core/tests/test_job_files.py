"""Files made by background jobs: kept in the private storage (never under
MEDIA_ROOT), downloaded only by the people who may see the job."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from faireavec.core.exports import EXPORT_FORMATS, export_content, export_filename, read_table
from faireavec.core.jobs import job_finish, job_progress, job_save_file
from faireavec.core.models import BackgroundJob
from faireavec.core.storage import DEFAULT_PRIVATE_ROOT, private_storage, private_storage_root
from faireavec.core.tests.factories import BackgroundJobFactory


def job_save_export(*, job_id: int, filename: str, headers, rows, fmt: str) -> str:
    """A table kept as the job's file, as the background export leaves it."""
    content = export_content(headers=headers, rows=rows, fmt=fmt)
    return job_save_file(job_id=job_id, filename=export_filename(filename, fmt), content=content)


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
        kwargs={"org_slug": organisation.slug, "backgroundjob_uuid": job.uuid},
    )


def _detail_url(job) -> str:
    return reverse(
        "core:job_detail",
        kwargs={"org_slug": job.organisation.slug, "backgroundjob_uuid": job.uuid},
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

# The file was asked for by the facilitator; another facilitator of the same
# organisation may not download it (it holds people's data).
DOWNLOAD_ACCESS = {
    "requester": 200,
    "admin": 200,
    "facilitator": 404,
    "member": 403,
    "participant": 403,
    "anonymous": "login",
    "other_admin": 404,
}


@pytest.fixture
def requester(org):
    from faireavec.organisations.models import Role
    from faireavec.organisations.tests.factories import MembershipFactory

    return MembershipFactory(organisation=org, role=Role.FACILITATOR).user


@pytest.mark.parametrize(("role", "expected"), DOWNLOAD_ACCESS.items())
def test_download_is_for_the_requester_and_administrators(
    org, people, requester, client_for, role, expected
):
    job = _finished_job_with_file(org, requested_by=requester)
    user = requester if role == "requester" else people[role]
    assert _status(client_for(user).get(_download_url(job))) == expected
    assert _status(client_for(user).get(_detail_url(job))) == expected


def test_expired_file_is_not_downloaded_and_the_page_says_why(org, people, client_for, settings):
    """Past its keeping time the file cannot be downloaded even before the clean-up;
    the clean-up deletes it and the page says it was deleted."""
    from datetime import timedelta

    from django.utils import timezone

    from faireavec.core.jobs import job_files_purge

    settings.JOB_FILES_KEEP_DAYS = 7
    job = _finished_job_with_file(org, requested_by=people["admin"])
    client = client_for(people["admin"])
    assert job.file_expires_at > timezone.now() + timedelta(days=6, hours=23)
    page = client.get(_detail_url(job)).text
    assert "Le fichier est gardé jusqu" in page
    assert job_files_purge() == 0, "a file still in its keeping time stays"
    later = timezone.now() + timedelta(days=8)
    BackgroundJob.objects.filter(pk=job.pk).update(file_expires_at=timezone.now())
    assert client.get(_download_url(job)).status_code == 404
    path = Path(job.result_file.path)
    assert job_files_purge(now=later) == 1
    assert not path.exists()
    job.refresh_from_db()
    assert not job.result_file and job.file_removed_at == later
    page = client.get(_detail_url(job)).text
    assert "Le fichier a été supprimé : les fichiers sont gardés 7 jours." in page
    assert "Télécharger le fichier" not in page
    assert client.get(_download_url(job)).status_code == 404
    assert job_files_purge(now=later) == 0, "running the clean-up twice is harmless"


def test_purge_command_and_task_delete_expired_files_and_old_uploads(org, people):
    """`manage.py purge_job_files` (daily, from cron) runs the clean-up task: expired
    job files, and uploads waiting for an import for more than a day."""
    import os
    import time
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    job = _finished_job_with_file(org, requested_by=people["admin"])
    BackgroundJob.objects.filter(pk=job.pk).update(file_expires_at=timezone.now())
    storage = private_storage()
    old = storage.save(f"imports/{org.pk}/vieux.csv", SimpleUploadedFile("x", b"a"))
    recent = storage.save(f"imports/{org.pk}/recent.csv", SimpleUploadedFile("x", b"a"))
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(storage.path(old), (two_days_ago, two_days_ago))
    out = StringIO()
    call_command("purge_job_files", stdout=out)
    assert "Expired job files deleted: 1; old uploads deleted: 1." in out.getvalue()
    assert not storage.exists(old) and storage.exists(recent)
    job.refresh_from_db()
    assert job.file_removed_at is not None


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
def test_download_sends_the_file_as_an_attachment(org, people, client_for, fmt):
    job = _finished_job_with_file(org, fmt=fmt, requested_by=people["facilitator"])
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
    job = BackgroundJobFactory(
        organisation=org, total=len(ROWS), requested_by=people["facilitator"]
    )
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
