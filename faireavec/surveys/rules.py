"""Who may do what with surveys.

Everyone may see the public list of a public organisation's open surveys and
answer those meant for them (anyone with the link, the people of the
organisation, or its members only). Members and above read the results (with
small groups masked in anonymous surveys); facilitators and administrators
build surveys, make codes, enter paper or phone answers, export the raw
responses and turn a free-text answer into a contribution.
"""

import rules

from faireavec.organisations.predicates import (
    is_facilitator,
    is_in_organisation,
    is_member,
    is_public_organisation,
)
from faireavec.surveys.predicates import is_in_survey_audience

rules.add_perm("surveys.view_survey", is_public_organisation | is_in_organisation)
rules.add_perm("surveys.answer_survey", is_in_survey_audience)
rules.add_perm("surveys.view_results", is_member)
rules.add_perm("surveys.manage_survey", is_facilitator)
rules.add_perm("surveys.enter_response", is_facilitator)
rules.add_perm("surveys.export_response", is_facilitator)
rules.add_perm("surveys.convert_answer", is_facilitator)
