"""core's demo data: a finished job with its file and a few log entries, created once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from faireavec.core.demo import DEMO_JOB_LABEL
from faireavec.core.exports import read_table
from faireavec.core.models import AuditEntry, BackgroundJob
from faireavec.organisations.demo import demo_build

pytestmark = pytest.mark.django_db


def test_demo_has_a_finished_job_and_log_entries_and_is_idempotent():
    ctx = demo_build(small=True)
    job = BackgroundJob.objects.get(organisation=ctx.organisation, label=DEMO_JOB_LABEL)
    assert job.status == BackgroundJob.Status.DONE
    assert job.done == job.total > 0
    assert job.result_file, "the job page has a file to offer"
    with job.result_file.open("rb") as f:
        headers, rows = read_table(SimpleUploadedFile("journal.csv", f.read()))
    assert headers[0] == "Date" and len(rows) == job.total
    entries = AuditEntry.objects.filter(organisation=ctx.organisation).count()
    assert entries > 0

    demo_build(small=True)
    assert BackgroundJob.objects.filter(organisation=ctx.organisation).count() == 1
    assert AuditEntry.objects.filter(organisation=ctx.organisation).count() == entries
