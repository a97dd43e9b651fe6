"""The import's background task: it writes all the confirmed rows or none, and
tells the person on the job's page, in their language."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from faireavec.core.models import AuditEntry, BackgroundJob
from faireavec.core.storage import private_storage
from faireavec.core.tests.factories import BackgroundJobFactory
from faireavec.organisations.models import Role
from faireavec.organisations.tests.factories import MembershipFactory
from faireavec.stakeholders import tasks
from faireavec.stakeholders.models import Stakeholder
from faireavec.stakeholders.tasks import stakeholder_import_task
from faireavec.stakeholders.tests.factories import StakeholderFactory, import_file_store

pytestmark = pytest.mark.django_db

HEADERS = ["Nom", "Catégorie"]


def _rows(count: int) -> list[dict[str, str]]:
    return [{"Nom": f"Personne {n}", "Catégorie": "bénéficiaires"} for n in range(count)]


def _run(org, actor, rows, lines):
    job = BackgroundJobFactory(organisation=org, requested_by=actor, total=len(lines))
    result = stakeholder_import_task.call(
        job_id=job.pk,
        organisation_id=org.pk,
        actor_id=actor.pk,
        path=import_file_store(org, HEADERS, rows),
        confirmed_lines=lines,
        filename="liste.csv",
    )
    job.refresh_from_db()
    return job, result


@pytest.fixture
def actor(org):
    return MembershipFactory(organisation=org, role=Role.FACILITATOR, user__language="fr").user


def test_the_task_writes_every_row_and_reports_its_progress(org, actor, monkeypatch):
    seen = []
    real_progress = tasks.job_progress

    def progress(**kwargs):
        real_progress(**kwargs)
        job = BackgroundJob.objects.get(pk=kwargs["job_id"])
        seen.append((job.status, job.done, job.total))

    monkeypatch.setattr(tasks, "job_progress", progress)
    monkeypatch.setattr(tasks, "IMPORT_PROGRESS_EVERY", 2)
    job, result = _run(org, actor, _rows(5), [2, 3, 4, 5, 6])
    assert result == 5
    assert seen == [("running", 0, 5), ("running", 2, 5), ("running", 4, 5)]
    assert (job.status, job.done, job.total) == ("done", 5, 5)
    assert job.message == "5 parties prenantes sont ajoutées au registre."
    assert job.result_url == reverse("stakeholders:stakeholder_list", kwargs={"org_slug": org.slug})
    assert Stakeholder.objects.filter(organisation=org).count() == 5
    entry = AuditEntry.objects.get(action="stakeholder.import")
    assert (entry.actor, entry.details) == (actor, {"count": 5, "file": "liste.csv"})


def test_the_task_writes_nothing_when_the_register_changed(org, actor):
    StakeholderFactory(organisation=org, name="Personne 1")
    job, result = _run(org, actor, _rows(3), [2, 3, 4])
    assert result == 0
    assert job.status == BackgroundJob.Status.FAILED
    assert "rien n\u2019a été enregistré" in job.message
    assert "Ligne 3 : Déjà dans le registre avec le même nom : Personne 1." in job.message
    assert job.done == 0 and not job.result_url
    assert Stakeholder.objects.filter(organisation=org).count() == 1
    assert not AuditEntry.objects.filter(action="stakeholder.import").exists()


def test_the_task_fails_clearly_on_an_unexpected_error(org, actor, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Stakeholder.objects, "bulk_create", fail)
    job = BackgroundJobFactory(organisation=org, requested_by=actor, total=2)
    path = import_file_store(org, HEADERS, _rows(2))
    with pytest.raises(RuntimeError):
        stakeholder_import_task.call(
            job_id=job.pk,
            organisation_id=org.pk,
            actor_id=actor.pk,
            path=path,
            confirmed_lines=[2, 3],
        )
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED
    assert "erreur inattendue" in job.message
    assert not Stakeholder.objects.exists()
    assert not private_storage().exists(path), "the uploaded file does not stay behind"


def test_the_task_speaks_the_requesters_language(org):
    english = MembershipFactory(organisation=org, role=Role.ADMIN, user__language="en").user
    job, _result = _run(org, english, _rows(1), [2])
    assert job.message == "1 stakeholder is added to the register."
    StakeholderFactory(organisation=org, name="Personne 1")
    job, _result = _run(org, english, _rows(2), [2, 3])
    assert job.message.startswith("The register changed since the preview")
    assert "Line 3: Already in the register with the same name: Personne 1." in job.message


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_progress_is_seen_from_another_connection_while_the_import_runs(org, actor, monkeypatch):
    """The job's page reads on its own connection: while the task runs it sees the
    rows checked move (not 0 % then « terminé »), and the stakeholders appear only
    once all of them are written."""
    seen = []
    real_progress = tasks.job_progress

    def progress(**kwargs):
        real_progress(**kwargs)

        def read_elsewhere():  # another thread: another connection, like the job's page
            try:
                job = BackgroundJob.objects.get(pk=kwargs["job_id"])
                written = Stakeholder.objects.filter(organisation=org).count()
                seen.append((job.status, job.done, job.total, written))
            finally:
                connection.close()

        reader = threading.Thread(target=read_elsewhere)
        reader.start()
        reader.join(timeout=10)

    monkeypatch.setattr(tasks, "job_progress", progress)
    monkeypatch.setattr(tasks, "IMPORT_PROGRESS_EVERY", 2)
    job, result = _run(org, actor, _rows(5), [2, 3, 4, 5, 6])
    assert result == 5
    assert seen == [("running", 0, 5, 0), ("running", 2, 5, 0), ("running", 4, 5, 0)]
    assert (job.status, job.done) == ("done", 5)
    assert Stakeholder.objects.filter(organisation=org).count() == 5
