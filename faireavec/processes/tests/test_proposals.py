"""Proposals in an initiative (contributions of kind « proposal »), following an
initiative, phase-change notices, and the closing report."""

from datetime import date, datetime, time
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from faireavec.contributions.models import Comment, Contribution, Kind, Stance, Status, Support
from faireavec.contributions.services import (
    comment_create,
    contribution_change_status,
    contribution_support,
    contribution_update_answer,
)
from faireavec.core.models import Notification
from faireavec.core.tests.pdfcheck import read_pdf
from faireavec.organisations.models import Role
from faireavec.organisations.tests.factories import MembershipFactory
from faireavec.processes.models import Audience, Initiative, InitiativeFollow, InitiativeProposal
from faireavec.processes.selectors import proposal_figures
from faireavec.processes.services import (
    initiative_follow,
    initiative_set_status,
    phases_announce_started,
    proposal_create,
)
from faireavec.processes.tests.factories import InitiativeFactory, PhaseFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)


def _freeze(monkeypatch, day: date) -> None:
    noon = datetime.combine(day, time(12), tzinfo=ZoneInfo("Europe/Paris"))
    monkeypatch.setattr(timezone, "now", lambda: noon)


def _url(name, org, **kwargs):
    return reverse(f"processes:{name}", kwargs={"org_slug": org.slug, **kwargs})


@pytest.fixture
def initiative(org):
    """Public; phase 1 (March) allows proposing, supporting and commenting; phase 2
    (April) only commenting."""
    initiative = InitiativeFactory(organisation=org, title="Refaire le jardin")
    PhaseFactory(
        initiative=initiative,
        title="Proposer",
        position=1,
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 31),
        allows_propose=True,
        allows_support=True,
        allows_comment=True,
    )
    PhaseFactory(
        initiative=initiative,
        title="Choisir",
        position=2,
        starts_on=date(2026, 4, 1),
        ends_on=date(2026, 4, 30),
        allows_comment=True,
    )
    return initiative


def _propose(initiative, author, title="Un composteur"):
    return proposal_create(
        initiative=initiative, title=title, body="Dans la cour, pour tous.", author=author
    )


# Services -------------------------------------------------------------------


def test_a_proposal_is_a_public_contribution_linked_to_the_phase(monkeypatch, initiative, people):
    _freeze(monkeypatch, DAY)
    link = _propose(initiative, people["participant"])
    contribution = link.contribution
    assert contribution.kind == Kind.PROPOSAL
    assert contribution.is_public and contribution.author == people["participant"]
    assert link.phase.title == "Proposer"
    assert contribution.organisation == initiative.organisation


@pytest.mark.parametrize("day", [date(2026, 2, 28), date(2026, 4, 2), date(2026, 6, 1)])
def test_proposing_outside_a_phase_that_allows_it_is_refused(monkeypatch, initiative, day):
    _freeze(monkeypatch, day)
    with pytest.raises(ValidationError):
        _propose(initiative, None)
    assert not Contribution.objects.exists()


def test_supports_and_comments_follow_the_phase_through_contributions_services(
    monkeypatch, initiative, people
):
    """In March all is open; in April comments stay open, supports close."""
    _freeze(monkeypatch, DAY)
    contribution = _propose(initiative, people["participant"]).contribution
    assert contribution_support(user=people["member"], contribution=contribution)
    comment_create(
        author=people["member"], contribution=contribution, body="Oui !", stance=Stance.FOR
    )
    _freeze(monkeypatch, date(2026, 4, 5))
    with pytest.raises(ValidationError, match="soutiens sont fermés"):
        contribution_support(user=people["admin"], contribution=contribution)
    comment_create(
        author=people["admin"], contribution=contribution, body="Et l'odeur ?", stance="against"
    )
    _freeze(monkeypatch, date(2026, 5, 5))
    with pytest.raises(ValidationError):
        comment_create(author=people["admin"], contribution=contribution, body="Trop tard")
    assert Support.objects.filter(contribution=contribution).count() == 1
    assert list(Comment.objects.values_list("stance", flat=True).order_by("pk")) == [
        "for",
        "against",
    ]


def test_a_stance_outside_the_list_is_refused(monkeypatch, initiative, people):
    _freeze(monkeypatch, DAY)
    contribution = _propose(initiative, people["participant"]).contribution
    with pytest.raises(ValidationError):
        comment_create(author=people["member"], contribution=contribution, body="?", stance="maybe")


def test_the_figures_count_proposals_supports_stances_and_answers(monkeypatch, initiative, people):
    _freeze(monkeypatch, DAY)
    first = _propose(initiative, people["participant"]).contribution
    second = _propose(initiative, people["member"], title="Des bancs").contribution
    contribution_support(user=people["member"], contribution=first)
    contribution_support(user=people["admin"], contribution=first)
    comment_create(author=people["member"], contribution=first, body="Oui", stance="for")
    comment_create(author=people["admin"], contribution=second, body="Non", stance="against")
    hidden = comment_create(author=people["admin"], contribution=second, body="Bof")
    Comment.objects.filter(pk=hidden.pk).update(is_hidden=True)
    contribution_change_status(
        actor=people["facilitator"], contribution=second, to_status=Status.ACCEPTED, message="Ok"
    )
    figures = proposal_figures(initiative=initiative)
    assert (figures.proposals, figures.answered, figures.supports) == (2, 1, 2)
    assert (figures.comments_for, figures.comments_against, figures.comments_neutral) == (1, 1, 0)


# Pages ---------------------------------------------------------------------


def test_a_participant_proposes_from_the_initiative_page(
    monkeypatch, client_for, org, initiative, people
):
    _freeze(monkeypatch, DAY)
    client = client_for(people["participant"])
    page = client.get(_url("initiative_detail", org, initiative_pk=initiative.pk)).content.decode()
    assert _url("proposal_create", org, initiative_pk=initiative.pk) in page
    response = client.post(
        _url("proposal_create", org, initiative_pk=initiative.pk),
        {"title": "Un composteur", "body": "Dans la cour."},
    )
    contribution = Contribution.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(contribution.get_absolute_url())
    assert InitiativeProposal.objects.get().initiative == initiative
    page = client.get(_url("initiative_detail", org, initiative_pk=initiative.pk)).content.decode()
    assert "Un composteur" in page


def test_proposing_without_an_account_keeps_nothing_about_the_person(
    monkeypatch, client_for, org, initiative
):
    _freeze(monkeypatch, DAY)
    response = client_for(None).post(
        _url("proposal_create", org, initiative_pk=initiative.pk),
        {"title": "Un composteur", "body": "Dans la cour."},
    )
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.author is None and not contribution.show_author_name


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": "Dans la cour."}, "Ce champ est obligatoire"),
        ({"title": "x" * 151, "body": "Dans la cour."}, "150"),
        ({"title": "Un composteur", "body": "x" * 5001}, "5000"),
    ],
)
def test_bad_input_gets_a_clear_message(
    monkeypatch, client_for, org, initiative, people, data, message
):
    _freeze(monkeypatch, DAY)
    response = client_for(people["member"]).post(
        _url("proposal_create", org, initiative_pk=initiative.pk), data
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Contribution.objects.exists()


def test_the_honeypot_refuses_robots(monkeypatch, client_for, org, initiative):
    _freeze(monkeypatch, DAY)
    response = client_for(None).post(
        _url("proposal_create", org, initiative_pk=initiative.pk),
        {"title": "Promo", "body": "Achetez", "website": "http://spam"},
    )
    assert response.status_code == 400
    assert not Contribution.objects.exists()


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_when_the_phase_does_not_allow_proposing_the_form_says_so(
    monkeypatch, client_for, org, initiative, people, role
):
    _freeze(monkeypatch, date(2026, 4, 5))
    client = client_for(people[role])
    response = client.post(
        _url("proposal_create", org, initiative_pk=initiative.pk),
        {"title": "Un composteur", "body": "Dans la cour."},
    )
    assert response.status_code == 302
    assert response["Location"] == initiative.get_absolute_url()
    assert not Contribution.objects.exists()


def test_a_members_initiative_is_not_found_by_outsiders(
    monkeypatch, client_for, org, initiative, people
):
    _freeze(monkeypatch, DAY)
    initiative.audience = Audience.MEMBERS
    initiative.save()
    contribution = _propose(initiative, people["member"]).contribution
    idea_url = reverse(
        "contributions:idea_detail",
        kwargs={"org_slug": org.slug, "contribution_pk": contribution.pk},
    )
    for user in (None, people["other_admin"]):
        client = client_for(user)
        assert (
            client.get(_url("proposal_create", org, initiative_pk=initiative.pk)).status_code == 404
        )
        assert client.get(idea_url).status_code == 404
    assert client_for(people["participant"]).get(idea_url).status_code == 200


def test_the_proposals_page_shows_the_initiative_and_closes_supports_with_the_phase(
    monkeypatch, client_for, org, initiative, people
):
    _freeze(monkeypatch, DAY)
    contribution = _propose(initiative, people["participant"]).contribution
    kwargs = {"org_slug": org.slug, "contribution_pk": contribution.pk}
    client = client_for(people["member"])
    page = client.get(reverse("contributions:idea_detail", kwargs=kwargs)).content.decode()
    assert "Refaire le jardin" in page and "Je soutiens cette proposition" in page
    response = client.post(
        reverse("contributions:idea_comment", kwargs=kwargs), {"body": "Bravo", "stance": "for"}
    )
    assert response.status_code == 302
    assert Comment.objects.get().stance == Stance.FOR
    _freeze(monkeypatch, date(2026, 5, 5))
    client = client_for(people["member"])  # a session of that day
    page = client.get(reverse("contributions:idea_detail", kwargs=kwargs)).content.decode()
    assert "Je soutiens cette proposition" not in page and "Publier mon commentaire" not in page
    response = client.post(reverse("contributions:idea_support", kwargs=kwargs))
    assert response.status_code == 302  # said on the page, never a 500
    response = client.post(
        reverse("contributions:idea_comment", kwargs=kwargs), {"body": "Encore", "stance": "for"}
    )
    assert response.status_code == 400
    assert not Support.objects.exists() and Comment.objects.count() == 1


def test_the_back_office_lists_the_proposals_waiting_for_a_decision(
    monkeypatch, client_for, org, initiative, people
):
    _freeze(monkeypatch, DAY)
    contribution = _propose(initiative, people["participant"]).contribution
    initiative_follow(user=people["member"], initiative=initiative)
    page = (
        client_for(people["facilitator"])
        .get(_url("initiative_manage", org, initiative_pk=initiative.pk))
        .content.decode()
    )
    assert "Un composteur" in page
    assert (
        reverse(
            "contributions:contribution_manage",
            kwargs={"org_slug": org.slug, "contribution_pk": contribution.pk},
        )
        in page
    )


# Outcome, « vous avez dit, nous avons fait » ------------------------------------


def test_the_outcome_is_public_and_feeds_you_said_we_did(
    monkeypatch, client_for, org, initiative, people
):
    _freeze(monkeypatch, DAY)
    contribution = _propose(initiative, people["participant"]).contribution
    contribution_change_status(
        actor=people["facilitator"],
        contribution=contribution,
        to_status=Status.ACCEPTED,
        message="Nous l'installons en mai.",
    )
    contribution_update_answer(
        actor=people["facilitator"],
        contribution=contribution,
        answer="Nous l'installons en mai.",
        outcome="Installé le 3 mai.",
        public_summary="",
    )
    page = (
        client_for(None)
        .get(_url("initiative_detail", org, initiative_pk=initiative.pk))
        .content.decode()
    )
    assert "Installé le 3 mai." in page
    said_done = (
        client_for(None)
        .get(reverse("contributions:said_done", kwargs={"org_slug": org.slug}))
        .content.decode()
    )
    assert "Un composteur" in said_done


def test_the_author_is_told_of_the_answer_in_their_language(monkeypatch, org, initiative):
    _freeze(monkeypatch, DAY)
    english = MembershipFactory(organisation=org, role=Role.PARTICIPANT, user__language="en").user
    contribution = _propose(initiative, english).contribution
    facilitator = MembershipFactory(organisation=org, role=Role.FACILITATOR).user
    contribution_change_status(
        actor=facilitator, contribution=contribution, to_status=Status.ACCEPTED, message="Oui"
    )
    notification = Notification.objects.get(recipient=english)
    assert notification.title == "Your contribution « Un composteur » is now: accepted"


# Following -----------------------------------------------------------------


def test_following_and_stopping_with_a_plain_form(client_for, org, initiative, people):
    client = client_for(people["participant"])
    url = _url("initiative_follow", org, initiative_pk=initiative.pk)
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # twice: still one follow
    assert InitiativeFollow.objects.filter(user=people["participant"]).count() == 1
    page = client.get(_url("initiative_detail", org, initiative_pk=initiative.pk)).content.decode()
    assert "Ne plus suivre" in page
    client.post(url, {"stop": "1"})
    assert not InitiativeFollow.objects.exists()


def test_following_needs_an_account_and_the_audience(client_for, org, initiative, people):
    url = _url("initiative_follow", org, initiative_pk=initiative.pk)
    assert client_for(None).post(url)["Location"].startswith(reverse("account_login"))
    assert client_for(None).get(url).status_code in {302, 405}
    initiative.audience = Audience.MEMBERS
    initiative.save()
    assert client_for(people["other_admin"]).post(url).status_code == 404
    assert not InitiativeFollow.objects.exists()


def test_followers_hear_once_of_a_phase_that_started(monkeypatch, org, initiative, people):
    english = MembershipFactory(organisation=org, role=Role.PARTICIPANT, user__language="en").user
    english.notification_frequency = "daily"
    english.save()
    initiative_follow(user=english, initiative=initiative)
    initiative_follow(user=people["member"], initiative=initiative)
    _freeze(monkeypatch, date(2026, 2, 20))
    assert phases_announce_started() == 0
    _freeze(monkeypatch, DAY)
    assert phases_announce_started() == 1
    assert phases_announce_started() == 0  # once
    notice = Notification.objects.get(recipient=english)
    assert notice.title == "« Refaire le jardin »: the phase « Proposer » has started"
    assert "March 31, 2026" in notice.body or "31" in notice.body
    assert notice.emailed_at is None  # the daily digest will carry it
    french = Notification.objects.get(recipient=people["member"])
    assert "a commencé" in french.title
    _freeze(monkeypatch, date(2026, 4, 2))
    assert phases_announce_started() == 1
    assert Notification.objects.filter(recipient=english).count() == 2


def test_a_phase_over_before_anyone_was_told_is_not_announced(monkeypatch, initiative, people):
    initiative_follow(user=people["member"], initiative=initiative)
    _freeze(monkeypatch, date(2026, 4, 2))
    assert phases_announce_started() == 1  # « Choisir » only; « Proposer » is over
    assert Notification.objects.count() == 1


def test_a_draft_initiatives_phases_are_not_announced(monkeypatch, initiative, people):
    initiative_follow(user=people["member"], initiative=initiative)
    Initiative.objects.filter(pk=initiative.pk).update(status=Initiative.Status.DRAFT)
    _freeze(monkeypatch, DAY)
    assert phases_announce_started() == 0
    assert not Notification.objects.exists()


def test_followers_hear_of_the_closing(initiative, people):
    initiative_follow(user=people["member"], initiative=initiative)
    initiative_set_status(
        actor=people["admin"], initiative=initiative, status=Initiative.Status.CLOSED
    )
    assert Notification.objects.filter(recipient=people["member"]).count() == 1


def test_the_periodic_task_is_declared_and_runs():
    from faireavec.core.scheduler import periodic_tasks
    from faireavec.processes.tasks import announce_phase_starts

    assert "faireavec.processes.tasks.announce_phase_starts" in {p.task for p in periodic_tasks()}
    assert announce_phase_starts.call() == 0


# Closing report ------------------------------------------------------------


def _closed_with_an_answer(monkeypatch, initiative, people):
    _freeze(monkeypatch, DAY)
    contribution = _propose(initiative, people["participant"]).contribution
    comment_create(author=people["member"], contribution=contribution, body="Oui", stance="for")
    contribution_change_status(
        actor=people["facilitator"],
        contribution=contribution,
        to_status=Status.ACCEPTED,
        message="Nous l'installons en mai.",
    )
    initiative.what_happened = "Le jardin a rouvert en juin avec trois composteurs."
    initiative.save()
    initiative_set_status(
        actor=people["admin"], initiative=initiative, status=Initiative.Status.CLOSED
    )


def test_the_closing_report_page(monkeypatch, client_for, org, initiative, people):
    _closed_with_an_answer(monkeypatch, initiative, people)
    response = client_for(None).get(_url("initiative_report", org, initiative_pk=initiative.pk))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Proposer",
        "Un composteur",
        "Nous l&#x27;installons en mai.",
        "trois composteurs",
    ):
        assert text in page


def test_the_closing_report_as_a_pdf(monkeypatch, client_for, org, initiative, people):
    _closed_with_an_answer(monkeypatch, initiative, people)
    response = client_for(None).get(_url("initiative_report_pdf", org, initiative_pk=initiative.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in ("Refaire le jardin", "Un composteur", "installons en mai", "composteurs"):
        assert expected in text
    assert "1 proposition" in text
    facts = read_pdf(response.content)
    assert facts.lang.startswith("fr") and facts.marked and facts.embedded
    assert facts.title == "Bilan — Refaire le jardin"
    assert "/H1" in facts.tags and "/H2" in facts.tags


def test_the_closing_report_in_large_print(monkeypatch, client_for, org, initiative, people):
    _closed_with_an_answer(monkeypatch, initiative, people)
    url = _url("initiative_report_pdf", org, initiative_pk=initiative.pk) + "?gros=1"
    facts = read_pdf(client_for(None).get(url).content)
    assert min(facts.font_sizes) >= 17.9


def test_the_report_of_a_members_initiative_is_not_found_by_outsiders(
    client_for, org, initiative, people
):
    initiative.audience = Audience.MEMBERS
    initiative.save()
    for name in ("initiative_report", "initiative_report_pdf"):
        url = _url(name, org, initiative_pk=initiative.pk)
        assert client_for(people["other_admin"]).get(url).status_code == 404
        assert client_for(people["participant"]).get(url).status_code == 200


@pytest.mark.parametrize(
    ("role", "listed"),
    [("anonymous", False), ("other_admin", False), ("participant", True), ("admin", True)],
)
def test_the_public_lists_keep_a_members_initiatives_proposals_inside(
    monkeypatch, client_for, org, initiative, people, role, listed
):
    """« Idées à soutenir » and « Vous avez dit, nous avons fait » list a proposal only
    to the people who may read its initiative."""
    _freeze(monkeypatch, DAY)
    initiative.audience = Audience.MEMBERS
    initiative.save()
    contribution = _propose(initiative, people["member"], title="Un jardin partagé").contribution
    contribution_change_status(
        actor=people["facilitator"], contribution=contribution, to_status=Status.ACCEPTED
    )
    client = client_for(people[role])
    for name in ("said_done", "idea_list"):
        page = client.get(reverse(f"contributions:{name}", kwargs={"org_slug": org.slug}))
        assert page.status_code == 200
        assert ("Un jardin partagé" in page.content.decode()) is listed, name


def test_an_idea_made_outside_any_initiative_says_nothing_of_one(client_for, org, people):
    idea = Contribution.objects.create(
        organisation=org, title="Des bancs", body="Dans le jardin.", is_public=True
    )
    page = client_for(people["member"]).get(
        reverse(
            "contributions:idea_detail", kwargs={"org_slug": org.slug, "contribution_pk": idea.pk}
        )
    )
    assert page.status_code == 200
    assert "Des bancs" in page.content.decode()
    assert "démarche" not in page.content.decode().split("<main", 1)[1]


ROLES = ["anonymous", "participant", "member", "facilitator", "admin", "other_admin"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("day", "open_"),
    [(date(2026, 2, 28), False), (DAY, True), (date(2026, 4, 5), False), (date(2026, 6, 1), False)],
    ids=["before", "during", "next-phase", "after"],
)
@pytest.mark.parametrize("audience", [Audience.PUBLIC, Audience.MEMBERS])
def test_the_proposal_form_for_every_role_before_during_and_after(
    monkeypatch, client_for, org, initiative, people, role, day, open_, audience
):
    """Open while the phase allows proposing, to the initiative's audience (without an
    account too when it is public); otherwise back to the initiative (or to the login
    page for a visitor who could propose with an account); outsiders of a members'
    initiative get « not found »."""
    _freeze(monkeypatch, day)
    initiative.audience = audience
    initiative.save()
    response = client_for(people[role]).get(
        _url("proposal_create", org, initiative_pk=initiative.pk)
    )
    outsider = role in {"anonymous", "other_admin"} and audience == Audience.MEMBERS
    if outsider:
        assert response.status_code == 404
    elif open_:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"] == initiative.get_absolute_url()
