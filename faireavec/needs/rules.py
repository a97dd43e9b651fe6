"""Who may do what with needs and the territorial diagnosis.

Everyone may read the public needs of a public organisation; people of the
organisation (participants included) support them. Members and above read the
back-office register and export it; facilitators and administrators manage
needs, existing offers, links to contributions and the diagnosis. The
diagnosis is read by everyone in the organisation, and by the public when the
organisation publishes it. The watch log is read by members and above and kept by
facilitators and administrators; its entries marked public show with the public
diagnosis and needs.
"""

import rules

from faireavec.needs.predicates import is_open_need, is_published_diagnosis
from faireavec.organisations.predicates import (
    is_facilitator,
    is_in_organisation,
    is_member,
    is_public_organisation,
)

rules.add_perm("needs.view_need", is_public_organisation | is_in_organisation)
rules.add_perm("needs.support_need", is_in_organisation & is_open_need)
rules.add_perm("needs.review_need", is_member)
rules.add_perm("needs.export_need", is_member)
rules.add_perm("needs.manage_need", is_facilitator)
rules.add_perm(
    "needs.view_diagnosis",
    is_in_organisation | (is_public_organisation & is_published_diagnosis),
)
rules.add_perm("needs.change_diagnosis", is_facilitator)
rules.add_perm("needs.view_watchentry", is_member)
rules.add_perm("needs.export_watchentry", is_member)
rules.add_perm("needs.manage_watchentry", is_facilitator)
