"""Background jobs: progress, end, failure, and the database rule done <= total."""

import pytest
from django.db import IntegrityError, transaction

from faireavec.core.jobs import job_fail, job_finish, job_get, job_progress, job_start
from faireavec.core.models import BackgroundJob
from faireavec.core.tests.factories import BackgroundJobFactory

pytestmark = pytest.mark.django_db


class _Task:
    """Stands for a task: records what it was enqueued with."""

    def __init__(self) -> None:
        self.calls: list[dict] = []

    def enqueue(self, **kwargs) -> None:
        self.calls.append(kwargs)


def test_job_start_creates_a_waiting_job_and_enqueues_on_commit(
    org, people, django_capture_on_commit_callbacks
):
    task = _Task()
    with django_capture_on_commit_callbacks() as callbacks:
        job = job_start(
            organisation=org,
            requested_by=people["admin"],
            label="Import",
            total=40,
            task=task,
            organisation_id=org.pk,
        )
        assert task.calls == [], "nothing is enqueued before the job is committed"
    assert job.status == BackgroundJob.Status.PENDING
    assert (job.requested_by, job.done, job.total, job.percent) == (people["admin"], 0, 40, 0)
    assert not job.is_finished
    assert len(callbacks) == 1
    callbacks[0]()
    assert task.calls == [{"job_id": job.pk, "organisation_id": org.pk}]


def test_job_start_enqueues_nothing_when_the_transaction_rolls_back(org, people):
    task = _Task()
    with pytest.raises(RuntimeError), transaction.atomic():
        job_start(organisation=org, requested_by=people["admin"], label="x", task=task)
        raise RuntimeError("the request failed after starting the job")
    assert task.calls == []
    assert not BackgroundJob.objects.exists()


def test_job_progress_reports_steps_and_message(org):
    job = BackgroundJobFactory(organisation=org, total=40)
    before = job.updated_at
    job_progress(job_id=job.pk, done=10, message="Ligne 10 sur 40")
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.RUNNING
    assert (job.done, job.total, job.percent) == (10, 40, 25)
    assert job.message == "Ligne 10 sur 40"
    assert job.updated_at > before, "the page notices changes through updated_at"

    job_progress(job_id=job.pk, done=12, total=60)
    job.refresh_from_db()
    assert (job.done, job.total, job.percent) == (12, 60, 20)
    assert job.message == "Ligne 10 sur 40", "an empty message keeps the last one"


def test_job_finish_counts_every_step_done(org):
    job = BackgroundJobFactory(organisation=org, total=40)
    job_progress(job_id=job.pk, done=39)
    job_finish(job_id=job.pk, message="40 lignes importées.", result_url="/la-ruche/gestion/")
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE
    assert (job.done, job.percent) == (40, 100)
    assert job.result_url == "/la-ruche/gestion/"
    assert job.message == "40 lignes importées."
    assert job.is_finished


def test_job_without_known_total_is_at_100_percent_once_done(org):
    job = BackgroundJobFactory(organisation=org, total=0)
    job_progress(job_id=job.pk, done=7)
    job.refresh_from_db()
    assert job.percent == 0, "an unknown total shows no made-up percentage"
    job_finish(job_id=job.pk)
    job.refresh_from_db()
    assert job.percent == 100


def test_job_fail_keeps_progress_and_explains(org):
    job = BackgroundJobFactory(organisation=org, total=40)
    job_progress(job_id=job.pk, done=15)
    job_fail(job_id=job.pk, message="La ligne 16 n'a pas d'adresse.")
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED
    assert job.done == 15
    assert job.message == "La ligne 16 n'a pas d'adresse."
    assert job.is_finished


def test_database_refuses_more_steps_done_than_in_all(org):
    """The CheckConstraint holds whatever the code does: through save() and through update()."""
    with pytest.raises(IntegrityError), transaction.atomic():
        BackgroundJob.objects.create(organisation=org, label="x", done=5, total=3)
    job = BackgroundJobFactory(organisation=org, total=3)
    with pytest.raises(IntegrityError):
        job_progress(job_id=job.pk, done=4)
    job.refresh_from_db()
    assert job.done == 0


def test_steps_may_be_counted_while_total_is_unknown(org):
    """total=0 means « not known yet »: any number of steps done is allowed."""
    job = BackgroundJobFactory(organisation=org, total=0)
    job_progress(job_id=job.pk, done=25)
    job.refresh_from_db()
    assert job.done == 25


def test_job_get_is_scoped_to_the_organisation(org, other_org):
    mine = BackgroundJobFactory(organisation=org)
    theirs = BackgroundJobFactory(organisation=other_org)
    assert job_get(organisation=org, pk=mine.pk) == mine
    assert job_get(organisation=org, pk=theirs.pk) is None


def test_job_progress_refuses_to_run_inside_a_transaction(org):
    """Progress written inside a transaction is invisible to the job's page until
    the end (0 % then « terminé »): job_progress refuses, so no task can do it."""
    job = BackgroundJobFactory(organisation=org, total=3)
    with pytest.raises(RuntimeError), transaction.atomic():
        job_progress(job_id=job.pk, done=1)
    job.refresh_from_db()
    assert job.done == 0
