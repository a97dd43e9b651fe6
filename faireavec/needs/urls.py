"""Organisation-scoped routes of the needs register, the territorial diagnosis and the
watch log (included under `<slug:org_slug>/`)."""

from django.urls import path

from faireavec.needs.views import backoffice, public, watch

app_name = "needs"

urlpatterns = [
    path("besoins/", public.need_list_public, name="need_list_public"),
    path("besoins/<int:need_pk>/", public.need_public_detail, name="need_public_detail"),
    path("besoins/<int:need_pk>/soutien/", public.need_support_view, name="need_support"),
    path("diagnostic/", public.diagnosis_public, name="diagnosis_public"),
    path("gestion/besoins/", backoffice.need_list, name="need_list"),
    path("gestion/besoins/nouveau/", backoffice.need_create_view, name="need_create"),
    path("gestion/besoins/export/", backoffice.need_export, name="need_export"),
    path("gestion/besoins/<int:need_pk>/", backoffice.need_detail, name="need_detail"),
    path("gestion/besoins/<int:need_pk>/modifier/", backoffice.need_edit, name="need_edit"),
    path(
        "gestion/besoins/<int:need_pk>/supprimer/", backoffice.need_delete_view, name="need_delete"
    ),
    path("gestion/besoins/<int:need_pk>/offres/", backoffice.offer_add, name="offer_add"),
    path(
        "gestion/besoins/<int:need_pk>/avis/retirer/",
        backoffice.need_unlink_view,
        name="need_unlink",
    ),
    path(
        "gestion/besoins/offres/<int:existingoffer_pk>/", backoffice.offer_edit, name="offer_edit"
    ),
    path(
        "gestion/besoins/depuis-avis/<int:contribution_pk>/",
        backoffice.contribution_link,
        name="contribution_link",
    ),
    path("gestion/diagnostic/", backoffice.diagnosis_manage, name="diagnosis_manage"),
    path(
        "gestion/diagnostic/<int:diagnosissection_pk>/",
        backoffice.diagnosis_section_edit,
        name="diagnosis_section_edit",
    ),
    path("gestion/veille/", watch.watch_list, name="watch_list"),
    path("gestion/veille/nouvelle/", watch.watch_create, name="watch_create"),
    path("gestion/veille/export/", watch.watch_export, name="watch_export"),
    path("gestion/veille/<int:watchentry_pk>/", watch.watch_detail, name="watch_detail"),
    path("gestion/veille/<int:watchentry_pk>/modifier/", watch.watch_edit, name="watch_edit"),
    path("gestion/veille/<int:watchentry_pk>/supprimer/", watch.watch_delete, name="watch_delete"),
    path(
        "gestion/veille/<int:watchentry_pk>/document/",
        watch.watch_document,
        name="watch_document",
    ),
]
