import rules

from faireavec.contributions.predicates import (
    can_give_and_follow,
    can_manage,
    can_see_public_pages,
    can_take_part,
    is_author,
)

rules.add_perm("contributions.add_contribution", can_give_and_follow)
rules.add_perm("contributions.follow_contribution", can_give_and_follow)
rules.add_perm("contributions.view_public_contributions", can_see_public_pages)
rules.add_perm("contributions.view_contribution", is_author | can_manage)
rules.add_perm("contributions.support_contribution", can_take_part)
rules.add_perm("contributions.add_comment", can_take_part)
rules.add_perm("contributions.report_contribution", can_see_public_pages)
rules.add_perm("contributions.manage_contribution", can_manage)
rules.add_perm("contributions.add_assisted_contribution", can_manage)
rules.add_perm("contributions.moderate_contribution", can_manage)
rules.add_perm("contributions.export_contribution", can_manage)
