"""Services: colleges, convocation, proxies, ballots, close and tally."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from faireavec.governance.chain import chain_verify
from faireavec.governance.models import Assembly, Ballot, College, Proxy, Voter, VoteRecord
from faireavec.governance.selectors import assembly_tallies, quorum_live, voting_rights
from faireavec.governance.services import (
    AlreadyVoted,
    assembly_close,
    assembly_convene,
    assembly_set_chair,
    ballots_cast,
    colleges_save,
    paper_vote_record,
    proxy_give,
    voter_may_act_for,
)
from faireavec.governance.tests.factories import (
    AssemblyFactory,
    MemberFactory,
    ResolutionFactory,
    convened_assembly,
    scic,
)
from faireavec.organisations.models import Organisation
from faireavec.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _rows(*weights, names=None):
    return [
        {
            "college": None,
            "name": (names or [f"C{i}" for i in range(len(weights))])[i],
            "weight": Decimal(w),
        }
        for i, w in enumerate(weights)
    ]


def test_scic_colleges_need_three_between_10_and_50_summing_to_100(people):
    """A SCIC's colleges are refused with a message naming each problem, and nothing is written."""
    org = OrganisationFactory(legal_form=Organisation.LegalForm.SCIC)
    with pytest.raises(ValidationError) as exc:
        colleges_save(actor=people["admin"], organisation=org, rows=_rows("60", "40"))
    text = " ".join(exc.value.messages)
    assert "au moins trois collèges" in text
    assert "« C0 » pèse 60" in text
    assert College.objects.filter(organisation=org).count() == 0
    with pytest.raises(ValidationError) as exc:
        colleges_save(actor=people["admin"], organisation=org, rows=_rows("30", "30", "30"))
    assert "100 %" in " ".join(exc.value.messages) and "90" in " ".join(exc.value.messages)
    saved = colleges_save(
        actor=people["admin"], organisation=org, rows=_rows("33.34", "33.33", "33.33")
    )
    assert [c.weight for c in saved] == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]


def test_colleges_can_swap_names_and_be_edited_together(people):
    org, colleges, _m = scic(members_per_college=(0, 0, 0))
    rows = [
        {"college": colleges[0], "name": colleges[1].name, "weight": Decimal("40")},
        {"college": colleges[1], "name": colleges[0].name, "weight": Decimal("35")},
        {"college": colleges[2], "name": colleges[2].name, "weight": Decimal("25")},
    ]
    colleges_save(actor=people["admin"], organisation=org, rows=rows)
    colleges[0].refresh_from_db()
    assert colleges[0].name == "Collège 2"


def test_convocation_checks_the_notice_period():
    org, _c, _m = scic()
    assembly = AssemblyFactory(organisation=org, session_at=timezone.now() + timedelta(days=10))
    ResolutionFactory(assembly=assembly)
    with pytest.raises(ValidationError) as exc:
        assembly_convene(actor=None, assembly=assembly)
    assert "15 jours" in " ".join(exc.value.messages)
    assembly.refresh_from_db()
    assert assembly.status == Assembly.Status.DRAFT
    assert not Voter.objects.filter(assembly=assembly).exists()


def test_convocation_lists_active_members_and_fixes_weights():
    assembly, colleges, members = convened_assembly()
    MemberFactory(
        organisation=assembly.organisation,
        college=colleges[0],
        status="resigned",
        left_on=timezone.localdate(),
    )
    assert assembly.status == Assembly.Status.CONVENED
    assert assembly.voters.count() == len(members)
    assert [c.weight for c in assembly.colleges.all()] == [
        Decimal("40"),
        Decimal("35"),
        Decimal("25"),
    ]
    assert assembly.quorum_percent == Decimal("20")
    assert chain_verify(assembly=assembly).ok


def test_one_vote_per_member_per_resolution():
    assembly, _c, _m = convened_assembly()
    voter = assembly.voters.first()
    r1, r2 = assembly.resolutions.all()
    receipts = ballots_cast(
        assembly=assembly, voter=voter, choices={r1.pk: "for"}, channel="online"
    )
    assert len(receipts[0].tracker) == 12
    with pytest.raises(AlreadyVoted):
        ballots_cast(
            assembly=assembly,
            voter=voter,
            choices={r1.pk: "against", r2.pk: "for"},
            channel="online",
        )
    # All or nothing: the second resolution was not written either.
    assert VoteRecord.objects.filter(voter=voter).count() == 1
    assert Ballot.objects.filter(resolution__assembly=assembly).count() == 1
    voter.refresh_from_db()
    assert voter.attendance == Voter.Attendance.REMOTE


def test_proxy_is_capped_and_the_holder_votes_for_each_represented(people):
    assembly, _c, _m = convened_assembly(members_per_college=(4, 3, 3))
    voters = list(assembly.voters.all())
    holder = voters[0]
    proxy_give(actor=None, assembly=assembly, giver=voters[1], holder=holder)
    proxy_give(actor=None, assembly=assembly, giver=voters[2], holder=holder)
    with pytest.raises(ValidationError) as exc:
        proxy_give(actor=None, assembly=assembly, giver=voters[3], holder=holder)
    assert "2 pouvoirs" in " ".join(exc.value.messages)
    rights = voting_rights(assembly=assembly, voter=holder)
    assert {v.pk for v in rights.represented} == {voters[1].pk, voters[2].pk}
    r1 = assembly.resolutions.first()
    ballots_cast(
        assembly=assembly, voter=voters[1], acted_by=holder, choices={r1.pk: "for"}, channel="proxy"
    )
    record = VoteRecord.objects.get(voter=voters[1])
    assert record.acted_by == holder and record.channel == "proxy"
    assert voter_may_act_for(holder=holder, represented=voters[2])
    assert not voter_may_act_for(holder=holder, represented=voters[4])
    # A represented member cannot vote for themselves any more.
    assert not voter_may_act_for(holder=voters[1], represented=voters[1])


def test_proxy_to_the_chair():
    assembly, _c, _m = convened_assembly()
    voters = list(assembly.voters.all())
    proxy_give(actor=None, assembly=assembly, giver=voters[1], holder=None, to_chair=True)
    assert not voter_may_act_for(holder=voters[0], represented=voters[1])
    assembly_set_chair(actor=None, assembly=assembly, voter=voters[0])
    assembly.refresh_from_db()
    assert voter_may_act_for(holder=voters[0], represented=voters[1])
    assert Proxy.objects.get(giver=voters[1]).to_chair


def test_close_seals_tallies_and_refuses_later_votes(people):
    assembly, colleges, _m = convened_assembly(members_per_college=(2, 2, 2))
    voters = list(assembly.voters.select_related("college"))
    r1, r2 = assembly.resolutions.all()
    # College 1 (40 %) all for, college 2 (35 %) all against, college 3 (25 %) for.
    choice = {colleges[0].pk: "for", colleges[1].pk: "against", colleges[2].pk: "for"}
    for voter in voters:
        paper_vote_record(
            actor=people["facilitator"],
            assembly=assembly,
            voter=voter,
            choices={r1.pk: choice[voter.college.college_id], r2.pk: "abstain"},
            channel="in_person",
        )
    assert quorum_live(assembly=assembly).met
    assembly_close(actor=people["admin"], assembly=assembly)
    r1.refresh_from_db()
    r2.refresh_from_db()
    assert r1.outcome == "adopted"
    assert r2.outcome == "rejected"  # only abstentions: nothing cast
    tallies = assembly_tallies(assembly=assembly)
    assert tallies[0].result.total_for == 65
    words = " ".join(tallies[0].explanation())
    assert "40 % × 100 % = 40 %" in words  # noqa: RUF001 -- the multiplication sign, in French arithmetic
    assert "40 % + 0 % + 25 % = 65 %" in words
    with pytest.raises(ValidationError):
        ballots_cast(assembly=assembly, voter=voters[0], choices={r1.pk: "for"}, channel="online")
    check = chain_verify(assembly=assembly)
    assert check.ok, check.reason
    assert check.entries == 1 + 1 + 1  # convened, closed, tally


def test_no_quorum_decides_nothing():
    assembly, _c, _m = convened_assembly(members_per_college=(5, 5, 5))
    r1 = assembly.resolutions.first()
    ballots_cast(
        assembly=assembly, voter=assembly.voters.first(), choices={r1.pk: "for"}, channel="online"
    )
    assembly_close(actor=None, assembly=assembly)
    r1.refresh_from_db()
    assert r1.outcome == "no_quorum"
