"""The assembly's hash chain: the verifier names the first broken link when an
entry is edited, deleted or reordered, or when a sealed ballot is removed."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from faireavec.governance.chain import chain_verify, merkle_root
from faireavec.governance.models import AssemblyLogEntry, Ballot
from faireavec.governance.services import assembly_close, ballots_cast, proxy_give
from faireavec.governance.tests.factories import convened_assembly

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed():
    assembly, _c, _m = convened_assembly(members_per_college=(2, 2, 2))
    voters = list(assembly.voters.all())
    proxy_give(actor=None, assembly=assembly, giver=voters[5], holder=voters[4])
    r1 = assembly.resolutions.first()
    for voter in voters[:4]:
        ballots_cast(assembly=assembly, voter=voter, choices={r1.pk: "for"}, channel="online")
    assembly_close(actor=None, assembly=assembly)
    return assembly


def _sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_an_intact_chain_verifies(closed):
    check = chain_verify(assembly=closed)
    assert check.ok and check.entries == 4  # convened, proxy, closed, tally
    call_command("governance_verify", str(closed.pk))


def test_an_edited_entry_is_named(closed):
    entry = AssemblyLogEntry.objects.get(assembly=closed, seq=2)
    _sql(
        "UPDATE governance_assemblylogentry SET payload = %s WHERE id = %s",
        ['{"giver": "X", "holder": null, "to_chair": true}', entry.pk],
    )
    check = chain_verify(assembly=closed)
    assert not check.ok and check.broken_seq == 2 and "changed" in check.reason
    with pytest.raises(CommandError, match="entry 2"):
        call_command("governance_verify", str(closed.pk))


def test_a_deleted_entry_is_named(closed):
    _sql("DELETE FROM governance_assemblylogentry WHERE assembly_id = %s AND seq = 2", [closed.pk])
    check = chain_verify(assembly=closed)
    assert not check.ok and check.broken_seq == 2 and "missing" in check.reason


def test_reordered_entries_are_named(closed):
    a = AssemblyLogEntry.objects.get(assembly=closed, seq=2)
    b = AssemblyLogEntry.objects.get(assembly=closed, seq=3)
    _sql("UPDATE governance_assemblylogentry SET seq = 1000 WHERE id = %s", [a.pk])
    _sql("UPDATE governance_assemblylogentry SET seq = 2 WHERE id = %s", [b.pk])
    _sql("UPDATE governance_assemblylogentry SET seq = 3 WHERE id = %s", [a.pk])
    check = chain_verify(assembly=closed)
    assert not check.ok and check.broken_seq == 2


def test_a_removed_ballot_breaks_the_seal(closed):
    ballot = Ballot.objects.filter(resolution__assembly=closed).first()
    Ballot.objects.filter(pk=ballot.pk).delete()
    check = chain_verify(assembly=closed)
    assert not check.ok and check.broken_seq == 3 and "ballots" in check.reason


def test_merkle_root_depends_on_every_leaf():
    leaves = [bytes([i]) * 32 for i in range(5)]
    root = merkle_root(leaves)
    assert merkle_root(leaves[:4]) != root
    assert merkle_root([leaves[0], leaves[2], leaves[1], leaves[3], leaves[4]]) != root
