from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from faireavec.contributions.models import Contribution, Kind, Status
from faireavec.contributions.selectors import (
    InboxFilters,
    contribution_get_by_code,
    contributions_answered_public,
    contributions_inbox,
    contributions_overdue,
    listening_figures,
    public_ideas,
)
from faireavec.contributions.services import (
    contribution_change_status,
    contribution_set_hidden,
    contribution_set_public,
)
from faireavec.contributions.tests.factories import make_contribution
from faireavec.organisations.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


def _answered_after(org, actor, *, days: float, kind=Kind.IDEA, **kwargs) -> Contribution:
    """A contribution received `days` days before its first answer."""
    start = timezone.now() - timedelta(days=100)
    c = make_contribution(org, kind=kind, now=start, **kwargs)
    status = Status.ACCEPTED if kind == Kind.IDEA else Status.ANSWERED
    c = contribution_change_status(actor=actor, contribution=c, to_status=status, message="Oui.")
    answered = start + timedelta(days=days)
    Contribution.objects.filter(pk=c.pk).update(
        created_at=start,
        first_response_at=answered,
        first_response_seconds=int(days * 86400),
        answered_at=answered,
    )
    return c


def test_code_lookup_is_scoped_and_forgiving(org, other_org):
    """Found with spaces and lower case; never in another organisation; malformed is None."""
    c = make_contribution(org)
    spaced = " ".join(c.follow_up_code.lower())
    assert contribution_get_by_code(organisation=org, code=spaced) == c
    assert contribution_get_by_code(organisation=other_org, code=c.follow_up_code) is None
    assert contribution_get_by_code(organisation=org, code="0000000000") is None
    assert contribution_get_by_code(organisation=org, code="") is None


def test_overdue_complaints(org, people):
    """Overdue: not acknowledged by its date, or not answered by its date. Answered ones are not."""
    now = timezone.now()
    not_acknowledged = make_contribution(org, kind=Kind.COMPLAINT, now=now - timedelta(days=8))
    not_answered = make_contribution(org, kind=Kind.COMPLAINT, now=now - timedelta(days=40))
    contribution_change_status(
        actor=people["facilitator"], contribution=not_answered, to_status=Status.ACKNOWLEDGED
    )
    answered = make_contribution(org, kind=Kind.COMPLAINT, now=now - timedelta(days=40))
    contribution_change_status(
        actor=people["facilitator"], contribution=answered, to_status=Status.ANSWERED, message="Ok"
    )
    make_contribution(org, kind=Kind.COMPLAINT)  # fresh
    make_contribution(org, kind=Kind.IDEA, now=now - timedelta(days=90))  # ideas have no deadline
    overdue = set(contributions_overdue(organisation=org).values_list("pk", flat=True))
    assert overdue == {not_acknowledged.pk, not_answered.pk}


def test_inbox_filters(org, people):
    site = SiteFactory(organisation=org)
    idea = make_contribution(org, site=site)
    complaint = make_contribution(org, kind=Kind.COMPLAINT, now=timezone.now() - timedelta(days=40))
    Contribution.objects.filter(pk=complaint.pk).update(
        created_at=timezone.now() - timedelta(days=40)
    )
    done = make_contribution(org)
    contribution_change_status(
        actor=people["facilitator"], contribution=done, to_status=Status.DECLINED, message="Non"
    )

    def pks(**kwargs):
        return set(
            contributions_inbox(organisation=org, filters=InboxFilters(**kwargs)).values_list(
                "pk", flat=True
            )
        )

    assert pks() == {idea.pk, complaint.pk, done.pk}
    assert pks(kind=Kind.COMPLAINT) == {complaint.pk}
    assert pks(site=site.pk) == {idea.pk}
    assert pks(status="open") == {idea.pk, complaint.pk}
    assert pks(status=Status.DECLINED) == {done.pk}
    assert pks(older_than_days=30) == {complaint.pk}
    assert pks(overdue=True) == {complaint.pk}
    assert pks(q=complaint.follow_up_code) == {complaint.pk}


def test_said_done_lists_answered_visible_contributions(org, people):
    """Only answered and not hidden contributions are listed, newest answer first."""
    f = people["facilitator"]
    first = _answered_after(org, f, days=2)
    second = _answered_after(org, f, days=5)
    hidden = _answered_after(org, f, days=1)
    contribution_set_hidden(actor=f, contribution=hidden, hidden=True, reason="Insultes")
    make_contribution(org)  # not answered
    listed = list(contributions_answered_public(organisation=org))
    assert listed == [second, first]
    assert list(contributions_answered_public(organisation=org, kind=Kind.COMPLAINT)) == []


def test_listening_figures(org, people):
    """Received, share answered, median delay, complaints answered on time — from the database."""
    f = people["facilitator"]
    _answered_after(org, f, days=1)
    _answered_after(org, f, days=3)
    _answered_after(org, f, days=10)
    _answered_after(org, f, days=2, kind=Kind.COMPLAINT)  # on time (30 days)
    _answered_after(org, f, days=45, kind=Kind.COMPLAINT)  # late
    make_contribution(org)  # waiting
    figures = listening_figures(organisation=org)
    assert figures.received == 6
    assert figures.answered == 5
    assert figures.answered_share == 83
    assert figures.median_days_to_first_answer == 3.0  # 1, 2, 3, 10, 45
    assert figures.complaints_due == 2
    assert figures.complaints_on_time == 1
    assert figures.complaints_on_time_share == 50


def test_listening_figures_median_of_an_even_count(org, people):
    f = people["facilitator"]
    _answered_after(org, f, days=2)
    _answered_after(org, f, days=4)
    assert listening_figures(organisation=org).median_days_to_first_answer == 3.0


def test_listening_figures_when_empty(org):
    figures = listening_figures(organisation=org)
    assert figures.received == 0
    assert figures.answered_share is None and figures.median_days_to_first_answer is None


def test_listening_figures_use_two_queries_whatever_the_volume(org, people):
    f = people["facilitator"]
    counts = []
    for days in (1, 3, 5):  # two, four, then six answered contributions
        _answered_after(org, f, days=days)
        _answered_after(org, f, days=days + 1)
        with CaptureQueriesContext(connection) as queries:
            listening_figures(organisation=org)
        counts.append(len(queries))
    assert counts == [2, 2, 2]


def test_public_ideas_are_public_visible_ideas(org, other_org, people):
    f = people["facilitator"]
    shown = contribution_set_public(actor=f, contribution=make_contribution(org), public=True)
    hidden = contribution_set_public(actor=f, contribution=make_contribution(org), public=True)
    contribution_set_hidden(actor=f, contribution=hidden, hidden=True, reason="Spam")
    make_contribution(org)  # not public
    contribution_set_public(
        actor=f, contribution=make_contribution(other_org), public=True
    )  # other organisation
    assert list(public_ideas(organisation=org)) == [shown]


def test_moderation_queue_holds_only_reported_or_hidden(org, people):
    """Unreported contributions and comments are not in the queue; reviewed reports leave it."""
    from faireavec.contributions.selectors import moderation_queue
    from faireavec.contributions.services import comment_report, contribution_report
    from faireavec.contributions.tests.factories import CommentFactory

    quiet = make_contribution(org)
    CommentFactory(contribution=quiet)
    reported = make_contribution(org)
    contribution_report(contribution=reported, user=people["participant"])
    flagged_comment = CommentFactory(contribution=quiet)
    comment_report(comment=flagged_comment, user=people["participant"])
    queue = moderation_queue(organisation=org)
    assert list(queue["contributions"]) == [reported]
    assert queue["contributions"][0].open_reports == 1
    assert list(queue["comments"]) == [flagged_comment]
    contribution_set_hidden(
        actor=people["facilitator"], contribution=reported, hidden=False, reason="Vu"
    )
    assert list(moderation_queue(organisation=org)["contributions"]) == []


def _report_at(contribution, *, when, comment=None, reviewed=False, session_key=""):
    from faireavec.contributions.models import Report

    report = Report.objects.create(
        contribution=contribution,
        comment=comment,
        session_key=session_key or f"s-{Report.objects.count()}",
        reviewed_at=timezone.now() if reviewed else None,
    )
    Report.objects.filter(pk=report.pk).update(created_at=when)  # auto_now_add
    return report


def test_moderation_queue_leaves_out_what_nobody_reported(org):
    """A contribution or comment without any report is not in the queue (the outer join
    on reports used to let every one of them through)."""
    from faireavec.contributions.selectors import moderation_queue
    from faireavec.contributions.tests.factories import CommentFactory

    make_contribution(org)
    hidden = make_contribution(org)  # hidden by a facilitator, nothing reported
    Contribution.objects.filter(pk=hidden.pk).update(is_hidden=True)
    CommentFactory(contribution=make_contribution(org))
    queue = moderation_queue(organisation=org)
    assert list(queue["contributions"]) == []
    assert list(queue["comments"]) == []


def test_moderation_queue_only_counts_reports_still_to_review(org):
    """Reviewed reports do not count; a report on a comment is not a report on its
    contribution."""
    from faireavec.contributions.selectors import moderation_queue
    from faireavec.contributions.tests.factories import CommentFactory

    now = timezone.now()
    reviewed = make_contribution(org)
    _report_at(reviewed, when=now, reviewed=True)
    with_comment = make_contribution(org)
    comment = CommentFactory(contribution=with_comment)
    _report_at(with_comment, comment=comment, when=now)
    _report_at(with_comment, comment=comment, when=now, reviewed=True)
    twice = make_contribution(org)
    _report_at(twice, when=now)
    _report_at(twice, when=now)
    _report_at(twice, when=now, reviewed=True)
    queue = moderation_queue(organisation=org)
    assert [(c, c.open_reports) for c in queue["contributions"]] == [(twice, 2)]
    assert [(c, c.open_reports) for c in queue["comments"]] == [(comment, 1)]


def test_moderation_queue_puts_the_oldest_report_first(org, other_org):
    """The contribution reported longest ago comes first, whatever its id or its number
    of reports; another organisation's reports never show."""
    from faireavec.contributions.selectors import moderation_queue
    from faireavec.contributions.tests.factories import CommentFactory

    now = timezone.now()
    recent, old, middle = (make_contribution(org) for _ in range(3))
    _report_at(recent, when=now - timedelta(hours=1))
    _report_at(recent, when=now - timedelta(hours=2))
    _report_at(old, when=now - timedelta(days=3))
    _report_at(middle, when=now - timedelta(days=1))
    _report_at(make_contribution(other_org), when=now - timedelta(days=9))
    first_comment = CommentFactory(contribution=recent)
    second_comment = CommentFactory(contribution=recent)
    _report_at(recent, comment=second_comment, when=now - timedelta(days=2))
    _report_at(recent, comment=first_comment, when=now - timedelta(hours=5))
    queue = moderation_queue(organisation=org)
    assert list(queue["contributions"]) == [old, middle, recent]
    assert queue["contributions"][0].first_reported_at == now - timedelta(days=3)
    assert list(queue["comments"]) == [second_comment, first_comment]
