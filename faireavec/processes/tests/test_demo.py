import pytest

from faireavec.organisations.demo import build_organisation
from faireavec.processes import demo
from faireavec.processes.models import Initiative, Phase
from faireavec.processes.selectors import phase_allows, phase_current

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("small", [True, False])
def test_two_initiatives_at_different_phases_once(small):
    """The strategic plan is consulting today (everything allowed), the Saturday
    workshop is experimenting; running the demo again changes nothing."""
    ctx = build_organisation(small=small)
    demo.populate(ctx)
    counts = (Initiative.objects.count(), Phase.objects.count())
    demo.populate(ctx)
    assert (Initiative.objects.count(), Phase.objects.count()) == counts
    plan = Initiative.objects.get(organisation=ctx.organisation, slug=demo.STRATEGIC_PLAN_SLUG)
    assert plan.title == demo.STRATEGIC_PLAN_TITLE
    current = phase_current(initiative=plan)
    assert current.kind == Phase.Kind.CO_DESIGN
    for action in ("propose", "answer_survey", "register_meeting", "join_panel", "vote_opinion"):
        assert phase_allows(phase=current, action=action)
    saturday = Initiative.objects.get(organisation=ctx.organisation, slug=demo.SATURDAY_SLUG)
    assert phase_current(initiative=saturday).kind == Phase.Kind.EXPERIMENT
    assert saturday.follow_up_overdue()
