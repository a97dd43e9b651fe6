"""Supports under concurrency, on PostgreSQL with two real connections."""

import threading

import pytest
from django.db import connection

from faireavec.needs.models import NeedSupport
from faireavec.needs.services import need_support
from faireavec.needs.tests.factories import NeedFactory
from faireavec.organisations.models import Role
from faireavec.organisations.tests.factories import MembershipFactory, OrganisationFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_supports_by_the_same_person_make_one():
    """The same person clicks « Je soutiens » in two tabs at the same moment:
    one support is recorded and neither request fails."""
    organisation = OrganisationFactory()
    user = MembershipFactory(organisation=organisation, role=Role.PARTICIPANT).user
    need = NeedFactory(organisation=organisation)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def support() -> None:
        try:
            barrier.wait(timeout=10)
            _support, created = need_support(user=user, need=need)
            results.append(created)
        except Exception as exc:  # the test reports any failure below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=support) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(results) == [False, True]
    assert NeedSupport.objects.filter(need=need, user=user).count() == 1
