"""Contribution routes (included under `<slug:org_slug>/`)."""

from django.urls import path

from faireavec.contributions.views import backoffice, public

app_name = "contributions"

urlpatterns = [
    path("avis/", public.contribution_create_view, name="contribution_create"),
    path("avis/suivi/", public.followup_lookup, name="followup_lookup"),
    path(
        "avis/suivi/<str:contribution_follow_up_code>/",
        public.followup_detail,
        name="followup_detail",
    ),
    path(
        "avis/suivi/<str:contribution_follow_up_code>/recu/",
        public.followup_receipt,
        name="followup_receipt",
    ),
    path(
        "avis/suivi/<str:contribution_follow_up_code>/par-email/",
        public.followup_email,
        name="followup_email",
    ),
    path("avis/mes-contributions/", public.contribution_mine, name="contribution_mine"),
    path("vous-avez-dit/", public.said_done, name="said_done"),
    path("idees/", public.idea_list, name="idea_list"),
    path("idees/<int:contribution_pk>/", public.idea_detail, name="idea_detail"),
    path("idees/<int:contribution_pk>/soutenir/", public.idea_support, name="idea_support"),
    path("idees/<int:contribution_pk>/commenter/", public.idea_comment, name="idea_comment"),
    path("idees/<int:contribution_pk>/signaler/", public.idea_report, name="idea_report"),
    path(
        "idees/commentaires/<int:comment_pk>/signaler/",
        public.comment_report_view,
        name="comment_report",
    ),
    path("gestion/avis/", backoffice.inbox, name="inbox"),
    path("gestion/avis/lot/", backoffice.inbox_bulk, name="inbox_bulk"),
    path("gestion/avis/export/", backoffice.inbox_export, name="inbox_export"),
    path("gestion/avis/saisie/", backoffice.contribution_assisted, name="contribution_assisted"),
    path("gestion/avis/en-retard/", backoffice.overdue_list, name="overdue_list"),
    path("gestion/avis/en-retard/alerter/", backoffice.overdue_escalate, name="overdue_escalate"),
    path("gestion/avis/moderation/", backoffice.moderation_list, name="moderation_list"),
    path("gestion/avis/affiche/", backoffice.contribution_poster, name="contribution_poster"),
    path("gestion/avis/ouvrir/", backoffice.idea_box_open_view, name="idea_box_open"),
    path(
        "gestion/avis/<int:contribution_pk>/",
        backoffice.contribution_manage,
        name="contribution_manage",
    ),
    path(
        "gestion/avis/<int:contribution_pk>/statut/",
        backoffice.contribution_status,
        name="contribution_status",
    ),
    path(
        "gestion/avis/<int:contribution_pk>/reponse/",
        backoffice.contribution_answer,
        name="contribution_answer",
    ),
    path(
        "gestion/avis/<int:contribution_pk>/rouvrir/",
        backoffice.contribution_reopen_view,
        name="contribution_reopen",
    ),
    path(
        "gestion/avis/<int:contribution_pk>/moderation/",
        backoffice.contribution_moderate,
        name="contribution_moderate",
    ),
    path(
        "gestion/avis/<int:contribution_pk>/publier/",
        backoffice.contribution_publish,
        name="contribution_publish",
    ),
    path(
        "gestion/avis/commentaires/<int:comment_pk>/moderation/",
        backoffice.comment_moderate,
        name="comment_moderate",
    ),
]
