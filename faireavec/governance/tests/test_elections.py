"""Elections of seats: candidates checked against the seats' reservation, members
vote through the consultation (one answer each, at most as many candidates as
seats), and after the close the winners' mandates fill the seats; a tie for the
last seat is left to the body."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from faireavec.accounts.tests.factories import UserFactory
from faireavec.governance.models import Body, Election, Mandate, Seat
from faireavec.governance.selectors import poll_results
from faireavec.governance.services import (
    election_create,
    election_fill,
    poll_answer,
    poll_close,
    seat_add,
)
from faireavec.governance.tests.factories import MemberFactory, scic

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def board(org):
    _o, colleges, members = scic(organisation=org)
    body = Body.objects.create(organisation=org, kind=Body.Kind.BOARD, name="CA", mandate_months=24)
    seats = [
        seat_add(actor=None, body=body, label=f"Siège {i}", reserved_for="none", college=None)
        for i in (1, 2)
    ]
    return body, seats, colleges, members


def _elect(board, candidates, **kw):
    body, seats, _c, _m = board
    now = timezone.now()
    return election_create(
        actor=None,
        body=body,
        seats=kw.get("seats", seats),
        candidates=candidates,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
        mandates_start_on=date(2027, 1, 1),
    )


def _vote(election, *option_sets):
    options = list(election.poll.options.all())
    for chosen in option_sets:
        poll_answer(
            poll=election.poll, user=UserFactory(), marks={options[i].pk: 1 for i in chosen}
        )


def test_the_winners_fill_the_seats(board):
    _body, seats, _c, members = board
    election = _elect(board, [(m, False) for m in members[:3]])
    assert election.poll.method == "approval" and election.poll.max_choices == 2
    _vote(election, [0, 1], [0, 2], [0, 1], [1])  # 3, 3 and 1 votes
    poll_close(actor=None, poll=election.poll)
    mandates = election_fill(actor=None, election=election, result=poll_results(poll=election.poll))
    assert [m.member for m in mandates] == members[:2]
    assert all(m.starts_on == date(2027, 1, 1) for m in mandates)
    assert {m.seat for m in mandates} <= set(seats)
    election.refresh_from_db()
    assert election.filled_at is not None
    with pytest.raises(ValidationError, match="already"):
        election_fill(actor=None, election=election, result=poll_results(poll=election.poll))


def test_a_tie_for_the_last_seat_is_left_to_the_body(board):
    _body, _seats, _c, members = board
    election = _elect(board, [(m, False) for m in members[:3]])
    _vote(election, [0, 1], [0, 2])
    poll_close(actor=None, poll=election.poll)
    with pytest.raises(ValidationError, match="tie"):
        election_fill(actor=None, election=election, result=poll_results(poll=election.poll))
    assert not Mandate.objects.exists()


def test_no_mandate_while_the_vote_is_open(board):
    _body, _seats, _c, members = board
    election = _elect(board, [(m, False) for m in members[:3]])
    with pytest.raises(ValidationError, match="open"):
        election_fill(actor=None, election=election, result=poll_results(poll=election.poll))


def test_a_member_approves_at_most_as_many_candidates_as_seats(board):
    _body, _seats, _c, members = board
    election = _elect(board, [(m, False) for m in members[:3]])
    with pytest.raises(ValidationError, match="at most 2"):
        _vote(election, [0, 1, 2])


def test_candidates_must_fit_the_seats_reservation(org, board):
    body, _seats, colleges, members = board
    college_seat = seat_add(
        actor=None, body=body, label="Salariés", reserved_for="college", college=colleges[1]
    )
    users_seat = seat_add(actor=None, body=body, label="Usager", reserved_for="users", college=None)
    outsider = next(m for m in members if m.college_id != colleges[1].pk)
    with pytest.raises(ValidationError, match="not in the college"):
        _elect(board, [(outsider, False)], seats=[college_seat])
    with pytest.raises(ValidationError, match="reserved for users"):
        _elect(board, [(outsider, False)], seats=[users_seat])
    with pytest.raises(ValidationError, match="same reservation"):
        _elect(board, [(outsider, True)], seats=[users_seat, college_seat])
    other = MemberFactory()
    with pytest.raises(ValidationError, match="not an active member"):
        _elect(board, [(other, False)])
    assert not Election.objects.exists()


def test_one_seat_is_a_single_choice(board):
    _body, seats, _c, members = board
    election = _elect(board, [(m, False) for m in members[:2]], seats=seats[:1])
    assert election.poll.method == "single"


class TestPages:
    def test_an_admin_prepares_an_election_and_records_the_mandates(
        self, org, people, client_for, board
    ):
        body, seats, _c, members = board
        client = client_for(people["admin"])
        url = reverse(
            "governance:election_create", kwargs={"org_slug": org.slug, "body_pk": body.pk}
        )
        assert client.get(url).status_code == 200
        data = {
            "seats": [seats[0].pk],
            "candidates": f"{members[0].number}\n{members[1].number}, usager",
            "opens_at": "2026-01-01T10:00",
            "closes_at": "2030-01-01T10:00",
            "mandates_start_on": "2027-01-01",
        }
        bad = client.post(url, {**data, "candidates": "NOPE-1"})
        assert bad.status_code == 200 and "NOPE-1" in bad.content.decode()
        response = client.post(url, data)
        assert response.status_code == 302
        election = Election.objects.get()
        assert election.candidates.get(member=members[1]).is_user
        options = list(election.poll.options.all())
        poll_answer(poll=election.poll, user=UserFactory(), marks={options[1].pk: 1})
        poll_close(actor=None, poll=election.poll)
        detail = election.get_absolute_url()
        assert client.get(detail).status_code == 200
        assert client.post(detail).status_code == 302
        mandate = Mandate.objects.get()
        assert mandate.member == members[1] and mandate.is_user
        assert client_for(people["facilitator"]).get(detail).status_code == 200
        assert client_for(people["facilitator"]).post(detail).status_code == 404
        assert client_for(people["facilitator"]).get(url).status_code == 403

    def test_the_body_page_lists_its_elections(self, org, people, client_for, board):
        body, _seats, _c, members = board
        election = _elect(board, [(m, False) for m in members[:3]])
        page = client_for(people["admin"]).get(
            reverse("governance:body_detail", kwargs={"org_slug": org.slug, "body_pk": body.pk})
        )
        assert election.poll.title in page.content.decode()


def test_seats_of_another_body_are_refused(board, org):
    _body, _seats, _c, members = board
    other = Body.objects.create(organisation=org, kind=Body.Kind.WORKING_GROUP, name="GT")
    seat = Seat.objects.create(body=other, label="X")
    with pytest.raises(ValidationError, match="this body"):
        _elect(board, [(members[0], False)], seats=[seat])
