"""The inbox export (through `export_or_job`): small ones download at once; large
ones run as a background job whose page offers the file (same filters, same
columns, no personal data, the language of the person who asked)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished

from faireavec.contributions.models import Kind
from faireavec.contributions.tests.factories import make_contribution
from faireavec.core import exports
from faireavec.core.exports import EXPORT_FORMATS, read_table
from faireavec.core.models import BackgroundJob

pytestmark = pytest.mark.django_db

THRESHOLD = 3


@pytest.fixture(autouse=True)
def _private_files_per_test(settings, tmp_path):
    """A folder per test: job numbers repeat between tests, and file names are checked."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def low_threshold(settings, monkeypatch):
    """More than THRESHOLD rows go to a task; progress is reported every 2 rows."""
    settings.EXPORT_IN_REQUEST_MAX_ROWS = THRESHOLD
    monkeypatch.setattr(exports, "EXPORT_PROGRESS_EVERY", 2)


@pytest.fixture
def finished_tasks():
    results = []

    def record(sender, task_result, **kwargs):
        results.append(task_result)

    task_finished.connect(record)
    yield results
    task_finished.disconnect(record)


def _export_url(org) -> str:
    return reverse("contributions:inbox_export", kwargs={"org_slug": org.slug})


def _ideas_and_a_complaint(org, people, n: int) -> list:
    ideas = [
        make_contribution(org, author=people["participant"], title=f"Idée n°{i}") for i in range(n)
    ]
    make_contribution(org, kind=Kind.COMPLAINT, title="Réclamation à part")
    return ideas


def _export(client, org, django_capture_on_commit_callbacks, **query):
    """Send the inbox's export form (its filters as hidden fields)."""
    query.setdefault("format", "csv")
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(_export_url(org), query)


def _job_file_rows(client, job, fmt: str):
    url = reverse(
        "core:job_download",
        kwargs={"org_slug": job.organisation.slug, "backgroundjob_uuid": job.uuid},
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == EXPORT_FORMATS[fmt]
    content = b"".join(response.streaming_content)
    return content, read_table(SimpleUploadedFile(f"export.{fmt}", content))


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
def test_large_export_runs_as_a_job_and_leaves_the_filtered_file(
    org, people, client_for, low_threshold, django_capture_on_commit_callbacks, fmt
):
    ideas = _ideas_and_a_complaint(org, people, THRESHOLD + 2)
    client = client_for(people["facilitator"])
    response = _export(client, org, django_capture_on_commit_callbacks, kind="idea", format=fmt)

    job = BackgroundJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "core:job_detail", kwargs={"org_slug": org.slug, "backgroundjob_uuid": job.uuid}
    )
    assert job.organisation == org and job.requested_by == people["facilitator"]
    assert job.label == (f"Export : la boîte des avis, {THRESHOLD + 2} lignes ({fmt.upper()})")
    assert job.status == BackgroundJob.Status.DONE
    assert (job.done, job.total) == (THRESHOLD + 2, THRESHOLD + 2)
    assert job.message == f"Le fichier est prêt : {THRESHOLD + 2} lignes."

    content, (headers, rows) = _job_file_rows(client, job, fmt)
    assert headers[:3] == ["Code", "Reçu le", "Type"]
    assert [row["Code"] for row in rows] == [c.follow_up_code for c in reversed(ideas)]
    assert "Réclamation à part" not in {row["Titre"] for row in rows}
    assert people["participant"].email.encode() not in content, "no personal data"

    page = client.get(response["Location"]).text
    assert "Télécharger le fichier" in page


def test_large_export_reports_progress_while_reading(
    org, people, client_for, low_threshold, django_capture_on_commit_callbacks, monkeypatch
):
    _ideas_and_a_complaint(org, people, 4)
    reports = []
    real_progress = exports.job_progress

    def spy(**kwargs):
        reports.append(kwargs)
        real_progress(**kwargs)

    monkeypatch.setattr(exports, "job_progress", spy)
    _export(client_for(people["facilitator"]), org, django_capture_on_commit_callbacks)
    assert [r["done"] for r in reports] == [0, 2, 4, 5]
    assert reports[0]["total"] == 5
    assert reports[1]["message"] == "2 lignes lues sur 5."
    assert reports[-1]["message"] == "Écriture du fichier…"


def test_large_export_task_gets_json_arguments_and_succeeds(
    org, people, client_for, low_threshold, django_capture_on_commit_callbacks, finished_tasks
):
    """A real queue (the database backend) keeps the arguments as JSON: they must round-trip."""
    _ideas_and_a_complaint(org, people, THRESHOLD + 1)
    site_less_query = {"kind": "idea", "q": "Idée", "format": "ods", "page": "2"}
    _export(client_for(people["admin"]), org, django_capture_on_commit_callbacks, **site_less_query)
    (result,) = finished_tasks
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.args == []
    assert json.loads(json.dumps(result.kwargs)) == result.kwargs
    assert result.kwargs == {
        "job_id": BackgroundJob.objects.get().pk,
        "export": "contributions.inbox",
        "query": {"kind": ["idea"], "q": ["Idée"]},
        "scope": {},
        "fmt": "ods",
    }
    assert result.return_value == THRESHOLD + 1


def test_large_export_is_written_in_the_language_of_the_person(
    org, people, client_for, low_threshold, django_capture_on_commit_callbacks
):
    facilitator = people["facilitator"]
    facilitator.language = "en"
    facilitator.save(update_fields=["language"])
    _ideas_and_a_complaint(org, people, THRESHOLD)
    client = client_for(facilitator)
    _export(client, org, django_capture_on_commit_callbacks, format="csv")
    job = BackgroundJob.objects.get()
    assert "/contributions-la-ruche-" in job.result_file.name
    _, (headers, rows) = _job_file_rows(client, job, "csv")
    assert headers[:3] == ["Code", "Received on", "Kind"]
    assert {row["Kind"] for row in rows} == {"idea", "complaint"}
    assert job.message == f"The file is ready: {THRESHOLD + 1} rows."


def test_failed_large_export_says_so_on_the_job_page(
    org, people, client_for, low_threshold, django_capture_on_commit_callbacks, monkeypatch
):
    _ideas_and_a_complaint(org, people, THRESHOLD)

    def broken(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(exports, "job_save_file", broken)
    client = client_for(people["facilitator"])
    response = _export(client, org, django_capture_on_commit_callbacks)
    job = BackgroundJob.objects.get()
    assert job.status == BackgroundJob.Status.FAILED
    assert not job.result_file
    assert "L'export n'a pas pu être fait" in job.message
    page = client.get(response["Location"]).text
    assert "Télécharger le fichier" not in page


def test_small_export_still_downloads_at_once(
    org, people, client_for, low_threshold, django_capture_on_commit_callbacks
):
    ideas = _ideas_and_a_complaint(org, people, THRESHOLD)
    response = client_for(people["facilitator"]).post(
        _export_url(org), {"kind": "idea", "format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="contributions-la-ruche-'
    )
    _, rows = read_table(SimpleUploadedFile("export.xlsx", response.content))
    assert [row["Code"] for row in rows] == [c.follow_up_code for c in reversed(ideas)]
    assert not BackgroundJob.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("member", 403), ("participant", 403), ("other_admin", 404), ("anonymous", 302)],
)
def test_large_export_is_refused_to_others_without_a_job(
    org, people, client_for, low_threshold, django_capture_on_commit_callbacks, role, status
):
    _ideas_and_a_complaint(org, people, THRESHOLD)
    response = _export(client_for(people[role]), org, django_capture_on_commit_callbacks)
    assert response.status_code == status
    assert not BackgroundJob.objects.exists()
