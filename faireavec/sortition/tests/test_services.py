"""Services: registration, quotas, a draw from start to file, infeasible quotas, replacements."""

import json

import pytest
from django.core.exceptions import ValidationError

from faireavec.core.models import AuditEntry
from faireavec.sortition import services, verify
from faireavec.sortition.models import Draw, PanelMember, Value
from faireavec.sortition.tests.factories import make_pool

pytestmark = pytest.mark.django_db


def _draw(pool, actor, seed="7 12 23 31 44"):
    draw = Draw.objects.create(pool=pool, seed=seed, seed_source="Loto", requested_by=actor)
    return services.draw_compute(draw=draw)


def test_volunteer_register_needs_every_category_and_a_new_contact(org, people):
    """A volunteer answers every category; the same contact twice is refused with a message."""
    pool = make_pool(organisation=org, actor=people["facilitator"])
    categories = list(pool.categories.all())
    values = {c.pk: c.values.first().pk for c in categories}
    with pytest.raises(ValidationError) as missing:
        services.volunteer_register(
            pool=pool,
            name="A",
            contact="new@x.org",
            values={categories[0].pk: values[categories[0].pk]},
            consent_text="ok",
        )
    assert f"category_{categories[1].pk}" in missing.value.message_dict
    services.volunteer_register(
        pool=pool, name="A", contact="new@x.org", values=values, consent_text="ok"
    )
    with pytest.raises(ValidationError) as twice:
        services.volunteer_register(
            pool=pool, name="B", contact="new@x.org", values=values, consent_text="ok"
        )
    assert "contact" in twice.value.message_dict
    pool.registration_open = False
    with pytest.raises(ValidationError):
        services.volunteer_register(
            pool=pool, name="C", contact="c@x.org", values=values, consent_text="ok"
        )


def test_a_draw_meets_the_quotas_and_its_file_reproduces_it(org, people):
    """The panel has the quotas' people; the file re-run without the platform gives the same panel."""
    pool = make_pool(organisation=org, actor=people["facilitator"])
    draw = _draw(pool, people["facilitator"])
    assert draw.status == Draw.Status.DONE
    members = list(PanelMember.objects.filter(draw=draw).select_related("volunteer"))
    assert len(members) == pool.panel_size
    women = sum(1 for m in members if m.volunteer.features.filter(value__label="F").exists())
    assert women == pool.panel_size // 2
    document = json.loads(json.dumps(draw.document))
    assert verify.draw_from_document(document) == document["panel"]
    assert sorted(str(m.volunteer_id) for m in members) == document["panel"]
    assert sum(p["probability"] for p in document["people"]) == pytest.approx(pool.panel_size)
    assert [row["algorithm"] for row in draw.comparison] == ["leximin", "maximin", "uniform"]
    again = _draw(pool, people["facilitator"])
    assert again.document["panel"] == draw.document["panel"]


def test_infeasible_quotas_fail_with_the_clash_and_the_smallest_change(org, people):
    """Minimums above the panel size: the draw fails, naming the category and what to change."""
    pool = make_pool(organisation=org, actor=people["facilitator"])
    Value.objects.filter(category__pool=pool, label__in=["F", "H"]).update(
        min_quota=3, max_quota=None
    )
    draw = _draw(pool, people["facilitator"])
    assert draw.status == Draw.Status.FAILED
    assert "Genre" in draw.message
    assert "6" in draw.message  # the minimums add up to 6, more than the 4 seats


def test_replacement_keeps_quotas_and_is_recorded_with_its_reason(org, people):
    """The person leaving is replaced by someone of the same gender, outside the panel."""
    pool = make_pool(organisation=org, actor=people["facilitator"])
    draw = _draw(pool, people["facilitator"])
    leaving = draw.members.first().volunteer
    with pytest.raises(ValidationError):
        services.replacement_record(
            draw=draw, actor=people["facilitator"], leaving=leaving, reason=" "
        )
    replacement = services.replacement_record(
        draw=draw, actor=people["facilitator"], leaving=leaving, reason="Moved away"
    )
    gender = lambda v: v.features.get(category__name="Genre").value.label  # noqa: E731
    assert gender(replacement.arriving) == gender(leaving)
    assert not PanelMember.objects.get(draw=draw, volunteer=leaving).active
    assert PanelMember.objects.filter(draw=draw, active=True).count() == pool.panel_size
    assert AuditEntry.objects.filter(action="sortition.replacement").count() == 1
    with pytest.raises(ValidationError):
        services.replacement_record(
            draw=draw, actor=people["facilitator"], leaving=leaving, reason="again"
        )


def test_quotas_proposed_follow_the_reference_figures(org, people):
    """Figures typed in (e.g. the membership) give quotas in proportion, one more or less."""
    pool = make_pool(organisation=org, actor=people["facilitator"], size=10)
    values = {v.label: v.pk for v in Value.objects.filter(category__pool=pool)}
    proposed = services.quotas_proposed(
        pool=pool,
        figures={values["F"]: 700, values["H"]: 300, values["Jeune"]: 1, values["Aîné"]: 1},
    )
    assert proposed[values["F"]] == (6, 8)
    assert proposed[values["H"]] == (2, 4)
    assert proposed[values["Jeune"]] == (4, 6)
    from_pool = services.quotas_proposed(pool=pool)
    assert from_pool[values["F"]] == (4, 6)
