"""Organisation-scoped routes of initiatives (included under `<slug:org_slug>/`)."""

from django.urls import path

from faireavec.processes.views import backoffice, public

app_name = "processes"

urlpatterns = [
    path("demarches/", public.initiative_list_public, name="initiative_list_public"),
    path("demarches/<int:initiative_pk>/", public.initiative_detail, name="initiative_detail"),
    path(
        "demarches/<int:initiative_pk>/proposer/",
        public.proposal_create_view,
        name="proposal_create",
    ),
    path(
        "demarches/<int:initiative_pk>/suivre/",
        public.initiative_follow_view,
        name="initiative_follow",
    ),
    path(
        "demarches/<int:initiative_pk>/bilan/", public.initiative_report, name="initiative_report"
    ),
    path(
        "demarches/<int:initiative_pk>/bilan/pdf/",
        public.initiative_report_pdf,
        name="initiative_report_pdf",
    ),
    path("gestion/demarches/", backoffice.initiative_list, name="initiative_list"),
    path(
        "gestion/demarches/nouvelle/", backoffice.initiative_create_view, name="initiative_create"
    ),
    path(
        "gestion/demarches/<int:initiative_pk>/",
        backoffice.initiative_manage,
        name="initiative_manage",
    ),
    path(
        "gestion/demarches/<int:initiative_pk>/modifier/",
        backoffice.initiative_edit,
        name="initiative_edit",
    ),
    path(
        "gestion/demarches/<int:initiative_pk>/statut/",
        backoffice.initiative_status,
        name="initiative_status",
    ),
    path(
        "gestion/demarches/<int:initiative_pk>/supprimer/",
        backoffice.initiative_delete_view,
        name="initiative_delete",
    ),
    path(
        "gestion/demarches/<int:initiative_pk>/phases/nouvelle/",
        backoffice.phase_add,
        name="phase_add",
    ),
    path("gestion/demarches/phases/<int:phase_pk>/", backoffice.phase_edit, name="phase_edit"),
    path(
        "gestion/demarches/phases/<int:phase_pk>/supprimer/",
        backoffice.phase_delete_view,
        name="phase_delete",
    ),
]
