"""`{% phase_pools phases user as pools %}`: the open pools of these phases the person may join."""

from django import template

from faireavec.sortition.selectors import pools_of_phases

register = template.Library()


@register.simple_tag
def phase_pools(phases, user):
    return [
        pool
        for pool in pools_of_phases(phases=phases)
        if user.has_perm("sortition.register_volunteer", pool)
    ]
