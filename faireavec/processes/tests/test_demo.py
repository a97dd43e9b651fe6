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


@pytest.mark.parametrize("small", [True, False])
def test_the_strategic_plan_has_proposals_with_supports_stances_outcomes_and_followers(small):
    from faireavec.contributions.models import Comment, Status
    from faireavec.processes.models import InitiativeFollow
    from faireavec.processes.selectors import initiative_proposals, proposal_figures

    ctx = build_organisation(small=small)
    demo.populate(ctx)
    demo.populate(ctx)
    plan = Initiative.objects.get(organisation=ctx.organisation, slug=demo.STRATEGIC_PLAN_SLUG)
    figures = proposal_figures(initiative=plan)
    assert figures.proposals == (2 if small else 4)
    assert figures.supports > figures.proposals
    assert figures.comments_for and figures.comments_against
    statuses = set(initiative_proposals(initiative=plan).values_list("status", flat=True))
    assert {Status.ACCEPTED, Status.DONE} <= statuses
    assert Comment.objects.filter(contribution__initiative_link__initiative=plan).exists()
    assert InitiativeFollow.objects.filter(initiative=plan).count() == 3
