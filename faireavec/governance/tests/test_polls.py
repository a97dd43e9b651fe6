"""Consultations: majority judgment against a plain reference on random profiles
(hypothesis), results in words, one answer per person (also from two PostgreSQL
connections at once), dates, bad input, permissions per role and the pages."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from faireavec.governance.models import Poll, PollBallot, PollMark, PollParticipation
from faireavec.governance.polls import (
    GRADE_COUNT,
    judgment_ranking,
    majority_grade,
    median_sequence,
    results_compute,
)
from faireavec.governance.selectors import poll_results
from faireavec.governance.services import AlreadyAnswered, poll_answer, poll_close, poll_create
from faireavec.governance.tests.factories import MemberFactory


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English (pages are still served in French)."""
    with translation.override("en"):
        yield


# Reference: majority judgment done by hand --------------------------------------


def reference_medians(grades: list[int]) -> list[int]:
    """Sort the grades, take the lower median, remove it, again until none is left."""
    left = sorted(grades)
    medians = []
    while left:
        medians.append(left.pop((len(left) - 1) // 2))
    return medians


def reference_ranking(profiles: list[list[int]]) -> list[int]:
    """Best first: compare medians, and on equal medians remove them one by one
    (a stable sort on the whole sequence of medians, higher is better)."""
    keys = [reference_medians(p) for p in profiles]
    return sorted(range(len(profiles)), key=lambda i: [-g for g in keys[i]])


def counts_of(grades: list[int]) -> list[int]:
    return [grades.count(g) for g in range(GRADE_COUNT)]


@st.composite
def profiles(draw):
    """2 to 6 options graded by the same 1 to 40 voters; grades drawn from a narrow
    range half the time, so that ties on the median are frequent."""
    voters = draw(st.integers(min_value=1, max_value=40))
    options = draw(st.integers(min_value=2, max_value=6))
    low = draw(st.integers(min_value=0, max_value=GRADE_COUNT - 1))
    high = draw(st.integers(min_value=low, max_value=min(GRADE_COUNT - 1, low + 2)))
    grade = draw(st.sampled_from([st.integers(0, GRADE_COUNT - 1), st.integers(low, high)]))
    return [draw(st.lists(grade, min_size=voters, max_size=voters)) for _ in range(options)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, GRADE_COUNT - 1), min_size=1, max_size=60))
def test_median_sequence_from_counts_matches_removing_medians_by_hand(grades):
    assert list(median_sequence(counts_of(grades))) == reference_medians(grades)


@settings(max_examples=300, deadline=None)
@given(profiles())
def test_majority_judgment_ranking_matches_the_reference(profile):
    """The ranking read from counts, stopping at the first difference, equals the
    plain one that sorts ballots and removes medians."""
    ranking = judgment_ranking([counts_of(p) for p in profile])
    assert ranking == reference_ranking(profile)
    # The winner has the best majority grade.
    best = max(majority_grade(counts_of(p)) for p in profile)
    assert majority_grade(counts_of(profile[ranking[0]])) == best


def test_majority_grade_is_the_lower_median():
    # Four voters: grades 1, 2, 4, 5: three of four gave 2 or better, only two 4 or better.
    assert majority_grade(counts_of([1, 2, 4, 5])) == 2
    assert majority_grade(counts_of([3, 3, 5])) == 3
    assert majority_grade([0] * GRADE_COUNT) is None


def test_tie_on_the_majority_grade_is_broken_and_explained():
    """A and B both have « good » as majority grade; removing the median once, A is
    left with « good » and B with « rather good »: A comes first, and it is said."""
    a = [4, 4, 4, 2, 5]  # sorted 2 4 4 4 5: medians 4, 4, 4, 2, 5
    b = [4, 3, 5, 5, 1]  # sorted 1 3 4 5 5: medians 4, 3, 5, 1, 5
    result = results_compute(
        method="judgment",
        options=[(1, "B"), (2, "A")],
        counts={1: counts_of(b), 2: counts_of(a)},
        voters=5,
    )
    assert [r.label for r in result.options] == ["A", "B"]
    text = " ".join(result.explanation)
    assert "after 1 removal" in text
    assert "Result: « A » comes first." in text


def test_identical_grades_are_a_tie():
    result = results_compute(
        method="judgment",
        options=[(1, "A"), (2, "B")],
        counts={1: counts_of([3, 4]), 2: counts_of([4, 3])},
        voters=2,
    )
    assert [r.rank for r in result.options] == [1, 1]
    assert "tie" in result.explanation[-1]


def test_approval_result_in_words():
    result = results_compute(
        method="approval", options=[(1, "A"), (2, "B")], counts={1: [0, 1], 2: [0, 3]}, voters=4
    )
    assert [r.label for r in result.options] == ["B", "A"]
    assert "« B »: approved by 3 of 4 people (75 %)." in result.explanation


# Services -----------------------------------------------------------------------


def make_poll(org, *, method=Poll.Method.MAJORITY_JUDGMENT, audience=Poll.Audience.MEMBERS, **kw):
    now = timezone.now()
    return poll_create(
        actor=None,
        poll=Poll(
            organisation=org,
            title="Quel nom ?",
            method=method,
            audience=audience,
            opens_at=kw.get("opens_at", now - timedelta(days=1)),
            closes_at=kw.get("closes_at", now + timedelta(days=1)),
        ),
        options=kw.get("options", ["Alpha", "Bêta", "Gamma"]),
    )


def keys(poll):
    return list(poll.options.values_list("pk", flat=True))


@pytest.mark.django_db
class TestServices:
    def test_one_answer_per_person(self, org, people):
        poll = make_poll(org)
        user = people["member"]
        marks = dict.fromkeys(keys(poll), 3)
        poll_answer(poll=poll, user=user, marks=marks)
        with pytest.raises(AlreadyAnswered):
            poll_answer(poll=poll, user=user, marks=marks)
        assert PollParticipation.objects.filter(poll=poll).count() == 1
        assert PollBallot.objects.filter(poll=poll).count() == 1
        assert PollMark.objects.filter(ballot__poll=poll).count() == 3

    def test_the_ballot_does_not_name_the_person(self):
        names = {f.name for f in PollBallot._meta.get_fields()}
        assert names == {"id", "poll", "marks"}

    def test_no_answer_before_opening_or_after_close(self, org, people):
        now = timezone.now()
        later = make_poll(org, opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=2))
        with pytest.raises(ValidationError, match="not open yet"):
            poll_answer(poll=later, user=people["member"], marks=dict.fromkeys(keys(later), 3))
        poll = make_poll(org)
        poll_close(actor=None, poll=poll)
        with pytest.raises(ValidationError, match="closed"):
            poll_answer(poll=poll, user=people["member"], marks=dict.fromkeys(keys(poll), 3))
        assert not PollParticipation.objects.exists()

    @pytest.mark.parametrize(
        ("method", "marks", "message"),
        [
            ("judgment", "two", "every option"),
            ("judgment", "grade9", "grades offered"),
            ("approval", "none", "at least one"),
            ("single", "two", "one option"),
            ("single", "foreign", "not part"),
        ],
    )
    def test_bad_answers_are_refused_with_a_message(self, org, people, method, marks, message):
        poll = make_poll(org, method=method)
        k = keys(poll)
        value = 1 if method != "judgment" else 3
        given_marks = {
            "two": {k[0]: value, k[1]: value},
            "grade9": dict.fromkeys(k, 9),
            "none": {},
            "foreign": {max(k) + 1000: 1},
        }[marks]
        with pytest.raises(ValidationError, match=message):
            poll_answer(poll=poll, user=people["member"], marks=given_marks)
        assert not PollParticipation.objects.exists()

    @pytest.mark.parametrize(
        ("options", "message"),
        [(["Seul"], "at least two"), (["A", "a"], "only once"), (["x" * 201, "B"], "200")],
    )
    def test_bad_options_are_refused(self, org, options, message):
        with pytest.raises(ValidationError, match=message):
            make_poll(org, options=options)
        assert not Poll.objects.exists()

    def test_closing_before_opening_is_refused(self, org):
        now = timezone.now()
        with pytest.raises(ValidationError):
            make_poll(org, opens_at=now, closes_at=now - timedelta(hours=1))

    def test_results_count_every_ballot(self, org, people):
        poll = make_poll(org)
        a, b, c = keys(poll)
        for user, grades in zip(
            [people["member"], people["admin"], people["facilitator"]],
            [(5, 2, 0), (4, 4, 1), (3, 5, 1)],
            strict=True,
        ):
            poll_answer(poll=poll, user=user, marks=dict(zip((a, b, c), grades, strict=True)))
        poll_close(actor=None, poll=poll)
        result = poll_results(poll=poll)
        assert result.voters == 3
        assert [r.label for r in result.options] == ["Alpha", "Bêta", "Gamma"]
        assert result.options[0].majority_label == "good"


def _race(*calls):
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
def test_two_connections_answering_for_the_same_person_give_one_ballot(org, people):
    poll = make_poll(org, method=Poll.Method.SINGLE)
    a, b, _c = keys(poll)
    user = people["member"]
    results, errors = _race(
        lambda: poll_answer(poll=poll, user=user, marks={a: 1}),
        lambda: poll_answer(poll=poll, user=user, marks={b: 1}),
    )
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], AlreadyAnswered)
    assert PollParticipation.objects.filter(poll=poll).count() == 1
    assert PollBallot.objects.filter(poll=poll).count() == 1
    assert PollMark.objects.filter(ballot__poll=poll).count() == 1


# Permissions --------------------------------------------------------------------

ROLES = ["anonymous", "participant", "member", "facilitator", "admin", "other_admin"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_permissions_per_role(org, people, role):
    """Members' consultations: members of the register (here the participant) answer;
    the team reads them; a member role without a register entry does not.
    Participants' consultations: anyone with a role answers. Back office: team reads,
    admins manage. Another organisation: nothing."""
    MemberFactory(organisation=org, user=people["participant"])
    members_poll = make_poll(org)
    everyone_poll = make_poll(org, audience=Poll.Audience.PARTICIPANTS)
    user = people[role] or AnonymousUser()
    in_org = role in {"participant", "member", "facilitator", "admin"}
    assert user.has_perm("governance.answer_poll", members_poll) is (role == "participant")
    assert user.has_perm("governance.view_poll", members_poll) is (
        role in {"participant", "facilitator", "admin"}
    )
    assert user.has_perm("governance.answer_poll", everyone_poll) is in_org
    assert user.has_perm("governance.view_poll", everyone_poll) is in_org
    assert user.has_perm("governance.view_polls", org) is in_org
    assert user.has_perm("governance.view_poll_admin", org) is (role in {"facilitator", "admin"})
    assert user.has_perm("governance.manage_poll", org) is (role == "admin")
    poll_close(actor=None, poll=everyone_poll)
    assert not user.has_perm("governance.answer_poll", everyone_poll)


# Pages --------------------------------------------------------------------------


def _url(name, poll):
    return reverse(name, kwargs={"org_slug": poll.organisation.slug, "poll_pk": poll.pk})


@pytest.mark.django_db
class TestPages:
    def test_a_member_answers_once_and_reads_the_result_after_the_close(
        self, org, people, client_for
    ):
        MemberFactory(organisation=org, user=people["member"])
        poll = make_poll(org)
        client = client_for(people["member"])
        page = client.get(_url("governance:poll_public", poll))
        assert page.status_code == 200
        assert "Send my answer" in page.content.decode() or "Envoyer" in page.content.decode()
        data = {f"o{pk}": "4" for pk in keys(poll)}
        response = client.post(_url("governance:poll_public", poll), data)
        assert response.status_code == 302
        assert PollParticipation.objects.filter(poll=poll, user=people["member"]).exists()
        again = client.post(_url("governance:poll_public", poll), data)
        assert again.status_code == 302
        assert PollBallot.objects.filter(poll=poll).count() == 1
        poll_close(actor=None, poll=poll)
        result_page = client.get(_url("governance:poll_public", poll)).content.decode()
        assert 'class="table-wrap"' in result_page
        assert "<caption" in result_page

    def test_a_missing_grade_is_said_on_the_form(self, org, people, client_for):
        MemberFactory(organisation=org, user=people["member"])
        poll = make_poll(org)
        first = keys(poll)[0]
        response = client_for(people["member"]).post(
            _url("governance:poll_public", poll), {f"o{first}": "4", f"o{first + 1}": "banana"}
        )
        assert response.status_code == 200
        assert not PollParticipation.objects.exists()

    def test_a_members_poll_is_not_found_by_a_participant_outside_the_register(
        self, org, people, client_for
    ):
        poll = make_poll(org)
        client = client_for(people["participant"])
        assert client.get(_url("governance:poll_public", poll)).status_code == 404
        assert client.post(_url("governance:poll_public", poll), {}).status_code == 404
        listing = client.get(reverse("governance:poll_list_public", kwargs={"org_slug": org.slug}))
        assert poll.title not in listing.content.decode()

    def test_admin_creates_and_closes_a_poll(self, org, people, client_for):
        client = client_for(people["admin"])
        create = reverse("governance:poll_create", kwargs={"org_slug": org.slug})
        assert client.get(create).status_code == 200
        response = client.post(
            create,
            {
                "title": "Horaires",
                "method": "single",
                "audience": "participants",
                "opens_at": "2026-01-01T10:00",
                "closes_at": "2030-01-01T10:00",
                "options": "Matin\nSoir\n",
            },
        )
        assert response.status_code == 302
        poll = Poll.objects.get(title="Horaires")
        assert poll.options.count() == 2
        assert client.post(_url("governance:poll_close", poll)).status_code == 302
        poll.refresh_from_db()
        assert poll.is_closed_now
        assert client.get(_url("governance:poll_detail", poll)).status_code == 200

    def test_bad_dates_are_said_on_the_form(self, org, people, client_for):
        client = client_for(people["admin"])
        response = client.post(
            reverse("governance:poll_create", kwargs={"org_slug": org.slug}),
            {
                "title": "Horaires",
                "method": "single",
                "audience": "participants",
                "opens_at": "2030-01-01T10:00",
                "closes_at": "2026-01-01T10:00",
                "options": "Matin\nSoir",
            },
        )
        assert response.status_code == 200
        assert not Poll.objects.exists()

    def test_a_facilitator_may_not_create(self, org, people, client_for):
        response = client_for(people["facilitator"]).get(
            reverse("governance:poll_create", kwargs={"org_slug": org.slug})
        )
        assert response.status_code == 403
