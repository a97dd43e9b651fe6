"""Organisation-scoped routes of the sortition app (included under `<slug:org_slug>/`)."""

from django.urls import path

from faireavec.sortition.views import backoffice, public

app_name = "sortition"

urlpatterns = [
    path(
        "tirage/<int:pool_pk>/inscription/",
        public.volunteer_register_view,
        name="volunteer_register",
    ),
    path("tirage/<int:pool_pk>/merci/", public.volunteer_thanks, name="volunteer_thanks"),
    path("tirage/<int:pool_pk>/consentement/", public.volunteer_consent, name="volunteer_consent"),
    path("gestion/tirages/", backoffice.pool_list, name="pool_list"),
    path("gestion/tirages/nouveau/", backoffice.pool_create_view, name="pool_create"),
    path("gestion/tirages/<int:pool_pk>/", backoffice.pool_detail, name="pool_detail"),
    path("gestion/tirages/<int:pool_pk>/categories/", backoffice.category_add, name="category_add"),
    path("gestion/tirages/<int:pool_pk>/quotas/", backoffice.quotas_edit, name="quotas_edit"),
    path(
        "gestion/tirages/<int:pool_pk>/volontaires/nouveau/",
        backoffice.volunteer_add,
        name="volunteer_add",
    ),
    path(
        "gestion/tirages/<int:pool_pk>/volontaires/societaires/",
        backoffice.volunteer_members,
        name="volunteer_members",
    ),
    path(
        "gestion/tirages/<int:pool_pk>/volontaires/importer/",
        backoffice.volunteer_import,
        name="volunteer_import",
    ),
    path(
        "gestion/tirages/<int:pool_pk>/volontaires/importer/confirmer/",
        backoffice.volunteer_import_confirm_view,
        name="volunteer_import_confirm",
    ),
    path("gestion/tirages/<int:pool_pk>/tirer/", backoffice.draw_create, name="draw_create"),
    path("gestion/tirages/resultat/<int:draw_pk>/", backoffice.draw_detail, name="draw_detail"),
    path("gestion/tirages/resultat/<int:draw_pk>/fichier/", backoffice.draw_file, name="draw_file"),
    path(
        "gestion/tirages/resultat/<int:draw_pk>/export/", backoffice.draw_export, name="draw_export"
    ),
    path(
        "gestion/tirages/resultat/<int:draw_pk>/remplacer/<int:volunteer_pk>/",
        backoffice.replacement_create,
        name="replacement_create",
    ),
    path(
        "gestion/tirages/resultat/<int:draw_pk>/sieges/", backoffice.draw_seats, name="draw_seats"
    ),
]
