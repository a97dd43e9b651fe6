"""The demo: a panel drawn from the strategic plan's volunteers, with one replacement."""

import pytest

from faireavec.organisations.demo import demo_build_all
from faireavec.sortition.models import Draw, PanelMember, Pool, Replacement, Volunteer

pytestmark = pytest.mark.django_db


def test_small_demo_has_a_drawn_panel_with_one_replacement_and_is_idempotent():
    """Small mode: 40 volunteers, a panel of 6 that meets its quotas, one replacement."""
    own, _other = demo_build_all(small=True)
    pool = Pool.objects.get(organisation=own.organisation)
    assert Volunteer.objects.filter(pool=pool).count() == 40
    draw = Draw.objects.get(pool=pool)
    assert draw.status == Draw.Status.DONE, draw.message
    assert PanelMember.objects.filter(draw=draw, active=True).count() == pool.panel_size
    assert Replacement.objects.filter(draw=draw).count() == 1
    assert pool.phase is not None
    from_register = Volunteer.objects.filter(pool=pool, source="member")
    assert from_register.count() == 12 and not from_register.filter(member=None).exists()
    pending = Volunteer.objects.filter(pool=pool, consent_at=None)
    assert [v.user for v in pending] == [own.users["member"]]
    assert not PanelMember.objects.filter(draw=draw, volunteer__consent_at=None).exists()
    counts = (Pool.objects.count(), Volunteer.objects.count(), Draw.objects.count())
    demo_build_all(small=True)
    assert (Pool.objects.count(), Volunteer.objects.count(), Draw.objects.count()) == counts
