"""Predicates of the sortition app, on top of `faireavec.organisations.predicates`."""

import rules

from faireavec.organisations.predicates import organisation_of
from faireavec.processes.selectors import phase_allows
from faireavec.sortition.models import Pool


@rules.predicate
def pool_accepts_volunteers(user, obj) -> bool:
    """The pool takes registrations: open, and when attached to a phase, that phase
    (running today) allows joining a panel. An organisation passes, so the
    permission can be checked before a pool is chosen."""
    if isinstance(obj, Pool):
        if not obj.registration_open:
            return False
        return obj.phase is None or phase_allows(phase=obj.phase, action="join_panel")
    return organisation_of(obj) is not None
