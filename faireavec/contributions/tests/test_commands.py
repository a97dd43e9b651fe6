from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from faireavec.contributions.models import HistoryEntry, Kind
from faireavec.contributions.tasks import escalate_overdue
from faireavec.contributions.tests.factories import make_contribution
from faireavec.core.models import Notification

pytestmark = pytest.mark.django_db


def test_escalate_overdue_command_runs_once_per_complaint(org, other_org, people):
    """The daily command escalates each overdue complaint of every organisation, once."""
    late = make_contribution(org, kind=Kind.COMPLAINT, now=timezone.now() - timedelta(days=45))
    make_contribution(other_org, kind=Kind.COMPLAINT, now=timezone.now() - timedelta(days=45))
    out = StringIO()
    call_command("escalate_overdue", stdout=out)
    assert "Escalated: 2" in out.getvalue()
    late.refresh_from_db()
    assert late.escalated_at is not None
    assert late.history.filter(event=HistoryEntry.Event.ESCALATED, is_public=False).exists()
    assert Notification.objects.filter(recipient=people["admin"]).count() == 1
    out = StringIO()
    call_command("escalate_overdue", "--organisation", org.slug, stdout=out)
    assert "Escalated: 0" in out.getvalue()


def test_escalate_overdue_task(org, people, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    make_contribution(org, kind=Kind.COMPLAINT, now=timezone.now() - timedelta(days=45))
    result = escalate_overdue.enqueue([org.pk])
    assert result.return_value == 1
