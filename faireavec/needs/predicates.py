"""Predicates of the needs app, on top of `faireavec.organisations.predicates`.

The object is the organisation, a need, or anything with an `organisation`.
"""

import rules

from faireavec.needs.models import Need
from faireavec.needs.selectors import diagnosis_is_published
from faireavec.organisations.predicates import organisation_of


@rules.predicate
def is_open_need(user, obj) -> bool:
    """The object is a need still open (one can support it); an organisation
    passes, so the permission can be checked before a need is chosen."""
    if isinstance(obj, Need):
        return obj.is_open
    return organisation_of(obj) is not None


@rules.predicate
def is_published_diagnosis(user, obj) -> bool:
    """The organisation chose to show its territorial diagnosis to everyone."""
    organisation = organisation_of(obj)
    return organisation is not None and diagnosis_is_published(organisation=organisation)
