"""Organisation-scoped routes of the core app (included under `<slug:org_slug>/`)."""

from django.urls import path

from faireavec.core.views import backoffice, emails

app_name = "core"

urlpatterns = [
    path("gestion/journal/", backoffice.audit_log_list, name="audit_log"),
    path("gestion/journal/export/", backoffice.audit_log_export, name="audit_log_export"),
    path("gestion/courriels/", emails.undelivered_email_list, name="undelivered_emails"),
    path("gestion/exports/", backoffice.job_list, name="job_list"),
    path("gestion/taches/<uuid:backgroundjob_uuid>/", backoffice.job_detail, name="job_detail"),
    path(
        "gestion/taches/<uuid:backgroundjob_uuid>/fichier/",
        backoffice.job_download,
        name="job_download",
    ),
]
