"""Predicates of the surveys app, on top of `faireavec.organisations.predicates`.

The object is the organisation or a survey.
"""

import rules

from faireavec.organisations.predicates import (
    is_in_organisation,
    is_member,
    is_public_organisation,
    organisation_of,
)
from faireavec.surveys.models import Survey


@rules.predicate
def is_in_survey_audience(user, obj) -> bool:
    """The person is among those the survey asks (a published one); an
    organisation passes, so the permission can be checked before a survey is chosen."""
    if not isinstance(obj, Survey):
        return organisation_of(obj) is not None
    if obj.status != Survey.Status.PUBLISHED:
        return False
    if obj.audience == Survey.Audience.MEMBERS:
        return is_member(user, obj)
    if obj.audience == Survey.Audience.PARTICIPANTS:
        return is_in_organisation(user, obj)
    return is_public_organisation(user, obj) or is_in_organisation(user, obj)
