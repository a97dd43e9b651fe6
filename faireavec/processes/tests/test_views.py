"""The public pages and the back office of initiatives."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from faireavec.core.models import AuditEntry
from faireavec.processes.models import Audience, Initiative, Phase
from faireavec.processes.tests.factories import InitiativeFactory, PhaseFactory

pytestmark = pytest.mark.django_db


def _url(name, org, **kwargs):
    return reverse(f"processes:{name}", kwargs={"org_slug": org.slug, **kwargs})


@pytest.fixture
def running(org):
    """A public initiative whose only phase runs today and allows proposals."""
    today = timezone.localdate()
    initiative = InitiativeFactory(organisation=org, title="Refaire le jardin")
    PhaseFactory(
        initiative=initiative,
        title="Imaginer ensemble",
        starts_on=today - timedelta(days=2),
        ends_on=today + timedelta(days=2),
        allows_propose=True,
    )
    return initiative


def test_the_public_page_explains_the_level_and_shows_the_phases(client_for, org, running):
    response = client_for(None).get(_url("initiative_detail", org, initiative_pk=running.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Refaire le jardin" in page
    assert "Consulter" in page  # the level, in French
    assert "Nous vous demandons votre avis avant de décider" in page  # explained
    assert "Imaginer ensemble" in page
    assert 'aria-current="step"' in page
    assert "faire des propositions" in page


def test_the_public_list_shows_published_initiatives_only(client_for, org, running):
    InitiativeFactory(organisation=org, title="Brouillon secret", status=Initiative.Status.DRAFT)
    page = client_for(None).get(_url("initiative_list_public", org)).content.decode()
    assert "Refaire le jardin" in page
    assert "Brouillon secret" not in page


def test_a_draft_or_another_audience_is_not_found(client_for, org, people):
    draft = InitiativeFactory(organisation=org, status=Initiative.Status.DRAFT)
    members = InitiativeFactory(organisation=org, audience=Audience.MEMBERS)
    assert (
        client_for(people["participant"])
        .get(_url("initiative_detail", org, initiative_pk=draft.pk))
        .status_code
        == 404
    )
    assert (
        client_for(people["facilitator"])
        .get(_url("initiative_detail", org, initiative_pk=draft.pk))
        .status_code
        == 200
    )
    assert (
        client_for(None).get(_url("initiative_detail", org, initiative_pk=members.pk)).status_code
        == 404
    )
    assert (
        client_for(people["participant"])
        .get(_url("initiative_detail", org, initiative_pk=members.pk))
        .status_code
        == 200
    )


def test_another_organisations_initiative_is_not_found(client_for, org, other_org, people):
    theirs = InitiativeFactory(organisation=other_org)
    client = client_for(people["admin"])
    assert client.get(_url("initiative_detail", org, initiative_pk=theirs.pk)).status_code == 404
    assert client.get(_url("initiative_manage", org, initiative_pk=theirs.pk)).status_code == 404


def test_creating_an_initiative_gives_it_the_default_phases(client_for, org, people):
    client = client_for(people["facilitator"])
    form = client.get(_url("initiative_create", org)).content.decode()
    token = form.split('name="form_token" value="')[1].split('"')[0]
    response = client.post(
        _url("initiative_create", org),
        {
            "form_token": token,
            "title": "Nouveaux horaires",
            "slug": "nouveaux-horaires",
            "purpose": "Adapter nos horaires.",
            "question": "Quand venir ?",
            "involvement_level": "co_decide",
            "decided_with_participants": "Les horaires.",
            "decided_by_organisation": "Le budget.",
            "follow_up_promise": "Les horaires choisis, publiés ici.",
            "follow_up_due_on": "2027-01-31",
            "audience": "public",
            "phases_from": "2026-09-01",
        },
    )
    initiative = Initiative.objects.get(organisation=org, slug="nouveaux-horaires")
    assert response.status_code == 302
    assert initiative.status == Initiative.Status.DRAFT
    assert [p.kind for p in initiative.phases.order_by("position")] == [
        "identify_needs",
        "co_design",
        "experiment",
        "evaluate",
        "spread",
    ]
    assert AuditEntry.objects.filter(action="initiative.create", organisation=org).exists()


def test_a_bad_form_shows_errors_and_writes_nothing(client_for, org, people):
    client = client_for(people["facilitator"])
    response = client.post(_url("initiative_create", org), {"title": "Sans le reste"})
    assert response.status_code == 200
    assert "Erreur" in response.content.decode()
    assert not Initiative.objects.filter(organisation=org).exists()


def test_a_phase_ending_before_it_starts_is_refused(client_for, org, people, running):
    client = client_for(people["facilitator"])
    phase = running.phases.get()
    response = client.post(
        _url("phase_edit", org, phase_pk=phase.pk),
        {
            "kind": "other",
            "title": "À l'envers",
            "position": 1,
            "starts_on": "2026-05-10",
            "ends_on": "2026-05-01",
        },
    )
    assert response.status_code == 200
    assert "ne peut pas finir avant de commencer" in response.content.decode()
    phase.refresh_from_db()
    assert phase.title == "Imaginer ensemble"


def test_publishing_needs_a_phase(client_for, org, people):
    initiative = InitiativeFactory(organisation=org, status=Initiative.Status.DRAFT)
    client = client_for(people["facilitator"])
    client.post(
        _url("initiative_status", org, initiative_pk=initiative.pk), {"status": "published"}
    )
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.DRAFT
    Phase.objects.create(
        initiative=initiative, title="Une", starts_on="2026-01-01", ends_on="2026-02-01"
    )
    client.post(
        _url("initiative_status", org, initiative_pk=initiative.pk), {"status": "published"}
    )
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.PUBLISHED


def test_overdue_follow_up_promises_show_in_the_back_office(client_for, org, people):
    InitiativeFactory(
        organisation=org,
        title="Promesse en retard",
        follow_up_due_on=timezone.localdate() - timedelta(days=3),
    )
    page = client_for(people["member"]).get(_url("initiative_list", org)).content.decode()
    assert "Engagements de suivi en retard" in page
    assert "Promesse en retard" in page


def test_participants_do_not_reach_the_back_office(client_for, org, people):
    assert client_for(people["participant"]).get(_url("initiative_list", org)).status_code in (
        403,
        404,
    )
    assert client_for(people["member"]).get(_url("initiative_create", org)).status_code == 403
