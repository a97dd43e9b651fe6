"""Nothing changes after the close, enforced by the database: raw SQL that goes
around every service is refused by the triggers (SQLite here, PostgreSQL in CI)."""

import uuid

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from faireavec.governance.models import Ballot, VoteRecord
from faireavec.governance.services import assembly_close, ballots_cast
from faireavec.governance.tests.factories import convened_assembly

pytestmark = pytest.mark.django_db

REFUSED = (IntegrityError, DatabaseError)


@pytest.fixture
def closed():
    assembly, _c, _m = convened_assembly(members_per_college=(2, 2, 2))
    voters = list(assembly.voters.all())
    r1 = assembly.resolutions.first()
    ballots_cast(assembly=assembly, voter=voters[0], choices={r1.pk: "for"}, channel="online")
    assembly_close(actor=None, assembly=assembly)
    return assembly, voters, r1


def _raw(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_raw_update_of_a_closed_ballot_fails(closed):
    _assembly, _v, r1 = closed
    ballot = Ballot.objects.get(resolution=r1)
    with pytest.raises(REFUSED, match="never changes"):
        _raw(
            "UPDATE governance_ballot SET choice = %s WHERE id = %s",
            ["against", ballot.pk.hex if connection.vendor == "sqlite" else str(ballot.pk)],
        )
    ballot.refresh_from_db()
    assert ballot.choice == "for"


def test_raw_update_of_any_ballot_fails_even_before_the_close():
    assembly, _c, _m = convened_assembly()
    r1 = assembly.resolutions.first()
    ballots_cast(
        assembly=assembly, voter=assembly.voters.first(), choices={r1.pk: "for"}, channel="online"
    )
    with pytest.raises(REFUSED, match="never changes"):
        _raw("UPDATE governance_ballot SET choice = %s", ["against"])
    assert Ballot.objects.get().choice == "for"


def test_raw_insert_of_a_ballot_after_the_close_fails(closed):
    _assembly, _v, r1 = closed
    key = uuid.uuid4()
    with pytest.raises(REFUSED, match="closed"):
        _raw(
            "INSERT INTO governance_ballot (id, resolution_id, college_id, choice, tracker) "
            "VALUES (%s, %s, NULL, %s, %s)",
            [key.hex if connection.vendor == "sqlite" else str(key), r1.pk, "for", "ZZZZZZZZZZZZ"],
        )
    assert Ballot.objects.filter(resolution=r1).count() == 1


def test_raw_insert_of_a_vote_record_after_the_close_fails(closed):
    _assembly, voters, r1 = closed
    with pytest.raises(REFUSED, match="closed"):
        _raw(
            "INSERT INTO governance_voterecord (resolution_id, voter_id, acted_by_id, channel, created_at) "
            "VALUES (%s, %s, %s, %s, CURRENT_TIMESTAMP)",
            [r1.pk, voters[1].pk, voters[1].pk, "online"],
        )
    assert VoteRecord.objects.filter(resolution=r1).count() == 1


def test_raw_update_of_the_register_of_votes_fails(closed):
    _a, voters, _r1 = closed
    with pytest.raises(REFUSED, match="never changes"):
        _raw("UPDATE governance_voterecord SET voter_id = %s", [voters[1].pk])


def test_a_closed_assembly_cannot_be_reopened_by_sql(closed):
    assembly, _v, _r = closed
    with pytest.raises(REFUSED, match="reopened"):
        _raw("UPDATE governance_assembly SET status = 'convened' WHERE id = %s", [assembly.pk])


def test_attendance_cannot_change_after_the_close(closed):
    _assembly, voters, _r = closed
    with pytest.raises(REFUSED, match="closed"):
        _raw("UPDATE governance_voter SET attendance = 'present' WHERE id = %s", [voters[2].pk])


def test_a_ballot_cannot_be_written_before_the_convocation():
    from faireavec.governance.tests.factories import AssemblyFactory, ResolutionFactory

    resolution = ResolutionFactory(assembly=AssemblyFactory())
    with pytest.raises(REFUSED, match="closed"), transaction.atomic():
        Ballot.objects.create(resolution=resolution, choice="for")
