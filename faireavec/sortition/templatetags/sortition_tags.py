"""`{% phase_pools phases user as pools %}`: the open pools of these phases the person may join."""

from django import template

from faireavec.sortition.selectors import panel_of_pool, pools_of_phases

register = template.Library()


@register.simple_tag
def phase_pools(phases, user):
    return [
        pool
        for pool in pools_of_phases(phases=phases)
        if user.has_perm("sortition.register_volunteer", pool)
    ]


@register.simple_tag
def phase_panels(phases, user):
    """The panels drawn for these phases: `(pool, draw, members)`, the members' names
    only for people who may read the pool (members and above), else an empty list."""
    panels = []
    for pool in pools_of_phases(phases=phases):
        draw, members = panel_of_pool(pool=pool)
        if draw is None:
            continue
        may_read = user.has_perm("sortition.view_pool", pool.organisation)
        panels.append(
            {
                "pool": pool,
                "draw": draw,
                "count": len(members),
                "members": members if may_read else [],
            }
        )
    return panels
