"""Every activity-log entry reads as a sentence in the reader's language, and
every action the code records has one."""

import ast
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from faireavec.accounts.tests.factories import UserFactory
from faireavec.contributions.models import Status
from faireavec.contributions.tests.factories import make_contribution
from faireavec.core.audit import (
    audit_action_label,
    audit_actions,
    audit_export_row,
    audit_log,
    audit_sentence,
)
from faireavec.organisations.services import charter_publish

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


def recorded_actions() -> dict[str, str]:
    """Every action code passed to `audit_log(action=…)` in the code (both
    branches of `"a" if x else "b"`), with where it is recorded."""
    found = {}
    for path in (ROOT / "faireavec").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "audit_log"):
                continue
            for keyword in node.keywords:
                if keyword.arg != "action":
                    continue
                constants = [
                    n.value
                    for n in ast.walk(keyword.value)
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)
                ]
                assert constants, f"{path}:{node.lineno}: action must be a literal code"
                for code in constants:
                    found[code] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_every_recorded_action_has_a_sentence():
    """Walks every audit_log() call: a new action without a sentence fails here.
    Declare it in the app's audit.py (AUDIT_ACTIONS)."""
    actions = recorded_actions()
    assert len(actions) > 30, "the walk finds the code's actions"
    missing = {code: where for code, where in actions.items() if code not in audit_actions()}
    assert missing == {}


def test_every_sentence_is_written_for_recorded_actions_only():
    """No sentence for an action nobody records (left over from a rename),
    unless it is marked retired (old entries must still read)."""
    current = {code for code, action in audit_actions().items() if not action.retired}
    assert current - set(recorded_actions()) == set()


def test_a_charter_publication_reads_as_a_french_sentence(org):
    claire = UserFactory(display_name="Claire Dubois")
    charter_publish(actor=claire, organisation=org, text="Premier texte")
    version = charter_publish(actor=claire, organisation=org, text="Nouveau texte")
    entry = org.audit_entries.filter(action="charter.publish", target_id=str(version.pk)).get()
    assert audit_sentence(entry) == "Claire Dubois a publié la charte, version 2"
    with translation.override("en"):
        assert audit_sentence(entry) == "Claire Dubois published the charter, version 2"


def test_a_status_change_shows_the_statuses_labels(org, people):
    facilitator = people["facilitator"]
    facilitator.display_name = "Karim"
    facilitator.save(update_fields=["display_name"])
    contribution = make_contribution(org, title="Des bancs")
    entry = audit_log(
        actor=facilitator,
        organisation=org,
        action="contributions.status",
        target=contribution,
        details={"from": Status.RECEIVED, "to": Status.UNDER_STUDY},
    )
    sentence = audit_sentence(entry)
    assert sentence == "Karim a passé « Des bancs » de « reçue » à « à l'étude »"
    assert "received" not in sentence and "from:" not in sentence


def test_counts_dates_and_missing_details_read_well(org):
    escalation = audit_log(
        actor=None,
        organisation=org,
        action="contributions.escalate",
        details={"contributions": [4, 8]},
    )
    assert audit_sentence(escalation) == (
        "La plateforme a prévenu la direction de 2 réclamations en retard"
    )
    stakeholder = make_stakeholder(org)
    interaction = audit_log(
        actor=None,
        organisation=org,
        action="stakeholder.interaction_create",
        target=stakeholder,
        details={"kind": "meeting", "date": date(2026, 1, 5).isoformat()},
    )
    assert "5 janvier 2026" in audit_sentence(interaction)
    old = audit_log(actor=None, organisation=org, action="charter.publish")
    assert audit_sentence(old) == "La plateforme a publié la charte, version …"


def make_stakeholder(org):
    from faireavec.stakeholders.tests.factories import StakeholderFactory

    return StakeholderFactory(organisation=org, name="Mairie")


def test_the_page_and_the_export_show_the_sentences(org, people, client_for):
    claire = people["admin"]
    claire.display_name = "Claire Dubois"
    claire.save(update_fields=["display_name"])
    charter_publish(actor=claire, organisation=org, text="Texte")
    page = client_for(claire).get(reverse("core:audit_log", kwargs={"org_slug": org.slug}))
    assert "Claire Dubois a publié la charte, version 1" in page.text
    assert ">charter.publish<" not in page.text, "the code only as the filter option's value"
    entry = org.audit_entries.get(action="charter.publish")
    assert "Claire Dubois a publié la charte, version 1" in audit_export_row(entry)
    assert audit_action_label("charter.publish") == "Charte publiée"
