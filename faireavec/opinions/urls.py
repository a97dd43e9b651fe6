"""Organisation-scoped routes of opinion maps (included under `<slug:org_slug>/`)."""

from django.urls import path

from faireavec.opinions.views import backoffice, public

app_name = "opinions"

urlpatterns = [
    path("cartes-des-opinions/", public.conversation_list_public, name="conversation_list_public"),
    path(
        "cartes-des-opinions/<int:conversation_pk>/",
        public.conversation_detail,
        name="conversation_detail",
    ),
    path(
        "cartes-des-opinions/<int:conversation_pk>/vote/",
        public.conversation_vote,
        name="conversation_vote",
    ),
    path(
        "cartes-des-opinions/<int:conversation_pk>/proposer/",
        public.conversation_propose,
        name="conversation_propose",
    ),
    path(
        "cartes-des-opinions/<int:conversation_pk>/code/",
        public.conversation_code,
        name="conversation_code",
    ),
    path(
        "cartes-des-opinions/<int:conversation_pk>/resultats/",
        public.conversation_results,
        name="conversation_results",
    ),
    path("gestion/cartes-des-opinions/", backoffice.conversation_list, name="conversation_list"),
    path(
        "gestion/cartes-des-opinions/nouvelle/",
        backoffice.conversation_create_view,
        name="conversation_create",
    ),
    path(
        "gestion/cartes-des-opinions/importer/",
        backoffice.conversation_import,
        name="conversation_import",
    ),
    path(
        "gestion/cartes-des-opinions/<int:conversation_pk>/exporter/",
        backoffice.conversation_export,
        name="conversation_export",
    ),
    path(
        "gestion/cartes-des-opinions/<int:conversation_pk>/",
        backoffice.conversation_manage,
        name="conversation_manage",
    ),
    path(
        "gestion/cartes-des-opinions/<int:conversation_pk>/modifier/",
        backoffice.conversation_edit,
        name="conversation_edit",
    ),
    path(
        "gestion/cartes-des-opinions/<int:conversation_pk>/enonces/<int:statement_pk>/moderer/",
        backoffice.statement_moderate_view,
        name="statement_moderate",
    ),
    path(
        "gestion/cartes-des-opinions/<int:conversation_pk>/recalculer/",
        backoffice.conversation_recompute,
        name="conversation_recompute",
    ),
    path(
        "gestion/cartes-des-opinions/<int:conversation_pk>/rapport/",
        backoffice.conversation_report,
        name="conversation_report",
    ),
    path(
        "gestion/cartes-des-opinions/<int:conversation_pk>/rapport.pdf",
        backoffice.conversation_report_pdf,
        name="conversation_report_pdf",
    ),
]
