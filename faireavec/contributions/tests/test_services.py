from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation

from faireavec.accounts.tests.factories import UserFactory
from faireavec.contributions.models import (
    FOLLOW_UP_ALPHABET,
    Channel,
    Comment,
    Contribution,
    HistoryEntry,
    Kind,
    Report,
    Status,
    Support,
)
from faireavec.contributions.services import (
    comment_report,
    contribution_change_status,
    contribution_reopen,
    contribution_report,
    contribution_set_hidden,
    contribution_set_public,
    contribution_support,
    contribution_unsupport,
    contribution_update_answer,
    contributions_escalate_overdue,
)
from faireavec.contributions.tests.factories import CommentFactory, make_contribution
from faireavec.core.models import AuditEntry, Notification
from faireavec.organisations.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


def test_anonymous_contribution_keeps_no_personal_data(org):
    """Online without an account: no user, no contact, a 10-character code from the safe alphabet."""
    c = make_contribution(org, kind=Kind.IDEA)
    assert c.author is None and c.recorded_by is None
    assert c.contact_name == c.contact_details == ""
    assert c.channel == Channel.ONLINE
    assert len(c.follow_up_code) == 10
    assert set(c.follow_up_code) <= set(FOLLOW_UP_ALPHABET)
    entry = c.history.get()
    assert entry.event == HistoryEntry.Event.CREATED and entry.actor is None


def test_follow_up_codes_differ(org):
    """Codes are random, not a sequence."""
    codes = {make_contribution(org).follow_up_code for _ in range(20)}
    assert len(codes) == 20


def test_complaint_gets_deadlines_from_the_organisation(org):
    """A complaint is due for acknowledgement and answer after the organisation's N and M days."""
    org.complaint_acknowledge_days, org.complaint_answer_days = 3, 20
    org.save()
    now = timezone.now()
    c = make_contribution(org, kind=Kind.COMPLAINT, now=now)
    assert c.acknowledge_due == now + timedelta(days=3)
    assert c.answer_due == now + timedelta(days=20)
    assert c.severity == "medium"
    idea = make_contribution(org, kind=Kind.IDEA)
    assert idea.answer_due is None and idea.severity == ""


def test_site_of_another_organisation_is_refused(org, other_org):
    """A site must belong to the contribution's organisation; nothing is written otherwise."""
    with pytest.raises(ValidationError):
        make_contribution(org, site=SiteFactory(organisation=other_org))
    assert not Contribution.objects.exists()


def test_assisted_entry_records_channel_and_keeps_contact_only_with_consent(org, people):
    """Assisted entry: the channel and the facilitator are recorded; contact needs consent."""
    facilitator = people["facilitator"]
    with pytest.raises(ValidationError):
        make_contribution(
            org,
            channel=Channel.PHONE,
            recorded_by=facilitator,
            contact_details="06 00 00 00 00",
            contact_consent=False,
        )
    assert not Contribution.objects.exists()
    c = make_contribution(
        org,
        channel=Channel.PHONE,
        recorded_by=facilitator,
        contact_name="Mme Diallo",
        contact_details="06 00 00 00 00",
        contact_consent=True,
    )
    assert c.channel == Channel.PHONE and c.recorded_by == facilitator
    assert AuditEntry.objects.filter(action="contributions.assisted_entry").count() == 1


def test_online_contribution_cannot_carry_contact_details(org):
    """The database refuses contact details on an online contribution."""
    c = make_contribution(org)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.filter(pk=c.pk).update(contact_details="x", contact_consent=True)


def test_an_idea_cannot_be_declined_without_a_reason(org, people):
    """The service asks for a reason; the database refuses a declined row without one."""
    c = make_contribution(org)
    with pytest.raises(ValidationError) as exc:
        contribution_change_status(
            actor=people["facilitator"], contribution=c, to_status=Status.DECLINED, message=" "
        )
    assert "message" in exc.value.message_dict
    c.refresh_from_db()
    assert c.status == Status.RECEIVED
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.filter(pk=c.pk).update(status=Status.DECLINED, answer="")
    contribution_change_status(
        actor=people["facilitator"], contribution=c, to_status=Status.DECLINED, message="Trop cher."
    )
    c.refresh_from_db()
    assert c.status == Status.DECLINED and c.answer == "Trop cher."


def test_status_moves_follow_the_table(org, people):
    """An idea cannot jump from received to done; a complaint cannot take an idea's status."""
    c = make_contribution(org)
    with pytest.raises(ValidationError):
        contribution_change_status(
            actor=people["facilitator"], contribution=c, to_status=Status.DONE
        )
    complaint = make_contribution(org, kind=Kind.COMPLAINT)
    with pytest.raises(ValidationError):
        contribution_change_status(
            actor=people["facilitator"], contribution=complaint, to_status=Status.ACCEPTED
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.filter(pk=complaint.pk).update(status=Status.ACCEPTED)


def test_idea_goes_through_its_statuses_with_history_and_dates(org, people):
    """received → under study → accepted → done; each step is in the history with who and when."""
    c = make_contribution(org)
    f = people["facilitator"]
    contribution_change_status(
        actor=f, contribution=c, to_status=Status.UNDER_STUDY, message="On regarde."
    )
    c.refresh_from_db()
    assert c.first_response_at is not None and c.answered_at is None
    contribution_change_status(actor=f, contribution=c, to_status=Status.ACCEPTED, message="Oui !")
    contribution_change_status(
        actor=f, contribution=c, to_status=Status.DONE, message="Bancs posés."
    )
    c.refresh_from_db()
    assert c.status == Status.DONE
    assert c.answer == "Oui !" and c.outcome == "Bancs posés."
    assert c.answered_at is not None
    moves = list(
        c.history.filter(event=HistoryEntry.Event.STATUS).values_list("to_status", "actor")
    )
    assert moves == [(Status.UNDER_STUDY, f.pk), (Status.ACCEPTED, f.pk), (Status.DONE, f.pk)]


def test_answering_a_complaint_needs_the_answer(org, people):
    complaint = make_contribution(org, kind=Kind.COMPLAINT)
    with pytest.raises(ValidationError):
        contribution_change_status(
            actor=people["facilitator"], contribution=complaint, to_status=Status.ANSWERED
        )
    contribution_change_status(
        actor=people["facilitator"],
        contribution=complaint,
        to_status=Status.ANSWERED,
        message="Nous avons réparé la rampe.",
    )
    complaint.refresh_from_db()
    assert complaint.answer == "Nous avons réparé la rampe."


def test_a_closed_complaint_cannot_be_reopened_silently(org, people):
    """A closed complaint refuses any status move; only an explicit reopen with a message works."""
    f = people["facilitator"]
    c = make_contribution(org, kind=Kind.COMPLAINT)
    contribution_change_status(
        actor=f, contribution=c, to_status=Status.ANSWERED, message="Réponse."
    )
    contribution_change_status(actor=f, contribution=c, to_status=Status.CLOSED)
    with pytest.raises(ValidationError):
        contribution_change_status(actor=f, contribution=c, to_status=Status.INVESTIGATING)
    with pytest.raises(ValidationError):
        contribution_reopen(actor=f, contribution=c, message="")
    c.refresh_from_db()
    assert c.status == Status.CLOSED
    contribution_reopen(actor=f, contribution=c, message="La fuite est revenue.")
    c.refresh_from_db()
    assert c.status == Status.INVESTIGATING
    entry = c.history.get(event=HistoryEntry.Event.REOPENED)
    assert entry.is_public and entry.message == "La fuite est revenue."
    assert (entry.from_status, entry.to_status) == (Status.CLOSED, Status.INVESTIGATING)


def test_reopening_an_open_contribution_is_refused(org, people):
    c = make_contribution(org)
    with pytest.raises(ValidationError):
        contribution_reopen(actor=people["facilitator"], contribution=c, message="Pourquoi pas.")


def test_author_is_notified_at_each_public_step(org, people):
    """A signed-in author gets a notification linking to the follow-up page; anonymous ones don't."""
    author = people["participant"]
    c = make_contribution(org, author=author)
    anonymous = make_contribution(org)
    for item in (c, anonymous):
        contribution_change_status(
            actor=people["facilitator"], contribution=item, to_status=Status.UNDER_STUDY
        )
    notification = Notification.objects.get()
    assert notification.recipient == author
    assert c.follow_up_code in notification.url
    contribution_update_answer(
        actor=people["facilitator"], contribution=c, answer="Oui.", outcome="", public_summary=""
    )
    assert Notification.objects.filter(recipient=author).count() == 2


def test_author_is_notified_in_their_own_language(org, people):
    """The notification is written in the author's language, not the facilitator's."""
    author = people["participant"]
    author.language = "en"
    author.save(update_fields=["language"])
    c = make_contribution(org, author=author, title="Des bancs")
    with translation.override("fr"):
        contribution_change_status(
            actor=people["facilitator"], contribution=c, to_status=Status.UNDER_STUDY
        )
    assert Notification.objects.get(recipient=author).title == (
        "Your contribution « Des bancs » is now: under study"
    )


def test_every_step_told_to_the_author_is_in_their_language(org, people):
    """Status change, answer and reopening reach an English-speaking author in
    English (the facilitator works in French); what the facilitator typed stays as typed."""
    author = people["participant"]
    author.language = "en"
    author.save(update_fields=["language"])
    c = make_contribution(org, author=author, kind=Kind.COMPLAINT, title="Le chauffage")
    with translation.override("fr"):
        contribution_change_status(
            actor=people["facilitator"],
            contribution=c,
            to_status=Status.ANSWERED,
            message="Réparé mardi.",
        )
        contribution_update_answer(
            actor=people["facilitator"],
            contribution=c,
            answer="Un chauffagiste est passé.",
            outcome="",
            public_summary="",
        )
        contribution_change_status(
            actor=people["facilitator"], contribution=c, to_status=Status.CLOSED
        )
        contribution_reopen(actor=people["facilitator"], contribution=c, message="Il refait froid.")
    titles = list(
        Notification.objects.filter(recipient=author).order_by("pk").values_list("title", "body")
    )
    assert titles == [
        ("Your contribution « Le chauffage » is now: answered", "Réparé mardi."),
        ("The organisation answered « Le chauffage »", "Un chauffagiste est passé."),
        ("Your contribution « Le chauffage » is now: closed", ""),
        ("Your contribution « Le chauffage » is reopened", "Il refait froid."),
    ]


def test_escalation_is_written_in_each_admins_language(org, people):
    """Overdue complaints reach an English-speaking admin in English and a
    French-speaking one in French: plural counts, dates in each one's format."""
    from faireavec.organisations.models import Membership, Role

    english = people["admin"]
    english.language = "en"
    english.save(update_fields=["language"])
    french = UserFactory(language="fr")
    Membership.objects.create(organisation=org, user=french, role=Role.ADMIN)
    old = timezone.now() - timedelta(days=60)
    first = make_contribution(org, kind=Kind.COMPLAINT, title="Fuite", now=old)
    make_contribution(org, kind=Kind.COMPLAINT, title="Porte", now=old)
    due = timezone.localtime(first.answer_due)
    with translation.override("fr"):
        contributions_escalate_overdue(organisation=org)

    to_english = Notification.objects.get(recipient=english)
    assert to_english.title == f"2 complaints overdue at {org.name}"
    with translation.override("en"):
        english_due = formats.date_format(due, "DATE_FORMAT")
    assert f"- Fuite (code {first.follow_up_code}), to answer by {english_due}" in (to_english.body)
    to_french = Notification.objects.get(recipient=french)
    assert to_french.title == f"2 réclamations en retard chez {org.name}"
    with translation.override("fr"):
        french_due = formats.date_format(due, "DATE_FORMAT")
    assert french_due in to_french.body
    assert "/" not in french_due, "a readable date, not 03/12/2026"


def test_one_overdue_complaint_is_singular(org, people):
    make_contribution(org, kind=Kind.COMPLAINT, now=timezone.now() - timedelta(days=60))
    with translation.override("en"):
        contributions_escalate_overdue(organisation=org)
    assert Notification.objects.get(recipient=people["admin"]).title == (
        f"1 réclamation en retard chez {org.name}"
    )


def test_show_author_name_needs_an_author(org):
    """Only a signed-in author can be named: anonymous contributions stay anonymous."""
    c = make_contribution(org, show_author_name=True)
    assert c.show_author_name is False


def test_support_once_per_person_and_withdraw(org, people):
    c = make_contribution(org)
    contribution_set_public(actor=people["facilitator"], contribution=c, public=True)
    user = people["participant"]
    assert contribution_support(user=user, contribution=c) is True
    assert contribution_support(user=user, contribution=c) is False
    c.refresh_from_db()
    assert c.support_count == 1 and Support.objects.count() == 1
    assert contribution_unsupport(user=user, contribution=c) is True
    c.refresh_from_db()
    assert c.support_count == 0


def test_only_public_visible_ideas_take_supports(org, people):
    c = make_contribution(org)
    with pytest.raises(ValidationError):
        contribution_support(user=people["participant"], contribution=c)
    complaint = make_contribution(org, kind=Kind.COMPLAINT)
    with pytest.raises(ValidationError):
        contribution_set_public(actor=people["facilitator"], contribution=complaint, public=True)


def test_reports_by_distinct_people_hide_at_the_threshold(org, people):
    """Hidden when `moderation_threshold` distinct reporters (users or visitor sessions) report it."""
    org.moderation_threshold = 3
    org.save()
    c = make_contribution(org)
    assert contribution_report(contribution=c, user=people["participant"]) is True
    assert contribution_report(contribution=c, user=people["participant"]) is False  # same person
    assert contribution_report(contribution=c, session_key="visitor-a") is True
    c.refresh_from_db()
    assert not c.is_hidden
    assert contribution_report(contribution=c, session_key="visitor-a") is False
    c.refresh_from_db()
    assert not c.is_hidden
    contribution_report(contribution=c, user=people["member"])
    c.refresh_from_db()
    assert c.is_hidden
    assert c.history.filter(event=HistoryEntry.Event.HIDDEN, is_public=False).count() == 1


def test_restore_needs_a_reason_and_clears_pending_reports(org, people):
    org.moderation_threshold = 1
    org.save()
    c = make_contribution(org)
    contribution_report(contribution=c, user=people["participant"])
    c.refresh_from_db()
    assert c.is_hidden
    with pytest.raises(ValidationError):
        contribution_set_hidden(
            actor=people["facilitator"], contribution=c, hidden=False, reason=""
        )
    contribution_set_hidden(
        actor=people["facilitator"], contribution=c, hidden=False, reason="Rien de grave."
    )
    c.refresh_from_db()
    assert not c.is_hidden
    assert not Report.objects.filter(reviewed_at__isnull=True).exists()
    assert c.history.filter(event=HistoryEntry.Event.RESTORED, message="Rien de grave.").exists()


def test_a_reported_comment_is_hidden_at_the_threshold(org, people):
    org.moderation_threshold = 2
    org.save()
    comment = CommentFactory(contribution__organisation=org)
    comment_report(comment=comment, user=people["participant"])
    comment_report(comment=comment, session_key="visitor-b")
    comment.refresh_from_db()
    assert comment.is_hidden
    # Reports on the comment do not count against its idea.
    comment.contribution.refresh_from_db()
    assert not comment.contribution.is_hidden
    assert Comment.objects.filter(is_hidden=True).count() == 1


def test_escalation_tells_admins_once(org, people):
    """Overdue complaints are escalated to admins once; a second run does nothing."""
    old = timezone.now() - timedelta(days=60)
    late = make_contribution(org, kind=Kind.COMPLAINT, now=old)
    make_contribution(org, kind=Kind.COMPLAINT)  # not due yet
    escalated = contributions_escalate_overdue(organisation=org)
    assert [c.pk for c in escalated] == [late.pk]
    late.refresh_from_db()
    assert late.escalated_at is not None
    assert Notification.objects.filter(recipient=people["admin"]).count() == 1
    assert not Notification.objects.filter(recipient=people["facilitator"]).exists()
    assert contributions_escalate_overdue(organisation=org) == []
    assert Notification.objects.filter(recipient=people["admin"]).count() == 1


def test_a_declined_idea_keeps_its_reason(org, people):
    """Emptying the answer of a declined idea is refused with a message, and nothing changes."""
    c = make_contribution(org)
    c = contribution_change_status(
        actor=people["facilitator"], contribution=c, to_status=Status.DECLINED, message="Trop cher"
    )
    with pytest.raises(ValidationError):
        contribution_update_answer(
            actor=people["facilitator"], contribution=c, answer="", outcome="", public_summary=""
        )
    c.refresh_from_db()
    assert c.answer == "Trop cher"


def test_first_response_delay_is_kept_with_the_date(org, people):
    c = make_contribution(org)
    c = contribution_change_status(
        actor=people["facilitator"], contribution=c, to_status=Status.UNDER_STUDY
    )
    assert c.first_response_seconds is not None
    assert c.first_response_seconds == int((c.first_response_at - c.created_at).total_seconds())
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.filter(pk=c.pk).update(first_response_seconds=None)


def test_what_was_done_is_told_to_the_person(org, people):
    """Adding what was done writes a public history step and notifies the author;
    a change of the public summary alone stays internal."""
    author = people["participant"]
    c = make_contribution(org, author=author)
    f = people["facilitator"]
    contribution_update_answer(
        actor=f, contribution=c, answer="", outcome="", public_summary="Bancs au jardin"
    )
    entry = c.history.get(event=HistoryEntry.Event.ANSWER)
    assert not entry.is_public
    assert not Notification.objects.exists()
    contribution_update_answer(
        actor=f, contribution=c, answer="", outcome="Installés.", public_summary="Bancs au jardin"
    )
    entry = c.history.filter(event=HistoryEntry.Event.ANSWER).last()
    assert entry.is_public and entry.message == "Installés."
    assert Notification.objects.get().recipient == author


def test_bulk_apply_changes_what_fits_and_reports_the_rest(org, other_org, people):
    """One inbox action on several contributions: those it fits change, each in
    its own transaction; the others come back with the reason; another
    organisation's ids are ignored."""
    from faireavec.contributions.models import Kind
    from faireavec.contributions.services import contributions_bulk_apply

    idea = make_contribution(org, kind=Kind.IDEA)
    complaint = make_contribution(org, kind=Kind.COMPLAINT, title="Plainte")
    foreign = make_contribution(other_org, kind=Kind.IDEA)
    result = contributions_bulk_apply(
        actor=people["facilitator"],
        organisation=org,
        pks=[idea.pk, complaint.pk, foreign.pk],
        action="publish",
    )
    assert result.done == 1
    assert [(c.pk, type(e)) for c, e in result.failed] == [(complaint.pk, ValidationError)]
    for c in (idea, complaint, foreign):
        c.refresh_from_db()
    assert idea.is_public and not complaint.is_public and not foreign.is_public
