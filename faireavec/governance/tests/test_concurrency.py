"""Ballots and proxies under concurrency, on PostgreSQL with real connections."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from faireavec.governance.models import Ballot, Proxy, VoteRecord
from faireavec.governance.services import AlreadyVoted, assembly_close, ballots_cast, proxy_give
from faireavec.governance.tests.factories import convened_assembly


def _race(*calls):
    """Run the calls at the same moment, each on its own connection; (results, errors)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait(timeout=10)
            results.append(call())
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_connections_voting_for_the_same_member_give_one_ballot():
    """The member votes online while their proxy holder votes for them: one ballot,
    one record; the other is told a vote was already recorded."""
    assembly, _c, _m = convened_assembly(members_per_college=(2, 2, 2))
    voters = list(assembly.voters.all())
    r1, r2 = assembly.resolutions.all()
    member = voters[0]

    def vote(choice):
        return lambda: ballots_cast(
            assembly=assembly,
            voter=member,
            choices={r1.pk: choice, r2.pk: choice},
            channel="online",
        )

    results, errors = _race(vote("for"), vote("against"))
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], AlreadyVoted)
    assert VoteRecord.objects.filter(voter=member).count() == 2
    assert Ballot.objects.filter(resolution__assembly=assembly).count() == 2
    assert len(set(Ballot.objects.values_list("choice", flat=True))) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_proxy_cap_holds_under_concurrency():
    """Three members give their proxy to the same holder at once, the cap is two:
    two proxies are recorded, the third is refused."""
    assembly, _c, _m = convened_assembly(members_per_college=(2, 2, 2))
    voters = list(assembly.voters.all())
    holder = voters[0]
    calls = [
        (lambda giver=giver: proxy_give(actor=None, assembly=assembly, giver=giver, holder=holder))
        for giver in voters[1:4]
    ]
    results, errors = _race(*calls)
    assert len(results) == 2
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert Proxy.objects.filter(holder=holder).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ballots_racing_the_close_are_either_sealed_or_refused():
    """Votes sent while the bureau closes: every ballot in the table is in the seal."""
    from faireavec.governance.chain import chain_verify

    assembly, _c, _m = convened_assembly(members_per_college=(4, 4, 4))
    voters = list(assembly.voters.all())
    r1 = assembly.resolutions.first()
    calls = [
        (
            lambda v=v: ballots_cast(
                assembly=assembly, voter=v, choices={r1.pk: "for"}, channel="online"
            )
        )
        for v in voters[:6]
    ] + [lambda: assembly_close(actor=None, assembly=assembly)]
    _results, _errors = _race(*calls)
    assembly.refresh_from_db()
    assert assembly.is_closed
    check = chain_verify(assembly=assembly)
    assert check.ok, check.reason
    assert (
        Ballot.objects.filter(resolution=r1).count()
        == VoteRecord.objects.filter(resolution=r1).count()
    )
