"""The stakeholder register as a table (`faireavec.core.exports.ExportSpec`),
filtered like the page it was asked from. Its columns are those the import
reads (`imports.COLUMNS`): an exported file goes back in unchanged."""

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from faireavec.core.exports import ExportSpec
from faireavec.stakeholders.forms import StakeholderFilterForm
from faireavec.stakeholders.imports import COLUMNS
from faireavec.stakeholders.models import Category, Stakeholder
from faireavec.stakeholders.selectors import stakeholders_of_organisation


def stakeholder_export_objects(*, organisation, params: QueryDict) -> QuerySet[Stakeholder]:
    filters = StakeholderFilterForm(params, organisation=organisation).filters()
    return stakeholders_of_organisation(organisation=organisation, filters=filters)


def stakeholder_export_row(s: Stakeholder) -> list:
    """One stakeholder, in the order of the import's COLUMNS."""
    return [
        s.name,
        s.get_kind_display(),
        str(Category(s.category).label),
        s.subcategory.name if s.subcategory_id else "",
        s.territory,
        ", ".join(tag.name for tag in s.tags.all()),
        s.get_current_level_display(),
        s.get_target_level_display(),
        ", ".join(s.get_participation_modes_display()),
        s.influence,
        s.interest,
        s.email,
        s.phone,
        s.get_contact_basis_display() if s.contact_basis else "",
        s.contact_review_on,
        s.last_interaction_on,
        s.reviewed_on,
        s.notes,
    ]


STAKEHOLDERS_EXPORT = ExportSpec(
    name="stakeholders.register",
    title=_("the stakeholder register"),
    filename=_("stakeholders"),
    headers=[column.label for column in COLUMNS],
    objects=stakeholder_export_objects,
    row=stakeholder_export_row,
    list_url="stakeholders:stakeholder_list",
)
