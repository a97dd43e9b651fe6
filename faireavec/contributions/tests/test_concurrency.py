"""Two requests at once, on PostgreSQL (two connections, one per thread)."""

import threading

import pytest
from django.db import connection

from faireavec.contributions.models import Contribution, Support
from faireavec.contributions.services import (
    contribution_report,
    contribution_set_public,
    contribution_support,
)
from faireavec.contributions.tests.factories import make_contribution

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _at_once(work, n: int = 2) -> tuple[list, list]:
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(work(i))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results, errors


def test_double_support_at_once_ends_with_one(org, people):
    """A double tap sends two supports at once: one row, a count of one, no error."""
    idea = contribution_set_public(
        actor=people["facilitator"], contribution=make_contribution(org), public=True
    )
    user = people["participant"]
    results, errors = _at_once(lambda i: contribution_support(user=user, contribution=idea))
    assert errors == []
    assert sorted(results) == [False, True]
    assert Support.objects.filter(contribution=idea).count() == 1
    assert Contribution.objects.get(pk=idea.pk).support_count == 1


def test_reports_at_once_reach_the_threshold(org, people):
    """Two people report at the same moment: both count, and the idea is hidden."""
    org.moderation_threshold = 2
    org.save()
    idea = make_contribution(org)
    reporters = [people["participant"], people["member"]]
    results, errors = _at_once(lambda i: contribution_report(contribution=idea, user=reporters[i]))
    assert errors == [] and results == [True, True]
    assert Contribution.objects.get(pk=idea.pk).is_hidden
