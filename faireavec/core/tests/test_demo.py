"""core's demo data: a finished job with its file and a few log entries, created once."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from faireavec.core.demo import DEMO_JOB_LABEL, DEMO_PASSWORD
from faireavec.core.exports import read_table
from faireavec.core.models import AuditEntry, BackgroundJob
from faireavec.organisations.demo import demo_build
from faireavec.organisations.models import Membership, Organisation, Role

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


def test_demo_command_builds_the_second_organisation_and_prints_its_login(client):
    """`manage.py demo` also builds « L'Épicerie solidaire », whose administrator
    signs in with the demo password; the logins of both are printed."""
    out = io.StringIO()
    call_command("demo", "--small", stdout=out)
    printed = out.getvalue()
    epicerie = Organisation.objects.get(slug="epicerie-solidaire")
    assert epicerie.name == "L'Épicerie solidaire"
    assert "admin@epicerie.demo.faireavec.fr" in printed
    assert "admin@demo.faireavec.fr" in printed and DEMO_PASSWORD in printed
    admin = Membership.objects.get(organisation=epicerie, role=Role.ADMIN).user
    assert admin.email == "admin@epicerie.demo.faireavec.fr"
    assert client.login(email=admin.email, password=DEMO_PASSWORD)
    # Smaller, but with its own data in the apps.
    assert BackgroundJob.objects.filter(organisation=epicerie).exists()
    assert not Membership.objects.filter(
        organisation__slug="la-fabrique-du-coin", user=admin
    ).exists()
