"""Stakeholder routes, all in the back office (included under `<slug:org_slug>/`)."""

from django.urls import path

from faireavec.stakeholders.views import backoffice

app_name = "stakeholders"

BASE = "gestion/parties-prenantes/"

urlpatterns = [
    path(BASE, backoffice.stakeholder_list, name="stakeholder_list"),
    path(BASE + "a-revoir/", backoffice.stakeholder_review_list, name="stakeholder_review_list"),
    path(BASE + "nouvelle/", backoffice.stakeholder_create_view, name="stakeholder_create"),
    path(BASE + "carte/", backoffice.stakeholder_map, name="stakeholder_map"),
    path(BASE + "carte.pdf", backoffice.stakeholder_map_pdf, name="stakeholder_map_pdf"),
    path(BASE + "grille/", backoffice.stakeholder_grid, name="stakeholder_grid"),
    path(BASE + "export/", backoffice.stakeholder_export, name="stakeholder_export"),
    path(BASE + "import/", backoffice.stakeholder_import_view, name="stakeholder_import"),
    path(BASE + "categories/", backoffice.subcategory_list, name="subcategory_list"),
    path(
        BASE + "categories/<int:stakeholdersubcategory_pk>/supprimer/",
        backoffice.subcategory_delete_view,
        name="subcategory_delete",
    ),
    path(BASE + "<int:stakeholder_pk>/", backoffice.stakeholder_detail, name="stakeholder_detail"),
    path(
        BASE + "<int:stakeholder_pk>/modifier/",
        backoffice.stakeholder_edit,
        name="stakeholder_edit",
    ),
    path(
        BASE + "<int:stakeholder_pk>/revue/",
        backoffice.stakeholder_review,
        name="stakeholder_review",
    ),
    path(
        BASE + "<int:stakeholder_pk>/supprimer/",
        backoffice.stakeholder_delete_view,
        name="stakeholder_delete",
    ),
    path(
        BASE + "echanges/<int:interaction_pk>/supprimer/",
        backoffice.interaction_delete_view,
        name="interaction_delete",
    ),
]
