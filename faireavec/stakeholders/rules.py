import rules

from faireavec.stakeholders.predicates import can_manage_register, can_see_map

rules.add_perm("stakeholders.view_stakeholder", can_manage_register)
rules.add_perm("stakeholders.add_stakeholder", can_manage_register)
rules.add_perm("stakeholders.change_stakeholder", can_manage_register)
rules.add_perm("stakeholders.delete_stakeholder", can_manage_register)
rules.add_perm("stakeholders.import_stakeholder", can_manage_register)
rules.add_perm("stakeholders.export_stakeholder", can_manage_register)
rules.add_perm("stakeholders.add_interaction", can_manage_register)
rules.add_perm("stakeholders.delete_interaction", can_manage_register)
rules.add_perm("stakeholders.manage_stakeholdersubcategory", can_manage_register)
rules.add_perm("stakeholders.view_stakeholdermap", can_see_map)
