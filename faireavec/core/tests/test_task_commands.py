"""`TaskCommand`: the commands that run a periodic task now or queue it."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("command", "now", "queued"),
    [
        ("send_digests", "Daily digests sent: 0.", "Daily digests queued (task "),
        ("purge_job_files", "Expired job files deleted: 0", "Clean-up queued (task "),
    ],
)
def test_a_task_command_runs_now_or_queues(command, now, queued, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    out = io.StringIO()
    call_command(command, stdout=out)
    assert now in out.getvalue()
    out = io.StringIO()
    call_command(command, "--enqueue", stdout=out)
    assert out.getvalue().startswith(queued)
