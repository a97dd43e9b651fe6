"""The `initiative_includes` hook: the apps above put their blocks on an initiative's page."""

import pytest
from django.apps import apps
from django.urls import reverse

from faireavec.core.navigation import NavInclude, initiative_includes
from faireavec.processes.tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hooked(monkeypatch, settings, tmp_path):
    """processes' own AppConfig lends itself as an app above, with one open block
    and one for the team only."""
    (tmp_path / "hook").mkdir()
    (tmp_path / "hook" / "open.html").write_text(
        "<p>Bloc ouvert : {{ initiative.title }} ({{ phases|length }} phases)</p>"
    )
    (tmp_path / "hook" / "team.html").write_text("<p>Bloc de l'équipe</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], str(tmp_path)]}
    ]
    config = apps.get_app_config("processes")
    monkeypatch.setattr(
        config,
        "initiative_includes",
        [
            NavInclude("hook/open.html", "processes.view_initiative"),
            NavInclude("hook/team.html", "processes.manage_initiative"),
        ],
        raising=False,
    )


def _hooks(templates: list[str]) -> list[str]:
    # The real apps above (opinions, surveys…) add their own blocks too.
    return [t for t in templates if t.startswith("hook/")]


def test_each_include_is_checked_on_the_initiative(hooked, org, people):
    initiative = InitiativeFactory(organisation=org)
    assert _hooks(initiative_includes(user=people["facilitator"], initiative=initiative)) == [
        "hook/open.html",
        "hook/team.html",
    ]
    assert _hooks(initiative_includes(user=people["participant"], initiative=initiative)) == [
        "hook/open.html"
    ]


def test_the_initiative_page_renders_them_with_initiative_and_phases(
    hooked, client_for, org, people
):
    initiative = InitiativeFactory(organisation=org, title="Jardin partagé")
    url = reverse(
        "processes:initiative_detail", kwargs={"org_slug": org.slug, "initiative_pk": initiative.pk}
    )
    page = client_for(people["participant"]).get(url).content.decode()
    assert "Bloc ouvert : Jardin partagé (0 phases)" in page
    assert "Bloc de l'équipe" not in page


def test_publishing_or_closing_shows_the_link_at_once(org, people):
    """« Démarches » waits for a published initiative; the menu's cached answers are
    forgotten when one is published, and again when the last one goes back to draft."""
    from faireavec.core.navigation import organisation_links
    from faireavec.processes.models import Initiative
    from faireavec.processes.services import initiative_set_status
    from faireavec.processes.tests.factories import InitiativeFactory, PhaseFactory

    def listed() -> bool:
        links = organisation_links(user=people["participant"], organisation=org, side="public")
        return any(link.url_name == "processes:initiative_list_public" for link in links)

    initiative = InitiativeFactory(organisation=org, status=Initiative.Status.DRAFT)
    PhaseFactory(initiative=initiative)
    assert not listed()
    initiative_set_status(
        actor=people["admin"], initiative=initiative, status=Initiative.Status.PUBLISHED
    )
    assert listed()
    initiative_set_status(
        actor=people["admin"], initiative=initiative, status=Initiative.Status.DRAFT
    )
    assert not listed()
